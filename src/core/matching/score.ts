import { NOVELTY_HORIZON } from './types.ts';
import type { MatchCandidate, MatchOptions, MatchReasons, PairOptions, UtcWindow } from './types.ts';

/**
 * Weights of the preference tiers, highest first. Each tier's smallest step exceeds the largest
 * possible sum of all tiers below it, so the score orders pairs lexicographically by the issue's
 * preference order:
 * - culture ↔ curiosity: 400 per direction (one way 400, both ways 800) > 240 + 100 + 9 = 349;
 * - different cultures: 240 when both stated cultures and share none, 120 when either left them
 *   empty (neutral: halfway), 0 when they share one; step 120 > 100 + 9 = 109;
 * - waking overlap: 10 per whole hour beyond the 4 h that any two 08:00–22:00 windows always
 *   share (0–100), 50 when either offset is unknown (neutral: halfway); step 10 > 9;
 * - shared interests: 1 each, counting at most 9.
 */
export const WEIGHTS = {
  curiosityPerDirection: 400,
  differentCultures: 240,
  unknownCultures: 120,
  overlapPerHour: 10,
  unknownOverlap: 50,
  sharedInterest: 1,
  maxSharedInterests: 9,
} as const;

/** The largest score a single pair can reach. */
export const MAX_PAIR_SCORE =
  2 * WEIGHTS.curiosityPerDirection +
  WEIGHTS.differentCultures +
  10 * WEIGHTS.overlapPerHour +
  WEIGHTS.maxSharedInterests * WEIGHTS.sharedInterest;

const DAY = 1440;
const WAKE_START = 8 * 60;
const WAKE_LENGTH = 14 * 60;
/** Two 14 h windows on a 24 h circle always overlap by at least 2 × 14 − 24 = 4 h. */
const MIN_OVERLAP_HOURS = 2 * 14 - 24;

/**
 * The key of an unordered pair, as stored in {@link PairOptions.recentPairs}.
 * The ids are sorted so that `pairKey(a, b) === pairKey(b, a)`.
 */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/**
 * Novelty is the first preference tier, above everything {@link preferenceScore} measures: each
 * round between a pair's last meeting and {@link NOVELTY_HORIZON} is worth more than any pair
 * score. Since every round has the same number of pairs inside its groups, the matcher counts it
 * as a deficit below never-met pairs rather than as a bonus.
 */
export const NOVELTY_STEP = MAX_PAIR_SCORE + 1;

/**
 * How far a pair that last met `roundsAgo` rounds ago (1 = the previous round) ranks below a pair
 * that never met; 0 for `undefined` (never met). Pairs that met at least {@link NOVELTY_HORIZON}
 * rounds ago rank one step below never-met pairs.
 */
export function noveltyDeficit(roundsAgo: number | undefined): number {
  if (roundsAgo === undefined) return 0;
  // A malformed count (NaN) is read as the most recent meeting rather than as a stranger.
  const ago = Number.isNaN(roundsAgo) ? 1 : Math.min(NOVELTY_HORIZON, Math.max(1, Math.floor(roundsAgo)));
  return NOVELTY_STEP * (NOVELTY_HORIZON + 1 - ago);
}

/**
 * What the matcher maximises for a pair once the hard constraints are settled: its
 * {@link preferenceScore} minus its {@link noveltyDeficit} from `options.lastMet`.
 */
export function pairWeight(a: MatchCandidate, b: MatchCandidate, options: Pick<MatchOptions, 'lastMet'>): number {
  return preferenceScore(a, b) - noveltyDeficit(options.lastMet?.get(pairKey(a.userId, b.userId)));
}

/** UTC minute of the day at which a member with this offset reaches 08:00 local time. */
export function wakeStartUtc(utcOffsetMinutes: number): number {
  return mod(WAKE_START - Math.round(utcOffsetMinutes), DAY);
}

/** Overlap in minutes of two waking windows starting `distance` minutes apart on the UTC circle. */
export function overlapMinutesAt(distance: number): number {
  const d = mod(distance, DAY);
  return Math.max(0, WAKE_LENGTH - d) + Math.max(0, d - (DAY - WAKE_LENGTH));
}

/** Waking-overlap tier score of two windows starting `distance` minutes apart. */
export function overlapScoreAt(distance: number): number {
  const hours = Math.floor(overlapMinutesAt(distance) / 60);
  return WEIGHTS.overlapPerHour * (hours - MIN_OVERLAP_HOURS);
}

/** The languages a member is treated as speaking: their own, or the server default if they listed none. */
export function effectiveLanguages(candidate: MatchCandidate, defaultLanguage: string): readonly string[] {
  return candidate.languages.length > 0 ? candidate.languages : [defaultLanguage];
}

/**
 * The honest preference score of a pair, ignoring the hard constraints: the sum of the tiers in
 * {@link WEIGHTS}. Symmetric; a trio's score is the sum over its three pairs.
 */
