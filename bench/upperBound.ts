/**
 * Upper bounds on the preference objective of a round too large for an exact optimum: the LP
 * relaxation of the grouping, solved with HiGHS by column generation over all pairs of members.
 *
 * - Pairs: the fractional perfect matching LP (the assignment relaxation): max Σ w·x with every
 *   member's edges summing to 1.
 * - Trios: the 2-matching relaxation (every member's edges sum to 1 or 2, a trio member having two
 *   partners and a pair member one; the edges sum to 3·trios + pairs; each edge at most once)
 *   tightened by triangle inequalities x_ij + x_ik − x_jk ≤ 1, added as cuts while the LP solution
 *   violates them: two partners of one member must be partners of each other.
 *
 * Only pairs that may meet without relaxing a hard constraint (a common language, not recent) are
 * edges, so the bound holds for every grouping that relaxes nothing. Whatever duals HiGHS returns,
 * the bound is computed from them by weak duality over every pair of members (one full scan), so
 * it is valid even if the LP was stopped early; column generation only makes it tighter.
 */
import highsModule from 'highs';
import type { Highs } from 'highs';
import { createScorer, encode } from '../src/core/matching/encode.ts';
import type { Scorer } from '../src/core/matching/encode.ts';
import type { MatchCandidate, MatchOptions } from '../src/core/matching.ts';

// The package is typed as CommonJS, so TypeScript sees the module object; imported as ESM its default is the loader itself.
const loadHighs = highsModule as unknown as typeof highsModule.default;

export interface UpperBound {
  /** The bound on the sum of preference scores over every pair inside every group. */
  readonly bound: number;
  /** The LP optimum over the columns generated (a lower value than the bound, equal at convergence). */
  readonly lp: number;
  readonly rounds: number;
  readonly columns: number;
  readonly seconds: number;
}

/**
 * The LP bound for a round of `candidates` (in any order) under `options`; `initial` groups (user
 * ids), e.g. the matcher's, seed the first columns.
 */
