/**
 * How work that talks to Discord fails and when it is tried again. Pure: the services decide with
 * these, src/discord classifies what discord.js throws, src/discord words it for moderators.
 */

/** Why a Discord call failed, in the terms the services act on. */
export const DISCORD_FAILURE_KINDS = [
  'channel-gone',
  'missing-permission',
  'member-gone',
  'thread-exists',
  'thread-limit',
  'rate-limited',
  'transient',
  'rejected',
] as const;
export type DiscordFailureKind = (typeof DISCORD_FAILURE_KINDS)[number];

/**
 * rate-limited: wait as long as Discord says. transient (5xx, network errors, timeouts): retry with
 * capped exponential backoff for a bounded time. permanent (every other refusal): never retried as is.
 */
export type FailureClass = 'rate-limited' | 'transient' | 'permanent';

export function failureClassOf(kind: DiscordFailureKind): FailureClass {
  if (kind === 'rate-limited') return 'rate-limited';
  if (kind === 'transient') return 'transient';
  return 'permanent';
}

/** What Bridges itself concluded, beside what Discord answered. */
export const OWN_FAILURE_KINDS = [
  /** Transient failures went on past the retry window. */
  'gave-up',
  /** Every member but one left the server. */
  'members-left',
  /** A moderator turned the feature off. */
  'cancelled',
  /** The server stayed at Discord's active-thread limit until the next round. */
  'no-room',
  /** The prompt was removed from the catalog. */
  'not-in-catalog',
  /** A claimed post whose sending was never confirmed on its day. */
  'not-confirmed',
] as const;
export type OwnFailureKind = (typeof OWN_FAILURE_KINDS)[number];

export const FAILURE_STEPS = ['post', 'answer-thread', 'thread', 'add-members', 'intro', 'check-in', 'archive'] as const;
export type FailureStep = (typeof FAILURE_STEPS)[number];

/** Why a piece of work ended without being done, as data; the Discord edge turns it into words. */
export interface Failure {
  readonly kind: DiscordFailureKind | OwnFailureKind;
  readonly step?: FailureStep | undefined;
  /** Discord's JSON error code. */
  readonly code?: number | undefined;
  /** What Discord objected to, when it said (for example 'too-long'). */
  readonly detail?: string | undefined;
}

export interface RetryPolicy {
  /** Wait after the first failure. */
  readonly firstDelayMs: number;
  /** Longest wait between two attempts. */
  readonly maxDelayMs: number;
  /** After this long since the first failure, give up. */
  readonly giveUpAfterMs: number;
}

/** Transient failures of scheduled work: 30 s, 1, 2, 4, 8, 15, 15 … minutes, for at most two hours. */
export const SCHEDULED_RETRY: RetryPolicy = { firstDelayMs: 30_000, maxDelayMs: 15 * 60_000, giveUpAfterMs: 2 * 3_600_000 };

/**
 * When to try again after the `attempt`-th consecutive failure (1 = the first), or undefined to give
 * up: a rate limit waits as long as Discord asked (at least the backoff's first step), a transient
 * failure backs off exponentially up to the cap, and nothing is retried past `giveUpAfterMs` from
 * `firstFailedAt`.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  attempt: number,
  firstFailedAt: number,
  now: number,
  retryAfterMs?: number,
): number | undefined {
  const backoff = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, attempt - 1));
  const at = now + Math.max(backoff, retryAfterMs ?? 0);
  return at - firstFailedAt > policy.giveUpAfterMs ? undefined : at;
}
