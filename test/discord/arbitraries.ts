import fc from 'fast-check';
import {
  MAX_PROFILE_ENTRIES,
  MAX_PROFILE_ENTRY_LENGTH,
  parseProfileList,
  type Profile,
  type ProfileListField,
} from '../../src/core/profile.ts';
import { DISCORD_FAILURE_KINDS, FAILURE_STEPS, OWN_FAILURE_KINDS } from '../../src/core/failure.ts';
import { SUPPORTED_LOCALES } from '../../src/core/locales.ts';
import { translator } from '../../src/discord/i18n.ts';
import type { PostRecord } from '../../src/store/promptLogStore.ts';
import { ROUND_STATUSES, type RoundRecord } from '../../src/store/roundStore.ts';

/**
 * Property runs per test: enough to meet the edges, few enough to keep `npm test` quick. The time
 * limit bounds shrinking, which on these large inputs could otherwise take minutes to report a failure.
 */
export function runs(numRuns = 60) {
  return { numRuns, interruptAfterTimeLimit: 5000 } as const;
}

export const RUNS = runs();

/** A Discord id: 17 to 20 digits (the longest a 64-bit snowflake gets). */
export const snowflake = fc.bigInt({ min: 10n ** 16n, max: 2n ** 64n - 1n }).map(String);

// What members type that is hard on a message: Markdown, characters that grow when lowercased or
// capitalised (İ, ß, ΐ) or normalized (the ligature שּׁ becomes three characters), characters of two
// UTF-16 units, emoji sequences and combining marks.
// No `@`, `<`, `>`, `/`, commas or newlines: the profile parser refuses or splits on those.
const HARD_CHARACTERS = [
  '*',
  '_',
  '~',
  '|',
  '`',
  '\\',
  '#',
  '-',
  '[',
  ']',
  '(',
  ')',
  ':',
  '.',
  '!',
  'İ',
  'ß',
  'ΐ',
  '\uFB2C',
  'é',
  'e\u0301',
  '😀',
  '🇧🇷',
  '👩‍👩‍👧',
  ' ',
  'a',
  'z',
  '1',
];

/** The first `max` code points once normalized, as the profile parser counts them. */
function codePoints(text: string, max: number): string {
  return [...text.normalize('NFC')].slice(0, max).join('');
}

/** One profile entry as typed: at most `max` code points (the parser's own measure). */
export function typedEntry(max: number = MAX_PROFILE_ENTRY_LENGTH): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...HARD_CHARACTERS), { minLength: 1, maxLength: max, size: 'max' })
    .map((characters) => codePoints(characters.join(''), max))
    .filter((entry) => entry.trim() !== '' && !/^(?:-|none)$/i.test(entry.trim()));
}

/** Exactly `count` distinct entries of exactly `length` code points: a list at the limits. */
export function fullEntries(count: number = MAX_PROFILE_ENTRIES, length: number = MAX_PROFILE_ENTRY_LENGTH): fc.Arbitrary<string[]> {
  return fc
    .array(
      fc.constantFrom(...HARD_CHARACTERS.filter((character) => [...character.normalize('NFC')].length === 1 && character.trim() !== '')),
      {
        minLength: length,
        maxLength: length,
      },
    )
    .map((characters) =>
      Array.from({ length: count }, (_, index) => {
        const tag = `q${index}`;
        return [...characters.slice(0, length - tag.length), ...tag].join('');
      }),
    );
}

/** A stored profile list: what the parser keeps from a typed list the command accepts. */
export function storedList(field: ProfileListField, atLimits = false): fc.Arbitrary<string[]> {
  const typed = atLimits ? fullEntries() : fc.array(typedEntry(), { maxLength: MAX_PROFILE_ENTRIES, size: 'max' });
  return typed.map((entries) => {
    const parsed = parseProfileList(field, entries.join(', '));
    if (!parsed.ok) throw new Error(`The arbitrary made a list the parser refuses: ${parsed.problem}`);
    return parsed.value;
  });
}

