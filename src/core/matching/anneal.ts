import type { Random } from '../random.ts';
import { REPEAT_PENALTY } from './encode.ts';
import type { Adjacency, Groups } from './groups.ts';
import { better, restore, tallyGroups } from './tally.ts';

/**
 * Simulated annealing over swaps, the method of choice for maximally diverse grouping problems
 * (which trio rounds are): a member `i` joins the group of one of its partners `u` in `adjacency`,
 * in exchange for another member of that group, and the swap is kept if it gains, or with
 * probability e^(Δ/T) if it loses Δ, the temperature T falling geometrically from `hot` to `cold`
 * over `moves` attempts. Accepting losses lets the search leave the local optima where every
 * descent of the other searches ends: on rounds of a few hundred members, which those leave about
 * 2% below the optimum, since the better groupings differ from theirs in most groups.
 *
 * Weights are the penalised ones. A language-less group costs more than T·ln(2^32) at any
 * temperature up to the repeat penalty, so no swap that adds one is ever accepted (`1 - random()`
 * keeps the logarithm finite); at the temperatures of the preference search a repeat costs that
 * much too. It ends at the best grouping the walk met (copied when the walk leaves it), so never
 * below where it started. Returns the number of swaps accepted.
 */
export function annealSwaps(groups: Groups, adjacency: Adjacency, random: Random, moves: number, hot: number, cold: number): number {
  const { members, size, groupOf, weight } = groups;
  const { start, data } = adjacency;
  const n = groupOf.length;
  const cooling = Math.pow(cold / hot, 1 / Math.max(1, moves));
  // The best grouping seen, copied only when the walk leaves it.
  const best = members.slice(0, groups.count * 3);
  let bestTotal = groups.total;
  let bestSaved = true;
  let accepted = 0;
  let temperature = hot;
  for (let move = 0; move < moves; move++, temperature *= cooling) {
    const i = Math.floor(random() * n);
    const from = start[i]!;
    const degree = start[i + 1]! - from;
    if (degree === 0) continue;
    const u = data[from + Math.floor(random() * degree)]!;
    const g = groupOf[i]!;
    const h = groupOf[u]!;
    if (g === h) continue;
    // v: the member of u's group, other than u, that takes i's place.
    const sizeH = size[h]!;
    let r = Math.floor(random() * (sizeH - 1));
    if (members[h * 3 + r] === u) r = sizeH - 1;
    const v = members[h * 3 + r]!;
    let ga = members[g * 3]!;
    let gb = members[g * 3 + 1]!;
    let gc = members[g * 3 + 2]!;
    if (ga === i) ga = v;
    else if (gb === i) gb = v;
    else gc = v;
    let ha = members[h * 3]!;
    let hb = members[h * 3 + 1]!;
    let hc = members[h * 3 + 2]!;
    if (ha === v) ha = i;
    else if (hb === v) hb = i;
    else hc = i;
    const wg = groups.weightOf(ga, gb, gc);
    const wh = groups.weightOf(ha, hb, hc);
    const delta = wg + wh - weight[g]! - weight[h]!;
    if (delta >= 0 || delta > temperature * Math.log(1 - random())) {
      if (!bestSaved && delta < 0) {
        best.set(members.subarray(0, best.length));
        bestSaved = true;
      }
      groups.setWeighted(g, ga, gb, gc, wg);
      groups.setWeighted(h, ha, hb, hc, wh);
      accepted++;
      if (groups.total > bestTotal) {
        bestTotal = groups.total;
        bestSaved = false;
      }
    }
  }
  if (groups.total < bestTotal) restore(groups, best);
  return accepted;
}

/** Swaps per member of {@link annealRelaxations}, and its temperatures (in repeat penalties). */
export const RELAXATION_ANNEAL_PER_MEMBER = 5000;
const RELAXATION_HOT = REPEAT_PENALTY;
const RELAXATION_COLD = REPEAT_PENALTY / 64;

/**
 * Simulated annealing at the temperature of the repeat penalty, for a placement the hard-constraint
 * searches left with relaxations. Hot, it accepts a swap that adds a repeat with probability 1/e,
 * so the walk moves between groupings with as many repeats as the start, or one more, where every
 * descent stops; cooling, it settles where repeats are fewest (a language-less group still costs
 * far more than T·ln(2^32), so none is ever added). On the bench's islands trio round of 100, the
 * searches left 5 repeats on every placement; this takes most of them to 4, the optimum. Kept only
 * if the grouping ends lexicographically no worse (fewest language-less groups, then repeats, then
 * weight).
 */
export function annealRelaxations(groups: Groups, adjacency: Adjacency, random: Random, moves: number): void {
  const before = tallyGroups(groups);
  const snapshot = groups.members.slice(0, groups.count * 3);
  annealSwaps(groups, adjacency, random, moves, RELAXATION_HOT, RELAXATION_COLD);
  if (better(before, tallyGroups(groups))) restore(groups, snapshot);
}
