import fc from 'fast-check';
import {
  MAX_PROFILE_ENTRIES,
  MAX_PROFILE_ENTRY_LENGTH,
  parseProfileList,
  type Profile,
  type ProfileListField,
} from '../../src/core/profile.ts';

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
