import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { avoidedPairKeys, describeFormedGroup, separateAvoidedPairs } from '../../src/core/avoidedPairs.ts';
import { pairKey, type MatchCandidate } from '../../src/core/matching.ts';

interface Group {
  readonly memberIds: readonly string[];
  readonly formed?: boolean;
}
const form = (memberIds: readonly string[]): Group => ({ memberIds, formed: true });

function pairsIn(group: Group): string[] {
  return group.memberIds.flatMap((a, i) => group.memberIds.slice(i + 1).map((b) => pairKey(a, b)));
}

/** Members u0..u(n-1) cut into groups of 2 and 3 (a matcher's output shape), and random avoided pairs among them. */
const roundWithAvoids = fc.integer({ min: 2, max: 24 }).chain((n) => {
  const ids = Array.from({ length: n }, (_, i) => `u${i}`);
  return fc.record({
    groups: fc.shuffledSubarray(ids, { minLength: n, maxLength: n }).map((order) => {
      const groups: Group[] = [];
      let at = 0;
      while (at < order.length) {
        const left = order.length - at;
        const size = left === 3 || left === 5 ? 3 : 2;
        groups.push({ memberIds: order.slice(at, at + size) });
        at += size;
      }
      return groups;
    }),
    avoided: fc
      .array(fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...ids)), { maxLength: n * 2 })
      .map((pairs) => new Set(pairs.filter(([a, b]) => a !== b).map(([a, b]) => pairKey(a, b)))),
  });
});

describe('separateAvoidedPairs', () => {
  it('never leaves an avoided pair in a group, places everyone exactly once, and keeps groups of 2 or 3', () => {
    fc.assert(
      fc.property(roundWithAvoids, ({ groups, avoided }) => {
        const result = separateAvoidedPairs(groups, avoided, form);
        for (const group of result.groups) {
          for (const pair of pairsIn(group)) expect(avoided.has(pair)).toBe(false);
          expect(group.memberIds.length).toBeGreaterThanOrEqual(2);
          expect(group.memberIds.length).toBeLessThanOrEqual(3);
        }
        const placed = [...result.groups.flatMap((group) => group.memberIds), ...result.unmatched].sort();
        expect(placed).toEqual(groups.flatMap((group) => group.memberIds).sort());
      }),
      { numRuns: 500 },
    );
  });

  it('returns groups without an avoided pair untouched when nobody needs a place', () => {
    fc.assert(
      fc.property(roundWithAvoids, ({ groups, avoided }) => {
        const clean = groups.filter((group) => pairsIn(group).every((pair) => !avoided.has(pair)));
        const result = separateAvoidedPairs(clean, avoided, form);
        expect(result.groups).toEqual(clean);
        expect(result.unmatched).toEqual([]);
      }),
    );
  });

  it('splits a pair that avoids each other: both wait for the next round when nobody else fits', () => {
    const result = separateAvoidedPairs([{ memberIds: ['a', 'b'] }], new Set([pairKey('a', 'b')]), form);
    expect(result.groups).toEqual([]);
    expect(result.unmatched).toEqual(['a', 'b']);
  });

  it('re-forms the freed members of two groups into groups without the avoided pairs', () => {
    const avoided = new Set([pairKey('a', 'b'), pairKey('c', 'd')]);
    const result = separateAvoidedPairs([{ memberIds: ['a', 'b'] }, { memberIds: ['c', 'd'] }], avoided, form);
    expect(result.unmatched).toEqual([]);
    expect(result.groups.map((group) => [...group.memberIds].sort())).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
  });

  it('lets two members who avoid each other each take one member of a pair that may meet them', () => {
    const avoided = new Set([pairKey('a', 'b')]);
    const result = separateAvoidedPairs([{ memberIds: ['a', 'b'] }, { memberIds: ['c', 'd'] }], avoided, form);
    expect(result.unmatched).toEqual([]);
    expect(result.groups.map((group) => [...group.memberIds].sort())).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
  });

  it('lets a freed member join a pair they may meet, making a trio, when no swap works', () => {
    // b avoids c and d too, so only a can join c and d; b waits.
    const avoided = new Set([pairKey('a', 'b'), pairKey('b', 'c'), pairKey('b', 'd')]);
    const result = separateAvoidedPairs([{ memberIds: ['a', 'b'] }, { memberIds: ['c', 'd'] }], avoided, form);
    expect(result.groups.map((group) => [...group.memberIds].sort())).toEqual([['a', 'c', 'd']]);
    expect(result.unmatched).toEqual(['b']);
  });
});

describe('avoidedPairKeys', () => {
  it('binds both members whoever avoided whom, and ignores a member listing themselves', () => {
    expect(avoidedPairKeys({ a: ['b'], c: ['c'] })).toEqual(new Set([pairKey('a', 'b')]));
    expect(avoidedPairKeys({ b: ['a'] })).toEqual(new Set([pairKey('a', 'b')]));
  });
});

describe('describeFormedGroup', () => {
  const candidate = (userId: string, languages: string[]): MatchCandidate => ({
    userId,
    languages,
    cultures: [],
    curiousAbout: [],
    interests: [],
  });

  it('reports a missing common language and a recent repeat as relaxed', () => {
    const group = describeFormedGroup([candidate('a', ['english']), candidate('b', ['german'])], {
      defaultLanguage: 'english',
      recentPairs: new Set([pairKey('a', 'b')]),
    });
    expect(group.memberIds).toEqual(['a', 'b']);
    expect(group.relaxed).toEqual(['repeat-avoidance', 'common-language']);
    const fine = describeFormedGroup([candidate('a', ['english']), candidate('b', ['english'])], {
      defaultLanguage: 'english',
      recentPairs: new Set(),
    });
    expect(fine.relaxed).toEqual([]);
    expect(fine.reasons.sharedLanguages).toEqual(['english']);
  });
});
