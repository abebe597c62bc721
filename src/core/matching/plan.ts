import type { Random } from '../random.ts';
import type { Encoded } from './encode.ts';
import type { Groups } from './groups.ts';

/**
 * The fewest language-less groups is a question about languages more than about people: a group
 * with a common language can be said to be formed *in* that language, and the members assigned to
 * a language can be split into groups among themselves as long as their number suits the group
 * sizes (a multiple of three in a round of trios, unless the language also takes one of the
 * round's one or two pairs). So a plan assigns each member one of its languages (or none), and
 * costs as many language-less groups as the members left over need. Moving a bilingual member
 * from one language to another is one step here, where between groups it is a long chain of swaps.
 */
export interface LanguagePlan {
  /** The language (id) each member's group will share, or -1 for a member of a language-less group. */
  readonly language: Int32Array;
  /** Language-less groups the plan needs. */
  readonly languageless: number;
}

/** How a plan's languages split: per language, members dropped to the language-less groups and groups of the rarer size taken. */
interface Split {
  readonly languageless: number;
  /** Members in language-less groups. */
  readonly dropped: number;
  readonly drop: Int32Array;
  readonly take: Int32Array;
}

/**
 * The split of `sizes[l]` members per language into a round's `trios` and `pairs` that needs the
 * fewest language-less groups: each language drops up to two members and takes some groups of the
 * rarer size (pairs in a round of trios, the trio in a round of pairs) so that the rest splits
 * evenly; the dropped members, with the `unplaced` ones that have no language in the plan, make the
 * language-less groups. Dynamic programming over languages whose state is the number of rarer
 * groups taken and the dropped count modulo the common size, keeping the fewest dropped: more can
 * always be dropped a whole common-size group at a time. Undefined when nothing fits.
 */
export function splitLanguages(sizes: ArrayLike<number>, unplaced: number, trios: number, pairs: number): Split | undefined {
  const countPairs = pairs <= trios;
  const minority = countPairs ? pairs : trios;
  const small = countPairs ? 2 : 3;
  const large = countPairs ? 3 : 2;
  // Languages nobody is planned in change nothing: leave them out of the table.
  const present: number[] = [];
  for (let l = 0; l < sizes.length; l++) if (sizes[l]! > 0) present.push(l);
  const languages = present.length;
  const width = (minority + 1) * large;
  // dropped[l][state]: fewest members dropped reaching the state after language l; choice: drop * 64 + take.
  const dropped = new Float64Array((languages + 1) * width).fill(Infinity);
  const choice = new Int32Array((languages + 1) * width);
  dropped[unplaced % large] = unplaced;
  for (let l = 0; l < languages; l++) {
    const s = sizes[present[l]!]!;
    for (let state = 0; state < width; state++) {
      const d = dropped[l * width + state]!;
      if (d === Infinity) continue;
      const m = Math.floor(state / large);
      for (let drop = 0; drop <= Math.min(2, s); drop++) {
        for (let take = 0; m + take <= minority; take++) {
          const rest = s - drop - small * take;
          if (rest < 0) break;
          if (rest % large !== 0) continue;
          const next = (m + take) * large + ((d + drop) % large);
          if (d + drop < dropped[(l + 1) * width + next]!) {
            dropped[(l + 1) * width + next] = d + drop;
            choice[(l + 1) * width + next] = drop * 64 + take;
          }
        }
      }
    }
  }
  let bestState = -1;
  let fewest = Infinity;
  let fewestDropped = Infinity;
  for (let state = 0; state < width; state++) {
    let d = dropped[languages * width + state]!;
    if (d === Infinity) continue;
    const m = Math.floor(state / large);
    const need = small * (minority - m);
    if ((((d - need) % large) + large) % large !== 0) continue;
    // Too few dropped to fill the rarer groups left: drop whole common-size groups more.
    while (d < need) d += large;
    const cost = minority - m + (d - need) / large;
    if (cost < fewest || (cost === fewest && d < fewestDropped)) {
      fewest = cost;
      fewestDropped = d;
      bestState = state;
    }
  }
  if (bestState < 0) return undefined;
  const drop = new Int32Array(sizes.length);
  const take = new Int32Array(sizes.length);
  let state = bestState;
  for (let l = languages - 1; l >= 0; l--) {
    const c = choice[(l + 1) * width + state]!;
    const m = Math.floor(state / large) - (c & 63);
    const d = dropped[(l + 1) * width + state]! - (c >> 6);
    drop[present[l]!] = c >> 6;
    take[present[l]!] = c & 63;
    state = m * large + (d % large);
  }
  return { languageless: fewest, dropped: fewestDropped, drop, take };
}

