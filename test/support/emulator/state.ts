import { computeChannelPermissions, ALL_PERMISSIONS, type PermissionOverwrite } from './permissions.ts';
import { SnowflakeGenerator } from './util.ts';

export const ChannelType = {
  GuildText: 0,
  DM: 1,
  GuildVoice: 2,
  GuildCategory: 4,
  GuildAnnouncement: 5,
  AnnouncementThread: 10,
  PublicThread: 11,
  PrivateThread: 12,
  GuildStageVoice: 13,
  GuildForum: 15,
} as const;

export const THREAD_TYPES: readonly number[] = [10, 11, 12];

export interface UserRecord {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
}

export interface RoleRecord {
  id: string;
  guildId: string;
  name: string;
  permissions: bigint;
  position: number;
  color: number;
  hoist: boolean;
  mentionable: boolean;
  managed: boolean;
  botId?: string;
}

export interface MemberRecord {
  guildId: string;
  userId: string;
  roles: string[];
  joinedAt: string;
  nick: string | null;
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  preferredLocale: string;
  systemChannelId: string | null;
  roleIds: string[];
  /** Whether the bot is a member (guilds without the bot are invisible to it). */
  botJoined: boolean;
  features: string[];
}

export interface ThreadInfo {
  ownerId: string;
  archived: boolean;
  locked: boolean;
  autoArchiveDuration: number;
  invitable?: boolean;
  createTimestamp: string;
  archiveTimestamp: string;
  memberIds: Set<string>;
  messageCount: number;
  /** id of the message the thread was started from, if any */
  starterMessageId?: string;
}

export interface ChannelRecord {
  id: string;
  guildId: string | null;
  type: number;
  name: string;
  parentId: string | null;
  position: number;
  topic: string | null;
  nsfw: boolean;
  rateLimitPerUser: number;
  permissionOverwrites: PermissionOverwrite[];
  lastMessageId: string | null;
  thread?: ThreadInfo;
  /** DM channels */
  recipientIds?: string[];
}

/** A channel record with the defaults every new channel, thread or DM starts from. */
export function newChannel(
  fields: Pick<ChannelRecord, 'id' | 'guildId' | 'type' | 'name' | 'parentId'> & Partial<ChannelRecord>,
): ChannelRecord {
  return { position: 0, topic: null, nsfw: false, rateLimitPerUser: 0, permissionOverwrites: [], lastMessageId: null, ...fields };
}

export interface Attachment {
  id: string;
  filename: string;
  size: number;
  content_type?: string;
  url: string;
  proxy_url: string;
  /** The bytes, when known: what the bot uploaded, or what a test attached to a slash command. */
  data?: Buffer;
}

export interface MessageRecord {
  id: string;
  channelId: string;
  guildId: string | null;
  authorId: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: Attachment[];
  allowedMentions?: unknown;
  nonce?: string | number;
  flags: number;
  type: number;
  timestamp: string;
  editedTimestamp: string | null;
  /** Thread started from this message. */
  threadId?: string;
  webhookId?: string;
  interactionId?: string;
  ephemeral: boolean;
  deleted: boolean;
  /** Set by the pin routes (test/support/emulator/pins.ts). */
  pinned?: boolean;
  /** Raw request body of the last create/edit, for assertions. */
  lastBody?: unknown;
}

export interface CommandRecord {
  id: string;
  applicationId: string;
  guildId: string | null;
  version: string;
  /** The validated request definition (as sent by the bot). */
  definition: Record<string, unknown>;
}

export interface CreateGuildOptions {
  id?: string;
  name: string;
  ownerId?: string;
  preferredLocale?: string;
  /** Permissions of @everyone. Defaults to normal member permissions. */
  everyonePermissions?: bigint;
  /** Add the bot to the guild right away (default true). */
  withBot?: boolean;
  /** Permissions of the bot's managed role. */
  botPermissions?: bigint;
  features?: string[];
}

