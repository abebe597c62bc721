import { describeFormedGroup, separateAvoidedPairs } from '../core/avoidedPairs.ts';
import type { Failure } from '../core/failure.ts';
import { serverLocales } from '../core/locales.ts';
import { RELAXATION_ORDER, type MatchCandidate, type MatchGroup } from '../core/matching.ts';
import { isActive, languageFromLocale } from '../core/profile.ts';
import { assignIcebreakers, CHECK_IN_WINDOW_DAYS, orderByWaiting, pairHistory } from '../core/roundPlan.ts';
import { localDateOf, utcOffsetMinutes, type LocalDate } from '../core/schedule.ts';
import type { ThemeCatalog } from '../core/themes.ts';
import type { ServerPromptSource } from './promptService.ts';
import type { Logger } from '../logger.ts';
import type { DisabledReason, GuildConfigStore, PairingSettings } from '../store/guildConfigStore.ts';
import type { MemberRecord, MemberStore } from '../store/memberStore.ts';
import type { CheckInAnswer, GroupRecord, PairingState, RoundOutcome, RoundRecord, RoundStore } from '../store/roundStore.ts';
import { CheckIns } from './checkIns.ts';
import type { Clock } from './clock.ts';
import type { PairingChannel } from './discordPort.ts';
import { FINAL_GROUP_STATUSES, GroupDelivery, ThreadRoom, type GroupOutcome } from './groupDelivery.ts';
import { groupIntro } from './groupIntro.ts';
import { roundLocale } from './roundLocale.ts';
import type { Locks } from './keyedLock.ts';
import type { Matcher } from './matcher.ts';
import { weekThemeOf } from './promptWeeks.ts';
import { nextRoundAt, roundDueDate } from './pairingSchedule.ts';
import { SliceBudget } from './sliceBudget.ts';
import type { Telemetry } from './telemetry.ts';
import { UserError } from './userError.ts';

export { MISSED_CHECK_INS_BEFORE_PAUSE } from './checkIns.ts';
export { REPEAT_WINDOW_ROUNDS } from '../core/roundPlan.ts';

/** Rounds kept (with their groups) for check-ins, stats and /exchange forget. */
const KEPT_ROUNDS = 8;
/** While a server is at its thread limit, look for room this often (sooner when our own threads are archived). */
const ROOM_RECHECK_MS = 15 * 60_000;
/** /host start-round delivers while the moderator waits this long, then replies and leaves the rest to the scheduler. */
const START_ROUND_REPLY_WITHIN_MS = 3_000;

export interface RoundServiceDeps {
  readonly configs: GuildConfigStore;
  readonly members: MemberStore;
  readonly rounds: RoundStore;
  readonly catalog: ThemeCatalog;
  readonly discord: PairingChannel;
  readonly clock: Clock;
  /** Guards member records and configuration, shared with the other services. */
  readonly locks: Locks;
  /**
   * Guards round records. Separate, so a long delivery doesn't block members' commands; whoever
   * needs both takes this one first.
   */
  readonly roundLocks: Locks;
  readonly match: Matcher;
  /** Tells the scheduler the pairing lane's due time changed (a round started by a moderator). */
  readonly onScheduleChange: (guildId: string) => Promise<void>;
  readonly logger: Logger;
  readonly telemetry?: Telemetry;
  /** Pairs (by pairKey) whose members asked never to be paired again: never relaxed. */
  readonly avoidedPairs?: (guildId: string) => Promise<ReadonlySet<string>>;
  /** Data other services keep per round (takeaways), deleted with a round that leaves the kept history. */
  readonly onRoundDropped?: (guildId: string, round: RoundRecord) => Promise<void>;
  /** The server's bank (built-in prompts it kept plus its own), where icebreakers come from. */
  readonly serverPrompts?: Pick<ServerPromptSource, 'catalogFor'>;
}

