import type Keyv from 'keyv';
import { z } from 'zod';
import { failureSchema } from './failureRecord.ts';
import { RecordStore } from './recordStore.ts';

/**
 * Why Bridges turned a feature off by itself; shown in /setup show. Stores of older versions hold
 * an English sentence here, which is shown as it is.
 */
export const DISABLED_REASONS = ['channel-deleted', 'channel-gone', 'missing-permission'] as const;
export type DisabledReason = (typeof DISABLED_REASONS)[number];

/** A server's languages for what Bridges posts there, as Discord locales (`/setup language`). */
const languageSchema = z.object({ primary: z.string().optional(), secondary: z.string().optional() });

const weekdaySchema = z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);

const promptSettingsSchema = z.object({
  enabled: z.boolean(),
  channelId: z.string(),
  time: z.string(),
  timeZone: z.string(),
  threads: z.boolean(),
  /** Empty means every theme. */
  themeIds: z.array(z.string()),
  updatedAt: z.string(),
  updatedBy: z.string(),
  disabledReason: z.string().optional(),
  /** Weekdays prompts go out on, in ISO order; absent means every day. */
  days: z.array(weekdaySchema).optional(),
  /** A role mentioned with each prompt. */
  roleId: z.string().optional(),
  /** Pin the newest daily prompt and unpin the one before. */
  pin: z.boolean().optional(),
});

/** One theme a week (`/setup themed-weeks`), announced before the week's first prompt. */
const themedWeeksSchema = z.object({
  enabled: z.boolean(),
  /** Theme ids in the order weeks take them; empty: the prompt themes in catalog order. */
  themeIds: z.array(z.string()),
  /** A date in the week that gets the first theme of the order. */
  anchorDate: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

/** What Bridges did for prompt pins and themed weeks; kept with the settings so it goes with them. */
const promptWeeksStateSchema = z.object({
  /** Prompts Bridges pinned (or is about to pin) and has not unpinned yet, oldest first. */
  pinnedMessageIds: z.array(z.string()),
  /** Why the latest pin or unpin did not happen, for /setup show; cleared by the next pin that works. */
  pinFailure: z.object({ date: z.string(), step: z.enum(['pin', 'unpin']), failure: failureSchema }).optional(),
  /** Week announcements, newest first: claimed before they are sent, so a week is announced at most once. */
  announcements: z.array(
    z.object({
      /** The Monday of the week. */
      week: z.string(),
      themeId: z.string(),
      status: z.enum(['claimed', 'posted', 'failed']),
      messageId: z.string().optional(),
      failure: failureSchema.optional(),
    }),
  ),
});

const pairingSettingsSchema = z.object({
  enabled: z.boolean(),
  channelId: z.string(),
  frequency: z.enum(['weekly', 'biweekly', 'monthly']),
  weekday: z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']),
  time: z.string(),
  timeZone: z.string(),
  groupSize: z.union([z.literal(2), z.literal(3)]),
  anchorDate: z.string(),
  followUpDays: z.number().int().min(1).max(14),
  updatedAt: z.string(),
  updatedBy: z.string(),
  joinMessageId: z.string().optional(),
  disabledReason: z.string().optional(),
  /** When pairing was last turned off: a round started before then stops; one started since (by hand) goes on. */
  disabledAt: z.string().optional(),
});

const guildConfigSchema = z.object({
  prompts: promptSettingsSchema.optional(),
  pairing: pairingSettingsSchema.optional(),
  /** Absent: the server's Discord locale. */
  language: languageSchema.optional(),
  themedWeeks: themedWeeksSchema.optional(),
  promptWeeks: promptWeeksStateSchema.optional(),
  /** Set before the hello message is sent, so a crash can't make Bridges say hello twice. */
  welcomedAt: z.string().optional(),
  /** When Bridges was removed from the server; its data is deleted after the retention period. */
  removedAt: z.string().optional(),
});

export type PromptSettings = z.output<typeof promptSettingsSchema>;
export type PairingSettings = z.output<typeof pairingSettingsSchema>;
export type ThemedWeeksSettings = z.output<typeof themedWeeksSchema>;
export type PromptWeeksState = z.output<typeof promptWeeksStateSchema>;
export type GuildConfig = z.output<typeof guildConfigSchema>;

/** Per-server configuration set by moderators. */
export class GuildConfigStore {
  private readonly records: RecordStore<typeof guildConfigSchema>;

  constructor(keyv: Keyv) {
    this.records = new RecordStore(keyv, 'guild-config', guildConfigSchema);
  }

  async get(guildId: string): Promise<GuildConfig> {
    return (await this.records.get(guildId)) ?? {};
  }

  async update(guildId: string, change: (config: GuildConfig) => GuildConfig): Promise<GuildConfig> {
    const next = change(await this.get(guildId));
    await this.records.set(guildId, next);
    return next;
  }

  async delete(guildId: string): Promise<void> {
    await this.records.delete(guildId);
  }
}
