import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_PAIR_SCORE,
  NOVELTY_HORIZON,
  NOVELTY_STEP,
  WEIGHTS,
  explainPair,
  haveCommonLanguage,
  matchMembers,
  noveltyDeficit,
  pairKey,
  pairScore,
  pairWeight,
  preferenceScore,
} from '../../src/core/matching.ts';
import type { MatchCandidate, MatchOptions, MatchResult } from '../../src/core/matching.ts';
import {
  LANGUAGE_PENALTY,
  MAX_MOVE_GROUPS,
  PAIR_RANGE,
  REPEAT_PENALTY,
  createScorer,
  encode,
  guidedScorer,
  subProblem,
} from '../../src/core/matching/encode.ts';
import { Groups, penalised, violations } from '../../src/core/matching/groups.ts';
import { seededRandom, shuffle } from '../../src/core/random.ts';
import { maxWeightPerfectMatching } from '../../src/core/matching/blossom.ts';
import { bruteForcePerfectMatching } from '../support/bruteForceMatching.ts';

function member(userId: string, fields: Partial<Omit<MatchCandidate, 'userId'>> = {}): MatchCandidate {
  return { userId, languages: ['english'], cultures: [], curiousAbout: [], interests: [], utcOffsetMinutes: 0, ...fields };
}

function options(overrides: Partial<MatchOptions> = {}): MatchOptions {
  return { seed: 'round-1', groupSize: 2, defaultLanguage: 'english', recentPairs: new Set(), ...overrides };
}

function sortedGroups(result: MatchResult): string[][] {
  return result.groups.map((g) => [...g.memberIds].sort()).sort((a, b) => a.join().localeCompare(b.join()));
}

const LANGUAGES = ['english', 'spanish', 'french', 'tagalog', 'yoruba'];
const CULTURES = ['japanese', 'brazilian', 'nigerian', 'german', 'filipino', 'mexican'];

const candidateArb = (id: number): fc.Arbitrary<MatchCandidate> =>
  fc
    .record({
      languages: fc.uniqueArray(fc.constantFrom(...LANGUAGES), { maxLength: 2 }),
      cultures: fc.uniqueArray(fc.constantFrom(...CULTURES), { maxLength: 2 }),
      curiousAbout: fc.uniqueArray(fc.constantFrom(...CULTURES), { maxLength: 3 }),
      interests: fc.uniqueArray(fc.constantFrom('chess', 'music', 'food', 'film'), { maxLength: 3 }),
      utcOffsetMinutes: fc.option(
        fc.integer({ min: -11, max: 13 }).map((h) => h * 60),
        { nil: undefined },
      ),
    })
    .map((fields) => ({ userId: `u${id}`, ...fields }));

const populationArb = (min: number, max: number): fc.Arbitrary<{ members: MatchCandidate[]; recent: Set<string> }> =>
  fc
    .integer({ min, max })
    .chain((n) =>
      fc.tuple(
        fc.tuple(...Array.from({ length: n }, (_, i) => candidateArb(i))),
        fc.array(fc.tuple(fc.nat(n), fc.nat(n)), { maxLength: 3 * n }),
      ),
    )
    .map(([members, pairs]) => ({
      members: [...members],
      recent: new Set(
        pairs.filter(([a, b]) => a !== b && a < members.length && b < members.length).map(([a, b]) => pairKey(`u${a}`, `u${b}`)),
      ),
    }));

