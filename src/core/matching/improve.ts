import type { Random } from '../random.ts';
import type { Encoded } from './encode.ts';
import { LANGUAGE_PENALTY, MAX_MOVE_GROUPS, PAIR_RANGE, REPEAT_PENALTY } from './encode.ts';
import { MAX_PAIR_SCORE } from './score.ts';
import { partnerOf, violations } from './groups.ts';
import type { Adjacency, Groups } from './groups.ts';
import type { RegionSolver, Repartitioner } from './repartition.ts';

/** Random groups a member in a penalised group also tries, so avoidable relaxations get undone. */
const RANDOM_TRIES = 64;
/** Languages with at most this many speakers lend their speakers' groups to a violating group's region. */
const REGION_LANGUAGE = 30;
/** Tabu steps without a new best grouping after which the tabu search gives up. */
const TABU_STALL = 50;
/** Up to this many violating groups, every two of them are re-partitioned with a third group. */
const VIOLATING_PAIRS = 60;

/** True when a group's weight carries a relaxation penalty: without one, no group weighs less. */
export function penalised(weight: number): boolean {
  return weight < -3 * PAIR_RANGE;
}

/**
 * Moves between two groups while any improves the total weight: member x swaps places with a
 * member of another group (for pairs the classic 2-opt exchange), a trio member moves over to a
 * pair, or a pair pulls a member out of a trio. The other groups tried are those of x's graph
 * neighbours, or every group with `everyGroup`; members of penalised groups also try random
 * groups, so a relaxation that a swap can undo does not survive for lack of a graph edge.
 */
export function localSearch(
  groups: Groups,
  adjacency: Adjacency,
  random: Random,
  budgetPerMember: number,
  everyGroup = false,
  start?: readonly number[],
): void {
  const n = groups.groupOf.length;
  const { members, size, weight, groupOf } = groups;
  const work = new MemberQueue(n, start);
  let budget = budgetPerMember * n;

  const tried = new Int32Array(groups.count).fill(-1);
  let visit = 0;
  while (work.length > 0 && budget-- > 0) {
    visit++;
    const x = work.shift();
    const g1 = groupOf[x]!;
    let o1 = -1;
    let o2 = -1;
    for (let r = 0; r < 3; r++) {
      const v = members[g1 * 3 + r]!;
      if (v === x || v < 0) continue;
      if (o1 < 0) o1 = v;
      else o2 = v;
    }
    const s1 = size[g1]!;
    const w1 = weight[g1]!;
    let bestGain = 0;
    let bestG2 = -1;
    let bestKind = 0; // 1: swap x and z; 2: x moves into the pair g2; 3: x's pair pulls z out of the trio g2
    let bestZ = -1;

    const tryGroup = (g2: number): void => {
      if (g2 === g1 || tried[g2] === visit) return;
      tried[g2] = visit;
      const base = w1 + weight[g2]!;
      const s2 = size[g2]!;
      const a = members[g2 * 3]!;
      const b = members[g2 * 3 + 1]!;
      const c = members[g2 * 3 + 2]!;
      for (let r = 0; r < s2; r++) {
        const z = r === 0 ? a : r === 1 ? b : c;
        const rest1 = r === 0 ? b : a;
        const rest2 = s2 === 3 ? (r === 2 ? b : c) : -1;
        const swap = groups.weightOf(o1, z, o2) + groups.weightOf(rest1, x, rest2) - base;
        if (swap > bestGain) {
          bestGain = swap;
          bestG2 = g2;
          bestKind = 1;
          bestZ = z;
        }
        if (s1 === 2 && s2 === 3) {
          const pull = groups.weightOf(x, o1, z) + groups.weightOf(rest1, rest2, -1) - base;
          if (pull > bestGain) {
            bestGain = pull;
            bestG2 = g2;
            bestKind = 3;
            bestZ = z;
          }
        }
      }
      if (s1 === 3 && s2 === 2) {
        const move = groups.weightOf(o1, o2, -1) + groups.weightOf(a, b, x) - base;
        if (move > bestGain) {
          bestGain = move;
          bestG2 = g2;
          bestKind = 2;
          bestZ = -1;
        }
      }
    };

    if (everyGroup) {
      for (let g = 0; g < groups.count; g++) tryGroup(g);
    } else {
      for (let p = adjacency.start[x]!; p < adjacency.start[x + 1]!; p++) tryGroup(groupOf[adjacency.data[p]!]!);
      if (penalised(w1)) for (let t = 0; t < RANDOM_TRIES; t++) tryGroup(groupOf[Math.floor(random() * n)]!);
    }
    if (bestG2 < 0) continue;

    const g2 = bestG2;
    const a = members[g2 * 3]!;
    const b = members[g2 * 3 + 1]!;
    const c = members[g2 * 3 + 2]!;
    if (bestKind === 2) {
      groups.set(g1, o1, o2, -1);
      groups.set(g2, a, b, x);
    } else {
      const [rest1, rest2] = groups.others(g2, bestZ);
      if (bestKind === 1) {
        groups.set(g1, o1, bestZ, o2);
        groups.set(g2, rest1, x, rest2);
      } else {
        groups.set(g1, x, o1, bestZ);
        groups.set(g2, rest1, rest2, -1);
      }
    }
    for (const v of [a, b, c, x, o1, o2]) work.push(v);
  }
}

