import type { Random } from '../random.ts';
import { LANGUAGE_PENALTY } from './encode.ts';
import type { Encoded, Scorer } from './encode.ts';
import { findTopPartners } from './candidates.ts';
import type { TopLists } from './candidates.ts';
import type { Adjacency, Groups } from './groups.ts';

/** Leftover sets up to this size are matched greedily on their complete graph. */
const COMPLETE_LEFTOVERS = 600;
/** Leftover sets up to this size form trios from every possible triangle. */
const COMPLETE_TRIANGLES = 60;
/** Random pairs a single also tries when joining a pair would be too many to try exhaustively. */
const RANDOM_TRIES = 64;
/** Each member's best this-many partners, taken two at a time, are its candidate trios. */
const TRIANGLE_PARTNERS = 8;

/** How many trios and pairs a round of `n` members has. */
export function groupCounts(n: number, groupSize: 2 | 3): { trios: number; pairs: number } {
  if (groupSize === 2) {
    const trios = n % 2;
    return { trios, pairs: (n - 3 * trios) / 2 };
  }
  const pairs = [0, 2, 1][n % 3]!;
  return { trios: (n - 2 * pairs) / 3, pairs };
}

/** Greedy maximum-weight matching over the top lists, then the leftovers among themselves; `mate[i]` is -1 for at most one member. */
export function greedyMatching(problem: Encoded, scorer: Scorer, top: TopLists, random: Random): Int32Array {
  const n = problem.n;
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const mate = new Int32Array(n).fill(-1);
  greedyFromTop(top, all, mate);
  matchLeftovers(problem, scorer, mate, random);
  return mate;
}

function greedyFromTop(top: TopLists, members: ArrayLike<number>, mate: Int32Array): number {
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

function listed(top: TopLists, i: number, j: number): boolean {
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
export function symmetricAdjacency(top: TopLists, n: number, reverseCap: number): Adjacency {
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
  // At most every listed partner and every reverse entry: filled in place, trimmed at the end.
  const data = new Int32Array(top.partner.length + reverse.length);
  const weight = new Float64Array(data.length);
  let length = 0;
  const seen = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < top.count[i]!; r++) {
      const j = top.partner[i * top.k + r]!;
      seen[j] = i;
      data[length] = j;
      weight[length++] = top.weight[i * top.k + r]!;
    }
    const from = reverseCount[i]!;
    const to = reverseCount[i + 1]!;
    // Past the cap, the heaviest reverse entries first; otherwise in list order.
    const order = to - from > reverseCap ? sortDescending(reverseWeight.subarray(from, to)) : undefined;
    let taken = 0;
    for (let t = 0; t < to - from && taken < reverseCap; t++) {
      const at = from + (order === undefined ? t : order[t]!);
      const j = reverse[at]!;
      if (seen[j] === i) continue;
      seen[j] = i;
      data[length] = j;
      weight[length++] = reverseWeight[at]!;
      taken++;
    }
    start[i + 1] = length;
  }
  return { start, data: data.slice(0, length), weight: weight.slice(0, length) };
}

/**
 * Pairs from the matching, plus one trio when the count is odd: the single left out joins the pair
 * it adds most to.
 */
export function pairsFromMatching(groups: Groups, mate: Int32Array, adjacency: Adjacency, random: Random): void {
  const n = mate.length;
  let single = -1;
  for (let i = 0; i < n; i++) {
    if (mate[i] === -1) single = i;
    else if (i < mate[i]!) groups.add(i, mate[i]!);
  }
  if (single < 0) return;
  let best = -1;
  let bestGain = -Infinity;
  const consider = (g: number): void => {
    const gain = groups.weightOf(groups.members[g * 3]!, groups.members[g * 3 + 1]!, single) - groups.weight[g]!;
    if (gain > bestGain) {
      bestGain = gain;
      best = g;
    }
  };
  for (let p = adjacency.start[single]!; p < adjacency.start[single + 1]!; p++) consider(groups.groupOf[adjacency.data[p]!]!);
  if (groups.count <= 4 * RANDOM_TRIES) for (let g = 0; g < groups.count; g++) consider(g);
  else for (let t = 0; t < RANDOM_TRIES; t++) consider(Math.floor(random() * groups.count));
  groups.set(best, groups.members[best * 3]!, groups.members[best * 3 + 1]!, single);
}

