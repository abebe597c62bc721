import { isRecord } from './util.ts';

/**
 * Every locale Discord accepts, in the order of Discord's reference page. `ar` and `he` are not on
 * that page yet but are in Discord's OpenAPI description (AvailableLocalesEnum, and
 * `maxProperties: 34` on every localization map), so Discord takes them.
 */
export const DISCORD_LOCALES = [
  'id',
  'da',
  'de',
  'en-GB',
  'en-US',
  'es-ES',
  'es-419',
  'fr',
  'hr',
  'it',
  'lt',
  'hu',
  'nl',
  'no',
  'pl',
  'pt-BR',
  'ro',
  'fi',
  'sv-SE',
  'vi',
  'tr',
  'cs',
  'el',
  'bg',
  'ru',
  'uk',
  'hi',
  'th',
  'zh-CN',
  'ja',
  'zh-TW',
  'ko',
  'ar',
  'he',
] as const;

export type DiscordLocale = (typeof DISCORD_LOCALES)[number];

const LOCALE_SET: ReadonlySet<string> = new Set(DISCORD_LOCALES);

export function isDiscordLocale(value: unknown): value is DiscordLocale {
  return typeof value === 'string' && LOCALE_SET.has(value);
}

/** Discord's BASE_TYPE_CHOICES message for a key that is not a locale (it prints a Python tuple). */
export const LOCALE_CHOICES_MESSAGE = `Value must be one of (${DISCORD_LOCALES.map((l) => `'${l}'`).join(', ')}).`;

/** Throws unless `locale` is a Discord locale; for the emulator's own API, where a typo should fail loudly. */
export function requireDiscordLocale(locale: string, what: string): DiscordLocale {
  if (!isDiscordLocale(locale)) throw new Error(`${what} "${locale}" is not a Discord locale (one of ${DISCORD_LOCALES.join(', ')})`);
  return locale;
}

/** The clients' fallbacks when a localization map lacks the user's locale (Discord's docs, "Locale fallbacks"). */
const CLIENT_FALLBACK: Partial<Record<DiscordLocale, DiscordLocale>> = { 'en-US': 'en-GB', 'en-GB': 'en-US', 'es-419': 'es-ES' };

/** The text a localization map holds for exactly `locale`, if any. */
export function localizationFor(map: unknown, locale: string): string | undefined {
  if (!isRecord(map)) return undefined;
  const value = map[locale];
  return typeof value === 'string' ? value : undefined;
}

/** What a Discord client shows for a field: the locale's text, its fallback's, or the default. */
export function shownText(defaultText: string, map: unknown, locale: DiscordLocale): string {
  const fallback = CLIENT_FALLBACK[locale];
  return localizationFor(map, locale) ?? (fallback ? localizationFor(map, fallback) : undefined) ?? defaultText;
}
