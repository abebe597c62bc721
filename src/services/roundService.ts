import { matchMembers, pairKey, type MatchCandidate, type MatchGroup } from '../core/matching.ts';
import { isActive, languageFromLocale } from '../core/profile.ts';
import { seededRandom } from '../core/random.ts';
import { pickIcebreaker } from '../core/rotation.ts';
import { localDateOf, zonedTimeToInstant, type LocalDate } from '../core/schedule.ts';
import type { ThemeCatalog } from '../core/themes.ts';
import type { Logger } from '../logger.ts';
import type { GuildConfigStore, PairingSettings } from '../store/guildConfigStore.ts';
import type { MemberStore } from '../store/memberStore.ts';
import type { CheckInAnswer, GroupRecord, PairingState, RoundRecord, RoundStore } from '../store/roundStore.ts';
import type { Clock } from './clock.ts';
import { isDiscordFailure, type GroupIntro, type PairingChannel } from './discordPort.ts';
import type { KeyedLock } from './keyedLock.ts';
import { nonceFor } from './nonce.ts';
import { nextRoundAt, roundDueDate } from './pairingSchedule.ts';
import { UserError } from './userError.ts';

/** Pairs that met in this many most recent rounds are not paired again while avoidable. */
export const REPEAT_WINDOW_ROUNDS = 6;
/** Check-ins answered "can't make it" or left unanswered this many rounds in a row pause a member. */
export const MISSED_CHECK_INS_BEFORE_PAUSE = 3;
const KEPT_ROUNDS = REPEAT_WINDOW_ROUNDS + 2;
const ROUND_IN_PROGRESS = 'A round is being delivered right now. Wait for it to finish, then try again.';
/** Paused by Bridges until they come back themselves with /exchange join. */
const PAUSED_UNTIL_THEY_RETURN = '9999-12-31T00:00:00.000Z';

export interface RoundServiceDeps {
  readonly configs: GuildConfigStore;
  readonly members: MemberStore;
  readonly rounds: RoundStore;
  readonly catalog: ThemeCatalog;
  readonly discord: PairingChannel;
  readonly clock: Clock;
  /** Guards member records and configuration, shared with the other services. */
  readonly locks: KeyedLock;
  /**
   * Guards round records. Separate, so a long delivery doesn't block members' commands; whoever
   * needs both takes this one first.
   */
  readonly roundLocks: KeyedLock;
  readonly logger: Logger;
}

export interface RoundReport {
  readonly round: RoundRecord;
  readonly delivered: number;
  readonly pending: number;
  readonly failed: number;
}

/**
 * Pairing rounds: plan who meets whom, store the plan, then deliver it group by group, recording
 * each step before the next, so a crash or restart resumes the same round without a second thread.
 */
export class RoundService {
  constructor(private readonly deps: RoundServiceDeps) {}

  /** The scheduler's entry: resume, start due rounds, post and close check-ins; one server never stops the others. */
  async runDue(guildIds: Iterable<string>): Promise<void> {
    for (const guildId of guildIds) {
      try {
        await this.runDueFor(guildId);
      } catch (error) {
        this.deps.logger.error('Pairing work failed', { guildId, error });
      }
    }
  }

  async runDueFor(guildId: string): Promise<void> {
    const state = await this.deps.rounds.state(guildId);
    if (state.activeRoundId !== undefined) {
      await this.deliver(guildId, state.activeRoundId);
    } else {
      const settings = (await this.deps.configs.get(guildId)).pairing;
      if (settings?.enabled) {
        const due = roundDueDate(settings, state.lastScheduledDate, this.deps.clock.now());
        if (due !== undefined) await this.start(guildId, 'schedule', due);
      }
    }
    await this.postDueCheckIns(guildId);
  }

  /** When the next scheduled round starts. */
  async nextRound(guildId: string, settings: PairingSettings): Promise<Date> {
    return nextRoundAt(settings, (await this.deps.rounds.state(guildId)).lastScheduledDate, this.deps.clock.now());
  }

