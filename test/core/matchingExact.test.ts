import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchMembers, noveltyDeficit, pairKey, pairWeight } from '../../src/core/matching.ts';
import type { MatchCandidate, MatchOptions } from '../../src/core/matching.ts';
import type { SolveTuning } from '../../src/core/matching/solve.ts';
import { seededRandom } from '../../src/core/random.ts';
import { compareValues, exactGrouping, exactPairing, groupingValue } from '../support/exactGrouping.ts';
import { exactGroupingIp, loadHighsSolver } from '../support/exactGroupingIp.ts';
import { randomHistory, simulatedHistory } from '../../bench/history.ts';
import { DEFAULT_LANGUAGE, generatePopulation } from '../../bench/population.ts';
import type { PopulationKind } from '../../bench/population.ts';

function member(userId: string, languages: string[], fields: Partial<Omit<MatchCandidate, 'userId' | 'languages'>> = {}): MatchCandidate {
  return { userId, languages, cultures: [], curiousAbout: [], interests: [], utcOffsetMinutes: 0, ...fields };
}

function options(overrides: Partial<MatchOptions> = {}): MatchOptions {
  return { seed: 'round-1', groupSize: 2, defaultLanguage: 'l0', recentPairs: new Set(), ...overrides };
}

function groupsOf(members: readonly MatchCandidate[], opts: MatchOptions, tuning: SolveTuning = {}): string[][] {
  return matchMembers(members, opts, tuning).groups.map((g) => [...g.memberIds]);
}

/** A trio round saved from the bench (members and recent pairs), and its options for a seed. */
function trioFixture(name: string): {
  fixture: { members: MatchCandidate[]; recentPairs: string[] };
  round: (seed: string) => MatchOptions;
} {
  const fixture = JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as {
    members: MatchCandidate[];
    recentPairs: string[];
  };
  const recentPairs = new Set(fixture.recentPairs);
  return { fixture, round: (seed) => options({ seed, groupSize: 3, defaultLanguage: 'en', recentPairs }) };
}

const LANGUAGES = ['l0', 'l1', 'l2', 'l3', 'l4', 'l5'];
const CULTURES = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'];

/**
 * Small rounds where the hard constraints bite: six languages (one the default) with up to two
 * per member, and many recent pairs.
 */
const roundArb = (min: number, max: number): fc.Arbitrary<{ members: MatchCandidate[]; recent: Set<string>; groupSize: 2 | 3 }> =>
  fc
    .tuple(fc.integer({ min, max }), fc.constantFrom(2 as const, 3 as const))
    .chain(([n, groupSize]) =>
      fc.tuple(
        fc.tuple(
          ...Array.from({ length: n }, (_, i) =>
            fc
              .record({
                languages: fc.uniqueArray(fc.constantFrom(...LANGUAGES), { maxLength: 2 }),
                cultures: fc.uniqueArray(fc.constantFrom(...CULTURES), { maxLength: 2 }),
                curiousAbout: fc.uniqueArray(fc.constantFrom(...CULTURES), { maxLength: 3 }),
                interests: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 3 }),
                utcOffsetMinutes: fc.option(
                  fc.integer({ min: -11, max: 13 }).map((h) => h * 60),
                  { nil: undefined },
                ),
              })
              .map((fields): MatchCandidate => ({ userId: `p${String(i).padStart(3, '0')}`, ...fields })),
          ),
        ),
        fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n }),
        fc.constant(groupSize),
      ),
    )
    .map(([members, pairs, groupSize]) => ({
      members: [...members],
      recent: new Set(pairs.filter(([a, b]) => a !== b).map(([a, b]) => pairKey(members[a]!.userId, members[b]!.userId))),
      groupSize,
    }));

