import { applyProfileInput, isActive, isPaused, type ProfileInput } from '../core/profile.ts';
import type { Logger } from '../logger.ts';
import type { GuildConfigStore } from '../store/guildConfigStore.ts';
import { EMPTY_PROFILE, type MemberProfile, type MemberRecord, type MemberStore } from '../store/memberStore.ts';
import type { ServerPromptSource } from './promptService.ts';
import type { ThemeCatalog } from '../core/themes.ts';
import { type CheckInAnswer, type GroupRecord, type RoundRecord, type RoundStore } from '../store/roundStore.ts';
import type { Clock } from './clock.ts';
import type { PairingChannel } from './discordPort.ts';
import { groupIntro } from './groupIntro.ts';
import type { Locks } from './keyedLock.ts';
import { nextRoundAt } from './pairingSchedule.ts';
import { UserError } from './userError.ts';

export interface ExchangeServiceDeps {
  readonly configs: GuildConfigStore;
  readonly members: MemberStore;
  readonly rounds: RoundStore;
  readonly clock: Clock;
  readonly locks: Locks;
  /** The round service's lock: forgetting must not interleave with a round being written. */
  readonly roundLocks: Locks;
  /** To rewrite introductions after /exchange forget. */
  readonly discord: Pick<PairingChannel, 'editIntro'>;
  readonly catalog: ThemeCatalog;
  /** The server's own prompts: an introduction is redrawn with the icebreaker it was sent with. */
  readonly serverPrompts?: Pick<ServerPromptSource, 'catalogFor'>;
  readonly logger: Logger;
}

/** joined: newly in. resumed: was paused, now in again. already-in: nothing changed. */
export type JoinOutcome = 'joined' | 'resumed' | 'already-in';

export const MIN_PAUSE_WEEKS = 1;
export const MAX_PAUSE_WEEKS = 12;
const WEEK_MS = 7 * 86_400_000;

/** Everything Bridges keeps about one member in one server, for /exchange me. */
export interface MemberOverview {
  readonly record: MemberRecord | undefined;
  /** Whether the member takes part in the next round. */
  readonly active: boolean;
  readonly paused: boolean;
  /** How many rounds Bridges still keeps, and how many of them grouped this member. */
  readonly roundsKept: number;
  readonly roundsPaired: number;
  readonly answers: Readonly<Record<CheckInAnswer, number>>;
  readonly pairing: PairingStatus;
}

export type PairingStatus =
  | { readonly state: 'not-set-up' }
  | { readonly state: 'off'; readonly reason?: string | undefined }
  | { readonly state: 'on'; readonly channelId: string; readonly nextRoundAt: Date };

/** Members managing their own part in pairing rounds: opt-in, profile, pause, leave, forget. */
export class ExchangeService {
  constructor(private readonly deps: ExchangeServiceDeps) {}

  /**
   * Whether /exchange join has to ask for a profile first. Read without the server's lock: the
   * answer decides whether the first response is a form, which can't wait behind a running round.
   */
  async needsProfile(guildId: string, userId: string): Promise<boolean> {
    return (await this.deps.members.get(guildId, userId))?.profileSavedAt === undefined;
  }

  /** Opts in a member who already saved a profile, or ends their pause. */
  async join(guildId: string, userId: string): Promise<JoinOutcome> {
    return this.deps.locks.run(guildId, async () => {
      const record = await this.deps.members.get(guildId, userId);
      if (record?.profileSavedAt === undefined) {
        throw new UserError('profile-needed');
      }
      const { outcome, joined } = optIn(record, this.deps.clock.now());
      if (outcome !== 'already-in') await this.deps.members.set(guildId, userId, joined);
      return outcome;
    });
  }

  /** The join form: saves the profile (refusing it whole if any field is invalid) and opts in. */
  async joinWithProfile(guildId: string, userId: string, input: ProfileInput): Promise<{ outcome: JoinOutcome; profile: MemberProfile }> {
    return this.deps.locks.run(guildId, async () => {
      const record = await this.deps.members.get(guildId, userId);
      const { outcome, joined } = optIn(this.withProfile(record, input), this.deps.clock.now());
      await this.deps.members.set(guildId, userId, joined);
      return { outcome, profile: joined.profile };
    });
  }

  /** Changes the fields present in `input`; works before joining too, so join won't ask again. */
  async updateProfile(guildId: string, userId: string, input: ProfileInput): Promise<MemberRecord> {
    return this.deps.locks.run(guildId, async () => {
      const saved = this.withProfile(await this.deps.members.get(guildId, userId), input);
      await this.deps.members.set(guildId, userId, saved);
      return saved;
    });
  }

