import type { MatchCandidate, MatchOptions } from './types.ts';
import { MAX_PAIR_SCORE, WEIGHTS, effectiveLanguages, noveltyDeficit, overlapScoreAt, wakeStartUtc } from './score.ts';

/** Sorted id lists per member in compressed rows: member `i` owns `data[start[i] .. start[i + 1])`. */
export interface Rows {
  readonly start: Int32Array;
  readonly data: Int32Array;
}

/**
 * Candidates turned into integer ids and typed arrays, so that scoring a pair costs a few merges
 * of tiny sorted arrays instead of string comparisons; the solver scores millions of pairs.
 * Member indices follow `candidates` order; value ids follow the sorted values, so the order of
 * entries inside a member's lists changes nothing.
 */
export interface Encoded {
  readonly n: number;
  readonly languages: Rows;
  readonly cultures: Rows;
  readonly curiosities: Rows;
  readonly interests: Rows;
  /** One bit per value id modulo 32, so most pairs that share nothing are told apart without a merge. */
  readonly languageBits: Int32Array;
  /** Language ids 32 to 63 the same way (ids modulo 32 fold into `languageBits` beyond that). */
  readonly languageBitsHigh: Int32Array;
  /** True when there are at most 64 languages, so that the two bit sets alone answer every language question. */
  readonly languageBitsExact: boolean;
  readonly cultureBits: Int32Array;
  readonly curiosityBits: Int32Array;
  readonly interestBits: Int32Array;
  /** Culture ids 32 to 63, and true when there are at most 64 cultures: then the bit sets alone compare cultures. */
  readonly cultureBitsHigh: Int32Array;
  readonly curiosityBitsHigh: Int32Array;
  readonly culturesExact: boolean;
  /** Interest ids 32 to 63, and true when there are at most 64 interests: then shared interests are counted from the bits. */
  readonly interestBitsHigh: Int32Array;
  readonly interestsExact: boolean;
  /** UTC minute at which the member's waking window starts, or -1 when the offset is unknown. */
  readonly wake: Int32Array;
  /** The members each member met recently or at all (per `recentPairs` and `lastMet`), sorted. */
  readonly history: Rows;
  /** Per entry of `history`: the pair's novelty deficit. */
  readonly historyDeficit: Int32Array;
  /** Per entry of `history`: 1 when the pair met in the recent rounds. */
  readonly historyRecent: Uint8Array;
}

export function encode(
  candidates: readonly MatchCandidate[],
  options: Pick<MatchOptions, 'defaultLanguage' | 'recentPairs' | 'lastMet'>,
): Encoded {
  const n = candidates.length;
  const indexOf = new Map<string, number>();
  candidates.forEach((candidate, index) => indexOf.set(candidate.userId, index));

  const wake = new Int32Array(n);
  candidates.forEach((candidate, index) => {
    wake[index] = candidate.utcOffsetMinutes === undefined ? -1 : wakeStartUtc(candidate.utcOffsetMinutes);
  });

  const { historyStart, historyData, historyDeficit, historyRecent } = encodeHistory(n, indexOf, options);

  const languageIds = idsOf(candidates.map((c) => effectiveLanguages(c, options.defaultLanguage)));
  const languages = rows(candidates, (c) => effectiveLanguages(c, options.defaultLanguage), languageIds);
  const cultureIds = idsOf([...candidates.map((c) => c.cultures), ...candidates.map((c) => c.curiousAbout)]);
  const cultures = rows(candidates, (c) => c.cultures, cultureIds);
  const curiosities = rows(candidates, (c) => c.curiousAbout, cultureIds);
  const interestIds = idsOf(candidates.map((c) => c.interests));
  const interests = rows(candidates, (c) => c.interests, interestIds);
  const culturesExact = cultureIds.size <= 64;
  const interestsExact = interestIds.size <= 64;
  return {
    n,
    languages,
    cultures,
    curiosities,
    interests,
    languageBits: languageIds.size <= 64 ? bits(languages, 0) : bits(languages),
    languageBitsHigh: bits(languages, 32),
    languageBitsExact: languageIds.size <= 64,
    cultureBits: culturesExact ? bits(cultures, 0) : bits(cultures),
    curiosityBits: culturesExact ? bits(curiosities, 0) : bits(curiosities),
    interestBits: interestsExact ? bits(interests, 0) : bits(interests),
    cultureBitsHigh: bits(cultures, 32),
    curiosityBitsHigh: bits(curiosities, 32),
    culturesExact,
    interestBitsHigh: bits(interests, 32),
    interestsExact,
    wake,
    history: { start: historyStart, data: historyData },
    historyDeficit,
    historyRecent,
  };
}