export interface RoundReport {
  readonly round: RoundRecord;
  readonly delivered: number;
  readonly membersDelivered: number;
  /** Still to be delivered: not tried yet, or retried after a transient failure. */
  readonly pending: number;
  /** Waiting for room for threads. */
  readonly waiting: number;
  readonly failed: number;
  /** Members who had left the server: skipped at planning or found gone while adding them. */
  readonly left: number;
}

/**
 * Pairing rounds: plan who meets whom, store the plan, then deliver it group by group in slices,
 * each step stored before the next, so a crash or restart resumes the same round without a second
 * thread; then check-ins and, when their window closes, archiving.
 */
export class RoundService {
  private readonly delivery: GroupDelivery;
  private readonly checkIns: CheckIns;

  constructor(private readonly deps: RoundServiceDeps) {
    this.delivery = new GroupDelivery(deps);
    this.checkIns = new CheckIns(deps);
  }

  /** The scheduler's lane: one slice of this server's pairing work; returns when it is next due. */
  async runDue(guildId: string): Promise<Date | undefined> {
    await this.deps.roundLocks.run(guildId, () => this.work(guildId, new SliceBudget()));
    return this.nextDue(guildId);
  }

  /** When this server's pairing work is next due (undefined: nothing scheduled). */
  async nextDue(guildId: string): Promise<Date | undefined> {
    const now = this.deps.clock.now();
    const settings = (await this.deps.configs.get(guildId)).pairing;
    const state = await this.deps.rounds.state(guildId);
    const times: number[] = [];
    for (const round of await this.deps.rounds.recentRounds(guildId)) {
      const at = roundDueAt(round, now);
      if (at !== undefined) times.push(at);
    }
    if (settings?.enabled) times.push(nextRoundAt(settings, state.lastScheduledDate, now).getTime());
    return times.length === 0 ? undefined : new Date(Math.min(...times));
  }

  /** When the next scheduled round starts. */
  async nextRound(guildId: string, settings: PairingSettings): Promise<Date> {
    return nextRoundAt(settings, (await this.deps.rounds.state(guildId)).lastScheduledDate, this.deps.clock.now());
  }

  /** /host start-round: a round now, refused while another is being delivered. */
  async startNow(guildId: string): Promise<RoundReport> {
    const until = Date.now() + START_ROUND_REPLY_WITHIN_MS;
    const settings = (await this.deps.configs.get(guildId)).pairing;
    if (!settings) throw new UserError('pairing-not-set-up');
    // Asked before waiting for the lock, which a delivery slice may hold: the moderator hears at once.
    if ((await this.activeRound(guildId))?.status === 'delivering') throw new UserError('round-in-progress');
    const started = await this.deps.roundLocks.run(guildId, async () => {
      const active = await this.activeRound(guildId);
      if (active?.status === 'delivering') throw new UserError('round-in-progress');
      if (!(await this.closeEarlierRounds(guildId, SliceBudget.unlimited()))) throw new UserError('round-in-progress');
      return this.plan(guildId, 'manual', localDateOf(this.deps.clock.now(), settings.timeZone));
    });
    let round = started;
    // At least one slice (a round with nobody to pair ends in it), then on while groups remain to try.
    for (
      let first = true;
      round.status === 'delivering' && (first || round.cursor < round.groupCount) && Date.now() < until;
      first = false
    ) {
      round = await this.deps.roundLocks.run(guildId, async () => {
        const current = await this.deps.rounds.round(guildId, started.id);
        const budget = new SliceBudget(25, Math.max(0, until - Date.now()));
        return current?.status === 'delivering' ? this.deliverSlice(guildId, current, budget) : (current ?? round);
      });
    }
    await this.deps.onScheduleChange(guildId);
    return this.report(guildId, round);
  }

  /** Records a check-in answer once per member; "can't make it" and silence count towards a pause. */
  async answerCheckIn(
    guildId: string,
    roundId: string,
    groupIndex: number,
    userId: string,
    answer: CheckInAnswer,
  ): Promise<'recorded' | CheckInAnswer> {
    return this.deps.roundLocks.run(guildId, () => this.checkIns.answer(guildId, roundId, groupIndex, userId, answer));
  }

