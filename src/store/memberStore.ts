import type Keyv from 'keyv';
import { z } from 'zod';
import { normalizeProfileEntries, PROFILE_LIST_FIELDS } from '../core/profile.ts';
import { RecordStore } from './recordStore.ts';
import type { StoreBackend } from './storeBackend.ts';

const profileSchema = z.object({
  timeZone: z.string().optional(),
  languages: z.array(z.string()),
  cultures: z.array(z.string()),
  curiousAbout: z.array(z.string()),
  interests: z.array(z.string()),
});

/** One conversation the member was delivered into: enough to avoid repeats and answer /exchange me. */
const meetingSchema = z.object({
  roundNumber: z.number().int().min(1),
  roundId: z.string(),
  groupIndex: z.number().int().min(0),
  partnerIds: z.array(z.string()),
  answer: z.enum(['met', 'not-yet', 'cant-make-it']).optional(),
  /** Each partner's cultures when the round was planned, for the member's passport (absent in older meetings). */
  partnerCultures: z.record(z.string(), z.array(z.string())).optional(),
});

const memberSchema = z.object({
  optedIn: z.boolean(),
  optedInAt: z.string().optional(),
  /** Rounds are skipped until this instant; set by /exchange pause or by Bridges after missed check-ins. */
  pausedUntil: z.string().optional(),
  pauseReason: z.enum(['member', 'cant-make-it', 'no-answers']).optional(),
  profile: profileSchema,
  /** Set the first time the member saved a profile; until then /exchange join asks for one. */
  profileSavedAt: z.string().optional(),
  /** Follow-ups in a row that this member left unanswered. */
  missedFollowUps: z.number().int().min(0),
  updatedAt: z.string(),
  /** Newest first, bounded by MAX_KEPT_MEETINGS. */
  meetings: z.array(meetingSchema).default([]),
  /**
   * The number of the round whose group for this member could not be delivered (failed, cancelled
   * or no room for threads); such members are delivered first in the next round.
   */
  waitingSinceRound: z.number().int().optional(),
});

export type MemberProfile = z.output<typeof profileSchema>;
export type MemberRecord = z.output<typeof memberSchema>;
export type Meeting = z.output<typeof meetingSchema>;

export const EMPTY_PROFILE: MemberProfile = { languages: [], cultures: [], curiousAbout: [], interests: [] };

/** Enough history for novelty beyond the repeat window. */
export const MAX_KEPT_MEETINGS = 20;

/**
 * Members who ever opted in, per server. The ids of a server's members live in a set of the
 * backend (added and removed atomically, so concurrent joins never lose one another); each record
 * is its own key. Callers hold the server's lock around read-modify-writes of one record.
 */
export class MemberStore {
  private readonly members: RecordStore<typeof memberSchema>;

  constructor(
    keyv: Keyv,
    private readonly backend: StoreBackend,
  ) {
    this.members = new RecordStore(keyv, 'member', memberSchema, upgradeMemberRecord);
  }

  async get(guildId: string, userId: string): Promise<MemberRecord | undefined> {
    return this.members.get(`${guildId}:${userId}`);
  }

  async getMany(guildId: string, userIds: readonly string[]): Promise<(MemberRecord | undefined)[]> {
    return this.members.getMany(userIds.map((userId) => `${guildId}:${userId}`));
  }

  async set(guildId: string, userId: string, record: MemberRecord): Promise<void> {
    // Indexed first: a record that exists is always listed, even if the second write fails.
    await this.backend.addToSet(indexName(guildId), [userId]);
    await this.members.set(`${guildId}:${userId}`, record);
  }

  async delete(guildId: string, userId: string): Promise<void> {
    await this.members.delete(`${guildId}:${userId}`);
    await this.backend.removeFromSet(indexName(guildId), [userId]);
  }

  /** Every member of the server, for deleting a server's data. */
  async deleteAll(guildId: string): Promise<void> {
    const ids = await this.ids(guildId);
    await this.members.deleteMany(ids.map((userId) => `${guildId}:${userId}`));
    await this.backend.deleteSet(indexName(guildId));
  }

  async ids(guildId: string): Promise<string[]> {
    return this.backend.setMembers(indexName(guildId));
  }

  async list(guildId: string): Promise<{ userId: string; record: MemberRecord }[]> {
    const ids = await this.ids(guildId);
    const records = await this.getMany(guildId, ids);
    return ids.flatMap((userId, index) => {
      const record = records[index];
      return record ? [{ userId, record }] : [];
    });
  }
}

/**
 * Before format 3, a profile's languages, cultures and curiosities were kept as typed (lowercased):
 * they become codes where they name a language or a region unambiguously ("spanish" and "español"
 * both `es`), so members who wrote them in different languages match. The rest stays as it was.
 */
export function upgradeMemberRecord(raw: unknown, fromVersion: number): unknown {
  if (fromVersion >= 3 || typeof raw !== 'object' || raw === null || !('profile' in raw)) return raw;
  const profile = profileSchema.safeParse(raw.profile);
  if (!profile.success) return raw;
  const upgraded: MemberProfile = { ...profile.data };
  for (const field of PROFILE_LIST_FIELDS) upgraded[field] = normalizeProfileEntries(field, profile.data[field]);
  return { ...raw, profile: upgraded };
}

export function indexName(guildId: string): string {
  return `members:${guildId}`;
}