  /** /host start-round: a round now, refused while another is being delivered. */
  async startNow(guildId: string): Promise<RoundReport> {
    const settings = (await this.deps.configs.get(guildId)).pairing;
    if (!settings) throw new UserError('Pairing rounds are not set up yet. Choose a channel first with `/setup pairing`.');
    if ((await this.deps.rounds.state(guildId)).activeRoundId !== undefined) {
      throw new UserError(ROUND_IN_PROGRESS);
    }
    const report = await this.start(guildId, 'manual', localDateOf(this.deps.clock.now(), settings.timeZone));
    if (!report) throw new UserError(ROUND_IN_PROGRESS);
    return report;
  }

  /** Plans a round and stores it (and, for a scheduled one, its date) before the first thread. */
  private async start(guildId: string, trigger: RoundRecord['trigger'], date: LocalDate): Promise<RoundReport | undefined> {
    const planned = await this.deps.roundLocks.run(guildId, async () => {
      const state = await this.deps.rounds.state(guildId);
      if (state.activeRoundId !== undefined) return undefined;
      const settings = (await this.deps.configs.get(guildId)).pairing;
      if (!settings) return undefined;
      await this.closeCheckIns(guildId);
      const now = this.deps.clock.now();
      const candidates = await this.candidates(guildId, now);
      const number = state.roundsStarted + 1;
      const recentPairs = await this.recentPairs(guildId, state);
      const result = matchMembers(candidates, {
        seed: `${guildId}:${number}`,
        groupSize: settings.groupSize,
        defaultLanguage: languageFromLocale(this.deps.discord.preferredLocale(guildId)),
        recentPairs,
      });
      const random = seededRandom(`${guildId}:${number}:icebreakers`);
      const used = new Set<string>();
      const themeIds = this.deps.catalog.themes.map((theme) => theme.id);
      const groups: GroupRecord[] = result.groups.map((group) => {
        const icebreaker = pickIcebreaker(this.deps.catalog, themeIds, random, used);
        used.add(icebreaker.prompt.id);
        return plannedGroup(group, icebreaker.prompt.id);
      });
      const round: RoundRecord = {
        id: `${date}-${number}`,
        number,
        date,
        trigger,
        channelId: settings.channelId,
        createdAt: now.toISOString(),
        status: 'delivering',
        relaxed: [...result.relaxed],
        groups,
        unmatched: [...result.unmatched],
        checkInAt: new Date(now.getTime() + settings.followUpDays * 86_400_000).toISOString(),
        checkInStatus: 'pending',
      };
      await this.deps.rounds.setRound(guildId, round);
      const dropped = state.roundIds.slice(KEPT_ROUNDS - 1);
      await this.deps.rounds.setState(guildId, {
        ...state,
        roundsStarted: number,
        activeRoundId: round.id,
        roundIds: [round.id, ...state.roundIds.slice(0, KEPT_ROUNDS - 1)],
        ...(trigger === 'schedule' ? { lastScheduledDate: date } : {}),
      });
      for (const id of dropped) await this.deps.rounds.deleteRound(guildId, id);
      this.deps.logger.info('Round planned', {
        guildId,
        round: round.id,
        members: candidates.length,
        groups: groups.length,
        relaxed: round.relaxed,
      });
      return round;
    });
    if (!planned) return undefined;
    return this.deliver(guildId, planned.id);
  }

