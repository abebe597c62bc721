import { describe, expect, it } from 'vitest';
import { cultureMap, MIN_MEMBERS_PER_PAIR, pairCount, passport, type ConversationCultures } from '../../src/core/cultureMap.ts';
import { toCsv } from '../../src/core/csv.ts';
import { roundAttendance } from '../../src/core/roundAttendance.ts';

function pair(first: string, a: string, second: string, b: string): ConversationCultures {
  return { memberIds: [first, second], cultures: { [first]: [a], [second]: [b] } };
}

describe('cultureMap', () => {
  it('counts each conversation once per pair of cultures, and names a pair only when three members stand behind it', () => {
    const map = cultureMap([
      pair('u1', 'JP', 'u2', 'BR'),
      pair('u3', 'JP', 'u4', 'BR'),
      pair('u1', 'JP', 'u4', 'BR'),
      // Two members only behind DE–MX: merged.
      pair('u5', 'DE', 'u6', 'MX'),
      pair('u5', 'DE', 'u6', 'MX'),
    ]);
    expect(MIN_MEMBERS_PER_PAIR).toBe(3);
    expect(map.pairs).toEqual([{ a: 'BR', b: 'JP', conversations: 3, members: 4 }]);
    expect(map.cultures).toEqual(['BR', 'JP']);
    expect(pairCount(map, 'JP', 'BR')).toBe(3);
    expect(pairCount(map, 'DE', 'MX')).toBe(0);
    // The merged pool has two members behind it: not shown either.
    expect(map.other).toEqual({ conversations: 0, members: 0 });
    expect(map.conversations).toBe(5);
  });

  it('shows the merged pool once three members stand behind it, without naming its cultures', () => {
    const map = cultureMap([
      pair('u1', 'JP', 'u2', 'BR'),
      pair('u3', 'JP', 'u4', 'BR'),
      pair('u5', 'DE', 'u6', 'MX'),
      pair('u7', 'FR', 'u8', 'IN'),
    ]);
    expect(map.pairs).toEqual([{ a: 'BR', b: 'JP', conversations: 2, members: 4 }]);
    expect(map.other).toEqual({ conversations: 2, members: 4 });
    expect(map.cultures).not.toContain('DE');
  });

  it('a trio counts every pair of its cultures once, and skips same-culture pairs and members without cultures', () => {
    const trio: ConversationCultures = { memberIds: ['a', 'b', 'c', 'd'], cultures: { a: ['JP'], b: ['JP', 'KR'], c: ['BR'], d: [] } };
    const map = cultureMap([trio, trio, { ...trio, memberIds: ['x', 'y', 'z'], cultures: { x: ['JP'], y: ['KR'], z: ['BR'] } }]);
    expect(pairCount(map, 'JP', 'KR')).toBe(3);
    expect(pairCount(map, 'JP', 'BR')).toBe(3);
    expect(pairCount(map, 'KR', 'BR')).toBe(3);
    expect(pairCount(map, 'JP', 'JP')).toBe(0);
    expect(cultureMap([{ memberIds: ['a', 'b'], cultures: { a: ['JP'] } }]).conversations).toBe(0);
  });

  it('names at most the busiest cultures and merges the pairs of the rest', () => {
    const conversations: ConversationCultures[] = [];
    const codes = ['AA', 'BB', 'CC', 'DD'];
    for (const [i, x] of codes.entries())
      for (const y of codes.slice(i + 1))
        for (let k = 0; k < (x === 'AA' ? 3 : 1) * 3; k++) conversations.push(pair(`${x}${k}`, x, `${y}${k}`, y));
    const map = cultureMap(conversations, 2);
    expect(map.cultures).toHaveLength(2);
    expect(map.pairs.every((p) => map.cultures.includes(p.a) && map.cultures.includes(p.b))).toBe(true);
    expect(map.other.conversations).toBe(conversations.length - map.pairs.reduce((sum, p) => sum + p.conversations, 0));
  });
});

describe('passport', () => {
  it('lists the cultures partners brought, most met first, without the member’s own', () => {
    expect(
      passport(['DE'], [{ partnerCultures: { p: ['JP'], q: ['DE'] } }, { partnerCultures: { r: ['JP', 'BR'] } }, { partnerCultures: {} }]),
    ).toEqual([
      { culture: 'JP', conversations: 2 },
      { culture: 'BR', conversations: 1 },
    ]);
  });
});

describe('roundAttendance', () => {
  it('counts conversations where someone met, can’t-make-its and silences, in delivered groups only', () => {
    expect(
      roundAttendance([
        { delivered: true, memberIds: ['a', 'b'], answers: { a: 'met' } },
        { delivered: true, memberIds: ['c', 'd', 'e'], answers: { c: 'cant-make-it', d: 'not-yet' } },
        { delivered: false, memberIds: ['f', 'g'], answers: {} },
      ]),
    ).toEqual({ conversations: 2, met: 1, cantMakeIt: 1, noAnswer: 2 });
  });
});

describe('toCsv', () => {
  it('quotes as RFC 4180 says and never lets a text cell start a formula', () => {
    expect(
      toCsv([
        ['a,b', 'say "hi"', 'line\nbreak', 'plain'],
        ['=1+1', '+x', '-y', '@z'],
        [-3, 0.5, '\tt', ''],
      ]),
    ).toBe('"a,b","say ""hi""","line\nbreak",plain\r\n' + "'=1+1,'+x,'-y,'@z\r\n" + "-3,0.5,'\tt,\r\n");
  });
});
