import { DISCORD_EPOCH } from './util.ts';

/** `[shard_id, num_shards]` as sent in IDENTIFY and echoed in READY. */
export type ShardTuple = readonly [id: number, count: number];

/** Discord's sharding formula: `(guild_id >> 22) % num_shards`, the shard a guild's events go to. */
export function shardOf(guildId: string, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1) throw new RangeError(`Invalid shard count ${shardCount}`);
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * The `shard` of an IDENTIFY: undefined when absent (the session then gets every guild, as on
 * Discord), null when Discord would close with 4010 (not two integers, count < 1, id outside [0, count)).
 */
export function parseShard(value: unknown): ShardTuple | null | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [id, count] = value as unknown[];
  if (typeof id !== 'number' || typeof count !== 'number' || !Number.isInteger(id) || !Number.isInteger(count)) return null;
  if (count < 1 || id < 0 || id >= count) return null;
  return [id, count];
}

/**
 * Whether a session receives an event: guild events go to the sessions whose shard owns the guild,
 * events without a guild (DMs) only to shard 0. A session that sent no shard gets everything.
 */
export function sessionReceives(shard: ShardTuple | null, guildId: string | null): boolean {
  if (!shard) return true;
  if (guildId === null) return shard[0] === 0;
  return shardOf(guildId, shard[1]) === shard[0];
}

/** The `session_start_limit` object of GET /gateway/bot. */
export interface SessionStartLimitJson {
  total: number;
  remaining: number;
  reset_after: number;
  max_concurrency: number;
}

export interface IdentifyLimitOptions {
  /** Successful IDENTIFYs allowed per window (Discord: 1000 a day). */
  total: number;
  windowMs: number;
  /** IDENTIFY buckets (`shard_id % max_concurrency`) that may each start a session per interval. */
  maxConcurrency: number;
  /** How long a bucket waits between IDENTIFYs (Discord: 5000 ms); null does not enforce it. */
  bucketIntervalMs: number | null;
  /** Real-time clock: these limits model Discord's servers, not the bot's clock. */
  now: () => number;
}

/** What the gateway must do with an IDENTIFY, as far as Discord's session limits go. */
export type IdentifyVerdict = 'allowed' | 'too-fast' | 'limit-exhausted';

/**
 * Discord's limits on starting sessions: a daily budget of successful IDENTIFYs (RESUMEs are free)
 * and one IDENTIFY per `max_concurrency` bucket every 5 seconds.
 */
export class IdentifyLimits {
  private used = 0;
  private windowStartedAt: number | null = null;
  private readonly lastIdentifyByBucket = new Map<number, number>();

  constructor(private readonly options: IdentifyLimitOptions) {}

  snapshot(): SessionStartLimitJson {
    this.expireWindow();
    const { total, windowMs, maxConcurrency, now } = this.options;
    return {
      total,
      remaining: total - this.used,
      reset_after: this.windowStartedAt === null ? windowMs : Math.max(0, Math.ceil(this.windowStartedAt + windowMs - now())),
      max_concurrency: maxConcurrency,
    };
  }

  check(shardId: number): IdentifyVerdict {
    this.expireWindow();
    if (this.used >= this.options.total) return 'limit-exhausted';
    const interval = this.options.bucketIntervalMs;
    if (interval === null) return 'allowed';
    const last = this.lastIdentifyByBucket.get(shardId % this.options.maxConcurrency);
    return last !== undefined && this.options.now() - last < interval ? 'too-fast' : 'allowed';
  }

  /** Counts a session that started. */
  record(shardId: number): void {
    const now = this.options.now();
    this.windowStartedAt ??= now;
    this.used++;
    this.lastIdentifyByBucket.set(shardId % this.options.maxConcurrency, now);
  }

  private expireWindow(): void {
    if (this.windowStartedAt !== null && this.options.now() - this.windowStartedAt >= this.options.windowMs) {
      this.windowStartedAt = null;
      this.used = 0;
    }
  }
}

/** How far before the emulator starts its guilds were created (30 days). */
const GUILD_ID_BACKDATE_MS = 30n * 24n * 60n * 60_000n;
/** A worker id no other emulator snowflake uses, so backdated guild ids never collide. */
const GUILD_ID_WORKER = 2n;

/**
 * Guild ids as a bot's guilds have them: created before it connects, each a millisecond after the
 * last, so `(guild_id >> 22) % count` deals them out to shards in turn, the way guilds created
 * over years spread on Discord. Ids minted at the current time would all share one shard.
 */
export class GuildIdAllocator {
  private nextTimestamp: bigint;

  constructor(now: number) {
    this.nextTimestamp = BigInt(Math.floor(now)) - DISCORD_EPOCH - GUILD_ID_BACKDATE_MS;
  }

  next(): string {
    const timestamp = this.nextTimestamp++;
    return ((timestamp << 22n) | (GUILD_ID_WORKER << 17n)).toString();
  }
}
