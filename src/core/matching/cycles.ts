import { MAX_MOVE_GROUPS } from './encode.ts';
import type { Adjacency, Groups } from './groups.ts';

/**
 * Cyclic exchanges between groups (the neighbourhood of Thompson and Orlin for partitioning
 * problems): x1 takes x2's place, x2 takes x3's, …, and xk takes x1's, so each of k groups loses
 * one member and gains one. A swap between two groups is the cycle of two, and re-partitioning
 * three groups covers the cycles of three; on large rounds of trios the longer ones are where the
 * local searches stop (at 1,000 members they were about 5% below a grouping the integer program
 * found), because each step of such a cycle loses weight until the last one closes it.
 *
 * The search runs in the improvement graph, an arc x → y for every member y of a group of one of
 * x's candidate partners, gaining the pair weights x would have with y's mates less y's. It is a
 * label-correcting search from every start at once: per depth, each member keeps the best
 * positive partial gain (Lin–Kernighan's criterion) of a path reaching it through distinct groups,
 * and each label closes back to its start. Keeping one label per member and depth may miss a cycle
 * that a search from its own start would find; it is what makes a pass cost the candidate edges
 * times the depth, whatever the number of starts. Cycles found in a pass are applied when they
 * touch no group changed before them and gain by the exact group weights (a trio's language is
 * not pairwise), the largest estimated gains first, since paths from many starts funnel into the
 * same cycles; the next pass starts from the members of the changed groups.
 *
 * Returns the number of cycles applied. `budgetPerMember` bounds the arcs weighed, per member.
 */
