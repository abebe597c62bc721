import { describe, expect, it } from 'vitest';
import {
  applyProfileInput,
  isActive,
  languageFromLocale,
  normalizeProfileEntries,
  normalizeProfileEntry,
  parseProfileList,
  parseProfileTimeZone,
  type Parsed,
  type Profile,
} from '../../src/core/profile.ts';
import type { Problem } from '../../src/core/problem.ts';

const EMPTY: Profile = { languages: [], cultures: [], curiousAbout: [], interests: [] };

function problemOf(result: Parsed<unknown>): Problem {
  if (result.ok) throw new Error('expected a refusal');
  return result.problem;
}

describe('parseProfileList', () => {
  it('trims, collapses whitespace, lowercases and drops empty entries', () => {
    expect(parseProfileList('interests', '  Street   Food ,jazz,, ,Hiking  ')).toEqual({
      ok: true,
      value: ['street food', 'jazz', 'hiking'],
    });
  });

  it('de-duplicates case-insensitively, keeping the first spelling', () => {
    expect(parseProfileList('interests', 'Jazz, jazz, JAZZ, Go')).toEqual({ ok: true, value: ['jazz', 'go'] });
    expect(parseProfileList('cultures', 'Yoruba, yoruba, Sámi, SÁMI')).toEqual({ ok: true, value: ['yoruba', 'sámi'] });
  });

  it('also separates entries by newlines, as pasted into the join form', () => {
    expect(parseProfileList('curiousAbout', 'japan\nthe andes')).toEqual({ ok: true, value: ['JP', 'the andes'] });
  });

  it.each(['-', 'none', ' None ', ''])('clears the list for %j', (typed) => {
    expect(parseProfileList('interests', typed)).toEqual({ ok: true, value: [] });
  });

  it('accepts 8 entries and refuses 9, naming the field and the limit', () => {
    const eight = Array.from({ length: 8 }, (_, i) => `topic ${i}`);
    expect(parseProfileList('interests', eight.join(','))).toEqual({ ok: true, value: eight });
    expect(problemOf(parseProfileList('curiousAbout', [...eight, 'topic 8'].join(',')))).toEqual({
      code: 'profile-too-many-entries',
      values: { field: 'curious_about', given: 9, max: 8 },
    });
  });

  it('counts entries after de-duplication', () => {
    const eight = Array.from({ length: 8 }, (_, i) => `topic ${i}`);
    expect(parseProfileList('interests', [...eight, 'TOPIC 0'].join(','))).toEqual({ ok: true, value: eight });
  });

  it('accepts a 40-character entry and refuses a 41-character one with the limit in the message', () => {
    expect(parseProfileList('cultures', 'a'.repeat(40))).toEqual({ ok: true, value: ['a'.repeat(40)] });
    expect(problemOf(parseProfileList('cultures', `ok, ${'b'.repeat(41)}`))).toEqual({
      code: 'profile-entry-too-long',
      values: { field: 'cultures', entry: { typed: 'b'.repeat(41) }, length: 41, max: 40 },
    });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(parseProfileList('interests', '🎷'.repeat(40))).toEqual({ ok: true, value: ['🎷'.repeat(40)] });
  });

  it.each([
    '@everyone',
    'jazz, <@123456789012345678>',
    '<#1234>',
    'a > b',
    'https://example.com',
    'see www.example.com',
    'discord.gg/invite',
  ])('refuses mentions, markup and links: %j', (typed) => {
    const problem = problemOf(parseProfileList('interests', typed));
    expect(problem.code).toBe('profile-markup');
    expect(problem.values?.field).toBe('interests');
  });

  it('keeps dotted words that are not links', () => {
    expect(parseProfileList('interests', 'Node.js, Dr. Who')).toEqual({ ok: true, value: ['node.js', 'dr. who'] });
  });

  it('stores languages as ISO 639-1 codes, whatever language they are named in, and de-duplicates after that', () => {
    expect(parseProfileList('languages', 'en, pt-BR, Español, ZH-Hant, Spanish, スペイン語, English, Deutsch')).toEqual({
      ok: true,
      value: ['en', 'pt', 'es', 'zh', 'de'],
    });
  });

  it('keeps a language it cannot name unambiguously as lowercase free text', () => {
    // "Akan" names both ak and tw; "Klingon" and "yue" have no two-letter code.
    expect(parseProfileList('languages', 'Akan, Klingon, yue')).toEqual({ ok: true, value: ['akan', 'klingon', 'yue'] });
  });

  it('stores cultures and curiosities that name a region as its code, the rest as lowercase free text', () => {
    expect(parseProfileList('cultures', 'Brazil, Brasil, Brésil, BR, Yoruba, Congo')).toEqual({
      ok: true,
      value: ['BR', 'yoruba', 'congo'],
    });
    expect(parseProfileList('curiousAbout', 'ブラジル, Deutschland, the Andes')).toEqual({ ok: true, value: ['BR', 'DE', 'the andes'] });
  });

  it('reads a region code only in capitals, so a short word stays a word', () => {
    expect(parseProfileList('cultures', 'no, bi, it')).toEqual({ ok: true, value: ['no', 'bi', 'it'] });
    expect(parseProfileList('cultures', 'NO, IT')).toEqual({ ok: true, value: ['NO', 'IT'] });
  });

  it('leaves interests as free text, even when they name a language or a region', () => {
    expect(parseProfileList('interests', 'Spanish, Brazil')).toEqual({ ok: true, value: ['spanish', 'brazil'] });
  });

  it('checks the length of what was typed, not of the code it becomes', () => {
    // German names South Georgia in 44 characters: refused, though it would be stored as "GS".
    expect(problemOf(parseProfileList('cultures', 'Südgeorgien und die Südlichen Sandwichinseln'))).toMatchObject({
      code: 'profile-entry-too-long',
      values: { length: 44, max: 40 },
    });
    expect(parseProfileList('cultures', 'South Georgia & South Sandwich Islands')).toEqual({ ok: true, value: ['GS'] });
  });
});

