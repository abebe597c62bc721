import { nextAttemptAt, SCHEDULED_RETRY, type Failure, type FailureStep } from '../core/failure.ts';
import { threadName } from '../core/roundPlan.ts';
import type { ThemeCatalog } from '../core/themes.ts';
import type { Logger } from '../logger.ts';
import { MAX_KEPT_MEETINGS, type MemberStore } from '../store/memberStore.ts';
import type { GroupRecord, GroupStatus, RoundRecord, RoundStore } from '../store/roundStore.ts';
import type { Clock } from './clock.ts';
import { DiscordFailure, failureOf, type GroupIntro, type PairingChannel } from './discordPort.ts';
import type { Locks } from './keyedLock.ts';
import { nonceFor } from './nonce.ts';
import { withoutUndefined } from './records.ts';
import { groupLocaleOf } from './roundLocale.ts';

/** Discord's limit of active threads per server. */
export const MAX_ACTIVE_THREADS = 1_000;

export const FINAL_GROUP_STATUSES: ReadonlySet<GroupStatus> = new Set(['delivered', 'failed', 'cancelled']);

export interface GroupDeliveryDeps {
  readonly members: MemberStore;
  readonly rounds: RoundStore;
  readonly catalog: ThemeCatalog;
  readonly discord: PairingChannel;
  readonly clock: Clock;
  /** The member records' lock, shared with the exchange service. */
  readonly locks: Locks;
  readonly logger: Logger;
}

/**
 * final: the group reached an end (delivered, failed, re-formed). retry: a transient failure, to be
 * tried again at its retryAt. no-room: the server is at its thread limit; the group waits. stop: the
 * pairing channel itself is gone or unusable, so no group of the round can be delivered.
 */
export type GroupOutcome = 'final' | 'retry' | 'no-room' | { readonly stop: Failure };

/** How many more threads this slice may open, read from Discord once and then counted down. */
export class ThreadRoom {
  private left: number | undefined;

  constructor(private readonly activeThreads: () => Promise<number>) {}

  async take(): Promise<boolean> {
    this.left ??= MAX_ACTIVE_THREADS - (await this.activeThreads());
    if (this.left <= 0) return false;
    this.left -= 1;
    return true;
  }

  markFull(): void {
    this.left = 0;
  }
}

/**
 * Delivers one group of a round: claim, open its private thread, add its members, introduce them.
 * Each step is stored in the group's own record before the next, so a crash resumes the same group
 * without a second thread (an interrupted creation is looked up by name) or a second introduction.
 */
export class GroupDelivery {
  constructor(private readonly deps: GroupDeliveryDeps) {}

  async deliver(
    guildId: string,
    round: RoundRecord,
    index: number,
    room: ThreadRoom,
    intro: (group: GroupRecord) => GroupIntro,
  ): Promise<GroupOutcome> {
    const { rounds, discord } = this.deps;
    const stored = await rounds.group(guildId, round.id, index);
    if (!stored || FINAL_GROUP_STATUSES.has(stored.status)) return 'final';
    if (stored.retryAt !== undefined && Date.parse(stored.retryAt) > this.deps.clock.now().getTime()) return 'retry';
    let group: GroupRecord = stored;
    const save = async (patch: Partial<GroupRecord>) => {
      group = withoutUndefined({ ...group, ...patch });
      await rounds.setGroup(guildId, round.id, index, group);
    };
    if (group.memberIds.length < 2) return this.regroup(guildId, round, index, group, save);

    const resuming = group.status === 'creating';
    let step: FailureStep = 'thread';
    try {
      const name = threadName(round, index);
      let threadId = group.threadId ?? (resuming ? await discord.findThread(guildId, round.channelId, name) : undefined);
      if (threadId === undefined) {
        if (!(await room.take())) {
          await save({ status: 'waiting' });
          return 'no-room';
        }
        // Claimed before the thread exists: from here on, a retry looks for it by name first.
        if (group.status !== 'creating') await save({ status: 'creating' });
        threadId = (await discord.createPrivateThread(round.channelId, name)).threadId;
      }
      if (group.threadId !== threadId) await save({ status: 'creating', threadId });

      step = 'add-members';
      for (const userId of [...group.memberIds]) {
        try {
          await discord.addThreadMember(threadId, userId);
        } catch (error) {
          if (!(error instanceof DiscordFailure) || error.kind !== 'member-gone') throw error;
          await save({ memberIds: group.memberIds.filter((id) => id !== userId), left: [...group.left, userId] });
        }
      }
      if (group.memberIds.length < 2) return this.regroup(guildId, round, index, group, save);

      step = 'intro';
      const existing = resuming ? await discord.findBotMessage(threadId) : undefined;
      const messageId =
        existing ?? (await discord.sendIntro(threadId, intro(group), nonceFor(`intro:${guildId}:${round.id}:${index}`))).messageId;
      await save({ status: 'delivered', messageId, attempts: 0, firstFailedAt: undefined, retryAt: undefined, failure: undefined });
      await this.recordMeetings(guildId, round, index, group);
      return 'final';
    } catch (error) {
      if (!(error instanceof DiscordFailure)) throw error;
      return this.failed(guildId, round.id, index, group, step, error, save, room);
    }
  }

