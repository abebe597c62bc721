/**
 * Local Discord emulator (API v10 REST + JSON gateway) for end-to-end tests, benchmarks and the demo.
 *
 * Like Discord, and where bots at scale trip:
 * - A global rate limit per bot token (50 requests per second; interaction endpoints exempt) and a
 *   bucket per route and channel, guild or webhook, both with Discord's 429 body and headers.
 * - At most 1000 active threads per guild (maxActiveThreads): creating or reopening one past that
 *   answers 400 160006. Posting in an archived, unlocked thread reopens it.
 * - Request Guild Members (opcode 8): up to 100 user ids without a privileged intent; the whole list
 *   only with GUILD_MEMBERS and once per guild per 30 s (RATE_LIMITED); GUILD_MEMBERS_CHUNKs of up
 *   to 1000. Requests Discord ignores (over 100 ids, whole list without the intent) get no answer.
 * - The gateway closes a connection sending over 120 commands a minute (4008) or a payload over
 *   4096 bytes (4002), and streams GUILD_CREATEs after READY so 10,000 guilds do not stall it.
 * - An injectable clock (`now`) for timestamps, snowflakes and the enforce_nonce window; the
 *   interaction deadline and the rate limits run on real time, as they model the network.
 * - Sharding: GET /gateway/bot recommends `shards` and reports `session_start_limit`. IDENTIFY's
 *   `shard: [id, count]` must satisfy 0 <= id < count (else 4010), and a session that would handle
 *   more than 2500 guilds is closed with 4011 (maxGuildsPerShard). A session gets only the guilds
 *   of its shard, `(guild_id >> 22) % count` (READY, GUILD_CREATE and every guild event), events
 *   without a guild go to shard 0, and sessions of any shard or count coexist. Opcode 8 for a guild
 *   of another shard gets no answer. Each successful IDENTIFY uses one of 1000 session starts a
 *   day; past them Discord resets the token: every connection closes and the token gets 4004 on
 *   the gateway and 401 on REST.
 * - Command localizations: map keys must be Discord locales, localized CHAT_INPUT names follow the
 *   naming rule and differ from their sibling options' names in each locale. The list endpoints
 *   return the maps only with `with_localizations=true`, else `name_localized` and
 *   `description_localized` for the requester's X-Discord-Locale. commandsSeenBy() lists commands
 *   as a member's client shows them in a locale.
 * - Invocations refuse option values Discord's client would not send (outside min_length,
 *   max_length, min_value, max_value or the choices) unless `force`; autocomplete answers with a
 *   choice value over 100 characters and modals prefilled beyond a text input's max_length get 400.
 *
 * Deliberate simplifications (vs. real Discord):
 * - Embeds without EMBED_LINKS are rejected with 403 50013 instead of being silently stripped.
 * - Every route gets 50 requests per second per channel, guild or webhook unless routeRateLimits
 *   sets Discord's tighter quota for it (e.g. 5 messages per 5 s). The global limit is a token
 *   bucket (a burst of 50, refilled at 50 per second): Discord does not document its algorithm, and
 *   a fixed window opened at the first arrival would refuse discord.js's next burst whenever its
 *   first request was slow to arrive. Retry-After is rounded up to whole seconds, as in Discord's
 *   examples. The invalid-request limit (10,000 401/403/429 per 10 minutes) is not modeled.
 * - Heartbeats do not count toward the 120 commands a minute (tests beat far more often than 41 s).
 * - Threads never archive themselves after inactivity; announcement threads count toward the
 *   guild's active-thread limit instead of a separate one (160007).
 * - Member requests never list presences (nobody is online); a query matches the start of a
 *   username, global name or nickname, ignoring case.
 * - GUILD_CREATE lists only the bot's own member (as Discord does without privileged intents) and
 *   never says `large`.
 * - The gateway does not close zombie connections that stop heartbeating.
 * - One IDENTIFY per max_concurrency bucket every 5 s (opcode 9 otherwise) is enforced only with
 *   identifyIntervalMs: discord.js keeps it within a process, and tests restart bots quickly.
 * - The recommended shard count is one per 1000 guilds, the ratio bots observe (Discord does not
 *   document its formula). Sessions ended by the token reset close with 4004 (undocumented too).
 *   Large bot sharding (a shard count that must be a multiple of a given number) is not modeled.
 */