/** Lists past what the commands accept: more and longer entries, as a stale store might hold. */
export function oversizedList(): fc.Arbitrary<string[]> {
  return fc.array(typedEntry(100), { minLength: 9, maxLength: 20, size: 'max' });
}

export function storedProfile(atLimits = false): fc.Arbitrary<Profile> {
  return fc.record({
    languages: storedList('languages', atLimits),
    cultures: storedList('cultures', atLimits),
    curiousAbout: storedList('curiousAbout', atLimits),
    interests: storedList('interests', atLimits),
    timeZone: fc.constantFrom(undefined, 'UTC', 'America/Argentina/ComodRivadavia', 'America/Port_of_Spain'),
  });
}

/** An instant from 2020 to 2100, as rounds and check-ins use. */
export const instant = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

/** Why work failed, with any detail a store might hold (format-1 stores kept Discord's own words). */
export const failure = fc.record(
  {
    kind: fc.constantFrom(...DISCORD_FAILURE_KINDS, ...OWN_FAILURE_KINDS),
    step: fc.constantFrom(...FAILURE_STEPS),
    code: fc.integer({ min: 0, max: 999_999 }),
    detail: fc.string({ maxLength: 3000, size: 'max' }),
  },
  { requiredKeys: ['kind'] },
);

/** A round as stored, in any state, with up to 2,500 groups. */
export const storedRound = fc
  .record({
    number: fc.integer({ min: 1, max: 2 ** 31 }),
    channelId: snowflake,
    status: fc.constantFrom(...ROUND_STATUSES),
    relaxed: fc.subarray(['repeat-avoidance', 'common-language']),
    groupCount: fc.nat({ max: 2500 }),
    unmatched: fc.array(snowflake, { maxLength: 1 }),
    outcome: fc.option(
      fc.record(
        {
          delivered: fc.nat({ max: 2500 }),
          failed: fc.nat({ max: 2500 }),
          cancelled: fc.nat({ max: 2500 }),
          waiting: fc.nat({ max: 2500 }),
          membersDelivered: fc.nat({ max: 7500 }),
          topFailure: fc.record({ failure, count: fc.nat({ max: 2500 }) }),
        },
        { requiredKeys: ['delivered', 'failed', 'cancelled', 'waiting', 'membersDelivered'] },
      ),
      { nil: undefined },
    ),
  })
  .map(({ number, channelId, status, relaxed, groupCount, unmatched, outcome }): RoundRecord => ({
    id: `2026-01-12-${number}`,
    number,
    date: '2026-01-12',
    trigger: 'manual',
    channelId,
    createdAt: '2026-01-12T17:00:00.000Z',
    status,
    relaxed,
    groupCount,
    cursor: groupCount,
    retry: [],
    unmatched,
    leftBeforePlanning: 0,
    checkInAt: '2026-01-15T17:00:00.000Z',
    checkInStatus: 'pending',
    checkInCursor: 0,
    checkInClosesAt: '2026-01-19T17:00:00.000Z',
    ...(outcome ? { outcome } : {}),
  }));

/** A daily post as stored, in any state. */
export const storedPost = fc
  .record(
    {
      status: fc.constantFrom('pending' as const, 'sent' as const, 'posted' as const, 'failed' as const),
      failure,
      retryAt: instant.map((at) => at.toISOString()),
    },
    { requiredKeys: ['status'] },
  )
  .map((post): PostRecord => ({
    kind: 'daily',
    date: '2026-01-12',
    themeId: 'self-reflection',
    promptId: 'self-reflection-01',
    channelId: '1',
    nonce: 'n',
    claimedAt: '2026-01-12T08:00:00.000Z',
    withThread: true,
    attempts: 0,
    ...post,
  }));

/** Every language Bridges speaks: each builder's limits must hold in all of them (German runs long). */
export const anyLocale = fc.constantFrom(...SUPPORTED_LOCALES);
/** A translator for any supported locale. */
export const anyTranslator = anyLocale.map((locale) => translator(locale));
