import type { Groups } from './groups.ts';

/** At most this many groups are re-partitioned at once (four trios: 15,400 ways to split twelve members). */
export const MAX_REPARTITION_GROUPS = 4;
const MAX_MEMBERS = 3 * MAX_REPARTITION_GROUPS;

/**
 * Exact re-partitioning of a few groups: every way to split their members into groups of the same
 * sizes is tried and the best kept. This covers every swap, move and cyclic exchange among those
 * groups at once; driven over related groups it is a large-neighbourhood search that escapes
 * local optima which single swaps cannot leave.
 */
export class Repartitioner {
  private readonly pool = new Int32Array(MAX_MEMBERS);
  /** Weight of each possible group, by the bit mask of its members in `pool`. */
  private readonly groupWeight = new Float64Array(1 << MAX_MEMBERS);
  /** The masks of the groups of the split being built, and of the best split found. */
  private readonly current = new Int32Array(MAX_REPARTITION_GROUPS);
  private readonly best = new Int32Array(MAX_REPARTITION_GROUPS);
  /** An upper bound on each member's share of any split's weight: half its best one or two pair weights. */
  private readonly share = new Float64Array(MAX_MEMBERS);
  private readonly pairBase = new Float64Array(MAX_MEMBERS * MAX_MEMBERS);
  private bestValue = 0;
  private found = false;
  private full = 0;

  constructor(private readonly groups: Groups) {}

  /**
   * Re-partitions groups `gs[0 .. count)` (distinct) and applies the best split if it beats the
   * current one; returns whether it did.
   */
  improve(gs: ArrayLike<number>, count: number): boolean {
    const { groups, pool } = this;
    const { members, size, weight, scorer } = groups;
    let m = 0;
    let threes = 0;
    let currentValue = 0;
    for (let t = 0; t < count; t++) {
      const g = gs[t]!;
      for (let r = 0; r < size[g]!; r++) pool[m++] = members[g * 3 + r]!;
      if (size[g] === 3) threes++;
      currentValue += weight[g]!;
    }
    const twos = count - threes;
    const pairBase = this.pairBase;
    for (let a = 0; a < m; a++) {
      for (let b = a + 1; b < m; b++) pairBase[a * MAX_MEMBERS + b] = pairBase[b * MAX_MEMBERS + a] = scorer.base(pool[a]!, pool[b]!);
    }
    if (count === 3 && threes === 3) {
      // The commonest case (trios): all 280 splits in a flat loop, cheaper than bounding them.
      this.weighGroups(m, twos, threes);
      if (!this.bestOfThreeTrios(currentValue)) return false;
      this.apply(gs, count, m);
      return true;
    }
    let bound = 0;
    for (let a = 0; a < m; a++) {
      let first = -Infinity;
      let second = -Infinity;
      for (let b = 0; b < m; b++) {
        if (b === a) continue;
        const w = pairBase[a * MAX_MEMBERS + b]!;
        if (w > first) {
          second = first;
          first = w;
        } else if (w > second) second = w;
      }
      const share = Math.max(threes > 0 ? (first + second) / 2 : -Infinity, twos > 0 ? first / 2 : -Infinity);
      this.share[a] = share;
      bound += share;
    }
    // No split can beat the current one: skip the enumeration.
    if (bound <= currentValue) return false;
    this.weighGroups(m, twos, threes);
    this.full = (1 << m) - 1;
    this.bestValue = currentValue;
    this.found = false;
    this.search(0, 0, threes, twos, 0, bound);
    if (!this.found) return false;
    this.apply(gs, count, m);
    return true;
  }

  /** Fills `groupWeight` for every pair (if pairs are to form) and trio (if trios are) of the pool's first `m` members. */
  private weighGroups(m: number, twos: number, threes: number): void {
    const { pool, groupWeight, pairBase } = this;
    const scorer = this.groups.scorer;
    for (let a = 0; a < m; a++) {
      const pa = pool[a]!;
      for (let b = a + 1; b < m; b++) {
        const pb = pool[b]!;
        const ab = pairBase[a * MAX_MEMBERS + b]!;
        if (twos > 0) groupWeight[(1 << a) | (1 << b)] = scorer.commonLanguage(pa, pb) ? ab : scorer.weight(pa, pb);
        if (threes === 0) continue;
        for (let c = b + 1; c < m; c++) {
          const pc = pool[c]!;
          const w = ab + pairBase[a * MAX_MEMBERS + c]! + pairBase[b * MAX_MEMBERS + c]!;
          groupWeight[(1 << a) | (1 << b) | (1 << c)] = scorer.commonLanguage3(pa, pb, pc) ? w : scorer.weight3(pa, pb, pc);
        }
      }
    }
  }

