/**
 * Exact optimum of a pairing round as an integer program, solved with HiGHS (compiled to
 * WebAssembly, the `highs` package): a set-partitioning model with one column per possible group.
 * There are too many trios to list beyond a few dozen members, so columns are generated: the LP
 * relaxation is solved over a growing set of groups, every trio and pair is priced against its
 * duals, and once none improves it, every group whose reduced cost is within the gap between the
 * LP bound and the best known grouping is added and the integer program solved over them. No
 * group left out can be part of a better grouping, so the result is the exact optimum.
 *
 * The three levels are solved in turn (fewest language-less groups, then fewest repeated pairs,
 * then the highest score), each with the earlier levels' optima as constraints, so no big penalty
 * constants blur the numerics. Independent of the matcher: it reads profiles through the public
 * scoring functions only. Used by the benchmark and by tests; not production code.
 */
import highsModule from 'highs';
import type { Highs, Model } from 'highs';
import { effectiveLanguages, pairKey, preferenceScore } from '../../src/core/matching.ts';
import type { MatchCandidate, MatchOptions } from '../../src/core/matching.ts';
import { groupSizes, groupingValue } from './exactGrouping.ts';
import type { GroupingValue } from './exactGrouping.ts';

export type { Highs } from 'highs';

// The package is typed as CommonJS, so TypeScript sees the module object; imported as ESM its default is the loader itself.
const loadHighs = highsModule as unknown as typeof highsModule.default;
let loaded: Promise<Highs> | undefined;

/** The HiGHS module, loaded once per process. */
export function loadHighsSolver(): Promise<Highs> {
  loaded ??= loadHighs();
  return loaded;
}

export interface IpOptions {
  /** A known grouping (e.g. the matcher's): a starting basis and the first lower bound. */
  readonly incumbent?: readonly (readonly string[])[];
  /** Score of a pair; the preference score by default. */
  readonly pairWeight?: (a: MatchCandidate, b: MatchCandidate) => number;
  /** Give up proving optimality when the final integer program would exceed this many columns. */
  readonly maxColumns?: number;
  /** Seconds HiGHS may spend on one integer program. */
  readonly timeLimit?: number;
}

export interface IpResult {
  readonly value: GroupingValue;
  readonly groups: string[][];
  /** False when a limit stopped the proof; `value` is then the best grouping found, not necessarily optimal. */
  readonly proven: boolean;
  /** An upper bound on the score among groupings with the optimal violation counts (the LP bound of the last level; Infinity when an LP ran out of time). */
  readonly scoreBound: number;
  /** Columns in the last integer program. */
  readonly columns: number;
}

type Level = 'languageless' | 'repeats' | 'score';

/** Every pair and trio, with what it costs and scores, indexed by member indices. */
class Instance {
  readonly n: number;
  readonly trios: number;
  readonly pairs: number;
  readonly weight: Float64Array;
  readonly repeat: Uint8Array;
  readonly languageWords: number;
  readonly languages: Uint32Array;

