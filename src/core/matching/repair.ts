import type { Random } from '../random.ts';
import { LANGUAGE_PENALTY, MAX_MOVE_GROUPS, PAIR_RANGE, REPEAT_PENALTY } from './encode.ts';
import type { Encoded } from './encode.ts';
import { partnerOf, violations } from './groups.ts';
import type { Adjacency, Groups } from './groups.ts';
import type { RegionSolver, Repartitioner } from './repartition.ts';
import { tallyPairs, better, tallyGroups, violatingGroups, restore } from './tally.ts';

/** Languages with at most this many speakers lend their speakers' groups to a violating group's region. */
export const REGION_LANGUAGE = 30;

/** Tabu steps without a new best grouping after which the tabu search gives up. */
const TABU_STALL = 50;

/** Up to this many violating groups, every two of them are re-partitioned with a third group. */
const VIOLATING_PAIRS = 60;

/** Which hard constraint a repair pass restores. */
export type RepairLevel = 'common-language' | 'repeat-avoidance';

/**
 * Restores a hard constraint wherever an alternating path allows it, like one phase of a
 * maximum-cardinality matching: from a member u of a violating pair, search breadth-first through
 * pairs (u–y, y's partner–y', …) along acceptable edges until reaching a member of another
 * violating pair (or u's own partner); re-pairing along the path leaves at most one violating pair
 * where there were two. Local swaps cannot do this: the path may be long, e.g. when the only
 * other speaker of a rare language is paired across the server. A path is applied only when it
 * leaves fewer language-less pairs, or as many and fewer repeats (or as many of both and more
 * weight), counted over every pair it touches, so a higher-priority constraint is never traded away.
 */
export function repairViolations(groups: Groups, adjacency: Adjacency, level: RepairLevel, maxVisit: number): void {
  const { scorer, groupOf, size } = groups;
  const n = groupOf.length;
  const violates = (a: number, b: number): boolean => (level === 'common-language' ? !scorer.commonLanguage(a, b) : scorer.recent(a, b));
  const acceptable = (a: number, b: number): boolean => scorer.commonLanguage(a, b) && !scorer.recent(a, b);
  const isFree = (v: number): boolean => {
    const p = partnerOf(groups, v);
    return p >= 0 && violates(v, p);
  };
  const free: number[] = [];
  for (let v = 0; v < n; v++) if (isFree(v)) free.push(v);
  if (free.length === 0) return;

  const stamp = new Int32Array(n).fill(-1);
  const previous = new Int32Array(n);
  const via = new Int32Array(n);
  const onPath = new Int32Array(n).fill(-1);
  let check = 0;
  // Outer vertices are stamped once, inner ones never: a pair may then be entered from either side,
  // which stands in for blossom shrinking on this very non-bipartite graph; the rare path that
  // would use one pair twice is rejected when it is found.
  const simplePath = (from: number, found: number, u: number): boolean => {
    check++;
    const mark = (v: number): boolean => {
      if (onPath[v] === check) return false;
      onPath[v] = check;
      return true;
    };
    if (!mark(u) || !mark(found)) return false;
    for (let o = from; o !== u; o = previous[o]!) if (!mark(o) || !mark(via[o]!)) return false;
    const uPartner = partnerOf(groups, u);
    if (found === uPartner) return true;
    return mark(uPartner) && mark(partnerOf(groups, found));
  };
  // Re-pairs along the path ending in o–found, if that is lexicographically better.
  const augment = (from: number, found: number, u: number): boolean => {
    if (!simplePath(from, found, u)) return false;
    const pairs: number[] = [from, found];
    const old = new Set([groupOf[u]!, groupOf[found]!]);
    for (let o = from; o !== u; o = previous[o]!) {
      pairs.push(previous[o]!, via[o]!);
      old.add(groupOf[via[o]!]!);
    }
    const uPartner = partnerOf(groups, u);
    if (found !== uPartner) pairs.push(uPartner, partnerOf(groups, found));
    if (pairs.length !== 2 * old.size) return false;
    const oldPairs: number[] = [];
    for (const g of old) oldPairs.push(groups.members[g * 3]!, groups.members[g * 3 + 1]!);
    if (!better(tallyPairs(groups, pairs), tallyPairs(groups, oldPairs))) return false;
    let t = 0;
    for (const g of old) {
      groups.set(g, pairs[t]!, pairs[t + 1]!, -1);
      t += 2;
    }
    return true;
  };
  for (let epoch = 0; epoch < free.length; epoch++) {
    const u = free[epoch]!;
    if (!isFree(u)) continue;
    const queue = [u];
    stamp[u] = epoch;
    search: for (let head = 0; head < queue.length && queue.length < maxVisit; head++) {
      const o = queue[head]!;
      for (let p = adjacency.start[o]!; p < adjacency.start[o + 1]!; p++) {
        const y = adjacency.data[p]!;
        if (y === u || size[groupOf[y]!] !== 2) continue;
        if (level === 'common-language' ? !scorer.commonLanguage(o, y) : !acceptable(o, y)) continue;
        if (isFree(y)) {
          if (augment(o, y, u)) break search;
          continue;
        }
        const m = partnerOf(groups, y);
        if (stamp[m] === epoch || m === o) continue;
        stamp[m] = epoch;
        previous[m] = o;
        via[m] = y;
        queue.push(m);
      }
    }
  }
}