/**
 * Each member's history as compressed rows sorted by partner: whether the two met recently, and
 * the novelty deficit of when they last met. Built from flat arrays in two passes (count, then
 * fill) because a large server brings tens of thousands of pairs and this runs before every round.
 */
function encodeHistory(
  n: number,
  indexOf: ReadonlyMap<string, number>,
  options: Pick<MatchOptions, 'recentPairs' | 'lastMet'>,
): { historyStart: Int32Array; historyData: Int32Array; historyDeficit: Int32Array; historyRecent: Uint8Array } {
  // One entry per key: the two members, and the deficit it sets (-1 for a recent pair, which sets none).
  const first: number[] = [];
  const second: number[] = [];
  const sets: number[] = [];
  const add = (key: string, deficit: number): void => {
    const pair = splitPairKey(key, indexOf);
    if (pair === undefined) return;
    first.push(pair[0]);
    second.push(pair[1]);
    sets.push(deficit);
  };
  for (const key of options.recentPairs) add(key, -1);
  if (options.lastMet !== undefined) for (const [key, roundsAgo] of options.lastMet) add(key, noveltyDeficit(roundsAgo));

  const degree = new Int32Array(n + 1);
  for (let e = 0; e < first.length; e++) {
    degree[first[e]! + 1]!++;
    degree[second[e]! + 1]!++;
  }
  for (let i = 0; i < n; i++) degree[i + 1]! += degree[i]!;
  const fill = degree.slice(0, n);
  const partner = new Int32Array(2 * first.length);
  const entry = new Int32Array(2 * first.length);
  for (let e = 0; e < first.length; e++) {
    const i = first[e]!;
    const j = second[e]!;
    partner[fill[i]!] = j;
    entry[fill[i]!++] = e;
    partner[fill[j]!] = i;
    entry[fill[j]!++] = e;
  }

  // Sort each member's entries by partner, keeping key order among equal partners (insertion sort:
  // rows are short), then merge the entries of one pair: recent if any says so, the last deficit set.
  const historyStart = new Int32Array(n + 1);
  const data: number[] = [];
  const deficits: number[] = [];
  const recents: number[] = [];
  for (let i = 0; i < n; i++) {
    const from = degree[i]!;
    const to = degree[i + 1]!;
    for (let p = from + 1; p < to; p++) {
      const v = partner[p]!;
      const e = entry[p]!;
      let q = p - 1;
      while (q >= from && partner[q]! > v) {
        partner[q + 1] = partner[q]!;
        entry[q + 1] = entry[q]!;
        q--;
      }
      partner[q + 1] = v;
      entry[q + 1] = e;
    }
    for (let p = from; p < to;) {
      const v = partner[p]!;
      let recent = 0;
      let deficit = 0;
      for (; p < to && partner[p] === v; p++) {
        const set = sets[entry[p]!]!;
        if (set < 0) recent = 1;
        else deficit = set;
      }
      data.push(v);
      deficits.push(deficit);
      recents.push(recent);
    }
    historyStart[i + 1] = data.length;
  }
  return {
    historyStart,
    historyData: Int32Array.from(data),
    historyDeficit: Int32Array.from(deficits),
    historyRecent: Uint8Array.from(recents),
  };
}

