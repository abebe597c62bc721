import type { EmulatorState, MessageRecord, ChannelRecord } from './state.ts';

/** A message as tests see it. */
export interface StoredMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  authorId: string;
  author: { id: string; username: string; bot: boolean };
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: { id: string; filename: string; size: number }[];
  allowedMentions?: unknown;
  nonce?: string | number;
  flags: number;
  ephemeral: boolean;
  type: number;
  timestamp: string;
  editedTimestamp: string | null;
  /** Sent through an interaction response or follow-up. */
  interactionId?: string;
  webhookId?: string;
  /** Thread started from this message. */
  thread?: { id: string; name: string; type: number };
  deleted: boolean;
  pinned: boolean;
  /** Last raw create/edit body. */
  raw: unknown;
}

export interface StoredThread {
  id: string;
  guildId: string | null;
  parentId: string | null;
  name: string;
  /** 10 announcement, 11 public, 12 private */
  type: number;
  invitable?: boolean;
  archived: boolean;
  locked: boolean;
  ownerId: string;
  memberIds: string[];
  starterMessageId?: string;
  createdAt: string;
}

export function messageView(state: EmulatorState, m: MessageRecord): StoredMessage {
  const user = state.users.get(m.authorId);
  const thread = m.threadId ? state.channels.get(m.threadId) : undefined;
  return {
    id: m.id,
    channelId: m.channelId,
    guildId: m.guildId,
    authorId: m.authorId,
    author: { id: m.authorId, username: user?.username ?? 'unknown', bot: user?.bot ?? false },
    content: m.content,
    embeds: m.embeds,
    components: m.components,
    attachments: m.attachments.map((a) => ({ id: a.id, filename: a.filename, size: a.size })),
    allowedMentions: m.allowedMentions,
    nonce: m.nonce,
    flags: m.flags,
    ephemeral: m.ephemeral,
    type: m.type,
    timestamp: m.timestamp,
    editedTimestamp: m.editedTimestamp,
    interactionId: m.interactionId,
    webhookId: m.webhookId,
    thread: thread ? { id: thread.id, name: thread.name, type: thread.type } : undefined,
    deleted: m.deleted,
    pinned: m.pinned === true,
    raw: m.lastBody,
  };
}

export function threadView(c: ChannelRecord): StoredThread {
  const t = c.thread;
  return {
    id: c.id,
    guildId: c.guildId,
    parentId: c.parentId,
    name: c.name,
    type: c.type,
    invitable: t?.invitable,
    archived: t?.archived ?? false,
    locked: t?.locked ?? false,
    ownerId: t?.ownerId ?? '',
    memberIds: [...(t?.memberIds ?? [])],
    starterMessageId: t?.starterMessageId,
    createdAt: t?.createTimestamp ?? '',
  };
}
