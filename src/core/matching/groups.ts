import type { Scorer } from './encode.ts';

/** Neighbours of each member in the candidate graph, as compressed rows. */
export interface Adjacency {
  readonly start: Int32Array;
  readonly data: Int32Array;
  /** Penalised pair weight of each edge (pair weights never change; only who is grouped does). */
  readonly weight: Float64Array;
}

/** Groups of two or three members with cached weights. */
export class Groups {
  readonly members: Int32Array;
  readonly size: Uint8Array;
  readonly weight: Float64Array;
  readonly groupOf: Int32Array;
  count = 0;

  constructor(
    n: number,
    readonly scorer: Scorer,
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

/** The other member of `v`'s group when it is a pair, else -1. */
export function partnerOf(groups: Groups, v: number): number {
  const g = groups.groupOf[v]!;
  if (groups.size[g] !== 2) return -1;
  const a = groups.members[g * 3]!;
  return a === v ? groups.members[g * 3 + 1]! : a;
}
