import { PAIR_RANGE } from './encode.ts';
import type { Scorer } from './encode.ts';

/** Neighbours of each member in the candidate graph, as compressed rows. */
export interface Adjacency {
  readonly start: Int32Array;
  readonly data: Int32Array;
  /** Penalised pair weight of each edge (pair weights never change; only who is grouped does). */
  readonly weight: Float64Array;
}

/**
 * Groups of two or three members with cached weights and their running total. Changes can be
 * journaled and undone, so a tentative rearrangement that turns out worse costs only its own
 * changes to take back.
 */
export class Groups {
  readonly members: Int32Array;
  readonly size: Uint8Array;
  readonly weight: Float64Array;
  readonly groupOf: Int32Array;
  count = 0;
  /** Sum of `weight` over all groups; exact, since every weight is an integer. */
  total = 0;
  private readonly journal: number[] = [];
  private journaling = false;

  constructor(
    n: number,
    public scorer: Scorer,
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
    this.setWeighted(g, a, b, c, this.weightOf(a, b, c));
  }

  /** {@link set} with the weight already known. */
  setWeighted(g: number, a: number, b: number, c: number, weight: number): void {
    if (this.journaling) this.journal.push(g, this.members[g * 3]!, this.members[g * 3 + 1]!, this.members[g * 3 + 2]!, this.weight[g]!);
    this.members[g * 3] = a;
    this.members[g * 3 + 1] = b;
    this.members[g * 3 + 2] = c;
    this.size[g] = c < 0 ? 2 : 3;
    this.total += weight - this.weight[g]!;
    this.weight[g] = weight;
    this.groupOf[a] = g;
    this.groupOf[b] = g;
    if (c >= 0) this.groupOf[c] = g;
  }

  /** Weighs every group again with another scorer (not journaled). */
  rescore(scorer: Scorer): void {
    this.scorer = scorer;
    this.total = 0;
    for (let g = 0; g < this.count; g++) {
      const w = this.weightOf(this.members[g * 3]!, this.members[g * 3 + 1]!, this.members[g * 3 + 2]!);
      this.weight[g] = w;
      this.total += w;
    }
  }

  /** Starts recording changes; {@link rollback} undoes everything recorded since. */
  begin(): void {
    this.journal.length = 0;
    this.journaling = true;
  }

  commit(): void {
    this.journaling = false;
    this.journal.length = 0;
  }

  /** The groups changed since {@link begin}, each with its members before the first change. */
  touched(): Map<number, [number, number, number]> {
    const result = new Map<number, [number, number, number]>();
    const j = this.journal;
    for (let t = 0; t < j.length; t += 5) if (!result.has(j[t]!)) result.set(j[t]!, [j[t + 1]!, j[t + 2]!, j[t + 3]!]);
    return result;
  }

  rollback(): void {
    this.journaling = false;
    const j = this.journal;
    for (let t = j.length - 5; t >= 0; t -= 5) this.setWeighted(j[t]!, j[t + 1]!, j[t + 2]!, j[t + 3]!, j[t + 4]!);
    j.length = 0;
  }

  /** The members of group `g` other than `v` (-1 for an empty seat). */
  others(g: number, v: number): [number, number] {
    let o1 = -1;
    let o2 = -1;
    for (let r = 0; r < 3; r++) {
      const u = this.members[g * 3 + r]!;
      if (u === v || u < 0) continue;
      if (o1 < 0) o1 = u;
      else o2 = u;
    }
    return [o1, o2];
  }

  /** Groups as {@link toArrays} gives them (member lists of two or three). */
  static fromArrays(n: number, scorer: Scorer, arrays: readonly (readonly number[])[]): Groups {
    const groups = new Groups(n, scorer);
    for (const group of arrays) groups.add(group[0]!, group[1]!, group.length > 2 ? group[2]! : -1);
    return groups;
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

/** The other member of `v`'s group when it is a pair, else -1. */
export function partnerOf(groups: Groups, v: number): number {
  const g = groups.groupOf[v]!;
  if (groups.size[g] !== 2) return -1;
  const a = groups.members[g * 3]!;
  return a === v ? groups.members[g * 3 + 1]! : a;
}

/**
 * True when a group's weight carries a relaxation penalty: without one, no group weighs less (the
 * most novelty deficit three pairs can carry), and with one, none weighs more, under the plain
 * scorer or the guided one alike.
 */
export function penalised(weight: number): boolean {
  return weight < -3 * PAIR_RANGE;
}

/** Whether group `g` has no language common to all members, and how many of its pairs are repeats. */
export function violations(groups: Groups, g: number): { languageless: boolean; repeats: number } {
  const { scorer, members } = groups;
  const a = members[g * 3]!;
  const b = members[g * 3 + 1]!;
  const c = members[g * 3 + 2]!;
  if (c < 0) return { languageless: !scorer.commonLanguage(a, b), repeats: scorer.recent(a, b) ? 1 : 0 };
  return {
    languageless: !scorer.commonLanguage3(a, b, c),
    repeats: (scorer.recent(a, b) ? 1 : 0) + (scorer.recent(a, c) ? 1 : 0) + (scorer.recent(b, c) ? 1 : 0),
  };
}
