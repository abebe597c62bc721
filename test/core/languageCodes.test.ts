import { describe, expect, it } from 'vitest';
import {
  LANGUAGE_CODES,
  nameWithNative,
  REGION_CODES,
  resolveLanguage,
  resolveRegion,
  searchLanguages,
  searchRegions,
} from '../../src/core/languageCodes.ts';
import { SUPPORTED_LOCALES } from '../../src/core/locales.ts';

describe('the code lists', () => {
  it('hold every ISO 639-1 language and ISO 3166-1 region, each named by Intl', () => {
    const languages = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
    const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    expect(new Set(LANGUAGE_CODES).size).toBe(183);
    expect(new Set(REGION_CODES).size).toBe(249);
    expect(LANGUAGE_CODES.filter((code) => languages.of(code) === undefined)).toEqual([]);
    expect(REGION_CODES.filter((code) => regions.of(code) === undefined)).toEqual([]);
    for (const notACountry of ['EU', 'UN', 'ZZ', 'QO', 'XK', 'UK', 'SU']) expect(REGION_CODES).not.toContain(notACountry);
  });
});

describe('resolveLanguage', () => {
  it.each([
    'es',
    'ES',
    'es-MX',
    'es_419',
    'spa',
    'Spanish',
    'SPANISH',
    'español',
    'espanol',
    'Espagnol',
    'espagnol',
    'Spanisch',
    'スペイン語',
    '스페인어',
    'Ｓｐａｎｉｓｈ',
  ])('%j → es', (typed) => {
    expect(resolveLanguage(typed)).toBe('es');
  });

  it.each([
    ['English', 'en'],
    ['portuguese', 'pt'],
    ['Português', 'pt'],
    ['Deutsch', 'de'],
    ['tiếng Việt', 'vi'],
    ['tieng viet', 'vi'],
    ['українська', 'uk'],
    ['中文', 'zh'],
    ['zh-Hant', 'zh'],
    ['हिन्दी', 'hi'],
    ['Farsi', 'fa'],
    // Intl turns "tl" into "fil", which has no two-letter code; the code as typed comes first.
    ['tl', 'tl'],
    // A withdrawn code Intl still knows.
    ['iw', 'he'],
  ])('%j → %j', (typed, code) => {
    expect(resolveLanguage(typed)).toBe(code);
  });

  it('gives nothing for a name two languages share', () => {
    // Akan is the name of both ak and tw, in every language Bridges speaks.
    expect(resolveLanguage('Akan')).toBeUndefined();
    expect(resolveLanguage('アカン語')).toBeUndefined();
  });

  it.each(['Klingon', 'mandarin', 'yue', 'xx', '', '   ', '!!!', 'es-!!'])('gives nothing for %j', (typed) => {
    expect(resolveLanguage(typed)).toBeUndefined();
  });

  it('finds every language by its name in every supported locale and in itself, except the names two languages share', () => {
    const missed: string[] = [];
    for (const locale of SUPPORTED_LOCALES) {
      const names = new Intl.DisplayNames([locale], { type: 'language', fallback: 'none' });
      for (const code of LANGUAGE_CODES) {
        const name = names.of(code) ?? '';
        if (resolveLanguage(name) !== code) missed.push(`${locale}:${name}→${resolveLanguage(name) ?? '?'}`);
      }
    }
    for (const code of LANGUAGE_CODES) {
      if (Intl.DisplayNames.supportedLocalesOf([code]).length === 0) continue;
      const own = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? '';
      if (resolveLanguage(own) !== code) missed.push(`${code}:${own}→${resolveLanguage(own) ?? '?'}`);
    }
    // German calls ii "Yi", which is also the code of Yiddish: the code wins.
    const expected = ['de:Yi→yi', 'ak:Akan→?'];
    for (const locale of SUPPORTED_LOCALES) {
      const akan = new Intl.DisplayNames([locale], { type: 'language' }).of('ak');
      expected.push(`${locale}:${akan}→?`, `${locale}:${akan}→?`);
    }
    expect(missed.sort()).toEqual(expected.sort());
  });
});

describe('resolveRegion', () => {
  it.each(['BR', 'Brazil', 'brazil', 'Brasil', 'Brésil', 'BRÉSIL', 'Brasilien', 'ブラジル', '브라질', '巴西', 'Бразилія'])(
    '%j → BR',
    (typed) => {
      expect(resolveRegion(typed)).toBe('BR');
    },
  );

  it.each([
    ['United States', 'US'],
    ['USA', 'US'],
    ['EE. UU.', 'US'],
    ['UK', 'GB'],
    ['Turkey', 'TR'],
    ['Türkiye', 'TR'],
    ['Ivory Coast', 'CI'],
    ["Cote d'Ivoire", 'CI'],
    ['Deutschland', 'DE'],
    ['日本', 'JP'],
    ['भारत', 'IN'],
    ['Bỉ', 'BE'],
  ])('%j → %j', (typed, code) => {
    expect(resolveRegion(typed)).toBe(code);
  });

  it('reads codes in capitals only, so short words stay words', () => {
    expect(resolveRegion('no')).toBeUndefined();
    expect(resolveRegion('br')).toBeUndefined();
    expect(resolveRegion('NO')).toBe('NO');
  });

  it('never reads two Latin letters as a name: French "R.-U." is not "ru", Vietnamese "Bỉ" is not "bi"', () => {
    expect(resolveRegion('ru')).toBeUndefined();
    expect(resolveRegion('eu')).toBeUndefined();
    expect(resolveRegion('EU')).toBeUndefined();
    expect(resolveRegion('bi')).toBeUndefined();
    expect(resolveRegion('RU')).toBe('RU');
  });

  it('gives nothing for "Congo", which people say of two countries', () => {
    expect(resolveRegion('Congo')).toBeUndefined();
    expect(resolveRegion('Congo - Kinshasa')).toBe('CD');
    expect(resolveRegion('Congo - Brazzaville')).toBe('CG');
  });

  it.each(['Atlantis', 'Yoruba', 'Korea', 'England', '', 'ZZ', 'XK'])('gives nothing for %j', (typed) => {
    expect(resolveRegion(typed)).toBeUndefined();
  });

  it('finds every region by its name in every supported locale and in its own language, except "Congo"', () => {
    const missed: string[] = [];
    for (const locale of SUPPORTED_LOCALES) {
      const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
      for (const code of REGION_CODES) {
        const name = names.of(code) ?? '';
        if (resolveRegion(name) !== code) missed.push(`${locale}:${name}→${resolveRegion(name) ?? '?'}`);
      }
    }
    expect(missed).toEqual(['es-ES:Congo→?']);
  });
});

