import type { SupportedLocale } from '../core/locales.ts';
import type { ProfileListField } from '../core/profile.ts';
import { escapeUserText } from './limits.ts';

const LANGUAGE_CODE = /^[a-z]{2,3}$/;
const REGION_CODE = /^[A-Z]{2}$/;

const displayNames = new Map<string, Intl.DisplayNames>();
function namesOf(locale: SupportedLocale, type: 'language' | 'region'): Intl.DisplayNames {
  const key = `${locale}:${type}`;
  let names = displayNames.get(key);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type, fallback: 'none' });
    displayNames.set(key, names);
  }
  return names;
}

/**
 * A profile entry as a reader sees it: a language or region code by its name in the reader's
 * language ("es" → "Spanish", "español", "スペイン語"); free text as the member typed it (with
 * `capitalised`, as a name in a sentence), never as Markdown or a mention.
 */
export function profileEntryLabel(field: ProfileListField, entry: string, locale: SupportedLocale, { capitalised = false } = {}): string {
  if (field === 'languages' && LANGUAGE_CODE.test(entry)) {
    const name = namesOf(locale, 'language').of(entry);
    if (name !== undefined) return escapeUserText(name);
  }
  if ((field === 'cultures' || field === 'curiousAbout') && REGION_CODE.test(entry)) {
    const name = namesOf(locale, 'region').of(entry);
    if (name !== undefined) return escapeUserText(name);
  }
  return escapeUserText(capitalised ? capitalise(entry) : entry);
}

/** A culture or language as drawn in an image: its name in the reader's language, or the typed text, plain (no Markdown). */
export function profileEntryPlainLabel(field: ProfileListField, entry: string, locale: SupportedLocale): string {
  if (field === 'languages' && LANGUAGE_CODE.test(entry)) return namesOf(locale, 'language').of(entry) ?? entry;
  if ((field === 'cultures' || field === 'curiousAbout') && REGION_CODE.test(entry)) return namesOf(locale, 'region').of(entry) ?? entry;
  return capitalise(entry);
}

function capitalise(text: string): string {
  return text.replace(/(^|[\s-])(\p{Ll})/gu, (_match, before: string, letter: string) => before + letter.toUpperCase());
}
