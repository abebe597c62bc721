/**
 * Exact optimum of a pairing round by dynamic programming over subsets (n ≤ 18), independent of the
 * matcher's code: it reads profiles only through the public scoring functions. The yardstick for
 * the property tests on small servers; the benchmark uses an integer program for larger ones.
 */
import { haveCommonLanguage, pairKey, preferenceScore } from '../../src/core/matching.ts';
import type { MatchCandidate, MatchOptions } from '../../src/core/matching.ts';
import { maxWeightPerfectMatching } from '../../src/core/matching/blossom.ts';

/** What a grouping costs, in the order the matcher minimises it, and what it scores. */
export interface GroupingValue {
  /** Groups whose members share no language. */
  readonly languageless: number;
  /** Pairs inside a group that met in the recent rounds. */
  readonly repeats: number;
  /** Sum of `pairWeight` over every pair inside every group (by default the preference score). */
  readonly score: number;
}

/** How many trios and pairs a round of `n` members has (the rule documented on `matchMembers`). */
export function groupSizes(n: number, groupSize: 2 | 3): { trios: number; pairs: number } {
  if (n < 2) return { trios: 0, pairs: 0 };
  if (groupSize === 2) {
    const trios = n % 2;
    return { trios, pairs: (n - 3 * trios) / 2 };
  }
  const pairs = [0, 2, 1][n % 3]!;
  return { trios: (n - 2 * pairs) / 3, pairs };
}

/** The value of a grouping given as lists of user ids. */
export function groupingValue(
  members: readonly MatchCandidate[],
  groups: readonly (readonly string[])[],
  options: Pick<MatchOptions, 'defaultLanguage' | 'recentPairs'>,
  pairWeight: (a: MatchCandidate, b: MatchCandidate) => number = preferenceScore,
): GroupingValue {
  const byId = new Map(members.map((m) => [m.userId, m]));
  let languageless = 0;
  let repeats = 0;
  let score = 0;
  for (const ids of groups) {
    const group = ids.map((id) => byId.get(id)!);
    if (!shareLanguage(group, options.defaultLanguage)) languageless++;
    for (let a = 0; a < group.length; a++) {
      for (let b = a + 1; b < group.length; b++) {
        if (options.recentPairs.has(pairKey(group[a]!.userId, group[b]!.userId))) repeats++;
        score += pairWeight(group[a]!, group[b]!);
      }
    }
  }
  return { languageless, repeats, score };
}

/** -1 when `a` is better than `b` (fewer language-less groups, then fewer repeats, then a higher score). */
export function compareValues(a: GroupingValue, b: GroupingValue): number {
  return a.languageless - b.languageless || a.repeats - b.repeats || b.score - a.score;
}

function shareLanguage(group: readonly MatchCandidate[], defaultLanguage: string): boolean {
  if (group.length === 2) return haveCommonLanguage(group[0]!, group[1]!, defaultLanguage);
  const languages = (m: MatchCandidate): readonly string[] => (m.languages.length > 0 ? m.languages : [defaultLanguage]);
  return languages(group[0]!).some((l) => group.every((m) => languages(m).includes(l)));
}

/**
 * The lexicographic optimum over every grouping of `members` into the round's trios and pairs:
 * fewest language-less groups, then fewest repeated pairs, then the highest total `pairWeight`.
 */
