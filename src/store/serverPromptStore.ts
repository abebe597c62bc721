import type Keyv from 'keyv';
import { z } from 'zod';
import { EMPTY_BANK, type ServerBank } from '../core/serverPrompts.ts';
import { THEME_IDS } from '../core/themes.ts';
import { RecordStore } from './recordStore.ts';

const bankSchema = z.object({
  prompts: z.array(
    z.object({
      id: z.string(),
      themeId: z.enum(THEME_IDS),
      text: z.string(),
      authorId: z.string().optional(),
    }),
  ),
  disabledBuiltInIds: z.array(z.string()),
  nextNumber: z.number().int().min(1),
});

const suggestionSchema = z.object({
  number: z.number().int().min(1),
  authorId: z.string(),
  themeId: z.enum(THEME_IDS),
  text: z.string(),
  anonymous: z.boolean(),
  status: z.enum(['pending', 'approved', 'rejected']),
  createdAt: z.string(),
  /** The review message, once posted. */
  reviewChannelId: z.string().optional(),
  reviewMessageId: z.string().optional(),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  reason: z.string().optional(),
  /** The server prompt an approval made. */
  promptId: z.string().optional(),
  /** Set when the author was told the outcome on their next command. */
  authorNotified: z.boolean().default(false),
});

const suggestionsSchema = z.object({
  reviewChannelId: z.string().optional(),
  nextNumber: z.number().int().min(1),
  /** Pending ones, and decided ones until a bounded number of newer decisions pushes them out. */
  items: z.array(suggestionSchema),
});

export type Suggestion = z.output<typeof suggestionSchema>;
export type SuggestionBook = z.output<typeof suggestionsSchema>;

export const EMPTY_SUGGESTIONS: SuggestionBook = { nextNumber: 1, items: [] };

/**
 * A server's own prompts and its members' suggestions, one record each per server, so an import or
 * a decision is one write. Callers hold the server's lock around read-modify-writes.
 */
export class ServerPromptStore {
  private readonly banks: RecordStore<typeof bankSchema>;
  private readonly suggestions: RecordStore<typeof suggestionsSchema>;

  constructor(keyv: Keyv) {
    this.banks = new RecordStore(keyv, 'server-prompts', bankSchema);
    this.suggestions = new RecordStore(keyv, 'suggestions', suggestionsSchema);
  }

  async bank(guildId: string): Promise<ServerBank> {
    return (await this.banks.get(guildId)) ?? EMPTY_BANK;
  }

  async setBank(guildId: string, bank: ServerBank): Promise<void> {
    await this.banks.set(guildId, {
      prompts: [...bank.prompts],
      disabledBuiltInIds: [...bank.disabledBuiltInIds],
      nextNumber: bank.nextNumber,
    });
  }

  async book(guildId: string): Promise<SuggestionBook> {
    return (await this.suggestions.get(guildId)) ?? EMPTY_SUGGESTIONS;
  }

  async setBook(guildId: string, book: SuggestionBook): Promise<void> {
    await this.suggestions.set(guildId, book);
  }

  async deleteGuild(guildId: string): Promise<void> {
    await this.banks.delete(guildId);
    await this.suggestions.delete(guildId);
  }
}
