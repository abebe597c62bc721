import { PAIR_RANGE } from './encode.ts';
import type { Random } from '../random.ts';
import type { Adjacency, Groups } from './groups.ts';
import { violatingGroups } from './tally.ts';

/**
 * In the clean mode, values below this are clamped: only a group that keeps a relaxation it
 * already had can weigh less, and the clamp keeps the auction's price range (and so its number of
 * scaling phases) that of the preferences.
 */
const VALUE_FLOOR = -8 * PAIR_RANGE;
/** Each scaling phase divides the auction's ε by this. */
const EPSILON_STEP = 7;
/** Doubles hold integers exactly up to 2^53; the auction's scaled values must stay below. */
const EXACT_LIMIT = 2 ** 52;

/**
 * Reassignment of trio rounds: take one member out of every trio, then give each remaining pair
 * the best of those members by an exact assignment (a sparse auction), so that every member may
 * move at once along a cycle of any length. It is the neighbourhood of the alternating heuristics
 * for three-dimensional assignment, and the one the local searches miss on large rounds: there
 * the improving cycles run through many groups, each step losing weight until the last closes it.
 *
 * Pairs of the round take part too: they get an empty seat, which a trio's pair may take instead
 * (it becomes a pair and the pair a trio). Candidate pairs for a member are those holding one of
 * its partners in `adjacency`. While the grouping has relaxations, the assignment weighs them
 * lexicographically (language-less groups, then repeats, then the weight, with penalties scaled
 * to the whole round), so it can trade them away or move them where they cost less; otherwise, or
 * where such penalties would not fit a double, a member may only join a pair where the trio has a
 * common language and no recent pair, or go back to its own pair.
 *
 * The grouping never gets worse: the identity is among the assignments, the lexicographic values
 * are exact integers (scaled, below 2^53), and in the clean mode every group that changes relaxes
 * nothing while the clamp only undervalues groups kept as they were. Each of `rounds` draws whom
 * to take out anew from `random`, and it stops after `patience` rounds in a row that gained
 * nothing. Returns the number of rounds that changed the grouping.
 */
export function reassignMembers(groups: Groups, adjacency: Adjacency, random: Random, rounds: number, patience = rounds): number {
  const m = groups.count;
  const { members, size, groupOf, scorer } = groups;
  let trios = 0;
  for (let g = 0; g < m; g++) if (size[g] === 3) trios++;
  if (trios < 2) return 0;
  const out = new Int32Array(m);
  const restP = new Int32Array(m);
  const restQ = new Int32Array(m);
  const slotSeen = new Int32Array(m).fill(-1);
  const edgeStart = new Int32Array(m + 1);
  let edgeSlot = new Int32Array(m * 16);
  let edgeValue = new Float64Array(m * 16);
  const auction = new Auction(m);
  // Lexicographic penalties: a repeat outweighs any difference in score between two assignments,
  // a language-less group any difference in repeats.
  const repeatPenalty = 2 * m * PAIR_RANGE + 1;
  const languagePenalty = (2 * m + 1) * repeatPenalty;
  const lexicographicFits = (languagePenalty + 2 * PAIR_RANGE) * (m + 1) * 4 < EXACT_LIMIT;
  const pure = (i: number, j: number): number => scorer.score(i, j) - scorer.deficit(i, j);
  let changed = 0;

  for (let round = 0, idle = 0; round < rounds && idle < patience; round++) {
    idle++;
    const relaxed = violatingGroups(groups).length > 0;
    const lexicographic = lexicographicFits && relaxed;
    // Who leaves each trio (pairs: nobody, an empty seat stands in for them).
    for (let g = 0; g < m; g++) out[g] = size[g] === 3 ? members[g * 3 + Math.floor(random() * 3)]! : -1;
    // The pair left in each group.
    for (let h = 0; h < m; h++) {
      const at = h * 3;
      const o = out[h]!;
      const a = members[at]!;
      const b = members[at + 1]!;
      const c = members[at + 2]!;
      restP[h] = o === a ? b : a;
      restQ[h] = o < 0 ? b : o === c ? b : c;
    }
    let length = 0;
    const push = (slot: number, value: number): void => {
      if (length === edgeSlot.length) {
        const slots = new Int32Array(2 * length);
        slots.set(edgeSlot);
        edgeSlot = slots;
        const values = new Float64Array(2 * length);
        values.set(edgeValue);
        edgeValue = values;
      }
      edgeSlot[length] = slot;
      edgeValue[length++] = value;
    };
    /**
     * The edge of `x` joining the pair left in `h`, valued by what `x` adds (the pair's own weight
     * is the same whoever joins it); in the clean mode only where the trio relaxes nothing, or `x`'s own.
     */
    const join = (h: number, x: number, own: boolean): void => {
      const p = restP[h]!;
      const q = restQ[h]!;
      const language = scorer.commonLanguage3(p, q, x);
      const repeats = (scorer.recent(p, x) ? 1 : 0) + (scorer.recent(q, x) ? 1 : 0);
      if (lexicographic) {
        push(h, pure(p, x) + pure(q, x) - repeats * repeatPenalty - (language ? 0 : languagePenalty));
      } else if (language && repeats === 0) {
        push(h, scorer.pairwise ? scorer.base(p, x) + scorer.base(q, x) : groups.weightOf(p, q, x) - scorer.weight(p, q));
      } else if (own) {
        push(h, Math.max(VALUE_FLOOR, groups.weightOf(p, q, x) - scorer.weight(p, q)));
      }
    };
    /** An empty seat adds nothing, but leaves the pair in `h` a pair (in the clean mode, only one with a language and no repeat, or its own). */
    const seat = (h: number, own: boolean): void => {
      const p = restP[h]!;
      const q = restQ[h]!;
      const language = scorer.commonLanguage(p, q);
      if (lexicographic) push(h, language ? 0 : -languagePenalty);
      else if (own || (language && !scorer.recent(p, q))) push(h, 0);
    };
    for (let g = 0; g < m; g++) {
      edgeStart[g] = length;
      const x = out[g]!;
      slotSeen[g] = g;
      if (x < 0) {
        // An empty seat may go to any trio's pair.
        seat(g, true);
        for (let h = 0; h < m; h++) if (h !== g && size[h] === 3) seat(h, false);
        continue;
      }
      join(g, x, true);
      for (let e = adjacency.start[x]!; e < adjacency.start[x + 1]!; e++) {
        const u = adjacency.data[e]!;
        const h = groupOf[u]!;
        if (u === out[h] || slotSeen[h] === g) continue;
        slotSeen[h] = g;
        join(h, x, false);
      }
    }
    edgeStart[m] = length;
    const slotOf = auction.solve(edgeStart, edgeSlot, edgeValue);
    // Slot h now takes person g's member (g's own trio member, or g's empty seat).
    const next: [number, number, number, number][] = [];
    for (let g = 0; g < m; g++) {
      const h = slotOf[g]!;
      if (h === g) continue;
      next.push([h, restP[h]!, restQ[h]!, out[g]!]);
    }
    if (next.length === 0) continue;
    const before = groups.total;
    for (const [h, p, q, x] of next) groups.set(h, p, q, x);
    changed++;
    if (groups.total > before) idle = 0;
  }
  return changed;
}