export function exactGrouping(
  members: readonly MatchCandidate[],
  options: Pick<MatchOptions, 'defaultLanguage' | 'recentPairs' | 'groupSize'>,
  pairWeight: (a: MatchCandidate, b: MatchCandidate) => number = preferenceScore,
): { value: GroupingValue; groups: string[][] } {
  const n = members.length;
  if (n > 18) throw new RangeError('exactGrouping enumerates subsets: at most 18 members');
  const { trios } = groupSizes(n, options.groupSize);
  if (n < 2) return { value: { languageless: 0, repeats: 0, score: 0 }, groups: [] };

  const weight: number[] = [];
  const repeat: number[] = [];
  let maxWeight = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const w = i === j ? 0 : pairWeight(members[i]!, members[j]!);
      weight.push(w);
      maxWeight = Math.max(maxWeight, Math.abs(w));
      repeat.push(i !== j && options.recentPairs.has(pairKey(members[i]!.userId, members[j]!.userId)) ? 1 : 0);
    }
  }
  // One number per value, lexicographic because each unit exceeds everything below it can sum to.
  const repeatUnit = 2 * n * maxWeight + 1;
  const languageUnit = (n * n + 1) * repeatUnit;
  const cost = (group: readonly number[]): number => {
    let c = shareLanguage(
      group.map((i) => members[i]!),
      options.defaultLanguage,
    )
      ? 0
      : languageUnit;
    for (let a = 0; a < group.length; a++) {
      for (let b = a + 1; b < group.length; b++) c += repeat[group[a]! * n + group[b]!]! * repeatUnit - weight[group[a]! * n + group[b]!]!;
    }
    return c;
  };

  const full = (1 << n) - 1;
  const memo = new Map<number, { cost: number; first: number[] }>();
  // State: the members still to place and how many trios are still to form.
  const best = (left: number, triosLeft: number): { cost: number; first: number[] } => {
    if (left === 0) return { cost: triosLeft === 0 ? 0 : Infinity, first: [] };
    const key = left * 8 + triosLeft;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let i = 0;
    while (((left >> i) & 1) === 0) i++;
    let result = { cost: Infinity, first: [] as number[] };
    const remaining = popcount(left);
    for (let j = i + 1; j < n; j++) {
      if (((left >> j) & 1) === 0) continue;
      const afterPair = left & ~(1 << i) & ~(1 << j);
      if (remaining - 2 >= 3 * triosLeft) {
        const rest = best(afterPair, triosLeft);
        const c = cost([i, j]) + rest.cost;
        if (c < result.cost) result = { cost: c, first: [i, j] };
      }
      if (triosLeft === 0) continue;
      for (let k = j + 1; k < n; k++) {
        if (((afterPair >> k) & 1) === 0) continue;
        const rest = best(afterPair & ~(1 << k), triosLeft - 1);
        const c = cost([i, j, k]) + rest.cost;
        if (c < result.cost) result = { cost: c, first: [i, j, k] };
      }
    }
    memo.set(key, result);
    return result;
  };

  const groups: string[][] = [];
  let left = full;
  let triosLeft = trios;
  while (left !== 0) {
    const { first } = best(left, triosLeft);
    if (first.length === 0) throw new Error('no grouping with the required sizes');
    groups.push(first.map((i) => members[i]!.userId));
    for (const i of first) left &= ~(1 << i);
    if (first.length === 3) triosLeft--;
  }
  return { value: groupingValue(members, groups, options, pairWeight), groups };
}

function popcount(x: number): number {
  let count = 0;
  for (let v = x; v !== 0; v &= v - 1) count++;
  return count;
}

/**
 * The lexicographic optimum of an even round of pairs (fewest language-less pairs, then fewest
 * repeats, then the highest total `pairWeight`): a maximum-weight perfect matching (blossom) whose
 * penalties are scaled from the weights themselves, read from the profiles.
 */
export function exactPairing(
  members: readonly MatchCandidate[],
  options: Pick<MatchOptions, 'defaultLanguage' | 'recentPairs'>,
  pairWeight: (a: MatchCandidate, b: MatchCandidate) => number = preferenceScore,
): string[][] {
  const n = members.length;
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const w = pairWeight(members[i]!, members[j]!);
      low = Math.min(low, w);
      high = Math.max(high, w);
    }
  const repeatPenalty = (n / 2) * (high - low) + 1;
  const languagePenalty = (n / 2 + 1) * repeatPenalty;
  const mate = maxWeightPerfectMatching(n, (i, j) => {
    const a = members[i]!;
    const b = members[j]!;
    let w = pairWeight(a, b);
    if (options.recentPairs.has(pairKey(a.userId, b.userId))) w -= repeatPenalty;
    if (!haveCommonLanguage(a, b, options.defaultLanguage)) w -= languagePenalty;
    return w;
  });
  const pairs: string[][] = [];
  mate.forEach((j, i) => {
    if (i < j) pairs.push([members[i]!.userId, members[j]!.userId]);
  });
  return pairs;
}
