import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type TOptions } from 'i18next';
import { SUPPORTED_LOCALES, type SupportedLocale } from '../core/locales.ts';
import { quoteTyped } from '../core/quoteTyped.ts';

export { isSupportedLocale, resolveLocale, SUPPORTED_LOCALES, type SupportedLocale } from '../core/locales.ts';

/** Discord's two English locales share one set of files. */
const FOLDER_OF: Readonly<Record<SupportedLocale, string>> = {
  'en-US': 'en',
  'en-GB': 'en',
  'es-ES': 'es-ES',
  'es-419': 'es-419',
  'pt-BR': 'pt-BR',
  fr: 'fr',
  de: 'de',
  it: 'it',
  ja: 'ja',
  ko: 'ko',
  'zh-CN': 'zh-CN',
  hi: 'hi',
  id: 'id',
  tr: 'tr',
  vi: 'vi',
  uk: 'uk',
};

export const LOCALES_DIRECTORY = fileURLToPath(new URL('../../locales/', import.meta.url));

/** Every namespace of every locale folder, read once (the files ship with the bot). */
export function readResources(directory = LOCALES_DIRECTORY): Record<string, Record<string, Record<string, unknown>>> {
  const resources: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const folder of readdirSync(directory, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    const namespaces: Record<string, Record<string, unknown>> = {};
    for (const file of readdirSync(`${directory}/${folder.name}`)) {
      if (!file.endsWith('.json')) continue;
      namespaces[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(`${directory}/${folder.name}/${file}`, 'utf8')) as Record<
        string,
        unknown
      >;
    }
    resources[folder.name] = namespaces;
  }
  return resources;
}

let instance: i18n | undefined;

function i18nInstance(): i18n {
  if (instance) return instance;
  const resources = readResources();
  const created = i18next.createInstance();
  void created.init({
    resources,
    lng: 'en',
    // Latin American Spanish falls back on Spain's before English; everything ends in English.
    fallbackLng: { 'es-419': ['es-ES', 'en'], default: ['en'] },
    ns: Object.keys(resources.en ?? {}),
    defaultNS: 'common',
    initAsync: false,
    // Discord is not HTML; what members typed is escaped for Markdown by the builders.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  created.services.formatter?.add('quote', (value: unknown) => quoteTyped(String(value)));
  instance = created;
  return created;
}

/** Text in one locale: translations, and the locale's way of writing numbers, lists and names. */
export interface Translator {
  readonly locale: SupportedLocale;
  t(key: string, values?: TOptions): string;
  /** Whether `key` has a text (in this locale or a fallback). */
  has(key: string): boolean;
  /** "A, B and C" (or "A, B or C") in the locale's words. */
  list(items: readonly string[], type?: 'conjunction' | 'disjunction'): string;
  number(value: number): string;
  /** A server-local calendar date (`2026-01-15`) as the locale writes it. */
  date(localDate: string): string;
}

export function translator(locale: SupportedLocale): Translator {
  const i18n = i18nInstance();
  const folder = FOLDER_OF[locale];
  const fixed = i18n.getFixedT(folder);
  const lists = {
    conjunction: new Intl.ListFormat(locale, { type: 'conjunction' }),
    disjunction: new Intl.ListFormat(locale, { type: 'disjunction' }),
  };
  const numbers = new Intl.NumberFormat(locale);
  // The date is already local to the server; formatting it at UTC keeps it the same calendar day.
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return {
    locale,
    t: (key, values) => fixed(key, { lng: folder, ...values }),
    has: (key) => i18n.exists(key, { lng: folder }),
    list: (items, type = 'conjunction') => lists[type].format(items),
    number: (value) => numbers.format(value),
    date: (localDate) => {
      const at = Date.parse(`${localDate}T00:00:00Z`);
      return Number.isNaN(at) ? localDate : dates.format(at);
    },
  };
}

/** The non-English folders a locale reads, in order (Latin American Spanish falls back on Spain's). */
const TRANSLATED_CHAIN: Readonly<Partial<Record<SupportedLocale, readonly string[]>>> = { 'es-419': ['es-419', 'es-ES'] };

/**
 * `name_localizations` for a command, option or choice: each supported locale's text for `key`,
 * where one is translated (Discord shows the English text to the others).
 */
export function localizations(key: string): Partial<Record<SupportedLocale, string>> {
  const i18n = i18nInstance();
  const result: Partial<Record<SupportedLocale, string>> = {};
  for (const locale of SUPPORTED_LOCALES) {
    if (FOLDER_OF[locale] === 'en') continue;
    const folder = (TRANSLATED_CHAIN[locale] ?? [FOLDER_OF[locale]]).find((candidate) =>
      i18n.exists(key, { lng: candidate, fallbackLng: false }),
    );
    if (folder !== undefined) result[locale] = i18n.getFixedT(folder)(key);
  }
  return result;
}

/** A locale by its own name, "Español (España)", "日本語": how each member finds their language in a list. */
export function nativeLocaleName(locale: SupportedLocale): string {
  const name = new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? locale;
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}
