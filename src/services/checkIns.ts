import type { Logger } from '../logger.ts';
import type { MemberStore } from '../store/memberStore.ts';
import type { CheckInAnswer, GroupRecord, PairingState, RoundRecord, RoundStore } from '../store/roundStore.ts';
import type { Clock } from './clock.ts';
import { DiscordFailure, type PairingChannel } from './discordPort.ts';
import type { Locks } from './keyedLock.ts';
import { nonceFor } from './nonce.ts';
import { groupLocaleOf } from './roundLocale.ts';
import type { SliceBudget } from './sliceBudget.ts';
import { UserError } from './userError.ts';

/** Check-ins answered "can't make it" or left unanswered this many rounds in a row pause a member. */
export const MISSED_CHECK_INS_BEFORE_PAUSE = 3;
/** Paused by Bridges until they come back themselves with /exchange join. */
export const PAUSED_UNTIL_THEY_RETURN = '9999-12-31T00:00:00.000Z';
/** A transient failure while posting check-ins: the slice stops and the lane comes back this much later. */
const CHECK_IN_RETRY_MS = 60_000;
/** Groups read from the store at once while walking a round. */
const BATCH = 25;

export interface CheckInsDeps {
  readonly members: MemberStore;
  readonly rounds: RoundStore;
  readonly discord: PairingChannel;
  readonly clock: Clock;
  readonly locks: Locks;
  readonly logger: Logger;
}

/**
 * After a round: "how did it go?" buttons in every delivered thread at check-in time, one recorded
 * answer per member, and, when the window closes, missed answers counted towards a pause and the
 * threads archived so the server keeps room for the next round's threads.
 */
export class CheckIns {
  constructor(private readonly deps: CheckInsDeps) {}

  /**
   * Posts check-ins from the round's cursor until done or the budget is spent; returns the round
   * as stored and, after a transient failure, when to try again.
   */
  async post(guildId: string, round: RoundRecord, budget: SliceBudget): Promise<{ round: RoundRecord; retryAt?: Date }> {
    let current: RoundRecord = round.checkInStatus === 'pending' ? { ...round, checkInStatus: 'posting', checkInCursor: 0 } : round;
    try {
      while (current.checkInCursor < current.groupCount && !budget.spent) {
        const from = current.checkInCursor;
        const groups = await this.deps.rounds.groupRange(guildId, round.id, from, Math.min(current.groupCount, from + BATCH));
        for (const [offset, group] of groups.entries()) {
          if (budget.spent) break;
          const index = from + offset;
          if (group && needsCheckIn(group)) {
            budget.step();
            await this.postOne(guildId, round, index, group);
          }
          current = { ...current, checkInCursor: index + 1 };
        }
      }
    } catch (error) {
      if (!(error instanceof DiscordFailure)) throw error;
      this.deps.logger.warn('Check-ins will be retried', { guildId, round: round.id, error: error.message });
      await this.deps.rounds.setRound(guildId, current);
      return { round: current, retryAt: new Date(this.deps.clock.now().getTime() + CHECK_IN_RETRY_MS) };
    }
    if (current.checkInCursor >= current.groupCount) {
      const { retryAt: _retried, ...rest } = current;
      current = { ...rest, checkInStatus: 'posted', checkInCursor: 0 };
      const asked = (await this.deps.rounds.groupRange(guildId, round.id, 0, round.groupCount)).filter(
        (group) => group?.checkIn === 'posted',
      ).length;
      await this.updateStats(guildId, (stats) => ({ ...stats, groupsCheckedIn: stats.groupsCheckedIn + asked }));
      this.deps.logger.info('Check-ins posted', { guildId, round: round.id, posted: asked });
    }
    await this.deps.rounds.setRound(guildId, current);
    return { round: current };
  }

  private async postOne(guildId: string, round: RoundRecord, index: number, group: GroupRecord): Promise<void> {
    const threadId = group.threadId ?? '';
    const roundId = round.id;
    try {
      const { messageId } = await this.deps.discord.sendCheckIn(
        threadId,
        roundId,
        index,
        nonceFor(`check-in:${guildId}:${roundId}:${index}`),
        groupLocaleOf(round, group),
      );
      await this.deps.rounds.setGroup(guildId, roundId, index, { ...group, checkIn: 'posted', checkInMessageId: messageId });
    } catch (error) {
      if (!(error instanceof DiscordFailure) || error.retryable) throw error;
      // A thread someone deleted or closed to Bridges: nothing to ask there.
      await this.deps.rounds.setGroup(guildId, roundId, index, { ...group, checkIn: 'unavailable' });
    }
  }