export interface CreateChannelOptions {
  name: string;
  type?: number;
  parentId?: string | null;
  topic?: string | null;
  permissionOverwrites?: OverwriteInput[];
  position?: number;
}

export interface OverwriteInput {
  id: string;
  type: 'role' | 'member' | 0 | 1;
  allow?: bigint;
  deny?: bigint;
}

export function toOverwrite(input: OverwriteInput): PermissionOverwrite {
  return {
    id: input.id,
    type: input.type === 'role' || input.type === 0 ? 0 : 1,
    allow: input.allow ?? 0n,
    deny: input.deny ?? 0n,
  };
}

/** Adds `value` to the set stored under `key`, creating it. */
function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(value);
}

/**
 * In-memory Discord state, plus serialisation to v10 API objects. Records are read through the maps
 * and changed through the methods, which keep the per-guild and per-channel indexes that let a
 * lookup cost what it returns, not the size of the whole emulated Discord.
 */
export class EmulatorState {
  readonly ids: SnowflakeGenerator;
  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly commands = new Map<string, CommandRecord>();
  private readonly roleMap = new Map<string, RoleRecord>();
  private readonly channelMap = new Map<string, ChannelRecord>();
  private readonly messageMap = new Map<string, MessageRecord>();
  private readonly rolesByGuild = new Map<string, Set<string>>();
  private readonly membersByGuild = new Map<string, Map<string, MemberRecord>>();
  private readonly channelsByGuild = new Map<string, Set<string>>();
  private readonly threadsByGuild = new Map<string, Set<string>>();
  private readonly activeThreadsByGuild = new Map<string, Set<string>>();
  private readonly threadsByParent = new Map<string, Set<string>>();
  private readonly dmByRecipient = new Map<string, string>();
  /** Messages of each channel in id order (ids only grow, so appending keeps the order). */
  private readonly messagesByChannel = new Map<string, MessageRecord[]>();

  constructor(
    readonly botUserId: string,
    readonly applicationId: string,
    readonly now: () => number = Date.now,
  ) {
    this.ids = new SnowflakeGenerator(now);
  }

  /** The emulated clock as an ISO timestamp, for every timestamp Discord would stamp. */
  isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  get roles(): ReadonlyMap<string, RoleRecord> {
    return this.roleMap;
  }

  get channels(): ReadonlyMap<string, ChannelRecord> {
    return this.channelMap;
  }

  get messages(): ReadonlyMap<string, MessageRecord> {
    return this.messageMap;
  }

  // ---- roles -----------------------------------------------------------------------------------

  addRole(role: RoleRecord): void {
    this.roleMap.set(role.id, role);
    addTo(this.rolesByGuild, role.guildId, role.id);
  }

  guildRoles(guildId: string): RoleRecord[] {
    return [...(this.rolesByGuild.get(guildId) ?? [])]
      .map((id) => this.roleMap.get(id))
      .filter((r) => r !== undefined)
      .sort((a, b) => a.position - b.position);
  }

  /** The managed role Discord gives a bot in a guild. */
  botRole(guildId: string, botId: string): RoleRecord | undefined {
    for (const id of this.rolesByGuild.get(guildId) ?? []) {
      const role = this.roleMap.get(id);
      if (role?.botId === botId) return role;
    }
    return undefined;
  }

  // ---- members ---------------------------------------------------------------------------------

  setMember(member: MemberRecord): void {
    let members = this.membersByGuild.get(member.guildId);
    if (!members) {
      members = new Map();
      this.membersByGuild.set(member.guildId, members);
    }
    members.set(member.userId, member);
  }

  deleteMember(guildId: string, userId: string): void {
    this.membersByGuild.get(guildId)?.delete(userId);
  }

  member(guildId: string, userId: string): MemberRecord | undefined {
    return this.membersByGuild.get(guildId)?.get(userId);
  }

  guildMembers(guildId: string): MemberRecord[] {
    return [...(this.membersByGuild.get(guildId)?.values() ?? [])];
  }

  memberCount(guildId: string): number {
    return this.membersByGuild.get(guildId)?.size ?? 0;
  }

