/**
 * Synthetic member populations for the benchmark, in four kinds:
 * - `realistic`: the skew of a real community server: a few big languages and a long tail of small
 *   ones (most small-language speakers also speak a big one), cultures and curiosities drawn with a
 *   Zipf-like skew, time zones clustered in four regions, about 20% of each field left empty;
 * - `islands`: four language islands of unequal size, each with cultures of its own and curious
 *   mostly about the other islands, bridged by a few bilinguals;
 * - `monoculture`: one language and one culture only, so the waking hours and interests decide;
 * - `half-empty`: the realistic kind with half the members' profiles left entirely empty.
 */
import { LANGUAGE_CODES, REGION_CODES } from '../src/core/languageCodes.ts';
import { seededRandom } from '../src/core/random.ts';
import type { Random } from '../src/core/random.ts';
import type { MatchCandidate } from '../src/core/matching.ts';

const BIG_LANGUAGES = ['en', 'es', 'fr'] as const;
const BIG_WEIGHTS = [0.5, 0.3, 0.2];
const SMALL_LANGUAGES = LANGUAGE_CODES.filter((code) => !(BIG_LANGUAGES as readonly string[]).includes(code)).slice(0, 40);
const CULTURES = REGION_CODES.slice(0, 60);
const INTERESTS = Array.from({ length: 50 }, (_, i) => `interest-${i + 1}`);
/** [mean offset in minutes, spread in minutes, share of members]. */
const REGIONS: readonly (readonly [number, number, number])[] = [
  [-300, 120, 0.3], // the Americas
  [60, 60, 0.4], // Europe and Africa
  [330, 30, 0.1], // South Asia
  [480, 90, 0.2], // East Asia and Oceania
];
const EMPTY = 0.2;

export const DEFAULT_LANGUAGE = 'en';

export const POPULATION_KINDS = ['realistic', 'islands', 'monoculture', 'half-empty'] as const;
export type PopulationKind = (typeof POPULATION_KINDS)[number];

/** A population of `n` members of the given kind, the same for the same seed. */
export function generatePopulation(n: number, seed: string, kind: PopulationKind = 'realistic'): MatchCandidate[] {
  switch (kind) {
    case 'realistic':
      return realistic(n, seed);
    case 'islands':
      return islands(n, seed);
    case 'monoculture':
      return monoculture(n, seed);
    case 'half-empty': {
      const random = seededRandom(`half-empty:${seed}`);
      return realistic(n, seed).map((member) =>
        random() < 0.5
          ? { userId: member.userId, languages: [], cultures: [], curiousAbout: [], interests: [], utcOffsetMinutes: undefined }
          : member,
      );
    }
  }
}

function userId(i: number): string {
  return `${100000000000000000n + BigInt(i) * 7919n}`;
}

const ISLAND_SHARES = [0.4, 0.3, 0.2, 0.1];
const ISLAND_OFFSETS = [-300, 60, 330, 480];
const BILINGUAL = 0.04;

function islands(n: number, seed: string): MatchCandidate[] {
  const random = seededRandom(`islands:${seed}`);
  const members: MatchCandidate[] = [];
  for (let i = 0; i < n; i++) {
    const island = weighted(ISLAND_SHARES, random);
    const languages = [`island-${island + 1}`];
    if (random() < BILINGUAL) {
      const other = (island + 1 + Math.floor(random() * (ISLAND_SHARES.length - 1))) % ISLAND_SHARES.length;
      languages.push(`island-${other + 1}`);
    }
    const culture = `culture-${island + 1}-${1 + Math.floor(random() * 3)}`;
    const curious = new Set<string>();
    for (let c = 1 + Math.floor(random() * 3); c > 0; c--) {
      const target = random() < 0.7 ? Math.floor(random() * ISLAND_SHARES.length) : island;
      const name = `culture-${target + 1}-${1 + Math.floor(random() * 3)}`;
      if (name !== culture) curious.add(name);
    }
    const interests = new Set<string>();
    for (let c = Math.floor(random() * 5); c > 0; c--) interests.add(INTERESTS[Math.floor(random() * INTERESTS.length)]!);
    members.push({
      userId: userId(i),
      languages,
      cultures: [culture],
      curiousAbout: [...curious],
      interests: [...interests],
      utcOffsetMinutes: Math.round((ISLAND_OFFSETS[island]! + (random() * 2 - 1) * 120) / 30) * 30,
    });
  }
  return members;
}