export async function upperBound(
  candidates: readonly MatchCandidate[],
  options: Pick<MatchOptions, 'defaultLanguage' | 'recentPairs' | 'groupSize'>,
  initial: readonly (readonly string[])[],
  log: (line: string) => void = () => {},
): Promise<UpperBound> {
  const started = performance.now();
  const highs: Highs = await loadHighs();
  const n = candidates.length;
  const problem = encode(candidates, { defaultLanguage: options.defaultLanguage, recentPairs: options.recentPairs });
  const scorer = createScorer(problem);
  const trioMode = options.groupSize === 3 || n % 2 === 1;
  const pairs = options.groupSize === 2 ? (n % 2 === 0 ? n / 2 : (n - 3) / 2) : [0, 2, 1][n % 3]!;
  const trios = options.groupSize === 2 ? n % 2 : (n - 2 * pairs) / 3;
  const edgeCount = 3 * trios + pairs;
  const allowed = (i: number, j: number): boolean => scorer.commonLanguage(i, j) && !scorer.recent(i, j);

  const model = highs.createModel();
  try {
    model.options.set({ output_flag: false });
    // Rows 0..n-1: member degrees; row n (trios only): the number of edges.
    let rows = trioMode ? n + 1 : n;
    const rowLower = new Float64Array(rows);
    const rowUpper = new Float64Array(rows);
    const baseRows = rows;
    for (let i = 0; i < n; i++) {
      rowLower[i] = 1;
      rowUpper[i] = trioMode ? 2 : 1;
    }
    if (trioMode) rowLower[n] = rowUpper[n] = edgeCount;
    model.passModel({
      numCols: 0,
      numRows: baseRows,
      sense: highs.constants.objectiveSense.maximize,
      colCost: [],
      colLower: [],
      colUpper: [],
      rowLower,
      rowUpper,
      matrix: { format: 'csc', numRows: baseRows, numCols: 0, starts: [0], indices: [], values: [] },
    });
    const known = new Set<number>();
    const addColumns = (edges: readonly (readonly [number, number])[]): number => {
      const cost: number[] = [];
      const indices: number[] = [];
      const starts = [0];
      for (const [a, b] of edges) {
        const i = Math.min(a, b);
        const j = Math.max(a, b);
        const key = i * n + j;
        if (i === j || known.has(key) || !allowed(i, j)) continue;
        known.add(key);
        cost.push(scorer.score(i, j));
        indices.push(i, j);
        if (trioMode) indices.push(n);
        starts.push(indices.length);
      }
      if (cost.length === 0) return 0;
      // Pairs need no upper bound (the degree rows imply it), which keeps their duals free of it.
      addUnitColumns(model, rows, cost, starts, indices, trioMode ? 1 : highs.infinity);
      return cost.length;
    };
    const byId = new Map(candidates.map((c, i) => [c.userId, i]));
    const seed: [number, number][] = [];
    for (const group of initial) {
      const ids = group.map((id) => byId.get(id)!);
      for (let a = 0; a < ids.length; a++) for (let b = a + 1; b < ids.length; b++) seed.push([ids[a]!, ids[b]!]);
    }
    addColumns(seed);
    const zero = new Float64Array(rows);
    addColumns(scan(scorer, n, zero, trioMode, 8, allowed).edges);

    let lp = 0;
    let bound = Infinity;
    let rounds = 0;
    // Triangle cuts: columns (as edge keys) with coefficients +1, +1, -1.
    const cuts: [number, number, number][] = [];
    const cutKeys = new Set<string>();
    const columnKeys: number[] = [];
    for (const key of known) columnKeys.push(key);
    for (; rounds < 60; rounds++) {
      model.run();
      lp = model.getObjectiveValue();
      const solution = model.getSolution();
      const duals = solution.rowDual;
      // Keys of the columns in model order (they were added in the order of `known`).
      if (columnKeys.length !== known.size) {
        columnKeys.length = 0;
        for (const key of known) columnKeys.push(key);
      }
      const priced = scan(scorer, n, duals, trioMode, 4, allowed);
      // A member's row is 1 ≤ degree ≤ 2 for trios: its dual counts twice when positive (the upper
      // bound binds), once when negative (the lower one does).
      let dual = 0;
      for (let i = 0; i < n; i++) dual += trioMode && duals[i]! > 0 ? 2 * duals[i]! : duals[i]!;
      let excess = trioMode ? priced.edgeExcess : priced.memberExcess;
      if (trioMode) {
        dual += edgeCount * duals[n]!;
        // Cut rows are "≤ 1": their duals count when positive; the columns in cuts get their terms.
        const cutTerm = new Map<number, number>();
        cuts.forEach((cut, c) => {
          const lambda = Math.max(0, duals[n + 1 + c]!);
          dual += lambda;
          cutTerm.set(cut[0], (cutTerm.get(cut[0]) ?? 0) + lambda);
          cutTerm.set(cut[1], (cutTerm.get(cut[1]) ?? 0) + lambda);
          if (cut[2] >= 0) cutTerm.set(cut[2], (cutTerm.get(cut[2]) ?? 0) - lambda);
        });
        for (const [key, term] of cutTerm) {
          const i = Math.floor(key / n);
          const j = key - i * n;
          const r = scorer.score(i, j) - duals[i]! - duals[j]! - duals[n]!;
          excess += Math.max(0, r - term) - Math.max(0, r);
        }
      }
      const roundBound = dual + excess;
      bound = Math.min(bound, roundBound);
      log(`    round ${rounds}: LP ${lp.toFixed(1)}, bound ${bound.toFixed(1)}, columns ${known.size}, cuts ${cuts.length}`);
      if (bound - lp <= 1e-4 * lp) break;
      let added = addColumns(priced.edges);
      if (trioMode) {
        // Separate violated triangle inequalities among the edges the LP uses.
        const x = new Map<number, number>();
        columnKeys.forEach((key, c) => {
          if (solution.colValue[c]! > 1e-6) x.set(key, solution.colValue[c]!);
        });
        const incident: number[][] = Array.from({ length: n }, () => []);
        for (const key of x.keys()) {
          const i = Math.floor(key / n);
          incident[i]!.push(key);
          incident[key - i * n]!.push(key);
        }
        const fresh: [number, number][] = [];
        const newCuts: [number, number, number][] = [];
        for (let i = 0; i < n; i++) {
          const edges = incident[i]!;
          for (let a = 0; a < edges.length; a++) {
            for (let b = a + 1; b < edges.length; b++) {
              const j = other(edges[a]!, i, n);
              const k = other(edges[b]!, i, n);
              const jk = Math.min(j, k) * n + Math.max(j, k);
              if (x.get(edges[a]!)! + x.get(edges[b]!)! - (x.get(jk) ?? 0) <= 1 + 1e-6) continue;
              const id = `${Math.min(edges[a]!, edges[b]!)}:${Math.max(edges[a]!, edges[b]!)}`;
              if (cutKeys.has(id)) continue;
              cutKeys.add(id);
              if (!known.has(jk)) {
                if (!allowed(j, k)) {
                  // j and k may not meet at all: then i cannot have both (x_ij + x_ik ≤ 1).
                  newCuts.push([edges[a]!, edges[b]!, -1]);
                  continue;
                }
                fresh.push([j, k]);
              }
              newCuts.push([edges[a]!, edges[b]!, jk]);
            }
          }
        }
        added += addColumns(fresh);
        if (added > 0 || newCuts.length > 0) {
          columnKeys.length = 0;
          for (const key of known) columnKeys.push(key);
        }
        if (newCuts.length > 0) {
          const index = new Map(columnKeys.map((key, c) => [key, c]));
          const starts = [0];
          const indices: number[] = [];
          const values: number[] = [];
          for (const [e1, e2, e3] of newCuts) {
            const cols = [index.get(e1)!, index.get(e2)!];
            const coef = [1, 1];
            if (e3 >= 0) {
              cols.push(index.get(e3)!);
              coef.push(-1);
            }
            const order = cols.map((c, t) => [c, coef[t]!] as const).sort((p, q) => p[0] - q[0]);
            for (const [c, v] of order) {
              indices.push(c);
              values.push(v);
            }
            starts.push(indices.length);
            cuts.push([e1, e2, e3 >= 0 ? e3 : -1]);
          }
          rows += newCuts.length;
          model.addRows({
            lower: new Float64Array(newCuts.length).fill(-highs.infinity),
            upper: new Float64Array(newCuts.length).fill(1),
            matrix: {
              format: 'csr',
              numRows: newCuts.length,
              numCols: columnKeys.length,
              starts: Int32Array.from(starts),
              indices: Int32Array.from(indices),
              values: Float64Array.from(values),
            },
          });
          added += newCuts.length;
        }
      }
      if (added === 0) break;
    }
    return { bound, lp, rounds: rounds + 1, columns: known.size, seconds: (performance.now() - started) / 1000 };
  } finally {
    model.dispose();
  }
}