/** Languages (by id) with their number of speakers among the round's members. */
function languageCount(problem: Encoded): number {
  let languages = 0;
  for (const l of problem.languages.data) languages = Math.max(languages, l + 1);
  return languages;
}

/** Members of languages with at most this many speakers are all free to change language in a plan. */
const SMALL_LANGUAGE = 30;
/** Members tried per tabu step besides those speaking a language that drops members (on average). */
const OTHERS_TRIED = 40;
/** Bilinguals of each larger language that may change language in a plan. */
const SAMPLED_BILINGUALS = 8;

/**
 * A plan with as few language-less groups as a search over the members' choice of language finds,
 * starting from the languages the current groups share: a random walk, then a tabu search whose
 * every step moves the member whose
 * move to another of its languages (or to none) needs the fewest language-less groups, then the
 * fewest members in them, even when that is worse than before, and that member stays put for a
 * few steps. The members considered are those now in language-less groups, every bilingual of a
 * small language, and a sample of the bilinguals of each large one.
 */
export function planLanguages(problem: Encoded, groups: Groups, trios: number, pairs: number, random: Random, steps: number): LanguagePlan {
  const n = problem.n;
  const { start, data } = problem.languages;
  const languages = languageCount(problem);
  const speakers = new Int32Array(languages);
  for (const l of data) speakers[l]!++;
  const sizes = new Int32Array(languages);
  const language = new Int32Array(n);
  for (let i = 0; i < n; i++) language[i] = sharedLanguage(problem, groups, speakers, i);
  let unplaced = 0;
  for (let i = 0; i < n; i++) {
    if (language[i]! >= 0) sizes[language[i]!]!++;
    else unplaced++;
  }
  // Fewest language-less groups, then fewest members in them: the second guides the search between
  // plans that need as many groups.
  const cost = (): number => {
    const split = splitLanguages(sizes, unplaced, trios, pairs);
    return split === undefined ? Infinity : split.languageless * (n + 1) + split.dropped;
  };
  const move = (a: number, b: number): void => {
    if (a >= 0) sizes[a]!--;
    else unplaced--;
    if (b >= 0) sizes[b]!++;
    else unplaced++;
  };
  const movable: number[] = [];
  const sampled = new Int32Array(languages);
  for (let i = 0; i < n; i++) {
    const options = start[i + 1]! - start[i]!;
    let small = false;
    for (let p = start[i]!; p < start[i + 1]!; p++) if (speakers[data[p]!]! <= SMALL_LANGUAGE) small = true;
    if (language[i]! < 0 || (options > 1 && small)) movable.push(i);
    else if (options > 1) {
      const l = data[start[i]! + Math.floor(random() * options)]!;
      if (sampled[l]! < SAMPLED_BILINGUALS) {
        sampled[l]!++;
        movable.push(i);
      }
    }
  }
  let current = cost();
  let best = current;
  let bestLanguage = language.slice();
  // First a random walk that takes every move needing no more (and now and then slightly more)...
  for (let step = 0; step < 25 * steps && best >= n + 1 && movable.length > 0; step++) {
    const i = movable[Math.floor(random() * movable.length)]!;
    const options = start[i + 1]! - start[i]!;
    const pick = Math.floor(random() * (options + 1));
    const to = pick === options ? -1 : data[start[i]! + pick]!;
    const from = language[i]!;
    if (to === from) continue;
    move(from, to);
    const after = cost();
    if (after <= current || (after <= current + 2 && random() < 0.05)) {
      language[i] = to;
      current = after;
      if (current < best) {
        best = current;
        bestLanguage = language.slice();
      }
    } else move(to, from);
  }
  // ...then, from the best plan it found, a tabu search that weighs every move at each step.
  for (let i = 0; i < n; i++) {
    move(language[i]!, bestLanguage[i]!);
    language[i] = bestLanguage[i]!;
  }
  current = best;
  const tabuUntil = new Int32Array(n);
  const speaksDeficient = (i: number, deficient: Uint8Array): boolean => {
    if (language[i]! < 0) return true;
    for (let p = start[i]!; p < start[i + 1]!; p++) if (deficient[data[p]!] === 1) return true;
    return false;
  };
  for (let step = 1; step <= steps && best >= n + 1 && movable.length > 0; step++) {
    let chosen = -1;
    let chosenTo = 0;
    let chosenCost = Infinity;
    // Only moves touching a language that drops members (or members without one) can help.
    const split = splitLanguages(sizes, unplaced, trios, pairs);
    const deficient = new Uint8Array(languages);
    if (split !== undefined) for (let l = 0; l < languages; l++) if (split.drop[l]! > 0) deficient[l] = 1;
    for (let i = 0; i < n; i++) if (language[i]! < 0) for (let p = start[i]!; p < start[i + 1]!; p++) deficient[data[p]!] = 1;
    // A few others as well: a language that drops nobody may still have to pass a member along.
    const candidates = movable.filter((i) => speaksDeficient(i, deficient) || random() < OTHERS_TRIED / movable.length);
    for (const i of candidates) {
      const from = language[i]!;
      for (let p = start[i]!; p <= start[i + 1]!; p++) {
        const to = p === start[i + 1]! ? -1 : data[p]!;
        if (to === from) continue;
        move(from, to);
        const after = cost();
        move(to, from);
        // A tabu member may still move if that makes the best plan yet.
        if (tabuUntil[i]! > step && after >= best) continue;
        if (after < chosenCost || (after === chosenCost && random() < 0.5)) {
          chosen = i;
          chosenTo = to;
          chosenCost = after;
        }
      }
    }
    if (chosen < 0) break;
    move(language[chosen]!, chosenTo);
    language[chosen] = chosenTo;
    current = chosenCost;
    tabuUntil[chosen] = step + 3 + Math.floor(random() * 5);
    if (current < best) {
      best = current;
      bestLanguage = language.slice();
    }
  }
  return { language: bestLanguage, languageless: Math.floor(best / (n + 1)) };
}

