/**
 * Languages and regions as codes, so that profiles written in different languages meet: "Spanish",
 * "español" and "スペイン語" are all `es`; "Brazil", "Brasil" and "Brésil" are all `BR`.
 *
 * Names come from `Intl.DisplayNames` in every locale Bridges speaks, plus each language's and each
 * region's own name. They are compared folded: case, accents (Latin, Greek and Cyrillic marks),
 * width, spaces and punctuation do not count. A name that two codes share is ambiguous and
 * resolves to nothing. Pure; the indexes are built on first use.
 */
import { languageOfLocale, SUPPORTED_LOCALES, type SupportedLocale } from './locales.ts';

/** ISO 639-1: every two-letter language code (all of them have a name in `Intl.DisplayNames`). */
export const LANGUAGE_CODES: readonly string[] = (
  'aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et ' +
  'eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk ' +
  'kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny ' +
  'oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk ' +
  'tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu'
).split(' ');

/**
 * ISO 3166-1 alpha-2: the officially assigned region codes. Left out: codes for groupings and
 * private use (EU, UN, XK, ZZ…), exceptional reservations (AC, IC, UK…) and withdrawn ones (SU, YU…).
 */
export const REGION_CODES: readonly string[] = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC ' +
  'CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD ' +
  'GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH ' +
  'KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW ' +
  'MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC ' +
  'SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY ' +
  'UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

/** Roughly by total speakers: the first offers when nothing is typed yet. */
const POPULAR_LANGUAGES = [
  'en',
  'zh',
  'hi',
  'es',
  'fr',
  'ar',
  'bn',
  'pt',
  'ru',
  'ur',
  'id',
  'de',
  'ja',
  'sw',
  'mr',
  'te',
  'tr',
  'ta',
  'vi',
  'ko',
];
/** Roughly by population. */
const POPULAR_REGIONS = [
  'IN',
  'CN',
  'US',
  'ID',
  'PK',
  'NG',
  'BR',
  'BD',
  'RU',
  'ET',
  'MX',
  'JP',
  'EG',
  'PH',
  'CD',
  'VN',
  'IR',
  'TR',
  'DE',
  'TH',
];

/**
 * Names people use that `Intl.DisplayNames` does not give (CLDR now says "Türkiye", "Czechia",
 * "Côte d’Ivoire"…). Keys are folded.
 */
const LANGUAGE_ALIASES: Readonly<Record<string, string>> = { farsi: 'fa', tagalog: 'tl' };
const REGION_ALIASES: Readonly<Record<string, string>> = {
  turkey: 'TR',
  czechrepublic: 'CZ',
  ivorycoast: 'CI',
  burma: 'MM',
  swaziland: 'SZ',
  easttimor: 'TL',
};
/** Region codes people type that ISO only reserves. */
const REGION_CODE_ALIASES: Readonly<Record<string, string>> = { UK: 'GB' };
/**
 * Names a locale gives one region that people also use for another: Spanish CLDR calls the
 * Republic of the Congo just "Congo", which is as often said of the DR Congo. Folded.
 */
const AMBIGUOUS_REGION_NAMES = new Set(['congo']);

type Kind = 'language' | 'region';

/** A code with its name as a reader sees it in autocomplete. */
export interface NamedCode {
  readonly code: string;
  readonly name: string;
}

/**
 * The ISO 639-1 code a typed language names, or `undefined` when it names none or several.
 * Accepts codes and tags (`es`, `ES`, `es-MX`, `pt_BR`, ISO 639-2 `spa`) and names in any
 * supported locale or in the language itself (`Spanish`, `español`, `Espagnol`, `スペイン語`).
 */
export function resolveLanguage(text: string): string | undefined {
  const trimmed = text.normalize('NFC').trim();
  if (trimmed === '') return undefined;
  return resolveLanguageCode(trimmed) ?? byName('language', trimmed);
}

/**
 * The ISO 3166-1 alpha-2 code a typed region names, or `undefined` when it names none or several.
 * Accepts an upper-case code (`BR`; lower case is left as words, so "no" never becomes Norway)
 * and names in any supported locale or the region's own language (`Brazil`, `Brasil`, `Brésil`, `ブラジル`).
 */