  async member(guildId: string, userId: string): Promise<MemberRecord | undefined> {
    return this.deps.members.get(guildId, userId);
  }

  /** Skips rounds for `weeks` weeks; the member is back in by themselves afterwards. */
  async pause(guildId: string, userId: string, weeks: number): Promise<Date> {
    if (!Number.isInteger(weeks) || weeks < MIN_PAUSE_WEEKS || weeks > MAX_PAUSE_WEEKS) {
      throw new UserError('bad-pause-weeks', { min: MIN_PAUSE_WEEKS, max: MAX_PAUSE_WEEKS });
    }
    return this.deps.locks.run(guildId, async () => {
      const record = await this.deps.members.get(guildId, userId);
      if (!record?.optedIn) {
        throw new UserError('not-in-exchange');
      }
      const now = this.deps.clock.now();
      const until = new Date(now.getTime() + weeks * WEEK_MS);
      await this.deps.members.set(guildId, userId, {
        ...record,
        pausedUntil: until.toISOString(),
        pauseReason: 'member',
        updatedAt: now.toISOString(),
      });
      return until;
    });
  }

  /** Opts out, keeping the profile and the round history; false when they were not in. */
  async leave(guildId: string, userId: string): Promise<boolean> {
    return this.deps.locks.run(guildId, async () => {
      const record = await this.deps.members.get(guildId, userId);
      if (!record?.optedIn) return false;
      const { optedInAt: _since, pausedUntil: _until, pauseReason: _reason, ...kept } = record;
      await this.deps.members.set(guildId, userId, { ...kept, optedIn: false, updatedAt: this.deps.clock.now().toISOString() });
      return true;
    });
  }

  /**
   * Deletes the member's record, removes them from every stored round and from their partners'
   * histories, and rewrites the introductions that quoted their profile; only the anonymous
   * counters stay. Returns false when nothing was stored about them.
   */
  async forget(guildId: string, userId: string): Promise<boolean> {
    // Same order as the round service takes them (round, then member), so the two never deadlock.
    return this.deps.roundLocks.run(guildId, () =>
      this.deps.locks.run(guildId, async () => {
        const record = await this.deps.members.get(guildId, userId);
        let found = record !== undefined;
        if (record) {
          await this.deps.members.delete(guildId, userId);
          await this.forgetInPartnersHistory(guildId, userId, record);
        }
        for (const round of await this.deps.rounds.recentRounds(guildId)) {
          if (round.unmatched.includes(userId)) {
            found = true;
            await this.deps.rounds.setRound(guildId, { ...round, unmatched: round.unmatched.filter((id) => id !== userId) });
          }
          const groups = await this.deps.rounds.groupRange(guildId, round.id, 0, round.groupCount);
          for (const [index, group] of groups.entries()) {
            if (!group || !mentions(group, userId)) continue;
            found = true;
            const scrubbed = withoutMember(group, userId);
            await this.deps.rounds.setGroup(guildId, round.id, index, scrubbed);
            if (group.status === 'delivered' && group.memberIds.includes(userId)) await this.rewriteIntro(guildId, round, scrubbed, userId);
          }
        }
        if (found) this.deps.logger.info('Member data forgotten', { guildId });
        return found;
      }),
    );
  }

  private async forgetInPartnersHistory(guildId: string, userId: string, record: MemberRecord): Promise<void> {
    const partnerIds = [...new Set(record.meetings.flatMap((meeting) => meeting.partnerIds))];
    const partners = await this.deps.members.getMany(guildId, partnerIds);
    for (const [index, partnerId] of partnerIds.entries()) {
      const partner = partners[index];
      if (!partner) continue;
      const meetings = partner.meetings.map(({ partnerCultures, ...meeting }) => ({
        ...meeting,
        partnerIds: meeting.partnerIds.filter((id) => id !== userId),
        ...(partnerCultures ? { partnerCultures: withoutKey(partnerCultures, userId) } : {}),
      }));
      await this.deps.members.set(guildId, partnerId, { ...partner, meetings });
    }
  }

  /** The introduction without what the forgotten member's profile contributed; a failure is only logged. */
  private async rewriteIntro(guildId: string, round: RoundRecord, group: GroupRecord, forgotten: string): Promise<void> {
    if (group.threadId === undefined || group.messageId === undefined) return;
    try {
      const catalog = this.deps.serverPrompts ? await this.deps.serverPrompts.catalogFor(guildId) : this.deps.catalog;
      await this.deps.discord.editIntro(group.threadId, group.messageId, groupIntro(catalog, round, group, forgotten));
    } catch (error) {
      this.deps.logger.warn('Could not rewrite an introduction after /exchange forget', { guildId, round: round.id, error });
    }
  }