  async stats(
    guildId: string,
  ): Promise<{ state: PairingState; optedIn: number; paused: number; active: number; lastRound: RoundRecord | undefined }> {
    const now = this.deps.clock.now();
    const listed = await this.deps.members.list(guildId);
    const optedIn = listed.filter(({ record }) => record.optedIn);
    const state = await this.deps.rounds.state(guildId);
    return {
      state,
      optedIn: optedIn.length,
      paused: optedIn.filter(({ record }) => !isActive(record, now)).length,
      active: optedIn.filter(({ record }) => isActive(record, now)).length,
      lastRound: await this.lastRound(guildId, state),
    };
  }

  /** The newest round, for its outcome in /setup show and /host stats. */
  async lastRound(guildId: string, state?: PairingState): Promise<RoundRecord | undefined> {
    const id = (state ?? (await this.deps.rounds.state(guildId))).roundIds[0];
    return id === undefined ? undefined : this.deps.rounds.round(guildId, id);
  }

  /** Turns pairing off when its channel disappears. */
  async channelDeleted(guildId: string, channelId: string): Promise<void> {
    const settings = (await this.deps.configs.get(guildId)).pairing;
    if (settings?.enabled && settings.channelId === channelId) await this.disable(guildId, 'channel-deleted');
  }

  // ---- the lane ------------------------------------------------------------------------------

  private async work(guildId: string, budget: SliceBudget): Promise<void> {
    const now = this.deps.clock.now();
    const settings = (await this.deps.configs.get(guildId)).pairing;
    const active = await this.activeRound(guildId);
    if (active && turnedOffSince(settings, active)) {
      await this.endRound(guildId, active, { kind: 'cancelled' }, 'cancelled');
    } else if (active && (active.status === 'delivering' || isDue(active.retryAt, now))) {
      await this.deliverSlice(guildId, active, budget);
    }

    for (const round of await this.deps.rounds.recentRounds(guildId)) {
      if (budget.spent) return;
      // A round still waiting for room asks its delivered groups too: archiving their threads makes the room.
      const asking = isFinished(round) || round.status === 'waiting-room';
      if (asking && (round.checkInStatus === 'pending' || round.checkInStatus === 'posting') && isDue(round.checkInAt, now)) {
        if (round.checkInStatus === 'pending' || round.status === 'waiting-room' || isDue(round.retryAt, now)) {
          const posted = await this.checkIns.post(guildId, round, budget);
          if (posted.retryAt) await this.deps.rounds.setRound(guildId, { ...posted.round, retryAt: posted.retryAt.toISOString() });
        }
      } else if ((round.checkInStatus === 'posted' && isDue(round.checkInClosesAt, now)) || round.checkInStatus === 'closing') {
        await this.closeWindow(guildId, round, budget);
      }
    }

    if (!settings?.enabled || budget.spent) return;
    const state = await this.deps.rounds.state(guildId);
    const due = roundDueDate(settings, state.lastScheduledDate, now);
    if (due === undefined) return;
    const current = await this.activeRound(guildId);
    if (current?.status === 'delivering') return;
    if (!(await this.closeEarlierRounds(guildId, budget))) return;
    const round = await this.plan(guildId, 'schedule', due);
    await this.deliverSlice(guildId, round, budget);
  }

  private async activeRound(guildId: string): Promise<RoundRecord | undefined> {
    const state = await this.deps.rounds.state(guildId);
    if (state.activeRoundId === undefined) return undefined;
    const round = await this.deps.rounds.round(guildId, state.activeRoundId);
    if (round && (round.status === 'delivering' || round.status === 'waiting-room')) return round;
    await this.deps.rounds.setState(guildId, withoutActive(state));
    return undefined;
  }

