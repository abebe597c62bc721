import type { Random } from '../random.ts';
import type { Encoded, Scorer } from './encode.ts';

/**
 * Buckets up to this size are scanned exhaustively: the scan costs at most this many scores per
 * member, and it makes small servers (the common case) see every compatible partner.
 */
const EXHAUSTIVE_BUCKET = 400;
/** How many members to sample from each index list of a large bucket, per kind of list. */
const SAMPLE_MUTUAL = 12;
const SAMPLE_ONE_WAY = 6;
const SAMPLE_NEAR = 8;
const SAMPLE_RANDOM = 6;

/** Each member's best few partners found, best first; `partner[i * k + t]` is -1 past `count[i]`. */
export interface TopLists {
  readonly k: number;
  readonly count: Int32Array;
  readonly partner: Int32Array;
  readonly weight: Float64Array;
}

interface SortedList {
  readonly items: Int32Array;
  /** Items with a known waking window come first, sorted by its start; the rest follow. */
  readonly known: number;
}

/**
 * For every member of `members`, the `k` partners among `members` with the highest penalised weight
 * that a cheap search finds. Only partners sharing a language are searched: an edge without one is
 * never needed while any other edge exists, and the leftover pass covers the rest.
 *
 * Large language buckets are searched through inverted indexes, because the tiers are dominated by
 * culture ↔ curiosity: lists keyed by (language, culture, curiosity) hold the mutual matches, lists
 * keyed by (language, culture) and (language, curiosity) the one-way ones. Each list is sorted by
 * waking window, so sampling around the member's own position finds partners with long overlaps,
 * the next tier down. `sampling` scales how many members are drawn from each list.
 */