/**
 * Large-neighbourhood search: re-partitions, exactly, the group of a member together with the
 * groups of two of its graph neighbours, for every member in turn and again for the members of
 * every group that changed. Finds what swaps between two groups cannot: cyclic exchanges across
 * three groups, and trios rebuilt from scratch.
 */
export function neighbourhoodSearch(
  groups: Groups,
  adjacency: Adjacency,
  repartitioner: Repartitioner,
  fanOut: number,
  budgetPerMember: number,
): void {
  const n = groups.groupOf.length;
  const { groupOf, members } = groups;
  const work = new MemberQueue(n);
  let budget = budgetPerMember * n;
  const near = new Int32Array(fanOut);
  const gs = new Int32Array(3);
  while (work.length > 0 && budget-- > 0) {
    const x = work.shift();
    const g1 = groupOf[x]!;
    let found = 0;
    for (let p = adjacency.start[x]!; p < adjacency.start[x + 1]! && found < fanOut; p++) {
      const g = groupOf[adjacency.data[p]!]!;
      if (g === g1 || near.subarray(0, found).includes(g)) continue;
      near[found++] = g;
    }
    search: for (let s = 0; s < found; s++) {
      for (let t = s + 1; t < found; t++) {
        // Neighbours' groups may have changed under an earlier improvement in this loop.
        if (near[s] === groupOf[x] || near[t] === groupOf[x] || near[s] === near[t]) continue;
        gs[0] = groupOf[x]!;
        gs[1] = near[s]!;
        gs[2] = near[t]!;
        if (repartitioner.improve(gs, 3)) {
          for (let u = 0; u < 3; u++) for (let r = 0; r < 3; r++) work.push(members[gs[u]! * 3 + r]!);
          break search;
        }
      }
    }
  }
}

/**
 * Re-partitions every set of `arity` groups (2 to 4) among `candidates`, exactly, until a whole
 * sweep finds nothing better or `maxSweeps` runs out: on a small server (or among the few groups
 * that violate a constraint) this reaches an optimum over all moves between up to three groups.
 */
export function sweepGroups(repartitioner: Repartitioner, candidates: readonly number[], arity: 2 | 3 | 4, maxSweeps: number): boolean {
  const gs = new Int32Array(4);
  const c = candidates.length;
  let any = false;
  const choose = (from: number, depth: number): boolean => {
    if (depth === arity) return repartitioner.improve(gs, arity);
    let improved = false;
    for (let a = from; a < c; a++) {
      gs[depth] = candidates[a]!;
      if (choose(a + 1, depth + 1)) improved = true;
    }
    return improved;
  };
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    const improved = choose(0, 0);
    any ||= improved;
    if (!improved) break;
  }
  return any;
}

/**
 * Alternating-chain moves between pairs (a Lin–Kernighan-style deepening of 2-opt): break pair
 * (a0, b0), pair b0 with a neighbour c1, whose partner d1 is then paired with a neighbour c2, …,
 * and finally pair the last loose member with a0. Chains only deepen while their partial gain is
 * positive, and only the `breadth` most promising branches are followed, which keeps the search
 * near-linear; chains of two and three pairs find improvements that no single swap does.
 */