  /**
   * Before a new round: a round still waiting for room ends (its waiting members go first in the new
   * round), and open check-in windows close, so missed answers count before anyone is paired again.
   * False when that work needs another slice.
   */
  private async closeEarlierRounds(guildId: string, budget: SliceBudget): Promise<boolean> {
    const waiting = await this.activeRound(guildId);
    if (waiting?.status === 'waiting-room') await this.endRound(guildId, waiting, { kind: 'no-room', step: 'thread' }, 'delivered');
    for (const round of await this.deps.rounds.recentRounds(guildId)) {
      if (round.checkInStatus !== 'posted' && round.checkInStatus !== 'closing') continue;
      const closed = await this.closeWindow(guildId, round, budget);
      if (closed.checkInStatus !== 'closed') return false;
    }
    return true;
  }

  private async closeWindow(guildId: string, round: RoundRecord, budget: SliceBudget): Promise<RoundRecord> {
    const closed = await this.checkIns.close(guildId, round, budget);
    if (closed.checkInStatus === 'closed') {
      // Archiving freed room: a round waiting for it is tried again now.
      const active = await this.activeRound(guildId);
      if (active?.status === 'waiting-room')
        await this.deps.rounds.setRound(guildId, { ...active, retryAt: this.deps.clock.now().toISOString() });
    }
    return closed;
  }

  // ---- planning ------------------------------------------------------------------------------

  /** Plans a round and stores it (every group, then the round, then the server's state) before the first thread. */
  private async plan(guildId: string, trigger: RoundRecord['trigger'], date: LocalDate): Promise<RoundRecord> {
    const state = await this.deps.rounds.state(guildId);
    const settings = (await this.deps.configs.get(guildId)).pairing;
    if (!settings) throw new UserError('pairing-not-set-up');
    const number = state.roundsStarted + 1;
    const id = `${date}-${number}`;
    const stored = await this.deps.rounds.round(guildId, id);
    // A plan stored just before a crash: resume it rather than plan another.
    const round = stored ?? (await this.newPlan(guildId, settings, id, number, date, trigger));

    const dropped = state.roundIds.slice(KEPT_ROUNDS - 1);
    await this.deps.rounds.setState(guildId, {
      ...state,
      roundsStarted: number,
      activeRoundId: round.id,
      roundIds: [round.id, ...state.roundIds.slice(0, KEPT_ROUNDS - 1)],
      ...(trigger === 'schedule' ? { lastScheduledDate: date } : {}),
    });
    for (const droppedId of dropped) {
      const old = await this.deps.rounds.round(guildId, droppedId);
      if (old) {
        await this.deps.onRoundDropped?.(guildId, old);
        await this.deps.rounds.deleteRound(guildId, old);
      }
    }
    return round;
  }

