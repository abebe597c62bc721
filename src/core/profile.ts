/**
 * Member profiles for pairing rounds: parsing what members type into the normalized lists the
 * matcher compares, and deciding who takes part in a round.
 *
 * Pure: no Discord, no store; the current instant is passed in.
 */
import { resolveLanguage, resolveLanguageCode, resolveRegion } from './languageCodes.ts';
import { problem, type Problem } from './problem.ts';
import { canonicalTimeZone } from './schedule.ts';

/**
 * A profile as stored and as the matcher reads it, each entry whitespace-collapsed: a language as
 * its ISO 639-1 code (`es`), a culture or curiosity that names a region as its ISO 3166-1 code
 * (`BR`), anything else as lowercase free text, which still matches the same text.
 */
export interface Profile {
  readonly timeZone?: string | undefined;
  readonly languages: readonly string[];
  readonly cultures: readonly string[];
  readonly curiousAbout: readonly string[];
  readonly interests: readonly string[];
}

/** The profile fields that hold lists. */
export type ProfileListField = 'languages' | 'cultures' | 'curiousAbout' | 'interests';

/** Every list field, in the order members see them. */
export const PROFILE_LIST_FIELDS: readonly ProfileListField[] = ['languages', 'cultures', 'curiousAbout', 'interests'];

/** The names members type: the slash command options and the join form's fields. */
export const PROFILE_FIELD_NAMES: Readonly<Record<ProfileListField | 'timeZone', string>> = {
  languages: 'languages',
  cultures: 'cultures',
  curiousAbout: 'curious_about',
  interests: 'interests',
  timeZone: 'timezone',
};

/** Most entries one list may hold. */
export const MAX_PROFILE_ENTRIES = 8;
/** Longest entry, in characters. */
export const MAX_PROFILE_ENTRY_LENGTH = 40;

/** What a member typed for each field; an absent field stays as it is. */
export type ProfileInput = Partial<Record<ProfileListField | 'timeZone', string>>;

/** A parse result: the value, or the problem (naming the field) for the edge to explain. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Problem };

const CLEAR_WORDS = new Set(['-', 'none']);
const MARKUP = /[@<>]/;
// Bare dotted words stay allowed ("node.js"); a scheme, "www." or a domain with a path is a link.
const LINK = /:\/\/|\bwww\.|\b[a-z0-9-]+\.[a-z]{2,}\/\S*/i;

/**
 * Parses one comma-separated profile list: entries are trimmed, whitespace-collapsed, normalized by
 * {@link normalizeProfileEntry} ("Spanish" and "español" both become `es`) and de-duplicated after
 * that normalization. `-` or `none`
 * clears the list. More than {@link MAX_PROFILE_ENTRIES} entries, an entry longer than
 * {@link MAX_PROFILE_ENTRY_LENGTH} characters, or an entry with `@`, `<`, `>` or a link is refused,
 * never truncated. Newlines separate entries too, since the join form allows pasting a list.
 */
export function parseProfileList(field: ProfileListField, typed: string): Parsed<string[]> {
  const name = PROFILE_FIELD_NAMES[field];
  if (CLEAR_WORDS.has(typed.trim().toLowerCase())) return { ok: true, value: [] };
  const entries: string[] = [];
  const seen = new Set<string>();
  for (const part of typed.split(/[,\n]/)) {
    const entry = collapseWhitespace(part);
    if (entry === '') continue;
    if (MARKUP.test(entry) || LINK.test(entry)) {
      return { ok: false, problem: problem('profile-markup', { field: name, entry: { typed: entry } }) };
    }
    const length = [...entry].length;
    if (length > MAX_PROFILE_ENTRY_LENGTH) {
      return {
        ok: false,
        problem: problem('profile-entry-too-long', { field: name, entry: { typed: entry }, length, max: MAX_PROFILE_ENTRY_LENGTH }),
      };
    }
    const normalized = normalizeProfileEntry(field, entry);
    if (seen.has(normalized)) continue;
    seen.add(normalized);
    entries.push(normalized);
  }
  if (entries.length > MAX_PROFILE_ENTRIES) {
    return { ok: false, problem: problem('profile-too-many-entries', { field: name, given: entries.length, max: MAX_PROFILE_ENTRIES }) };
  }
  return { ok: true, value: entries };
}

/** A time zone as typed: its canonical IANA name, `undefined` for `-` or `none`, or a problem. */
export function parseProfileTimeZone(typed: string): Parsed<string | undefined> {
  const trimmed = typed.trim();
  if (CLEAR_WORDS.has(trimmed.toLowerCase())) return { ok: true, value: undefined };
  const zone = canonicalTimeZone(trimmed);
  if (!zone) {
    return { ok: false, problem: problem('profile-bad-time-zone', { typed: { typed: trimmed } }) };
  }
  return { ok: true, value: zone };
}

/**
 * The profile after applying what was typed: only the fields present in `input` change, and the
 * first invalid field refuses the whole change.
 */
export function applyProfileInput<P extends Profile>(profile: P, input: ProfileInput): Parsed<P> {
  let next: P = { ...profile };
  for (const field of PROFILE_LIST_FIELDS) {
    const typed = input[field];
    if (typed === undefined) continue;
    const parsed = parseProfileList(field, typed);
    if (!parsed.ok) return parsed;
    next = { ...next, [field]: parsed.value };
  }
  if (input.timeZone !== undefined) {
    const parsed = parseProfileTimeZone(input.timeZone);
    if (!parsed.ok) return parsed;
    next = { ...next, timeZone: parsed.value };
  }
  return { ok: true, value: next };
}

/**
 * One entry as stored: a language that `resolveLanguage` names unambiguously becomes its code
 * (`Spanish` → `es`), a culture or curiosity that names a region becomes its code (`Brasil` →
 * `BR`), and anything else is kept as lowercase, whitespace-collapsed free text. Interests are
 * always free text. Normalizing a stored entry again gives it back unchanged.
 */
export function normalizeProfileEntry(field: ProfileListField, typed: string): string {
  const text = collapseWhitespace(typed);
  switch (field) {
    case 'languages':
      return resolveLanguage(text) ?? text.toLowerCase();
    case 'cultures':
    case 'curiousAbout':
      return resolveRegion(text) ?? text.toLowerCase();
    case 'interests':
      return text.toLowerCase();
  }
}

/** A stored list normalized by today's rules, keeping the first of entries that become the same. */
export function normalizeProfileEntries(field: ProfileListField, entries: readonly string[]): string[] {
  return [...new Set(entries.map((entry) => normalizeProfileEntry(field, entry)))];
}

/**
 * The language of a Discord locale as a profile entry: `'en-US'` → `'en'`, `'pt-BR'` → `'pt'`. A
 * locale without a two-letter language code gives `'en'`, Discord's default.
 */
export function languageFromLocale(locale: string): string {
  return resolveLanguageCode(locale.trim()) ?? 'en';
}

/** Taking part in rounds: opted in and not paused (a pause ends by itself when its time passes). */
export function isActive(member: { readonly optedIn: boolean; readonly pausedUntil?: string | undefined }, now: Date): boolean {
  if (!member.optedIn) return false;
  return member.pausedUntil === undefined || Date.parse(member.pausedUntil) <= now.getTime();
}

/** Whether a pause is still running at `now`. */
export function isPaused(member: { readonly pausedUntil?: string | undefined }, now: Date): boolean {
  return member.pausedUntil !== undefined && Date.parse(member.pausedUntil) > now.getTime();
}

function collapseWhitespace(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}