/** Members by language, to find who can join a group that must keep a common language. */
export interface LanguageIndex {
  readonly start: Int32Array;
  readonly members: Int32Array;
}

export function languageIndex(problem: Encoded): LanguageIndex {
  const { start, data } = problem.languages;
  let languages = 0;
  for (const l of data) languages = Math.max(languages, l + 1);
  const counts = new Int32Array(languages + 1);
  for (const l of data) counts[l + 1]!++;
  for (let l = 0; l < languages; l++) counts[l + 1]! += counts[l]!;
  const fill = counts.slice(0, languages);
  const members = new Int32Array(data.length);
  for (let i = 0; i < problem.n; i++) for (let p = start[i]!; p < start[i + 1]!; p++) members[fill[data[p]!]!++] = i;
  return { start: counts, members };
}

/** Speakers of each of a member's languages this many or fewer are all tried; larger lists are sampled. */
const SPEAKERS_TRIED = 48;

/**
 * The trio counterpart of {@link repairViolations}: a breadth-first search for a cyclic exchange
 * that mends a violating group G0. A member x leaves G0 and takes the place of z in another group,
 * provided that group then violates nothing at this level; z is displaced in turn, and so on,
 * until a displaced member can take x's place in G0. The groups tried for a displaced member are
 * those of its graph neighbours and of others who speak one of its languages. Group sizes never
 * change, chains touch at most {@link MAX_MOVE_GROUPS} groups (so penalised weights compare
 * lexicographically), and a chain is applied only when the weight of all touched groups rises.
 */
