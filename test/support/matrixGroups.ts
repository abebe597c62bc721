/** Small hand-made grouping problems for the matcher's searches: a scorer over a weight matrix, and the ring of trios. */
import { LANGUAGE_PENALTY, REPEAT_PENALTY } from '../../src/core/matching/encode.ts';
import type { Scorer } from '../../src/core/matching/encode.ts';
import { Groups } from '../../src/core/matching/groups.ts';
import type { Adjacency } from '../../src/core/matching/groups.ts';

export interface Matrix {
  readonly weights: number[][];
  /** Whether a trio has a common language (pairs always do). */
  readonly speak?: (a: number, b: number, c: number) => boolean;
  readonly recent?: (a: number, b: number) => boolean;
}

/** A scorer over a symmetric matrix of pair scores, with the matcher's penalties. */
export function matrixScorer({ weights, speak = () => true, recent = () => false }: Matrix): Scorer {
  const score = (i: number, j: number): number => weights[i]![j]!;
  const base = (i: number, j: number): number => score(i, j) - (recent(i, j) ? REPEAT_PENALTY : 0);
  return {
    score,
    commonLanguage: () => true,
    commonLanguage3: speak,
    recent,
    deficit: () => 0,
    base,
    weight: base,
    weight3: (a, b, c) => base(a, b) + base(a, c) + base(b, c) - (speak(a, b, c) ? 0 : LANGUAGE_PENALTY),
    pairwise: true,
  };
}

/** Every member a candidate partner of every other, with the matrix's weights on the edges. */
export function completeAdjacency(weights: number[][]): Adjacency {
  const n = weights.length;
  const start = new Int32Array(n + 1);
  const data: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      data.push(j);
      weight.push(weights[i]![j]!);
    }
    start[i + 1] = data.length;
  }
  return { start, data: Int32Array.from(data), weight: Float64Array.from(weight) };
}

/** The groups as sorted member lists, in order of their first member. */
export function partition(groups: Groups): number[][] {
  return Array.from({ length: groups.count }, (_, g) =>
    [...groups.members.subarray(g * 3, g * 3 + groups.size[g]!)].sort((a, b) => a - b),
  ).sort((a, b) => a[0]! - b[0]!);
}

/**
 * A ring of trios {x_t, b_t, c_t} (members 3t, 3t + 1, 3t + 2): each x_t weighs 75 with its own
 * mates and 100 with the next trio's, everything else 0. Only every x moving on at once gains
 * (75 a trio more): any shorter cycle closes with an x that weighs 0 in the start's trio.
 */
export function ring(trios: number): number[][] {
  const n = 3 * trios;
  const weights = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const set = (i: number, j: number, w: number): void => {
    weights[i]![j] = weights[j]![i] = w;
  };
  for (let t = 0; t < trios; t++) {
    const next = ((t + 1) % trios) * 3;
    set(3 * t, 3 * t + 1, 75);
    set(3 * t, 3 * t + 2, 75);
    set(3 * t, next + 1, 100);
    set(3 * t, next + 2, 100);
  }
  return weights;
}

/** The ring's trios as they start: every x_t with its own b_t and c_t. */
export function ringGroups(scorer: Scorer, trios: number): Groups {
  const groups = new Groups(3 * trios, scorer);
  for (let t = 0; t < trios; t++) groups.add(3 * t, 3 * t + 1, 3 * t + 2);
  return groups;
}
