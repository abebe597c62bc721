import { ApiError } from './errors.ts';
import { realEpochNow, realNow } from './util.ts';

/** A per-route limit: `limit` requests per `windowMs` for each top-level resource (channel, guild, webhook). */
export interface RouteLimit {
  limit: number;
  windowMs: number;
}

export interface RateLimitOptions {
  /** Requests per interval across all routes for the bot token (Discord: 50 per second); null disables. */
  globalLimit: number | null;
  globalWindowMs: number;
  /** Limit for routes not listed in `routes`. */
  defaultRouteLimit: RouteLimit;
  /** Per-route limits keyed `'POST /channels/:channel_id/messages'`. */
  routes: Readonly<Record<string, RouteLimit>>;
}

/** 429s the emulator has answered, by cause. */
export interface RateLimitStats {
  /** The global per-token limit. */
  global: number;
  /** A per-route bucket. */
  route: number;
  /** Injected with failNext(). */
  injected: number;
}

/**
 * The global limit as a token bucket: `limit` requests at once, refilled at `limit` per interval.
 * discord.js counts its own budget in one-second windows that open at its first request; a server
 * window opened at the first arrival would start a little later and refuse a compliant client's
 * next burst whenever that first request was slow to arrive, which a bucket tolerates. Over any
 * long run it lets through exactly `limit` per interval.
 */
class TokenBucket {
  private tokens: number;
  private updatedAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly capacity: number,
    readonly intervalMs: number,
  ) {
    this.tokens = capacity;
  }

  /** Takes a token if there is one; otherwise says how long until there is. */
  take(now: number): { accepted: true } | { accepted: false; retryAfterMs: number } {
    const perMs = this.capacity / this.intervalMs;
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * perMs);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { accepted: true };
    }
    return { accepted: false, retryAfterMs: (1 - this.tokens) / perMs };
  }
}

/** A route bucket's window: it opens with the first request after the previous one closed, and its headers say when. */
class FixedWindow {
  private startedAt = Number.NEGATIVE_INFINITY;
  private count = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts a request if there is room; returns the ms until the window closes either way. */
  take(now: number): { accepted: boolean; remaining: number; resetAfterMs: number } {
    if (now - this.startedAt >= this.windowMs) {
      this.startedAt = now;
      this.count = 0;
    }
    const resetAfterMs = this.startedAt + this.windowMs - now;
    if (this.count >= this.limit) return { accepted: false, remaining: 0, resetAfterMs };
    this.count++;
    return { accepted: true, remaining: this.limit - this.count, resetAfterMs };
  }

  expired(now: number): boolean {
    return now - this.startedAt >= this.windowMs;
  }
}

/** A 429 with Discord's body (no `code`) and headers. */
export class RateLimitError extends ApiError {
  /** Seconds, as in the body. */
  readonly retryAfter: number;

  constructor(
    readonly scope: 'global' | 'user',
    retryAfterMs: number,
    headers: Record<string, string>,
  ) {
    const retryAfter = Math.max(0.001, Math.ceil(retryAfterMs) / 1000);
    // The header is whole seconds, rounded up, as in Discord's examples; the body is exact.
    super(429, 0, 'You are being rate limited.', undefined, { 'retry-after': String(Math.ceil(retryAfter)), ...headers });
    this.retryAfter = retryAfter;
  }

  override body(): Record<string, unknown> {
    return { message: this.message, retry_after: this.retryAfter, global: this.scope === 'global' };
  }
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** The route's top-level resource, which Discord counts each bucket separately for. */
function majorParameter(params: Record<string, string>): string {
  if (params.webhook_id !== undefined) return `${params.webhook_id}/${params.webhook_token ?? ''}`;
  return params.channel_id ?? params.guild_id ?? 'global';
}

/** Discord's global per-token limit and per-route buckets, on real time (they model the network). */
export class RateLimiter {
  readonly stats: RateLimitStats = { global: 0, route: 0, injected: 0 };
  private readonly global: TokenBucket | null;
  private readonly buckets = new Map<string, FixedWindow>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: () => number = realNow,
  ) {
    this.global = options.globalLimit === null ? null : new TokenBucket(options.globalLimit, options.globalWindowMs);
  }

  /** Counts one request against the global limit; throws the global 429 when it is spent. */
  takeGlobal(): void {
    if (!this.global) return;
    const taken = this.global.take(this.clock());
    if (taken.accepted) return;
    this.stats.global++;
    throw new RateLimitError('global', taken.retryAfterMs, { 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' });
  }

  /** Counts one request against its route bucket; returns the bucket headers or throws the route 429. */
  takeRoute(method: string, template: string, params: Record<string, string>): Record<string, string> {
    const spec = `${method} ${template}`;
    const limit = this.options.routes[spec] ?? this.options.defaultRouteLimit;
    const bucketId = Buffer.from(spec).toString('base64url').slice(0, 16);
    const key = `${bucketId}:${majorParameter(params)}`;
    const now = this.clock();
    let window = this.buckets.get(key);
    if (!window) {
      if (this.buckets.size > 10_000) this.sweep(now);
      window = new FixedWindow(limit.limit, limit.windowMs);
      this.buckets.set(key, window);
    }
    const taken = window.take(now);
    const headers = {
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': String(taken.remaining),
      'x-ratelimit-reset': seconds(realEpochNow() + taken.resetAfterMs),
      'x-ratelimit-reset-after': seconds(taken.resetAfterMs),
      'x-ratelimit-bucket': bucketId,
    };
    if (taken.accepted) return headers;
    this.stats.route++;
    throw new RateLimitError('user', taken.resetAfterMs, { ...headers, 'x-ratelimit-scope': 'user' });
  }

  private sweep(now: number): void {
    for (const [key, window] of this.buckets) if (window.expired(now)) this.buckets.delete(key);
  }
}