  private async newPlan(
    guildId: string,
    settings: PairingSettings,
    id: string,
    number: number,
    date: LocalDate,
    trigger: RoundRecord['trigger'],
  ): Promise<RoundRecord> {
    const now = this.deps.clock.now();
    const active = (await this.deps.members.list(guildId)).filter(({ record }) => isActive(record, now));
    const present = await this.deps.discord.presentMembers(
      guildId,
      active.map(({ userId }) => userId),
    );
    const members = active.filter(({ userId }) => present.has(userId));
    const config = await this.deps.configs.get(guildId);
    const locale = serverLocales(config.language, this.deps.discord.preferredLocale(guildId))[0] ?? 'en-US';
    const history = pairHistory(
      members.map(({ userId, record }) => ({ userId, meetings: record.meetings })),
      number,
    );
    const avoided = (await this.deps.avoidedPairs?.(guildId)) ?? new Set<string>();
    const candidates = members.map(candidateOf(now));
    const defaultLanguage = languageFromLocale(locale);
    // The matcher avoids recent pairs whenever it can; the post-check below makes avoided pairs absolute.
    const matched = await this.deps.match(candidates, {
      seed: `${guildId}:${number}`,
      groupSize: settings.groupSize,
      defaultLanguage,
      recentPairs: avoided.size === 0 ? history.recentPairs : new Set([...history.recentPairs, ...avoided]),
      lastMet: history.lastMet,
    });
    const byId = new Map(candidates.map((candidate) => [candidate.userId, candidate]));
    const separated = separateAvoidedPairs(matched.groups, avoided, (ids) =>
      describeFormedGroup(
        ids.map((id) => byId.get(id)!),
        { defaultLanguage, recentPairs: history.recentPairs },
      ),
    );
    const result = {
      groups: separated.groups,
      relaxed: RELAXATION_ORDER.filter((kind) => separated.groups.some((group) => group.relaxed.includes(kind))),
      unmatched: [...matched.unmatched, ...separated.unmatched],
    };
    const waitingSince = new Map(
      members.flatMap(({ userId, record }) =>
        record.waitingSinceRound === undefined ? [] : [[userId, record.waitingSinceRound] as const],
      ),
    );
    const groups = orderByWaiting(result.groups, waitingSince);
    const weekTheme = weekThemeOf(config, this.deps.catalog, date);
    const icebreakers = assignIcebreakers(
      icebreakerCatalog(await this.catalogFor(guildId), weekTheme),
      groups.length,
      `${guildId}:${number}:icebreakers`,
      weekTheme === undefined ? undefined : [weekTheme],
    );
    const culturesOf = new Map(members.map(({ userId, record }) => [userId, record.profile.cultures] as const));
    for (const [index, group] of groups.entries()) {
      await this.deps.rounds.setGroup(guildId, id, index, plannedGroup(group, icebreakers[index] ?? '', culturesOf));
    }
    const checkInAt = now.getTime() + settings.followUpDays * 86_400_000;
    const round: RoundRecord = {
      id,
      number,
      date,
      trigger,
      channelId: settings.channelId,
      locale,
      createdAt: now.toISOString(),
      status: 'delivering',
      relaxed: [...result.relaxed],
      groupCount: groups.length,
      cursor: 0,
      retry: [],
      unmatched: [...result.unmatched],
      leftBeforePlanning: active.length - members.length,
      checkInAt: new Date(checkInAt).toISOString(),
      checkInStatus: 'pending',
      checkInCursor: 0,
      checkInClosesAt: new Date(checkInAt + CHECK_IN_WINDOW_DAYS * 86_400_000).toISOString(),
    };
    await this.deps.rounds.setRound(guildId, round);
    this.deps.logger.info('Round planned', {
      guildId,
      round: id,
      members: members.length,
      left: round.leftBeforePlanning,
      groups: groups.length,
      relaxed: round.relaxed,
    });
    return round;
  }

  // ---- delivery ------------------------------------------------------------------------------

  /**
   * Delivers groups from the round's cursor, then retries those that failed transiently, until the
   * budget is spent. Stops at Discord's thread limit (the rest wait for room) and ends the round
   * once every group reached an end.
   */
  private async catalogFor(guildId: string): Promise<ThemeCatalog> {
    return this.deps.serverPrompts ? this.deps.serverPrompts.catalogFor(guildId) : this.deps.catalog;
  }

