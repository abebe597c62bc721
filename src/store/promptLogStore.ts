import type Keyv from 'keyv';
import { z } from 'zod';
import { failureSchema } from './failureRecord.ts';
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
  /** The locales the post is written in, chosen at the claim so a resumed post is the same message. */
  locales: z.array(z.string()).optional(),
  messageId: z.string().optional(),
  /** The role mentioned with the post, chosen at the claim like its locales. */
  roleId: z.string().optional(),
  threadId: z.string().optional(),
  /** Why it failed, or for a posted prompt why its answer thread is missing. */
  failure: failureSchema.optional(),
  /** Consecutive transient failures, the first of them, and when to try again. */
  attempts: z.number().int().min(0).default(0),
  firstFailedAt: z.string().optional(),
  retryAt: z.string().optional(),
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
    this.records = new RecordStore(keyv, 'prompt-log', promptLogSchema, upgradePromptLog);
  }

  async get(guildId: string): Promise<PromptLog> {
    return (await this.records.get(guildId)) ?? { rotation: { themeUseCounts: {}, usedPromptIds: {} }, posts: [] };
  }

  async set(guildId: string, log: PromptLog): Promise<void> {
    await this.records.set(guildId, { ...log, posts: log.posts.slice(0, MAX_KEPT_POSTS) });
  }

  async delete(guildId: string): Promise<void> {
    await this.records.delete(guildId);
  }
}

/** Format 1 kept a failure as an English sentence; format 2 keeps what happened as data. */
export function upgradePromptLog(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || !('posts' in raw) || !Array.isArray(raw.posts)) return raw;
  return {
    ...raw,
    posts: raw.posts.map((post: unknown) => {
      if (typeof post !== 'object' || post === null || !('failure' in post) || typeof post.failure !== 'string') return post;
      return { ...post, failure: legacyFailure(post.failure) };
    }),
  };
}

function legacyFailure(text: string): z.input<typeof failureSchema> {
  if (text === 'not confirmed on its day') return { kind: 'not-confirmed' };
  if (text === 'answer thread not opened on its day') return { kind: 'not-confirmed', step: 'answer-thread' };
  if (text.startsWith('no answer thread')) return { kind: 'missing-permission', step: 'answer-thread' };
  if (text === 'the prompt channel is gone') return { kind: 'channel-gone', step: 'post' };
  if (text === 'its prompt is no longer in the catalog') return { kind: 'not-in-catalog' };
  return { kind: 'rejected', step: 'post', detail: text };
}