  // ---- channels and threads --------------------------------------------------------------------

  addChannel(channel: ChannelRecord): void {
    this.channelMap.set(channel.id, channel);
    if (channel.type === ChannelType.DM) {
      for (const recipient of channel.recipientIds ?? []) if (recipient !== this.botUserId) this.dmByRecipient.set(recipient, channel.id);
      return;
    }
    if (channel.guildId === null) return;
    if (!channel.thread) {
      addTo(this.channelsByGuild, channel.guildId, channel.id);
      return;
    }
    addTo(this.threadsByGuild, channel.guildId, channel.id);
    if (channel.parentId) addTo(this.threadsByParent, channel.parentId, channel.id);
    if (!channel.thread.archived) addTo(this.activeThreadsByGuild, channel.guildId, channel.id);
  }

  /** Removes a channel and, for a parent channel, the threads in it. Returns what was removed. */
  deleteChannel(channelId: string): ChannelRecord[] {
    const channel = this.channelMap.get(channelId);
    if (!channel) return [];
    const removed = [channel];
    for (const threadId of this.threadsByParent.get(channelId) ?? []) {
      const thread = this.channelMap.get(threadId);
      if (thread) removed.push(thread);
    }
    this.threadsByParent.delete(channelId);
    for (const c of removed) {
      this.channelMap.delete(c.id);
      if (c.guildId !== null) {
        this.channelsByGuild.get(c.guildId)?.delete(c.id);
        this.threadsByGuild.get(c.guildId)?.delete(c.id);
        this.activeThreadsByGuild.get(c.guildId)?.delete(c.id);
      }
      if (c.thread && c.parentId) this.threadsByParent.get(c.parentId)?.delete(c.id);
    }
    return removed;
  }

  /** Changes a thread's archived flag, keeping the guild's count of active threads. */
  setThreadArchived(thread: ChannelRecord, archived: boolean): void {
    if (!thread.thread || thread.guildId === null) return;
    thread.thread.archived = archived;
    thread.thread.archiveTimestamp = this.isoNow();
    if (archived) this.activeThreadsByGuild.get(thread.guildId)?.delete(thread.id);
    else addTo(this.activeThreadsByGuild, thread.guildId, thread.id);
  }

  activeThreadCount(guildId: string): number {
    return this.activeThreadsByGuild.get(guildId)?.size ?? 0;
  }

  dmChannelWith(userId: string): ChannelRecord | undefined {
    const id = this.dmByRecipient.get(userId);
    return id === undefined ? undefined : this.channelMap.get(id);
  }

  guildChannels(guildId: string, includeThreads = false): ChannelRecord[] {
    const ids = [...(this.channelsByGuild.get(guildId) ?? []), ...(includeThreads ? (this.threadsByGuild.get(guildId) ?? []) : [])];
    return ids.map((id) => this.channelMap.get(id)).filter((c) => c !== undefined);
  }

  guildThreads(guildId: string): ChannelRecord[] {
    return [...(this.threadsByGuild.get(guildId) ?? [])].map((id) => this.channelMap.get(id)).filter((c) => c !== undefined);
  }

  activeGuildThreads(guildId: string): ChannelRecord[] {
    return [...(this.activeThreadsByGuild.get(guildId) ?? [])].map((id) => this.channelMap.get(id)).filter((c) => c !== undefined);
  }

  /** Threads under one parent channel, or every thread. */
  threads(parentId?: string): ChannelRecord[] {
    const ids =
      parentId === undefined
        ? [...this.threadsByGuild.values()].flatMap((set) => [...set])
        : [...(this.threadsByParent.get(parentId) ?? [])];
    return ids.map((id) => this.channelMap.get(id)).filter((c) => c !== undefined);
  }

  // ---- messages --------------------------------------------------------------------------------

  addMessage(message: MessageRecord): void {
    this.messageMap.set(message.id, message);
    let list = this.messagesByChannel.get(message.channelId);
    if (!list) {
      list = [];
      this.messagesByChannel.set(message.channelId, list);
    }
    list.push(message);
  }

