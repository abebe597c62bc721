import type { Random } from '../random.ts';
import type { Encoded, Scorer } from './encode.ts';
import { findCrossLanguagePartners, findTopPartners, mergeTopLists } from './candidates.ts';
import { Groups } from './groups.ts';
import type { Adjacency } from './groups.ts';
import { chainSearch, localSearch, repairGroups, repairViolations, violationCount } from './improve.ts';

/** Leftover sets up to this size are matched greedily on their complete graph. */
const COMPLETE_LEFTOVERS = 600;
/** Random groups a member in a penalised group also tries, so avoidable relaxations get undone. */
const RANDOM_TRIES = 64;

/** Tuning knobs; the defaults are what {@link solve} uses in production. */
export interface SolveTuning {
  /** Partners kept per member in the candidate graph. */
  readonly k?: number;
  /** Skip local improvement (for benchmarking the greedy phase alone). */
  readonly skipLocalSearch?: boolean;
  readonly chainDepth?: number;
  readonly localSearchBudget?: number;
  readonly chainBreadth?: number;
}

/**
 * Splits members `0 .. n-1` into groups that maximise the total penalised weight, heuristically:
 * a sparse candidate graph, greedy matching by descending weight, leftovers matched among
 * themselves, pairs turned into trios as the group size requires, then local search that swaps
 * members between groups while it finds improvements. Deterministic for a given `random`.
 */
export function solve(problem: Encoded, scorer: Scorer, groupSize: 2 | 3, random: Random, tuning: SolveTuning = {}): number[][] {
  const n = problem.n;
  if (n < 2) return [];
  if (n === 2) return [[0, 1]];
  if (n === 3) return [[0, 1, 2]];

  const k = tuning.k ?? (n <= 2000 ? 24 : 10);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const top = findTopPartners(problem, scorer, all, k, random);
  const mate = new Int32Array(n).fill(-1);
  greedyFromTop(top, all, mate);
  matchLeftovers(problem, scorer, mate, random);
  let adjacency = symmetricAdjacency(top, n, n <= 2000 ? n : 2 * k);

  const groups = new Groups(n, scorer);
  formGroups(groups, mate, groupSize, adjacency, scorer, random);
  if (tuning.skipLocalSearch !== true) {
    const maxVisit = Math.max(2000, Math.min(n, 20000));
    for (const level of ['common-language', 'repeat-avoidance'] as const) {
      // Each pass can open paths for the next; a few passes reach a fixed point in practice.
      for (let pass = 0; pass < 3; pass++) {
        const before = violationCount(groups, level);
        if (before === 0) break;
        repairViolations(groups, adjacency, level, maxVisit);
        repairGroups(groups, adjacency, level, Math.min(maxVisit, 1500));
        if (violationCount(groups, level) >= before) break;
      }
    }
    if (violationCount(groups, 'common-language') > 0) {
      adjacency = symmetricAdjacency(
        mergeTopLists(top, findCrossLanguagePartners(problem, scorer, 4, random)),
        n,
        n <= 2000 ? n : 2 * k + 8,
      );
    }
    const lsBudget = tuning.localSearchBudget ?? (groupSize === 3 ? 4 : 20);
    localSearch(groups, adjacency, random, lsBudget);
    // Deeper and wider chains pay off on small servers; on large ones they would dominate the run time.
    const depth = tuning.chainDepth ?? (n <= 1000 ? 4 : 3);
    const breadth = tuning.chainBreadth ?? (n <= 1000 ? 5 : n <= 5000 ? 4 : 2);
    if (depth > 1) chainSearch(groups, adjacency, depth, breadth, 10);
    localSearch(groups, adjacency, random, lsBudget / 2);
  }
  return groups.toArrays();
}

function greedyFromTop(top: ReturnType<typeof findTopPartners>, members: ArrayLike<number>, mate: Int32Array): number {
  const edgesI: number[] = [];
  const edgesJ: number[] = [];
  const weights: number[] = [];
  for (let t = 0; t < members.length; t++) {
    const i = members[t]!;
    for (let r = 0; r < top.count[i]!; r++) {
      const j = top.partner[i * top.k + r]!;
      // Each edge once; when only one side lists it, that side adds it.
      if (j < i && listed(top, j, i)) continue;
      edgesI.push(i);
      edgesJ.push(j);
      weights.push(top.weight[i * top.k + r]!);
    }
  }
  return greedy(edgesI, edgesJ, weights, mate);
}