export function repairGroups(
  groups: Groups,
  adjacency: Adjacency,
  speakers: LanguageIndex,
  problem: Encoded,
  level: RepairLevel,
  maxVisit: number,
  random: Random,
): void {
  const { scorer, groupOf, size, weight, members } = groups;
  const n = groupOf.length;
  const languageless = (a: number, b: number, c: number): boolean =>
    c < 0 ? !scorer.commonLanguage(a, b) : !scorer.commonLanguage3(a, b, c);
  const violates = (a: number, b: number, c: number): boolean => {
    if (level === 'common-language') return languageless(a, b, c);
    return scorer.recent(a, b) || (c >= 0 && (scorer.recent(a, c) || scorer.recent(b, c)));
  };
  const groupViolates = (g: number): boolean => violates(members[g * 3]!, members[g * 3 + 1]!, members[g * 3 + 2]!);
  // While mending repeats, a step must not cost a group its common language (unless it had none).
  const keepsLanguage = (g: number, a: number, b: number, c: number): boolean =>
    level === 'common-language' || !languageless(a, b, c) || languageless(members[g * 3]!, members[g * 3 + 1]!, members[g * 3 + 2]!);
  // The group g with member `out` replaced by `into` (order: the two kept, then `into`).
  const replaced = (g: number, out: number, into: number): [number, number, number] => {
    const [k1, k2] = groups.others(g, out);
    return size[g] === 3 ? [k1, k2, into] : [k1, into, -1];
  };

  const stamp = new Int32Array(n).fill(-1);
  const previous = new Int32Array(n); // displaced member before this one in the chain
  const gain = new Float64Array(n); // weight gained by the groups changed so far in the chain
  const via = new Int32Array(n); // the group a displaced member was displaced from
  const depth = new Int32Array(n);
  const usedGroup = new Int32Array(groups.count).fill(-1);
  const { languages } = problem;
  let epoch = 0;
  let check = 0;

  const targets: number[] = [];
  const collectTargets = (d: number): void => {
    targets.length = 0;
    for (let p = adjacency.start[d]!; p < adjacency.start[d + 1]!; p++) targets.push(adjacency.data[p]!);
    for (let p = languages.start[d]!; p < languages.start[d + 1]!; p++) {
      const l = languages.data[p]!;
      const from = speakers.start[l]!;
      const count = speakers.start[l + 1]! - from;
      if (count <= SPEAKERS_TRIED) for (let t = 0; t < count; t++) targets.push(speakers.members[from + t]!);
      else for (let t = 0; t < SPEAKERS_TRIED; t++) targets.push(speakers.members[from + Math.floor(random() * count)]!);
    }
  };

  for (let g0 = 0; g0 < groups.count; g0++) {
    if (!groupViolates(g0)) continue;
    for (let r = 0; r < size[g0]! && groupViolates(g0); r++) {
      const x = members[g0 * 3 + r]!;
      epoch++;
      const queue = [x];
      stamp[x] = epoch;
      previous[x] = -1;
      gain[x] = 0;
      depth[x] = 0;
      let applied = false;
      for (let head = 0; head < queue.length && queue.length < maxVisit && !applied; head++) {
        const d = queue[head]!;
        if (depth[d]! >= MAX_MOVE_GROUPS - 1) continue;
        collectTargets(d);
        for (let t = 0; t < targets.length && !applied; t++) {
          const y = targets[t]!;
          const g = groupOf[y]!;
          if (g === g0) continue;
          for (let s = 0; s < size[g]! && !applied; s++) {
            const z = members[g * 3 + s]!;
            if (z === y || stamp[z] === epoch) continue;
            const [a, b, c] = replaced(g, z, d);
            if (violates(a, b, c) || !keepsLanguage(g, a, b, c)) continue;
            const step = gain[d]! + groups.weightOf(a, b, c) - weight[g]!;
            const [a0, b0, c0] = replaced(g0, x, z);
            if (step + groups.weightOf(a0, b0, c0) - weight[g0]! > 0 && distinctGroups(d, g, g0)) {
              applyChain(d, g, z, g0);
              applied = true;
              break;
            }
            stamp[z] = epoch;
            previous[z] = d;
            gain[z] = step;
            via[z] = g;
            depth[z] = depth[d]! + 1;
            queue.push(z);
          }
        }
      }
    }
  }

  function distinctGroups(last: number, g: number, g0: number): boolean {
    check++;
    usedGroup[g0] = check;
    if (usedGroup[g] === check) return false;
    usedGroup[g] = check;
    for (let v = last; previous[v]! >= 0; v = previous[v]!) {
      const h = via[v]!;
      if (usedGroup[h] === check) return false;
      usedGroup[h] = check;
    }
    return true;
  }

  function applyChain(last: number, g: number, z: number, g0: number): void {
    // Collect (group, leaving member, entering member) from the end of the chain back to x.
    const moves: [number, number, number][] = [[g, z, last]];
    for (let v = last; previous[v]! >= 0; v = previous[v]!) moves.push([via[v]!, v, previous[v]!]);
    let x = last;
    while (previous[x]! >= 0) x = previous[x]!;
    const after = moves.map(([h, out, into]) => [h, ...replaced(h, out, into)] as const);
    const close = replaced(g0, x, z);
    for (const [h, a, b, c] of after) groups.set(h, a, b, c);
    groups.set(g0, close[0], close[1], close[2]);
  }
}

/**
 * Re-partitions each violating group with every two other groups (all of them on a server of up to
 * `allUpTo` groups, else those of its members' graph neighbours), and every two violating groups
 * with every third: the moves that turn two relaxations into one, or mend one with help from
 * groups that are not adjacent in the candidate graph.
 */
