import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { MemberRequestAnswer, MemberRequestSession } from './memberRequests.ts';
import {
  IdentifyLimits,
  parseShard,
  sessionReceives,
  type IdentifyLimitOptions,
  type SessionStartLimitJson,
  type ShardTuple,
} from './sharding.ts';
import { isRecord, randomToken, realNow } from './util.ts';

export const Intents = {
  GUILDS: 1 << 0,
  GUILD_MEMBERS: 1 << 1,
  GUILD_MODERATION: 1 << 2,
  GUILD_EXPRESSIONS: 1 << 3,
  GUILD_INTEGRATIONS: 1 << 4,
  GUILD_WEBHOOKS: 1 << 5,
  GUILD_INVITES: 1 << 6,
  GUILD_VOICE_STATES: 1 << 7,
  GUILD_PRESENCES: 1 << 8,
  GUILD_MESSAGES: 1 << 9,
  GUILD_MESSAGE_REACTIONS: 1 << 10,
  GUILD_MESSAGE_TYPING: 1 << 11,
  DIRECT_MESSAGES: 1 << 12,
  DIRECT_MESSAGE_REACTIONS: 1 << 13,
  DIRECT_MESSAGE_TYPING: 1 << 14,
  MESSAGE_CONTENT: 1 << 15,
  GUILD_SCHEDULED_EVENTS: 1 << 16,
  AUTO_MODERATION_CONFIGURATION: 1 << 20,
  AUTO_MODERATION_EXECUTION: 1 << 21,
  GUILD_MESSAGE_POLLS: 1 << 24,
  DIRECT_MESSAGE_POLLS: 1 << 25,
} as const;

export const PRIVILEGED_INTENTS = Intents.GUILD_MEMBERS | Intents.GUILD_PRESENCES | Intents.MESSAGE_CONTENT;
const ALL_INTENTS = Object.values(Intents).reduce((acc, bit) => acc | bit, 0);

export interface DispatchRecord {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

export interface GatewaySessionInfo {
  sessionId: string;
  intents: number;
  connected: boolean;
  sequence: number;
  identifiedAt: number;
  resumes: number;
  /** `[shard_id, num_shards]` from IDENTIFY; null when it sent none (the session gets every guild). */
  shard: ShardTuple | null;
  /** Every dispatch sent (or queued while disconnected) to this session. */
  dispatches: readonly DispatchRecord[];
}

interface Session extends MemberRequestSession {
  seq: number;
  buffer: DispatchRecord[];
  socket: WebSocket | null;
  identifiedAt: number;
  resumes: number;
  invalid: boolean;
}

/** Discord closes a connection whose payload exceeds this many bytes (4002). */
const MAX_PAYLOAD_BYTES = 4096;
/** GUILD_CREATEs sent per turn of the event loop after READY, so a big bot does not stall the server. */
const GUILD_CREATES_PER_TURN = 250;

export interface GatewayHooks {
  token: string;
  heartbeatIntervalMs: number;
  allowedPrivilegedIntents: number;
  url: () => string;
  /** Gateway commands (heartbeats aside) a connection may send per minute before close 4008; null disables. */
  commandsPerMinute: number | null;
  /** READY for a new session, listing `guildIds` (those of its shard) as unavailable. */
  readyPayload: (sessionId: string, guildIds: string[], shard: ShardTuple | null) => Record<string, unknown>;
  /** Guilds the bot is in at IDENTIFY, and each one's GUILD_CREATE built when it is sent (undefined once left). */
  joinedGuildIds: () => string[];
  guildCreatePayload: (guildId: string) => Record<string, unknown> | undefined;
  /** Answers opcode 8; undefined for a payload Discord could not decode. */
  requestGuildMembers: (session: MemberRequestSession, d: unknown) => MemberRequestAnswer | undefined;
  onDispatch: (sessionId: string, payload: DispatchRecord) => void;
  onIdentify: (payload: Record<string, unknown>) => void;
  /** Discord's session start limit and max_concurrency (IDENTIFY buckets). */
  identifyLimits: IdentifyLimitOptions;
  /** Guilds one session may handle; more closes the connection with 4011 (Sharding required). */
  maxGuildsPerShard: number;
  /** The session start limit ran out: Discord resets the bot's token. */
  onTokenReset: () => void;
}

interface ConnectionState {
  session: Session | null;
  /** Fixed one-minute window of commands sent, for Discord's 120-per-minute gateway limit. */
  windowStartedAt: number;
  commandsInWindow: number;
}

export class Gateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly connections = new Map<WebSocket, ConnectionState>();
  private readonly identifyLimits: IdentifyLimits;
  private closed = false;
  private tokenReset = false;

  constructor(private readonly hooks: GatewayHooks) {
    this.identifyLimits = new IdentifyLimits(hooks.identifyLimits);
  }