function other(key: number, i: number, n: number): number {
  const a = Math.floor(key / n);
  return a === i ? key - a * n : a;
}

/**
 * One pass over every pair: the `perMember` pairs of highest reduced cost (weight minus the two
 * members' duals, minus the edge-count dual for trios) of each member, and the positive reduced
 * costs summed per edge and per member (its largest).
 */
function scan(
  scorer: Scorer,
  n: number,
  duals: Float64Array,
  trioMode: boolean,
  perMember: number,
  allowed: (i: number, j: number) => boolean,
): { edges: [number, number][]; edgeExcess: number; memberExcess: number } {
  const topJ = new Int32Array(n * perMember).fill(-1);
  const topR = new Float64Array(n * perMember).fill(-Infinity);
  const best = new Float64Array(n);
  const shift = trioMode ? duals[n]! : 0;
  const y = (i: number): number => duals[i]!;
  let edgeExcess = 0;
  const insert = (a: number, b: number, r: number): void => {
    const base = a * perMember;
    if (r <= topR[base + perMember - 1]!) return;
    let at = perMember - 1;
    while (at > 0 && topR[base + at - 1]! < r) {
      topR[base + at] = topR[base + at - 1]!;
      topJ[base + at] = topJ[base + at - 1]!;
      at--;
    }
    topR[base + at] = r;
    topJ[base + at] = b;
  };
  for (let i = 0; i < n; i++) {
    const yi = y(i);
    for (let j = i + 1; j < n; j++) {
      if (!allowed(i, j)) continue;
      const r = scorer.score(i, j) - yi - y(j) - shift;
      if (r > 0) {
        edgeExcess += r;
        if (r > best[i]!) best[i] = r;
        if (r > best[j]!) best[j] = r;
      }
      insert(i, j, r);
      insert(j, i, r);
    }
  }
  // Before any LP (all duals zero) the best pairs are wanted whatever their reduced cost.
  const first = duals.every((d) => d === 0);
  const edges: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < perMember; t++) {
      const j = topJ[i * perMember + t]!;
      if (j >= 0 && (first || topR[i * perMember + t]! > 1e-9)) edges.push([i, j]);
    }
  }
  let memberExcess = 0;
  for (let i = 0; i < n; i++) memberExcess += best[i]!;
  return { edges, edgeExcess, memberExcess };
}

/** Adds columns with the given objective `cost`s whose entries, all 1, lie in `indices[starts[c] .. starts[c + 1])`, bounded by 0 and `upper`. */
export function addUnitColumns(
  model: Pick<ReturnType<Highs['createModel']>, 'addCols'>,
  rows: number,
  cost: readonly number[],
  starts: readonly number[],
  indices: readonly number[],
  upper: number,
): void {
  model.addCols({
    cost: Float64Array.from(cost),
    lower: new Float64Array(cost.length),
    upper: new Float64Array(cost.length).fill(upper),
    matrix: {
      format: 'csc',
      numRows: rows,
      numCols: cost.length,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: new Float64Array(indices.length).fill(1),
    },
  });
}
