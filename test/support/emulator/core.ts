import { EventEmitter } from 'node:events';
import { ApiError, Errors } from './errors.ts';
import type { Gateway } from './gateway.ts';
import { Intents } from './gateway.ts';
import type { UploadedFile } from './http.ts';
import { Permissions, hasPermissions } from './permissions.ts';
import { ChannelType, EmulatorState, THREAD_TYPES, newChannel, type Attachment, type ChannelRecord, type MessageRecord } from './state.ts';
import { isRecord } from './util.ts';
import { messageView, threadView } from './views.ts';

export const MessageFlags = {
  EPHEMERAL: 1 << 6,
  LOADING: 1 << 7,
  SUPPRESS_EMBEDS: 1 << 2,
} as const;

export interface InteractionRecord {
  id: string;
  token: string;
  /** 2 command, 3 component, 4 autocomplete, 5 modal submit */
  type: number;
  guildId: string | null;
  channelId: string;
  userId: string;
  /** realNow() at creation, for the 3 s acknowledgement deadline */
  createdAt: number;
  payload: Record<string, unknown>;
  label: string;
  callbackType?: number;
  callbackBody?: unknown;
  ephemeral: boolean;
  originalMessageId?: string;
  sourceMessageId?: string;
  originalEdited: boolean;
  followUpIds: string[];
  modal?: Record<string, unknown>;
  choices?: unknown[];
  lastRaw?: unknown;
  error?: ApiError;
  /** notified whenever something about the response changes */
  listeners: Set<() => void>;
}

export interface CoreOptions {
  token: string;
  applicationId: string;
  botUserId: string;
  /** Interaction callbacks later than this (real ms) get 10062; null disables the deadline. */
  interactionAckDeadlineMs: number | null;
  /** Identical nonce + enforce_nonce within this window returns the existing message. */
  nonceWindowMs: number;
  /** Bitmask of privileged intents the application has enabled. */
  allowedPrivilegedIntents: number;
  /** Active (non-archived) threads a guild may have at once. */
  maxActiveThreads: number;
  /** The emulated clock (epoch ms) for timestamps, snowflakes and the nonce window. */
  now: () => number;
  /** GET /gateway/bot's `shards`; null derives it from the guilds the bot is in. */
  recommendedShards: number | null;
}

/** Guilds per shard behind the derived recommendation, the ratio bots observe from Discord. */
export const GUILDS_PER_RECOMMENDED_SHARD = 1000;

export interface CreateMessageInput {
  channelId: string;
  authorId: string;
  body: Record<string, unknown>;
  files?: UploadedFile[];
  webhookId?: string;
  interactionId?: string;
  ephemeral?: boolean;
  type?: number;
  flags?: number;
}

/** Shared state and state-changing operations used by the REST routes and the test-control API. */
export class EmulatorCore {
  readonly state: EmulatorState;
  readonly events = new EventEmitter();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  gateway!: Gateway;
  gatewayUrl: () => string = () => 'ws://127.0.0.1/gateway';
  /** Where the emulator serves attached files (its own HTTP server), for attachment options. */
  cdnBaseUrl: () => string = () => 'http://127.0.0.1/cdn';
  /** Files attached to slash-command options, by attachment id. */
  readonly uploads = new Map<string, { filename: string; contentType: string; data: Buffer }>();

  constructor(readonly options: CoreOptions) {
    this.state = new EmulatorState(options.botUserId, options.applicationId, options.now);
    this.events.setMaxListeners(100);
  }

  /** The shard count Discord recommends: one per 1000 guilds the bot is in, at least one, unless set. */
  recommendedShards(): number {
    if (this.options.recommendedShards !== null) return this.options.recommendedShards;
    let joined = 0;
    for (const guild of this.state.guilds.values()) if (guild.botJoined) joined++;
    return Math.max(1, Math.ceil(joined / GUILDS_PER_RECOMMENDED_SHARD));
  }

  get allowedPrivilegedIntents(): number {
    return this.options.allowedPrivilegedIntents;
  }

  notifyInteraction(interaction: InteractionRecord): void {
    for (const listener of [...interaction.listeners]) listener();
    this.events.emit('interaction', interaction);
  }