function listed(top: ReturnType<typeof findTopPartners>, i: number, j: number): boolean {
  for (let r = 0; r < top.count[i]!; r++) if (top.partner[i * top.k + r] === j) return true;
  return false;
}

/** Greedy matching by descending weight; ties keep edge order (which follows the seeded shuffle). */
function greedy(edgesI: readonly number[], edgesJ: readonly number[], weights: readonly number[], mate: Int32Array): number {
  const order = sortDescending(weights);
  let matched = 0;
  for (const e of order) {
    const i = edgesI[e]!;
    const j = edgesJ[e]!;
    if (mate[i] === -1 && mate[j] === -1) {
      mate[i] = j;
      mate[j] = i;
      matched++;
    }
  }
  return matched;
}

/** Indices of `weights` by descending weight, stable; packs (weight, index) into one float for a native sort. */
export function sortDescending(weights: readonly number[] | Float64Array): Int32Array {
  const m = weights.length;
  if (m === 0) return new Int32Array(0);
  let max = -Infinity;
  let min = Infinity;
  for (let e = 0; e < m; e++) {
    const w = weights[e]!;
    if (w > max) max = w;
    if (w < min) min = w;
  }
  const keys = new Float64Array(m);
  for (let e = 0; e < m; e++) keys[e] = (max - weights[e]!) * m + e;
  if ((max - min + 1) * m > Number.MAX_SAFE_INTEGER) throw new RangeError('weights too spread to sort exactly');
  keys.sort();
  const order = new Int32Array(m);
  for (let e = 0; e < m; e++) order[e] = keys[e]! % m;
  return order;
}

/** Pairs the members the sparse greedy left alone, until at most one remains. */
function matchLeftovers(problem: Encoded, scorer: Scorer, mate: Int32Array, random: Random): void {
  for (;;) {
    const left: number[] = [];
    for (let i = 0; i < problem.n; i++) if (mate[i] === -1) left.push(i);
    if (left.length <= 1) return;
    if (left.length <= COMPLETE_LEFTOVERS) {
      const edgesI: number[] = [];
      const edgesJ: number[] = [];
      const weights: number[] = [];
      for (let a = 0; a < left.length; a++) {
        for (let b = a + 1; b < left.length; b++) {
          edgesI.push(left[a]!);
          edgesJ.push(left[b]!);
          weights.push(scorer.weight(left[a]!, left[b]!));
        }
      }
      greedy(edgesI, edgesJ, weights, mate);
      return;
    }
    const top = findTopPartners(problem, scorer, left, 6, random);
    if (greedyFromTop(top, left, mate) === 0) {
      // Nobody left shares a language with anybody else left: pair them in (shuffled) order.
      for (let a = 0; a + 1 < left.length; a += 2) {
        mate[left[a]!] = left[a + 1]!;
        mate[left[a + 1]!] = left[a]!;
      }
      return;
    }
  }
}

/**
 * Each member's own top partners plus the members that listed them, best first. Reverse entries are
 * capped on large servers: a member of a popular culture can be listed by thousands, and every
 * local-search visit would otherwise scan them all.
 */
function symmetricAdjacency(top: ReturnType<typeof findTopPartners>, n: number, reverseCap: number): Adjacency {
  const reverseCount = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) for (let r = 0; r < top.count[i]!; r++) reverseCount[top.partner[i * top.k + r]! + 1]!++;
  for (let i = 0; i < n; i++) reverseCount[i + 1]! += reverseCount[i]!;
  const fill = reverseCount.slice(0, n);
  const reverse = new Int32Array(reverseCount[n]!);
  const reverseWeight = new Float64Array(reverseCount[n]!);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < top.count[i]!; r++) {
      const j = top.partner[i * top.k + r]!;
      reverse[fill[j]!] = i;
      reverseWeight[fill[j]!++] = top.weight[i * top.k + r]!;
    }
  }

  const start = new Int32Array(n + 1);
  const data: number[] = [];
  const weight: number[] = [];
  const seen = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < top.count[i]!; r++) {
      const j = top.partner[i * top.k + r]!;
      seen[j] = i;
      data.push(j);
      weight.push(top.weight[i * top.k + r]!);
    }
    const from = reverseCount[i]!;
    const to = reverseCount[i + 1]!;
    let order: ArrayLike<number>;
    if (to - from > reverseCap) {
      order = sortDescending(reverseWeight.subarray(from, to));
    } else {
      const identity = new Int32Array(to - from);
      for (let t = 0; t < identity.length; t++) identity[t] = t;
      order = identity;
    }
    let taken = 0;
    for (let t = 0; t < order.length && taken < reverseCap; t++) {
      const j = reverse[from + order[t]!]!;
      if (seen[j] === i) continue;
      seen[j] = i;
      data.push(j);
      weight.push(reverseWeight[from + order[t]!]!);
      taken++;
    }
    start[i + 1] = data.length;
  }
  return { start, data: Int32Array.from(data), weight: Float64Array.from(weight) };
}