function monoculture(n: number, seed: string): MatchCandidate[] {
  const random = seededRandom(`monoculture:${seed}`);
  const members: MatchCandidate[] = [];
  for (let i = 0; i < n; i++) {
    const interests = new Set<string>();
    for (let c = Math.floor(random() * 5); c > 0; c--) interests.add(INTERESTS[Math.floor(random() * INTERESTS.length)]!);
    const region =
      REGIONS[
        weighted(
          REGIONS.map((r) => r[2]),
          random,
        )
      ]!;
    members.push({
      userId: userId(i),
      languages: ['en'],
      cultures: ['culture-1'],
      curiousAbout: random() < 0.5 ? ['culture-1'] : [],
      interests: [...interests],
      utcOffsetMinutes: Math.round((region[0] + (random() * 2 - 1) * region[1]) / 30) * 30,
    });
  }
  return members;
}

function realistic(n: number, seed: string): MatchCandidate[] {
  const random = seededRandom(`population:${seed}`);
  const smallZipf = zipfWeights(SMALL_LANGUAGES.length, 1);
  const cultureZipf = zipfWeights(CULTURES.length, 1);
  const members: MatchCandidate[] = [];
  for (let i = 0; i < n; i++) {
    const languages = new Set<string>();
    const bigFirst = random() < 0.6;
    let homeCulture: number;
    if (bigFirst) {
      const big = weighted(BIG_WEIGHTS, random);
      languages.add(BIG_LANGUAGES[big]!);
      if (random() < 0.25) languages.add(BIG_LANGUAGES[weighted(BIG_WEIGHTS, random)]!);
      homeCulture = weighted(cultureZipf, random);
    } else {
      const small = weighted(smallZipf, random);
      languages.add(SMALL_LANGUAGES[small]!);
      if (random() < 0.8) languages.add(BIG_LANGUAGES[weighted(BIG_WEIGHTS, random)]!);
      // Small-language speakers mostly share the culture that goes with their language.
      homeCulture = random() < 0.7 ? (small + 20) % CULTURES.length : weighted(cultureZipf, random);
    }
    const cultures = new Set([CULTURES[homeCulture]!]);
    if (random() < 0.25) cultures.add(CULTURES[weighted(cultureZipf, random)]!);
    const curious = new Set<string>();
    const curiousCount = 1 + Math.floor(random() * 4);
    for (let c = 0; c < curiousCount; c++) {
      const index = random() < 0.5 ? Math.floor(random() * CULTURES.length) : weighted(cultureZipf, random);
      if (!cultures.has(CULTURES[index]!)) curious.add(CULTURES[index]!);
    }
    const interests = new Set<string>();
    const interestCount = Math.floor(random() * 5);
    for (let c = 0; c < interestCount; c++) interests.add(INTERESTS[Math.floor(random() * INTERESTS.length)]!);
    const region =
      REGIONS[
        weighted(
          REGIONS.map((r) => r[2]),
          random,
        )
      ]!;
    const offset = Math.round((region[0] + (random() * 2 - 1) * region[1]) / 30) * 30;

    members.push({
      userId: userId(i),
      languages: random() < EMPTY ? [] : [...languages],
      cultures: random() < EMPTY ? [] : [...cultures],
      curiousAbout: random() < EMPTY ? [] : [...curious],
      interests: random() < EMPTY ? [] : [...interests],
      utcOffsetMinutes: random() < EMPTY ? undefined : offset,
    });
  }
  return members;
}

function zipfWeights(count: number, exponent: number): number[] {
  return Array.from({ length: count }, (_, i) => 1 / (i + 1) ** exponent);
}

function weighted(weights: readonly number[], random: Random): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = random() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}
