/**
 * The Discord locales Bridges speaks, and which one a server or a group is written to in.
 * Pure: the locale of a guild or a member is passed in.
 */

/** English first: it is the source of every text and the end of every fallback. */
export const SUPPORTED_LOCALES = [
  'en-US',
  'en-GB',
  'es-ES',
  'es-419',
  'pt-BR',
  'fr',
  'de',
  'it',
  'ja',
  'ko',
  'zh-CN',
  'hi',
  'id',
  'tr',
  'vi',
  'uk',
] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

export function isSupportedLocale(locale: string | undefined): locale is SupportedLocale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(locale ?? '');
}

/** The first of the candidates Bridges speaks, else English (US). */
export function resolveLocale(...candidates: readonly (string | undefined)[]): SupportedLocale {
  return candidates.find(isSupportedLocale) ?? 'en-US';
}

/** A server's choice of languages for what Bridges posts (`/setup language`). */
export interface ServerLanguage {
  /** Absent: the server's Discord locale. */
  readonly primary?: string | undefined;
  readonly secondary?: string | undefined;
}

/**
 * The locales of a server's posts: its chosen language(s), else its Discord preferred locale,
 * else English. A second language equal to the first adds nothing.
 */
export function serverLocales(language: ServerLanguage | undefined, preferredLocale: string | undefined): SupportedLocale[] {
  const primary = resolveLocale(language?.primary, preferredLocale);
  const secondary = language?.secondary;
  return isSupportedLocale(secondary) && secondary !== primary ? [primary, secondary] : [primary];
}

/** The language (ISO 639) a locale is written in: `pt-BR` → `pt`. */
export function languageOfLocale(locale: string): string {
  return locale.split('-')[0]?.toLowerCase() ?? locale;
}

/** Where one language has several locales, the one Bridges writes when nothing says which. */
const LOCALE_OF_LANGUAGE: Readonly<Record<string, SupportedLocale>> = {
  en: 'en-US',
  es: 'es-ES',
  pt: 'pt-BR',
  fr: 'fr',
  de: 'de',
  it: 'it',
  ja: 'ja',
  ko: 'ko',
  zh: 'zh-CN',
  hi: 'hi',
  id: 'id',
  tr: 'tr',
  vi: 'vi',
  uk: 'uk',
};

/**
 * The locale of a group's introduction and check-in: the server's locale when the group shares its
 * language, else the first shared language Bridges speaks, else the server's locale.
 * `sharedLanguages` are profile entries: ISO 639 codes, or free text that matches nothing here.
 */
export function groupLocale(sharedLanguages: readonly string[], serverLocale: SupportedLocale): SupportedLocale {
  const shared = new Set(sharedLanguages.map((language) => language.toLowerCase()));
  if (shared.has(languageOfLocale(serverLocale))) return serverLocale;
  for (const language of sharedLanguages) {
    const locale = LOCALE_OF_LANGUAGE[language.toLowerCase()];
    if (locale !== undefined) return locale;
  }
  return serverLocale;
}
