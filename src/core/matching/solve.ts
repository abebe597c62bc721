import type { Random } from '../random.ts';
import type { Encoded, Scorer } from './encode.ts';
import { findTopPartners } from './candidates.ts';

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
  const adjacency = symmetricAdjacency(top, n);

  const groups = new Groups(n, scorer);
  formGroups(groups, mate, groupSize, adjacency, scorer, random);
  if (tuning.skipLocalSearch !== true) localSearch(groups, adjacency, random);
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

interface Adjacency {
  readonly start: Int32Array;
  readonly data: Int32Array;
}

function symmetricAdjacency(top: ReturnType<typeof findTopPartners>, n: number): Adjacency {
  const degree = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < top.count[i]!; r++) {
      degree[i]!++;
      degree[top.partner[i * top.k + r]!]!++;
    }
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + degree[i]!;
  const fill = start.slice(0, n);
  const raw = new Int32Array(start[n]!);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < top.count[i]!; r++) {
      const j = top.partner[i * top.k + r]!;
      raw[fill[i]!++] = j;
      raw[fill[j]!++] = i;
    }
  }
  // Drop duplicates (mutual listings) so local search does not try the same partner twice.
  const seen = new Int32Array(n).fill(-1);
  const compactStart = new Int32Array(n + 1);
  let out = 0;
  for (let i = 0; i < n; i++) {
    for (let p = start[i]!; p < start[i + 1]!; p++) {
      const j = raw[p]!;
      if (seen[j] === i) continue;
      seen[j] = i;
      raw[out++] = j;
    }
    compactStart[i + 1] = out;
  }
  return { start: compactStart, data: raw.slice(0, out) };
}

/** Groups of two or three members with cached weights. */
class Groups {
  readonly members: Int32Array;
  readonly size: Uint8Array;
  readonly weight: Float64Array;
  readonly groupOf: Int32Array;
  count = 0;

  constructor(
    n: number,
    private readonly scorer: Scorer,
  ) {
    const capacity = (n >> 1) + 1;
    this.members = new Int32Array(capacity * 3).fill(-1);
    this.size = new Uint8Array(capacity);
    this.weight = new Float64Array(capacity);
    this.groupOf = new Int32Array(n).fill(-1);
  }

  weightOf(a: number, b: number, c: number): number {
    return c < 0 ? this.scorer.weight(a, b) : this.scorer.weight3(a, b, c);
  }

  add(a: number, b: number, c = -1): number {
    const g = this.count++;
    this.set(g, a, b, c);
    return g;
  }

  set(g: number, a: number, b: number, c: number): void {
    this.members[g * 3] = a;
    this.members[g * 3 + 1] = b;
    this.members[g * 3 + 2] = c;
    this.size[g] = c < 0 ? 2 : 3;
    this.weight[g] = this.weightOf(a, b, c);
    this.groupOf[a] = g;
    this.groupOf[b] = g;
    if (c >= 0) this.groupOf[c] = g;
  }

  toArrays(): number[][] {
    const result: number[][] = [];
    for (let g = 0; g < this.count; g++) {
      const group = [this.members[g * 3]!, this.members[g * 3 + 1]!];
      if (this.size[g] === 3) group.push(this.members[g * 3 + 2]!);
      result.push(group);
    }
    return result;
  }
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

/**
 * Moves between two groups while any improves the total weight: member x joins the group of a
 * graph neighbour y by swapping places with one of y's group mates (for pairs this is the classic
 * 2-opt exchange), or, from a trio into a pair, by simply moving over. Members of changed groups
 * are queued again; members of penalised groups also try random groups, so a relaxation that
 * some swap can undo does not survive for lack of a graph edge.
 */
function localSearch(groups: Groups, adjacency: Adjacency, random: Random): void {
  const n = groups.groupOf.length;
  const { members, size, weight, groupOf } = groups;
  const queue = new Int32Array(n);
  const queued = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) queue[i] = i;
  let head = 0;
  let length = n;
  let budget = 40 * n;

  const enqueue = (i: number): void => {
    if (queued[i] === 1 || i < 0) return;
    queued[i] = 1;
    queue[(head + length) % n] = i;
    length++;
  };

  while (length > 0 && budget-- > 0) {
    const x = queue[head]!;
    head = (head + 1) % n;
    length--;
    queued[x] = 0;

    const g1 = groupOf[x]!;
    // x's group mates
    let o1 = -1;
    let o2 = -1;
    for (let r = 0; r < 3; r++) {
      const v = members[g1 * 3 + r]!;
      if (v === x || v < 0) continue;
      if (o1 < 0) o1 = v;
      else o2 = v;
    }
    let bestGain = 0;
    let bestG2 = -1;
    let bestZ = -1; // -1: move x over without swapping
    const w1 = weight[g1]!;

    const tryGroup = (y: number): void => {
      const g2 = groupOf[y]!;
      if (g2 === g1) return;
      const base = w1 + weight[g2]!;
      const a = members[g2 * 3]!;
      const b = members[g2 * 3 + 1]!;
      const c = members[g2 * 3 + 2]!;
      for (let r = 0; r < size[g2]!; r++) {
        const z = r === 0 ? a : r === 1 ? b : c;
        if (z === y) continue;
        const rest1 = r === 0 ? b : a;
        const rest2 = r === 2 ? b : c;
        const gain = groups.weightOf(o1, z, o2) + groups.weightOf(rest1, x, size[g2] === 3 ? rest2 : -1) - base;
        if (gain > bestGain) {
          bestGain = gain;
          bestG2 = g2;
          bestZ = z;
        }
      }
      if (size[g1] === 3 && size[g2] === 2) {
        const gain = groups.weightOf(o1, o2, -1) + groups.weightOf(a, b, x) - base;
        if (gain > bestGain) {
          bestGain = gain;
          bestG2 = g2;
          bestZ = -1;
        }
      }
    };

    for (let p = adjacency.start[x]!; p < adjacency.start[x + 1]!; p++) tryGroup(adjacency.data[p]!);
    if (w1 < 0) for (let t = 0; t < RANDOM_TRIES; t++) tryGroup(Math.floor(random() * n));
    if (bestG2 < 0) continue;

    const g2 = bestG2;
    const a = members[g2 * 3]!;
    const b = members[g2 * 3 + 1]!;
    const c = members[g2 * 3 + 2]!;
    if (bestZ < 0) {
      groups.set(g1, o1, o2, -1);
      groups.set(g2, a, b, x);
    } else {
      const rest = [a, b, c].filter((v) => v >= 0 && v !== bestZ);
      groups.set(g1, o1, bestZ, o2);
      groups.set(g2, rest[0]!, x, rest.length > 1 ? rest[1]! : -1);
    }
    for (let r = 0; r < 3; r++) {
      enqueue(members[g1 * 3 + r]!);
      enqueue(members[g2 * 3 + r]!);
    }
  }
}