describe('matchMembers against the exact optimum', () => {
  it('makes one language-less trio in the eight-member case of issue 7, not two', () => {
    const members = [
      member('p000', ['l2']),
      member('p007', ['l2']),
      member('p001', ['l5']),
      member('p006', ['l5']),
      member('p002', ['l3', 'l0']),
      member('p003', ['l3', 'l0']),
      member('p004', ['l0']),
      member('p005', ['l0']),
    ];
    const opts = options({ groupSize: 3 });
    const value = groupingValue(members, groupsOf(members, opts), opts);
    expect(value.languageless).toBe(1);
    expect(value).toEqual(exactGrouping(members, opts).value);
  });

  it('avoids the recent pair in the seven-member case of issue 7', () => {
    const members = ['p000', 'p002', 'p003', 'p004', 'p005', 'p006', 'p007'].map((id) => member(id, ['l0']));
    const opts = options({ groupSize: 3, recentPairs: new Set([pairKey('p000', 'p006')]) });
    const result = matchMembers(members, opts);
    expect(result.relaxed).toEqual([]);
    expect(result.groups.some((g) => g.memberIds.includes('p000') && g.memberIds.includes('p006'))).toBe(false);
    expect(groupingValue(members, groupsOf(members, opts), opts)).toEqual(exactGrouping(members, opts).value);
  });

  it('relaxes no more than the exact optimum, language first, then repeats, for pairs, trios and odd counts', () => {
    fc.assert(
      fc.property(roundArb(2, 13), fc.string({ maxLength: 6 }), ({ members, recent, groupSize }, seed) => {
        const opts = options({ seed, groupSize, recentPairs: recent });
        const ours = groupingValue(members, groupsOf(members, opts), opts);
        const exact = exactGrouping(members, opts).value;
        expect([ours.languageless, ours.repeats]).toEqual([exact.languageless, exact.repeats]);
        expect(ours.score).toBeLessThanOrEqual(exact.score);
      }),
      { numRuns: 300 },
    );
  });

  it('puts novelty first when lastMet is given: as few pairs that met before as the optimum, and as long ago', () => {
    const lastMetArb = (n: number): fc.Arbitrary<[number, number, number][]> =>
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: 1, max: 60 })), { maxLength: 2 * n });
    fc.assert(
      fc.property(
        roundArb(4, 12).chain((round) => lastMetArb(round.members.length).map((met) => ({ ...round, met }))),
        ({ members, recent, groupSize, met }) => {
          const lastMet = new Map<string, number>();
          for (const [a, b, ago] of met) if (a !== b) lastMet.set(pairKey(members[a]!.userId, members[b]!.userId), ago);
          const opts = options({ seed: 'novelty', groupSize, recentPairs: recent, lastMet });
          const weight = (a: MatchCandidate, b: MatchCandidate): number => pairWeight(a, b, opts);
          const deficit = (a: MatchCandidate, b: MatchCandidate): number => noveltyDeficit(lastMet.get(pairKey(a.userId, b.userId)));
          const groups = groupsOf(members, opts);
          const exact = exactGrouping(members, opts, weight);
          const ours = groupingValue(members, groups, opts, weight);
          expect([ours.languageless, ours.repeats]).toEqual([exact.value.languageless, exact.value.repeats]);
          expect(groupingValue(members, groups, opts, deficit).score).toBe(groupingValue(members, exact.groups, opts, deficit).score);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reaches on average at least 99% of the exact objective on small rounds, and never below 90%', () => {
    const random = seededRandom('quality');
    let sum = 0;
    let worst = 1;
    const rounds = 150;
    for (let r = 0; r < rounds; r++) {
      const { members, recent, groupSize } = fc.sample(roundArb(6, 13), { numRuns: 1, seed: Math.floor(random() * 2 ** 31) })[0]!;
      const opts = options({ seed: `q${r}`, groupSize, recentPairs: recent });
      const exact = exactGrouping(members, opts).value;
      const ours = groupingValue(members, groupsOf(members, opts), opts);
      const share = exact.score === 0 ? 1 : ours.score / exact.score;
      sum += share;
      worst = Math.min(worst, share);
    }
    expect(sum / rounds).toBeGreaterThanOrEqual(0.99);
    expect(worst).toBeGreaterThanOrEqual(0.9);
  });

  it('relaxes no more than the integer-programming optimum on rounds of 15 to 24 members', async () => {
    const highs = await loadHighsSolver();
    const samples = fc.sample(roundArb(15, 24), { numRuns: 10, seed: 7 });
    for (const [r, { members, recent, groupSize }] of samples.entries()) {
      const opts = options({ seed: `ip${r}`, groupSize, recentPairs: recent });
      const groups = groupsOf(members, opts);
      const ours = groupingValue(members, groups, opts);
      const exact = exactGroupingIp(highs, members, opts, { incumbent: groups });
      expect(exact.proven).toBe(true);
      expect([ours.languageless, ours.repeats]).toEqual([exact.value.languageless, exact.value.repeats]);
    }
  });

  it('finds the fewest repeats of a 100-member trio round whose relaxations need six groups rearranged at once', async () => {
    // A bench round (realistic profiles, six rounds of history), matched with six seeds. Several
    // starts for the hard constraints, and the search that re-splits regions of up to ten groups,
    // each reach the optimum in all six; without either, one of these seeds keeps an avoidable repeat.
    // (One search of the preferences each, so the restarts do not hide what these two do.)
    const { fixture, round } = trioFixture('trio-round-100');
    const first = groupsOf(fixture.members, round('seed-0'));
    const exact = exactGroupingIp(await loadHighsSolver(), fixture.members, round('seed-0'), { incumbent: first, timeLimit: 60 });
    expect(exact.proven).toBe(true);
    expect([exact.value.languageless, exact.value.repeats]).toEqual([0, 6]);
    for (let s = 0; s < 6; s++) {
      const opts = round(`seed-${s}`);
      const once = groupsOf(fixture.members, opts, { restarts: 1 });
      const ours = groupingValue(fixture.members, once, opts);
      expect([opts.seed, ours.languageless, ours.repeats]).toEqual([opts.seed, 0, 6]);
    }
  }, 120_000);

  it('reaches the optimum of a 100-member trio round where one search stops at 97.7% of it (restarts from the other placements)', async () => {
    const seed = 'ab-realistic-100-a';
    const members = generatePopulation(100, seed);
    const opts = options({ seed, groupSize: 3, defaultLanguage: DEFAULT_LANGUAGE, recentPairs: randomHistory(members, seed).recentPairs });
    const groups = groupsOf(members, opts);
    const exact = exactGroupingIp(await loadHighsSolver(), members, opts, { incumbent: groups, timeLimit: 60 });
    expect(exact.proven).toBe(true);
    expect(groupingValue(members, groups, opts)).toEqual(exact.value);
  }, 60_000);

  it('reaches 99% of the optimum of the bench’s islands trio round of 200, where restarts from the same placement stayed below (perturbed placements)', async () => {
    // Four language islands bridged by eight bilinguals, six rounds of history made by the matcher;
    // nothing needs relaxing. Every start built the same placement, and the searches of the
    // preferences cannot change which island holds the round's pair: seed-0 ended at 98.9% of the
    // optimum from it. The restarts from placements of perturbed weights reach other islands.
    const { fixture, round } = trioFixture('islands-trio-round-200');
    const ours = ['seed-0', 'seed-1'].map((seed) => groupsOf(fixture.members, round(seed)));
    const values = ours.map((groups, s) => groupingValue(fixture.members, groups, round(`seed-${s}`)));
    const incumbent = values[0]!.score >= values[1]!.score ? ours[0]! : ours[1]!;
    const exact = exactGroupingIp(await loadHighsSolver(), fixture.members, round('seed-0'), { incumbent, timeLimit: 400 });
    expect(exact.proven).toBe(true);
    for (const value of values) {
      expect([value.languageless, value.repeats]).toEqual([0, 0]);
      expect(value.score / exact.value.score).toBeGreaterThanOrEqual(0.99);
    }
    const without = groupingValue(
      fixture.members,
      groupsOf(fixture.members, round('seed-0'), { perturbedRestarts: false }),
      round('seed-0'),
    );
    expect(without.score / exact.value.score).toBeLessThan(0.99);
    // HiGHS proves it in 20 to 60 s on a quiet machine of two cores; a CI run beside a bench took
    // longer than 120 s.
  }, 900_000);

  it('leaves no avoidable repeat among rare-language speakers in the bench’s realistic trio round of 200 (rare-language regions)', () => {
    // Realistic profiles, six rounds of history made by the matcher. The repeats sit in small
    // language communities whose members have all met; with this seed the searches left one more
    // than the other seeds do, and only re-splitting several of those groups at once (with the
    // round's pair and the groups of their bilinguals) takes it away.
    const { fixture, round } = trioFixture('realistic-trio-round-200');
    const opts = round('kind-realistic-200-3#4');
    const ours = groupingValue(fixture.members, groupsOf(fixture.members, opts), opts);
    const without = groupingValue(fixture.members, groupsOf(fixture.members, opts, { rareRegions: false }), opts);
    expect([ours.languageless, ours.repeats]).toEqual([2, 19]);
    expect([without.languageless, without.repeats]).toEqual([2, 20]);
  }, 120_000);

  it('reports a round whose LP runs out of time as unproven, with no bound, instead of failing', async () => {
    // The bench's rounds of 400 on a busy machine hit the 5 s limit inside the LP itself.
    const seed = 'lp-time-limit';
    const members = generatePopulation(60, seed);
    const opts = options({ seed, groupSize: 3, defaultLanguage: DEFAULT_LANGUAGE, recentPairs: randomHistory(members, seed).recentPairs });
    const groups = groupsOf(members, opts);
    const stopped = exactGroupingIp(await loadHighsSolver(), members, opts, { incumbent: groups, timeLimit: 1e-9 });
    expect(stopped.proven).toBe(false);
    expect(stopped.scoreBound).toBe(Infinity);
    expect(stopped.value).toEqual(groupingValue(members, groups, opts));
  });

  it.each([
    [1000, 'large-1000-2', [1, 21]],
    [3000, 'large-3000', [0, 9]],
  ])(
    'groups the members who speak only rare languages first in a %i-member trio round (%s)',
    (n, seed, optimum) => {
      // The bench's realistic rounds (six rounds of history). Their optimum: bench/relaxationBound.ts
      // proves no grouping has fewer language-less groups, then repeats (a lower bound from the
      // members who speak only languages of at most 40 speakers), and finds one with exactly these.
      // The searches of a large round, following its best edges, kept 3/5 and 2/4 here; starting
      // only from the trios built around by the construction, 1/21 and 1/2.
      const members = generatePopulation(n, seed);
      const opts = options({
        seed,
        groupSize: 3,
        defaultLanguage: DEFAULT_LANGUAGE,
        recentPairs: randomHistory(members, seed).recentPairs,
      });
      const value = groupingValue(members, groupsOf(members, opts), opts);
      expect([value.languageless, value.repeats]).toEqual(optimum);
    },
    60_000,
  );
});