export function resolveRegion(text: string): string | undefined {
  const trimmed = text.normalize('NFC').trim();
  if (/^[A-Z]{2}$/.test(trimmed)) {
    if (indexOf('region').codes.has(trimmed)) return trimmed;
    const alias = REGION_CODE_ALIASES[trimmed];
    if (alias !== undefined) return alias;
  }
  return byName('region', trimmed);
}

/**
 * Languages for autocomplete, named in `locale` with their own name in parentheses when it differs
 * ("Spanish (español)"). Found by the code or by a prefix or part of the name in `locale`, in
 * English or in the language itself; the code and prefixes of the reader's name rank first. An
 * empty query offers the reader's own language, then the most spoken ones.
 */
export function searchLanguages(query: string, locale: SupportedLocale, limit = 25): NamedCode[] {
  return search('language', query, locale, limit);
}

/** Regions for autocomplete, as {@link searchLanguages}; an empty query offers the reader's own region first, then the most populous. */
export function searchRegions(query: string, locale: SupportedLocale, limit = 25): NamedCode[] {
  return search('region', query, locale, limit);
}

/** Folded for comparison: no case, accents, width, spaces or punctuation. */
export function foldName(text: string): string {
  return (
    text
      .normalize('NFKD')
      // Accents of Latin, Greek and Cyrillic letters only: the vowel signs of Devanagari or the voicing marks of kana are parts of letters.
      .replace(/([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu, '$1')
      .normalize('NFC')
      .toLowerCase()
      .replace(/[\s\p{P}\p{S}]+/gu, '')
  );
}

/** The ISO 639-1 code of a language code or tag (`es-MX`, `pt_BR`, `spa`), ignoring names. */
export function resolveLanguageCode(text: string): string | undefined {
  if (!/^[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*$/i.test(text)) return undefined;
  const codes = indexOf('language').codes;
  const tag = text.replace(/_/g, '-');
  let canonical: string;
  try {
    canonical = new Intl.Locale(tag).language;
  } catch {
    return undefined;
  }
  // The primary subtag as typed first: Intl turns "tl" into "fil", which has no two-letter code.
  const primary = tag.slice(0, tag.indexOf('-') === -1 ? undefined : tag.indexOf('-')).toLowerCase();
  if (codes.has(primary)) return primary;
  return codes.has(canonical) ? canonical : undefined;
}

function byName(kind: Kind, text: string): string | undefined {
  const key = nameKey(text);
  if (key === undefined) return undefined;
  return indexOf(kind).byName.get(key) ?? undefined;
}

/**
 * The key a name is indexed under: folded, except that two Latin letters are left to codes (French
 * "R.-U." must not make "ru" the United Kingdom, nor Vietnamese "Bỉ" make "bi" Belgium); such a
 * short name keeps its accents, and without any it is not indexed.
 */
function nameKey(name: string): string | undefined {
  const key = foldName(name);
  if (key === '') return undefined;
  if (!/^[a-z]{1,2}$/.test(key)) return key;
  const accented = name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
  return /^[a-z]*$/.test(accented) ? undefined : accented;
}

interface Index {
  readonly codes: ReadonlySet<string>;
  /** Folded name → its code, or null when several codes share it. */
  readonly byName: ReadonlyMap<string, string | null>;
  /** Each code's own name: the language's name in itself, the region's in its main language. */
  readonly native: ReadonlyMap<string, string>;
}

const indexes = new Map<Kind, Index>();

function indexOf(kind: Kind): Index {
  let index = indexes.get(kind);
  if (!index) {
    index = buildIndex(kind);
    indexes.set(kind, index);
  }
  return index;
}

function buildIndex(kind: Kind): Index {
  const codes = kind === 'language' ? LANGUAGE_CODES : REGION_CODES;
  const byName = new Map<string, string | null>();
  const add = (name: string | undefined, code: string) => {
    if (name === undefined) return;
    const key = nameKey(name);
    if (key === undefined) return;
    const known = byName.get(key);
    byName.set(key, known === undefined || known === code ? code : null);
  };
  for (const locale of SUPPORTED_LOCALES) {
    const long = displayNames(locale, kind, 'long');
    const short = kind === 'region' ? displayNames(locale, kind, 'short') : undefined;
    for (const code of codes) {
      add(long.of(code), code);
      add(short?.of(code), code);
    }
  }
  const native = new Map<string, string>();
  for (const code of codes) {
    const language = kind === 'language' ? code : new Intl.Locale(`und-${code}`).maximize().language;
    if (Intl.DisplayNames.supportedLocalesOf([language]).length === 0) continue;
    const name = displayNames(language, kind, 'long').of(code);
    if (name === undefined) continue;
    native.set(code, name);
    add(name, code);
  }
  for (const [alias, code] of Object.entries(kind === 'language' ? LANGUAGE_ALIASES : REGION_ALIASES)) byName.set(alias, code);
  if (kind === 'region') for (const name of AMBIGUOUS_REGION_NAMES) if (byName.has(name)) byName.set(name, null);
  return { codes: new Set(codes), byName, native };
}

function displayNames(locale: string, kind: Kind, style: 'long' | 'short'): Intl.DisplayNames {
  return new Intl.DisplayNames([locale], { type: kind, style, fallback: 'none' });
}

interface SearchEntry {
  readonly code: string;
  readonly name: string;
  /** Folded: the reader's name, then the English and the own name. */
  readonly localKey: string;
  readonly otherKeys: readonly string[];
}

const searchEntries = new Map<string, readonly SearchEntry[]>();

/** Every code of a kind as the locale's readers see it, in the order offered for an empty query. */
function entriesFor(kind: Kind, locale: SupportedLocale): readonly SearchEntry[] {
  const cacheKey = `${kind}:${locale}`;
  const cached = searchEntries.get(cacheKey);
  if (cached) return cached;
  const index = indexOf(kind);
  const local = displayNames(locale, kind, 'long');
  const english = displayNames('en', kind, 'long');
  const collator = new Intl.Collator(locale);
  const first = kind === 'language' ? [languageOfLocale(locale), ...POPULAR_LANGUAGES] : [...ownRegion(locale), ...POPULAR_REGIONS];
  const rank = (code: string) => {
    const at = first.indexOf(code);
    return at === -1 ? first.length : at;
  };
  const entries = [...index.codes]
    .map((code) => {
      const localName = local.of(code) ?? english.of(code) ?? code;
      const native = index.native.get(code);
      return {
        code,
        name: nameWithNative(localName, native),
        localKey: foldName(localName),
        otherKeys: [english.of(code), native].flatMap((name) => (name === undefined ? [] : [foldName(name)])),
      };
    })
    .sort((a, b) => rank(a.code) - rank(b.code) || collator.compare(a.name, b.name) || (a.code < b.code ? -1 : 1));
  searchEntries.set(cacheKey, entries);
  return entries;
}

/** Longest name an autocomplete choice may show. */
const MAX_SHOWN_NAME = 100;

/** "Spanish (español)": the own name in parentheses when it differs and the whole fits a choice's name. */
export function nameWithNative(name: string, native: string | undefined): string {
  if (native === undefined || foldName(native) === foldName(name)) return name;
  const both = `${name} (${native})`;
  return both.length <= MAX_SHOWN_NAME ? both : name;
}

function ownRegion(locale: SupportedLocale): string[] {
  const region = new Intl.Locale(locale).maximize().region;
  return region === undefined ? [] : [region];
}

function search(kind: Kind, query: string, locale: SupportedLocale, limit: number): NamedCode[] {
  const max = Math.max(0, Math.floor(limit));
  const entries = entriesFor(kind, locale);
  const q = foldName(query);
  const toResult = ({ code, name }: SearchEntry): NamedCode => ({ code, name });
  if (q === '') return entries.slice(0, max).map(toResult);
  const ranked: { entry: SearchEntry; rank: number; order: number }[] = [];
  entries.forEach((entry, order) => {
    const rank = matchRank(entry, q);
    if (rank !== undefined) ranked.push({ entry, rank, order });
  });
  ranked.sort((a, b) => a.rank - b.rank || a.order - b.order);
  return ranked.slice(0, max).map(({ entry }) => toResult(entry));
}

function matchRank(entry: SearchEntry, q: string): number | undefined {
  if (entry.code.toLowerCase() === q) return 0;
  if (entry.localKey.startsWith(q)) return 1;
  if (entry.otherKeys.some((key) => key.startsWith(q))) return 2;
  if (entry.localKey.includes(q) || entry.otherKeys.some((key) => key.includes(q))) return 3;
  return undefined;
}