  /**
   * Closes the check-in window from the round's cursor: each group is marked closed first (so a
   * crash never counts a missed answer twice), then its silent members count towards a pause and
   * its thread is archived.
   */
  async close(guildId: string, round: RoundRecord, budget: SliceBudget): Promise<RoundRecord> {
    let current: RoundRecord = round.checkInStatus === 'closing' ? round : { ...round, checkInStatus: 'closing', checkInCursor: 0 };
    while (current.checkInCursor < current.groupCount && !budget.spent) {
      const from = current.checkInCursor;
      const groups = await this.deps.rounds.groupRange(guildId, round.id, from, Math.min(current.groupCount, from + BATCH));
      for (const [offset, group] of groups.entries()) {
        if (budget.spent) break;
        const index = from + offset;
        if (group && group.status === 'delivered' && group.archived !== true) {
          budget.step();
          await this.deps.rounds.setGroup(guildId, round.id, index, { ...group, archived: true });
          if (group.checkIn === 'posted') await this.countMissed(guildId, round, group);
          if (group.threadId !== undefined) {
            await this.deps.discord
              .archiveThread(group.threadId)
              .catch((error: unknown) =>
                this.deps.logger.warn('Could not archive a pairing thread', { guildId, round: round.id, group: index, error }),
              );
          }
        }
        current = { ...current, checkInCursor: index + 1 };
      }
    }
    if (current.checkInCursor >= current.groupCount) current = { ...current, checkInStatus: 'closed', checkInCursor: 0 };
    await this.deps.rounds.setRound(guildId, current);
    return current;
  }

  /** Records a check-in answer once per member; "can't make it" and silence count towards a pause. */
  async answer(
    guildId: string,
    roundId: string,
    groupIndex: number,
    userId: string,
    answer: CheckInAnswer,
  ): Promise<'recorded' | CheckInAnswer> {
    const group = await this.deps.rounds.group(guildId, roundId, groupIndex);
    if (!group) throw new UserError('check-in-gone');
    if (!group.memberIds.includes(userId)) throw new UserError('check-in-not-yours');
    const previous = group.answers[userId];
    if (previous !== undefined) return previous;
    const firstMet = answer === 'met' && !Object.values(group.answers).includes('met');
    await this.deps.rounds.setGroup(guildId, roundId, groupIndex, { ...group, answers: { ...group.answers, [userId]: answer } });
    if (firstMet) await this.updateStats(guildId, (stats) => ({ ...stats, groupsReportedMet: stats.groupsReportedMet + 1 }));
    await this.deps.locks.run(guildId, async () => {
      const member = await this.deps.members.get(guildId, userId);
      if (!member) return;
      const meetings = member.meetings.map((meeting) => (meeting.roundId === roundId ? { ...meeting, answer } : meeting));
      const missedFollowUps = answer === 'cant-make-it' ? member.missedFollowUps : 0;
      await this.deps.members.set(guildId, userId, { ...member, meetings, missedFollowUps });
    });
    return 'recorded';
  }

  private async countMissed(guildId: string, round: RoundRecord, group: GroupRecord): Promise<void> {
    for (const userId of group.memberIds) {
      const answer = group.answers[userId];
      if (answer === 'met' || answer === 'not-yet') continue;
      const paused = await this.countMissedCheckIn(guildId, userId);
      if (paused && group.threadId !== undefined) {
        await this.deps.discord
          .sendNote(group.threadId, { kind: 'paused', memberId: userId, times: MISSED_CHECK_INS_BEFORE_PAUSE }, groupLocaleOf(round, group))
          .catch((error: unknown) => this.deps.logger.warn('Could not tell a member about their pause', { guildId, userId, error }));
      }
    }
  }

  private async countMissedCheckIn(guildId: string, userId: string): Promise<boolean> {
    return this.deps.locks.run(guildId, async () => {
      const member = await this.deps.members.get(guildId, userId);
      if (!member) return false;
      const missed = member.missedFollowUps + 1;
      const pause = missed >= MISSED_CHECK_INS_BEFORE_PAUSE && member.optedIn && member.pausedUntil === undefined;
      await this.deps.members.set(guildId, userId, {
        ...member,
        missedFollowUps: missed,
        ...(pause ? { pausedUntil: PAUSED_UNTIL_THEY_RETURN, pauseReason: 'no-answers' as const } : {}),
        updatedAt: this.deps.clock.now().toISOString(),
      });
      return pause;
    });
  }

  private async updateStats(guildId: string, change: (stats: PairingState['stats']) => PairingState['stats']): Promise<void> {
    const state = await this.deps.rounds.state(guildId);
    await this.deps.rounds.setState(guildId, { ...state, stats: change(state.stats) });
  }
}

function needsCheckIn(group: GroupRecord): boolean {
  return group.status === 'delivered' && group.threadId !== undefined && group.checkIn === undefined;
}
