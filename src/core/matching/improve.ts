import type { Random } from '../random.ts';
import { partnerOf } from './groups.ts';
import type { Adjacency, Groups } from './groups.ts';

/** Random groups a member in a penalised group also tries, so avoidable relaxations get undone. */
const RANDOM_TRIES = 64;

/**
 * Moves between two groups while any improves the total weight: member x joins the group of a
 * graph neighbour y by swapping places with one of y's group mates (for pairs this is the classic
 * 2-opt exchange), or, from a trio into a pair, by simply moving over. Members of changed groups
 * are queued again; members of penalised groups also try random groups, so a relaxation that
 * some swap can undo does not survive for lack of a graph edge.
 */
export function localSearch(groups: Groups, adjacency: Adjacency, random: Random, budgetPerMember: number): void {
  const n = groups.groupOf.length;
  const { members, size, weight, groupOf } = groups;
  const work = new MemberQueue(n);
  const enqueue = (i: number): void => work.push(i);
  let budget = budgetPerMember * n;

  const tried = new Int32Array(groups.count).fill(-1);
  let visit = 0;
  while (work.length > 0 && budget-- > 0) {
    visit++;
    const x = work.shift();

    const g1 = groupOf[x]!;
    // x's group mates
    let o1 = -1;
    let o2 = -1;
    for (let r = 0; r < 3; r++) {
      const v = members[g1 * 3 + r]!;
      if (v === x || v < 0) continue;
      if (o1 < 0) o1 = v;
      else o2 = v;
    }
    let bestGain = 0;
    let bestG2 = -1;
    let bestZ = -1; // -1: move x over without swapping
    const w1 = weight[g1]!;

    // wxy: weight of the pair (x, y) when known, else NaN.
    const tryGroup = (y: number, wxy: number): void => {
      const g2 = groupOf[y]!;
      if (g2 === g1) return;
      // A trio is tried once per visit, with all three swaps, from whichever member is met first.
      if (size[g2] === 3) {
        if (tried[g2] === visit) return;
        tried[g2] = visit;
      }
      const base = w1 + weight[g2]!;
      const a = members[g2 * 3]!;
      const b = members[g2 * 3 + 1]!;
      const c = members[g2 * 3 + 2]!;
      for (let r = 0; r < size[g2]!; r++) {
        const z = r === 0 ? a : r === 1 ? b : c;
        if (z === y && size[g2] === 2) continue;
        const rest1 = r === 0 ? b : a;
        const rest2 = r === 2 ? b : c;
        const joined = size[g2] === 3 ? groups.weightOf(rest1, x, rest2) : Number.isNaN(wxy) ? groups.weightOf(rest1, x, -1) : wxy;
        const gain = groups.weightOf(o1, z, o2) + joined - base;
        if (gain > bestGain) {
          bestGain = gain;
          bestG2 = g2;
          bestZ = z;
        }
      }
      if (size[g1] === 3 && size[g2] === 2) {
        const gain = groups.weightOf(o1, o2, -1) + groups.weightOf(a, b, x) - base;
        if (gain > bestGain) {
          bestGain = gain;
          bestG2 = g2;
          bestZ = -1;
        }
      }
    };

    for (let p = adjacency.start[x]!; p < adjacency.start[x + 1]!; p++) tryGroup(adjacency.data[p]!, adjacency.weight[p]!);
    if (w1 < 0) for (let t = 0; t < RANDOM_TRIES; t++) tryGroup(Math.floor(random() * n), NaN);
    if (bestG2 < 0) continue;

    const g2 = bestG2;
    const a = members[g2 * 3]!;
    const b = members[g2 * 3 + 1]!;
    const c = members[g2 * 3 + 2]!;
    if (bestZ < 0) {
      groups.set(g1, o1, o2, -1);
      groups.set(g2, a, b, x);
    } else {
      const rest = [a, b, c].filter((v) => v >= 0 && v !== bestZ);
      groups.set(g1, o1, bestZ, o2);
      groups.set(g2, rest[0]!, x, rest.length > 1 ? rest[1]! : -1);
    }
    for (let r = 0; r < 3; r++) {
      enqueue(members[g1 * 3 + r]!);
      enqueue(members[g2 * 3 + r]!);
    }
  }
}

