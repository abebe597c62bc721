import type { Random } from '../random.ts';
import type { Encoded, Scorer } from './encode.ts';
import type { Groups } from './groups.ts';
import type { LanguageIndex } from './repair.ts';
import { popcount } from './repartition.ts';
import { violatingGroups } from './tally.ts';

/** Groups in one region, at most: small enough to search, large enough for moves across six or more groups. */
const MAX_REGION = 10;
const MAX_MEMBERS = 3 * MAX_REGION;
/** The chance that an ejection chain ends at each step (and another starts). */
const CHAIN_END = 0.4;
/** Speakers of a language looked at for members short of partners, and the chance each one's group is taken. */
const SHORT_TRIED = 64;
const SHORT_TAKEN = 0.5;
/** Other violating groups drawn into a region. */
const VIOLATING_TAKEN = 2;
/** Option buckets of the search: zero to three repeats, then groups without a common language. */
const BUCKETS = 5;
/** A language-less group outweighs any number of repeats in a region (at most three per group). */
const LANGUAGE_COST = 4 * MAX_REGION;

/**
 * The violations of the group (a, b, c), or of the pair (a, b) when c < 0: `languageCost` without a
 * common language, and one per pair that met recently.
 */
export function violationsOf(scorer: Scorer, a: number, b: number, c: number, languageCost: number): number {
  if (c < 0) return (scorer.commonLanguage(a, b) ? 0 : languageCost) + (scorer.recent(a, b) ? 1 : 0);
  return (
    (scorer.commonLanguage3(a, b, c) ? 0 : languageCost) +
    (scorer.recent(a, b) ? 1 : 0) +
    (scorer.recent(a, c) ? 1 : 0) +
    (scorer.recent(b, c) ? 1 : 0)
  );
}

/**
 * Large-neighbourhood search on the hard constraints alone. Each attempt takes a region: a
 * violating group, a few other violating groups, and groups of members who could sit with the
 * region's members (a shared language, not met recently), grown at random; then a depth-first
 * search splits the region's members again into groups of the same sizes, looking only at the
 * violations (language-less groups first, then repeated pairs), and applies a split with fewer.
 * This reaches rearrangements the exact re-partitions of three to five groups cannot, such as a
 * group dissolved into three others while three cyclic exchanges pass through it. Weight is left
 * to the searches that follow, which never trade a hard constraint away.
 */