  openDm(userId: string): ChannelRecord {
    const existing = this.state.dmChannelWith(userId);
    if (existing) return existing;
    const channel = newChannel({
      id: this.state.ids.next(),
      guildId: null,
      type: ChannelType.DM,
      name: '',
      parentId: null,
      recipientIds: [userId, this.options.botUserId],
    });
    this.state.addChannel(channel);
    return channel;
  }

  removeBotFromGuild(guildId: string): void {
    const guild = this.state.guilds.get(guildId);
    if (!guild || !guild.botJoined) return;
    guild.botJoined = false;
    this.state.deleteMember(guildId, this.options.botUserId);
    this.dispatch('GUILD_DELETE', { id: guildId }, guildId, Intents.GUILDS);
  }

  deleteChannel(channelId: string): void {
    const channel = this.state.channels.get(channelId);
    if (!channel) return;
    const visible = channel.guildId === null || this.state.guilds.get(channel.guildId)?.botJoined === true;
    if (visible) this.dispatchChannel('CHANNEL_DELETE', channel);
    this.state.deleteChannel(channelId);
  }

  addThreadMember(thread: ChannelRecord, userId: string): void {
    if (!thread.thread || thread.thread.memberIds.has(userId)) return;
    thread.thread.memberIds.add(userId);
    this.events.emit('thread', { kind: 'member-add', thread: threadView(thread), userId });
    if (userId === this.options.botUserId) {
      this.dispatch(
        'THREAD_MEMBER_UPDATE',
        { id: thread.id, user_id: userId, join_timestamp: this.state.isoNow(), flags: 0, guild_id: thread.guildId },
        thread.guildId,
        Intents.GUILDS,
      );
    }
    this.dispatch(
      'THREAD_MEMBERS_UPDATE',
      {
        id: thread.id,
        guild_id: thread.guildId,
        member_count: thread.thread.memberIds.size,
        added_members: [{ id: thread.id, user_id: userId, join_timestamp: this.state.isoNow(), flags: 0 }],
      },
      thread.guildId,
      Intents.GUILD_MEMBERS,
    );
  }

  // ---- lookups with Discord errors -------------------------------------------------------------

  channel(channelId: string): ChannelRecord {
    const channel = this.state.channels.get(channelId);
    if (!channel) throw Errors.unknownChannel();
    if (channel.guildId !== null && !this.state.guilds.get(channel.guildId)?.botJoined) throw Errors.unknownChannel();
    return channel;
  }

  /** Resolves a channel the bot can see (403 50001 otherwise). */
  visibleChannel(channelId: string, userId = this.options.botUserId): ChannelRecord {
    const channel = this.channel(channelId);
    if (channel.guildId === null) {
      if (!(channel.recipientIds ?? []).includes(userId)) throw Errors.missingAccess();
      return channel;
    }
    const perms = this.state.permissionsIn(channelId, userId);
    if (!hasPermissions(perms, Permissions.VIEW_CHANNEL)) throw Errors.missingAccess();
    if (
      channel.type === ChannelType.PrivateThread &&
      channel.thread &&
      !channel.thread.memberIds.has(userId) &&
      !hasPermissions(perms, Permissions.MANAGE_THREADS)
    )
      throw Errors.missingAccess();
    return channel;
  }

  requirePermissions(channel: ChannelRecord, required: bigint, userId = this.options.botUserId): void {
    if (channel.guildId === null) return;
    if (!hasPermissions(this.state.permissionsIn(channel.id, userId), required)) throw Errors.missingPermissions();
  }

  message(channelId: string, messageId: string): MessageRecord {
    const message = this.state.messages.get(messageId);
    if (!message || message.deleted || message.channelId !== channelId) throw Errors.unknownMessage();
    return message;
  }

  // ---- dispatch helpers ------------------------------------------------------------------------

  /** Sends an event to the sessions of the shard that owns `guildId`; null (DMs) means shard 0. */
  dispatch(t: string, d: unknown, guildId: string | null, intent?: number): void {
    this.gateway.dispatch(t, d, guildId, intent);
  }

  dispatchChannel(t: 'CHANNEL_CREATE' | 'CHANNEL_UPDATE' | 'CHANNEL_DELETE', channel: ChannelRecord): void {
    if (channel.guildId && !this.state.guilds.get(channel.guildId)?.botJoined) return;
    const isThread = THREAD_TYPES.includes(channel.type);
    const event = isThread ? (t.replace('CHANNEL_', 'THREAD_') as string) : t;
    this.dispatch(event, this.state.channelJson(channel), channel.guildId, Intents.GUILDS);
  }