  private async deliverSlice(guildId: string, stored: RoundRecord, budget: SliceBudget): Promise<RoundRecord> {
    let round: RoundRecord = { ...stored, status: 'delivering', retry: [...stored.retry] };
    const room = new ThreadRoom(() => this.deps.discord.activeThreadCount(guildId));
    const catalog = await this.catalogFor(guildId);
    const intro = (group: GroupRecord) => groupIntro(catalog, round, group);
    let stop: Failure | undefined;
    const handle = (outcome: GroupOutcome, index: number): boolean => {
      if (outcome === 'no-room') {
        round = { ...round, status: 'waiting-room', retryAt: new Date(this.deps.clock.now().getTime() + ROOM_RECHECK_MS).toISOString() };
        return false;
      }
      if (typeof outcome === 'object') {
        stop = outcome.stop;
        return false;
      }
      if (outcome === 'retry' && !round.retry.includes(index)) round.retry.push(index);
      if (outcome === 'final') round.retry = round.retry.filter((i) => i !== index);
      return true;
    };

    while (round.cursor < round.groupCount && !budget.spent) {
      budget.step();
      // Read before every group, not every slice: /setup off stops the rest of a round at once, from any process.
      if (turnedOffSince((await this.deps.configs.get(guildId)).pairing, round)) {
        return this.endRound(guildId, round, { kind: 'cancelled' }, 'cancelled');
      }
      const index = round.cursor;
      if (!handle(await this.delivery.deliver(guildId, round, index, room, intro), index)) break;
      round = { ...round, cursor: index + 1 };
    }
    if (round.status === 'delivering' && stop === undefined && round.cursor >= round.groupCount) {
      for (const index of [...round.retry]) {
        if (budget.spent) break;
        budget.step();
        if (!handle(await this.delivery.deliver(guildId, round, index, room, intro), index)) break;
      }
    }

    if (stop !== undefined) {
      await this.disable(guildId, stop.kind === 'channel-gone' ? 'channel-gone' : 'missing-permission');
      return this.endRound(guildId, round, stop, 'delivered');
    }
    if (round.status === 'delivering' && round.cursor >= round.groupCount) {
      if (round.retry.length === 0) return this.endRound(guildId, round);
      const retries = await this.deps.rounds.groupsAt(guildId, round.id, round.retry);
      const next = Math.min(...retries.map((group) => (group?.retryAt === undefined ? 0 : Date.parse(group.retryAt))));
      round = { ...round, retryAt: new Date(next).toISOString() };
    }
    if (round.status === 'waiting-room') {
      round = { ...round, outcome: await this.outcome(guildId, round) };
      this.deps.logger.warn('Round waiting for room for threads', { guildId, round: round.id, waiting: round.outcome?.waiting });
    }
    await this.deps.rounds.setRound(guildId, round);
    return round;
  }

  /**
   * Ends a round: groups not yet delivered end with `failure` (when given), the outcome and the
   * server's counters are recorded, members of undelivered groups go first next round.
   */
  private async endRound(
    guildId: string,
    round: RoundRecord,
    failure?: Failure,
    status: 'delivered' | 'cancelled' = 'delivered',
  ): Promise<RoundRecord> {
    const groups = await this.deps.rounds.groupRange(guildId, round.id, 0, round.groupCount);
    const now = this.deps.clock.now();
    const waitingMembers: string[] = [];
    for (const [index, group] of groups.entries()) {
      if (!group || FINAL_GROUP_STATUSES.has(group.status)) {
        if (group && group.status !== 'delivered') waitingMembers.push(...group.memberIds);
        continue;
      }
      const ended: GroupRecord = {
        ...group,
        status: failure?.kind === 'cancelled' ? 'cancelled' : 'failed',
        failure: failure ?? group.failure ?? { kind: 'gave-up' },
      };
      await this.deps.rounds.setGroup(guildId, round.id, index, ended);
      groups[index] = ended;
      waitingMembers.push(...group.memberIds);
    }
    const outcome = summarize(groups);
    const finished: RoundRecord = { ...round, status, retry: [], outcome, finishedAt: now.toISOString() };
    await this.deps.rounds.setRound(guildId, finished);
    const state = await this.deps.rounds.state(guildId);
    const delivered = groups.filter((group): group is GroupRecord => group?.status === 'delivered');
    await this.deps.rounds.setState(guildId, {
      ...(state.activeRoundId === round.id ? withoutActive(state) : state),
      stats: {
        ...state.stats,
        // A round that found fewer than two members to pair is not counted as run.
        roundsRun: state.stats.roundsRun + (delivered.length > 0 ? 1 : 0),
        groupsDelivered: state.stats.groupsDelivered + delivered.length,
        membersPaired: state.stats.membersPaired + outcome.membersDelivered,
        crossCultureGroups: state.stats.crossCultureGroups + delivered.filter((group) => group.reasons.differentCultures).length,
        groupsFailed: state.stats.groupsFailed + outcome.failed + outcome.cancelled,
      },
    });
    await this.markWaiting(guildId, waitingMembers, round.number);
    this.deps.logger.info('Round ended', { guildId, round: round.id, status, ...outcome });
    this.deps.telemetry?.groupsEnded('delivered', outcome.delivered);
    this.deps.telemetry?.groupsEnded('failed', outcome.failed);
    this.deps.telemetry?.groupsEnded('cancelled', outcome.cancelled);
    if (round.unmatched.length > 0) {
      await this.deps.discord
        .sendChannelNote(round.channelId, { kind: 'only-one-member' }, roundLocale(round))
        .catch((error: unknown) => this.deps.logger.warn('Could not post the round note', { guildId, error }));
    }
    return finished;
  }

