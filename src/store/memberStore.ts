import type Keyv from 'keyv';
import { z } from 'zod';
import { RecordStore } from './recordStore.ts';

const profileSchema = z.object({
  timeZone: z.string().optional(),
  languages: z.array(z.string()),
  cultures: z.array(z.string()),
  curiousAbout: z.array(z.string()),
  interests: z.array(z.string()),
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
});

const memberIndexSchema = z.array(z.string());

export type MemberProfile = z.output<typeof profileSchema>;
export type MemberRecord = z.output<typeof memberSchema>;

export const EMPTY_PROFILE: MemberProfile = { languages: [], cultures: [], curiousAbout: [], interests: [] };

/**
 * Members who ever opted in, per server. Keyv cannot list keys on every backend, so each server
 * keeps an index of its member ids; callers hold the server's lock around writes.
 */
export class MemberStore {
  private readonly members: RecordStore<typeof memberSchema>;
  private readonly indexes: RecordStore<typeof memberIndexSchema>;

  constructor(keyv: Keyv) {
    this.members = new RecordStore(keyv, 'member', memberSchema);
    this.indexes = new RecordStore(keyv, 'member-index', memberIndexSchema);
  }

  async get(guildId: string, userId: string): Promise<MemberRecord | undefined> {
    return this.members.get(`${guildId}:${userId}`);
  }

  async set(guildId: string, userId: string, record: MemberRecord): Promise<void> {
    await this.members.set(`${guildId}:${userId}`, record);
    const ids = await this.ids(guildId);
    if (!ids.includes(userId)) await this.indexes.set(guildId, [...ids, userId]);
  }

  async delete(guildId: string, userId: string): Promise<void> {
    await this.members.delete(`${guildId}:${userId}`);
    const ids = await this.ids(guildId);
    if (ids.includes(userId))
      await this.indexes.set(
        guildId,
        ids.filter((id) => id !== userId),
      );
  }

  async ids(guildId: string): Promise<string[]> {
    return (await this.indexes.get(guildId)) ?? [];
  }

  async list(guildId: string): Promise<{ userId: string; record: MemberRecord }[]> {
    const ids = await this.ids(guildId);
    const records = await this.members.getMany(ids.map((userId) => `${guildId}:${userId}`));
    return ids.flatMap((userId, index) => {
      const record = records[index];
      return record ? [{ userId, record }] : [];
    });
  }
}