  /**
   * The best split of nine members into three trios that beats `currentValue`, into `best`; in the
   * order {@link search} visits splits, keeping the first of equal ones, so both choose alike.
   */
  private bestOfThreeTrios(currentValue: number): boolean {
    const groupWeight = this.groupWeight;
    let bestValue = currentValue;
    let found = false;
    const full = (1 << 9) - 1;
    for (let b = 1; b < 9; b++) {
      for (let c = b + 1; c < 9; c++) {
        const first = 1 | (1 << b) | (1 << c);
        const firstWeight = groupWeight[first]!;
        const left = full & ~first;
        const lowest = left & -left;
        const rest = left & ~lowest;
        for (let e = rest; e !== 0; e &= e - 1) {
          const bitE = e & -e;
          for (let f = e & (e - 1); f !== 0; f &= f - 1) {
            const second = lowest | bitE | (f & -f);
            const third = left & ~second;
            const value = firstWeight + groupWeight[second]! + groupWeight[third]!;
            if (value > bestValue) {
              bestValue = value;
              found = true;
              this.best[0] = first;
              this.best[1] = second;
              this.best[2] = third;
            }
          }
        }
      }
    }
    return found;
  }

  /** Applies the split in `best` to groups `gs[0 .. count)`. */
  private apply(gs: ArrayLike<number>, count: number, m: number): void {
    const { groups, pool } = this;
    const size = groups.size;
    // Reuse the same group slots: trios into former trios, pairs into former pairs.
    const trioSlots: number[] = [];
    const pairSlots: number[] = [];
    for (let t = 0; t < count; t++) (size[gs[t]!] === 3 ? trioSlots : pairSlots).push(gs[t]!);
    for (let t = 0; t < count; t++) {
      const chosen: number[] = [];
      for (let bit = 0; bit < m; bit++) if ((this.best[t]! >> bit) & 1) chosen.push(pool[bit]!);
      if (chosen.length === 3) groups.set(trioSlots.pop()!, chosen[0]!, chosen[1]!, chosen[2]!);
      else groups.set(pairSlots.pop()!, chosen[0]!, chosen[1]!, -1);
    }
  }

  /** Depth-first over splits: the lowest unplaced member joins one or two others; the last group is what remains. */
  private search(used: number, depth: number, threes: number, twos: number, value: number, bound: number): void {
    // `bound`: the shares of the members not yet placed; nothing below can add more.
    if (value + bound <= this.bestValue) return;
    const free = this.full & ~used;
    if (threes + twos === 1) {
      const total = value + this.groupWeight[free]!;
      if (total > this.bestValue) {
        this.bestValue = total;
        this.current[depth] = free;
        this.best.set(this.current);
        this.found = true;
      }
      return;
    }
    const lowest = free & -free;
    const rest = free & ~lowest;
    const share = this.share;
    const afterA = bound - share[31 - Math.clz32(lowest)]!;
    for (let b = rest; b !== 0; b &= b - 1) {
      const bitB = b & -b;
      const pair = lowest | bitB;
      const afterB = afterA - share[31 - Math.clz32(bitB)]!;
      if (twos > 0) {
        this.current[depth] = pair;
        this.search(used | pair, depth + 1, threes, twos - 1, value + this.groupWeight[pair]!, afterB);
      }
      if (threes > 0) {
        for (let c = b & (b - 1); c !== 0; c &= c - 1) {
          const bitC = c & -c;
          const trio = pair | bitC;
          this.current[depth] = trio;
          this.search(used | trio, depth + 1, threes - 1, twos, value + this.groupWeight[trio]!, afterB - share[31 - Math.clz32(bitC)]!);
        }
      }
    }
  }
}

/** At most this many groups are solved at once by {@link RegionSolver} (fifteen members). */
export const MAX_REGION_GROUPS = 5;
const MAX_REGION_MEMBERS = 3 * MAX_REGION_GROUPS;

/**
 * Exact re-partitioning of up to five groups by dynamic programming over subsets of their members
 * (the state is who is still to place and how many pairs are still to form): at most 32,768 × 3
 * states, where enumerating the splits of fifteen members one by one would take millions.
 */
export class RegionSolver {
  private readonly pool = new Int32Array(MAX_REGION_MEMBERS);
  // Allocated on first use: most rounds never need them.
  private groupWeight = new Float64Array(0);
  private memo = new Float64Array(0);

  constructor(private readonly groups: Groups) {}