import type { AddressInfo } from 'node:net';
import { EmulatorCore, type InteractionRecord } from './emulator/core.ts';
import { Gateway, Intents, type GatewaySessionInfo } from './emulator/gateway.ts';
import { RestServer, type FailRule, type RequestLogEntry, type StopAfterRule } from './emulator/http.ts';
import {
  InteractionDriver,
  type AutocompleteInvocation,
  type CommandInvocation,
  type ComponentInvocation,
  type InteractionResult,
  type ModalInvocation,
} from './emulator/interactions.ts';
import { commandAsSeen, type CommandAsSeen } from './emulator/commandsAsSeen.ts';
import { requireDiscordLocale } from './emulator/locales.ts';
import { answerMemberRequest, type MemberRequestRecord } from './emulator/memberRequests.ts';
import { DEFAULT_MEMBER_PERMISSIONS, Permissions, hasPermissions, type PermissionOverwrite } from './emulator/permissions.ts';
import type { RateLimitStats, RouteLimit } from './emulator/rateLimits.ts';
import { commandJson, registerRestRoutes } from './emulator/rest.ts';
import { seedCommunity, type CommunityIds } from './emulator/scenario.ts';
import { GuildIdAllocator, type SessionStartLimitJson, type ShardTuple } from './emulator/sharding.ts';
import {
  ChannelType,
  THREAD_TYPES,
  newChannel,
  toOverwrite,
  type ChannelRecord,
  type CreateChannelOptions,
  type CreateGuildOptions,
  type GuildRecord,
  type OverwriteInput,
  type RoleRecord,
} from './emulator/state.ts';
import { DISCORD_EPOCH, randomToken, realNow, sleepReal } from './emulator/util.ts';
import { messageView, threadView, type StoredMessage, type StoredThread } from './emulator/views.ts';

export {
  Permissions,
  ALL_PERMISSIONS,
  DEFAULT_MEMBER_PERMISSIONS,
  computeBasePermissions,
  computeChannelPermissions,
  permissionBits,
  permissionNames,
  hasPermissions,
} from './emulator/permissions.ts';
export type { PermissionOverwrite, PermissionContext, PermissionName } from './emulator/permissions.ts';
export { Intents, PRIVILEGED_INTENTS } from './emulator/gateway.ts';
export type { GatewaySessionInfo, DispatchRecord } from './emulator/gateway.ts';
export { ChannelType } from './emulator/state.ts';
export type { CreateChannelOptions, CreateGuildOptions, OverwriteInput } from './emulator/state.ts';
export type { RequestLogEntry, FailRule, StopAfterRule } from './emulator/http.ts';
export type {
  InteractionResult,
  CommandInvocation,
  AutocompleteInvocation,
  ComponentInvocation,
  ModalInvocation,
  OptionValue,
  AttachmentUpload,
} from './emulator/interactions.ts';
export type { StoredMessage, StoredThread } from './emulator/views.ts';
export type { CommunityIds } from './emulator/scenario.ts';
export type { MemberRequestRecord, MemberRequestOutcome } from './emulator/memberRequests.ts';
export type { RateLimitStats, RouteLimit } from './emulator/rateLimits.ts';
export { shardOf } from './emulator/sharding.ts';
export { DISCORD_LOCALES } from './emulator/locales.ts';
export type { DiscordLocale } from './emulator/locales.ts';
export type { CommandAsSeen, OptionAsSeen, ChoiceAsSeen } from './emulator/commandsAsSeen.ts';
export type { ShardTuple, SessionStartLimitJson } from './emulator/sharding.ts';

/** Discord's session start limit is per day. */
const SESSION_START_WINDOW_MS = 24 * 60 * 60_000;

export interface EmulatorOptions {
  /** Gateway HELLO heartbeat interval (default 41250 ms). */
  heartbeatIntervalMs?: number;
  /** Privileged intents the application has enabled (bitmask of Intents.GUILD_MEMBERS etc.); others get close 4014. */
  allowedPrivilegedIntents?: number;
  /** Real-time ms after which an interaction callback gets 404 10062 (default 3000; null disables). */
  interactionAckDeadlineMs?: number | null;
  /** Window for enforce_nonce de-duplication (default 5 minutes), on the `now` clock. */
  nonceWindowMs?: number;
  /**
   * The emulated clock in epoch ms (default Date.now): message timestamps, snowflake ids and the
   * enforce_nonce window follow it, so they agree with a bot on a fake clock. The interaction
   * deadline and the rate limits stay on real time: they model the network.
   */
  now?: () => number;
  /** Active (non-archived) threads a guild may have before Discord answers 160006 (default 1000). */
  maxActiveThreads?: number;
  /** Requests per window a bot token may make across all routes (default 50, as Discord); null disables. */
  globalRateLimit?: number | null;
  /** The global limit's window (default 1000 ms). */
  globalRateLimitWindowMs?: number;
  /** Per-route limits per channel, guild or webhook, e.g. `{ 'POST /channels/:channel_id/messages': { limit: 5, windowMs: 5000 } }`. */
  routeRateLimits?: Record<string, RouteLimit>;
  /** The limit of routes not in routeRateLimits (default 50 per 1000 ms). */
  defaultRouteRateLimit?: RouteLimit;
  /** Gateway commands a connection may send per minute, heartbeats aside, before close 4008 (default 120); null disables. */
  gatewayCommandsPerMinute?: number | null;
  /**
   * GET /gateway/bot's recommended `shards`. Default: one per 1000 guilds the bot is in (at least
   * one), recomputed on every call as Discord does.
   */
  recommendedShards?: number;
  /** `session_start_limit.max_concurrency`: IDENTIFY buckets (`shard_id % max_concurrency`) (default 1). */
  maxConcurrency?: number;
  /**
   * Real ms each IDENTIFY bucket waits before its next IDENTIFY, which otherwise gets opcode 9
   * (Discord: 5000). Default null, not enforced: the tests restart bots within seconds, and
   * discord.js would then wait 5 s to identify again.
   */
  identifyIntervalMs?: number | null;
  /** Successful IDENTIFYs per day before Discord resets the token (`session_start_limit.total`, default 1000). */
  sessionStartLimit?: number;
  /** Guilds one session may handle before IDENTIFY is closed with 4011 Sharding required (default 2500). */
  maxGuildsPerShard?: number;
  botUsername?: string;
  port?: number;
}

