import type { Encoded } from './encode.ts';
import type { Groups } from './groups.ts';
import type { LanguageIndex } from './repair.ts';
import { violatingGroups } from './tally.ts';
import { violationsOf } from './violationLns.ts';

/** A language of at most this many speakers in the round ties all their groups into a region. */
const RARE_SPEAKERS = 10;
/** Groups in a region, at most (it is built around one to three violating groups). */
const MAX_REGION = 10;
const MAX_MEMBERS = 3 * MAX_REGION;
/** A language-less group outweighs every repeat a region can hold (three per group). */
const LANGUAGE_COST = 3 * MAX_REGION + 1;
/** Nodes of the depth-first search per region, and in all. */
const REGION_NODES = 3000;
const TOTAL_NODES = 300_000;
/** Passes over the cores, at most (another only after one that improved). */
const PASSES = 3;

/**
 * Exact re-splits of regions around the relaxations that small communities force. A round's
 * repeats and language-less groups mostly sit among speakers of rare languages, who have met each
 * other in earlier rounds; which of them gives way (who joins the group that has no common
 * language anyway, where the round's pair goes, which bilingual rejoins their small community)
 * is one decision across several such groups at once, which no swap or three-group re-partition
 * makes. So each region is one to three violating groups, the round's pairs, and every
 * group holding a speaker of a rare language spoken in those violating groups; a depth-first search
 * splits its members again into groups of the same sizes with the fewest violations (language-less
 * groups first, then repeats), and a split with fewer is applied. Weight is left to the searches
 * that follow, which never trade a hard constraint away.
 *
 * Returns the number of regions improved.
 */