  /** Re-partitions groups `gs[0 .. count)` exactly and applies the best split if it beats the current one. */
  improve(gs: ArrayLike<number>, count: number): boolean {
    if (this.memo.length === 0) {
      this.groupWeight = new Float64Array(1 << MAX_REGION_MEMBERS);
      this.memo = new Float64Array((1 << MAX_REGION_MEMBERS) * 3);
    }
    const { groups, pool, groupWeight } = this;
    const { members, size, weight, scorer } = groups;
    let m = 0;
    let pairs = 0;
    let currentValue = 0;
    for (let t = 0; t < count; t++) {
      const g = gs[t]!;
      for (let r = 0; r < size[g]!; r++) pool[m++] = members[g * 3 + r]!;
      if (size[g] === 2) pairs++;
      currentValue += weight[g]!;
    }
    const trios = count - pairs;
    // Count pairs or trios, whichever are fewer, in the state; the other follows from the members left.
    if (Math.min(pairs, trios) > 2) return false;
    for (let a = 0; a < m; a++) {
      for (let b = a + 1; b < m; b++) {
        const ab = scorer.base(pool[a]!, pool[b]!);
        if (pairs > 0)
          groupWeight[(1 << a) | (1 << b)] = scorer.commonLanguage(pool[a]!, pool[b]!) ? ab : scorer.weight(pool[a]!, pool[b]!);
        if (trios === 0) continue;
        for (let c = b + 1; c < m; c++) groupWeight[(1 << a) | (1 << b) | (1 << c)] = scorer.weight3(pool[a]!, pool[b]!, pool[c]!);
      }
    }
    const countPairs = pairs <= trios;
    const minority = countPairs ? pairs : trios;
    this.memo.fill(NaN, 0, (1 << m) * 3);
    const best = this.solve((1 << m) - 1, minority, countPairs);
    if (!(best > currentValue)) return false;
    // Walk the optimal choices again to read off the groups.
    const chosen: number[] = [];
    let left = (1 << m) - 1;
    let minorityLeft = minority;
    while (left !== 0) {
      const pick = this.choose(left, minorityLeft, countPairs);
      chosen.push(pick);
      left &= ~pick;
      if (popcount(pick) === (countPairs ? 2 : 3)) minorityLeft--;
    }
    const trioSlots: number[] = [];
    const pairSlots: number[] = [];
    for (let t = 0; t < count; t++) (size[gs[t]!] === 3 ? trioSlots : pairSlots).push(gs[t]!);
    for (const mask of chosen) {
      const ids: number[] = [];
      for (let bit = 0; bit < m; bit++) if ((mask >> bit) & 1) ids.push(pool[bit]!);
      if (ids.length === 3) groups.set(trioSlots.pop()!, ids[0]!, ids[1]!, ids[2]!);
      else groups.set(pairSlots.pop()!, ids[0]!, ids[1]!, -1);
    }
    return true;
  }

  /** Best weight for splitting `left`, with `minority` groups of the rarer size still to form. */
  private solve(left: number, minority: number, countPairs: boolean): number {
    if (left === 0) return minority === 0 ? 0 : -Infinity;
    const key = left * 3 + minority;
    const known = this.memo[key]!;
    if (!Number.isNaN(known)) return known;
    let best = -Infinity;
    const remaining = popcount(left);
    const lowest = left & -left;
    const rest = left & ~lowest;
    for (let b = rest; b !== 0; b &= b - 1) {
      const pair = lowest | (b & -b);
      // A pair is allowed if pairs are counted and some remain, or trios are counted and the rest still fits them.
      const pairFits = countPairs ? minority > 0 : remaining - 2 >= 3 * minority;
      if (pairFits) {
        const value = this.groupWeight[pair]! + this.solve(left & ~pair, countPairs ? minority - 1 : minority, countPairs);
        if (value > best) best = value;
      }
      const trioFits = countPairs ? remaining - 3 >= 2 * minority : minority > 0;
      if (!trioFits) continue;
      for (let c = b & (b - 1); c !== 0; c &= c - 1) {
        const trio = pair | (c & -c);
        const value = this.groupWeight[trio]! + this.solve(left & ~trio, countPairs ? minority : minority - 1, countPairs);
        if (value > best) best = value;
      }
    }
    this.memo[key] = best;
    return best;
  }

  /** The group containing the lowest member of `left` that an optimal split uses. */
  private choose(left: number, minority: number, countPairs: boolean): number {
    const target = this.solve(left, minority, countPairs);
    const remaining = popcount(left);
    const lowest = left & -left;
    const rest = left & ~lowest;
    for (let b = rest; b !== 0; b &= b - 1) {
      const pair = lowest | (b & -b);
      const pairFits = countPairs ? minority > 0 : remaining - 2 >= 3 * minority;
      if (pairFits && this.groupWeight[pair]! + this.solve(left & ~pair, countPairs ? minority - 1 : minority, countPairs) === target)
        return pair;
      const trioFits = countPairs ? remaining - 3 >= 2 * minority : minority > 0;
      if (!trioFits) continue;
      for (let c = b & (b - 1); c !== 0; c &= c - 1) {
        const trio = pair | (c & -c);
        if (this.groupWeight[trio]! + this.solve(left & ~trio, countPairs ? minority : minority - 1, countPairs) === target) return trio;
      }
    }
    throw new Error('no optimal choice found');
  }
}

export function popcount(x: number): number {
  let count = 0;
  for (let v = x; v !== 0; v &= v - 1) count++;
  return count;
}