/** The language member i's group shares (the one with most speakers, if several), or -1 if none. */
function sharedLanguage(problem: Encoded, groups: Groups, speakers: Int32Array, i: number): number {
  const { start, data } = problem.languages;
  const g = groups.groupOf[i]!;
  let chosen = -1;
  for (let p = start[i]!; p < start[i + 1]!; p++) {
    const l = data[p]!;
    let shared = true;
    for (let r = 0; r < groups.size[g]!; r++) {
      const v = groups.members[g * 3 + r]!;
      if (v !== i && !speaks(problem, v, l)) shared = false;
    }
    if (shared && (chosen < 0 || speakers[l]! > speakers[chosen]!)) chosen = l;
  }
  return chosen;
}

function speaks(problem: Encoded, i: number, l: number): boolean {
  const { start, data } = problem.languages;
  for (let p = start[i]!; p < start[i + 1]!; p++) if (data[p] === l) return true;
  return false;
}

/**
 * Regroups according to `plan`, touching as little as it can: the groups of members whose planned
 * language differs from the one their group shares are dissolved, with every language-less group,
 * plus (while the loose members do not split well) one more group of each language they are
 * planned in. The loose members are then grouped again within their planned language, greedily by
 * weight, and those planned without one form the language-less groups. The number of groups of
 * each size stays the same. Returns false, changing nothing, if no such regrouping needs as few
 * language-less groups as the plan.
 */
export function applyPlan(problem: Encoded, groups: Groups, plan: LanguagePlan): boolean {
  const n = problem.n;
  const languages = languageCount(problem);
  const speakers = new Int32Array(languages);
  for (const l of problem.languages.data) speakers[l]!++;
  const shared = new Int32Array(n);
  for (let i = 0; i < n; i++) shared[i] = sharedLanguage(problem, groups, speakers, i);
  const dissolved = new Set<number>();
  for (let i = 0; i < n; i++) if (shared[i] !== plan.language[i] || shared[i]! < 0) dissolved.add(groups.groupOf[i]!);
  // The rarer group size is where the plan moves things around most: offer every such group.
  let trioGroups = 0;
  for (let g = 0; g < groups.count; g++) if (groups.size[g] === 3) trioGroups++;
  const rarer = trioGroups * 2 >= groups.count ? 2 : 3;
  if (Math.min(trioGroups, groups.count - trioGroups) <= 2)
    for (let g = 0; g < groups.count; g++) if (groups.size[g] === rarer) dissolved.add(g);
  for (let round = 0; round < 16; round++) {
    const loose: number[] = [];
    let trios = 0;
    let pairs = 0;
    for (const g of dissolved) {
      for (let r = 0; r < groups.size[g]!; r++) loose.push(groups.members[g * 3 + r]!);
      if (groups.size[g] === 3) trios++;
      else pairs++;
    }
    const sizes = new Int32Array(languages);
    let unplaced = 0;
    for (const v of loose) {
      if (plan.language[v]! >= 0) sizes[plan.language[v]!]!++;
      else unplaced++;
    }
    const split = splitLanguages(sizes, unplaced, trios, pairs);
    if (split !== undefined && split.languageless <= plan.languageless) {
      regroup(problem, groups, [...dissolved], loose, plan, split, trios, pairs);
      return true;
    }
    // Widen: one more intact group of each language the loose members are planned in.
    let grew = false;
    for (let l = 0; l < languages; l++) {
      if (sizes[l] === 0) continue;
      for (let g = 0; g < groups.count; g++) {
        if (dissolved.has(g)) continue;
        const v = groups.members[g * 3]!;
        if (shared[v] === l && plan.language[v] === l) {
          dissolved.add(g);
          grew = true;
          break;
        }
      }
    }
    if (!grew) return false;
  }
  return false;
}