export function cyclicExchange(groups: Groups, adjacency: Adjacency, depth: number, budgetPerMember: number): number {
  const { scorer, groupOf, members, size } = groups;
  const n = groupOf.length;
  const levels = Math.min(depth, MAX_MOVE_GROUPS);
  if (levels < 2 || groups.count < 2) return 0;
  const { start: adjacencyStart, data: adjacencyData } = adjacency;

  // What each member adds to its group now: the weights of its pairs with its mates.
  const own = new Float64Array(n);
  const weighOwn = (g: number): void => {
    const a = members[g * 3]!;
    const b = members[g * 3 + 1]!;
    const c = members[g * 3 + 2]!;
    if (size[g] === 2) {
      own[a] = own[b] = scorer.base(a, b);
      return;
    }
    const ab = scorer.base(a, b);
    const ac = scorer.base(a, c);
    const bc = scorer.base(b, c);
    own[a] = ab + ac;
    own[b] = ab + bc;
    own[c] = ac + bc;
  };
  for (let g = 0; g < groups.count; g++) weighOwn(g);

  /** The gain of `x` taking `y`'s place in `y`'s group, ignoring languages (see {@link speaks}). */
  const arc = (x: number, y: number): number => {
    const [m1, m2] = groups.others(groupOf[y]!, y);
    return m2 < 0 ? scorer.base(x, m1) - own[y]! : scorer.base(x, m1) + scorer.base(x, m2) - own[y]!;
  };
  /** Whether `x` shares a language with `y`'s mates, checked only for arcs that would be taken. */
  const speaks = (x: number, y: number): boolean => {
    const [m1, m2] = groups.others(groupOf[y]!, y);
    return m2 < 0 ? scorer.commonLanguage(x, m1) : scorer.commonLanguage3(x, m1, m2);
  };

  // Labels per depth d (0-based: d = 0 is the start) and member, valid when stamped with the pass.
  const gain = new Float64Array(levels * n);
  const origin = new Int32Array(levels * n);
  const previous = new Int32Array(levels * n);
  const stamp = new Int32Array(levels * n).fill(-1);
  const seenGroup = new Int32Array(groups.count).fill(-1);
  const starts = new Uint8Array(n).fill(1);
  const changed = new Uint8Array(groups.count);
  const cycles: number[] = []; // lengths followed by members, start first
  const found: number[] = []; // estimated gain and offset in `cycles` of each cycle
  const cycle = new Int32Array(levels);
  const targets = new Int32Array(levels);
  const entering = new Int32Array(levels);
  let budget = budgetPerMember * n;
  let applied = 0;
  let seen = 0;

  /** Whether group `g` is on the path that reaches `x` at depth `d`. */
  const onPath = (x: number, d: number, g: number): boolean => {
    for (let e = d, v = x; e >= 0; e--) {
      if (groupOf[v] === g) return true;
      v = previous[e * n + v]!;
    }
    return false;
  };

  for (let pass = 0; budget > 0; pass++) {
    for (let x = 0; x < n; x++) {
      if (starts[x] === 0 || groupOf[x]! < 0) continue;
      gain[x] = 0;
      origin[x] = x;
      previous[x] = -1;
      stamp[x] = pass;
    }
    cycles.length = 0;
    found.length = 0;
    for (let d = 0; d + 1 < levels && budget > 0; d++) {
      const from = d * n;
      const to = from + n;
      for (let x = 0; x < n; x++) {
        if (stamp[from + x] !== pass) continue;
        const gx = gain[from + x]!;
        const home = groupOf[x]!;
        seen++;
        for (let e = adjacencyStart[x]!; e < adjacencyStart[x + 1]!; e++) {
          const g = groupOf[adjacencyData[e]!]!;
          if (g === home || seenGroup[g] === seen) continue;
          seenGroup[g] = seen;
          if (onPath(x, d, g)) continue;
          // x's weights with the whole group, each arc leaving out the member x replaces.
          const at = g * 3;
          const trio = size[g] === 3;
          const w0 = scorer.base(x, members[at]!);
          const w1 = scorer.base(x, members[at + 1]!);
          const w2 = trio ? scorer.base(x, members[at + 2]!) : 0;
          const all = gx + w0 + w1 + w2;
          budget -= size[g]!;
          for (let r = 0; r < size[g]!; r++) {
            const y = members[at + r]!;
            const reached = all - (r === 0 ? w0 : r === 1 ? w1 : w2) - own[y]!;
            if (reached <= 0 || (stamp[to + y] === pass && gain[to + y]! >= reached) || !speaks(x, y)) continue;
            gain[to + y] = reached;
            origin[to + y] = origin[from + x]!;
            previous[to + y] = x;
            stamp[to + y] = pass;
          }
        }
      }
      // Close the paths that reached depth d + 1: their last member takes the start's place.
      for (let y = 0; y < n; y++) {
        if (stamp[to + y] !== pass) continue;
        const first = origin[to + y]!;
        const closed = gain[to + y]! + arc(y, first);
        if (closed <= 0 || !speaks(y, first)) continue;
        found.push(closed, cycles.length);
        cycles.push(d + 2);
        const at = cycles.length;
        for (let e = 0; e <= d + 1; e++) cycles.push(-1);
        for (let e = d + 1, v = y; e >= 0; e--) {
          cycles[at + e] = v;
          v = previous[e * n + v]!;
        }
      }
    }

    changed.fill(0);
    let appliedThisPass = 0;
    // The same cycle is found from several of its members; the largest gains go first.
    const order = Array.from({ length: found.length / 2 }, (_, c) => c).sort((p, q) => found[2 * q]! - found[2 * p]!);
    for (const c of order) {
      const at = found[2 * c + 1]!;
      const k = cycles[at]!;
      let usable = true;
      for (let i = 0; i < k; i++) {
        cycle[i] = cycles[at + 1 + i]!;
        targets[i] = groupOf[cycle[i]!]!;
        if (changed[targets[i]!] === 1) usable = false;
      }
      if (!usable) continue;
      // Group targets[i] loses cycle[i] and gains cycle[i − 1] (the last member enters the start's group).
      let before = 0;
      let after = 0;
      for (let i = 0; i < k; i++) {
        entering[i] = cycle[(i + k - 1) % k]!;
        const g = targets[i]!;
        before += groups.weight[g]!;
        const [a, b, c] = replaced(members, g, cycle[i]!, entering[i]!);
        after += groups.weightOf(a, b, c);
      }
      if (after <= before) continue;
      for (let i = 0; i < k; i++) {
        const g = targets[i]!;
        const [a, b, c] = replaced(members, g, cycle[i]!, entering[i]!);
        groups.set(g, a, b, c);
        changed[g] = 1;
        weighOwn(g);
      }
      appliedThisPass++;
    }
    applied += appliedThisPass;
    if (appliedThisPass === 0) break;
    // Next pass: from the members of the changed groups (paths still run through every group).
    starts.fill(0);
    for (let g = 0; g < groups.count; g++) {
      if (changed[g] === 0) continue;
      for (let r = 0; r < size[g]!; r++) starts[members[g * 3 + r]!] = 1;
    }
  }
  return applied;
}

function replaced(members: Int32Array, g: number, leaving: number, entering: number): [number, number, number] {
  const pick = (m: number): number => (m === leaving ? entering : m);
  return [pick(members[g * 3]!), pick(members[g * 3 + 1]!), members[g * 3 + 2]! < 0 ? -1 : pick(members[g * 3 + 2]!)];
}