export function chainSearch(groups: Groups, adjacency: Adjacency, depth: number, breadth: number, budgetPerMember: number): void {
  const { scorer, groupOf, size, weight, members } = groups;
  const n = groupOf.length;
  const work = new MemberQueue(n);
  let budget = budgetPerMember * n;
  const maxDepth = Math.min(depth, MAX_MOVE_GROUPS - 1);

  const chain = new Int32Array(2 * maxDepth); // c1, d1, c2, d2, …
  let chainLength = 0;
  const onChain = new Int32Array(n).fill(-1); // visit stamp of members on the chain (and a0)
  let visit = 0;
  let bestGain = 0;
  const best = new Int32Array(2 * maxDepth);
  let bestLength = 0;
  let a0 = -1;
  // Per level: the most promising branches (member c, partial gain), kept sorted, at most `breadth`.
  const branchC = new Int32Array(maxDepth * breadth);
  const branchGain = new Float64Array(maxDepth * breadth);
  const partner = (c: number): number => {
    const g = groupOf[c]!;
    const a = members[g * 3]!;
    return a === c ? members[g * 3 + 1]! : a;
  };

  const extend = (open: number, gain: number, level: number): void => {
    let branches = 0;
    const base = level * breadth;
    const deepen = chainLength < 2 * (maxDepth - 1);
    for (let p = adjacency.start[open]!; p < adjacency.start[open + 1]!; p++) {
      const c = adjacency.data[p]!;
      if (onChain[c] === visit || size[groupOf[c]!] !== 2) continue;
      const d = partner(c);
      if (onChain[d] === visit || d === open) continue;
      const added = gain + adjacency.weight[p]!;
      const partial = added - weight[groupOf[c]!]!;
      // No pair weighs more than MAX_PAIR_SCORE: skip weighing a closing pair that cannot win.
      const closed = partial + MAX_PAIR_SCORE > bestGain ? partial + scorer.weight(d, a0) : -Infinity;
      if (closed > bestGain) {
        bestGain = closed;
        best.set(chain.subarray(0, chainLength));
        best[chainLength] = c;
        best[chainLength + 1] = d;
        bestLength = chainLength + 2;
      }
      // Lin–Kernighan's gain criterion: deepen while the chain so far, up to the added edge, gains.
      if (!deepen || added < 0) continue;
      if (branches < breadth || partial > branchGain[base + branches - 1]!) {
        let at = branches < breadth ? branches++ : breadth - 1;
        while (at > 0 && branchGain[base + at - 1]! < partial) {
          branchGain[base + at] = branchGain[base + at - 1]!;
          branchC[base + at] = branchC[base + at - 1]!;
          at--;
        }
        branchGain[base + at] = partial;
        branchC[base + at] = c;
      }
    }
    if (bestGain > 0) return;
    for (let t = 0; t < branches; t++) {
      const c = branchC[base + t]!;
      if (onChain[c] === visit) continue;
      const d = partner(c);
      if (onChain[d] === visit) continue;
      chain[chainLength++] = c;
      chain[chainLength++] = d;
      onChain[c] = onChain[d] = visit;
      extend(d, branchGain[base + t]!, level + 1);
      chainLength -= 2;
      onChain[c] = onChain[d] = -1;
      if (bestGain > 0) return;
    }
  };

  while (work.length > 0 && budget-- > 0) {
    a0 = work.shift();
    const g0 = groupOf[a0]!;
    if (size[g0] !== 2) continue;
    const b0 = partner(a0);
    visit++;
    onChain[a0] = onChain[b0] = visit;
    bestGain = 0;
    bestLength = 0;
    chainLength = 0;
    extend(b0, -weight[g0]!, 0);
    if (bestGain <= 0) continue;

    const old = [g0];
    for (let t = 0; t < bestLength; t += 2) old.push(groupOf[best[t]!]!);
    let open = b0;
    for (let t = 0; t < bestLength; t += 2) {
      groups.set(old[t / 2]!, open, best[t]!, -1);
      open = best[t + 1]!;
    }
    groups.set(old[old.length - 1]!, open, a0, -1);
    work.push(a0);
    work.push(b0);
    for (let t = 0; t < bestLength; t++) work.push(best[t]!);
  }
}

/** Which hard constraint a repair pass restores. */
export type RepairLevel = 'common-language' | 'repeat-avoidance';

/** Language-less groups, repeated pairs and unpenalised weight of a set of groups, compared in that order. */
export interface Tally {
  languageless: number;
  repeats: number;
  value: number;
}