  /** Delivers every group not yet delivered; a failure for one group never stops the others. */
  async deliver(guildId: string, roundId: string): Promise<RoundReport | undefined> {
    return this.deps.roundLocks.run(guildId, async () => {
      let round = await this.deps.rounds.round(guildId, roundId);
      if (!round) {
        await this.finishActive(guildId, roundId);
        return undefined;
      }
      const save = async (next: RoundRecord) => {
        round = next;
        await this.deps.rounds.setRound(guildId, next);
      };
      for (let index = 0; index < round.groups.length; index++) {
        try {
          await this.deliverGroup(guildId, () => round as RoundRecord, save, index);
        } catch (error) {
          if (isDiscordFailure(error, 'channel-gone') || isDiscordFailure(error, 'missing-permission')) {
            await this.disable(
              guildId,
              error.kind === 'channel-gone'
                ? 'the pairing channel was deleted or Bridges can no longer see it'
                : `Bridges lost a permission in the pairing channel (${error.message})`,
            );
            await save(markUndelivered(round, error.message));
            break;
          }
          this.deps.logger.warn('Group delivery will be retried', {
            guildId,
            round: roundId,
            group: index,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
      const pending = round.groups.filter((group) => group.status === 'planned' || group.status === 'creating').length;
      if (pending === 0 && round.status === 'delivering') {
        await save({ ...round, status: 'delivered' });
        await this.finishActive(guildId, roundId, round);
        if (round.unmatched.length > 0) {
          await this.deps.discord
            .sendChannelNote(
              round.channelId,
              'Only one member was available for this round, so no conversations were started. Invite a friend to `/exchange join`!',
            )
            .catch((error: unknown) => this.deps.logger.warn('Could not post the round note', { guildId, error }));
        }
      }
      return {
        round,
        delivered: round.groups.filter((group) => group.status === 'delivered').length,
        pending,
        failed: round.groups.filter((group) => group.status === 'failed').length,
      };
    });
  }

  private async deliverGroup(
    guildId: string,
    current: () => RoundRecord,
    save: (round: RoundRecord) => Promise<void>,
    index: number,
  ): Promise<void> {
    const updateGroup = async (patch: Partial<GroupRecord>) => {
      const round = current();
      await save({ ...round, groups: round.groups.map((group, i) => (i === index ? { ...group, ...patch } : group)) });
    };
    let group = current().groups[index];
    if (!group || group.status === 'delivered' || group.status === 'failed') return;
    const round = current();
    const resuming = group.status === 'creating';

    if (!resuming) {
      // Members who left are dropped before anything is created for them.
      const present: string[] = [];
      for (const userId of group.memberIds) {
        if (await this.deps.discord.isMember(guildId, userId)) present.push(userId);
      }
      if (present.length < group.memberIds.length) {
        const left = group.memberIds.filter((id) => !present.includes(id));
        await updateGroup({ memberIds: present, left: [...group.left, ...left] });
        group = current().groups[index];
        if (!group) return;
      }
      if (group.memberIds.length < 2) {
        await this.regroup(current, save, index);
        return;
      }
      await updateGroup({ status: 'creating' });
    }

    const name = threadName(round, index);
    let threadId = group.threadId ?? (resuming ? await this.deps.discord.findThread(guildId, round.channelId, name) : undefined);
    if (threadId === undefined) {
      threadId = (await this.deps.discord.createPrivateThread(round.channelId, name)).threadId;
    }
    if (group.threadId !== threadId) await updateGroup({ threadId });

    for (const userId of [...(current().groups[index]?.memberIds ?? [])]) {
      try {
        await this.deps.discord.addThreadMember(threadId, userId);
      } catch (error) {
        if (!isDiscordFailure(error, 'member-gone')) throw error;
        const latest = current().groups[index];
        if (latest) await updateGroup({ memberIds: latest.memberIds.filter((id) => id !== userId), left: [...latest.left, userId] });
      }
    }
    group = current().groups[index];
    if (!group) return;
    if (group.memberIds.length < 2) {
      await this.regroup(current, save, index);
      return;
    }
    const existing = resuming ? await this.deps.discord.findBotMessage(threadId) : undefined;
    const messageId =
      existing ??
      (await this.deps.discord.sendIntro(threadId, this.intro(current(), group), nonceFor(`intro:${guildId}:${round.id}:${index}`)))
        .messageId;
    await updateGroup({ status: 'delivered', messageId });
  }

  /**
   * A group that lost members to the server: whoever is left joins another group of the round,
   * preferring one not yet delivered (it simply grows), else the last delivered one (added to its thread).
   */
  private async regroup(current: () => RoundRecord, save: (round: RoundRecord) => Promise<void>, index: number): Promise<void> {
    const round = current();
    const group = round.groups[index];
    if (!group) return;
    const stranded = group.memberIds;
    const groups = round.groups.map((candidate, i) =>
      i === index ? { ...candidate, memberIds: [], status: 'failed' as const, failure: 'members left the server' } : candidate,
    );
    const target =
      groups.findIndex((candidate, i) => i > index && candidate.status === 'planned') >= 0
        ? groups.findIndex((candidate, i) => i > index && candidate.status === 'planned')
        : groups.map((candidate) => candidate.status).lastIndexOf('delivered');
    const host = groups[target];
    if (group.threadId !== undefined && stranded.length > 0) {
      // A partner left after the thread was opened: tell whoever is already in it where they go.
      await this.deps.discord.sendNote(
        group.threadId,
        `${stranded.map((id) => `<@${id}>`).join(' and ')}, your partner left the server before this conversation began. Bridges is adding you to another conversation of this round.`,
        stranded,
      );
    }
    if (stranded.length === 0 || target < 0 || !host) {
      await save({ ...round, groups, unmatched: [...round.unmatched, ...stranded] });
      return;
    }
    groups[target] = { ...host, memberIds: [...host.memberIds, ...stranded] };
    await save({ ...round, groups });
    if (host.status === 'delivered' && host.threadId !== undefined) {
      for (const userId of stranded) await this.deps.discord.addThreadMember(host.threadId, userId);
      await this.deps.discord.sendNote(
        host.threadId,
        `${stranded.map((id) => `<@${id}>`).join(' and ')} joins this conversation: their partner left the server. Welcome!`,
        stranded,
      );
    }
  }

  private intro(round: RoundRecord, group: GroupRecord): GroupIntro {
    const icebreaker = this.deps.catalog.prompt(group.icebreakerPromptId);
    const day = Date.parse(`${round.date}T00:00:00Z`);
    return {
      memberIds: group.memberIds,
      sharedLanguages: group.reasons.sharedLanguages,
      exchanges: group.reasons.exchanges.filter(
        (exchange) => group.memberIds.includes(exchange.from) && group.memberIds.includes(exchange.to),
      ),
      differentCultures: group.reasons.differentCultures,
      overlaps: (group.reasons.overlapHoursUtc ?? []).map((window) => ({
        start: new Date(day + window.startMinute * 60_000),
        end: new Date(day + window.endMinute * 60_000),
      })),
      sharedInterests: group.reasons.sharedInterests,
      icebreaker: {
        themeTitle: icebreaker?.theme.title ?? 'Icebreaker',
        text: icebreaker?.prompt.text ?? 'What is something small that made you smile this week?',
      },
      followUpAt: new Date(round.checkInAt),
    };
  }

  private async finishActive(guildId: string, roundId: string, round?: RoundRecord): Promise<void> {
    const state = await this.deps.rounds.state(guildId);
    if (state.activeRoundId !== roundId) return;
    const delivered = round?.groups.filter((group) => group.status === 'delivered') ?? [];
    await this.deps.rounds.setState(guildId, {
      ...withoutActive(state),
      stats: {
        ...state.stats,
        // A round that found fewer than two members to pair is not counted as run.
        roundsRun: state.stats.roundsRun + (delivered.length > 0 ? 1 : 0),
        groupsDelivered: state.stats.groupsDelivered + delivered.length,
        membersPaired: state.stats.membersPaired + delivered.reduce((sum, group) => sum + group.memberIds.length, 0),
        crossCultureGroups: state.stats.crossCultureGroups + delivered.filter((group) => group.reasons.differentCultures).length,
      },
    });
    this.deps.logger.info('Round delivered', { guildId, round: roundId, groups: delivered.length });
  }

  /** Posts the check-in of every delivered round whose day has come. */
  private async postDueCheckIns(guildId: string): Promise<void> {
    await this.deps.roundLocks.run(guildId, async () => {
      const now = this.deps.clock.now();
      for (const round of await this.deps.rounds.recentRounds(guildId)) {
        if (round.status !== 'delivered' || round.checkInStatus !== 'pending' || Date.parse(round.checkInAt) > now.getTime()) continue;
        let current = round;
        let posted = 0;
        for (let index = 0; index < current.groups.length; index++) {
          const group = current.groups[index];
          if (!group || group.status !== 'delivered' || group.threadId === undefined || group.checkInMessageId !== undefined) continue;
          try {
            const { messageId } = await this.deps.discord.sendCheckIn(group.threadId, current.id, index);
            current = { ...current, groups: current.groups.map((g, i) => (i === index ? { ...g, checkInMessageId: messageId } : g)) };
            await this.deps.rounds.setRound(guildId, current);
            posted++;
          } catch (error) {
            if (!isDiscordFailure(error, 'transient')) {
              // A thread someone deleted: nothing to ask there.
              current = { ...current, groups: current.groups.map((g, i) => (i === index ? { ...g, checkInMessageId: 'unavailable' } : g)) };
              await this.deps.rounds.setRound(guildId, current);
            } else {
              this.deps.logger.warn('Check-in will be retried', { guildId, round: round.id, group: index });
            }
          }
        }
        const waiting = current.groups.some((group) => group.status === 'delivered' && group.checkInMessageId === undefined);
        if (!waiting) {
          await this.deps.rounds.setRound(guildId, { ...current, checkInStatus: 'posted' });
          const state = await this.deps.rounds.state(guildId);
          const asked = current.groups.filter(
            (group) => group.checkInMessageId !== undefined && group.checkInMessageId !== 'unavailable',
          ).length;
          await this.deps.rounds.setState(guildId, {
            ...state,
            stats: { ...state.stats, groupsCheckedIn: state.stats.groupsCheckedIn + asked },
          });
        }
        if (posted > 0) this.deps.logger.info('Check-ins posted', { guildId, round: round.id, posted });
      }
    });
  }

  /** Records a check-in answer once per member; "can't make it" and silence count towards a pause. */
  async answerCheckIn(
    guildId: string,
    roundId: string,
    groupIndex: number,
    userId: string,
    answer: CheckInAnswer,
  ): Promise<'recorded' | CheckInAnswer> {
    return this.deps.roundLocks.run(guildId, async () => {
      const round = await this.deps.rounds.round(guildId, roundId);
      const group = round?.groups[groupIndex];
      if (!round || !group) throw new UserError('This check-in is from a round Bridges no longer keeps. Thank you all the same!');
      if (!group.memberIds.includes(userId)) throw new UserError('This check-in is for the members of this conversation only.');
      const previous = group.answers[userId];
      if (previous !== undefined) return previous;
      const firstMet = answer === 'met' && !Object.values(group.answers).includes('met');
      await this.deps.rounds.setRound(guildId, {
        ...round,
        groups: round.groups.map((g, i) => (i === groupIndex ? { ...g, answers: { ...g.answers, [userId]: answer } } : g)),
      });
      if (firstMet) {
        const state = await this.deps.rounds.state(guildId);
        await this.deps.rounds.setState(guildId, {
          ...state,
          stats: { ...state.stats, groupsReportedMet: state.stats.groupsReportedMet + 1 },
        });
      }
      if (answer !== 'cant-make-it') {
        await this.deps.locks.run(guildId, async () => {
          const member = await this.deps.members.get(guildId, userId);
          if (member && member.missedFollowUps > 0) await this.deps.members.set(guildId, userId, { ...member, missedFollowUps: 0 });
        });
      }
      return 'recorded';
    });
  }

  /**
   * Closes the check-ins of rounds before the next one: every member who answered "can't make it"
   * or nothing adds one to their streak, and a streak of three pauses them (and tells them so).
   */
  private async closeCheckIns(guildId: string): Promise<void> {
    for (const round of await this.deps.rounds.recentRounds(guildId)) {
      if (round.checkInStatus !== 'posted') continue;
      for (const group of round.groups) {
        if (group.checkInMessageId === undefined || group.checkInMessageId === 'unavailable') continue;
        for (const userId of group.memberIds) {
          const answer = group.answers[userId];
          if (answer === 'met' || answer === 'not-yet') continue;
          const paused = await this.countMissedCheckIn(guildId, userId);
          if (paused && group.threadId !== undefined) {
            await this.deps.discord
              .sendNote(
                group.threadId,
                `<@${userId}>, you couldn't make it or didn't answer the last ${MISSED_CHECK_INS_BEFORE_PAUSE} check-ins, so Bridges has paused your pairing. Whenever you'd like to meet someone again, run \`/exchange join\`.`,
                [userId],
              )
              .catch((error: unknown) => this.deps.logger.warn('Could not tell a member about their pause', { guildId, userId, error }));
          }
        }
      }
      await this.deps.rounds.setRound(guildId, { ...round, checkInStatus: 'closed' });
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

  /** Active members as the matcher sees them, their UTC offset taken at the round's time. */
  private async candidates(guildId: string, now: Date): Promise<MatchCandidate[]> {
    const listed = await this.deps.members.list(guildId);
    return listed
      .filter(({ record }) => isActive(record, now))
      .map(({ userId, record }) => ({
        userId,
        languages: record.profile.languages,
        cultures: record.profile.cultures,
        curiousAbout: record.profile.curiousAbout,
        interests: record.profile.interests,
        utcOffsetMinutes: record.profile.timeZone === undefined ? undefined : utcOffsetMinutes(now, record.profile.timeZone),
      }));
  }

  private async recentPairs(guildId: string, state: PairingState): Promise<Set<string>> {
    const pairs = new Set<string>();
    for (const id of state.roundIds.slice(0, REPEAT_WINDOW_ROUNDS)) {
      const round = await this.deps.rounds.round(guildId, id);
      for (const group of round?.groups ?? []) {
        const met = [...group.memberIds, ...group.left];
        for (let i = 0; i < met.length; i++) for (let j = i + 1; j < met.length; j++) pairs.add(pairKey(met[i] ?? '', met[j] ?? ''));
      }
    }
    return pairs;
  }

  async stats(guildId: string): Promise<{ state: PairingState; optedIn: number; paused: number; active: number }> {
    const now = this.deps.clock.now();
    const listed = await this.deps.members.list(guildId);
    const optedIn = listed.filter(({ record }) => record.optedIn);
    return {
      state: await this.deps.rounds.state(guildId),
      optedIn: optedIn.length,
      paused: optedIn.filter(({ record }) => !isActive(record, now)).length,
      active: optedIn.filter(({ record }) => isActive(record, now)).length,
    };
  }

  /** Turns pairing off when its channel disappears. */
  async channelDeleted(guildId: string, channelId: string): Promise<void> {
    const settings = (await this.deps.configs.get(guildId)).pairing;
    if (settings?.enabled && settings.channelId === channelId) await this.disable(guildId, 'the pairing channel was deleted');
  }

  private async disable(guildId: string, reason: string): Promise<void> {
    await this.deps.locks.run(guildId, () =>
      this.deps.configs.update(guildId, (config) =>
        config.pairing ? { ...config, pairing: { ...config.pairing, enabled: false, disabledReason: reason } } : config,
      ),
    );
    this.deps.logger.warn('Pairing turned off', { guildId, reason });
  }
}

function plannedGroup(group: MatchGroup, icebreakerPromptId: string): GroupRecord {
  return {
    memberIds: [...group.memberIds],
    reasons: {
      sharedLanguages: [...group.reasons.sharedLanguages],
      exchanges: group.reasons.exchanges.map((exchange) => ({ from: exchange.from, to: exchange.to, topics: [...exchange.topics] })),
      differentCultures: group.reasons.differentCultures,
      ...(group.reasons.overlapHoursUtc ? { overlapHoursUtc: group.reasons.overlapHoursUtc.map((window) => ({ ...window })) } : {}),
      sharedInterests: [...group.reasons.sharedInterests],
    },
    relaxed: [...group.relaxed],
    icebreakerPromptId,
    status: 'planned',
    left: [],
    answers: {},
  };
}

function markUndelivered(round: RoundRecord, failure: string): RoundRecord {
  return {
    ...round,
    groups: round.groups.map((group) =>
      group.status === 'planned' || group.status === 'creating' ? { ...group, status: 'failed' as const, failure } : group,
    ),
  };
}

function withoutActive(state: PairingState): PairingState {
  const { activeRoundId: _done, ...rest } = state;
  return rest;
}

/** Deterministic, so a resumed round finds the thread it may already have made. */
export function threadName(round: Pick<RoundRecord, 'number' | 'date'>, index: number): string {
  return `Bridges round ${round.number} · ${round.date} · ${index + 1}`;
}

function utcOffsetMinutes(now: Date, timeZone: string): number | undefined {
  try {
    const date = localDateOf(now, timeZone);
    // Noon: no zone changes its clocks then, so the offset is unambiguous.
    const local = Date.parse(`${date}T12:00:00Z`);
    return Math.round((local - zonedTimeToInstant(date, { hour: 12, minute: 0 }, timeZone).getTime()) / 60_000);
  } catch {
    return undefined;
  }
}