  constructor(
    readonly members: readonly MatchCandidate[],
    readonly options: Pick<MatchOptions, 'defaultLanguage' | 'recentPairs' | 'groupSize'>,
    pairWeight: (a: MatchCandidate, b: MatchCandidate) => number,
  ) {
    const n = members.length;
    this.n = n;
    ({ trios: this.trios, pairs: this.pairs } = groupSizes(n, options.groupSize));
    this.weight = new Float64Array(n * n);
    this.repeat = new Uint8Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const w = pairWeight(members[i]!, members[j]!);
        this.weight[i * n + j] = this.weight[j * n + i] = w;
        const r = options.recentPairs.has(pairKey(members[i]!.userId, members[j]!.userId)) ? 1 : 0;
        this.repeat[i * n + j] = this.repeat[j * n + i] = r;
      }
    }
    const ids = new Map<string, number>();
    const lists = members.map((m) =>
      effectiveLanguages(m, options.defaultLanguage).map((l) => {
        if (!ids.has(l)) ids.set(l, ids.size);
        return ids.get(l)!;
      }),
    );
    this.languageWords = Math.max(1, Math.ceil(ids.size / 32));
    this.languages = new Uint32Array(n * this.languageWords);
    lists.forEach((list, i) => {
      for (const l of list) this.languages[i * this.languageWords + (l >> 5)]! |= 1 << (l & 31);
    });
  }

  shareLanguage(i: number, j: number, k: number): boolean {
    const w = this.languageWords;
    for (let t = 0; t < w; t++) {
      let common = this.languages[i * w + t]! & this.languages[j * w + t]!;
      if (k >= 0) common &= this.languages[k * w + t]!;
      if (common !== 0) return true;
    }
    return false;
  }

  /** [language-less, repeats, score] of the group (i, j) or (i, j, k). */
  costs(i: number, j: number, k: number): [number, number, number] {
    const n = this.n;
    let repeats = this.repeat[i * n + j]!;
    let score = this.weight[i * n + j]!;
    if (k >= 0) {
      repeats += this.repeat[i * n + k]! + this.repeat[j * n + k]!;
      score += this.weight[i * n + k]! + this.weight[j * n + k]!;
    }
    return [this.shareLanguage(i, j, k) ? 0 : 1, repeats, score];
  }
}

interface Column {
  readonly members: readonly number[];
  readonly costs: readonly [number, number, number];
}

/**
 * The lexicographic optimum over every grouping of `members` into the round's trios and pairs:
 * fewest language-less groups, then fewest repeated pairs, then the highest total pair weight.
 */
export function exactGroupingIp(
  highs: Highs,
  members: readonly MatchCandidate[],
  options: Pick<MatchOptions, 'defaultLanguage' | 'recentPairs' | 'groupSize'>,
  ipOptions: IpOptions = {},
): IpResult {
  const pairWeight = ipOptions.pairWeight ?? preferenceScore;
  const maxColumns = ipOptions.maxColumns ?? 400_000;
  const timeLimit = ipOptions.timeLimit ?? 120;
  const instance = new Instance(members, options, pairWeight);
  const n = instance.n;
  if (n < 2) return { value: { languageless: 0, repeats: 0, score: 0 }, groups: [], proven: true, scoreBound: 0, columns: 0 };
  const indexOf = new Map(members.map((m, i) => [m.userId, i]));

  let best: number[][] | undefined = ipOptions.incumbent?.map((g) => g.map((id) => indexOf.get(id)!));
  if (best === undefined) best = greedyGrouping(instance);
  const valueOf = (groups: readonly (readonly number[])[]): [number, number, number] => {
    const total: [number, number, number] = [0, 0, 0];
    for (const g of groups) {
      const c = instance.costs(g[0]!, g[1]!, g.length > 2 ? g[2]! : -1);
      total[0] += c[0];
      total[1] += c[1];
      total[2] += c[2];
    }
    return total;
  };

  const fixed: { level: Level; bound: number }[] = [];
  let proven = true;
  let scoreBound = Infinity;
  let columns = 0;
  for (const level of ['languageless', 'repeats', 'score'] as const) {
    const incumbentValue = valueOf(best);
    const index = level === 'languageless' ? 0 : level === 'repeats' ? 1 : 2;
    // Nothing can beat zero violations: skip the program for a level the incumbent already meets.
    if (level !== 'score' && incumbentValue[index] === 0) {
      fixed.push({ level, bound: 0 });
      continue;
    }
    const outcome = solveLevel(highs, instance, level, fixed, best, maxColumns, timeLimit);
    best = outcome.groups;
    proven &&= outcome.proven;
    columns = outcome.columns;
    if (level === 'score') scoreBound = outcome.bound;
    fixed.push({ level, bound: valueOf(best)[index] });
  }
  const groups = best.map((g) => g.map((i) => members[i]!.userId));
  return { value: groupingValue(members, groups, options, pairWeight), groups, proven, scoreBound, columns };
}

/** The objective of a level, as a quantity to maximise. */
function objective(level: Level, costs: readonly [number, number, number]): number {
  return level === 'languageless' ? -costs[0] : level === 'repeats' ? -costs[1] : costs[2];
}