export function preferenceScore(a: MatchCandidate, b: MatchCandidate): number {
  let score = 0;
  if (meets(a.cultures, b.curiousAbout)) score += WEIGHTS.curiosityPerDirection;
  if (meets(b.cultures, a.curiousAbout)) score += WEIGHTS.curiosityPerDirection;
  if (a.cultures.length === 0 || b.cultures.length === 0) score += WEIGHTS.unknownCultures;
  else if (!meets(a.cultures, b.cultures)) score += WEIGHTS.differentCultures;
  if (a.utcOffsetMinutes === undefined || b.utcOffsetMinutes === undefined) score += WEIGHTS.unknownOverlap;
  else score += overlapScoreAt(wakeStartUtc(b.utcOffsetMinutes) - wakeStartUtc(a.utcOffsetMinutes));
  const shared = intersection(a.interests, b.interests).length;
  score += Math.min(shared, WEIGHTS.maxSharedInterests) * WEIGHTS.sharedInterest;
  return score;
}

/** True when the two members share at least one language (after applying the default language). */
export function haveCommonLanguage(a: MatchCandidate, b: MatchCandidate, defaultLanguage: string): boolean {
  return meets(effectiveLanguages(a, defaultLanguage), effectiveLanguages(b, defaultLanguage));
}

/**
 * The score of pairing `a` with `b`, or `undefined` when a hard constraint forbids it (they met in
 * the recent rounds, or they share no language). The round objective is the sum of these scores
 * over every pair inside every group.
 */
export function pairScore(a: MatchCandidate, b: MatchCandidate, options: PairOptions): number | undefined {
  if (options.recentPairs.has(pairKey(a.userId, b.userId))) return undefined;
  if (!haveCommonLanguage(a, b, options.defaultLanguage)) return undefined;
  return preferenceScore(a, b);
}

/** Why two members suit each other (see {@link explainGroup}). */
export function explainPair(a: MatchCandidate, b: MatchCandidate, options: Pick<PairOptions, 'defaultLanguage'>): MatchReasons {
  return explainGroup([a, b], options);
}

/** Why the members of a group suit each other: what the introduction message can mention. */
export function explainGroup(members: readonly MatchCandidate[], options: Pick<PairOptions, 'defaultLanguage'>): MatchReasons {
  let sharedLanguages: readonly string[] | undefined;
  for (const member of members) {
    const languages = unique(effectiveLanguages(member, options.defaultLanguage));
    sharedLanguages = sharedLanguages === undefined ? languages : intersection(sharedLanguages, languages);
  }

  const exchanges: { from: string; to: string; topics: string[] }[] = [];
  let differentCultures = true;
  for (const from of members) {
    if (from.cultures.length === 0) differentCultures = false;
    for (const to of members) {
      if (from === to) continue;
      const topics = intersection(unique(from.cultures), to.curiousAbout);
      if (topics.length > 0) exchanges.push({ from: from.userId, to: to.userId, topics });
      if (from.userId < to.userId && meets(from.cultures, to.cultures)) differentCultures = false;
    }
  }

  let windows: UtcWindow[] | undefined;
  for (const member of members) {
    if (member.utcOffsetMinutes === undefined) continue;
    const own = wakeSegments(wakeStartUtc(member.utcOffsetMinutes));
    windows = windows === undefined ? own : intersectSegments(windows, own);
  }

  const counts = new Map<string, number>();
  for (const member of members) for (const interest of unique(member.interests)) counts.set(interest, (counts.get(interest) ?? 0) + 1);
  const sharedInterests = [...counts].filter(([, count]) => count >= 2).map(([interest]) => interest);

  return {
    sharedLanguages: sharedLanguages ?? [],
    exchanges,
    differentCultures: members.length > 1 && differentCultures,
    overlapHoursUtc: windows === undefined ? undefined : joinAcrossMidnight(windows),
    sharedInterests,
  };
}

function wakeSegments(start: number): UtcWindow[] {
  const end = start + WAKE_LENGTH;
  return end <= DAY
    ? [{ startMinute: start, endMinute: end }]
    : [
        { startMinute: 0, endMinute: end - DAY },
        { startMinute: start, endMinute: DAY },
      ];
}

function intersectSegments(a: readonly UtcWindow[], b: readonly UtcWindow[]): UtcWindow[] {
  const result: UtcWindow[] = [];
  for (const x of a) {
    for (const y of b) {
      const startMinute = Math.max(x.startMinute, y.startMinute);
      const endMinute = Math.min(x.endMinute, y.endMinute);
      if (startMinute < endMinute) result.push({ startMinute, endMinute });
    }
  }
  return result.sort((x, y) => x.startMinute - y.startMinute);
}

/** Segments are kept inside [0, 1440) while intersecting; a window crossing midnight is one window to a reader. */
function joinAcrossMidnight(windows: readonly UtcWindow[]): UtcWindow[] {
  const first = windows[0];
  const last = windows[windows.length - 1];
  if (windows.length > 1 && first !== undefined && last !== undefined && first.startMinute === 0 && last.endMinute === DAY) {
    return [...windows.slice(1, -1), { startMinute: last.startMinute, endMinute: DAY + first.endMinute }];
  }
  return [...windows];
}

function meets(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  for (const x of a) if (b.includes(x)) return true;
  return false;
}

/** Items of `a` (in `a`'s order, without duplicates) that also occur in `b`. */
function intersection(a: readonly string[], b: readonly string[]): string[] {
  return unique(a).filter((x) => b.includes(x));
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function mod(x: number, m: number): number {
  return ((x % m) + m) % m;
}
