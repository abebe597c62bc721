import { penalised, violations } from './groups.ts';
import type { Groups } from './groups.ts';
import type { RepairLevel } from './repair.ts';

/** Language-less groups, repeated pairs and unpenalised weight of a set of groups, compared in that order. */
export interface Tally {
  languageless: number;
  repeats: number;
  value: number;
}

export function tallyPairs(groups: Groups, pairs: readonly number[]): Tally {
  const { scorer } = groups;
  const tally = { languageless: 0, repeats: 0, value: 0 };
  for (let t = 0; t < pairs.length; t += 2) {
    const a = pairs[t]!;
    const b = pairs[t + 1]!;
    if (!scorer.commonLanguage(a, b)) tally.languageless++;
    if (scorer.recent(a, b)) tally.repeats++;
    tally.value += scorer.score(a, b) - scorer.deficit(a, b);
  }
  return tally;
}

export function better(after: Tally, before: Tally): boolean {
  if (after.languageless !== before.languageless) return after.languageless < before.languageless;
  if (after.repeats !== before.repeats) return after.repeats < before.repeats;
  return after.value > before.value;
}

/** Language-less groups, repeated pairs and unpenalised weight of the whole grouping. */
export function tallyGroups(groups: Groups): Tally {
  const { scorer, members, size } = groups;
  const tally = { languageless: 0, repeats: 0, value: 0 };
  for (let g = 0; g < groups.count; g++) {
    const v = violations(groups, g);
    if (v.languageless) tally.languageless++;
    tally.repeats += v.repeats;
    const a = members[g * 3]!;
    const b = members[g * 3 + 1]!;
    tally.value += scorer.score(a, b) - scorer.deficit(a, b);
    if (size[g] === 3) {
      const c = members[g * 3 + 2]!;
      tally.value += scorer.score(a, c) - scorer.deficit(a, c) + scorer.score(b, c) - scorer.deficit(b, c);
    }
  }
  return tally;
}

/** Tally of the groups given by their members (an empty seat is -1). */
export function tallyMembers(groups: Groups, list: Iterable<readonly [number, number, number]>): Tally {
  const { scorer } = groups;
  const tally = { languageless: 0, repeats: 0, value: 0 };
  const pair = (a: number, b: number): void => {
    if (scorer.recent(a, b)) tally.repeats++;
    tally.value += scorer.score(a, b) - scorer.deficit(a, b);
  };
  for (const [a, b, c] of list) {
    if (a < 0) continue;
    pair(a, b);
    if (c >= 0) {
      pair(a, c);
      pair(b, c);
      if (!scorer.commonLanguage3(a, b, c)) tally.languageless++;
    } else if (!scorer.commonLanguage(a, b)) tally.languageless++;
  }
  return tally;
}

/** Groups that violate a hard constraint (either level). */
export function violatingGroups(groups: Groups): number[] {
  const result: number[] = [];
  for (let g = 0; g < groups.count; g++) {
    // Most groups relax nothing, and their weight says so without looking at the members.
    if (!penalised(groups.weight[g]!)) continue;
    const v = violations(groups, g);
    if (v.languageless || v.repeats > 0) result.push(g);
  }
  return result;
}

/** Number of groups violating the constraint of `level`. */
export function violationCount(groups: Groups, level: RepairLevel): number {
  let count = 0;
  for (let g = 0; g < groups.count; g++) {
    if (!penalised(groups.weight[g]!)) continue;
    const v = violations(groups, g);
    if (level === 'common-language' ? v.languageless : v.repeats > 0) count++;
  }
  return count;
}

export function restore(groups: Groups, snapshot: Int32Array): void {
  for (let g = 0; g < groups.count; g++) groups.set(g, snapshot[g * 3]!, snapshot[g * 3 + 1]!, snapshot[g * 3 + 2]!);
}