/** The two member indices (smaller first) a {@link pairKey} names, or undefined if it names no two candidates. */
function splitPairKey(key: string, indexOf: ReadonlyMap<string, number>): [number, number] | undefined {
  // Ids may themselves contain ':', so try every split and keep the one naming two members.
  for (let at = key.indexOf(':'); at >= 0; at = key.indexOf(':', at + 1)) {
    const i = indexOf.get(key.slice(0, at));
    const j = indexOf.get(key.slice(at + 1));
    if (i !== undefined && j !== undefined && i !== j) return i < j ? [i, j] : [j, i];
  }
  return undefined;
}

/** Ids for every value in `lists`, numbered in sorted order of the values. */
function idsOf(lists: readonly (readonly string[])[]): Map<string, number> {
  const values = new Set<string>();
  for (const list of lists) for (const value of list) values.add(value);
  const ids = new Map<string, number>();
  for (const value of [...values].sort()) ids.set(value, ids.size);
  return ids;
}

function rows(
  candidates: readonly MatchCandidate[],
  field: (c: MatchCandidate) => readonly string[],
  ids: ReadonlyMap<string, number>,
): Rows {
  return rowsFromLists(candidates.map((candidate) => field(candidate).map((value) => ids.get(value)!)));
}

function rowsFromLists(lists: readonly number[][]): Rows {
  const start = new Int32Array(lists.length + 1);
  const data: number[] = [];
  lists.forEach((list, index) => {
    const sorted = [...new Set(list)].sort((x, y) => x - y);
    for (const value of sorted) data.push(value);
    start[index + 1] = data.length;
  });
  return { start, data: Int32Array.from(data) };
}

/**
 * The problem restricted to `members` (indices into `problem`), numbered 0 .. members.length - 1 in
 * that order: the same value ids and bit sets, and the history between them alone.
 */
export function subProblem(problem: Encoded, members: ArrayLike<number>): Encoded {
  const m = members.length;
  const local = new Map<number, number>();
  for (let t = 0; t < m; t++) local.set(members[t]!, t);
  const pick = <T extends Int32Array | Uint8Array>(values: T, make: (length: number) => T): T => {
    const result = make(m);
    for (let t = 0; t < m; t++) result[t] = values[members[t]!]!;
    return result;
  };
  const slice = (rows: Rows): Rows => {
    const start = new Int32Array(m + 1);
    const data: number[] = [];
    for (let t = 0; t < m; t++) {
      const i = members[t]!;
      for (let p = rows.start[i]!; p < rows.start[i + 1]!; p++) data.push(rows.data[p]!);
      start[t + 1] = data.length;
    }
    return { start, data: Int32Array.from(data) };
  };
  const historyStart = new Int32Array(m + 1);
  const historyData: number[] = [];
  const historyDeficit: number[] = [];
  const historyRecent: number[] = [];
  for (let t = 0; t < m; t++) {
    const i = members[t]!;
    const entries: number[] = [];
    for (let p = problem.history.start[i]!; p < problem.history.start[i + 1]!; p++)
      if (local.has(problem.history.data[p]!)) entries.push(p);
    entries.sort((x, y) => local.get(problem.history.data[x]!)! - local.get(problem.history.data[y]!)!);
    for (const p of entries) {
      historyData.push(local.get(problem.history.data[p]!)!);
      historyDeficit.push(problem.historyDeficit[p]!);
      historyRecent.push(problem.historyRecent[p]!);
    }
    historyStart[t + 1] = historyData.length;
  }
  const ints = (length: number): Int32Array => new Int32Array(length);
  return {
    ...problem,
    n: m,
    languages: slice(problem.languages),
    cultures: slice(problem.cultures),
    curiosities: slice(problem.curiosities),
    interests: slice(problem.interests),
    languageBits: pick(problem.languageBits, ints),
    languageBitsHigh: pick(problem.languageBitsHigh, ints),
    cultureBits: pick(problem.cultureBits, ints),
    curiosityBits: pick(problem.curiosityBits, ints),
    interestBits: pick(problem.interestBits, ints),
    cultureBitsHigh: pick(problem.cultureBitsHigh, ints),
    curiosityBitsHigh: pick(problem.curiosityBitsHigh, ints),
    interestBitsHigh: pick(problem.interestBitsHigh, ints),
    wake: pick(problem.wake, ints),
    history: { start: historyStart, data: Int32Array.from(historyData) },
    historyDeficit: Int32Array.from(historyDeficit),
    historyRecent: Uint8Array.from(historyRecent),
  };
}