export function violationSearch(groups: Groups, adjacency: Adjacency, repartitioner: Repartitioner, allUpTo: number, budget: number): void {
  const gs = new Int32Array(3);
  const violating = violatingGroups(groups);
  const isViolating = (g: number): boolean => {
    const v = violations(groups, g);
    return v.languageless || v.repeats > 0;
  };
  const count = groups.count;
  const near: number[] = [];
  // The groups of the graph neighbours of g's members (all groups on a small server).
  const around = (g: number, into: number[]): void => {
    if (count <= allUpTo) {
      for (let h = 0; h < count; h++) if (h !== g) into.push(h);
      return;
    }
    for (let r = 0; r < groups.size[g]!; r++) {
      const x = groups.members[g * 3 + r]!;
      for (let p = adjacency.start[x]!; p < adjacency.start[x + 1]!; p++) {
        const h = groups.groupOf[adjacency.data[p]!]!;
        if (h !== g && !into.includes(h)) into.push(h);
      }
    }
  };
  // Two relaxations that could share one group: only worth trying on a server with few of them.
  if (violating.length <= VIOLATING_PAIRS) {
    for (let s = 0; s < violating.length && budget > 0; s++) {
      for (let t = s + 1; t < violating.length && budget > 0; t++) {
        if (!isViolating(violating[s]!) || !isViolating(violating[t]!)) continue;
        near.length = 0;
        around(violating[s]!, near);
        around(violating[t]!, near);
        for (const h of near) {
          if (h === violating[s] || h === violating[t]) continue;
          gs[0] = violating[s]!;
          gs[1] = violating[t]!;
          gs[2] = h;
          if (--budget <= 0 || repartitioner.improve(gs, 3)) break;
        }
      }
    }
  }
  for (const g of violating) {
    if (budget <= 0) return;
    if (!isViolating(g)) continue;
    near.length = 0;
    around(g, near);
    gs[0] = g;
    search: for (let a = 0; a < near.length; a++) {
      for (let b = a + 1; b < near.length; b++) {
        gs[1] = near[a]!;
        gs[2] = near[b]!;
        if (--budget <= 0) return;
        if (repartitioner.improve(gs, 3)) {
          if (!isViolating(g)) break search;
        }
      }
    }
  }
}

/**
 * Re-partitions each violating group with every three groups among a small circle around it: the
 * other violating groups, the round's pairs (few in a round of trios, and the only place for two
 * speakers of a language nobody else speaks), and the groups of its members' best neighbours. Four
 * groups at once reach rearrangements that three cannot, such as moving a member into a pair while
 * two violating groups trade members.
 */
export function violationSearch4(groups: Groups, adjacency: Adjacency, repartitioner: Repartitioner, circle: number, budget: number): void {
  const gs = new Int32Array(4);
  const isViolating = (g: number): boolean => {
    const v = violations(groups, g);
    return v.languageless || v.repeats > 0;
  };
  const pairGroups: number[] = [];
  let trioCount = 0;
  for (let g = 0; g < groups.count; g++) {
    if (groups.size[g] === 2) pairGroups.push(g);
    else trioCount++;
  }
  for (const g of violatingGroups(groups)) {
    if (budget <= 0) return;
    if (!isViolating(g)) continue;
    const near: number[] = [];
    const add = (h: number): void => {
      if (h !== g && !near.includes(h)) near.push(h);
    };
    for (const h of violatingGroups(groups)) add(h);
    // Pairs are a scarce resource only in a round of trios.
    if (pairGroups.length <= trioCount) for (const h of pairGroups) add(h);
    for (let r = 0; r < groups.size[g]! && near.length < circle; r++) {
      const x = groups.members[g * 3 + r]!;
      for (let p = adjacency.start[x]!; p < adjacency.start[x + 1]! && near.length < circle; p++) add(groups.groupOf[adjacency.data[p]!]!);
    }
    const c = Math.min(near.length, circle);
    gs[0] = g;
    search: for (let a = 0; a < c; a++) {
      for (let b = a + 1; b < c; b++) {
        for (let d = b + 1; d < c; d++) {
          gs[1] = near[a]!;
          gs[2] = near[b]!;
          gs[3] = near[d]!;
          if (--budget <= 0) return;
          if (repartitioner.improve(gs, 4) && !isViolating(g)) break search;
        }
      }
    }
  }
}

/**
 * Tabu search on the hard constraints: while some group violates one, move a member of a violating
 * group by the best swap (or trio-to-pair move) with any other group, even when that makes things
 * worse for a while, and forbid moving it straight back for a few iterations. This walks along the
 * chains of swaps that relocate a relaxation until it can be undone or merged with another, which
 * improving moves alone cannot. Moves are ranked lexicographically (language-less groups, repeats,
 * weight); the best grouping met is restored at the end.
 */