  // ---- messages --------------------------------------------------------------------------------

  createMessage(input: CreateMessageInput): MessageRecord {
    const channel = this.state.channels.get(input.channelId);
    if (!channel) throw Errors.unknownChannel();
    const body = input.body;
    const attachments: Attachment[] = (input.files ?? []).map((file) => {
      const id = this.state.ids.next();
      const url = `https://cdn.discordapp.com/attachments/${channel.id}/${id}/${encodeURIComponent(file.filename)}`;
      return {
        id,
        filename: file.filename,
        size: file.size,
        content_type: file.contentType || undefined,
        url,
        proxy_url: url,
        ...(file.data ? { data: file.data } : {}),
      };
    });
    const flags = (typeof body.flags === 'number' ? body.flags : 0) | (input.flags ?? 0) | (input.ephemeral ? MessageFlags.EPHEMERAL : 0);
    const message: MessageRecord = {
      id: this.state.ids.next(),
      channelId: channel.id,
      guildId: channel.guildId,
      authorId: input.authorId,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: Array.isArray(body.embeds) ? body.embeds.map(normaliseEmbed) : [],
      components: Array.isArray(body.components) ? body.components : [],
      attachments,
      allowedMentions: body.allowed_mentions,
      nonce: typeof body.nonce === 'string' || typeof body.nonce === 'number' ? body.nonce : undefined,
      flags,
      type: input.type ?? 0,
      timestamp: this.state.isoNow(),
      editedTimestamp: null,
      webhookId: input.webhookId,
      interactionId: input.interactionId,
      ephemeral: (flags & MessageFlags.EPHEMERAL) !== 0,
      deleted: false,
      lastBody: body,
    };
    this.state.addMessage(message);
    if (!message.ephemeral) {
      channel.lastMessageId = message.id;
      if (channel.thread) channel.thread.messageCount++;
    }
    this.events.emit('message', { kind: 'create', message: messageView(this.state, message) });
    if (!message.ephemeral) {
      const intent = channel.guildId ? Intents.GUILD_MESSAGES : Intents.DIRECT_MESSAGES;
      this.dispatch(
        'MESSAGE_CREATE',
        {
          ...this.state.messageJson(message),
          ...(channel.guildId ? { member: this.memberJsonFor(channel.guildId, message.authorId) } : {}),
        },
        channel.guildId,
        intent,
      );
    }
    return message;
  }

  private memberJsonFor(guildId: string, userId: string): Record<string, unknown> | undefined {
    const member = this.state.member(guildId, userId);
    return member ? this.state.memberJson(member, false) : undefined;
  }

  editMessage(message: MessageRecord, body: Record<string, unknown>, files: UploadedFile[] = []): MessageRecord {
    if (typeof body.content === 'string' || body.content === null) message.content = body.content ?? '';
    if (Array.isArray(body.embeds) || body.embeds === null) message.embeds = (body.embeds ?? []).map(normaliseEmbed);
    if (Array.isArray(body.components) || body.components === null) message.components = body.components ?? [];
    if (body.allowed_mentions !== undefined) message.allowedMentions = body.allowed_mentions;
    if (typeof body.flags === 'number') message.flags = (message.flags & MessageFlags.EPHEMERAL) | (body.flags & ~MessageFlags.EPHEMERAL);
    if (Array.isArray(body.attachments)) {
      const keep = new Set(body.attachments.filter(isRecord).map((a) => String(a.id)));
      message.attachments = message.attachments.filter((a) => keep.has(a.id));
    }
    for (const file of files) {
      const id = this.state.ids.next();
      const url = `https://cdn.discordapp.com/attachments/${message.channelId}/${id}/${encodeURIComponent(file.filename)}`;
      message.attachments.push({
        id,
        filename: file.filename,
        size: file.size,
        url,
        proxy_url: url,
        ...(file.data ? { data: file.data } : {}),
      });
    }
    message.flags &= ~MessageFlags.LOADING;
    message.editedTimestamp = this.state.isoNow();
    message.lastBody = body;
    this.events.emit('message', { kind: 'update', message: messageView(this.state, message) });
    if (!message.ephemeral) {
      const channel = this.state.channels.get(message.channelId);
      const intent = channel?.guildId ? Intents.GUILD_MESSAGES : Intents.DIRECT_MESSAGES;
      this.dispatch('MESSAGE_UPDATE', this.state.messageJson(message), message.guildId, intent);
    }
    return message;
  }