  /** A channel's messages in id order, deleted ones included. */
  allChannelMessages(channelId: string): readonly MessageRecord[] {
    return this.messagesByChannel.get(channelId) ?? [];
  }

  channelMessages(channelId: string): MessageRecord[] {
    return this.allChannelMessages(channelId).filter((m) => !m.deleted);
  }

  /** Computes a user's permissions in a guild channel (threads use their parent's overwrites). */
  permissionsIn(channelId: string, userId: string): bigint {
    const channel = this.channels.get(channelId);
    if (!channel) return 0n;
    if (channel.guildId === null) return ALL_PERMISSIONS;
    const guild = this.guilds.get(channel.guildId);
    const member = this.member(channel.guildId, userId);
    if (!guild || !member) return 0n;
    const source = channel.thread && channel.parentId ? (this.channels.get(channel.parentId) ?? channel) : channel;
    return computeChannelPermissions(
      {
        guildId: guild.id,
        ownerId: guild.ownerId,
        rolePermissions: new Map(this.guildRoles(guild.id).map((r) => [r.id, r.permissions])),
        memberRoleIds: member.roles,
        userId,
      },
      source.permissionOverwrites,
    );
  }

  guildPermissions(guildId: string, userId: string): bigint {
    const guild = this.guilds.get(guildId);
    const member = this.member(guildId, userId);
    if (!guild || !member) return 0n;
    return computeChannelPermissions(
      {
        guildId,
        ownerId: guild.ownerId,
        rolePermissions: new Map(this.guildRoles(guildId).map((r) => [r.id, r.permissions])),
        memberRoleIds: member.roles,
        userId,
      },
      [],
    );
  }

  // ---- serialisation -------------------------------------------------------------------------

  userJson(userId: string): Record<string, unknown> {
    const user = this.users.get(userId);
    if (!user) throw new Error(`Unknown user ${userId}`);
    return {
      id: user.id,
      username: user.username,
      discriminator: '0',
      global_name: user.globalName,
      avatar: null,
      bot: user.bot || undefined,
      system: false,
      public_flags: 0,
      flags: 0,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
    };
  }

  memberJson(member: MemberRecord, withUser = true): Record<string, unknown> {
    return {
      ...(withUser ? { user: this.userJson(member.userId) } : {}),
      nick: member.nick,
      avatar: null,
      banner: null,
      roles: [...member.roles],
      joined_at: member.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
    };
  }

  roleJson(role: RoleRecord): Record<string, unknown> {
    return {
      id: role.id,
      name: role.name,
      color: role.color,
      colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
      hoist: role.hoist,
      icon: null,
      unicode_emoji: null,
      position: role.position,
      permissions: role.permissions.toString(),
      managed: role.managed,
      mentionable: role.mentionable,
      flags: 0,
      ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
    };
  }