  private async failed(
    guildId: string,
    roundId: string,
    index: number,
    group: GroupRecord,
    step: FailureStep,
    error: DiscordFailure,
    save: (patch: Partial<GroupRecord>) => Promise<void>,
    room: ThreadRoom,
  ): Promise<GroupOutcome> {
    const failure = failureOf(error, step);
    if (error.kind === 'thread-limit' && group.threadId === undefined) {
      room.markFull();
      await save({ status: 'waiting' });
      return 'no-room';
    }
    if (error.kind === 'channel-gone' || (error.kind === 'missing-permission' && step === 'thread')) return { stop: failure };
    if (!error.retryable) {
      this.deps.logger.warn('Group refused by Discord', { guildId, round: roundId, group: index, step, error: error.message });
      await save({ status: 'failed', failure });
      return 'final';
    }
    const now = this.deps.clock.now().getTime();
    const attempts = group.attempts + 1;
    const firstFailedAt = group.firstFailedAt === undefined ? now : Date.parse(group.firstFailedAt);
    const retryAt = nextAttemptAt(SCHEDULED_RETRY, attempts, firstFailedAt, now, error.retryAfterMs);
    if (retryAt === undefined) {
      this.deps.logger.warn('Group delivery gave up after retries', { guildId, round: roundId, group: index, step, attempts });
      await save({ status: 'failed', failure: { kind: 'gave-up', step, code: error.code } });
      return 'final';
    }
    this.deps.logger.warn('Group delivery will be retried', {
      guildId,
      round: roundId,
      group: index,
      step,
      attempts,
      error: error.message,
    });
    await save({ attempts, firstFailedAt: new Date(firstFailedAt).toISOString(), retryAt: new Date(retryAt).toISOString(), failure });
    return 'retry';
  }

  /**
   * A group that lost members to the server: whoever is left joins a nearby group of the round,
   * preferring one not yet delivered (it simply grows), else a delivered one (added to its thread).
   */
  private async regroup(
    guildId: string,
    round: RoundRecord,
    index: number,
    group: GroupRecord,
    save: (patch: Partial<GroupRecord>) => Promise<void>,
  ): Promise<GroupOutcome> {
    const { rounds, discord, logger } = this.deps;
    const stranded = group.memberIds;
    await save({ memberIds: [], status: 'failed', failure: { kind: 'members-left' }, retryAt: undefined });
    if (group.threadId !== undefined && stranded.length > 0) {
      await discord
        .sendNote(group.threadId, { kind: 'partner-left', memberIds: stranded }, groupLocaleOf(round, group))
        .catch((error: unknown) => logger.warn('Could not tell a member their partner left', { guildId, error }));
    }
    if (stranded.length === 0) return 'final';
    const host = await this.nearbyGroup(guildId, round, index);
    if (!host) {
      await rounds.setRound(guildId, { ...round, unmatched: [...round.unmatched, ...stranded] });
      round.unmatched.push(...stranded);
      return 'final';
    }
    await rounds.setGroup(guildId, round.id, host.index, { ...host.group, memberIds: [...host.group.memberIds, ...stranded] });
    const hostThread = host.group.status === 'delivered' ? host.group.threadId : undefined;
    if (hostThread !== undefined) {
      try {
        for (const userId of stranded) await discord.addThreadMember(hostThread, userId);
        await discord.sendNote(hostThread, { kind: 'joins', memberIds: stranded }, groupLocaleOf(round, host.group));
      } catch (error) {
        // The move is stored either way; the members see the other conversation's thread when added.
        logger.warn('Could not add members to the conversation they were moved to', { guildId, round: round.id, group: host.index, error });
      }
    }
    return 'final';
  }

  /** A later group still to be delivered, else the nearest earlier delivered one (a few either way). */
  private async nearbyGroup(
    guildId: string,
    round: RoundRecord,
    index: number,
  ): Promise<{ index: number; group: GroupRecord } | undefined> {
    const reach = 8;
    const after = await this.deps.rounds.groupRange(guildId, round.id, index + 1, Math.min(round.groupCount, index + 1 + reach));
    const later = after.findIndex((group) => group?.status === 'planned' || group?.status === 'waiting');
    if (later >= 0 && after[later]) return { index: index + 1 + later, group: after[later] };
    const from = Math.max(0, index - reach);
    const before = await this.deps.rounds.groupRange(guildId, round.id, from, index);
    for (let i = before.length - 1; i >= 0; i--) {
      const group = before[i];
      if (group?.status === 'delivered') return { index: from + i, group };
    }
    return undefined;
  }

  /** Each member keeps whom they met, for repeat avoidance, novelty and /exchange me. */
  private async recordMeetings(guildId: string, round: RoundRecord, index: number, group: GroupRecord): Promise<void> {
    await this.deps.locks.run(guildId, async () => {
      const records = await this.deps.members.getMany(guildId, group.memberIds);
      for (const [position, userId] of group.memberIds.entries()) {
        const record = records[position];
        if (!record) continue;
        const meeting = {
          roundNumber: round.number,
          roundId: round.id,
          groupIndex: index,
          partnerIds: group.memberIds.filter((id) => id !== userId),
          ...(group.cultures
            ? {
                partnerCultures: Object.fromEntries(
                  Object.entries(group.cultures).filter(([id]) => id !== userId && group.memberIds.includes(id)),
                ),
              }
            : {}),
        };
        const { waitingSinceRound: _served, ...rest } = record;
        await this.deps.members.set(guildId, userId, {
          ...rest,
          meetings: [meeting, ...record.meetings.filter((kept) => kept.roundId !== round.id)].slice(0, MAX_KEPT_MEETINGS),
        });
      }
    });
  }
}