function solveLevel(
  highs: Highs,
  instance: Instance,
  level: Level,
  fixed: readonly { level: Level; bound: number }[],
  initial: number[][],
  maxColumns: number,
  timeLimit: number,
): { groups: number[][]; proven: boolean; bound: number; columns: number } {
  let incumbent = initial;
  const n = instance.n;
  const hasTrioRow = instance.trios > 0 && instance.pairs > 0;
  const trioRow = n;
  const fixedRow = (f: number): number => n + (hasTrioRow ? 1 : 0) + f;
  const rowCount = n + (hasTrioRow ? 1 : 0) + fixed.length;
  const fixedIndex = fixed.map((f) => (f.level === 'languageless' ? 0 : 1));

  const columns: Column[] = [];
  const known = new Set<number>();
  const keyOf = (g: readonly number[]): number => {
    const s = [...g].sort((a, b) => a - b);
    return s.length === 2 ? s[0]! * n + s[1]! : ((s[0]! + 1) * n + s[1]!) * n + s[2]!;
  };
  const allowed = (costs: readonly [number, number, number]): boolean =>
    fixed.every((f, t) => costs[fixedIndex[t]!]! <= f.bound || f.bound > 0);

  const model = highs.createModel();
  try {
    return runLevel(model);
  } finally {
    model.dispose();
  }

  function runLevel(model: Model): { groups: number[][]; proven: boolean; bound: number; columns: number } {
    model.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 1e-6, time_limit: timeLimit });
    const rowLower: number[] = [];
    const rowUpper: number[] = [];
    for (let i = 0; i < n; i++) {
      rowLower.push(1);
      rowUpper.push(1);
    }
    if (hasTrioRow) {
      rowLower.push(instance.trios);
      rowUpper.push(instance.trios);
    }
    for (const f of fixed) {
      rowLower.push(-highs.infinity);
      rowUpper.push(f.bound);
    }
    model.passModel({
      numCols: 0,
      numRows: rowCount,
      sense: highs.constants.objectiveSense.maximize,
      colCost: [],
      colLower: [],
      colUpper: [],
      rowLower,
      rowUpper,
      matrix: { format: 'csc', numRows: rowCount, numCols: 0, starts: [0], indices: [], values: [] },
    });

    const addColumns = (groups: readonly (readonly number[])[]): void => {
      const fresh: Column[] = [];
      for (const g of groups) {
        const key = keyOf(g);
        if (known.has(key)) continue;
        const costs = instance.costs(g[0]!, g[1]!, g.length > 2 ? g[2]! : -1);
        if (!allowed(costs)) continue;
        known.add(key);
        fresh.push({ members: g, costs });
      }
      if (fresh.length === 0) return;
      const starts = [0];
      const indices: number[] = [];
      const values: number[] = [];
      for (const column of fresh) {
        const rows = [...column.members].sort((a, b) => a - b);
        if (hasTrioRow && column.members.length === 3) rows.push(trioRow);
        fixed.forEach((_, f) => {
          if (column.costs[fixedIndex[f]!] !== 0) rows.push(fixedRow(f));
        });
        for (const row of rows) {
          indices.push(row);
          values.push(row >= fixedRow(0) && row < rowCount ? column.costs[fixedIndex[row - fixedRow(0)]!]! : 1);
        }
        starts.push(indices.length);
      }
      model.addCols({
        cost: Float64Array.from(fresh.map((c) => objective(level, c.costs))),
        lower: new Float64Array(fresh.length),
        upper: new Float64Array(fresh.length).fill(1),
        matrix: {
          format: 'csc',
          numRows: rowCount,
          numCols: fresh.length,
          starts: Int32Array.from(starts),
          indices: Int32Array.from(indices),
          values: Float64Array.from(values),
        },
      });
      for (const column of fresh) columns.push(column);
    };

    addColumns(incumbent);
    // A few good groups per member so that the first duals already mean something.
    addColumns(seedGroups(instance));

    let duals: Float64Array = new Float64Array(rowCount);
    let lpValue = -Infinity;
    for (let round = 0; ; round++) {
      model.run();
      const status = model.getModelStatus();
      // The LP itself out of time (a large round on a busy machine): no bound, nothing proven.
      if (status === highs.constants.modelStatus.timeLimit)
        return { groups: incumbent, proven: false, bound: Infinity, columns: columns.length };
      if (status !== highs.constants.modelStatus.optimal) throw new Error(`LP not optimal: status ${status}`);
      lpValue = model.getObjectiveValue();
      duals = model.getSolution().rowDual;
      const priced = price(instance, level, fixed, fixedIndex, duals, hasTrioRow, 1e-7, known, keyOf, 4 * n, allowed);
      if (priced.length === 0) break;
      addColumns(priced);
      if (round > 5000) throw new Error('column generation did not converge');
    }

    const solveIntegerProgram = (limit: number): number[][] | undefined => {
      model.changeColsIntegrality(
        { kind: 'range', from: 0, to: columns.length - 1 },
        new Int32Array(columns.length).fill(highs.constants.variableType.integer),
      );
      model.options.set('time_limit', limit);
      model.setSolution({ colValue: incumbentColumnValues(columns, incumbent, keyOf) });
      model.run();
      const values = model.getSolution().colValue;
      const chosen = columns.filter((_, c) => values[c]! > 0.5).map((c) => [...c.members]);
      return chosen.length > 0 && isPartition(chosen, n) ? chosen : undefined;
    };
    let incumbentValue = objectiveOf(instance, level, incumbent);
    if (lpValue - incumbentValue > 1 - 1e-6) {
      // The best grouping among the columns generated so far narrows the gap, and with it the columns to add.
      const restricted = solveIntegerProgram(Math.min(10, timeLimit));
      if (restricted !== undefined && objectiveOf(instance, level, restricted) > incumbentValue) {
        incumbent = restricted;
        incumbentValue = objectiveOf(instance, level, restricted);
      }
    }
    const gap = lpValue - incumbentValue;
    let proven = true;
    if (gap > 1 - 1e-6) {
      // Every group that could take part in a better grouping has a reduced cost within the gap.
      const within = price(instance, level, fixed, fixedIndex, duals, hasTrioRow, -gap - 1e-6, known, keyOf, maxColumns + 1, allowed);
      if (columns.length + within.length > maxColumns) {
        proven = false;
        addColumns(within.slice(0, Math.max(0, maxColumns - columns.length)));
      } else {
        addColumns(within);
      }
      const chosen = solveIntegerProgram(timeLimit);
      if (model.getModelStatus() !== highs.constants.modelStatus.optimal) proven = false;
      if (chosen !== undefined && objectiveOf(instance, level, chosen) >= incumbentValue) {
        return { groups: chosen, proven, bound: lpValue, columns: columns.length };
      }
      proven = false;
    }
    return { groups: incumbent, proven, bound: lpValue, columns: columns.length };
  }
}

