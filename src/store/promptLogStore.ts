import type Keyv from 'keyv';
import { z } from 'zod';
import { RecordStore } from './recordStore.ts';

const rotationSchema = z.object({
  lastThemeId: z.string().optional(),
  themeUseCounts: z.record(z.string(), z.number()),
  usedPromptIds: z.record(z.string(), z.array(z.string()).readonly()),
  lastPromptIdByTheme: z.record(z.string(), z.string()).optional(),
});

const postSchema = z.object({
  kind: z.enum(['daily', 'manual']),
  /** The server-local date the post belongs to. */
  date: z.string(),
  themeId: z.string(),
  promptId: z.string(),
  channelId: z.string(),
  /** Sent as the message nonce with enforce_nonce, so a retried send cannot make a second message. */
  nonce: z.string(),
  claimedAt: z.string(),
  /** pending: claimed, not yet confirmed sent; sent: message exists, thread may be missing; posted: done; failed: given up. */
  status: z.enum(['pending', 'sent', 'posted', 'failed']),
  withThread: z.boolean(),
  messageId: z.string().optional(),
  threadId: z.string().optional(),
  failure: z.string().optional(),
});

const promptLogSchema = z.object({
  rotation: rotationSchema,
  /** Newest first, bounded: enough for /prompt today and for finishing an interrupted post. */
  posts: z.array(postSchema),
});

export type PostRecord = z.output<typeof postSchema>;
export type PromptLog = z.output<typeof promptLogSchema>;

export const MAX_KEPT_POSTS = 20;

/** Per-server prompt rotation and the record of what was posted. */
export class PromptLogStore {
  private readonly records: RecordStore<typeof promptLogSchema>;

  constructor(keyv: Keyv) {
    this.records = new RecordStore(keyv, 'prompt-log', promptLogSchema);
  }

  async get(guildId: string): Promise<PromptLog> {
    return (await this.records.get(guildId)) ?? { rotation: { themeUseCounts: {}, usedPromptIds: {} }, posts: [] };
  }

  async set(guildId: string, log: PromptLog): Promise<void> {
    await this.records.set(guildId, { ...log, posts: log.posts.slice(0, MAX_KEPT_POSTS) });
  }
}