  get sessionStartLimit(): SessionStartLimitJson {
    return this.identifyLimits.snapshot();
  }

  /** Whether the session start limit ran out and Discord reset the token (it no longer authenticates). */
  get wasTokenReset(): boolean {
    return this.tokenReset;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/gateway' && url.pathname !== '/gateway/') {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, url.searchParams));
  }

  get connectionCount(): number {
    return [...this.connections.keys()].filter((ws) => ws.readyState === WebSocket.OPEN).length;
  }

  sessionInfo(): GatewaySessionInfo[] {
    return [...this.sessions.values()].map((s) => ({
      sessionId: s.id,
      intents: s.intents,
      connected: s.socket?.readyState === WebSocket.OPEN,
      sequence: s.seq,
      identifiedAt: s.identifiedAt,
      resumes: s.resumes,
      shard: s.shard,
      dispatches: s.buffer,
    }));
  }

  /**
   * Sends an event to every live session of the shard that owns `guildId` (shard 0 for events
   * without a guild), buffered for sessions that are disconnected but resumable.
   */
  dispatch(t: string, d: unknown, guildId: string | null, intent?: number): void {
    for (const session of this.sessions.values()) {
      if (session.invalid) continue;
      if (intent !== undefined && (session.intents & intent) === 0) continue;
      if (!sessionReceives(session.shard, guildId)) continue;
      this.dispatchTo(session, t, d);
    }
  }