/**
 * Turns the matching into the required mix of pairs and trios. With n = 3t + 2p, the weakest
 * pairs are dissolved until t members are single, then each single joins the pair it adds most
 * to (greedily, one single per pair).
 */
function formGroups(groups: Groups, mate: Int32Array, groupSize: 2 | 3, adjacency: Adjacency, scorer: Scorer, random: Random): void {
  const n = mate.length;
  let trios: number;
  let pairs: number;
  if (groupSize === 2) {
    trios = n % 2;
    pairs = (n - 3 * trios) / 2;
  } else {
    pairs = [0, 2, 1][n % 3]!;
    trios = (n - 2 * pairs) / 3;
  }

  const matchedPairs: number[] = [];
  const singles: number[] = [];
  for (let i = 0; i < n; i++) {
    if (mate[i] === -1) singles.push(i);
    else if (i < mate[i]!) matchedPairs.push(i);
  }
  const dissolve = matchedPairs.length - (trios + pairs);
  let kept = matchedPairs;
  if (dissolve > 0) {
    const order = sortDescending(matchedPairs.map((i) => scorer.weight(i, mate[i]!)));
    kept = [];
    for (let r = 0; r < order.length; r++) {
      const i = matchedPairs[order[r]!]!;
      if (r < order.length - dissolve) kept.push(i);
      else singles.push(i, mate[i]!);
    }
  }
  for (const i of kept) groups.add(i, mate[i]!);

  // Candidate (single, pair) joins from the graph, best gain first.
  const joinSingle: number[] = [];
  const joinGroup: number[] = [];
  const gains: number[] = [];
  for (let s = 0; s < singles.length; s++) {
    const single = singles[s]!;
    for (let p = adjacency.start[single]!; p < adjacency.start[single + 1]!; p++) {
      const g = groups.groupOf[adjacency.data[p]!]!;
      if (g < 0) continue;
      joinSingle.push(s);
      joinGroup.push(g);
      gains.push(gainOfJoining(groups, g, single));
    }
  }
  const placed = new Uint8Array(singles.length);
  const full = new Uint8Array(groups.count);
  for (const e of sortDescending(gains)) {
    const s = joinSingle[e]!;
    const g = joinGroup[e]!;
    if (placed[s] === 1 || full[g] === 1) continue;
    join(groups, g, singles[s]!);
    placed[s] = 1;
    full[g] = 1;
  }
  const open: number[] = [];
  for (let g = 0; g < groups.count; g++) if (full[g] === 0) open.push(g);
  let unplaced = 0;
  for (let s = 0; s < singles.length; s++) if (placed[s] === 0) unplaced++;
  const exhaustive = open.length * unplaced <= 4_000_000;
  for (let s = 0; s < singles.length; s++) {
    if (placed[s] === 1) continue;
    const single = singles[s]!;
    let best = -1;
    let bestGain = -Infinity;
    const tries = exhaustive ? open.length : Math.min(open.length, RANDOM_TRIES);
    for (let t = 0; t < tries; t++) {
      const at = exhaustive ? t : Math.floor(random() * open.length);
      const gain = gainOfJoining(groups, open[at]!, single);
      if (gain > bestGain) {
        bestGain = gain;
        best = at;
      }
    }
    join(groups, open[best]!, single);
    open[best] = open[open.length - 1]!;
    open.pop();
  }
}

function gainOfJoining(groups: Groups, g: number, single: number): number {
  const a = groups.members[g * 3]!;
  const b = groups.members[g * 3 + 1]!;
  return groups.weightOf(a, b, single) - groups.weight[g]!;
}

function join(groups: Groups, g: number, single: number): void {
  groups.set(g, groups.members[g * 3]!, groups.members[g * 3 + 1]!, single);
}