function tallyPairs(groups: Groups, pairs: readonly number[]): Tally {
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

/** Groups that violate a hard constraint (either level). */
export function violatingGroups(groups: Groups): number[] {
  const result: number[] = [];
  for (let g = 0; g < groups.count; g++) {
    const v = violations(groups, g);
    if (v.languageless || v.repeats > 0) result.push(g);
  }
  return result;
}

/** Number of groups violating the constraint of `level`. */
export function violationCount(groups: Groups, level: RepairLevel): number {
  let count = 0;
  for (let g = 0; g < groups.count; g++) {
    const v = violations(groups, g);
    if (level === 'common-language' ? v.languageless : v.repeats > 0) count++;
  }
  return count;
}

/**
 * Members waiting for another look, first in first out, each at most once; it starts with every
 * member, or with `start`. A ring buffer, since improvement passes push and shift millions of times
 * at 50,000 members.
 */
export class MemberQueue {
  private readonly ring: Int32Array;
  private readonly queued: Uint8Array;
  private head = 0;
  length = 0;

  constructor(n: number, start?: readonly number[]) {
    this.ring = new Int32Array(n);
    this.queued = new Uint8Array(n);
    if (start === undefined) for (let i = 0; i < n; i++) this.push(i);
    else for (const i of start) this.push(i);
  }

  /** Queues a member unless already waiting; negative ids (empty seats) are ignored. */
  push(member: number): void {
    if (member < 0 || this.queued[member] === 1) return;
    this.queued[member] = 1;
    this.ring[(this.head + this.length) % this.ring.length] = member;
    this.length++;
  }

  shift(): number {
    const member = this.ring[this.head]!;
    this.head = (this.head + 1) % this.ring.length;
    this.length--;
    this.queued[member] = 0;
    return member;
  }
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

/**
 * Re-partitions, exactly, every queued group together with every two other groups, re-queueing the
 * three groups whenever that improves them, until the queue is empty or the budget of three-group
 * evaluations runs out: on a small server this reaches a grouping that no rearrangement of any
 * three groups improves.
 */
export function tripleSearch(groups: Groups, repartitioner: Repartitioner, queue: Iterable<number>, budget: number): number {
  const count = groups.count;
  const waiting = new Uint8Array(count);
  const order: number[] = [];
  for (const g of queue) {
    if (waiting[g] === 1) continue;
    waiting[g] = 1;
    order.push(g);
  }
  const gs = new Int32Array(3);
  for (let head = 0; head < order.length && budget > 0; head++) {
    const g = order[head]!;
    waiting[g] = 0;
    gs[0] = g;
    search: for (let h = 0; h < count; h++) {
      if (h === g) continue;
      for (let l = h + 1; l < count; l++) {
        if (l === g) continue;
        gs[1] = h;
        gs[2] = l;
        budget--;
        if (repartitioner.improve(gs, 3)) {
          for (const changed of [g, h, l]) {
            if (waiting[changed] === 1) continue;
            waiting[changed] = 1;
            order.push(changed);
          }
          break search;
        }
        if (budget <= 0) break search;
      }
    }
  }
  return budget;
}

/**
 * Iterated local search for small servers: shuffle the members of a few random groups, improve
 * again with {@link tripleSearch} from those groups, and keep the result when it is no worse
 * (compared lexicographically over the whole grouping), else undo it. Escapes the local optima
 * that a single descent ends in, which on a small server decide whether a relaxation is needed.
 */
export function iteratedSearch(groups: Groups, repartitioner: Repartitioner, random: Random, iterations: number, budget: number): void {
  let best = tallyGroups(groups);
  const pool: number[] = [];
  for (let iteration = 0; iteration < iterations && budget > 0; iteration++) {
    groups.begin();
    const shaken = new Set<number>();
    const wanted = Math.min(groups.count, 2 + Math.floor(random() * 2));
    while (shaken.size < wanted) shaken.add(Math.floor(random() * groups.count));
    pool.length = 0;
    for (const g of shaken) for (let r = 0; r < groups.size[g]!; r++) pool.push(groups.members[g * 3 + r]!);
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    let at = 0;
    for (const g of shaken) {
      const three = groups.size[g] === 3;
      groups.set(g, pool[at]!, pool[at + 1]!, three ? pool[at + 2]! : -1);
      at += three ? 3 : 2;
    }
    budget = tripleSearch(groups, repartitioner, shaken, budget);
    const now = tallyGroups(groups);
    if (!better(best, now)) {
      groups.commit();
      best = now;
    } else {
      groups.rollback();
    }
  }
}

/** Tally of the groups given by their members (an empty seat is -1). */
function tallyMembers(groups: Groups, list: Iterable<readonly [number, number, number]>): Tally {
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

/**
 * Ruin and recreate: shuffle the members of a few related groups (a violating group and groups
 * around it while any relaxation remains, else the group of a random member and its neighbours'
 * groups) into new groups of the same sizes, improve that region again by exact three-group
 * re-partitions, and keep the result only if the groups it touched are lexicographically no worse
 * than before. Reaches rearrangements of five or six groups that no single improving move does.
 */
export function ruinAndRecreate(
  groups: Groups,
  adjacency: Adjacency,
  repartitioner: Repartitioner,
  random: Random,
  iterations: number,
  speakers?: LanguageIndex,
  problem?: Encoded,
): void {
  const pool: number[] = [];
  const gs = new Int32Array(3);
  const n = groups.groupOf.length;
  let violating = violatingGroups(groups);
  for (let iteration = 0; iteration < iterations; iteration++) {
    if (iteration % 16 === 0) violating = violatingGroups(groups);
    const focusViolation = violating.length > 0 && random() < 0.5;
    const g = focusViolation ? violating[Math.floor(random() * violating.length)]! : groups.groupOf[Math.floor(random() * n)]!;
    const region: number[] = [g];
    const add = (h: number): void => {
      if (!region.includes(h)) region.push(h);
    };
    const size = 3 + Math.floor(random() * (focusViolation ? 5 : 3));
    if (focusViolation && speakers !== undefined && problem !== undefined) {
      // The groups of the other speakers of a small language of a member of the violating group.
      const x = groups.members[g * 3 + Math.floor(random() * groups.size[g]!)]!;
      const { start, data } = problem.languages;
      let smallest = -1;
      for (let p = start[x]!; p < start[x + 1]!; p++) {
        const l = data[p]!;
        if (smallest < 0 || speakers.start[l + 1]! - speakers.start[l]! < speakers.start[smallest + 1]! - speakers.start[smallest]!)
          smallest = l;
      }
      if (smallest >= 0 && speakers.start[smallest + 1]! - speakers.start[smallest]! <= REGION_LANGUAGE) {
        for (let p = speakers.start[smallest]!; p < speakers.start[smallest + 1]! && region.length < size; p++)
          add(groups.groupOf[speakers.members[p]!]!);
      }
    }
    for (let tries = 0; region.length < size && tries < 30; tries++) {
      if (focusViolation && random() < 0.4) {
        const pick = random();
        if (pick < 0.5 && violating.length > 1) add(violating[Math.floor(random() * violating.length)]!);
        else if (groups.size[groups.count - 1] === 2 && pick >= 0.5) add(groups.count - 1 - Math.floor(random() * 2));
        continue;
      }
      const from = region[Math.floor(random() * region.length)]!;
      const x = groups.members[from * 3 + Math.floor(random() * groups.size[from]!)]!;
      const degree = adjacency.start[x + 1]! - adjacency.start[x]!;
      if (degree > 0) add(groups.groupOf[adjacency.data[adjacency.start[x]! + Math.floor(random() * Math.min(degree, 10))]!]!);
    }
    if (region.length < 3) continue;
    groups.begin();
    pool.length = 0;
    for (const h of region) for (let r = 0; r < groups.size[h]!; r++) pool.push(groups.members[h * 3 + r]!);
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    let at = 0;
    for (const h of region) {
      const three = groups.size[h] === 3;
      groups.set(h, pool[at]!, pool[at + 1]!, three ? pool[at + 2]! : -1);
      at += three ? 3 : 2;
    }
    for (let sweep = 0; sweep < 6; sweep++) {
      let improved = false;
      for (let a = 0; a < region.length; a++) {
        for (let b = a + 1; b < region.length; b++) {
          for (let c = b + 1; c < region.length; c++) {
            gs[0] = region[a]!;
            gs[1] = region[b]!;
            gs[2] = region[c]!;
            if (repartitioner.improve(gs, 3)) improved = true;
          }
        }
      }
      if (!improved) break;
    }
    const touched = groups.touched();
    const before = tallyMembers(groups, touched.values());
    const after = tallyMembers(
      groups,
      [...touched.keys()].map((h) => [groups.members[h * 3]!, groups.members[h * 3 + 1]!, groups.members[h * 3 + 2]!] as const),
    );
    if (better(before, after)) groups.rollback();
    else groups.commit();
  }
}

function restore(groups: Groups, snapshot: Int32Array): void {
  for (let g = 0; g < groups.count; g++) groups.set(g, snapshot[g * 3]!, snapshot[g * 3 + 1]!, snapshot[g * 3 + 2]!);
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