export function violationLns(
  groups: Groups,
  speakers: LanguageIndex,
  problem: Encoded,
  random: Random,
  attempts: number,
  nodeBudget: number,
): void {
  const { scorer, members, size, groupOf } = groups;
  const { languages } = problem;
  const pool = new Int32Array(MAX_MEMBERS);
  const region = new Int32Array(MAX_REGION);
  const inRegion = new Int32Array(groups.count).fill(-1);
  const speaks = new Int32Array(MAX_MEMBERS);
  const recentMask = new Int32Array(MAX_MEMBERS);
  const acceptable = new Int32Array(MAX_MEMBERS);
  // Option lists per depth of the search (a member's options: at most every pair and trio with it).
  const optionSpace = (MAX_MEMBERS * MAX_MEMBERS) / 2 + MAX_MEMBERS;
  const optionLists = new Int32Array(MAX_REGION * optionSpace);
  const sortedLists = new Int32Array(MAX_REGION * optionSpace);
  const optionsAt = (depth: number): Int32Array => optionLists.subarray((depth / 3) * optionSpace, (depth / 3 + 1) * optionSpace);
  const sortedAt = (depth: number): Int32Array => sortedLists.subarray((depth / 3) * optionSpace, (depth / 3 + 1) * optionSpace);
  const chosen = new Int32Array(MAX_MEMBERS);
  const best = new Int32Array(MAX_MEMBERS);

  const groupCost = (g: number): number => violationsOf(scorer, members[g * 3]!, members[g * 3 + 1]!, members[g * 3 + 2]!, LANGUAGE_COST);

  // A member of h whose place x could take with neither a repeat nor a group without a language (-1: none).
  const hostFor = (h: number, x: number): number => {
    const offset = Math.floor(random() * size[h]!);
    for (let t = 0; t < size[h]!; t++) {
      const z = members[h * 3 + ((t + offset) % size[h]!)]!;
      const [k1, k2] = groups.others(h, z);
      if (scorer.recent(x, k1) || (k2 >= 0 && scorer.recent(x, k2))) continue;
      if (k2 < 0 ? scorer.commonLanguage(x, k1) : scorer.commonLanguage3(x, k1, k2)) return z;
    }
    return -1;
  };

  // Members with fewer than two partners they could sit with (a shared language, not met recently) in the whole round.
  const short = new Uint8Array(problem.n);
  for (let x = 0; x < problem.n; x++) {
    let found = 0;
    for (let p = languages.start[x]!; p < languages.start[x + 1]! && found < 2; p++) {
      const l = languages.data[p]!;
      for (let q = speakers.start[l]!; q < speakers.start[l + 1]! && found < 2; q++) {
        const y = speakers.members[q]!;
        if (y !== x && !scorer.recent(x, y)) found++;
      }
    }
    short[x] = found < 2 ? 1 : 0;
  }
  let violating = violatingGroups(groups);
  for (let attempt = 0; attempt < attempts && violating.length > 0; attempt++) {
    const g0 = violating[attempt % violating.length]!;
    if (groupCost(g0) === 0) {
      violating = violatingGroups(groups);
      continue;
    }
    const target = 6 + Math.floor(random() * (MAX_REGION - 5));
    let count = 0;
    const take = (g: number): void => {
      if (inRegion[g] === attempt || count >= target) return;
      inRegion[g] = attempt;
      region[count++] = g;
    };
    take(g0);
    // Groups of other members short of acceptable partners who share a language with one of g0's:
    // gathered in one group, their repeats can overlap.
    for (let r = 0; r < size[g0]! && count < target; r++) {
      const x = members[g0 * 3 + r]!;
      if (short[x] === 0) continue;
      for (let p = languages.start[x]!; p < languages.start[x + 1]!; p++) {
        const l = languages.data[p]!;
        const first = speakers.start[l]!;
        const span = speakers.start[l + 1]! - first;
        for (let t = 0; t < Math.min(span, SHORT_TRIED); t++) {
          const y = speakers.members[first + (span <= SHORT_TRIED ? t : Math.floor(random() * span))]!;
          if (short[y] !== 0 && random() < SHORT_TAKEN) take(groupOf[y]!);
        }
      }
    }
    // A couple of other violating groups: two relaxations may merge into one.
    for (let t = 0; t < VIOLATING_TAKEN && violating.length > 1; t++) take(violating[Math.floor(random() * violating.length)]!);
    const seeds = count;
    // Then random ejection chains from the members of those groups: a group that could take one in
    // place of one of its own, then a group for the one displaced, and so on. These are the groups
    // an exchange passes through; the search below finds how.
    let x = -1;
    for (let tries = 0; count < target && tries < 16 * MAX_REGION; tries++) {
      if (x < 0 || random() < CHAIN_END) {
        const g = region[Math.floor(random() * seeds)]!;
        x = members[g * 3 + Math.floor(random() * size[g]!)]!;
      }
      const from = languages.start[x]!;
      const spoken = languages.start[x + 1]! - from;
      if (spoken === 0) {
        x = -1;
        continue;
      }
      const l = languages.data[from + Math.floor(random() * spoken)]!;
      const first = speakers.start[l]!;
      const span = speakers.start[l + 1]! - first;
      const h = groupOf[speakers.members[first + Math.floor(random() * span)]!]!;
      if (inRegion[h] === attempt) continue;
      const z = hostFor(h, x);
      if (z < 0) continue;
      take(h);
      x = z;
    }

    let m = 0;
    let trios = 0;
    let current = 0;
    for (let t = 0; t < count; t++) {
      const g = region[t]!;
      for (let r = 0; r < size[g]!; r++) pool[m++] = members[g * 3 + r]!;
      if (size[g] === 3) trios++;
      current += groupCost(g);
    }
    const pairs = count - trios;
    // Bit masks over the pool (at most 30 members): who shares a language with whom, who met recently.
    for (let a = 0; a < m; a++) {
      speaks[a] = 0;
      recentMask[a] = 0;
    }
    for (let a = 0; a < m; a++) {
      for (let b = a + 1; b < m; b++) {
        if (scorer.commonLanguage(pool[a]!, pool[b]!)) {
          speaks[a]! |= 1 << b;
          speaks[b]! |= 1 << a;
        }
        if (scorer.recent(pool[a]!, pool[b]!)) {
          recentMask[a]! |= 1 << b;
          recentMask[b]! |= 1 << a;
        }
      }
    }
    for (let a = 0; a < m; a++) acceptable[a] = speaks[a]! & ~recentMask[a]!;

    let bestCost = current;
    let found = false;
    let nodes = 0;
    const bucketStart = new Int32Array(BUCKETS + 1);
    // chosen[] holds the split being built as consecutive groups, -1 ending a pair.
    const search = (depth: number, cost: number, free: number, triosLeft: number, pairsLeft: number): void => {
      if (nodes++ > nodeBudget) return;
      if (free === 0) {
        bestCost = cost;
        found = true;
        best.set(chosen.subarray(0, depth));
        return;
      }
      // The member with the fewest acceptable partners left goes first. Each member short of
      // acceptable partners for its group costs at least one unacceptable pair, and one such pair
      // covers at most two of them.
      const wanted = pairsLeft > 0 ? 1 : 2;
      let short = 0;
      let a = -1;
      let fewest = 64;
      for (let rest = free; rest !== 0; rest &= rest - 1) {
        const u = 31 - Math.clz32(rest & -rest);
        const k = popcount(acceptable[u]! & free);
        if (k < wanted) short += wanted - k;
        if (k < fewest) {
          fewest = k;
          a = u;
        }
      }
      const room = bestCost - cost - Math.ceil(short / 2);
      if (room <= 0) return;
      const others = free & ~(1 << a);
      // Options, each packed as (cost * 64 + b) * 64 + c (c = 63 for a pair), bucketed by cost: 0 to
      // 3 repeats, then anything without a language.
      const options = optionsAt(depth);
      let total = 0;
      const counts = bucketStart.fill(0);
      const push = (c: number, packed: number): void => {
        if (c >= room) return;
        options[total++] = c * 4096 + packed;
        counts[(c >= LANGUAGE_COST ? BUCKETS - 1 : c) + 1]!++;
      };
      for (let restB = others; restB !== 0; restB &= restB - 1) {
        const bit = restB & -restB;
        const b = 31 - Math.clz32(bit);
        const abRepeat = (recentMask[a]! & bit) !== 0 ? 1 : 0;
        const abSpeak = (speaks[a]! & bit) !== 0;
        if (pairsLeft > 0) push((abSpeak ? 0 : LANGUAGE_COST) + abRepeat, b * 64 + 63);
        if (triosLeft === 0) continue;
        for (let restC = restB & (restB - 1); restC !== 0; restC &= restC - 1) {
          const cBit = restC & -restC;
          const c = 31 - Math.clz32(cBit);
          const repeats = abRepeat + ((recentMask[a]! & cBit) !== 0 ? 1 : 0) + ((recentMask[b]! & cBit) !== 0 ? 1 : 0);
          if (repeats >= room) continue;
          const language =
            abSpeak && (speaks[a]! & cBit) !== 0 && (speaks[b]! & cBit) !== 0 && scorer.commonLanguage3(pool[a]!, pool[b]!, pool[c]!);
          push((language ? 0 : LANGUAGE_COST) + repeats, b * 64 + c);
        }
      }
      // A counting sort by bucket; within one, the order found.
      for (let t = 0; t < BUCKETS; t++) counts[t + 1]! += counts[t]!;
      const sorted = sortedAt(depth);
      for (let t = 0; t < total; t++) {
        const cost = options[t]! >> 12;
        sorted[counts[cost >= LANGUAGE_COST ? BUCKETS - 1 : cost]!++] = options[t]!;
      }
      for (let t = 0; t < total; t++) {
        const groupCost = sorted[t]! >> 12;
        const b = (sorted[t]! >> 6) & 63;
        const c = sorted[t]! & 63;
        if (cost + groupCost >= bestCost || nodes > nodeBudget) break;
        chosen[depth] = a;
        chosen[depth + 1] = b;
        chosen[depth + 2] = c === 63 ? -1 : c;
        if (c === 63) search(depth + 3, cost + groupCost, others & ~(1 << b), triosLeft, pairsLeft - 1);
        else search(depth + 3, cost + groupCost, others & ~(1 << b) & ~(1 << c), triosLeft - 1, pairsLeft);
      }
    };
    search(0, 0, (1 << m) - 1, trios, pairs);
    if (!found) continue;
    let next = 0;
    for (let t = 0; t < count; t++) {
      const a = best[next]!;
      const b = best[next + 1]!;
      const c = best[next + 2]!;
      next += 3;
      groups.set(region[t]!, pool[a]!, pool[b]!, c < 0 ? -1 : pool[c]!);
    }
    violating = violatingGroups(groups);
  }
}
