import type { Random } from '../random.ts';
import { LANGUAGE_PENALTY, MAX_MOVE_GROUPS } from './encode.ts';
import type { Encoded } from './encode.ts';
import { MAX_PAIR_SCORE } from './score.ts';
import { penalised } from './groups.ts';
import type { Adjacency, Groups } from './groups.ts';
import type { Repartitioner } from './repartition.ts';
import { better, tallyGroups, tallyMembers, violatingGroups } from './tally.ts';
import { REGION_LANGUAGE } from './repair.ts';
import type { LanguageIndex } from './repair.ts';

/** Random groups a member in a penalised group also tries, so avoidable relaxations get undone. */
const RANDOM_TRIES = 64;

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
  const scorer = groups.scorer;
  const { base, commonLanguage3 } = scorer;
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
    // Between two trios, a swap's six pair weights per member of the other trio share most of their
    // pairs: with a pairwise scorer each pair is weighed once (12 per trio instead of 18).
    const pairwiseTrios = scorer.pairwise && s1 === 3;
    const ownPair = pairwiseTrios ? base(o1, o2) : 0;

    const tryGroup = (g2: number): void => {
      if (g2 === g1 || tried[g2] === visit) return;
      tried[g2] = visit;
      const before = w1 + weight[g2]!;
      const s2 = size[g2]!;
      const a = members[g2 * 3]!;
      const b = members[g2 * 3 + 1]!;
      const c = members[g2 * 3 + 2]!;
      if (pairwiseTrios && s2 === 3) {
        const bc = base(b, c);
        const ac = base(a, c);
        const ab = base(a, b);
        const xa = base(x, a);
        const xb = base(x, b);
        const xc = base(x, c);
        for (let r = 0; r < 3; r++) {
          // z leaves for x's trio; x joins the other two (rest1, rest2) as weightOf(rest1, x, rest2) does.
          const z = r === 0 ? a : r === 1 ? b : c;
          const rest1 = r === 0 ? b : a;
          const rest2 = r === 2 ? b : c;
          const restPair = r === 0 ? bc : r === 1 ? ac : ab;
          const xRest = r === 0 ? xb + xc : r === 1 ? xa + xc : xa + xb;
          const joined = base(o1, z) + ownPair + base(z, o2) - (commonLanguage3(o1, z, o2) ? 0 : LANGUAGE_PENALTY);
          const left = restPair + xRest - (commonLanguage3(rest1, x, rest2) ? 0 : LANGUAGE_PENALTY);
          const swap = joined + left - before;
          if (swap > bestGain) {
            bestGain = swap;
            bestG2 = g2;
            bestKind = 1;
            bestZ = z;
          }
        }
        return;
      }
      for (let r = 0; r < s2; r++) {
        const z = r === 0 ? a : r === 1 ? b : c;
        const rest1 = r === 0 ? b : a;
        const rest2 = s2 === 3 ? (r === 2 ? b : c) : -1;
        const swap = groups.weightOf(o1, z, o2) + groups.weightOf(rest1, x, rest2) - before;
        if (swap > bestGain) {
          bestGain = swap;
          bestG2 = g2;
          bestKind = 1;
          bestZ = z;
        }
        if (s1 === 2 && s2 === 3) {
          const pull = groups.weightOf(x, o1, z) + groups.weightOf(rest1, rest2, -1) - before;
          if (pull > bestGain) {
            bestGain = pull;
            bestG2 = g2;
            bestKind = 3;
            bestZ = z;
          }
        }
      }
      if (s1 === 3 && s2 === 2) {
        const move = groups.weightOf(o1, o2, -1) + groups.weightOf(a, b, x) - before;
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
  const adjacencyStart = adjacency.start;
  const adjacencyData = adjacency.data;
  const adjacencyWeight = adjacency.weight;

  // Each member's partner (-1 in a trio) and their pair's weight, kept here since the inner loop
  // reads them for every edge it looks at; only this search changes groups while it runs.
  const mate = new Int32Array(n).fill(-1);
  const mateWeight = new Float64Array(n);
  const note = (g: number): void => {
    if (size[g] !== 2) return;
    const a = members[g * 3]!;
    const b = members[g * 3 + 1]!;
    mate[a] = b;
    mate[b] = a;
    mateWeight[a] = mateWeight[b] = weight[g]!;
  };
  for (let g = 0; g < groups.count; g++) note(g);

  const chain = new Int32Array(2 * maxDepth); // c1, d1, c2, d2, …
  let chainLength = 0;
  const onChain = new Int32Array(n).fill(-1); // visit stamp of members on the chain (and a0)
  // Each member's weight with a0, stamped with the visit it was weighed in: the branches of one
  // visit reach the same members again and again.
  const closing = new Float64Array(n);
  const closingVisit = new Int32Array(n).fill(-1);
  let visit = 0;
  let bestGain = 0;
  const best = new Int32Array(2 * maxDepth);
  let bestLength = 0;
  let a0 = -1;
  // Per level: the most promising branches (member c, partial gain), kept sorted, at most `breadth`.
  const branchC = new Int32Array(maxDepth * breadth);
  const branchGain = new Float64Array(maxDepth * breadth);

  const extend = (open: number, gain: number, level: number): void => {
    let branches = 0;
    const base = level * breadth;
    const deepen = chainLength < 2 * (maxDepth - 1);
    const end = adjacencyStart[open + 1]!;
    for (let p = adjacencyStart[open]!; p < end; p++) {
      const c = adjacencyData[p]!;
      const d = mate[c]!;
      if (d < 0 || onChain[c] === visit || onChain[d] === visit || d === open) continue;
      const added = gain + adjacencyWeight[p]!;
      const partial = added - mateWeight[c]!;
      // No pair weighs more than MAX_PAIR_SCORE: skip weighing a closing pair that cannot win.
      if (partial + MAX_PAIR_SCORE > bestGain) {
        if (closingVisit[d] !== visit) {
          closingVisit[d] = visit;
          closing[d] = scorer.weight(d, a0);
        }
        const closed = partial + closing[d]!;
        if (closed > bestGain) {
          bestGain = closed;
          best.set(chain.subarray(0, chainLength));
          best[chainLength] = c;
          best[chainLength + 1] = d;
          bestLength = chainLength + 2;
        }
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
      const d = mate[c]!;
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
    const b0 = mate[a0]!;
    if (b0 < 0) continue;
    const g0 = groupOf[a0]!;
    visit++;
    onChain[a0] = onChain[b0] = visit;
    bestGain = 0;
    bestLength = 0;
    chainLength = 0;
    extend(b0, -mateWeight[a0]!, 0);
    if (bestGain <= 0) continue;

    const old = [g0];
    for (let t = 0; t < bestLength; t += 2) old.push(groupOf[best[t]!]!);
    let open = b0;
    for (let t = 0; t < bestLength; t += 2) {
      groups.set(old[t / 2]!, open, best[t]!, -1);
      open = best[t + 1]!;
    }
    groups.set(old[old.length - 1]!, open, a0, -1);
    for (const g of old) note(g);
    work.push(a0);
    work.push(b0);
    for (let t = 0; t < bestLength; t++) work.push(best[t]!);
  }
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
