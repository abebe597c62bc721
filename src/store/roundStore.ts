import type Keyv from 'keyv';
import { z } from 'zod';
import { failureSchema } from './failureRecord.ts';
import { RecordStore } from './recordStore.ts';

export const CHECK_IN_ANSWERS = ['met', 'not-yet', 'cant-make-it'] as const;
export type CheckInAnswer = (typeof CHECK_IN_ANSWERS)[number];

const reasonsSchema = z.object({
  sharedLanguages: z.array(z.string()),
  exchanges: z.array(z.object({ from: z.string(), to: z.string(), topics: z.array(z.string()) })),
  differentCultures: z.boolean(),
  overlapHoursUtc: z.array(z.object({ startMinute: z.number(), endMinute: z.number() })).optional(),
  sharedInterests: z.array(z.string()),
});

/**
 * planned: nothing sent yet. creating: a thread may exist on Discord (look it up by name before
 * creating another). delivered: thread, members and introduction are in place. waiting: the server
 * had no room for another thread; delivered when room frees up. failed and cancelled: given up,
 * with the reason in `failure`.
 */
export const GROUP_STATUSES = ['planned', 'creating', 'delivered', 'waiting', 'failed', 'cancelled'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

const groupSchema = z.object({
  memberIds: z.array(z.string()),
  reasons: reasonsSchema,
  relaxed: z.array(z.string()),
  icebreakerPromptId: z.string(),
  status: z.enum(GROUP_STATUSES),
  threadId: z.string().optional(),
  messageId: z.string().optional(),
  /** Members who turned out to have left the server; they were dropped from the group. */
  left: z.array(z.string()),
  failure: failureSchema.optional(),
  /** Consecutive failed attempts, the first of them, and when to try again (transient failures). */
  attempts: z.number().int().min(0).default(0),
  firstFailedAt: z.string().optional(),
  retryAt: z.string().optional(),
  checkIn: z.enum(['posted', 'unavailable']).optional(),
  checkInMessageId: z.string().optional(),
  answers: z.record(z.string(), z.enum(CHECK_IN_ANSWERS)),
  /** The thread was archived when the check-in window closed. */
  archived: z.boolean().optional(),
  /**
   * Each member's cultures when the round was planned, for the culture map (profiles change later).
   * Absent in groups planned before Bridges kept them; those are read with members' current profiles.
   */
  cultures: z.record(z.string(), z.array(z.string())).optional(),
});

const outcomeSchema = z.object({
  delivered: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  waiting: z.number().int(),
  membersDelivered: z.number().int(),
  /** The most common reason groups failed, with how many it ended. */
  topFailure: z.object({ failure: failureSchema, count: z.number().int() }).optional(),
});

/**
 * delivering: groups are being delivered (retries included). waiting-room: every group was tried
 * and some wait for room for threads. delivered: every group reached an end. cancelled: pairing was
 * turned off during delivery.
 */
export const ROUND_STATUSES = ['delivering', 'waiting-room', 'delivered', 'cancelled'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

const roundSchema = z.object({
  id: z.string(),
  number: z.number().int().min(1),
  /** The server-local date the round belongs to. */
  date: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  channelId: z.string(),
  /** The server's locale when the round was planned: its notes, and intros of groups without a shared language Bridges speaks. */
  locale: z.string().optional(),
  createdAt: z.string(),
  status: z.enum(ROUND_STATUSES),
  relaxed: z.array(z.string()),
  /** Groups are stored apart, `round-group:<guild>:<round>:<index>`, so a step rewrites one group only. */
  groupCount: z.number().int().min(0),
  /** The next group of the first delivery pass. */
  cursor: z.number().int().min(0),
  /** Groups waiting for another attempt after a transient failure. */
  retry: z.array(z.number().int()),
  /** When the round's current activity (retries, room for threads, check-ins) is next tried. */
  retryAt: z.string().optional(),
  /** Active members nobody could be paired with (a server with one active member). */
  unmatched: z.array(z.string()),
  /** Opted-in members found to have left the server when the round was planned. */
  leftBeforePlanning: z.number().int().min(0),
  checkInAt: z.string(),
  /** pending → posting (cursor) → posted → closing (cursor) → closed. */
  checkInStatus: z.enum(['pending', 'posting', 'posted', 'closing', 'closed']),
  checkInCursor: z.number().int().min(0),
  /** When the check-in window closes: missed answers are counted and the threads archived. */
  checkInClosesAt: z.string(),
  outcome: outcomeSchema.optional(),
  finishedAt: z.string().optional(),
});

const statsSchema = z.object({
  roundsRun: z.number().int(),
  groupsDelivered: z.number().int(),
  membersPaired: z.number().int(),
  crossCultureGroups: z.number().int(),
  /** Groups whose check-in was posted: the base for the share that reported meeting. */
  groupsCheckedIn: z.number().int(),
  groupsReportedMet: z.number().int(),
  groupsFailed: z.number().int().default(0),
});

const pairingStateSchema = z.object({
  roundsStarted: z.number().int(),
  /** Local date of the last scheduled round, so each due date runs once. */
  lastScheduledDate: z.string().optional(),
  /** The round being delivered (or waiting for room), resumed after a restart. */
  activeRoundId: z.string().optional(),
  /** Newest first; older ones are dropped with their groups. */
  roundIds: z.array(z.string()),
  /** Anonymous counters: they survive /exchange forget. */
  stats: statsSchema,
});

export type GroupRecord = z.output<typeof groupSchema>;
export type GroupReasons = z.output<typeof reasonsSchema>;
export type RoundRecord = z.output<typeof roundSchema>;
export type RoundOutcome = z.output<typeof outcomeSchema>;
export type PairingState = z.output<typeof pairingStateSchema>;
export type PairingStats = z.output<typeof statsSchema>;

export const EMPTY_PAIRING_STATE: PairingState = {
  roundsStarted: 0,
  roundIds: [],
  stats: {
    roundsRun: 0,
    groupsDelivered: 0,
    membersPaired: 0,
    crossCultureGroups: 0,
    groupsCheckedIn: 0,
    groupsReportedMet: 0,
    groupsFailed: 0,
  },
};

/** Pairing rounds per server: each round's plan and progress, one record per group, and the server's counters. */
export class RoundStore {
  private readonly rounds: RecordStore<typeof roundSchema>;
  private readonly groups: RecordStore<typeof groupSchema>;
  private readonly states: RecordStore<typeof pairingStateSchema>;

  constructor(keyv: Keyv) {
    this.rounds = new RecordStore(keyv, 'round', roundSchema);
    this.groups = new RecordStore(keyv, 'round-group', groupSchema);
    this.states = new RecordStore(keyv, 'pairing-state', pairingStateSchema);
  }

  async state(guildId: string): Promise<PairingState> {
    return (await this.states.get(guildId)) ?? EMPTY_PAIRING_STATE;
  }

  async setState(guildId: string, state: PairingState): Promise<void> {
    await this.states.set(guildId, state);
  }

  async round(guildId: string, roundId: string): Promise<RoundRecord | undefined> {
    return this.rounds.get(`${guildId}:${roundId}`);
  }

  async setRound(guildId: string, round: RoundRecord): Promise<void> {
    await this.rounds.set(`${guildId}:${round.id}`, round);
  }

  async group(guildId: string, roundId: string, index: number): Promise<GroupRecord | undefined> {
    return this.groups.get(groupKey(guildId, roundId, index));
  }

  async setGroup(guildId: string, roundId: string, index: number, group: GroupRecord): Promise<void> {
    await this.groups.set(groupKey(guildId, roundId, index), group);
  }

  /** Groups `from` to `to` (exclusive) of a round, in order; missing ones come back undefined. */
  async groupRange(guildId: string, roundId: string, from: number, to: number): Promise<(GroupRecord | undefined)[]> {
    const indices = Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
    return this.groups.getMany(indices.map((index) => groupKey(guildId, roundId, index)));
  }

  async groupsAt(guildId: string, roundId: string, indices: readonly number[]): Promise<(GroupRecord | undefined)[]> {
    return this.groups.getMany(indices.map((index) => groupKey(guildId, roundId, index)));
  }

  async deleteRound(guildId: string, round: Pick<RoundRecord, 'id' | 'groupCount'>): Promise<void> {
    const indices = Array.from({ length: round.groupCount }, (_, i) => i);
    await this.groups.deleteMany(indices.map((index) => groupKey(guildId, round.id, index)));
    await this.rounds.delete(`${guildId}:${round.id}`);
  }

  /** The stored round headers, newest first. */
  async recentRounds(guildId: string): Promise<RoundRecord[]> {
    const ids = (await this.state(guildId)).roundIds;
    const rounds = await this.rounds.getMany(ids.map((id) => `${guildId}:${id}`));
    return rounds.filter((round): round is RoundRecord => round !== undefined);
  }

  /** Every round of the server with its groups, and the state: for deleting a server's data. */
  async deleteAll(guildId: string): Promise<void> {
    for (const round of await this.recentRounds(guildId)) await this.deleteRound(guildId, round);
    await this.states.delete(guildId);
  }
}

function groupKey(guildId: string, roundId: string, index: number): string {
  return `${guildId}:${roundId}:${index}`;
}