export function findTopPartners(
  problem: Encoded,
  scorer: Scorer,
  members: ArrayLike<number>,
  k: number,
  random: Random,
  sampling = 1,
): TopLists {
  const mutualSample = Math.max(2, Math.round(SAMPLE_MUTUAL * sampling));
  const oneWaySample = Math.max(2, Math.round(SAMPLE_ONE_WAY * sampling));
  const nearSample = Math.max(2, Math.round(SAMPLE_NEAR * sampling));
  const randomSample = Math.max(2, Math.round(SAMPLE_RANDOM * sampling));
  const { languages, cultures, curiosities, wake } = problem;
  const m = members.length;
  const count = new Int32Array(problem.n);
  const partner = new Int32Array(problem.n * k).fill(-1);
  const weight = new Float64Array(problem.n * k);

  let vocabulary = 1;
  for (const value of cultures.data) vocabulary = Math.max(vocabulary, value + 1);
  for (const value of curiosities.data) vocabulary = Math.max(vocabulary, value + 1);

  const buckets = new Map<number, number[]>();
  for (let t = 0; t < m; t++) {
    const i = members[t]!;
    for (let p = languages.start[i]!; p < languages.start[i + 1]!; p++) push(buckets, languages.data[p]!, i);
  }

  const byCulture = new Map<number, number[]>();
  const byCuriosity = new Map<number, number[]>();
  const mutual = new Map<number, number[]>();
  for (const [language, bucket] of buckets) {
    if (bucket.length <= EXHAUSTIVE_BUCKET) continue;
    for (const i of bucket) {
      for (let p = cultures.start[i]!; p < cultures.start[i + 1]!; p++) {
        const culture = cultures.data[p]!;
        push(byCulture, language * vocabulary + culture, i);
        for (let q = curiosities.start[i]!; q < curiosities.start[i + 1]!; q++) {
          push(mutual, (language * vocabulary + culture) * vocabulary + curiosities.data[q]!, i);
        }
      }
      for (let q = curiosities.start[i]!; q < curiosities.start[i + 1]!; q++)
        push(byCuriosity, language * vocabulary + curiosities.data[q]!, i);
    }
  }
  const sorted = (lists: Map<number, number[]>): Map<number, SortedList> => {
    const result = new Map<number, SortedList>();
    for (const [key, list] of lists) result.set(key, sortByWake(list, wake));
    return result;
  };
  const bucketLists = sorted(buckets);
  const cultureLists = sorted(byCulture);
  const curiosityLists = sorted(byCuriosity);
  const mutualLists = sorted(mutual);

  const seen = new Int32Array(problem.n).fill(-1);
  for (let t = 0; t < m; t++) {
    const i = members[t]!;
    const base = i * k;
    let filled = 0;
    const consider = (j: number): void => {
      if (j === i || seen[j] === i) return;
      seen[j] = i;
      filled = insertTopK(weight, partner, base, k, filled, scorer.weight(i, j), j);
    };
    const w = wake[i]!;
    for (let p = languages.start[i]!; p < languages.start[i + 1]!; p++) {
      const language = languages.data[p]!;
      const bucket = bucketLists.get(language);
      if (bucket === undefined) continue;
      if (bucket.items.length <= EXHAUSTIVE_BUCKET) {
        for (const j of bucket.items) consider(j);
        continue;
      }
      for (let q = curiosities.start[i]!; q < curiosities.start[i + 1]!; q++) {
        const wanted = curiosities.data[q]!;
        for (let r = cultures.start[i]!; r < cultures.start[i + 1]!; r++) {
          sampleNear(
            mutualLists.get((language * vocabulary + wanted) * vocabulary + cultures.data[r]!),
            w,
            mutualSample,
            wake,
            random,
            consider,
          );
        }
        sampleNear(cultureLists.get(language * vocabulary + wanted), w, oneWaySample, wake, random, consider);
      }
      for (let r = cultures.start[i]!; r < cultures.start[i + 1]!; r++) {
        sampleNear(curiosityLists.get(language * vocabulary + cultures.data[r]!), w, oneWaySample, wake, random, consider);
      }
      sampleNear(bucket, w, nearSample, wake, random, consider);
      sampleNear(bucket, -1, randomSample, wake, random, consider);
    }
    count[i] = filled;
  }
  return { k, count, partner, weight };
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function sortByWake(list: number[], wake: Int32Array): SortedList {
  // Stable sort: members with equal windows keep the seeded shuffle order, so windows sample fairly.
  const items = Int32Array.from(list.slice().sort((a, b) => key(wake[a]!) - key(wake[b]!)));
  let known = 0;
  while (known < items.length && wake[items[known]!]! >= 0) known++;
  return { items, known };
}

function key(w: number): number {
  return w < 0 ? 1e9 : w;
}

/**
 * Offers `count` members of `list` to `take`: those whose waking windows start nearest to `w`
 * (circularly, from a random point among equal windows), or a random run when `w` is unknown.
 */
function sampleNear(
  list: SortedList | undefined,
  w: number,
  count: number,
  wake: Int32Array,
  random: Random,
  take: (j: number) => void,
): void {
  if (list === undefined) return;
  const { items, known } = list;
  const length = items.length;
  if (length <= count) {
    for (const j of items) take(j);
    return;
  }
  if (w < 0 || known === 0) {
    const start = Math.floor(random() * length);
    for (let t = 0; t < count; t++) take(items[(start + t) % length]!);
    return;
  }
  if (known <= count) {
    for (let t = 0; t < known; t++) take(items[t]!);
    const rest = length - known;
    const start = Math.floor(random() * rest);
    for (let t = 0; t < count - known; t++) take(items[known + ((start + t) % rest)]!);
    return;
  }
  let lo = 0;
  let hi = known;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (wake[items[mid]!]! < w) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  hi = known;
  while (end < hi) {
    const mid = (end + hi) >> 1;
    if (wake[items[mid]!]! <= w) end = mid + 1;
    else hi = mid;
  }
  const centre = lo + Math.floor(random() * (end - lo + 1));
  const start = centre - (count >> 1);
  for (let t = 0; t < count; t++) take(items[(((start + t) % known) + known) % known]!);
}

/**
 * Each member's best few partners who share no language with them: searched only when some
 * language violation is unavoidable, so that the matcher can choose *which* pairs give up the
 * common language (e.g. the one where both sides' culture and curiosity meet) rather than
 * keeping whichever the leftovers produced.
 */
export function findCrossLanguagePartners(problem: Encoded, scorer: Scorer, k: number, random: Random): TopLists {
  const n = problem.n;
  const count = new Int32Array(n);
  const partner = new Int32Array(n * k).fill(-1);
  const weight = new Float64Array(n * k);
  const exhaustive = n <= 2000;
  const samples = exhaustive ? n : 64;
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let filled = 0;
    for (let t = 0; t < samples; t++) {
      const j = exhaustive ? t : Math.floor(random() * n);
      if (j === i || scorer.commonLanguage(i, j)) continue;
      let duplicate = false;
      for (let r = 0; r < filled; r++) if (partner[base + r] === j) duplicate = true;
      if (duplicate) continue;
      filled = insertTopK(weight, partner, base, k, filled, scorer.weight(i, j), j);
    }
    count[i] = filled;
  }
  return { k, count, partner, weight };
}

/** Both lists of every member in one, `a`'s entries first. */
export function mergeTopLists(a: TopLists, b: TopLists): TopLists {
  const k = a.k + b.k;
  const n = a.count.length;
  const count = new Int32Array(n);
  const partner = new Int32Array(n * k).fill(-1);
  const weight = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (const list of [a, b]) {
      for (let r = 0; r < list.count[i]!; r++) {
        partner[i * k + c] = list.partner[i * list.k + r]!;
        weight[i * k + c++] = list.weight[i * list.k + r]!;
      }
    }
    count[i] = c;
  }
  return { k, count, partner, weight };
}

/**
 * Inserts partner `j` with weight `w` into the descending top-`k` list at `base`, which holds
 * `filled` entries; returns the new count. A weight no better than the current k-th is dropped.
 */
function insertTopK(weight: Float64Array, partner: Int32Array, base: number, k: number, filled: number, w: number, j: number): number {
  if (filled === k && w <= weight[base + k - 1]!) return filled;
  const count = filled < k ? filled + 1 : k;
  let at = count - 1;
  while (at > 0 && weight[base + at - 1]! < w) {
    weight[base + at] = weight[base + at - 1]!;
    partner[base + at] = partner[base + at - 1]!;
    at--;
  }
  weight[base + at] = w;
  partner[base + at] = j;
  return count;
}
