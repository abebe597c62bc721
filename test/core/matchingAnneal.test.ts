import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchMembers } from '../../src/core/matching.ts';
import type { MatchOptions } from '../../src/core/matching.ts';
import { annealSwaps } from '../../src/core/matching/anneal.ts';
import { Groups } from '../../src/core/matching/groups.ts';
import { tallyGroups } from '../../src/core/matching/tally.ts';
import { seededRandom } from '../../src/core/random.ts';
import { groupingValue } from '../support/exactGrouping.ts';
import { completeAdjacency, matrixScorer, partition, ring, ringGroups } from '../support/matrixGroups.ts';
import { randomHistory } from '../../bench/history.ts';
import { DEFAULT_LANGUAGE, generatePopulation } from '../../bench/population.ts';

describe('simulated annealing over swaps', () => {
  it('reaches the ring of trios’ optimum, where every descent stops at the start', () => {
    // Only all ten x moving on at once gains; every single swap from the start loses.
    const weights = ring(10);
    const groups = ringGroups(matrixScorer({ weights }), 10);
    expect(groups.total).toBe(1500);
    annealSwaps(groups, completeAdjacency(weights), seededRandom('ring'), 100_000, 200, 2);
    expect(groups.total).toBe(2000);
  });

  it('ends at the best grouping it met, however far the walk went below it', () => {
    // A walk so hot it accepts nearly every swap: the start, a local optimum, is where it must end.
    const weights = ring(10);
    const groups = ringGroups(matrixScorer({ weights }), 10);
    const accepted = annealSwaps(groups, completeAdjacency(weights), seededRandom('walk'), 2000, 10_000, 10_000);
    expect(accepted).toBeGreaterThan(1000);
    expect(groups.total).toBe(1500);
    expect(partition(groups)).toEqual(partition(ringGroups(matrixScorer({ weights }), 10)));
  });

  it('accepts no swap that adds a relaxation, even when the draw that decides is 0', () => {
    // Two trios; every pair across them met recently, and weighs far more than a pair within.
    const weights = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? 0 : i < 3 === j < 3 ? 10 : 500)));
    const recent = (a: number, b: number): boolean => a < 3 !== b < 3;
    const groups = new Groups(6, matrixScorer({ weights, recent }));
    groups.add(0, 1, 2);
    groups.add(3, 4, 5);
    // Draws: member 0, its third partner (3), the last of 3's mates (5), then 0 to decide.
    const draws = [0, 0.5, 0, 0];
    let next = 0;
    const stream = (): number => draws[next++ % draws.length]!;
    expect(annealSwaps(groups, completeAdjacency(weights), stream, 100, 200, 2)).toBe(0);
    expect(partition(groups)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it('never adds a relaxation and never ends below its start (300 random rounds)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 2 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 24 * 24, maxLength: 24 * 24 }),
        fc.array(fc.boolean(), { minLength: 24 * 24, maxLength: 24 * 24 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 24, maxLength: 24 }),
        fc.string(),
        (trios, pairs, scores, recentBits, languageOf, seed) => {
          const n = 3 * trios + 2 * pairs;
          const weights = Array.from({ length: n }, (_, i) =>
            Array.from({ length: n }, (_, j) => scores[Math.min(i, j) * 24 + Math.max(i, j)]!),
          );
          const recent = (a: number, b: number): boolean => recentBits[Math.min(a, b) * 24 + Math.max(a, b)]! && (a + b) % 5 === 0;
          const speak = (a: number, b: number, c: number): boolean => languageOf[a] === languageOf[b] && languageOf[b] === languageOf[c];
          const groups = new Groups(n, matrixScorer({ weights, recent, speak }));
          for (let t = 0; t < trios; t++) groups.add(3 * t, 3 * t + 1, 3 * t + 2);
          for (let p = 0; p < pairs; p++) groups.add(3 * trios + 2 * p, 3 * trios + 2 * p + 1);
          const before = tallyGroups(groups);
          const total = groups.total;
          annealSwaps(groups, completeAdjacency(weights), seededRandom(seed), 2000, 200, 2);
          const after = tallyGroups(groups);
          expect(
            partition(groups)
              .flat()
              .sort((a, b) => a - b),
          ).toEqual(Array.from({ length: n }, (_, i) => i));
          expect(
            partition(groups)
              .map((g) => g.length)
              .sort(),
          ).toEqual([...Array<number>(pairs).fill(2), ...Array<number>(trios).fill(3)]);
          expect(after.languageless).toBeLessThanOrEqual(before.languageless);
          if (after.languageless === before.languageless) expect(after.repeats).toBeLessThanOrEqual(before.repeats);
          expect(groups.total).toBeGreaterThanOrEqual(total);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('annealing in the matcher', () => {
  it('lifts a 200-member trio round beyond the other searches', () => {
    const seed = 'anneal-realistic-200';
    const members = generatePopulation(200, seed);
    const opts: MatchOptions = {
      seed,
      groupSize: 3,
      defaultLanguage: DEFAULT_LANGUAGE,
      recentPairs: randomHistory(members, seed).recentPairs,
    };
    const value = (tuning: { annealMoves?: number }) =>
      groupingValue(
        members,
        matchMembers(members, opts, tuning).groups.map((g) => [...g.memberIds]),
        opts,
      );
    const without = value({ annealMoves: 0 });
    const withAnnealing = value({});
    expect([withAnnealing.languageless, withAnnealing.repeats]).toEqual([without.languageless, without.repeats]);
    // 107,556 without, 108,325 with (+0.7%).
    expect(withAnnealing.score).toBeGreaterThan(1.005 * without.score);
  }, 60_000);
});