  /** Members whose group could not be delivered go first in the next round. */
  private async markWaiting(guildId: string, userIds: readonly string[], roundNumber: number): Promise<void> {
    if (userIds.length === 0) return;
    await this.deps.locks.run(guildId, async () => {
      const records = await this.deps.members.getMany(guildId, userIds);
      for (const [index, userId] of userIds.entries()) {
        const record = records[index];
        if (record && record.waitingSinceRound === undefined) {
          await this.deps.members.set(guildId, userId, { ...record, waitingSinceRound: roundNumber });
        }
      }
    });
  }

  private async outcome(guildId: string, round: RoundRecord): Promise<RoundOutcome> {
    return summarize(await this.deps.rounds.groupRange(guildId, round.id, 0, round.groupCount), round.status === 'waiting-room');
  }

  private async report(guildId: string, round: RoundRecord): Promise<RoundReport> {
    const groups = await this.deps.rounds.groupRange(guildId, round.id, 0, round.groupCount);
    const roomFull = round.status === 'waiting-room';
    const outcome = summarize(groups, roomFull);
    const left = round.leftBeforePlanning + groups.reduce((sum, group) => sum + (group?.left.length ?? 0), 0);
    const pending = roomFull ? 0 : groups.filter((group) => group?.status === 'planned' || group?.status === 'creating').length;
    return {
      round,
      delivered: outcome.delivered,
      membersDelivered: outcome.membersDelivered,
      pending,
      waiting: outcome.waiting,
      failed: outcome.failed,
      left,
    };
  }

  private async disable(guildId: string, reason: DisabledReason): Promise<void> {
    await this.deps.locks.run(guildId, () =>
      this.deps.configs.update(guildId, (config) =>
        config.pairing
          ? {
              ...config,
              pairing: { ...config.pairing, enabled: false, disabledReason: reason, disabledAt: this.deps.clock.now().toISOString() },
            }
          : config,
      ),
    );
    this.deps.logger.warn('Pairing turned off', { guildId, reason });
  }
}

/** When a stored round next needs work, if it does. */
function roundDueAt(round: RoundRecord, now: Date): number | undefined {
  if (round.status === 'delivering') {
    return round.cursor < round.groupCount || round.retryAt === undefined ? now.getTime() : Date.parse(round.retryAt);
  }
  const times: number[] = [];
  if (round.status === 'waiting-room') times.push(round.retryAt === undefined ? now.getTime() : Date.parse(round.retryAt));
  switch (round.checkInStatus) {
    case 'pending':
      times.push(Date.parse(round.checkInAt));
      break;
    case 'posting':
      times.push(
        Math.max(
          Date.parse(round.checkInAt),
          round.status !== 'waiting-room' && round.retryAt !== undefined ? Date.parse(round.retryAt) : 0,
        ),
      );
      break;
    case 'posted':
      times.push(Date.parse(round.checkInClosesAt));
      break;
    case 'closing':
      times.push(now.getTime());
      break;
    case 'closed':
      break;
  }
  return times.length === 0 ? undefined : Math.min(...times);
}

