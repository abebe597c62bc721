import type { MatchCandidate, MatchOptions } from './types.ts';
import { MAX_PAIR_SCORE, WEIGHTS, effectiveLanguages, overlapScoreAt, wakeStartUtc } from './score.ts';

/** Sorted id lists per member in compressed rows: member `i` owns `data[start[i] .. start[i + 1])`. */
export interface Rows {
  readonly start: Int32Array;
  readonly data: Int32Array;
}

/**
 * Candidates turned into integer ids and typed arrays, so that scoring a pair costs a few merges
 * of tiny sorted arrays instead of string comparisons; the solver scores millions of pairs.
 * Member indices follow `candidates` order.
 */
export interface Encoded {
  readonly n: number;
  readonly languages: Rows;
  readonly cultures: Rows;
  readonly curiosities: Rows;
  readonly interests: Rows;
  /** UTC minute at which the member's waking window starts, or -1 when the offset is unknown. */
  readonly wake: Int32Array;
  readonly recent: Rows;
}

export function encode(candidates: readonly MatchCandidate[], options: Pick<MatchOptions, 'defaultLanguage' | 'recentPairs'>): Encoded {
  const n = candidates.length;
  const languageIds = new Map<string, number>();
  const cultureIds = new Map<string, number>(); // shared by cultures and curiosities: they must meet
  const interestIds = new Map<string, number>();
  const indexOf = new Map<string, number>();
  candidates.forEach((candidate, index) => indexOf.set(candidate.userId, index));

  const wake = new Int32Array(n);
  candidates.forEach((candidate, index) => {
    wake[index] = candidate.utcOffsetMinutes === undefined ? -1 : wakeStartUtc(candidate.utcOffsetMinutes);
  });

  const recentLists: number[][] = Array.from({ length: n }, () => []);
  for (const key of options.recentPairs) {
    // Ids may themselves contain ':', so try every split and keep the one naming two members.
    for (let at = key.indexOf(':'); at >= 0; at = key.indexOf(':', at + 1)) {
      const i = indexOf.get(key.slice(0, at));
      const j = indexOf.get(key.slice(at + 1));
      if (i !== undefined && j !== undefined && i !== j) {
        recentLists[i]?.push(j);
        recentLists[j]?.push(i);
        break;
      }
    }
  }

  return {
    n,
    languages: rows(candidates, (c) => effectiveLanguages(c, options.defaultLanguage), languageIds),
    cultures: rows(candidates, (c) => c.cultures, cultureIds),
    curiosities: rows(candidates, (c) => c.curiousAbout, cultureIds),
    interests: rows(candidates, (c) => c.interests, interestIds),
    wake,
    recent: rowsFromLists(recentLists),
  };
}

function rows(candidates: readonly MatchCandidate[], field: (c: MatchCandidate) => readonly string[], ids: Map<string, number>): Rows {
  return rowsFromLists(
    candidates.map((candidate) =>
      field(candidate).map((value) => {
        let id = ids.get(value);
        if (id === undefined) {
          id = ids.size;
          ids.set(value, id);
        }
        return id;
      }),
    ),
  );
}

function rowsFromLists(lists: readonly number[][]): Rows {
  const start = new Int32Array(lists.length + 1);
  const data: number[] = [];
  lists.forEach((list, index) => {
    const sorted = [...new Set(list)].sort((x, y) => x - y);
    data.push(...sorted);
    start[index + 1] = data.length;
  });
  return { start, data: Int32Array.from(data) };
}

/** Fast scoring over an {@link Encoded} problem; must agree with `preferenceScore`. */
export interface Scorer {
  /** {@link preferenceScore} of members `i` and `j`. */
  score(i: number, j: number): number;
  commonLanguage(i: number, j: number): boolean;
  commonLanguage3(i: number, j: number, k: number): boolean;
  recent(i: number, j: number): boolean;
  /** Score minus the relaxation penalties; what the solver maximises for a pair. */
  weight(i: number, j: number): number;
  /** Same for a trio: its three pair scores, each repeat pair penalised, and one language penalty if no language is common to all three. */
  weight3(i: number, j: number, k: number): number;
}