describe('matchMembers', () => {
  it('places every member in exactly one group, whatever the population', () => {
    fc.assert(
      fc.property(populationArb(0, 30), fc.constantFrom(2 as const, 3 as const), fc.string(), ({ members, recent }, groupSize, seed) => {
        const result = matchMembers(members, options({ seed, groupSize, recentPairs: recent }));
        const placed = [...result.groups.flatMap((g) => g.memberIds), ...result.unmatched];
        expect(placed.sort()).toEqual(members.map((m) => m.userId).sort());
        expect(result.unmatched.length).toBe(members.length < 2 ? members.length : 0);
      }),
      { numRuns: 60 },
    );
  });

  it('makes pairs plus one trio for an odd count when the group size is 2', () => {
    fc.assert(
      fc.property(populationArb(2, 30), ({ members, recent }) => {
        const sizes = matchMembers(members, options({ recentPairs: recent })).groups.map((g) => g.memberIds.length);
        expect(sizes.filter((s) => s === 3).length).toBe(members.length % 2);
        expect(sizes.every((s) => s === 2 || s === 3)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('makes trios with the remainder as one or two pairs when the group size is 3, never a group of one', () => {
    fc.assert(
      fc.property(populationArb(2, 30), ({ members, recent }) => {
        const sizes = matchMembers(members, options({ groupSize: 3, recentPairs: recent })).groups.map((g) => g.memberIds.length);
        const expectedPairs = members.length === 2 ? 1 : [0, 2, 1][members.length % 3];
        expect(sizes.filter((s) => s === 2).length).toBe(expectedPairs);
        expect(sizes.every((s) => s === 2 || s === 3)).toBe(true);
      }),
      { numRuns: 40 },
    );
    expect(
      matchMembers(
        ['a', 'b', 'c', 'd'].map((id) => member(id)),
        options({ groupSize: 3 }),
      ).groups.map((g) => g.memberIds.length),
    ).toEqual([2, 2]);
  });

  it('returns no groups and lists the lone member as unmatched for 0 or 1 candidates', () => {
    expect(matchMembers([], options())).toEqual({ groups: [], relaxed: [], objective: 0, unmatched: [] });
    expect(matchMembers([member('solo')], options())).toEqual({ groups: [], relaxed: [], objective: 0, unmatched: ['solo'] });
  });

  it('never pairs two members who met in the last rounds when another pairing exists', () => {
    const members = ['a', 'b', 'c', 'd'].map((id) => member(id));
    const recentPairs = new Set([pairKey('a', 'b'), pairKey('c', 'd'), pairKey('a', 'c')]);
    const result = matchMembers(members, options({ recentPairs }));
    expect(sortedGroups(result)).toEqual([
      ['a', 'd'],
      ['b', 'c'],
    ]);
    expect(result.relaxed).toEqual([]);
  });

  it('always gives each group a common language when that is possible', () => {
    const members = [
      member('a', { languages: ['french'], cultures: ['french'] }),
      member('b', { languages: ['english', 'french'], cultures: ['japanese'], curiousAbout: ['mexican'] }),
      member('c', { cultures: ['mexican'], curiousAbout: ['japanese'] }),
      member('d', { cultures: ['german'] }),
    ];
    const result = matchMembers(members, options());
    expect(sortedGroups(result)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(result.relaxed).toEqual([]);
  });

  it('reports a repeat when a tiny server has only members who all met recently', () => {
    const result = matchMembers([member('a'), member('b')], options({ recentPairs: new Set([pairKey('a', 'b')]) }));
    expect(result.groups).toHaveLength(1);
    expect(result.relaxed).toEqual(['repeat-avoidance']);
    expect(result.groups[0]?.relaxed).toEqual(['repeat-avoidance']);
  });

  it('reports a missing common language when two members share none', () => {
    const result = matchMembers([member('a', { languages: ['french'] }), member('b', { languages: ['tagalog'] })], options());
    expect(result.relaxed).toEqual(['common-language']);
    expect(result.groups[0]?.reasons.sharedLanguages).toEqual([]);
  });

  it('relaxes repeat avoidance before the common language: a repeat you can talk to beats a stranger you cannot', () => {
    const members = [
      member('a', { languages: ['french'] }),
      member('b', { languages: ['french'] }),
      member('c', { languages: ['yoruba'] }),
      member('d', { languages: ['yoruba'] }),
    ];
    const result = matchMembers(members, options({ recentPairs: new Set([pairKey('a', 'b'), pairKey('c', 'd')]) }));
    expect(sortedGroups(result)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(result.relaxed).toEqual(['repeat-avoidance']);
  });

  it('prefers pairing a culture with the member curious about it over a merely different-culture pair', () => {
    const members = [
      member('aiko', { cultures: ['japanese'], curiousAbout: ['brazilian'] }),
      member('bruno', { cultures: ['brazilian'], curiousAbout: ['japanese'] }),
      member('greta', { cultures: ['german'] }),
      member('femi', { cultures: ['nigerian'] }),
    ];
    const result = matchMembers(members, options());
    expect(sortedGroups(result)).toEqual([
      ['aiko', 'bruno'],
      ['femi', 'greta'],
    ]);
    const pair = result.groups.find((g) => g.memberIds.includes('aiko'));
    expect(pair?.reasons.exchanges).toEqual(
      expect.arrayContaining([
        { from: 'aiko', to: 'bruno', topics: ['japanese'] },
        { from: 'bruno', to: 'aiko', topics: ['brazilian'] },
      ]),
    );
  });

  it('gives the same groups for the same seed, whatever order the candidates come in', () => {
    fc.assert(
      fc.property(populationArb(2, 30), fc.constantFrom(2 as const, 3 as const), fc.integer(), ({ members, recent }, groupSize, salt) => {
        const opts = options({ seed: 'guild:7', groupSize, recentPairs: recent });
        const first = matchMembers(members, opts);
        const reordered = [...members].sort(
          (a, b) => ((a.userId.length * 31 + salt) % 7) - ((b.userId.length * 31 + salt) % 7) || b.userId.localeCompare(a.userId),
        );
        expect(matchMembers(members, opts)).toEqual(first);
        expect(matchMembers(reordered, opts)).toEqual(first);
      }),
      { numRuns: 50 },
    );
  });

  it("gives the same result whatever order the entries of each member's lists are in", () => {
    fc.assert(
      fc.property(populationArb(2, 24), fc.constantFrom(2 as const, 3 as const), fc.integer(), ({ members, recent }, groupSize, salt) => {
        const opts = options({ seed: 'guild:9', groupSize, recentPairs: recent });
        const random = seededRandom(`entries:${salt}`);
        const reordered = members.map((m) => ({
          ...m,
          languages: shuffle(m.languages, random),
          cultures: shuffle([...m.cultures, ...m.cultures.slice(0, 1)], random),
          curiousAbout: shuffle(m.curiousAbout, random),
          interests: shuffle(m.interests, random),
        }));
        expect(matchMembers(reordered, opts)).toEqual(matchMembers(members, opts));
      }),
      { numRuns: 40 },
    );
  });

  it('reports an objective equal to the sum of the group scores, each the sum of its pair scores', () => {
    fc.assert(
      fc.property(populationArb(2, 30), fc.constantFrom(2 as const, 3 as const), ({ members, recent }, groupSize) => {
        const result = matchMembers(members, options({ groupSize, recentPairs: recent }));
        const byId = new Map(members.map((m) => [m.userId, m]));
        let total = 0;
        for (const group of result.groups) {
          const ms = group.memberIds.map((id) => byId.get(id)!);
          let score = 0;
          for (let a = 0; a < ms.length; a++) for (let b = a + 1; b < ms.length; b++) score += preferenceScore(ms[a]!, ms[b]!);
          expect(group.score).toBe(score);
          total += score;
        }
        expect(result.objective).toBe(total);
      }),
      { numRuns: 50 },
    );
  });

  it('throws on duplicate user ids rather than placing someone twice', () => {
    expect(() => matchMembers([member('a'), member('a')], options())).toThrow(RangeError);
  });

  it('matches recent pairs even when user ids contain the key separator', () => {
    const members = [member('x:1'), member('y'), member('x'), member('1:y')];
    const recentPairs = new Set([pairKey('x:1', 'y'), pairKey('x', '1:y'), pairKey('x:1', 'x')]);
    const result = matchMembers(members, options({ recentPairs }));
    expect(result.relaxed).toEqual([]);
    expect(sortedGroups(result)).toEqual([
      ['1:y', 'x:1'],
      ['x', 'y'],
    ]);
  });
});

describe('pairScore', () => {
  it('treats a member without languages as speaking the server default language', () => {
    const a = member('a', { languages: [] });
    const b = member('b', { languages: ['english'] });
    expect(haveCommonLanguage(a, b, 'english')).toBe(true);
    expect(haveCommonLanguage(a, b, 'spanish')).toBe(false);
    expect(pairScore(a, b, { defaultLanguage: 'english', recentPairs: new Set() })).toBeDefined();
    expect(explainPair(a, b, { defaultLanguage: 'english' }).sharedLanguages).toEqual(['english']);
  });

  it('is undefined when the pair met recently or shares no language', () => {
    const a = member('a');
    const b = member('b');
    expect(pairScore(a, b, { defaultLanguage: 'english', recentPairs: new Set([pairKey('b', 'a')]) })).toBeUndefined();
    expect(pairScore(a, member('c', { languages: ['yoruba'] }), { defaultLanguage: 'english', recentPairs: new Set() })).toBeUndefined();
  });

  it('is neutral on waking hours for a member without a time zone: between the best and worst overlap', () => {
    const a = member('a', { utcOffsetMinutes: 0 });
    const same = preferenceScore(a, member('b', { utcOffsetMinutes: 0 }));
    const opposite = preferenceScore(a, member('b', { utcOffsetMinutes: 720 }));
    const unknown = preferenceScore(a, member('b', { utcOffsetMinutes: undefined }));
    expect(opposite).toBeLessThan(unknown);
    expect(unknown).toBeLessThan(same);
  });

  it('counts culture-to-curiosity both ways more than one way', () => {
    const a = member('a', { cultures: ['japanese'], curiousAbout: ['brazilian'] });
    const mutual = preferenceScore(a, member('b', { cultures: ['brazilian'], curiousAbout: ['japanese'] }));
    const oneWay = preferenceScore(a, member('b', { cultures: ['brazilian'] }));
    expect(mutual - oneWay).toBe(WEIGHTS.curiosityPerDirection);
  });

  it('orders the preference tiers lexicographically: each tier step outweighs everything below it', () => {
    const interests = WEIGHTS.maxSharedInterests * WEIGHTS.sharedInterest;
    const overlap = 10 * WEIGHTS.overlapPerHour;
    expect(WEIGHTS.overlapPerHour).toBeGreaterThan(interests);
    expect(WEIGHTS.differentCultures - WEIGHTS.unknownCultures).toBeGreaterThan(overlap + interests);
    expect(WEIGHTS.unknownCultures).toBeGreaterThan(overlap + interests);
    expect(WEIGHTS.curiosityPerDirection).toBeGreaterThan(WEIGHTS.differentCultures + overlap + interests);
    expect(MAX_PAIR_SCORE).toBe(2 * WEIGHTS.curiosityPerDirection + WEIGHTS.differentCultures + overlap + interests);
  });

  it('agrees with the fast scorer the matcher uses', () => {
    fc.assert(
      fc.property(populationArb(2, 12), ({ members, recent }) => {
        const problem = encode(members, { defaultLanguage: 'english', recentPairs: recent });
        expect(problem.culturesExact && problem.interestsExact).toBe(true);
        const scorer = createScorer(problem);
        for (let i = 0; i < members.length; i++) {
          for (let j = 0; j < members.length; j++) {
            if (i === j) continue;
            const a = members[i]!;
            const b = members[j]!;
            expect(scorer.score(i, j)).toBe(preferenceScore(a, b));
            expect(scorer.commonLanguage(i, j)).toBe(haveCommonLanguage(a, b, 'english'));
            expect(scorer.recent(i, j)).toBe(recent.has(pairKey(a.userId, b.userId)));
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('scores a sub-problem as the whole problem scores the same members, history included', () => {
    fc.assert(
      fc.property(populationArb(3, 12), fc.func(fc.boolean()), ({ members, recent }, keep) => {
        const lastMet = new Map([...recent].map((key, t) => [key, 1 + (t % 8)]));
        const problem = encode(members, { defaultLanguage: 'english', recentPairs: recent, lastMet });
        const chosen = members.map((_, i) => i).filter((i) => keep(i));
        const whole = createScorer(problem);
        const part = createScorer(subProblem(problem, chosen.reverse()));
        for (let a = 0; a < chosen.length; a++) {
          for (let b = 0; b < chosen.length; b++) {
            if (a === b) continue;
            const [i, j] = [chosen[a]!, chosen[b]!];
            expect([part.weight(a, b), part.recent(a, b), part.deficit(a, b)]).toEqual([
              whole.weight(i, j),
              whole.recent(i, j),
              whole.deficit(i, j),
            ]);
            for (let c = 0; c < chosen.length; c++)
              if (c !== a && c !== b) expect(part.weight3(a, b, c)).toBe(whole.weight3(i, j, chosen[c]!));
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    [64, true],
    [100, false],
  ])('agrees with the fast scorer with %i cultures and interests (bit sets only: %s)', (values, exact) => {
    const many = (prefix: string): string[] => Array.from({ length: values }, (_, i) => `${prefix}${i}`);
    const cultures = many('culture-');
    const interests = many('interest-');
    // One member names every value, so the round has exactly `values` of each: 64 fill both words
    // of the bit sets, more take the merging path.
    const filler = member('filler', { cultures: cultures.slice(0, 40), curiousAbout: cultures.slice(40), interests });
    const fieldsArb = fc.record({
      cultures: fc.uniqueArray(fc.constantFrom(...cultures), { maxLength: 4 }),
      curiousAbout: fc.uniqueArray(fc.constantFrom(...cultures), { maxLength: 6 }),
      interests: fc.uniqueArray(fc.constantFrom(...interests), { maxLength: 14 }),
      utcOffsetMinutes: fc.option(
        fc.integer({ min: -11, max: 13 }).map((h) => h * 60),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(fc.array(fieldsArb, { minLength: 2, maxLength: 12 }), (fields) => {
        const members = [filler, ...fields.map((f, i) => member(`u${i}`, f))];
        const problem = encode(members, { defaultLanguage: 'english', recentPairs: new Set() });
        expect(problem.culturesExact && problem.interestsExact).toBe(exact);
        const scorer = createScorer(problem);
        for (let i = 0; i < members.length; i++) {
          for (let j = 0; j < members.length; j++) if (i !== j) expect(scorer.score(i, j)).toBe(preferenceScore(members[i]!, members[j]!));
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('explainPair', () => {
  it('gives the overlapping waking windows in UTC, joined across midnight', () => {
    const london = member('a', { utcOffsetMinutes: 0 });
    const manila = member('b', { utcOffsetMinutes: 480 });
    expect(explainPair(london, manila, { defaultLanguage: 'english' }).overlapHoursUtc).toEqual([{ startMinute: 480, endMinute: 840 }]);
    const chicago = member('c', { utcOffsetMinutes: -360 });
    const denver = member('d', { utcOffsetMinutes: -420 });
    expect(explainPair(chicago, denver, { defaultLanguage: 'english' }).overlapHoursUtc).toEqual([{ startMinute: 900, endMinute: 1680 }]);
    const auckland = member('e', { utcOffsetMinutes: 720 });
    expect(explainPair(london, auckland, { defaultLanguage: 'english' }).overlapHoursUtc).toEqual([
      { startMinute: 480, endMinute: 600 },
      { startMinute: 1200, endMinute: 1320 },
    ]);
  });

  it('leaves the overlap to the member who gave a time zone, and undefined when nobody did', () => {
    const known = member('a', { utcOffsetMinutes: 60 });
    const unknown = member('b', { utcOffsetMinutes: undefined });
    expect(explainPair(known, unknown, { defaultLanguage: 'english' }).overlapHoursUtc).toEqual([{ startMinute: 420, endMinute: 1260 }]);
    expect(
      explainPair(unknown, member('c', { utcOffsetMinutes: undefined }), { defaultLanguage: 'english' }).overlapHoursUtc,
    ).toBeUndefined();
  });

  it('lists different cultures and shared interests', () => {
    const reasons = explainPair(
      member('a', { cultures: ['german'], interests: ['chess', 'film'] }),
      member('b', { cultures: ['filipino'], interests: ['film'] }),
      { defaultLanguage: 'english' },
    );
    expect(reasons.differentCultures).toBe(true);
    expect(reasons.sharedInterests).toEqual(['film']);
  });
});

describe('quality against the exact optimum', () => {
  it('the exact helper agrees with brute force on tiny graphs', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((half) =>
            fc
              .array(fc.integer({ min: -20, max: 50 }), { minLength: 2 * half * 2 * half, maxLength: 2 * half * 2 * half })
              .map((w) => ({ n: 2 * half, w })),
          ),
        ({ n, w }) => {
          const weight = (i: number, j: number): number => w[Math.min(i, j) * n + Math.max(i, j)]!;
          const mate = maxWeightPerfectMatching(n, weight);
          let total = 0;
          mate.forEach((j, i) => {
            if (i < j) total += weight(i, j);
          });
          expect(total).toBe(bruteForcePerfectMatching(n, weight));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('novelty (lastMet)', () => {
  const four = (): MatchCandidate[] => [
    member('aiko', { cultures: ['japanese'], curiousAbout: ['brazilian'] }),
    member('bruno', { cultures: ['brazilian'], curiousAbout: ['japanese'] }),
    member('greta', { cultures: ['german'] }),
    member('femi', { cultures: ['nigerian'] }),
  ];

  it('prefers partners never met over a better-scoring partner met long ago', () => {
    const lastMet = new Map([[pairKey('aiko', 'bruno'), 30]]);
    expect(sortedGroups(matchMembers(four(), options()))).toEqual([
      ['aiko', 'bruno'],
      ['femi', 'greta'],
    ]);
    const result = matchMembers(four(), options({ lastMet }));
    expect(result.groups.some((g) => g.memberIds.includes('aiko') && g.memberIds.includes('bruno'))).toBe(false);
    expect(result.relaxed).toEqual([]);
  });

  it('among partners met before, prefers the one met longest ago', () => {
    const lastMet = new Map([
      [pairKey('aiko', 'bruno'), 9],
      [pairKey('greta', 'femi'), 9],
      [pairKey('aiko', 'greta'), 12],
      [pairKey('bruno', 'femi'), 12],
      [pairKey('aiko', 'femi'), 8],
      [pairKey('bruno', 'greta'), 8],
    ]);
    expect(sortedGroups(matchMembers(four(), options({ lastMet })))).toEqual([
      ['aiko', 'greta'],
      ['bruno', 'femi'],
    ]);
  });

  it('leaves repeat avoidance to recentPairs: a pair met last round but not listed as recent may meet again', () => {
    const members = [member('a'), member('b')];
    const result = matchMembers(members, options({ lastMet: new Map([[pairKey('a', 'b'), 1]]) }));
    expect(result.relaxed).toEqual([]);
  });

  it('ranks never met above every pair met before, and longer ago above more recently, up to the horizon', () => {
    expect(noveltyDeficit(undefined)).toBe(0);
    expect(noveltyDeficit(NOVELTY_HORIZON)).toBe(NOVELTY_STEP);
    expect(noveltyDeficit(NOVELTY_HORIZON + 40)).toBe(NOVELTY_STEP);
    for (let ago = 1; ago < NOVELTY_HORIZON; ago++) expect(noveltyDeficit(ago) - noveltyDeficit(ago + 1)).toBe(NOVELTY_STEP);
    // Each round of difference outweighs any pair score.
    expect(NOVELTY_STEP).toBeGreaterThan(MAX_PAIR_SCORE);
  });

  it('reads a malformed rounds-ago count as the most recent meeting, not as a stranger', () => {
    expect(noveltyDeficit(Number.NaN)).toBe(noveltyDeficit(1));
    expect(noveltyDeficit(0)).toBe(noveltyDeficit(1));
  });

  it('ignores lastMet entries that name someone who is not a candidate, or the same member twice', () => {
    const lastMet = new Map([
      [pairKey('aiko', 'nobody'), 1],
      [pairKey('aiko', 'aiko'), 1],
    ]);
    expect(matchMembers(four(), options({ lastMet }))).toEqual(matchMembers(four(), options()));
  });

  it('weighs a pair by its preference score minus its novelty deficit', () => {
    const [a, b] = four() as [MatchCandidate, MatchCandidate];
    const lastMet = new Map([[pairKey('aiko', 'bruno'), 7]]);
    expect(pairWeight(a, b, { lastMet })).toBe(preferenceScore(a, b) - noveltyDeficit(7));
    expect(pairWeight(a, b, {})).toBe(preferenceScore(a, b));
  });
});

describe('relaxation penalties', () => {
  it('compare lexicographically for any move of up to MAX_MOVE_GROUPS groups', () => {
    const pairsTouched = 3 * MAX_MOVE_GROUPS;
    // A repeat outweighs everything a move can change in score and novelty...
    expect(REPEAT_PENALTY).toBeGreaterThan(pairsTouched * PAIR_RANGE);
    // ...and a language-less group everything it can change in repeats, score and novelty.
    expect(LANGUAGE_PENALTY).toBeGreaterThan(pairsTouched * (REPEAT_PENALTY + PAIR_RANGE));
    expect(PAIR_RANGE).toBe(MAX_PAIR_SCORE + noveltyDeficit(1));
  });
});

describe('penalised', () => {
  // The scans for relaxations skip every group whose weight is not penalised: they rely on this.
  it('is true exactly for the groups that relax something, under the plain and the guided scorer', () => {
    const people = ['a', 'b', 'c', 'd', 'e'];
    fc.assert(
      fc.property(
        fc.tuple(
          ...people.map((userId) =>
            fc.record({
              userId: fc.constant(userId),
              languages: fc.uniqueArray(fc.constantFrom('l0', 'l1', 'l2'), { maxLength: 2 }),
              cultures: fc.uniqueArray(fc.constantFrom('c0', 'c1'), { maxLength: 2 }),
              curiousAbout: fc.uniqueArray(fc.constantFrom('c0', 'c1'), { maxLength: 2 }),
              interests: fc.uniqueArray(fc.constantFrom('i0', 'i1', 'i2'), { maxLength: 3 }),
              utcOffsetMinutes: fc.option(fc.integer({ min: -600, max: 600 }), { nil: undefined }),
            }),
          ),
        ),
        // Per pair of the five: recent or not, and when they last met (1 is the largest novelty deficit).
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
        fc.array(fc.option(fc.constantFrom(1, 2, 3, 60), { nil: undefined }), { minLength: 10, maxLength: 10 }),
        fc.tuple(fc.nat(4), fc.nat(4), fc.nat(4)),
        fc.uint8Array({ minLength: 5, maxLength: 5, max: 1 }),
        fc.uint8Array({ minLength: 5, maxLength: 5, max: 1 }),
        (members, recent, met, [x, y, z], hopeless2, hopeless3) => {
          const pairs = people.flatMap((a, i) => people.slice(i + 1).map((b) => pairKey(a, b)));
          const problem = encode(members, {
            defaultLanguage: 'l0',
            recentPairs: new Set(pairs.filter((_, p) => recent[p])),
            lastMet: new Map(pairs.flatMap((key, p) => (met[p] === undefined ? [] : [[key, met[p]] as const]))),
          });
          const plain = createScorer(problem);
          for (const scorer of [plain, guidedScorer(plain, hopeless2, hopeless3)]) {
            const groups = new Groups(problem.n, scorer);
            if (x !== y) groups.add(x, y);
            if (x !== y && y !== z && x !== z) groups.add(x, y, z);
            for (let g = 0; g < groups.count; g++) {
              const v = violations(groups, g);
              expect(penalised(groups.weight[g]!)).toBe(v.languageless || v.repeats > 0);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