  /** Whether anything is stored about the member, record or round history. */
  async hasData(guildId: string, userId: string): Promise<boolean> {
    if ((await this.deps.members.get(guildId, userId)) !== undefined) return true;
    for (const round of await this.deps.rounds.recentRounds(guildId)) {
      if (round.unmatched.includes(userId)) return true;
      const groups = await this.deps.rounds.groupRange(guildId, round.id, 0, round.groupCount);
      if (groups.some((group) => group !== undefined && mentions(group, userId))) return true;
    }
    return false;
  }

  async overview(guildId: string, userId: string): Promise<MemberOverview> {
    const now = this.deps.clock.now();
    const record = await this.deps.members.get(guildId, userId);
    const kept = new Set((await this.deps.rounds.state(guildId)).roundIds);
    const meetings = (record?.meetings ?? []).filter((meeting) => kept.has(meeting.roundId));
    const answers: Record<CheckInAnswer, number> = { met: 0, 'not-yet': 0, 'cant-make-it': 0 };
    for (const meeting of meetings) if (meeting.answer !== undefined) answers[meeting.answer] += 1;
    return {
      record,
      active: record !== undefined && isActive(record, now),
      paused: record !== undefined && record.optedIn && isPaused(record, now),
      roundsKept: kept.size,
      roundsPaired: meetings.length,
      answers,
      pairing: await this.pairingStatus(guildId, now),
    };
  }

  private async pairingStatus(guildId: string, now: Date): Promise<PairingStatus> {
    const pairing = (await this.deps.configs.get(guildId)).pairing;
    if (!pairing) return { state: 'not-set-up' };
    if (!pairing.enabled) return { state: 'off', reason: pairing.disabledReason };
    const state = await this.deps.rounds.state(guildId);
    return { state: 'on', channelId: pairing.channelId, nextRoundAt: nextRoundAt(pairing, state.lastScheduledDate, now) };
  }

  private withProfile(record: MemberRecord | undefined, input: ProfileInput): MemberRecord {
    const current = record ?? newRecord();
    const applied = applyProfileInput(current.profile, input);
    if (!applied.ok) throw new UserError(applied.problem);
    const now = this.deps.clock.now().toISOString();
    return { ...current, profile: applied.value, profileSavedAt: current.profileSavedAt ?? now, updatedAt: now };
  }
}

/** The record opted in; joining or coming back from a pause starts the missed check-ins afresh. */
function optIn(record: MemberRecord, now: Date): { outcome: JoinOutcome; joined: MemberRecord } {
  const paused = record.optedIn && isPaused(record, now);
  if (record.optedIn && !paused) return { outcome: 'already-in', joined: record };
  const { pausedUntil: _until, pauseReason: _reason, ...rest } = record;
  const joined: MemberRecord = {
    ...rest,
    optedIn: true,
    optedInAt: record.optedIn ? (record.optedInAt ?? now.toISOString()) : now.toISOString(),
    missedFollowUps: 0,
    updatedAt: now.toISOString(),
  };
  return { outcome: paused ? 'resumed' : 'joined', joined };
}

function newRecord(): MemberRecord {
  return { optedIn: false, profile: { ...EMPTY_PROFILE }, missedFollowUps: 0, updatedAt: new Date(0).toISOString(), meetings: [] };
}

function mentions(group: GroupRecord, userId: string): boolean {
  return (
    group.memberIds.includes(userId) ||
    group.left.includes(userId) ||
    Object.hasOwn(group.answers, userId) ||
    Object.hasOwn(group.cultures ?? {}, userId) ||
    group.reasons.exchanges.some((exchange) => exchange.from === userId || exchange.to === userId)
  );
}

/** The group without any trace of the member. */
export function withoutMember(group: GroupRecord, userId: string): GroupRecord {
  const { [userId]: _answer, ...answers } = group.answers;
  return {
    ...group,
    memberIds: group.memberIds.filter((id) => id !== userId),
    left: group.left.filter((id) => id !== userId),
    answers,
    reasons: {
      ...group.reasons,
      exchanges: group.reasons.exchanges.filter((exchange) => exchange.from !== userId && exchange.to !== userId),
    },
    ...(group.cultures ? { cultures: withoutKey(group.cultures, userId) } : {}),
  };
}

function withoutKey<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([id]) => id !== key));
}
