import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pick, seededRandom, shuffle } from '../../src/core/random.ts';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    const a = seededRandom('guild-1:2026-01-01');
    const b = seededRandom('guild-1:2026-01-01');
    const c = seededRandom('guild-1:2026-01-02');
    const seqA = Array.from({ length: 20 }, () => a());
    const seqB = Array.from({ length: 20 }, () => b());
    const seqC = Array.from({ length: 20 }, () => c());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
  });

  it('stays in [0, 1) for any seed', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        const random = seededRandom(seed);
        for (let i = 0; i < 50; i++) {
          const x = random();
          if (!(x >= 0 && x < 1)) return false;
        }
        return true;
      }),
    );
  });

  it('is roughly uniform', () => {
    const random = seededRandom('uniformity');
    const buckets = Array.from({ length: 10 }, () => 0);
    const n = 100_000;
    for (let i = 0; i < n; i++) buckets[Math.floor(random() * 10)]! += 1;
    for (const count of buckets) expect(Math.abs(count - n / 10)).toBeLessThan(n / 100);
  });
});

describe('shuffle', () => {
  it('returns a permutation and leaves the input untouched', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.string(), (items, seed) => {
        const copy = [...items];
        const result = shuffle(items, seededRandom(seed));
        expect(items).toEqual(copy);
        expect([...result].sort((x, y) => x - y)).toEqual([...items].sort((x, y) => x - y));
      }),
    );
  });

  it('is deterministic for a seed', () => {
    const items = Array.from({ length: 30 }, (_, i) => i);
    expect(shuffle(items, seededRandom('s'))).toEqual(shuffle(items, seededRandom('s')));
    expect(shuffle(items, seededRandom('s'))).not.toEqual(items);
  });

  it('tolerates a random source returning exactly 0 or 1-ε', () => {
    expect(shuffle([1, 2, 3], () => 0).sort()).toEqual([1, 2, 3]);
    expect(shuffle([1, 2, 3], () => 0.9999999999).sort()).toEqual([1, 2, 3]);
  });
});

describe('pick', () => {
  it('picks an element of the array', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (items, x) => {
        expect(items).toContain(pick(items, () => x));
      }),
    );
  });

  it('maps the unit interval onto indices', () => {
    expect(pick(['a', 'b', 'c'], () => 0)).toBe('a');
    expect(pick(['a', 'b', 'c'], () => 0.5)).toBe('b');
    expect(pick(['a', 'b', 'c'], () => 0.99)).toBe('c');
    expect(pick(['a', 'b', 'c'], () => 1)).toBe('c');
  });

  it('throws RangeError on an empty array', () => {
    expect(() => pick([], () => 0)).toThrow(RangeError);
  });
});