  channelJson(channel: ChannelRecord): Record<string, unknown> {
    if (channel.type === ChannelType.DM) {
      return {
        id: channel.id,
        type: channel.type,
        last_message_id: channel.lastMessageId,
        flags: 0,
        recipients: (channel.recipientIds ?? []).map((id) => this.userJson(id)),
      };
    }
    const base: Record<string, unknown> = {
      id: channel.id,
      type: channel.type,
      guild_id: channel.guildId,
      name: channel.name,
      parent_id: channel.parentId,
      flags: 0,
    };
    if (channel.thread) {
      const t = channel.thread;
      return {
        ...base,
        owner_id: t.ownerId,
        last_message_id: channel.lastMessageId,
        rate_limit_per_user: channel.rateLimitPerUser,
        message_count: t.messageCount,
        total_message_sent: t.messageCount,
        member_count: Math.min(t.memberIds.size, 50),
        thread_metadata: {
          archived: t.archived,
          auto_archive_duration: t.autoArchiveDuration,
          archive_timestamp: t.archiveTimestamp,
          locked: t.locked,
          create_timestamp: t.createTimestamp,
          ...(channel.type === ChannelType.PrivateThread ? { invitable: t.invitable ?? true } : {}),
        },
      };
    }
    const guildChannel: Record<string, unknown> = {
      ...base,
      position: channel.position,
      permission_overwrites: channel.permissionOverwrites.map((o) => ({
        id: o.id,
        type: o.type,
        allow: o.allow.toString(),
        deny: o.deny.toString(),
      })),
      nsfw: channel.nsfw,
    };
    switch (channel.type) {
      case ChannelType.GuildVoice:
      case ChannelType.GuildStageVoice:
        return {
          ...guildChannel,
          bitrate: 64000,
          user_limit: 0,
          rtc_region: null,
          last_message_id: channel.lastMessageId,
          rate_limit_per_user: 0,
        };
      case ChannelType.GuildCategory:
        return guildChannel;
      case ChannelType.GuildForum:
        return {
          ...guildChannel,
          topic: channel.topic,
          rate_limit_per_user: channel.rateLimitPerUser,
          last_message_id: channel.lastMessageId,
          available_tags: [],
          default_reaction_emoji: null,
          default_sort_order: null,
          default_forum_layout: 0,
          default_thread_rate_limit_per_user: 0,
          template: '',
        };
      default:
        return {
          ...guildChannel,
          topic: channel.topic,
          rate_limit_per_user: channel.rateLimitPerUser,
          last_message_id: channel.lastMessageId,
          default_auto_archive_duration: 4320,
        };
    }
  }

  messageJson(message: MessageRecord): Record<string, unknown> {
    const thread = message.threadId ? this.channels.get(message.threadId) : undefined;
    return {
      id: message.id,
      channel_id: message.channelId,
      ...(message.guildId ? { guild_id: message.guildId } : {}),
      author: this.userJson(message.authorId),
      content: message.content,
      timestamp: message.timestamp,
      edited_timestamp: message.editedTimestamp,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: message.attachments.map(attachmentJson),
      embeds: message.embeds,
      components: message.components,
      pinned: message.pinned === true,
      type: message.type,
      flags: message.flags,
      ...(message.nonce !== undefined ? { nonce: message.nonce } : {}),
      ...(message.webhookId ? { webhook_id: message.webhookId, application_id: this.applicationId } : {}),
      ...(thread ? { thread: this.channelJson(thread) } : {}),
    };
  }

  guildJson(guild: GuildRecord): Record<string, unknown> {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 1,
      default_message_notifications: 1,
      explicit_content_filter: 2,
      roles: this.guildRoles(guild.id).map((r) => this.roleJson(r)),
      emojis: [],
      features: guild.features,
      mfa_level: 0,
      application_id: null,
      system_channel_id: guild.systemChannelId,
      system_channel_flags: 0,
      rules_channel_id: null,
      max_presences: null,
      max_members: 500000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: guild.preferredLocale,
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: 0,
      stickers: [],
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      incidents_data: null,
    };
  }

  /** The gateway GUILD_CREATE payload: the guild plus channels, threads and the bot's own member. */
  guildCreateJson(guild: GuildRecord): Record<string, unknown> {
    const me = this.member(guild.id, this.botUserId);
    return {
      ...this.guildJson(guild),
      joined_at: me?.joinedAt ?? this.isoNow(),
      large: false,
      unavailable: false,
      lazy: true,
      member_count: this.memberCount(guild.id),
      voice_states: [],
      members: me ? [this.memberJson(me)] : [],
      channels: this.guildChannels(guild.id).map((c) => {
        const json = this.channelJson(c);
        delete json.guild_id;
        return json;
      }),
      threads: this.activeGuildThreads(guild.id).map((t) => this.channelJson(t)),
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
      activity_instances: [],
    };
  }
}

/** An attachment as Discord sends it: its bytes stay in the emulator. */
function attachmentJson(attachment: Attachment): Omit<Attachment, 'data'> {
  const json: Attachment = { ...attachment };
  delete json.data;
  return json;
}
