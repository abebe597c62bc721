/**
 * A lower bound on the relaxations a large round cannot avoid: (language-less groups, repeated
 * pairs), compared lexicographically as the matcher ranks them. An exact integer program over
 * thousands of members is out of reach, but relaxations are forced only around members who speak
 * nothing but small languages, and the bound solves the round restricted to them.
 *
 * The hard members H are those all of whose effective languages have at most `maxSpeakers`
 * speakers in the round. Take any grouping of the whole round and keep only its groups that
 * contain a member of H. They cover H exactly once, every other member at most once, use at most
 * the round's pairs and trios, and each is either
 * - a group sharing a language: that language is one of its hard member's, so every member of the
 *   group speaks it and the group lies inside that language's (small) speaker set. Those groups
 *   are enumerated in full, with their repeated pairs as cost;
 * - language-less: the model keeps only how many there are and which hard members they hold (up
 *   to 3 in a trio, 2 in a pair); the rest of such a group is a wildcard that consumes nobody, and
 *   its repeated pairs count as 0. (Hard members who do share a language gain nothing by being
 *   counted language-less: the same members as a language-sharing column cost less.)
 * So every grouping of the round maps to a solution of this sub-problem whose language-less groups
 * and repeats are each at most the grouping's, and the sub-problem's lexicographic minimum is at
 * most the round's optimum: a valid lower bound, for any choice of H. A larger H can only raise it
 * (a solution for a larger H restricted to the groups holding members of a smaller one is a
 * solution for the smaller), at the price of more columns.
 *
 * The sub-problem is a set-packing MIP solved with HiGHS: minimise BIG·language-less + repeats,
 * BIG above any possible repeat count (at most 3 per group, one group per hard member at most).
 * When HiGHS stops at its time limit, its dual bound D is still a lower bound on every solution's
 * BIG·L + R, hence on (L, R) lexicographically: L ≥ ⌊D/BIG⌋, and R ≥ ⌈D − BIG·L⌉ when L equals it.
 * The incumbent's value is not a bound (its groups are returned, to build a full grouping from).
 *
 * The repeats bound means something only when the matcher's language-less count equals the
 * bound's: then so does the optimum's, and the optimum repeats at least that many pairs.
 * bench/relaxationBoundCheck.ts prints these bounds next to the matcher's relaxations, and next to
 * a full grouping built around the sub-problem's solution, which attained the bound on every round
 * the check ran when this was written (realistic populations of 1,000 to 10,000, trios and pairs):
 * there the bound is the optimum.
 *
 * `maxSpeakers` = 40: on the check's first seeds 20 already gives the same bounds and 80 none
 * better, while 80 has up to 9 times the columns (rounds of 3,000 and 6,000 members then run out of
 * their 60 s with a dual bound of 0/0). On small rounds, where nearly everyone is hard, 40 is
 * tighter than 5 or 10. Where the bound falls short of the optimum (small rounds with simulated
 * history, checked against the exact integer program: never above it, equal on 9 of 20), the
 * likely cause is what the model leaves out of language-less groups: their repeats and their other
 * members.
 */
import { performance } from 'node:perf_hooks';
import { effectiveLanguages, pairKey } from '../src/core/matching.ts';
import type { MatchCandidate, MatchOptions } from '../src/core/matching.ts';
import { groupSizes } from '../test/support/exactGrouping.ts';
import { loadHighsSolver } from '../test/support/exactGroupingIp.ts';

/** Members who speak only languages with at most this many speakers in the round are hard (see above for the choice). */
export const DEFAULT_MAX_SPEAKERS = 40;

export interface RelaxationBound {
  /** No grouping of the round has fewer language-less groups. */
  readonly languageless: number;
  /** No grouping with `languageless` language-less groups repeats fewer pairs. */
  readonly repeats: number;
  readonly hardMembers: number;
  /** Language-sharing groups enumerated (the MIP's group columns). */
  readonly columns: number;
  readonly seconds: number;
  /** False when HiGHS hit its time limit: the bound then comes from its dual bound and may be below the sub-problem's optimum. */
  readonly proven: boolean;
  /**
   * The language-sharing groups of the best sub-problem solution HiGHS found (user ids): not part of
   * the bound, but a start for a full grouping that can show the bound is attained.
   */
  readonly groups: readonly (readonly string[])[];
}