export interface CreateGuildsOptions {
  count: number;
  /** Guild names are `${namePrefix} ${index}` (default 'Guild'). */
  namePrefix?: string;
  /** Members in each guild besides its owner and the bot, each a new user (default 0). */
  membersPerGuild?: number;
  /** Owner of every guild (default: one new user owns them all). */
  ownerId?: string;
  everyonePermissions?: bigint;
  botPermissions?: bigint;
  /** Add the bot (default true); each guild then reaches connected sessions as one GUILD_CREATE. */
  withBot?: boolean;
}

export interface CreatedGuild {
  guildId: string;
  /** A text channel, also the system channel, that members and the bot can post in. */
  channelId: string;
  memberIds: string[];
}

export interface CreateUserOptions {
  username: string;
  globalName?: string | null;
  bot?: boolean;
  id?: string;
}

export interface CreateRoleOptions {
  name: string;
  permissions?: bigint;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
}

export interface WaitOptions {
  /**
   * Default 10 s: a wait is for something the bot does promptly, not a measure of how fast (the
   * benches measure that); 5 s ran out once with both cores busy (the bench beside the suite).
   */
  timeoutMs?: number;
  intervalMs?: number;
}

export interface EmulatorEvents {
  request: [RequestLogEntry];
  message: [{ kind: 'create' | 'update' | 'delete'; message: StoredMessage }];
  thread: [{ kind: string; thread: StoredThread; userId?: string }];
  dispatch: [{ sessionId: string; t: string; s: number; d: unknown }];
  identify: [Record<string, unknown>];
  memberRequest: [MemberRequestRecord];
}

/** A typed facade over Node's EventEmitter for the emulator's public events. */
export interface EmulatorEventBus {
  on<K extends keyof EmulatorEvents>(event: K, listener: (...args: EmulatorEvents[K]) => void): this;
  once<K extends keyof EmulatorEvents>(event: K, listener: (...args: EmulatorEvents[K]) => void): this;
  off<K extends keyof EmulatorEvents>(event: K, listener: (...args: EmulatorEvents[K]) => void): this;
}

/**
 * A local Discord (API v10 REST + gateway) for end-to-end tests and demos. Point discord.js at it with
 * `new Client({ intents: [Guilds], rest: { api: emu.apiBaseUrl } })` and `client.login(emu.token)`.
 */
export class DiscordEmulator {
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  /** Public events: 'request', 'message', 'thread', 'dispatch', 'identify', 'memberRequest'. */
  readonly events: EmulatorEventBus;
  /** Every IDENTIFY payload received (token included), for asserting intents. */
  readonly identifyPayloads: Record<string, unknown>[] = [];

  private readonly core: EmulatorCore;
  private readonly rest: RestServer;
  private readonly gateway: Gateway;
  private readonly driver: InteractionDriver;
  private readonly memberRequestLog: MemberRequestRecord[] = [];
  private readonly guildIds: GuildIdAllocator;
  private port = 0;