/** Which hard constraint a repair pass restores. */
export type RepairLevel = 'common-language' | 'repeat-avoidance';

/**
 * Restores a hard constraint wherever an alternating path allows it, like one phase of a
 * maximum-cardinality matching: from a member u of a violating pair, search breadth-first through
 * pairs (u–y, y's partner–y', …) along acceptable edges until reaching a member of another
 * violating pair (or u's own partner); re-pairing along the path leaves at most one violating pair
 * where there were two. Local swaps cannot do this: the path may be long, e.g. when the only
 * other speaker of a rare language is paired across the server. Applied only when the penalised
 * weight rises, so a higher-priority constraint is never traded away.
 */
export function repairViolations(groups: Groups, adjacency: Adjacency, level: RepairLevel, maxVisit: number): void {
  const { scorer, groupOf, size, weight } = groups;
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
  // Re-pairs along the path ending in o–found; applied only if the penalised weight rises.
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
    let delta = 0;
    for (let t = 0; t < pairs.length; t += 2) delta += scorer.weight(pairs[t]!, pairs[t + 1]!);
    for (const g of old) delta -= weight[g]!;
    if (delta <= 0) return false;
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

/**
 * Alternating-chain moves between pairs (a Lin–Kernighan-style deepening of 2-opt): break pair
 * (a0, b0), pair b0 with a neighbour c1, whose partner d1 is then paired with a neighbour c2, …,
 * and finally pair the last loose member with a0. Chains only deepen while their partial gain is
 * positive, and only the `breadth` most promising branches are followed, which keeps the search
 * near-linear; chains of two and three pairs find improvements that no single swap does.
 */
export function chainSearch(groups: Groups, adjacency: Adjacency, depth: number, breadth: number, budgetPerMember: number): void {
  const { scorer, groupOf, size, weight } = groups;
  const n = groupOf.length;
  const work = new MemberQueue(n);
  const enqueue = (i: number): void => work.push(i);
  let budget = budgetPerMember * n;

  const chain: number[] = []; // c1, d1, c2, d2, …
  let bestGain = 0;
  let best: number[] = [];
  let a0 = -1;

  const extend = (open: number, gain: number): void => {
    const branches: number[] = [];
    const gains: number[] = [];
    for (let p = adjacency.start[open]!; p < adjacency.start[open + 1]!; p++) {
      const c = adjacency.data[p]!;
      if (c === a0 || chain.includes(c) || size[groupOf[c]!] !== 2) continue;
      const d = partnerOf(groups, c);
      if (d === a0 || d === open || chain.includes(d)) continue;
      const added = gain + adjacency.weight[p]!;
      const partial = added - weight[groupOf[c]!]!;
      const closed = partial + scorer.weight(d, a0);
      if (closed > bestGain) {
        bestGain = closed;
        best = [...chain, c, d];
      }
      // Lin–Kernighan's gain criterion: deepen while the chain so far, up to the added edge, gains.
      if (added >= 0 && chain.length < 2 * (depth - 1)) {
        branches.push(c);
        gains.push(partial);
      }
    }
    if (bestGain > 0 || branches.length === 0) return;
    const order = branches.map((_, index) => index).sort((x, y) => gains[y]! - gains[x]! || x - y);
    for (const index of order.slice(0, breadth)) {
      const c = branches[index]!;
      const d = partnerOf(groups, c);
      chain.push(c, d);
      extend(d, gains[index]!);
      chain.length -= 2;
      if (bestGain > 0) return;
    }
  };

  while (work.length > 0 && budget-- > 0) {
    a0 = work.shift();
    const g0 = groupOf[a0]!;
    if (size[g0] !== 2) continue;
    const b0 = partnerOf(groups, a0);
    bestGain = 0;
    best = [];
    chain.length = 0;
    extend(b0, -weight[g0]!);
    if (bestGain <= 0) continue;

    const old = [g0];
    for (let t = 0; t < best.length; t += 2) old.push(groupOf[best[t]!]!);
    let open = b0;
    for (let t = 0; t < best.length; t += 2) {
      groups.set(old[t / 2]!, open, best[t]!, -1);
      open = best[t + 1]!;
    }
    groups.set(old[old.length - 1]!, open, a0, -1);
    enqueue(a0);
    enqueue(b0);
    for (const v of best) enqueue(v);
  }
}

/**
 * The trio counterpart of {@link repairViolations}: a breadth-first search for a cyclic exchange
 * that mends a violating group G0. A member x leaves G0 and takes the place of z in a neighbour's
 * group, provided that group then violates nothing at this level; z is displaced in turn, and so
 * on, until a displaced member can take x's place in G0. Group sizes never change. Applied only
 * when the penalised weight of all touched groups rises.
 */
export function repairGroups(groups: Groups, adjacency: Adjacency, level: RepairLevel, maxVisit: number): void {
  const { scorer, groupOf, size, weight, members } = groups;
  const n = groupOf.length;
  const violates = (a: number, b: number, c: number): boolean => {
    if (level === 'common-language') return c < 0 ? !scorer.commonLanguage(a, b) : !scorer.commonLanguage3(a, b, c);
    return scorer.recent(a, b) || (c >= 0 && (scorer.recent(a, c) || scorer.recent(b, c)));
  };
  const groupViolates = (g: number): boolean => violates(members[g * 3]!, members[g * 3 + 1]!, members[g * 3 + 2]!);
  // The group g with member `out` replaced by `into` (order: the two kept, then `into`).
  const replaced = (g: number, out: number, into: number): [number, number, number] => {
    const kept = [members[g * 3]!, members[g * 3 + 1]!, members[g * 3 + 2]!].filter((v) => v >= 0 && v !== out);
    return size[g] === 3 ? [kept[0]!, kept[1]!, into] : [kept[0]!, into, -1];
  };

  const stamp = new Int32Array(n).fill(-1);
  const previous = new Int32Array(n); // displaced member before this one in the chain
  const gain = new Float64Array(n); // weight gained by the groups changed so far in the chain
  const via = new Int32Array(n); // the group a displaced member was displaced from
  const usedGroup = new Int32Array(groups.count).fill(-1);
  let epoch = 0;
  let check = 0;

  for (let g0 = 0; g0 < groups.count; g0++) {
    if (!groupViolates(g0)) continue;
    for (let r = 0; r < size[g0]! && groupViolates(g0); r++) {
      const x = members[g0 * 3 + r]!;
      epoch++;
      const queue = [x];
      stamp[x] = epoch;
      previous[x] = -1;
      gain[x] = 0;
      let applied = false;
      for (let head = 0; head < queue.length && queue.length < maxVisit && !applied; head++) {
        const d = queue[head]!;
        for (let p = adjacency.start[d]!; p < adjacency.start[d + 1]! && !applied; p++) {
          const y = adjacency.data[p]!;
          const g = groupOf[y]!;
          if (g === g0) continue;
          for (let s = 0; s < size[g]! && !applied; s++) {
            const z = members[g * 3 + s]!;
            if (z === y || stamp[z] === epoch) continue;
            const [a, b, c] = replaced(g, z, d);
            if (violates(a, b, c)) continue;
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

/** Number of groups violating the constraint of `level`. */
export function violationCount(groups: Groups, level: RepairLevel): number {
  const { scorer, members } = groups;
  let count = 0;
  for (let g = 0; g < groups.count; g++) {
    const a = members[g * 3]!;
    const b = members[g * 3 + 1]!;
    const c = members[g * 3 + 2]!;
    const bad =
      level === 'common-language'
        ? c < 0
          ? !scorer.commonLanguage(a, b)
          : !scorer.commonLanguage3(a, b, c)
        : scorer.recent(a, b) || (c >= 0 && (scorer.recent(a, c) || scorer.recent(b, c)));
    if (bad) count++;
  }
  return count;
}

/**
 * Members waiting for another look, first in first out, each at most once; it starts with every
 * member. A ring buffer, since improvement passes push and shift millions of times at 50,000 members.
 */
class MemberQueue {
  private readonly ring: Int32Array;
  private readonly queued: Uint8Array;
  private head = 0;
  length: number;

  constructor(n: number) {
    this.ring = Int32Array.from({ length: n }, (_, i) => i);
    this.queued = new Uint8Array(n).fill(1);
    this.length = n;
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