export interface RelaxationBoundOptions {
  readonly maxSpeakers?: number;
  /** Seconds HiGHS may spend on the MIP. */
  readonly timeLimit?: number;
}

/**
 * A lexicographic lower bound on (language-less groups, repeated pairs) over every grouping of
 * `members` into the round's trios and pairs.
 */
export async function relaxationLowerBound(
  members: readonly MatchCandidate[],
  options: Pick<MatchOptions, 'groupSize' | 'defaultLanguage' | 'recentPairs'>,
  boundOptions: RelaxationBoundOptions = {},
): Promise<RelaxationBound> {
  const started = performance.now();
  const maxSpeakers = boundOptions.maxSpeakers ?? DEFAULT_MAX_SPEAKERS;
  const timeLimit = boundOptions.timeLimit ?? 60;
  const n = members.length;
  const { trios, pairs } = groupSizes(n, options.groupSize);
  const seconds = (): number => (performance.now() - started) / 1000;

  const languages = members.map((m) => effectiveLanguages(m, options.defaultLanguage));
  const speakers = new Map<string, number[]>();
  languages.forEach((list, i) => {
    for (const l of list) {
      const s = speakers.get(l) ?? [];
      s.push(i);
      speakers.set(l, s);
    }
  });
  const hard = languages.map((list) => list.every((l) => speakers.get(l)!.length <= maxSpeakers));
  const hardIndex = new Int32Array(n).fill(-1);
  let hardCount = 0;
  hard.forEach((h, i) => {
    if (h) hardIndex[i] = hardCount++;
  });
  if (hardCount === 0 || n < 2) {
    return { languageless: 0, repeats: 0, hardMembers: 0, columns: 0, seconds: seconds(), proven: true, groups: [] };
  }

  const repeat = (a: number, b: number): number => (options.recentPairs.has(pairKey(members[a]!.userId, members[b]!.userId)) ? 1 : 0);
  // Every language-sharing group holding a hard member, found within the speakers of each small language.
  const groups: number[][] = [];
  const costs: number[] = [];
  const seen = new Set<number>();
  const keyOf = (g: readonly number[]): number => (g[0]! * (n + 1) + g[1]!) * (n + 1) + (g[2] ?? n);
  const smallLanguages = new Set<string>();
  languages.forEach((list, i) => {
    if (hard[i]) for (const l of list) smallLanguages.add(l);
  });
  for (const language of smallLanguages) {
    const s = [...speakers.get(language)!].sort((a, b) => a - b);
    for (let a = 0; a < s.length; a++) {
      for (let b = a + 1; b < s.length; b++) {
        const i = s[a]!;
        const j = s[b]!;
        const ij = repeat(i, j);
        if (pairs > 0 && (hard[i] || hard[j])) add([i, j], ij);
        if (trios === 0) continue;
        for (let c = b + 1; c < s.length; c++) {
          const k = s[c]!;
          if (hard[i] || hard[j] || hard[k]) add([i, j, k], ij + repeat(i, k) + repeat(j, k));
        }
      }
    }
  }
  function add(group: number[], cost: number): void {
    const key = keyOf(group);
    if (seen.has(key)) return;
    seen.add(key);
    groups.push(group);
    costs.push(cost);
  }

  // Rows: hard members (= 1), then other members used by some column (≤ 1), then the capacity of
  // language-less groups, the pair count and the trio count.
  const otherRow = new Int32Array(n).fill(-1);
  let rowCount = hardCount;
  for (const g of groups) for (const v of g) if (!hard[v] && otherRow[v] === -1) otherRow[v] = rowCount++;
  const capacityRow = rowCount++;
  const pairRow = rowCount++;
  const trioRow = rowCount++;
  const rowOf = (v: number): number => (hard[v] ? hardIndex[v]! : otherRow[v]!);
  const big = 3 * hardCount + 1;

  const colCost: number[] = [];
  const colUpper: number[] = [];
  const integrality: number[] = [];
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const highs = await loadHighsSolver();
  const { integer, continuous } = highs.constants.variableType;
  const column = (cost: number, upper: number, type: number, entries: readonly (readonly [number, number])[]): void => {
    colCost.push(cost);
    colUpper.push(upper);
    integrality.push(type);
    for (const [row, value] of [...entries].sort((a, b) => a[0] - b[0])) {
      indices.push(row);
      values.push(value);
    }
    starts.push(indices.length);
  };
  groups.forEach((g, c) =>
    column(costs[c]!, 1, integer, [...g.map((v) => [rowOf(v), 1] as const), [g.length === 2 ? pairRow : trioRow, 1]]),
  );
  // y_h: hard member h sits in a language-less group (integral whenever the group columns are).
  for (let h = 0; h < hardCount; h++)
    column(0, 1, continuous, [
      [h, 1],
      [capacityRow, 1],
    ]);
  const languagelessPairs = colCost.length;
  column(big, pairs, integer, [
    [capacityRow, -2],
    [pairRow, 1],
  ]);
  const languagelessTrios = colCost.length;
  column(big, trios, integer, [
    [capacityRow, -3],
    [trioRow, 1],
  ]);

  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  for (let r = 0; r < rowCount; r++) {
    rowLower.push(r < hardCount ? 1 : -highs.infinity);
    rowUpper.push(r < hardCount ? 1 : r === capacityRow ? 0 : r === pairRow ? pairs : r === trioRow ? trios : 1);
  }

  const model = highs.createModel();
  try {
    model.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 0.999, time_limit: timeLimit });
    const numCols = colCost.length;
    model.passModel({
      numCols,
      numRows: rowCount,
      sense: highs.constants.objectiveSense.minimize,
      colCost,
      colLower: new Float64Array(numCols),
      colUpper,
      rowLower,
      rowUpper,
      matrix: { format: 'csc', numRows: rowCount, numCols, starts, indices, values },
      integrality: Int32Array.from(integrality),
    });
    model.run();
    const status = model.getModelStatus();
    const base = { hardMembers: hardCount, columns: groups.length, groups: chosenGroups(model.getSolution().colValue) };
    if (status === highs.constants.modelStatus.optimal) {
      const x = model.getSolution().colValue;
      const languageless = Math.round(x[languagelessPairs]! + x[languagelessTrios]!);
      const repeats = Math.round(costs.reduce((sum, cost, c) => sum + cost * x[c]!, 0));
      return { ...base, languageless, repeats, seconds: seconds(), proven: true };
    }
    if (status !== highs.constants.modelStatus.timeLimit) throw new Error(`relaxation bound: HiGHS model status ${status}`);
    const dual = Number(model.info.get('mip_dual_bound')) - 1e-6;
    if (!Number.isFinite(dual)) return { ...base, languageless: 0, repeats: 0, seconds: seconds(), proven: false };
    let languageless = Math.max(0, Math.floor(dual / big));
    let repeats = Math.max(0, Math.ceil(dual - big * languageless));
    // No solution repeats `big` pairs, so a bound that high means one more language-less group.
    if (repeats >= big) {
      languageless++;
      repeats = 0;
    }
    return { ...base, languageless, repeats, seconds: seconds(), proven: false };
  } finally {
    model.dispose();
  }

  /** The language-sharing groups of HiGHS's best solution, if it has one and it is a packing. */
  function chosenGroups(x: Float64Array): string[][] {
    if (x.length !== colCost.length) return [];
    const chosen = groups.filter((_, c) => x[c]! > 0.5);
    const used = new Set<number>();
    for (const g of chosen) for (const v of g) used.add(v);
    if (used.size !== chosen.reduce((sum, g) => sum + g.length, 0)) return [];
    return chosen.map((g) => g.map((v) => members[v]!.userId));
  }
}