export function tabuSearch(
  groups: Groups,
  adjacency: Adjacency,
  speakers: LanguageIndex,
  problem: Encoded,
  random: Random,
  iterations: number,
): void {
  const n = groups.groupOf.length;
  const { members, size, weight, groupOf } = groups;
  const tabuUntil = new Map<number, number>(); // member * count + group -> iteration
  const count = groups.count;
  const threshold = 3 * PAIR_RANGE;
  const allGroups = count <= 400;
  let tally = tallyGroups(groups);
  let best = tally;
  let bestMembers = members.slice();
  const candidates: number[] = [];
  const seen = new Int32Array(count).fill(-1);
  const { languages } = problem;
  const groupCosts = (a: number, b: number, c: number): [number, number] => {
    const s = groups.scorer;
    if (c < 0) return [s.commonLanguage(a, b) ? 0 : 1, s.recent(a, b) ? 1 : 0];
    return [s.commonLanguage3(a, b, c) ? 0 : 1, (s.recent(a, b) ? 1 : 0) + (s.recent(a, c) ? 1 : 0) + (s.recent(b, c) ? 1 : 0)];
  };
  let sinceBest = 0;
  for (let iteration = 0; iteration < iterations && sinceBest < TABU_STALL; iteration++, sinceBest++) {
    const violating = violatingGroups(groups);
    if (violating.length === 0) break;
    let bestKey: [number, number, number] | undefined;
    let move: { g1: number; g2: number; new1: [number, number, number]; new2: [number, number, number]; x: number; z: number } | undefined;
    for (const g1 of violating) {
      for (let r1 = 0; r1 < size[g1]!; r1++) {
        const x = members[g1 * 3 + r1]!;
        const [o1, o2] = groups.others(g1, x);
        candidates.length = 0;
        const stamp = iteration * n + x;
        const offer = (g: number): void => {
          if (g === g1 || seen[g] === stamp % 2147483647) return;
          seen[g] = stamp % 2147483647;
          candidates.push(g);
        };
        if (allGroups) for (let g = 0; g < count; g++) offer(g);
        else {
          for (let p = adjacency.start[x]!; p < adjacency.start[x + 1]!; p++) offer(groupOf[adjacency.data[p]!]!);
          for (let p = languages.start[x]!; p < languages.start[x + 1]!; p++) {
            const l = languages.data[p]!;
            const from = speakers.start[l]!;
            const span = speakers.start[l + 1]! - from;
            for (let t = 0; t < Math.min(span, 24); t++) offer(groupOf[speakers.members[from + Math.floor(random() * span)]!]!);
          }
          for (let t = 0; t < 16; t++) offer(Math.floor(random() * count));
        }
        for (const g2 of candidates) {
          const s2 = size[g2]!;
          const options = s2 + (size[g1] === 3 && s2 === 2 ? 1 : 0);
          for (let r = 0; r < options; r++) {
            let new1: [number, number, number];
            let new2: [number, number, number];
            let z = -1;
            if (r === s2) {
              new1 = [o1, o2, -1];
              new2 = [members[g2 * 3]!, members[g2 * 3 + 1]!, x];
            } else {
              z = members[g2 * 3 + r]!;
              const [k1, k2] = groups.others(g2, z);
              new1 = [o1, z, o2];
              new2 = [k1, x, k2];
            }
            const tabu = (tabuUntil.get(x * count + g2) ?? -1) > iteration || (z >= 0 && (tabuUntil.get(z * count + g1) ?? -1) > iteration);
            const w1 = groups.weightOf(new1[0], new1[1], new1[2]);
            const w2 = groups.weightOf(new2[0], new2[1], new2[2]);
            let key: [number, number, number];
            if (weight[g1]! < -threshold || weight[g2]! < -threshold || w1 < -threshold || w2 < -threshold) {
              const [l1, p1] = groupCosts(members[g1 * 3]!, members[g1 * 3 + 1]!, members[g1 * 3 + 2]!);
              const [l2, p2] = groupCosts(members[g2 * 3]!, members[g2 * 3 + 1]!, members[g2 * 3 + 2]!);
              const [l3, p3] = groupCosts(new1[0], new1[1], new1[2]);
              const [l4, p4] = groupCosts(new2[0], new2[1], new2[2]);
              key = [l3 + l4 - l1 - l2, p3 + p4 - p1 - p2, 0];
            } else key = [0, 0, 0];
            // The weight change without its penalties.
            key[2] = w1 + w2 - weight[g1]! - weight[g2]! + key[0] * LANGUAGE_PENALTY + key[1] * REPEAT_PENALTY;
            const reaches = { languageless: tally.languageless + key[0], repeats: tally.repeats + key[1], value: tally.value + key[2] };
            if (tabu && !better(reaches, best)) continue;
            if (
              bestKey === undefined ||
              key[0] < bestKey[0] ||
              (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] > bestKey[2])))
            ) {
              bestKey = key;
              move = { g1, g2, new1, new2, x, z };
            }
          }
        }
      }
    }
    if (move === undefined || bestKey === undefined) break;
    groups.set(move.g1, move.new1[0], move.new1[1], move.new1[2]);
    groups.set(move.g2, move.new2[0], move.new2[1], move.new2[2]);
    const tenure = 5 + Math.floor(random() * 6);
    tabuUntil.set(move.x * count + move.g1, iteration + tenure);
    if (move.z >= 0) tabuUntil.set(move.z * count + move.g2, iteration + tenure);
    tally = { languageless: tally.languageless + bestKey[0], repeats: tally.repeats + bestKey[1], value: tally.value + bestKey[2] };
    if (better(tally, best)) {
      best = tally;
      bestMembers = members.slice();
      sinceBest = 0;
    }
  }
  if (better(best, tally)) restore(groups, bestMembers);
}