/**
 * A repeat costs more than any local move can gain in score (a move touches at most two trios,
 * six pairs), and a language-less group more than any number of repeats a move can remove, so
 * comparing penalised weights compares (language violations, repeats, score) lexicographically.
 */
export const REPEAT_PENALTY = 6 * MAX_PAIR_SCORE + 1;
export const LANGUAGE_PENALTY = 7 * REPEAT_PENALTY + 6 * MAX_PAIR_SCORE + 1;

export function createScorer(problem: Encoded): Scorer {
  const { languages, cultures, curiosities, interests, wake, recent } = problem;
  const langStart = languages.start;
  const langData = languages.data;
  const cultStart = cultures.start;
  const cultData = cultures.data;
  const curStart = curiosities.start;
  const curData = curiosities.data;
  const intStart = interests.start;
  const intData = interests.data;
  const recStart = recent.start;
  const recData = recent.data;
  const overlapTable = new Int32Array(1440);
  for (let d = 0; d < 1440; d++) overlapTable[d] = overlapScoreAt(d);

  const score = (i: number, j: number): number => {
    let s = 0;
    const ci0 = cultStart[i]!;
    const ci1 = cultStart[i + 1]!;
    const cj0 = cultStart[j]!;
    const cj1 = cultStart[j + 1]!;
    if (meets(cultData, ci0, ci1, curData, curStart[j]!, curStart[j + 1]!)) s += WEIGHTS.curiosityPerDirection;
    if (meets(cultData, cj0, cj1, curData, curStart[i]!, curStart[i + 1]!)) s += WEIGHTS.curiosityPerDirection;
    if (ci0 === ci1 || cj0 === cj1) s += WEIGHTS.unknownCultures;
    else if (!meets(cultData, ci0, ci1, cultData, cj0, cj1)) s += WEIGHTS.differentCultures;
    const wi = wake[i]!;
    const wj = wake[j]!;
    if (wi < 0 || wj < 0) s += WEIGHTS.unknownOverlap;
    else s += overlapTable[wj >= wi ? wj - wi : wj - wi + 1440]!;
    const shared = countShared(intData, intStart[i]!, intStart[i + 1]!, intStart[j]!, intStart[j + 1]!);
    s += Math.min(shared, WEIGHTS.maxSharedInterests) * WEIGHTS.sharedInterest;
    return s;
  };

  const commonLanguage = (i: number, j: number): boolean =>
    meets(langData, langStart[i]!, langStart[i + 1]!, langData, langStart[j]!, langStart[j + 1]!);

  const commonLanguage3 = (i: number, j: number, k: number): boolean => {
    const end = langStart[i + 1]!;
    for (let p = langStart[i]!; p < end; p++) {
      const language = langData[p]!;
      if (contains(langData, langStart[j]!, langStart[j + 1]!, language) && contains(langData, langStart[k]!, langStart[k + 1]!, language))
        return true;
    }
    return false;
  };

  const isRecent = (i: number, j: number): boolean => contains(recData, recStart[i]!, recStart[i + 1]!, j);

  const weight = (i: number, j: number): number => {
    let w = score(i, j);
    if (isRecent(i, j)) w -= REPEAT_PENALTY;
    if (!commonLanguage(i, j)) w -= LANGUAGE_PENALTY;
    return w;
  };

  const weight3 = (i: number, j: number, k: number): number => {
    let w = score(i, j) + score(i, k) + score(j, k);
    if (isRecent(i, j)) w -= REPEAT_PENALTY;
    if (isRecent(i, k)) w -= REPEAT_PENALTY;
    if (isRecent(j, k)) w -= REPEAT_PENALTY;
    if (!commonLanguage3(i, j, k)) w -= LANGUAGE_PENALTY;
    return w;
  };

  return { score, commonLanguage, commonLanguage3, recent: isRecent, weight, weight3 };
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

function contains(data: Int32Array, from: number, to: number, value: number): boolean {
  for (let p = from; p < to; p++) if (data[p] === value) return true;
  return false;
}