function regroup(
  problem: Encoded,
  groups: Groups,
  slots: readonly number[],
  loose: readonly number[],
  plan: LanguagePlan,
  split: Split,
  trios: number,
  pairs: number,
): void {
  const languages = split.drop.length;
  const countPairs = pairs <= trios;
  const { start } = problem.languages;
  const byLanguage: number[][] = Array.from({ length: languages }, () => []);
  const none: number[] = [];
  for (const v of loose) (plan.language[v]! >= 0 ? byLanguage[plan.language[v]!]! : none).push(v);
  const formed: number[][] = [];
  let usedTrios = 0;
  let usedPairs = 0;
  for (let l = 0; l < languages; l++) {
    const members = byLanguage[l]!;
    if (members.length === 0) continue;
    // Members with other languages too are the ones dropped to the language-less groups.
    members.sort((a, b) => start[a + 1]! - start[a]! - (start[b + 1]! - start[b]!) || a - b);
    for (let d = 0; d < split.drop[l]!; d++) none.push(members.pop()!);
    const minority = split.take[l]!;
    const languageTrios = countPairs ? (members.length - 2 * minority) / 3 : minority;
    const languagePairs = countPairs ? minority : (members.length - 3 * minority) / 2;
    formed.push(...greedyGroups(groups, members, languageTrios, languagePairs));
    usedTrios += languageTrios;
    usedPairs += languagePairs;
  }
  formed.push(...greedyGroups(groups, none, trios - usedTrios, pairs - usedPairs));
  const trioSlots = slots.filter((g) => groups.size[g] === 3);
  const pairSlots = slots.filter((g) => groups.size[g] === 2);
  for (const f of formed) {
    if (f.length === 3) groups.set(trioSlots.pop()!, f[0]!, f[1]!, f[2]!);
    else groups.set(pairSlots.pop()!, f[0]!, f[1]!, -1);
  }
}

/**
 * `members` split into `trios` trios and `pairs` pairs greedily: the heaviest group among those
 * left, again and again. Any members left split into the remaining counts in any order, so the
 * greedy never dead-ends.
 */
function greedyGroups(groups: Groups, members: readonly number[], trios: number, pairs: number): number[][] {
  const candidates: { weight: number; group: number[] }[] = [];
  const m = members.length;
  if (m <= 40) {
    for (let a = 0; a < m; a++) {
      for (let b = a + 1; b < m; b++) {
        if (pairs > 0) candidates.push({ weight: groups.weightOf(members[a]!, members[b]!, -1), group: [members[a]!, members[b]!] });
        if (trios === 0) continue;
        for (let c = b + 1; c < m; c++) {
          candidates.push({
            weight: groups.weightOf(members[a]!, members[b]!, members[c]!),
            group: [members[a]!, members[b]!, members[c]!],
          });
        }
      }
    }
  }
  candidates.sort((x, y) => y.weight - x.weight);
  const used = new Set<number>();
  const result: number[][] = [];
  let trioLeft = trios;
  let pairLeft = pairs;
  for (const { group } of candidates) {
    if (group.length === 3 ? trioLeft === 0 : pairLeft === 0) continue;
    if (group.some((v) => used.has(v))) continue;
    for (const v of group) used.add(v);
    result.push(group);
    if (group.length === 3) trioLeft--;
    else pairLeft--;
  }
  const rest = members.filter((v) => !used.has(v));
  let at = 0;
  for (; trioLeft > 0; trioLeft--, at += 3) result.push([rest[at]!, rest[at + 1]!, rest[at + 2]!]);
  for (; pairLeft > 0; pairLeft--, at += 2) result.push([rest[at]!, rest[at + 1]!]);
  return result;
}