  private constructor(opts: EmulatorOptions) {
    const now = opts.now ?? Date.now;
    const botId = (((BigInt(Math.floor(now())) - DISCORD_EPOCH) << 22n) | 7n).toString();
    this.botUserId = botId;
    this.applicationId = botId;
    this.guildIds = new GuildIdAllocator(now());
    this.token = `${Buffer.from(botId).toString('base64url')}.${randomToken(6)}.${randomToken(38)}`;
    this.core = new EmulatorCore({
      token: this.token,
      applicationId: botId,
      botUserId: botId,
      interactionAckDeadlineMs: opts.interactionAckDeadlineMs === undefined ? 3000 : opts.interactionAckDeadlineMs,
      nonceWindowMs: opts.nonceWindowMs ?? 5 * 60_000,
      allowedPrivilegedIntents: opts.allowedPrivilegedIntents ?? 0,
      maxActiveThreads: opts.maxActiveThreads ?? 1000,
      now,
      recommendedShards: opts.recommendedShards ?? null,
    });
    this.events = this.core.events as unknown as EmulatorEventBus;
    this.core.state.users.set(botId, { id: botId, username: opts.botUsername ?? 'Bridges', globalName: null, bot: true });
    this.rest = new RestServer(this.token, (entry) => this.core.events.emit('request', entry), {
      globalLimit: opts.globalRateLimit === undefined ? 50 : opts.globalRateLimit,
      globalWindowMs: opts.globalRateLimitWindowMs ?? 1000,
      defaultRouteLimit: opts.defaultRouteRateLimit ?? { limit: 50, windowMs: 1000 },
      routes: opts.routeRateLimits ?? {},
    });
    this.gateway = new Gateway({
      token: this.token,
      heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41_250,
      allowedPrivilegedIntents: opts.allowedPrivilegedIntents ?? 0,
      commandsPerMinute: opts.gatewayCommandsPerMinute === undefined ? 120 : opts.gatewayCommandsPerMinute,
      url: () => this.gatewayUrl,
      readyPayload: (sessionId, guildIds, shard) => this.readyPayload(sessionId, guildIds, shard),
      joinedGuildIds: () => this.joinedGuilds().map((g) => g.id),
      guildCreatePayload: (guildId) => {
        const guild = this.core.state.guilds.get(guildId);
        return guild?.botJoined ? this.core.state.guildCreateJson(guild) : undefined;
      },
      requestGuildMembers: (session, d) => {
        const answer = answerMemberRequest(this.core.state, session, d, realNow());
        if (answer) {
          this.memberRequestLog.push(answer.record);
          this.core.events.emit('memberRequest', answer.record);
        }
        return answer;
      },
      onDispatch: (sessionId, payload) => this.core.events.emit('dispatch', { sessionId, t: payload.t, s: payload.s, d: payload.d }),
      onIdentify: (payload) => {
        this.identifyPayloads.push(payload);
        this.core.events.emit('identify', payload);
      },
      identifyLimits: {
        total: opts.sessionStartLimit ?? 1000,
        windowMs: SESSION_START_WINDOW_MS,
        maxConcurrency: opts.maxConcurrency ?? 1,
        bucketIntervalMs: opts.identifyIntervalMs ?? null,
        now: realNow,
      },
      maxGuildsPerShard: opts.maxGuildsPerShard ?? 2500,
      onTokenReset: () => this.rest.resetToken(),
    });
    this.core.gateway = this.gateway;
    this.core.gatewayUrl = () => this.gatewayUrl;
    this.core.cdnBaseUrl = () => `http://127.0.0.1:${this.port}/cdn`;
    this.rest.serveFiles('/cdn/attachments/', (path) => {
      const upload = this.core.uploads.get(path.split('/')[0] ?? '');
      return upload ? { data: upload.data, contentType: upload.contentType } : undefined;
    });
    registerRestRoutes(this.rest, this.core);
    this.driver = new InteractionDriver(this.core);
    this.rest.server.on('upgrade', (req, socket, head: Buffer) => this.gateway.handleUpgrade(req, socket, head));
  }