/** One bit per value id modulo 32; with `from`, only ids `from .. from + 31`. */
function bits(rows: Rows, from?: number): Int32Array {
  const n = rows.start.length - 1;
  const result = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let p = rows.start[i]!; p < rows.start[i + 1]!; p++) {
      const id = rows.data[p]!;
      if (from === undefined || (id >= from && id < from + 32)) result[i]! |= 1 << (id & 31);
    }
  }
  return result;
}

/** Fast scoring over an {@link Encoded} problem; must agree with `preferenceScore` and `pairWeight`. */
export interface Scorer {
  /** {@link preferenceScore} of members `i` and `j`. */
  score(i: number, j: number): number;
  commonLanguage(i: number, j: number): boolean;
  commonLanguage3(i: number, j: number, k: number): boolean;
  recent(i: number, j: number): boolean;
  /** The pair's novelty deficit (0 when they never met). */
  deficit(i: number, j: number): number;
  /** Score minus the novelty deficit and the repeat penalty: a pair's part of any group's weight. */
  base(i: number, j: number): number;
  /** Score minus the novelty deficit and the relaxation penalties; what the solver maximises for a pair. */
  weight(i: number, j: number): number;
  /** Same for a trio: its three pair weights, and one language penalty if no language is common to all three. */
  weight3(i: number, j: number, k: number): number;
  /**
   * True when `weight` and `weight3` are exactly the pairs' `base` less one LANGUAGE_PENALTY without
   * a common language, so a search may add up pair weights it already has instead of asking again.
   */
  readonly pairwise: boolean;
}

/** The most a pair's weight can move without penalties: its score range plus the largest novelty deficit. */
export const PAIR_RANGE = MAX_PAIR_SCORE + noveltyDeficit(1);
/**
 * A repeated pair costs more than any move of up to 8 groups (24 pairs before, 24 after) can gain
 * in score and novelty, and a language-less group more than such a move can change in repeats (or
 * in the guidance of {@link guidedScorer}), so comparing penalised weights compares (language
 * violations, repeats, weight) lexicographically.
 */
export const REPEAT_PENALTY = 2 ** 21;
export const LANGUAGE_PENALTY = 2 ** 30;
/** One step of {@link guidedScorer}'s guidance: more than any move can change in score. */
export const GUIDANCE_STEP = 2 ** 23;
/** Groups a move may touch while penalised weights still compare lexicographically. */
export const MAX_MOVE_GROUPS = 8;

