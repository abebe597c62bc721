import type Keyv from 'keyv';
import { z } from 'zod';
import { TAKEAWAY_CHOICES } from '../core/takeaway.ts';
import { RecordStore } from './recordStore.ts';

const entrySchema = z.object({
  choice: z.enum(TAKEAWAY_CHOICES),
  text: z.string().optional(),
  withdrawn: z.boolean().optional(),
});

/**
 * claimed: written before the message is sent, so a double click or a second process never sends
 * another; posted: the message exists (its id is kept to edit or delete it on withdrawal);
 * removed: every shown takeaway was withdrawn and the message deleted.
 */
const postSchema = z.object({
  status: z.enum(['claimed', 'posted', 'removed']),
  channelId: z.string(),
  messageId: z.string().optional(),
});

const groupTakeawaysSchema = z.object({
  entries: z.record(z.string(), entrySchema),
  /** Members who sent their thank-you in the group's thread. */
  thanked: z.array(z.string()),
  post: postSchema.optional(),
  /** A member forgot their data (/exchange forget) before the group's takeaways were posted: nothing more is posted. */
  closed: z.boolean().optional(),
});
export type GroupTakeaways = z.output<typeof groupTakeawaysSchema>;

const settingsSchema = z.object({ channelId: z.string(), setBy: z.string(), setAt: z.string() });
export type TakeawaySettings = z.output<typeof settingsSchema>;

/** Each member's avoided members, in one record per server: a round reads them all at once. */
const avoidListsSchema = z.object({ lists: z.record(z.string(), z.array(z.string())) });

export const EMPTY_GROUP_TAKEAWAYS: GroupTakeaways = { entries: {}, thanked: [] };

/** Takeaways per conversation group, the takeaways channel, and avoided members. */
export class TakeawayStore {
  private readonly groups: RecordStore<typeof groupTakeawaysSchema>;
  private readonly settings: RecordStore<typeof settingsSchema>;
  private readonly avoids: RecordStore<typeof avoidListsSchema>;

  constructor(keyv: Keyv) {
    this.groups = new RecordStore(keyv, 'takeaways', groupTakeawaysSchema);
    this.settings = new RecordStore(keyv, 'takeaway-settings', settingsSchema);
    this.avoids = new RecordStore(keyv, 'avoid-lists', avoidListsSchema);
  }

  async group(guildId: string, roundId: string, groupIndex: number): Promise<GroupTakeaways> {
    return (await this.groups.get(`${guildId}:${roundId}:${groupIndex}`)) ?? EMPTY_GROUP_TAKEAWAYS;
  }

  async setGroup(guildId: string, roundId: string, groupIndex: number, record: GroupTakeaways): Promise<void> {
    await this.groups.set(`${guildId}:${roundId}:${groupIndex}`, record);
  }

  async deleteGroups(guildId: string, roundId: string, groupCount: number): Promise<void> {
    await this.groups.deleteMany(Array.from({ length: groupCount }, (_, index) => `${guildId}:${roundId}:${index}`));
  }

  /** The takeaways of the given rounds, the channel and the avoid lists: everything of a server. */
  async deleteGuild(guildId: string, rounds: readonly { readonly id: string; readonly groupCount: number }[]): Promise<void> {
    for (const round of rounds) await this.deleteGroups(guildId, round.id, round.groupCount);
    await this.settings.delete(guildId);
    await this.avoids.delete(guildId);
  }

  async channel(guildId: string): Promise<TakeawaySettings | undefined> {
    return this.settings.get(guildId);
  }

  async setChannel(guildId: string, settings: TakeawaySettings): Promise<void> {
    await this.settings.set(guildId, settings);
  }

  async avoidLists(guildId: string): Promise<Record<string, string[]>> {
    return (await this.avoids.get(guildId))?.lists ?? {};
  }

  async setAvoidLists(guildId: string, lists: Record<string, string[]>): Promise<void> {
    await this.avoids.set(guildId, { lists });
  }
}