  static async start(opts: EmulatorOptions = {}): Promise<DiscordEmulator> {
    const emu = new DiscordEmulator(opts);
    await new Promise<void>((resolve, reject) => {
      emu.rest.server.once('error', reject);
      emu.rest.server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    emu.port = (emu.rest.server.address() as AddressInfo).port;
    return emu;
  }

  get apiBaseUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    this.rest.server.closeAllConnections();
    await new Promise<void>((resolve) => this.rest.server.close(() => resolve()));
  }

  // ---- state building --------------------------------------------------------------------------

  createUser(opts: CreateUserOptions): string {
    const id = opts.id ?? this.core.state.ids.next();
    this.core.state.users.set(id, { id, username: opts.username, globalName: opts.globalName ?? null, bot: opts.bot ?? false });
    return id;
  }

  /** Creates a guild; without `id`, successive guilds fall on successive shards of any count. */
  createGuild(opts: CreateGuildOptions): string {
    const { state } = this.core;
    const id = opts.id ?? this.guildIds.next();
    const ownerId = opts.ownerId ?? this.createUser({ username: `${opts.name.toLowerCase().replace(/\W+/g, '-')}-owner` });
    if (!state.users.has(ownerId)) throw new Error(`Unknown owner ${ownerId}`);
    const guild: GuildRecord = {
      id,
      name: opts.name,
      ownerId,
      preferredLocale: requireDiscordLocale(opts.preferredLocale ?? 'en-US', 'Guild preferred locale'),
      systemChannelId: null,
      roleIds: [],
      botJoined: false,
      features: opts.features ?? ['COMMUNITY', 'NEWS'],
    };
    state.guilds.set(id, guild);
    state.addRole({
      id,
      guildId: id,
      name: '@everyone',
      permissions: opts.everyonePermissions ?? DEFAULT_MEMBER_PERMISSIONS,
      position: 0,
      color: 0,
      hoist: false,
      mentionable: false,
      managed: false,
    });
    state.setMember({ guildId: id, userId: ownerId, roles: [], joinedAt: state.isoNow(), nick: null });
    if (opts.withBot ?? true) this.addBotToGuild(id, { permissions: opts.botPermissions });
    return id;
  }

  /** Adds the bot (with its managed role) to a guild; dispatches GUILD_CREATE to connected sessions. */
  addBotToGuild(guildId: string, opts: { permissions?: bigint } = {}): string {
    const { state } = this.core;
    const guild = this.guild(guildId);
    let role = state.botRole(guildId, this.botUserId);
    if (!role) {
      role = {
        id: state.ids.next(),
        guildId,
        name: state.users.get(this.botUserId)?.username ?? 'Bridges',
        permissions: opts.permissions ?? DEFAULT_MEMBER_PERMISSIONS,
        position: state.guildRoles(guildId).length,
        color: 0,
        hoist: false,
        mentionable: false,
        managed: true,
        botId: this.botUserId,
      };
      state.addRole(role);
    } else if (opts.permissions !== undefined) {
      role.permissions = opts.permissions;
    }
    state.setMember({ guildId, userId: this.botUserId, roles: [role.id], joinedAt: state.isoNow(), nick: null });
    if (!guild.botJoined) {
      guild.botJoined = true;
      this.core.dispatch('GUILD_CREATE', state.guildCreateJson(guild), guildId, Intents.GUILDS);
    }
    return role.id;
  }

  /** The bot leaves / is kicked: dispatches GUILD_DELETE. */
  removeBotFromGuild(guildId: string): void {
    this.core.removeBotFromGuild(guildId);
  }

  /** The id of the bot's managed role in a guild. */
  botRoleId(guildId: string): string {
    const role = this.core.state.botRole(guildId, this.botUserId);
    if (!role) throw new Error(`The bot has no role in guild ${guildId}`);
    return role.id;
  }

  /**
   * Changes a guild as its owner would in the client; `preferredLocale` (a Discord locale) becomes
   * the guild's `preferred_locale` and every later interaction's `guild_locale`.
   */
  updateGuild(
    guildId: string,
    patch: { name?: string; preferredLocale?: string; systemChannelId?: string | null; ownerId?: string },
  ): void {
    const guild = this.guild(guildId);
    if (patch.name !== undefined) guild.name = patch.name;
    if (patch.preferredLocale !== undefined) guild.preferredLocale = requireDiscordLocale(patch.preferredLocale, 'Guild preferred locale');
    if (patch.systemChannelId !== undefined) guild.systemChannelId = patch.systemChannelId;
    if (patch.ownerId !== undefined) guild.ownerId = patch.ownerId;
    if (guild.botJoined) this.core.dispatch('GUILD_UPDATE', this.core.state.guildJson(guild), guildId, Intents.GUILDS);
  }

  createChannel(guildId: string, opts: CreateChannelOptions): string {
    const { state } = this.core;
    this.guild(guildId);
    const type = opts.type ?? ChannelType.GuildText;
    if (THREAD_TYPES.includes(type)) throw new Error('Use createThread for threads');
    const channel = newChannel({
      id: state.ids.next(),
      guildId,
      type,
      name: opts.name,
      parentId: opts.parentId ?? null,
      position: opts.position ?? state.guildChannels(guildId).length,
      topic: opts.topic ?? null,
      permissionOverwrites: (opts.permissionOverwrites ?? []).map(toOverwrite),
    });
    state.addChannel(channel);
    this.core.dispatchChannel('CHANNEL_CREATE', channel);
    return channel.id;
  }

  /** Creates a thread as if `ownerId` (default: a guild member) made it in the Discord client. */
  createThread(
    parentId: string,
    opts: { name: string; type?: 11 | 12; ownerId?: string; invitable?: boolean; memberIds?: string[] },
  ): string {
    const parent = this.channelRecord(parentId);
    const guild = this.guild(parent.guildId ?? '');
    const thread = this.core.createThread(parent, {
      name: opts.name,
      type: opts.type ?? ChannelType.PublicThread,
      ownerId: opts.ownerId ?? guild.ownerId,
      invitable: opts.invitable,
    });
    for (const member of opts.memberIds ?? []) thread.thread?.memberIds.add(member);
    return thread.id;
  }

  deleteChannel(channelId: string): void {
    this.channelRecord(channelId);
    this.core.deleteChannel(channelId);
  }

  setChannelOverwrites(channelId: string, overwrites: OverwriteInput[]): void {
    const channel = this.channelRecord(channelId);
    channel.permissionOverwrites = overwrites.map(toOverwrite);
    this.core.dispatchChannel('CHANNEL_UPDATE', channel);
  }

  /** Adds or replaces one overwrite on a channel. */
  setChannelOverwrite(channelId: string, overwrite: OverwriteInput): void {
    const channel = this.channelRecord(channelId);
    const next: PermissionOverwrite = toOverwrite(overwrite);
    channel.permissionOverwrites = [...channel.permissionOverwrites.filter((o) => o.id !== next.id), next];
    this.core.dispatchChannel('CHANNEL_UPDATE', channel);
  }

  createRole(guildId: string, opts: CreateRoleOptions): string {
    const { state } = this.core;
    this.guild(guildId);
    const role: RoleRecord = {
      id: state.ids.next(),
      guildId,
      name: opts.name,
      permissions: opts.permissions ?? 0n,
      position: state.guildRoles(guildId).length,
      color: opts.color ?? 0,
      hoist: opts.hoist ?? false,
      mentionable: opts.mentionable ?? false,
      managed: false,
    };
    state.addRole(role);
    if (this.guild(guildId).botJoined)
      this.core.dispatch('GUILD_ROLE_CREATE', { guild_id: guildId, role: state.roleJson(role) }, guildId, Intents.GUILDS);
    return role.id;
  }

  setRolePermissions(roleId: string, permissions: bigint): void {
    const role = this.core.state.roles.get(roleId);
    if (!role) throw new Error(`Unknown role ${roleId}`);
    role.permissions = permissions;
    if (this.guild(role.guildId).botJoined)
      this.core.dispatch(
        'GUILD_ROLE_UPDATE',
        { guild_id: role.guildId, role: this.core.state.roleJson(role) },
        role.guildId,
        Intents.GUILDS,
      );
  }

  addMember(guildId: string, userId: string, opts: { roles?: string[]; nick?: string } = {}): void {
    const { state } = this.core;
    this.guild(guildId);
    if (!state.users.has(userId)) throw new Error(`Unknown user ${userId}`);
    const member = { guildId, userId, roles: opts.roles ?? [], joinedAt: state.isoNow(), nick: opts.nick ?? null };
    state.setMember(member);
    this.core.dispatch('GUILD_MEMBER_ADD', { ...state.memberJson(member), guild_id: guildId }, guildId, Intents.GUILD_MEMBERS);
  }

  /** Removes a member silently (GUILD_MEMBER_REMOVE needs a privileged intent, so nothing is dispatched). */
  removeMember(guildId: string, userId: string): void {
    this.core.state.deleteMember(guildId, userId);
    for (const channel of this.core.state.guildThreads(guildId)) channel.thread?.memberIds.delete(userId);
  }

  setMemberRoles(guildId: string, userId: string, roles: string[]): void {
    const { state } = this.core;
    const member = state.member(guildId, userId);
    if (!member) throw new Error(`User ${userId} is not in guild ${guildId}`);
    member.roles = [...roles];
    // The bot always hears about its own member; other members need GUILD_MEMBERS.
    this.core.dispatch(
      'GUILD_MEMBER_UPDATE',
      { ...state.memberJson(member), guild_id: guildId },
      guildId,
      userId === this.botUserId ? Intents.GUILDS : Intents.GUILD_MEMBERS,
    );
  }

  /**
   * A user posts a message (dispatched as MESSAGE_CREATE to sessions with GUILD_MESSAGES). Posting in
   * an archived thread reopens it, as Discord does, unless it is locked (only MANAGE_THREADS may);
   * a full guild refuses the reopening with the 160006 ApiError.
   */
  postUserMessage(channelId: string, userId: string, content: string): StoredMessage {
    const channel = this.channelRecord(channelId);
    if (channel.thread?.archived) {
      if (channel.thread.locked && !hasPermissions(this.core.state.permissionsIn(channel.id, userId), Permissions.MANAGE_THREADS))
        throw new Error(`Thread ${channel.id} is archived and locked: user ${userId} cannot post in it`);
      this.core.unarchiveThread(channel);
    }
    return messageView(this.core.state, this.core.createMessage({ channelId, authorId: userId, body: { content } }));
  }

  /** Someone (a moderator) deletes a message; dispatched as MESSAGE_DELETE like any deletion. */
  deleteMessage(channelId: string, messageId: string): void {
    this.core.deleteMessage(this.core.message(channelId, messageId));
  }

  /**
   * Creates `count` guilds fast, for benchmarks: each with a text channel (its system channel) that
   * members and the bot can post in, and optionally new members. Returns them in creation order.
   */
  createGuilds(opts: CreateGuildsOptions): CreatedGuild[] {
    const prefix = opts.namePrefix ?? 'Guild';
    const ownerId = opts.ownerId ?? this.createUser({ username: `${prefix.toLowerCase().replace(/\W+/g, '-')}-owner` });
    const created: CreatedGuild[] = [];
    for (let index = 0; index < opts.count; index++) {
      const name = `${prefix} ${index + 1}`;
      const guildId = this.createGuild({ name, ownerId, everyonePermissions: opts.everyonePermissions, withBot: false });
      const channelId = this.createChannel(guildId, { name: 'general' });
      this.updateGuild(guildId, { systemChannelId: channelId });
      const memberIds: string[] = [];
      for (let m = 0; m < (opts.membersPerGuild ?? 0); m++) {
        const userId = this.createUser({ username: `member-${index + 1}-${m + 1}` });
        this.addMember(guildId, userId);
        memberIds.push(userId);
      }
      if (opts.withBot ?? true) this.addBotToGuild(guildId, { permissions: opts.botPermissions });
      created.push({ guildId, channelId, memberIds });
    }
    return created;
  }

  /** The Bridges Test Community scenario (see scenario.ts). */
  seedCommunity(): CommunityIds {
    return seedCommunity(this);
  }

  // ---- interactions ----------------------------------------------------------------------------

  runCommand(inv: CommandInvocation): Promise<InteractionResult> {
    return this.driver.runCommand(inv);
  }

  autocomplete(inv: AutocompleteInvocation): Promise<unknown[]> {
    return this.driver.autocomplete(inv);
  }

  clickButton(inv: ComponentInvocation): Promise<InteractionResult> {
    return this.driver.clickButton(inv);
  }

  selectMenu(inv: ComponentInvocation & { values: string[] }): Promise<InteractionResult> {
    return this.driver.selectMenu(inv);
  }

  submitModal(inv: ModalInvocation): Promise<InteractionResult> {
    return this.driver.submitModal(inv);
  }

  /** Current state of an interaction's response (follow-ups keep arriving after runCommand resolves). */
  interaction(interactionId: string): InteractionResult & { payload: Record<string, unknown> } {
    const record: InteractionRecord | undefined = this.core.interactions.get(interactionId);
    if (!record) throw new Error(`Unknown interaction ${interactionId}`);
    return { ...this.driver.result(record), payload: record.payload };
  }

  // ---- inspection ------------------------------------------------------------------------------

  /** Messages in a channel, oldest first (ephemeral ones only with includeEphemeral). */
  /** The bytes of a file the bot uploaded (by attachment id), to read what it sent. */
  attachmentContent(attachmentId: string): Buffer | undefined {
    for (const message of this.core.state.messages.values()) {
      const found = message.attachments.find((attachment) => attachment.id === attachmentId);
      if (found) return found.data;
    }
    return undefined;
  }

  messages(channelId: string, opts: { includeEphemeral?: boolean; includeDeleted?: boolean } = {}): StoredMessage[] {
    const { state } = this.core;
    return state
      .allChannelMessages(channelId)
      .filter((m) => (opts.includeDeleted || !m.deleted) && (opts.includeEphemeral || !m.ephemeral))
      .map((m) => messageView(state, m));
  }

  message(messageId: string): StoredMessage | undefined {
    const m = this.core.state.messages.get(messageId);
    return m ? messageView(this.core.state, m) : undefined;
  }

  /** The bytes of a file the bot uploaded, by attachment id (undefined for an unknown id). */
  attachmentBytes(attachmentId: string): Buffer | undefined {
    for (const message of this.core.state.messages.values()) {
      const attachment = message.attachments.find((a) => a.id === attachmentId);
      if (attachment) return attachment.data;
    }
    return undefined;
  }

  threads(parentChannelId?: string): StoredThread[] {
    return this.core.state.threads(parentChannelId).map(threadView);
  }

  /** A user's names, for transcripts. */
  user(userId: string): { username: string; globalName: string | null } | undefined {
    const user = this.core.state.users.get(userId);
    return user ? { username: user.username, globalName: user.globalName } : undefined;
  }

  channel(channelId: string): Record<string, unknown> | undefined {
    const c = this.core.state.channels.get(channelId);
    return c ? this.core.state.channelJson(c) : undefined;
  }

  /** Registered commands as Discord returns them; guildId omitted = global commands. */
  registeredCommands(guildId?: string): Record<string, unknown>[] {
    return [...this.core.state.commands.values()].filter((c) => c.guildId === (guildId ?? null)).map((c) => commandJson(c));
  }

  /**
   * The commands a member's client lists, named and described in `locale` as Discord's client shows
   * them (the locale's localization, else its fallback's, else the default), options and choices
   * included. In a guild: its commands and the global ones; with `userId`, without those whose
   * default_member_permissions the member lacks. `name` stays the default: it is what to invoke.
   */
  commandsSeenBy(opts: { locale: string; guildId?: string; userId?: string }): CommandAsSeen[] {
    const locale = requireDiscordLocale(opts.locale, 'Member locale');
    const { state } = this.core;
    const guildId = opts.guildId ?? null;
    if (guildId !== null) this.guild(guildId);
    if (opts.userId !== undefined && guildId !== null && !state.member(guildId, opts.userId))
      throw new Error(`User ${opts.userId} is not a member of guild ${guildId}`);
    const permissions = opts.userId !== undefined && guildId !== null ? state.guildPermissions(guildId, opts.userId) : undefined;
    return [...state.commands.values()]
      .filter((command) => command.guildId === guildId || command.guildId === null)
      .filter((command) => {
        const required = command.definition.default_member_permissions;
        if (permissions === undefined || typeof required !== 'string') return true;
        return hasPermissions(permissions, BigInt(required)) || hasPermissions(permissions, Permissions.ADMINISTRATOR);
      })
      .map((command) => commandAsSeen(command, locale));
  }

  /** A user's computed permissions in a channel (threads use the parent's overwrites). */
  permissionsFor(channelId: string, userId: string): bigint {
    return this.core.state.permissionsIn(channelId, userId);
  }

  get requests(): readonly RequestLogEntry[] {
    return this.rest.log;
  }

  get gatewaySessions(): GatewaySessionInfo[] {
    return this.gateway.sessionInfo();
  }

  /** GET /gateway/bot's `session_start_limit` as it stands. */
  get sessionStartLimit(): SessionStartLimitJson {
    return this.gateway.sessionStartLimit;
  }

  /** GET /gateway/bot's recommended `shards` as it stands. */
  get recommendedShards(): number {
    return this.core.recommendedShards();
  }

  /** Whether the session start limit ran out, so Discord reset the token: it gets 4004 and 401 since. */
  get tokenWasReset(): boolean {
    return this.gateway.wasTokenReset;
  }

  /** Number of open gateway WebSocket connections. */
  get gatewayConnections(): number {
    return this.gateway.connectionCount;
  }

  /** Every Request Guild Members (opcode 8) received, with what the emulator did about it. */
  get memberRequests(): readonly MemberRequestRecord[] {
    return this.memberRequestLog;
  }

  /** 429s answered so far: by the global limit, by a route bucket, and injected with failNext(). */
  get rateLimitStats(): RateLimitStats {
    return { ...this.rest.rateLimiter.stats };
  }

  /** Active (non-archived) threads in a guild, which Discord caps at maxActiveThreads. */
  activeThreadCount(guildId: string): number {
    return this.core.state.activeThreadCount(guildId);
  }

  async waitFor<T>(predicate: () => T | undefined | null | false, opts: WaitOptions = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const started = realNow();
    for (;;) {
      const value = predicate();
      if (value !== undefined && value !== null && value !== false) return value;
      if (realNow() - started > timeoutMs) throw new Error(`waitFor timed out after ${timeoutMs} ms`);
      await sleepReal(opts.intervalMs ?? 10);
    }
  }

  waitForMessage(
    channelId: string,
    predicate: (m: StoredMessage) => boolean = () => true,
    opts: WaitOptions & { includeEphemeral?: boolean } = {},
  ): Promise<StoredMessage> {
    return this.waitFor(() => this.messages(channelId, { includeEphemeral: opts.includeEphemeral }).find(predicate), opts);
  }

  // ---- fault injection -------------------------------------------------------------------------

  /** The next matching request(s) fail, e.g. `{ route: 'POST /channels/:channel_id/messages', status: 429, retryAfter: 0.2 }`. */
  failNext(rule: FailRule): void {
    this.rest.failNext(rule);
  }

  /** Calls `then` right after the `count`-th successful response of a route (e.g. to kill the bot mid-job). */
  stopAfter(rule: StopAfterRule): void {
    this.rest.stopAfter(rule);
  }

  clearFaults(): void {
    this.rest.clearFaults();
  }

  /**
   * Drops every gateway socket, or only those of sessions on shard `shardId`; by default with close
   * code 4000 so discord.js resumes. Returns how many were dropped.
   */
  dropGatewayConnections(opts: { code?: number; terminate?: boolean; shardId?: number } = {}): number {
    return this.gateway.dropConnections(opts);
  }

  /** Sends opcode 7 (Reconnect) to every client. */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  /** Forgets all sessions, so RESUME attempts get opcode 9 and clients re-identify. */
  invalidateSessions(): void {
    this.gateway.invalidateSessions();
  }

  // ---- internals -------------------------------------------------------------------------------

  private guild(guildId: string): GuildRecord {
    const guild = this.core.state.guilds.get(guildId);
    if (!guild) throw new Error(`Unknown guild ${guildId}`);
    return guild;
  }

  private channelRecord(channelId: string): ChannelRecord {
    const channel = this.core.state.channels.get(channelId);
    if (!channel) throw new Error(`Unknown channel ${channelId}`);
    return channel;
  }

  private joinedGuilds(): GuildRecord[] {
    return [...this.core.state.guilds.values()].filter((g) => g.botJoined);
  }

  private readyPayload(sessionId: string, guildIds: string[], shard: ShardTuple | null): Record<string, unknown> {
    return {
      v: 10,
      user: { ...this.core.state.userJson(this.botUserId), verified: true, mfa_enabled: false, email: null },
      user_settings: {},
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      relationships: [],
      private_channels: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: ['local'],
      session_id: sessionId,
      session_type: 'normal',
      resume_gateway_url: this.gatewayUrl,
      // Discord echoes the shard only when IDENTIFY sent one.
      ...(shard ? { shard: [...shard] } : {}),
      application: { id: this.applicationId, flags: 1 << 19 },
      auth: {},
      _trace: ['["discord-emulator",{}]'],
    };
  }
}