/**
 * The assignment of most total value of a square problem given as sparse rows (see {@link Auction}):
 * for each person, its object.
 */
export function bestAssignment(start: Int32Array, object: Int32Array, value: Float64Array): Int32Array {
  return new Auction(start.length - 1).solve(start, object, value).slice();
}

/**
 * Bertsekas' forward auction with ε-scaling for a square assignment problem given as sparse rows
 * (person g's edges are `start[g] .. start[g+1]`, each to an object with an integer value), which
 * must have a perfect assignment. Values are scaled by the size plus one so that the last phase,
 * at ε = 1, ends at an optimum.
 */
class Auction {
  private readonly price: Float64Array;
  private readonly owner: Int32Array;
  private readonly assigned: Int32Array;
  private readonly queue: Int32Array;

  constructor(private readonly m: number) {
    this.price = new Float64Array(m);
    this.owner = new Int32Array(m);
    this.assigned = new Int32Array(m);
    this.queue = new Int32Array(m);
  }

  solve(start: Int32Array, object: Int32Array, value: Float64Array): Int32Array {
    const { m, price, owner, assigned, queue } = this;
    const scale = m + 1;
    let low = Infinity;
    let high = -Infinity;
    for (let e = 0; e < start[m]!; e++) {
      low = Math.min(low, value[e]!);
      high = Math.max(high, value[e]!);
    }
    const range = (high - low) * scale;
    // A person with a single edge bids as if its next best were this far below.
    const lone = 2 * range + scale;
    price.fill(0);
    let epsilon = Math.max(1, range / EPSILON_STEP);
    for (;;) {
      owner.fill(-1);
      assigned.fill(-1);
      for (let g = 0; g < m; g++) queue[g] = g;
      let head = 0;
      let waiting = m;
      while (waiting > 0) {
        const g = queue[head]!;
        head = head + 1 === m ? 0 : head + 1;
        waiting--;
        let best = -Infinity;
        let second = -Infinity;
        let bestObject = -1;
        for (let e = start[g]!; e < start[g + 1]!; e++) {
          const v = value[e]! * scale - price[object[e]!]!;
          if (v > best) {
            second = best;
            best = v;
            bestObject = object[e]!;
          } else if (v > second) second = v;
        }
        if (second === -Infinity) second = best - lone;
        price[bestObject]! += best - second + epsilon;
        const previous = owner[bestObject]!;
        owner[bestObject] = g;
        assigned[g] = bestObject;
        if (previous >= 0) {
          assigned[previous] = -1;
          queue[(head + waiting) % m] = previous;
          waiting++;
        }
      }
      if (epsilon === 1) return assigned;
      epsilon = Math.max(1, Math.floor(epsilon / EPSILON_STEP));
    }
  }
}
