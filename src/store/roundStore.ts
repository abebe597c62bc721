import type Keyv from 'keyv';
import { z } from 'zod';
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

const groupSchema = z.object({
  memberIds: z.array(z.string()),
  reasons: reasonsSchema,
  relaxed: z.array(z.string()),
  icebreakerPromptId: z.string(),
  /**
   * planned: nothing sent yet. creating: a thread may exist on Discord (look it up by name before
   * creating another). delivered: thread, members and intro message are in place. failed: given up.
   */
  status: z.enum(['planned', 'creating', 'delivered', 'failed']),
  threadId: z.string().optional(),
  messageId: z.string().optional(),
  /** Members who turned out to have left the server; they were dropped from the group. */
  left: z.array(z.string()),
  failure: z.string().optional(),
  checkInMessageId: z.string().optional(),
  answers: z.record(z.string(), z.enum(CHECK_IN_ANSWERS)),
});

const roundSchema = z.object({
  id: z.string(),
  number: z.number().int().min(1),
  /** The server-local date the round belongs to. */
  date: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  channelId: z.string(),
  createdAt: z.string(),
  status: z.enum(['delivering', 'delivered']),
  relaxed: z.array(z.string()),
  groups: z.array(groupSchema),
  /** Active members nobody could be paired with (a server with one active member). */
  unmatched: z.array(z.string()),
  checkInAt: z.string(),
  checkInStatus: z.enum(['pending', 'posted', 'closed']),
});

const statsSchema = z.object({
  roundsRun: z.number().int(),
  groupsDelivered: z.number().int(),
  membersPaired: z.number().int(),
  crossCultureGroups: z.number().int(),
  /** Groups whose check-in was posted: the base for the share that reported meeting. */
  groupsCheckedIn: z.number().int(),
  groupsReportedMet: z.number().int(),
});

const pairingStateSchema = z.object({
  roundsStarted: z.number().int(),
  /** Local date of the last scheduled round, so each due date runs once. */
  lastScheduledDate: z.string().optional(),
  /** The round being delivered, resumed after a restart. */
  activeRoundId: z.string().optional(),
  /** Newest first; the last six give the pairs not to repeat, older ones are dropped. */
  roundIds: z.array(z.string()),
  /** Anonymous counters: they survive /exchange forget. */
  stats: statsSchema,
});

export type GroupRecord = z.output<typeof groupSchema>;
export type RoundRecord = z.output<typeof roundSchema>;
export type PairingState = z.output<typeof pairingStateSchema>;
export type PairingStats = z.output<typeof statsSchema>;

export const EMPTY_PAIRING_STATE: PairingState = {
  roundsStarted: 0,
  roundIds: [],
  stats: { roundsRun: 0, groupsDelivered: 0, membersPaired: 0, crossCultureGroups: 0, groupsCheckedIn: 0, groupsReportedMet: 0 },
};

/** Pairing rounds per server: the plan of each round, its delivery progress and the server's counters. */
export class RoundStore {
  private readonly rounds: RecordStore<typeof roundSchema>;
  private readonly states: RecordStore<typeof pairingStateSchema>;

  constructor(keyv: Keyv) {
    this.rounds = new RecordStore(keyv, 'round', roundSchema);
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

  async deleteRound(guildId: string, roundId: string): Promise<void> {
    await this.rounds.delete(`${guildId}:${roundId}`);
  }

  /** The stored rounds, newest first. */
  async recentRounds(guildId: string): Promise<RoundRecord[]> {
    const ids = (await this.state(guildId)).roundIds;
    const rounds = await this.rounds.getMany(ids.map((id) => `${guildId}:${id}`));
    return rounds.filter((round): round is RoundRecord => round !== undefined);
  }
}