  /**
   * Closes every socket (or only those of sessions on shard `shardId`; a session without a shard
   * counts as shard 0) with a resumable close code (4000) or abruptly (1006-like).
   */
  dropConnections(opts: { code?: number; terminate?: boolean; shardId?: number } = {}): number {
    let dropped = 0;
    for (const [ws, state] of this.connections) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (opts.shardId !== undefined && (state.session?.shard?.[0] ?? 0) !== opts.shardId) continue;
      dropped++;
      if (opts.terminate) ws.terminate();
      else ws.close(opts.code ?? 4000, 'Unknown error');
    }
    return dropped;
  }

  /** Asks every client to reconnect (opcode 7); discord.js then resumes. */
  requestReconnect(): void {
    for (const ws of this.connections.keys()) this.send(ws, { op: 7, d: null });
  }

  /** Invalidates all sessions so the next RESUME gets opcode 9 (d: false). */
  invalidateSessions(): void {
    for (const session of this.sessions.values()) session.invalid = true;
  }

  async close(): Promise<void> {
    for (const ws of this.connections.keys()) ws.terminate();
    this.connections.clear();
    this.closed = true;
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private send(ws: WebSocket, payload: unknown): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
  }

  private dispatchTo(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const payload: DispatchRecord = { op: 0, t, s: session.seq, d };
    session.buffer.push(payload);
    this.hooks.onDispatch(session.id, payload);
    if (session.socket) this.send(session.socket, payload);
  }

  private onConnection(ws: WebSocket, params: URLSearchParams): void {
    const state: ConnectionState = { session: null, windowStartedAt: realNow(), commandsInWindow: 0 };
    this.connections.set(ws, state);
    ws.on('close', (code) => {
      this.connections.delete(ws);
      const session = state.session;
      if (session && session.socket === ws) {
        session.socket = null;
        // A client closing normally ends its session, as on Discord.
        if (code === 1000 || code === 1001) session.invalid = true;
      }
    });
    ws.on('error', () => undefined);
    if (params.get('v') !== '10') {
      ws.close(4012, 'Invalid API version');
      return;
    }
    if ((params.get('encoding') ?? 'json') !== 'json') {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    this.send(ws, { op: 10, d: { heartbeat_interval: this.hooks.heartbeatIntervalMs, _trace: ['["discord-emulator",{}]'] } });
    ws.on('message', (data: RawData) => this.onMessage(ws, state, data));
  }

  private onMessage(ws: WebSocket, state: ConnectionState, data: RawData): void {
    const raw = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (raw.length > MAX_PAYLOAD_BYTES) {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    if (!isRecord(payload) || typeof payload.op !== 'number') {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    // Heartbeats are left out of the count: tests beat every few seconds, Discord expects every 41 s.
    if (payload.op !== 1 && this.overSendLimit(state)) {
      ws.close(4008, 'Rate limited.');
      return;
    }
    const d = payload.d;
    switch (payload.op) {
      case 1:
        this.send(ws, { op: 11 });
        return;
      case 2:
        this.identify(ws, state, d);
        return;
      case 6:
        this.resume(ws, state, d);
        return;
      case 8:
        if (!state.session) ws.close(4003, 'Not authenticated.');
        else this.requestGuildMembers(ws, state.session, d);
        return;
      case 3:
      case 4:
        if (!state.session) ws.close(4003, 'Not authenticated.');
        return;
      default:
        ws.close(4001, 'Unknown opcode.');
    }
  }

  private overSendLimit(state: ConnectionState): boolean {
    const limit = this.hooks.commandsPerMinute;
    if (limit === null) return false;
    const now = realNow();
    if (now - state.windowStartedAt >= 60_000) {
      state.windowStartedAt = now;
      state.commandsInWindow = 0;
    }
    state.commandsInWindow++;
    return state.commandsInWindow > limit;
  }

  private requestGuildMembers(ws: WebSocket, session: Session, d: unknown): void {
    const answer = this.hooks.requestGuildMembers(session, d);
    if (!answer) {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    for (const dispatch of answer.dispatches) this.dispatchTo(session, dispatch.t, dispatch.d);
  }

  private tokenMatches(token: unknown): boolean {
    return !this.tokenReset && (token === this.hooks.token || token === `Bot ${this.hooks.token}`);
  }

  /** Discord resets the token of a bot that ran out of session starts and ends all its sessions. */
  private resetToken(): void {
    this.tokenReset = true;
    this.hooks.onTokenReset();
    for (const session of this.sessions.values()) session.invalid = true;
    // Discord does not document the close code; 4004 is what any reconnection would get.
    for (const ws of this.connections.keys()) ws.close(4004, 'Authentication failed.');
  }

  private identify(ws: WebSocket, state: ConnectionState, d: unknown): void {
    if (state.session) {
      ws.close(4005, 'Already authenticated.');
      return;
    }
    if (!isRecord(d)) {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    this.hooks.onIdentify(d);
    if (!this.tokenMatches(d.token)) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    const intents = d.intents;
    if (typeof intents !== 'number' || !Number.isInteger(intents) || (intents & ~ALL_INTENTS) !== 0) {
      ws.close(4013, 'Invalid intent(s).');
      return;
    }
    if ((intents & PRIVILEGED_INTENTS & ~this.hooks.allowedPrivilegedIntents) !== 0) {
      ws.close(4014, 'Disallowed intent(s).');
      return;
    }
    const shard = parseShard(d.shard);
    if (shard === null) {
      ws.close(4010, 'Invalid shard.');
      return;
    }
    const shardId = shard?.[0] ?? 0;
    const verdict = this.identifyLimits.check(shardId);
    if (verdict === 'limit-exhausted') {
      this.resetToken();
      return;
    }
    if (verdict === 'too-fast') {
      this.send(ws, { op: 9, d: false });
      return;
    }
    const guildIds = this.hooks.joinedGuildIds().filter((id) => sessionReceives(shard ?? null, id));
    if (guildIds.length > this.hooks.maxGuildsPerShard) {
      ws.close(4011, 'Sharding required.');
      return;
    }
    this.identifyLimits.record(shardId);
    const session: Session = {
      id: randomToken(16).toLowerCase(),
      intents,
      seq: 0,
      buffer: [],
      socket: ws,
      identifiedAt: Date.now(),
      resumes: 0,
      invalid: false,
      shard: shard ?? null,
      lastWholeListRequest: new Map(),
    };
    this.sessions.set(session.id, session);
    state.session = session;
    this.dispatchTo(session, 'READY', this.hooks.readyPayload(session.id, guildIds, session.shard));
    if ((intents & Intents.GUILDS) !== 0) this.streamGuildCreates(session, guildIds);
  }

  /**
   * Sends the guilds READY listed as unavailable, a batch per turn of the event loop, as Discord
   * streams them in after READY; each is built when sent so it reflects any change made meanwhile.
   */
  private streamGuildCreates(session: Session, guildIds: string[]): void {
    let next = 0;
    const sendBatch = (): void => {
      if (this.closed || session.invalid) return;
      const end = Math.min(next + GUILD_CREATES_PER_TURN, guildIds.length);
      for (; next < end; next++) {
        const id = guildIds[next];
        const payload = id === undefined ? undefined : this.hooks.guildCreatePayload(id);
        if (payload) this.dispatchTo(session, 'GUILD_CREATE', payload);
      }
      if (next < guildIds.length) setImmediate(sendBatch);
    };
    sendBatch();
  }

  private resume(ws: WebSocket, state: ConnectionState, d: unknown): void {
    if (state.session) {
      ws.close(4005, 'Already authenticated.');
      return;
    }
    if (!isRecord(d) || typeof d.session_id !== 'string') {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    if (!this.tokenMatches(d.token)) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    const session = this.sessions.get(d.session_id);
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    if (!session || session.invalid || seq > session.seq) {
      this.send(ws, { op: 9, d: false });
      return;
    }
    if (session.socket && session.socket !== ws) session.socket.close(4009, 'Session resumed elsewhere');
    session.socket = ws;
    session.resumes++;
    state.session = session;
    for (const event of session.buffer) if (event.s > seq) this.send(ws, event);
    this.dispatchTo(session, 'RESUMED', { _trace: ['["discord-emulator",{}]'] });
  }
}