describe('searchLanguages', () => {
  it('finds a language by its name in the reader’s language, in English, in itself or by its code', () => {
    expect(searchLanguages('espag', 'fr')[0]).toEqual({ code: 'es', name: 'espagnol (español)' });
    expect(searchLanguages('Spanish', 'ja')[0]).toEqual({ code: 'es', name: 'スペイン語 (español)' });
    expect(searchLanguages('españ', 'de')[0]).toEqual({ code: 'es', name: 'Spanisch (español)' });
    expect(searchLanguages('es', 'en-US')[0]).toEqual({ code: 'es', name: 'Spanish (español)' });
    expect(searchLanguages('panis', 'en-US').map((choice) => choice.code)).toEqual(['es']);
  });

  it('names a language once when its own name is the reader’s', () => {
    expect(searchLanguages('español', 'es-ES')[0]).toEqual({ code: 'es', name: 'español' });
  });

  it('shows no own name for a language Intl has no texts in', () => {
    // Intl would answer in English for Avestan; that is not Avestan's own name.
    expect(searchLanguages('avest', 'fr')).toEqual([{ code: 'ae', name: 'avestique' }]);
  });

  it("offers the reader's own language, then the most spoken ones, when nothing is typed", () => {
    expect(searchLanguages('', 'ja', 4).map((choice) => choice.code)).toEqual(['ja', 'en', 'zh', 'hi']);
    expect(searchLanguages('', 'en-GB', 3).map((choice) => choice.code)).toEqual(['en', 'zh', 'hi']);
  });

  it('ranks the code and prefixes of the reader’s name first, and keeps to the limit', () => {
    expect(searchLanguages('ja', 'en-US', 2).map((choice) => choice.code)).toEqual(['ja', 'jv']);
    expect(searchLanguages('a', 'en-US', 7)).toHaveLength(7);
    expect(searchLanguages('', 'en-US', Number.POSITIVE_INFINITY)).toHaveLength(LANGUAGE_CODES.length);
    expect(searchLanguages('qqqq', 'en-US')).toEqual([]);
  });
});

describe('searchRegions', () => {
  it('finds a region by its name in the reader’s language, in English or in its own language', () => {
    expect(searchRegions('brés', 'fr')[0]).toEqual({ code: 'BR', name: 'Brésil (Brasil)' });
    expect(searchRegions('brazil', 'ja')[0]).toEqual({ code: 'BR', name: 'ブラジル (Brasil)' });
    expect(searchRegions('brasil', 'en-US')[0]).toEqual({ code: 'BR', name: 'Brazil (Brasil)' });
    expect(searchRegions('korea', 'en-US').map((choice) => choice.code)).toEqual(['KP', 'KR']);
  });

  it("offers the reader's own region first when nothing is typed, then the most populous", () => {
    expect(searchRegions('', 'pt-BR', 3).map((choice) => choice.code)).toEqual(['BR', 'IN', 'CN']);
    expect(searchRegions('', 'uk', 2).map((choice) => choice.code)).toEqual(['UA', 'IN']);
    // Latin American Spanish has no one region of its own.
    expect(searchRegions('', 'es-419', 2).map((choice) => choice.code)).toEqual(['IN', 'CN']);
  });

  it('shows every name within 100 characters in every supported locale', () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const { name } of [...searchRegions('', locale, Infinity), ...searchLanguages('', locale, Infinity)]) {
        expect(name.length).toBeGreaterThan(0);
        expect(name.length).toBeLessThanOrEqual(100);
      }
    }
  });
});

describe('nameWithNative', () => {
  it('adds the own name in parentheses only when it differs and the whole fits 100 characters', () => {
    expect(nameWithNative('Brazil', 'Brasil')).toBe('Brazil (Brasil)');
    expect(nameWithNative('India', 'India')).toBe('India');
    expect(nameWithNative('Indonésie', 'indonesie')).toBe('Indonésie');
    expect(nameWithNative('x'.repeat(50), 'y'.repeat(47))).toBe(`${'x'.repeat(50)} (${'y'.repeat(47)})`);
    expect(nameWithNative('x'.repeat(50), 'y'.repeat(48))).toBe('x'.repeat(50));
    expect(nameWithNative('Avestan', undefined)).toBe('Avestan');
  });
});