  deleteMessage(message: MessageRecord): void {
    message.deleted = true;
    this.events.emit('message', { kind: 'delete', message: messageView(this.state, message) });
    if (!message.ephemeral) {
      const channel = this.state.channels.get(message.channelId);
      const intent = channel?.guildId ? Intents.GUILD_MESSAGES : Intents.DIRECT_MESSAGES;
      this.dispatch(
        'MESSAGE_DELETE',
        { id: message.id, channel_id: message.channelId, guild_id: message.guildId ?? undefined },
        message.guildId,
        intent,
      );
    }
  }

  findNonceDuplicate(channelId: string, authorId: string, nonce: string | number): MessageRecord | undefined {
    // The window runs on the emulated clock: a bot whose clock jumps a day must not find yesterday's send.
    const cutoff = this.options.now() - this.options.nonceWindowMs;
    return this.state
      .channelMessages(channelId)
      .find((m) => m.authorId === authorId && m.nonce === nonce && Date.parse(m.timestamp) >= cutoff);
  }

  // ---- threads ---------------------------------------------------------------------------------

  /** Discord refuses a new or reopened thread once a guild has its maximum of active threads. */
  ensureRoomForActiveThread(guildId: string | null): void {
    if (guildId !== null && this.state.activeThreadCount(guildId) >= this.options.maxActiveThreads) throw Errors.maxActiveThreads();
  }

  createThread(
    parent: ChannelRecord,
    opts: {
      name: string;
      type: number;
      ownerId: string;
      invitable?: boolean;
      autoArchiveDuration?: number;
      starterMessage?: MessageRecord;
      id?: string;
    },
  ): ChannelRecord {
    this.ensureRoomForActiveThread(parent.guildId);
    const now = this.state.isoNow();
    const thread = newChannel({
      id: opts.id ?? opts.starterMessage?.id ?? this.state.ids.next(),
      guildId: parent.guildId,
      type: opts.type,
      name: opts.name,
      parentId: parent.id,
      thread: {
        ownerId: opts.ownerId,
        archived: false,
        locked: false,
        autoArchiveDuration: opts.autoArchiveDuration ?? 4320,
        invitable: opts.type === ChannelType.PrivateThread ? (opts.invitable ?? true) : undefined,
        createTimestamp: now,
        archiveTimestamp: now,
        memberIds: new Set([opts.ownerId]),
        messageCount: 0,
        starterMessageId: opts.starterMessage?.id,
      },
    });
    this.state.addChannel(thread);
    if (opts.starterMessage) opts.starterMessage.threadId = thread.id;
    this.events.emit('thread', { kind: 'create', thread: threadView(thread) });
    this.dispatch('THREAD_CREATE', { ...this.state.channelJson(thread), newly_created: true }, thread.guildId, Intents.GUILDS);
    return thread;
  }

  /** Reopens an archived thread (160006 when the guild is full) and tells the gateway as Discord does. */
  unarchiveThread(thread: ChannelRecord): void {
    if (!thread.thread?.archived) return;
    this.ensureRoomForActiveThread(thread.guildId);
    this.state.setThreadArchived(thread, false);
    this.events.emit('thread', { kind: 'update', thread: threadView(thread) });
    this.dispatchChannel('CHANNEL_UPDATE', thread);
    this.announceReopenedThread(thread);
  }

  /** After THREAD_UPDATE, Discord sends each member of a reopened thread its THREAD_MEMBER_UPDATE. */
  announceReopenedThread(thread: ChannelRecord): void {
    if (!thread.thread?.memberIds.has(this.options.botUserId)) return;
    this.dispatch(
      'THREAD_MEMBER_UPDATE',
      { id: thread.id, user_id: this.options.botUserId, join_timestamp: thread.thread.createTimestamp, flags: 0, guild_id: thread.guildId },
      thread.guildId,
      Intents.GUILDS,
    );
  }
}

function normaliseEmbed(embed: unknown): unknown {
  return isRecord(embed) ? { type: 'rich', ...embed } : embed;
}