export function rareLanguageRegions(groups: Groups, problem: Encoded, speakers: LanguageIndex): number {
  const { scorer, members, size, groupOf } = groups;
  const { start: langStart, data: langData } = problem.languages;
  const rare = (l: number): boolean => speakers.start[l + 1]! - speakers.start[l]! <= RARE_SPEAKERS;
  const groupCost = (a: number, b: number, c: number): number => violationsOf(scorer, a, b, c, LANGUAGE_COST);
  const costOf = (g: number): number => groupCost(members[g * 3]!, members[g * 3 + 1]!, members[g * 3 + 2]!);

  const inRegion = new Int32Array(groups.count).fill(-1);
  const region: number[] = [];
  const pool = new Int32Array(MAX_MEMBERS);
  const used = new Uint8Array(MAX_MEMBERS);
  const degree = new Int32Array(MAX_MEMBERS);
  // Per depth of the search: the options of its member (other two as pool positions, -1 for a pair) and their costs.
  const optionSpace = (MAX_MEMBERS * MAX_MEMBERS) / 2 + MAX_MEMBERS;
  const optionB = new Int32Array(MAX_REGION * optionSpace);
  const optionC = new Int32Array(MAX_REGION * optionSpace);
  const optionCost = new Int32Array(MAX_REGION * optionSpace);
  const optionOrder = new Int32Array(MAX_REGION * optionSpace);
  const chosen = new Int32Array(MAX_REGION * 3);
  const best = new Int32Array(MAX_REGION * 3);
  let stamp = 0;
  let totalNodes = 0;
  let improved = 0;

  /** Adds g to the region being built; false once the region would be too large. */
  const take = (g: number): boolean => {
    if (inRegion[g] === stamp) return true;
    if (region.length === MAX_REGION) return false;
    inRegion[g] = stamp;
    region.push(g);
    return true;
  };

  /** Re-splits the region's members exactly; true if a split with fewer violations was applied. */
  const solveRegion = (): boolean => {
    let m = 0;
    let pairs = 0;
    let before = 0;
    for (const g of region) {
      for (let r = 0; r < size[g]!; r++) pool[m++] = members[g * 3 + r]!;
      if (size[g] === 2) pairs++;
      before += costOf(g);
    }
    if (before === 0) return false;
    // The members with the fewest acceptable partners in the region first: the search fails early on them.
    for (let i = 0; i < m; i++) {
      let acceptable = 0;
      for (let j = 0; j < m; j++)
        if (j !== i && scorer.commonLanguage(pool[i]!, pool[j]!) && !scorer.recent(pool[i]!, pool[j]!)) acceptable++;
      degree[i] = acceptable;
    }
    const sorted = Array.from(pool.subarray(0, m))
      .map((member, i) => [degree[i]!, member] as const)
      .sort((x, y) => x[0] - y[0]);
    for (let i = 0; i < m; i++) pool[i] = sorted[i]![1];
    let bestCost = before;
    let found = false;
    let nodes = 0;
    used.fill(0);
    const search = (depth: number, cost: number, pairsLeft: number, left: number): void => {
      if (++nodes > REGION_NODES || cost >= bestCost) return;
      if (left === 0) {
        bestCost = cost;
        found = true;
        best.set(chosen.subarray(0, depth * 3));
        return;
      }
      let a = 0;
      while (used[a] === 1) a++;
      used[a] = 1;
      const base = depth * optionSpace;
      let count = 0;
      if (left - 3 >= 2 * pairsLeft) {
        for (let x = a + 1; x < m; x++) {
          if (used[x] === 1) continue;
          for (let y = x + 1; y < m; y++) {
            if (used[y] === 1) continue;
            optionB[base + count] = x;
            optionC[base + count] = y;
            optionCost[base + count] = groupCost(pool[a]!, pool[x]!, pool[y]!);
            count++;
          }
        }
      }
      if (pairsLeft > 0) {
        for (let x = a + 1; x < m; x++) {
          if (used[x] === 1) continue;
          optionB[base + count] = x;
          optionC[base + count] = -1;
          optionCost[base + count] = groupCost(pool[a]!, pool[x]!, -1);
          count++;
        }
      }
      const order = optionOrder.subarray(base, base + count);
      for (let o = 0; o < count; o++) order[o] = base + o;
      order.sort((p, q) => optionCost[p]! - optionCost[q]!);
      for (let o = 0; o < count; o++) {
        const option = order[o]!;
        const groupCostHere = optionCost[option]!;
        if (cost + groupCostHere >= bestCost || nodes > REGION_NODES) break;
        const x = optionB[option]!;
        const y = optionC[option]!;
        used[x] = 1;
        if (y >= 0) used[y] = 1;
        chosen[depth * 3] = pool[a]!;
        chosen[depth * 3 + 1] = pool[x]!;
        chosen[depth * 3 + 2] = y >= 0 ? pool[y]! : -1;
        search(depth + 1, cost + groupCostHere, y >= 0 ? pairsLeft : pairsLeft - 1, left - (y >= 0 ? 3 : 2));
        used[x] = 0;
        if (y >= 0) used[y] = 0;
      }
      used[a] = 0;
    };
    search(0, 0, pairs, m);
    totalNodes += nodes;
    if (!found) return false;
    for (let t = 0; t < region.length; t++) groups.set(region[t]!, best[t * 3]!, best[t * 3 + 1]!, best[t * 3 + 2]!);
    return true;
  };

  /** Builds the region around `core` (violating groups); false if it is too large. */
  const build = (core: readonly number[]): boolean => {
    stamp++;
    region.length = 0;
    for (const g of core) take(g);
    for (let g = 0; g < groups.count; g++) if (size[g] === 2 && !take(g)) return false;
    for (const g of core) {
      for (let r = 0; r < size[g]!; r++) {
        const member = members[g * 3 + r]!;
        for (let p = langStart[member]!; p < langStart[member + 1]!; p++) {
          const l = langData[p]!;
          if (!rare(l)) continue;
          for (let s = speakers.start[l]!; s < speakers.start[l + 1]!; s++) if (!take(groupOf[speakers.members[s]!]!)) return false;
        }
      }
    }
    return true;
  };

  for (let pass = 0, changed = true; changed && pass < PASSES && totalNodes < TOTAL_NODES; pass++) {
    changed = false;
    const violating = violatingGroups(groups);
    const stillViolating = (core: readonly number[]): boolean => core.every((g) => costOf(g) > 0);
    const tryCore = (core: readonly number[]): void => {
      if (totalNodes >= TOTAL_NODES || !stillViolating(core) || !build(core) || !solveRegion()) return;
      improved++;
      changed = true;
    };
    for (let a = 0; a < violating.length; a++) {
      tryCore([violating[a]!]);
      for (let b = a + 1; b < violating.length; b++) {
        tryCore([violating[a]!, violating[b]!]);
        for (let c = b + 1; c < violating.length; c++) tryCore([violating[a]!, violating[b]!, violating[c]!]);
      }
    }
  }
  return improved;
}