describe('even rounds of pairs', () => {
  it.each<[PopulationKind, number]>([
    ['realistic', 100],
    ['half-empty', 200],
    ['realistic', 400],
  ])(
    'are matched exactly: %s, %i members, six rounds of history by the matcher, novelty included',
    (kind, n) => {
      // The bench's realistic 100-member round was matched at 98.5% of its optimum by the searches.
      const seed = `exact-pairs-${kind}-${n}`;
      const members = generatePopulation(n, seed, kind);
      const { recentPairs, lastMet } = simulatedHistory(members, seed, 2);
      const opts = options({ seed, defaultLanguage: DEFAULT_LANGUAGE, recentPairs, lastMet });
      // The optimum, weighed here from the members' profiles, not from the matcher's encoding.
      const weigh = (a: MatchCandidate, b: MatchCandidate): number => pairWeight(a, b, opts);
      const optimum = groupingValue(members, exactPairing(members, opts, weigh), opts, weigh);
      expect(groupingValue(members, groupsOf(members, opts), opts, weigh)).toEqual(optimum);
    },
    60_000,
  );
});

describe('the exact solvers', () => {
  it('agree with each other: subset DP and the integer program', async () => {
    const highs = await loadHighsSolver();
    const samples = fc.sample(roundArb(2, 11), { numRuns: 20, seed: 11 });
    for (const { members, recent, groupSize } of samples) {
      const opts = options({ groupSize, recentPairs: recent });
      const dp = exactGrouping(members, opts).value;
      const ip = exactGroupingIp(highs, members, opts);
      expect(ip.proven).toBe(true);
      expect(compareValues(ip.value, dp)).toBe(0);
    }
  });
});
