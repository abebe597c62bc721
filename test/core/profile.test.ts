import { describe, expect, it } from 'vitest';
import {
  applyProfileInput,
  isActive,
  languageFromLocale,
  normalizeLanguage,
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
    expect(parseProfileList('cultures', 'Brazil, brazil, BRAZIL, Yoruba')).toEqual({ ok: true, value: ['brazil', 'yoruba'] });
  });

  it('also separates entries by newlines, as pasted into the join form', () => {
    expect(parseProfileList('curiousAbout', 'japan\nthe andes')).toEqual({ ok: true, value: ['japan', 'the andes'] });
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

  it('normalizes language codes to English names', () => {
    expect(parseProfileList('languages', 'en, pt-BR, Español, ZH-Hant, yue, English')).toEqual({
      ok: true,
      value: ['english', 'portuguese', 'español', 'chinese', 'cantonese'],
    });
  });
});

describe('normalizeLanguage', () => {
  it.each([
    ['en', 'english'],
    ['EN', 'english'],
    ['pt-BR', 'portuguese'],
    ['pt_BR', 'portuguese'],
    ['ase', 'american sign language'],
    ['German', 'german'],
    ['  Haitian   Creole ', 'haitian creole'],
    ['xx', 'xx'],
  ])('%j → %j', (typed, expected) => {
    expect(normalizeLanguage(typed)).toBe(expected);
  });
});

describe('languageFromLocale', () => {
  it.each([
    ['en-US', 'english'],
    ['en-GB', 'english'],
    ['pt-BR', 'portuguese'],
    ['es-419', 'spanish'],
    ['zh-TW', 'chinese'],
    ['ja', 'japanese'],
    ['', 'english'],
    ['not a locale', 'english'],
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
  const profile: Profile = { timeZone: 'Asia/Tokyo', languages: ['japanese'], cultures: ['japan'], curiousAbout: [], interests: ['anime'] };

  it('changes only the fields given', () => {
    expect(applyProfileInput(profile, { interests: 'Go, tea', timeZone: 'Europe/Lisbon' })).toEqual({
      ok: true,
      value: { ...profile, interests: ['go', 'tea'], timeZone: 'Europe/Lisbon' },
    });
  });

  it('clears the time zone and a list', () => {
    const applied = applyProfileInput(profile, { timeZone: 'none', cultures: '-' });
    expect(applied).toEqual({ ok: true, value: { languages: ['japanese'], cultures: [], curiousAbout: [], interests: ['anime'] } });
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