function objectiveOf(instance: Instance, level: Level, groups: readonly (readonly number[])[]): number {
  let total = 0;
  for (const g of groups) total += objective(level, instance.costs(g[0]!, g[1]!, g.length > 2 ? g[2]! : -1));
  return total;
}

function isPartition(groups: readonly (readonly number[])[], n: number): boolean {
  const seen = new Uint8Array(n);
  for (const g of groups) for (const v of g) seen[v]!++;
  return seen.every((count) => count === 1);
}

function incumbentColumnValues(
  columns: readonly Column[],
  incumbent: readonly (readonly number[])[],
  keyOf: (g: readonly number[]) => number,
): Float64Array {
  const keys = new Set(incumbent.map(keyOf));
  return Float64Array.from(columns.map((c) => (keys.has(keyOf(c.members)) ? 1 : 0)));
}

/**
 * Groups whose reduced cost exceeds `threshold`, best first, at most `limit` of them. A group's
 * reduced cost is its objective minus the duals of the rows it appears in.
 */
function price(
  instance: Instance,
  level: Level,
  fixed: readonly { level: Level; bound: number }[],
  fixedIndex: readonly number[],
  duals: Float64Array,
  hasTrioRow: boolean,
  threshold: number,
  known: ReadonlySet<number>,
  keyOf: (g: readonly number[]) => number,
  limit: number,
  allowed: (costs: readonly [number, number, number]) => boolean,
): number[][] {
  const { n, weight, repeat } = instance;
  const trioDual = hasTrioRow ? duals[n]! : 0;
  const fixedDual = fixed.map((_, f) => duals[n + (hasTrioRow ? 1 : 0) + f]!);
  const languageDual = fixedIndex.reduce((sum, index, f) => sum + (index === 0 ? fixedDual[f]! : 0), 0);
  const repeatDual = fixedIndex.reduce((sum, index, f) => sum + (index === 1 ? fixedDual[f]! : 0), 0);
  // Objective per unit of each cost at this level, minus the duals of the fixed-level rows.
  const languageUnit = (level === 'languageless' ? -1 : 0) - languageDual;
  const repeatUnit = (level === 'repeats' ? -1 : 0) - repeatDual;
  const scoreUnit = level === 'score' ? 1 : 0;
  // Reduced cost of a pair without its language term: edge value minus member duals.
  const edge = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      edge[i * n + j] = edge[j * n + i] = scoreUnit * weight[i * n + j]! + repeatUnit * repeat[i * n + j]!;
    }
  }
  const found: { rc: number; group: number[] }[] = [];
  let floor = threshold;
  const consider = (rc: number, group: number[]): void => {
    if (rc <= floor) return;
    const costs = instance.costs(group[0]!, group[1]!, group.length > 2 ? group[2]! : -1);
    if (!allowed(costs) || known.has(keyOf(group))) return;
    found.push({ rc, group });
    if (found.length > 4 * limit) {
      found.sort((a, b) => b.rc - a.rc);
      found.length = limit;
      floor = Math.max(floor, found[found.length - 1]!.rc);
    }
  };
  if (instance.pairs > 0) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const language = instance.shareLanguage(i, j, -1) ? 0 : 1;
        consider(edge[i * n + j]! + languageUnit * language - duals[i]! - duals[j]!, [i, j]);
      }
    }
  }
  if (instance.trios > 0) {
    // The language term is at most max(0, languageUnit); trios cannot beat `floor` without it are skipped.
    const languageSlack = Math.max(0, languageUnit);
    for (let i = 0; i < n; i++) {
      const di = duals[i]! + trioDual;
      for (let j = i + 1; j < n; j++) {
        const ij = edge[i * n + j]! - di - duals[j]!;
        for (let k = j + 1; k < n; k++) {
          const rcWithoutLanguage = ij + edge[i * n + k]! + edge[j * n + k]! - duals[k]!;
          if (rcWithoutLanguage + languageSlack <= floor) continue;
          const language = instance.shareLanguage(i, j, k) ? 0 : 1;
          consider(rcWithoutLanguage + languageUnit * language, [i, j, k]);
        }
      }
    }
  }
  found.sort((a, b) => b.rc - a.rc);
  return found.slice(0, limit).map((f) => f.group);
}

/** Each member's best few pairs and trios by score, so the first LP has sensible columns. */
function seedGroups(instance: Instance): number[][] {
  const { n, weight } = instance;
  const groups: number[][] = [];
  for (let i = 0; i < n; i++) {
    const partners = Array.from({ length: n }, (_, j) => j)
      .filter((j) => j !== i)
      .sort((a, b) => weight[i * n + b]! - weight[i * n + a]!)
      .slice(0, 6);
    for (let a = 0; a < partners.length; a++) {
      if (instance.pairs > 0) groups.push([i, partners[a]!]);
      if (instance.trios > 0) for (let b = a + 1; b < partners.length; b++) groups.push([i, partners[a]!, partners[b]!]);
    }
  }
  return groups;
}

/** Any grouping with the round's sizes, to start from when no incumbent is given. */
function greedyGrouping(instance: Instance): number[][] {
  const groups: number[][] = [];
  let next = 0;
  for (let t = 0; t < instance.trios; t++, next += 3) groups.push([next, next + 1, next + 2]);
  for (let p = 0; p < instance.pairs; p++, next += 2) groups.push([next, next + 1]);
  return groups;
}