/** Pairing was turned off after the round began (a round a moderator starts while it is off goes on). */
function turnedOffSince(settings: PairingSettings | undefined, round: RoundRecord): boolean {
  if (!settings) return true;
  if (settings.enabled) return false;
  return settings.disabledAt === undefined || Date.parse(settings.disabledAt) >= Date.parse(round.createdAt);
}

function isFinished(round: RoundRecord): boolean {
  return round.status === 'delivered' || round.status === 'cancelled';
}

function isDue(at: string | undefined, now: Date): boolean {
  return at === undefined || Date.parse(at) <= now.getTime();
}

/** `roomFull`: the round waits for room for threads, so every group not yet delivered is waiting for it. */
function summarize(groups: readonly (GroupRecord | undefined)[], roomFull = false): RoundOutcome {
  const counts = { delivered: 0, failed: 0, cancelled: 0, waiting: 0, membersDelivered: 0 };
  const reasons = new Map<string, { failure: Failure; count: number }>();
  for (const group of groups) {
    // A group re-formed because members left is no failure: its members joined other groups.
    if (!group || group.failure?.kind === 'members-left') continue;
    if (group.status === 'delivered') {
      counts.delivered += 1;
      counts.membersDelivered += group.memberIds.length;
    } else if (group.status === 'failed' || group.status === 'cancelled') {
      counts[group.status] += 1;
      const failure = group.failure ?? { kind: 'gave-up' };
      const key = JSON.stringify([failure.kind, failure.step, failure.code, failure.detail]);
      const entry = reasons.get(key) ?? { failure, count: 0 };
      entry.count += 1;
      reasons.set(key, entry);
    } else if (group.status === 'waiting' || roomFull) {
      counts.waiting += 1;
    }
  }
  const top = [...reasons.values()].sort((a, b) => b.count - a.count)[0];
  return { ...counts, ...(top ? { topFailure: top } : {}) };
}

function candidateOf(now: Date) {
  // Members share a few dozen zones; each offset is worked out once per round.
  const offsets = new Map<string, number | undefined>();
  const offsetOf = (zone: string) => {
    if (!offsets.has(zone)) offsets.set(zone, utcOffsetMinutes(now, zone));
    return offsets.get(zone);
  };
  return ({ userId, record }: { userId: string; record: MemberRecord }): MatchCandidate => ({
    userId,
    languages: record.profile.languages,
    cultures: record.profile.cultures,
    curiousAbout: record.profile.curiousAbout,
    interests: record.profile.interests,
    utcOffsetMinutes: record.profile.timeZone === undefined ? undefined : offsetOf(record.profile.timeZone),
  });
}

function plannedGroup(group: MatchGroup, icebreakerPromptId: string, culturesOf: ReadonlyMap<string, readonly string[]>): GroupRecord {
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
    attempts: 0,
    answers: {},
    cultures: Object.fromEntries(group.memberIds.map((id) => [id, [...(culturesOf.get(id) ?? [])]])),
  };
}

function withoutActive(state: PairingState): PairingState {
  const { activeRoundId: _done, ...rest } = state;
  return rest;
}

/**
 * During a themed week the icebreakers stay in its theme: when the server switched off that theme's
 * built-in icebreakers, its other prompts (its own among them) come before other themes' icebreakers.
 * A theme left with no prompt at all falls back to the whole bank.
 */
function icebreakerCatalog(catalog: ThemeCatalog, weekTheme: string | undefined): ThemeCatalog {
  if (weekTheme === undefined) return catalog;
  const themes = catalog.themes.filter((theme) => theme.id === weekTheme && theme.prompts.length > 0);
  return themes.length === 0 ? catalog : { ...catalog, themes };
}