describe('normalizeProfileEntry', () => {
  it.each([
    ['languages', 'en', 'en'],
    ['languages', 'EN', 'en'],
    ['languages', 'pt_BR', 'pt'],
    ['languages', 'spa', 'es'],
    ['languages', 'english', 'en'],
    ['languages', 'portuguese', 'pt'],
    ['languages', 'español', 'es'],
    ['languages', '  Haitian   Creole ', 'ht'],
    ['languages', 'mandarin', 'mandarin'],
    ['languages', 'xx', 'xx'],
    ['cultures', 'brazil', 'BR'],
    ['cultures', 'UK', 'GB'],
    ['curiousAbout', 'turkey', 'TR'],
    ['curiousAbout', 'br', 'br'],
    ['interests', 'Brazil', 'brazil'],
  ] as const)('%s: %j → %j', (field, typed, expected) => {
    expect(normalizeProfileEntry(field, typed)).toBe(expected);
  });

  it('gives a stored entry back unchanged, so normalizing a stored profile twice changes nothing', () => {
    const stored = ['es', 'BR', 'the andes', 'akan', 'br', 'yue'];
    for (const field of ['languages', 'cultures', 'curiousAbout', 'interests'] as const) {
      const once = normalizeProfileEntries(field, stored);
      expect(normalizeProfileEntries(field, once)).toEqual(once);
    }
  });

  it('merges stored entries that become the same code', () => {
    expect(normalizeProfileEntries('languages', ['english', 'en', 'spanish', 'español'])).toEqual(['en', 'es']);
  });
});

describe('languageFromLocale', () => {
  it.each([
    ['en-US', 'en'],
    ['en-GB', 'en'],
    ['pt-BR', 'pt'],
    ['es-419', 'es'],
    ['zh-TW', 'zh'],
    ['ja', 'ja'],
    ['', 'en'],
    ['not a locale', 'en'],
    ['Spanish', 'en'],
  ])('%j → %j', (locale, expected) => {
    expect(languageFromLocale(locale)).toBe(expected);
  });
});

describe('parseProfileTimeZone', () => {
  it('gives the canonical IANA spelling', () => {
    expect(parseProfileTimeZone(' europe/berlin ')).toEqual({ ok: true, value: 'Europe/Berlin' });
  });

  it('clears with - or none', () => {
    expect(parseProfileTimeZone('-')).toEqual({ ok: true, value: undefined });
    expect(parseProfileTimeZone('none')).toEqual({ ok: true, value: undefined });
  });

  it('refuses an unknown zone with examples', () => {
    expect(problemOf(parseProfileTimeZone('Mars/Olympus'))).toEqual({
      code: 'profile-bad-time-zone',
      values: { typed: { typed: 'Mars/Olympus' } },
    });
  });
});

describe('applyProfileInput', () => {
  const profile: Profile = { timeZone: 'Asia/Tokyo', languages: ['ja'], cultures: ['JP'], curiousAbout: [], interests: ['anime'] };

  it('changes only the fields given', () => {
    expect(applyProfileInput(profile, { interests: 'Go, tea', timeZone: 'Europe/Lisbon' })).toEqual({
      ok: true,
      value: { ...profile, interests: ['go', 'tea'], timeZone: 'Europe/Lisbon' },
    });
  });

  it('clears the time zone and a list', () => {
    const applied = applyProfileInput(profile, { timeZone: 'none', cultures: '-' });
    expect(applied).toEqual({ ok: true, value: { languages: ['ja'], cultures: [], curiousAbout: [], interests: ['anime'] } });
  });

  it('refuses the whole change when one field is invalid', () => {
    const applied = applyProfileInput(EMPTY, { languages: 'en', interests: '@here' });
    expect(applied.ok).toBe(false);
  });
});

describe('isActive', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('is true for an opted-in member without a pause', () => {
    expect(isActive({ optedIn: true }, now)).toBe(true);
  });

  it('is false for a member who is not opted in, even without a pause', () => {
    expect(isActive({ optedIn: false }, now)).toBe(false);
  });

  it('is false during a pause and true again from the instant it ends', () => {
    expect(isActive({ optedIn: true, pausedUntil: '2026-03-01T12:00:01Z' }, now)).toBe(false);
    expect(isActive({ optedIn: true, pausedUntil: '2026-03-01T12:00:00Z' }, now)).toBe(true);
  });
});