/**
 * Trios (and the one or two pairs the count requires) built greedily from candidate triangles:
 * each member with two of its best partners, heaviest first. Members whose triangles were all
 * taken form trios among themselves the same way, from fresh candidate lists. `preplaced` trios
 * are taken as they are.
 */
export function triosFromTriangles(
  problem: Encoded,
  scorer: Scorer,
  groups: Groups,
  top: TopLists,
  trios: number,
  pairs: number,
  random: Random,
  preplaced: readonly (readonly number[])[] = [],
): void {
  const n = problem.n;
  const placed = new Uint8Array(n);
  let made = 0;
  for (const group of preplaced) {
    groups.add(group[0]!, group[1]!, group[2]);
    for (const member of group) placed[member] = 1;
    made++;
  }
  let lists = top;
  let left: number[] = [];
  for (let i = 0; i < n; i++) if (placed[i] === 0) left.push(i);
  for (let round = 0; made < trios; round++) {
    const complete = left.length <= COMPLETE_TRIANGLES;
    let capacity = 0;
    if (complete) capacity = (left.length * (left.length - 1) * (left.length - 2)) / 6;
    else
      for (const i of left) {
        const count = Math.min(lists.count[i]!, TRIANGLE_PARTNERS);
        capacity += (count * (count - 1)) / 2;
      }
    const ti = new Int32Array(capacity);
    const tj = new Int32Array(capacity);
    const tk = new Int32Array(capacity);
    const weights = new Float64Array(capacity);
    let m = 0;
    if (complete) {
      for (let a = 0; a < left.length; a++) {
        for (let b = a + 1; b < left.length; b++) {
          for (let c = b + 1; c < left.length; c++) {
            ti[m] = left[a]!;
            tj[m] = left[b]!;
            tk[m] = left[c]!;
            weights[m++] = scorer.weight3(left[a]!, left[b]!, left[c]!);
          }
        }
      }
    } else {
      for (const i of left) {
        const count = Math.min(lists.count[i]!, TRIANGLE_PARTNERS);
        for (let a = 0; a < count; a++) {
          const j = lists.partner[i * lists.k + a]!;
          for (let b = a + 1; b < count; b++) {
            const k = lists.partner[i * lists.k + b]!;
            ti[m] = i;
            tj[m] = j;
            tk[m] = k;
            weights[m++] = scorer.weight3(i, j, k);
          }
        }
      }
    }
    const before = made;
    // While fresh lists may still find them a better trio, members are not put in a language-less one.
    const lastChance = complete || round >= 3;
    for (const e of sortDescending(weights)) {
      if (made === trios) break;
      if (!lastChance && weights[e]! <= -LANGUAGE_PENALTY / 2) break;
      const i = ti[e]!;
      const j = tj[e]!;
      const k = tk[e]!;
      if (placed[i] === 1 || placed[j] === 1 || placed[k] === 1) continue;
      groups.add(i, j, k);
      placed[i] = placed[j] = placed[k] = 1;
      made++;
    }
    left = left.filter((i) => placed[i] === 0);
    if ((made === before && lastChance) || round > 20) {
      // No candidate triangle left among them: group the rest by language where possible (then in
      // shuffled order); repair takes over.
      const { start, data } = problem.languages;
      left.sort((a, b) => data[start[a]!]! - data[start[b]!]! || a - b);
      for (let a = 0; made < trios; a += 3, made++) {
        groups.add(left[a]!, left[a + 1]!, left[a + 2]!);
        placed[left[a]!] = placed[left[a + 1]!] = placed[left[a + 2]!] = 1;
      }
      left = left.filter((i) => placed[i] === 0);
      break;
    }
    if (made < trios && left.length > COMPLETE_TRIANGLES) lists = findTopPartners(problem, scorer, left, TRIANGLE_PARTNERS, random);
  }
  // The one or two pairs: the best pairing of the (at most four) members left.
  if (pairs === 1) groups.add(left[0]!, left[1]!);
  else if (pairs === 2) {
    const [a, b, c, d] = left as [number, number, number, number];
    const options: [number, number, number, number][] = [
      [a, b, c, d],
      [a, c, b, d],
      [a, d, b, c],
    ];
    let best = options[0]!;
    let bestWeight = -Infinity;
    for (const option of options) {
      const w = scorer.weight(option[0], option[1]) + scorer.weight(option[2], option[3]);
      if (w > bestWeight) {
        bestWeight = w;
        best = option;
      }
    }
    groups.add(best[0], best[1]);
    groups.add(best[2], best[3]);
  }
}