/**
 * Exact re-partitioning of regions of five groups around each violating group: the group itself,
 * other violating groups, the round's pairs when they are scarce (a round of trios), and the groups
 * of the other speakers of the smallest languages its members speak. These are the groups a
 * relaxation is traded between: who takes the few pairs, which bilingual joins which class, which
 * members who cannot share a language with enough others end up together.
 */
export function regionSearch(
  groups: Groups,
  solver: RegionSolver,
  speakers: LanguageIndex,
  problem: Encoded,
  random: Random,
  regionsPerGroup: number,
): void {
  const { languages } = problem;
  const pairGroups: number[] = [];
  for (let g = 0; g < groups.count; g++) if (groups.size[g] === 2) pairGroups.push(g);
  const scarcePairs = pairGroups.length * 2 <= groups.count;
  const gs = new Int32Array(5);
  for (let pass = 0; pass < 3; pass++) {
    let improved = false;
    for (const g of violatingGroups(groups)) {
      const isViolating = (): boolean => {
        const v = violations(groups, g);
        return v.languageless || v.repeats > 0;
      };
      if (!isViolating()) continue;
      // Candidate groups, most related first: the groups of the other speakers of the smallest
      // languages of g's members (who can take their place), other violating groups, scarce pairs.
      const related: number[] = [];
      const add = (h: number): void => {
        if (h !== g && !related.includes(h)) related.push(h);
      };
      const smallLanguagesOf = (h: number): number[] => {
        const list: number[] = [];
        for (let r = 0; r < groups.size[h]!; r++) {
          const x = groups.members[h * 3 + r]!;
          for (let p = languages.start[x]!; p < languages.start[x + 1]!; p++) {
            const l = languages.data[p]!;
            if (!list.includes(l) && speakers.start[l + 1]! - speakers.start[l]! <= REGION_LANGUAGE) list.push(l);
          }
        }
        return list.sort((a, b) => speakers.start[a + 1]! - speakers.start[a]! - (speakers.start[b + 1]! - speakers.start[b]!));
      };
      const addSpeakers = (l: number): void => {
        for (let p = speakers.start[l]!; p < speakers.start[l + 1]!; p++) add(groups.groupOf[speakers.members[p]!]!);
      };
      for (const l of smallLanguagesOf(g)) addSpeakers(l);
      for (const h of violatingGroups(groups)) add(h);
      if (scarcePairs) for (const h of pairGroups) add(h);
      for (const h of violatingGroups(groups)) for (const l of smallLanguagesOf(h)) addSpeakers(l);
      if (related.length === 0) continue;
      for (let attempt = 0; attempt < regionsPerGroup && isViolating(); attempt++) {
        // The first region takes the most related groups; later ones sample among them.
        let count = 1;
        gs[0] = g;
        const taken = new Set<number>([g]);
        for (let t = 0; count < 5 && t < related.length * 3; t++) {
          const h = attempt === 0 ? related[t % related.length]! : related[Math.floor(random() * related.length)]!;
          if (taken.has(h)) continue;
          taken.add(h);
          gs[count++] = h;
        }
        if (count < 2) break;
        if (solver.improve(gs, count)) improved = true;
      }
    }
    if (!improved) break;
  }
}