export function createScorer(problem: Encoded): Scorer {
  const { languages, cultures, curiosities, interests, wake, history, historyDeficit, historyRecent } = problem;
  const { languageBits, languageBitsHigh, cultureBits, curiosityBits, interestBits } = problem;
  const langStart = languages.start;
  const langData = languages.data;
  const cultStart = cultures.start;
  const cultData = cultures.data;
  const curStart = curiosities.start;
  const curData = curiosities.data;
  const intStart = interests.start;
  const intData = interests.data;
  const histStart = history.start;
  const histData = history.data;
  const overlapTable = new Int32Array(1440);
  for (let d = 0; d < 1440; d++) overlapTable[d] = overlapScoreAt(d);

  const { cultureBitsHigh, curiosityBitsHigh, interestBitsHigh } = problem;
  // With at most 64 values of a field (most servers), two 32-bit words hold each member's values
  // exactly and no merge of sorted lists is needed; the general path merges where the bits collide.
  const curious = problem.culturesExact
    ? (i: number, j: number): boolean => ((cultureBits[i]! & curiosityBits[j]!) | (cultureBitsHigh[i]! & curiosityBitsHigh[j]!)) !== 0
    : (i: number, j: number): boolean =>
        (cultureBits[i]! & curiosityBits[j]!) !== 0 &&
        meets(cultData, cultStart[i]!, cultStart[i + 1]!, curData, curStart[j]!, curStart[j + 1]!);
  const shareCulture = problem.culturesExact
    ? (i: number, j: number): boolean => ((cultureBits[i]! & cultureBits[j]!) | (cultureBitsHigh[i]! & cultureBitsHigh[j]!)) !== 0
    : (i: number, j: number): boolean =>
        (cultureBits[i]! & cultureBits[j]!) !== 0 &&
        meets(cultData, cultStart[i]!, cultStart[i + 1]!, cultData, cultStart[j]!, cultStart[j + 1]!);
  const sharedInterests = problem.interestsExact
    ? (i: number, j: number): number =>
        popcount(interestBits[i]! & interestBits[j]!) + popcount(interestBitsHigh[i]! & interestBitsHigh[j]!)
    : (i: number, j: number): number =>
        (interestBits[i]! & interestBits[j]!) === 0
          ? 0
          : countShared(intData, intStart[i]!, intStart[i + 1]!, intStart[j]!, intStart[j + 1]!);

  const generalScore = (i: number, j: number): number => {
    let s = 0;
    if (curious(i, j)) s += WEIGHTS.curiosityPerDirection;
    if (curious(j, i)) s += WEIGHTS.curiosityPerDirection;
    if (cultStart[i] === cultStart[i + 1] || cultStart[j] === cultStart[j + 1]) s += WEIGHTS.unknownCultures;
    else if (!shareCulture(i, j)) s += WEIGHTS.differentCultures;
    const wi = wake[i]!;
    const wj = wake[j]!;
    if (wi < 0 || wj < 0) s += WEIGHTS.unknownOverlap;
    else s += overlapTable[wj >= wi ? wj - wi : wj - wi + 1440]!;
    s += Math.min(sharedInterests(i, j), WEIGHTS.maxSharedInterests) * WEIGHTS.sharedInterest;
    return s;
  };

  // Where both fields fit in bits (most servers), each member's profile is one 32-byte record, so
  // scoring a pair touches two cache lines instead of a dozen arrays.
  const packed = problem.culturesExact && problem.interestsExact;
  const profile = new Int32Array(packed ? 8 * problem.n : 0);
  for (let i = 0, at = 0; packed && i < problem.n; i++, at += 8) {
    profile[at] = cultureBits[i]!;
    profile[at + 1] = cultureBitsHigh[i]!;
    profile[at + 2] = curiosityBits[i]!;
    profile[at + 3] = curiosityBitsHigh[i]!;
    profile[at + 4] = interestBits[i]!;
    profile[at + 5] = interestBitsHigh[i]!;
    profile[at + 6] = wake[i]!;
    profile[at + 7] = cultStart[i] === cultStart[i + 1] ? 1 : 0;
  }
  const packedScore = (i: number, j: number): number => {
    const a = i << 3;
    const b = j << 3;
    const cultureA = profile[a]!;
    const cultureHighA = profile[a + 1]!;
    const cultureB = profile[b]!;
    const cultureHighB = profile[b + 1]!;
    let s = 0;
    if (((cultureA & profile[b + 2]!) | (cultureHighA & profile[b + 3]!)) !== 0) s += WEIGHTS.curiosityPerDirection;
    if (((cultureB & profile[a + 2]!) | (cultureHighB & profile[a + 3]!)) !== 0) s += WEIGHTS.curiosityPerDirection;
    if ((profile[a + 7]! | profile[b + 7]!) !== 0) s += WEIGHTS.unknownCultures;
    else if (((cultureA & cultureB) | (cultureHighA & cultureHighB)) === 0) s += WEIGHTS.differentCultures;
    const wi = profile[a + 6]!;
    const wj = profile[b + 6]!;
    if (wi < 0 || wj < 0) s += WEIGHTS.unknownOverlap;
    else s += overlapTable[wj >= wi ? wj - wi : wj - wi + 1440]!;
    const shared = popcount(profile[a + 4]! & profile[b + 4]!) + popcount(profile[a + 5]! & profile[b + 5]!);
    return s + (shared < WEIGHTS.maxSharedInterests ? shared : WEIGHTS.maxSharedInterests) * WEIGHTS.sharedInterest;
  };
  const score = packed ? packedScore : generalScore;

  const exact = problem.languageBitsExact;
  const commonLanguage = exact
    ? (i: number, j: number): boolean => (languageBits[i]! & languageBits[j]!) !== 0 || (languageBitsHigh[i]! & languageBitsHigh[j]!) !== 0
    : (i: number, j: number): boolean =>
        (languageBits[i]! & languageBits[j]!) !== 0 &&
        meets(langData, langStart[i]!, langStart[i + 1]!, langData, langStart[j]!, langStart[j + 1]!);

  const commonLanguage3 = (i: number, j: number, k: number): boolean => {
    if (exact)
      return (
        (languageBits[i]! & languageBits[j]! & languageBits[k]!) !== 0 ||
        (languageBitsHigh[i]! & languageBitsHigh[j]! & languageBitsHigh[k]!) !== 0
      );
    if ((languageBits[i]! & languageBits[j]! & languageBits[k]!) === 0) return false;
    const end = langStart[i + 1]!;
    for (let p = langStart[i]!; p < end; p++) {
      const language = langData[p]!;
      if (contains(langData, langStart[j]!, langStart[j + 1]!, language) && contains(langData, langStart[k]!, langStart[k + 1]!, language))
        return true;
    }
    return false;
  };

  /** Position of `j` in `i`'s history, or -1. */
  const find = (i: number, j: number): number => {
    let lo = histStart[i]!;
    let hi = histStart[i + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = histData[mid]!;
      if (v === j) return mid;
      if (v < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };

  const recent = (i: number, j: number): boolean => {
    const p = find(i, j);
    return p >= 0 && historyRecent[p] === 1;
  };

  const deficit = (i: number, j: number): number => {
    const p = find(i, j);
    return p >= 0 ? historyDeficit[p]! : 0;
  };

  /** Novelty deficit plus the repeat penalty of a pair. */
  const historyCost = (i: number, j: number): number => {
    if (histStart[i] === histStart[i + 1]) return 0;
    const p = find(i, j);
    if (p < 0) return 0;
    return historyDeficit[p]! + (historyRecent[p] === 1 ? REPEAT_PENALTY : 0);
  };

  const base = (i: number, j: number): number => score(i, j) - historyCost(i, j);

  const weight = (i: number, j: number): number => {
    let w = score(i, j) - historyCost(i, j);
    if (!commonLanguage(i, j)) w -= LANGUAGE_PENALTY;
    return w;
  };

  const weight3 = (i: number, j: number, k: number): number => {
    let w = score(i, j) + score(i, k) + score(j, k) - historyCost(i, j) - historyCost(i, k) - historyCost(j, k);
    if (!commonLanguage3(i, j, k)) w -= LANGUAGE_PENALTY;
    return w;
  };

  return { score, commonLanguage, commonLanguage3, recent, deficit, base, weight, weight3, pairwise: true };
}

function meets(a: Int32Array, a0: number, a1: number, b: Int32Array, b0: number, b1: number): boolean {
  while (a0 < a1 && b0 < b1) {
    const x = a[a0]!;
    const y = b[b0]!;
    if (x === y) return true;
    if (x < y) a0++;
    else b0++;
  }
  return false;
}

function countShared(data: Int32Array, a0: number, a1: number, b0: number, b1: number): number {
  let count = 0;
  while (a0 < a1 && b0 < b1) {
    const x = data[a0]!;
    const y = data[b0]!;
    if (x === y) {
      count++;
      a0++;
      b0++;
    } else if (x < y) a0++;
    else b0++;
  }
  return count;
}

/** Set bits of a 32-bit word (SWAR). */
function popcount(x: number): number {
  const a = x - ((x >>> 1) & 0x55555555);
  const b = (a & 0x33333333) + ((a >>> 2) & 0x33333333);
  return Math.imul((b + (b >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function contains(data: Int32Array, from: number, to: number, value: number): boolean {
  for (let p = from; p < to; p++) if (data[p] === value) return true;
  return false;
}

/**
 * The same scorer with every pair's weight computed once into a dense matrix: on small servers the
 * search evaluates each pair thousands of times.
 */
export function cachedScorer(scorer: Scorer, n: number): Scorer {
  const base = new Float64Array(n * n);
  const language = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      base[i * n + j] = base[j * n + i] = scorer.base(i, j);
      language[i * n + j] = language[j * n + i] = scorer.commonLanguage(i, j) ? 1 : 0;
    }
  }
  return {
    ...scorer,
    base: (i, j) => base[i * n + j]!,
    commonLanguage: (i, j) => language[i * n + j] === 1,
    weight: (i, j) => base[i * n + j]! - (language[i * n + j] === 1 ? 0 : LANGUAGE_PENALTY),
    weight3: (i, j, k) => base[i * n + j]! + base[i * n + k]! + base[j * n + k]! - (scorer.commonLanguage3(i, j, k) ? 0 : LANGUAGE_PENALTY),
  };
}

/**
 * The scorer with a language-less group's penalty graded, for the repair of the common-language
 * constraint only: a group costs less the fewer members must change for it to share a language,
 * and the more of its members cannot share one with enough others anyway (`hopeless`, squared, so
 * that gathering them into the same groups pays). This turns steps that lead towards fewer
 * language-less groups into improvements that swaps and re-partitions find by themselves.
 * `hopeless2[i]` is 1 when no other member speaks any of i's languages, `hopeless3[i]` when fewer
 * than two others speak any one of them.
 */
export function guidedScorer(scorer: Scorer, hopeless2: Uint8Array, hopeless3: Uint8Array): Scorer {
  return {
    ...scorer,
    pairwise: false,
    weight: (i, j) => {
      const w = scorer.weight(i, j);
      if (scorer.commonLanguage(i, j)) return w;
      const h = hopeless2[i]! + hopeless2[j]!;
      return w - GUIDANCE_STEP * (1 - h * h);
    },
    weight3: (i, j, k) => {
      const w = scorer.weight3(i, j, k);
      if (scorer.commonLanguage3(i, j, k)) return w;
      const missing = scorer.commonLanguage(i, j) || scorer.commonLanguage(i, k) || scorer.commonLanguage(j, k) ? 1 : 2;
      const h = hopeless3[i]! + hopeless3[j]! + hopeless3[k]!;
      return w - GUIDANCE_STEP * (missing - h * h);
    },
  };
}

/**
 * Slots of {@link memoScorer}'s cache (a power of two): 1 MB, so that it stays in the processor's
 * cache. A table of a million slots kept more pairs (85% hits instead of 77% for 10,000 trios) but
 * its lookups missed the processor's cache so often that rounds took longer, the more so when other
 * processes share the machine; for pairs it barely helped (18% hits).
 */
const MEMO_SLOTS = 1 << 16;

/**
 * The same scorer with a direct-mapped cache of pair weights, for servers too large for a dense
 * matrix: the search weighs the same pairs (group mates and their neighbours) again and again.
 */
export function memoScorer(scorer: Scorer, n: number): Scorer {
  const mask = MEMO_SLOTS - 1;
  // Key and value side by side: a lookup touches one cache line.
  const slots = new Float64Array(2 * MEMO_SLOTS);
  for (let at = 0; at < slots.length; at += 2) slots[at] = -1;
  const base = (i: number, j: number): number => {
    const a = i < j ? i : j;
    const b = i < j ? j : i;
    const key = a * n + b;
    const at = ((Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77)) & mask) << 1;
    if (slots[at] === key) return slots[at + 1]!;
    const value = scorer.base(a, b);
    slots[at] = key;
    slots[at + 1] = value;
    return value;
  };
  return {
    ...scorer,
    base,
    weight: (i, j) => base(i, j) - (scorer.commonLanguage(i, j) ? 0 : LANGUAGE_PENALTY),
    weight3: (i, j, k) => base(i, j) + base(i, k) + base(j, k) - (scorer.commonLanguage3(i, j, k) ? 0 : LANGUAGE_PENALTY),
  };
}
