import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROMPT_MAX_LENGTH, THEME_DESCRIPTION_MAX_LENGTH, THEME_TITLE_MAX_LENGTH } from '../../src/core/themes.ts';

// The translated prompt bank in data/prompts/<locale>.json, checked against the
// English source in data/themes.json. The checks run on plain values so they do
// not depend on how the bot will load the files.

const PROMPT_LOCALES = ['es-ES', 'es-419', 'pt-BR', 'fr', 'de', 'it', 'ja', 'ko', 'zh-CN', 'hi', 'id', 'tr', 'vi', 'uk'] as const;

const PROMPTS_DIR = fileURLToPath(new URL('../../data/prompts/', import.meta.url));
const THEMES_FILE = fileURLToPath(new URL('../../data/themes.json', import.meta.url));

/** The English texts the translations must match, keyed like a locale file. */
interface EnglishBank {
  readonly themes: ReadonlyMap<string, { readonly title: string; readonly description: string }>;
  readonly prompts: ReadonlyMap<string, string>;
}

interface ThemesJson {
  themes: { id: string; title: string; description: string; prompts: { id: string; text: string }[] }[];
}

function readEnglishBank(): EnglishBank {
  const source = JSON.parse(readFileSync(THEMES_FILE, 'utf8')) as ThemesJson;
  return {
    themes: new Map(source.themes.map((theme) => [theme.id, { title: theme.title, description: theme.description }])),
    prompts: new Map(source.themes.flatMap((theme) => theme.prompts.map((prompt) => [prompt.id, prompt.text] as const))),
  };
}

// Scripts that every text of a locale must use; in these locales a Latin letter is leftover English.
const NON_LATIN_SCRIPT: Readonly<Record<string, { name: string; pattern: RegExp }>> = {
  ja: { name: 'Japanese kana or kanji', pattern: /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u },
  ko: { name: 'Hangul', pattern: /\p{Script=Hangul}/u },
  'zh-CN': { name: 'Chinese characters', pattern: /\p{Script=Han}/u },
  hi: { name: 'Devanagari', pattern: /\p{Script=Devanagari}/u },
  uk: { name: 'Cyrillic', pattern: /\p{Script=Cyrillic}/u },
};

// English function words that no translation in a Latin-script locale should contain as a whole word.
const ENGLISH_WORDS = /(?<![\p{L}\p{N}])(?:the|you|your|what|which|with|and|that|would|where|when)(?![\p{L}\p{N}])/iu;

// Discord Markdown and mention syntax; a translation may use one only where the English does.
const MARKUP = ['@', '<', '>', '`', '**', '__', '~~', '||'] as const;
const LINE_MARKUP = /^(?:#{1,3} |-# |[-*] )/;
const LINK = /\bhttps?:\/\/|\bwww\.|\]\(/i;
const PLACEHOLDER = /\{\{|\}\}|\{[\p{L}\p{N}_.]+\}|%[sdif]|\$t\(|\$\{/u;

// French puts a no-break space (U+00A0 or U+202F) before ? ! : ; » and after «.
const FRENCH_SPACE_BEFORE = /(?<![\u00A0\u202F])[?!:;»]/;
const FRENCH_SPACE_AFTER = /«(?![\u00A0\u202F])/;

function codePoints(text: string): number {
  return [...text].length;
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

/** Case, spacing and punctuation folded away, so two translations that only differ in those count as the same. */
function comparable(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyProblems(where: string, actual: readonly string[], expected: readonly string[], what: string): string[] {
  const expectedSet = new Set(expected);
  const actualSet = new Set(actual);
  return [
    ...expected.filter((id) => !actualSet.has(id)).map((id) => `${where}: ${what} "${id}" is missing`),
    ...actual.filter((id) => !expectedSet.has(id)).map((id) => `${where}: ${what} "${id}" is not in data/themes.json`),
  ];
}

/** Problems with one translated text, each starting with `label` (locale and id). */
function textProblems(locale: string, label: string, text: string, english: string, max: number, isPrompt: boolean): string[] {
  const problems: string[] = [];
  const report = (message: string): void => {
    problems.push(`${label}: ${message}`);
  };

  if (text.trim() === '') {
    report('is empty');
    return problems;
  }
  if (text !== text.trim()) report('has leading or trailing whitespace');
  if (/\p{Cc}/u.test(text)) report('contains a line break or another control character');
  const length = codePoints(text);
  if (length > max) report(`is ${length} characters (code points), the limit is ${max}`);

  if (text === english) report('is identical to the English source');
  const script = NON_LATIN_SCRIPT[locale];
  if (script !== undefined) {
    if (!script.pattern.test(text)) report(`contains no ${script.name}`);
    if (/[A-Za-z]/.test(text)) report('contains Latin letters, likely leftover English');
  } else if (ENGLISH_WORDS.test(text)) {
    report(`contains the English word "${ENGLISH_WORDS.exec(text)?.[0] ?? ''}"`);
  }

  for (const mark of MARKUP) {
    if (text.includes(mark) && !english.includes(mark)) report(`contains "${mark}" (Markdown or mention syntax) that the English does not`);
  }
  if (LINE_MARKUP.test(text) && !LINE_MARKUP.test(english))
    report('starts with Markdown (a heading or a list item) that the English does not');
  if (LINK.test(text)) report('contains a link');
  if (PLACEHOLDER.test(text) && !PLACEHOLDER.test(english)) report('contains placeholder syntax that the English does not');

  if (isPrompt && english.endsWith('?') && !/[?？]$/.test(text))
    report('the English is a question but this does not end with a question mark');
  if (locale.startsWith('es-') && count(text, '¿') !== count(text, '?')) {
    report(`has ${count(text, '¿')} "¿" for ${count(text, '?')} "?"`);
  }
  if (locale === 'fr' && (FRENCH_SPACE_BEFORE.test(text) || FRENCH_SPACE_AFTER.test(text))) {
    report('needs a no-break space before ? ! : ; » and after «');
  }
  return problems;
}

/**
 * Every problem with the content of data/prompts/<locale>.json (`undefined` when the file is
 * missing), one line each, naming the locale and the theme or prompt id.
 */
function promptBankProblems(locale: string, fileText: string | undefined, english: EnglishBank): string[] {
  if (fileText === undefined) return [`${locale}: data/prompts/${locale}.json is missing`];
  let raw: unknown;
  try {
    raw = JSON.parse(fileText);
  } catch (error) {
    return [`${locale}: data/prompts/${locale}.json is not valid JSON (${(error as Error).message})`];
  }
  if (!isPlainObject(raw)) return [`${locale}: the file must hold an object with locale, themes and prompts`];

  const problems: string[] = [];
  problems.push(...keyProblems(locale, Object.keys(raw), ['locale', 'themes', 'prompts'], 'top-level key'));
  if (raw.locale !== locale) problems.push(`${locale}: "locale" is ${JSON.stringify(raw.locale)}, expected "${locale}"`);

  const seen = new Map<string, string>();
  const checkText = (label: string, value: unknown, englishText: string, max: number, isPrompt: boolean): void => {
    if (typeof value !== 'string') {
      problems.push(`${label}: must be a string, found ${JSON.stringify(value)}`);
      return;
    }
    problems.push(...textProblems(locale, label, value, englishText, max, isPrompt));
    const key = comparable(value);
    const earlier = seen.get(key);
    if (key !== '' && earlier !== undefined) problems.push(`${label}: same text as ${earlier}`);
    else seen.set(key, label);
  };

  const themes = raw.themes;
  if (!isPlainObject(themes)) {
    problems.push(`${locale}: "themes" must be an object keyed by theme id`);
  } else {
    problems.push(...keyProblems(locale, Object.keys(themes), [...english.themes.keys()], 'theme'));
    for (const [themeId, source] of english.themes) {
      const theme = themes[themeId];
      if (theme === undefined) continue;
      if (!isPlainObject(theme)) {
        problems.push(`${locale} ${themeId}: must be an object with title and description`);
        continue;
      }
      problems.push(...keyProblems(`${locale} ${themeId}`, Object.keys(theme), ['title', 'description'], 'field'));
      checkText(`${locale} ${themeId} title`, theme.title, source.title, THEME_TITLE_MAX_LENGTH, false);
      checkText(`${locale} ${themeId} description`, theme.description, source.description, THEME_DESCRIPTION_MAX_LENGTH, false);
    }
  }

  const prompts = raw.prompts;
  if (!isPlainObject(prompts)) {
    problems.push(`${locale}: "prompts" must be an object keyed by prompt id`);
  } else {
    problems.push(...keyProblems(locale, Object.keys(prompts), [...english.prompts.keys()], 'prompt'));
    for (const [promptId, source] of english.prompts) {
      if (prompts[promptId] !== undefined) checkText(`${locale} ${promptId}`, prompts[promptId], source, PROMPT_MAX_LENGTH, true);
    }
  }
  return problems;
}

function readLocaleFile(locale: string): string | undefined {
  try {
    return readFileSync(`${PROMPTS_DIR}${locale}.json`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

describe('translated prompt bank (data/prompts)', () => {
  const english = readEnglishBank();

  it('has one file per supported locale and no other', () => {
    const files = readdirSync(PROMPTS_DIR).filter((name) => name.endsWith('.json'));
    expect(files.sort()).toEqual(PROMPT_LOCALES.map((locale) => `${locale}.json`).sort());
  });

  it('English source has the 8 themes and 272 prompts the translations are checked against', () => {
    expect(english.themes.size).toBe(8);
    expect(english.prompts.size).toBe(272);
  });

  it.each(PROMPT_LOCALES)('%s has every theme and prompt of data/themes.json, translated within the limits', (locale) => {
    expect(promptBankProblems(locale, readLocaleFile(locale), english)).toEqual([]);
  });
});

describe('promptBankProblems', () => {
  const english: EnglishBank = {
    themes: new Map([['shared-experiences', { title: 'Shared Experiences', description: 'Everyday moments.' }]]),
    prompts: new Map([
      ['shared-experiences-01', 'What is a food you love?'],
      ['shared-experiences-02', 'Which song do you know by heart?'],
    ]),
  };

  interface Bank {
    locale: string;
    themes: Record<string, Record<string, unknown>>;
    prompts: Record<string, unknown>;
  }

  // A clean translation of the fixture above in each locale whose own rules are tested here.
  const CLEAN: Readonly<Record<string, readonly [title: string, description: string, prompt01: string, prompt02: string]>> = {
    'es-ES': ['Experiencias compartidas', 'Momentos cotidianos.', '¿Qué comida te encanta?', '¿Qué canción te sabes de memoria?'],
    fr: ['Expériences partagées', 'Moments du quotidien.', 'Quel plat adores-tu\u00A0?', 'Quelle chanson connais-tu par cœur\u00A0?'],
    ja: ['共通の体験', '日常のひとこま。', '好きな食べ物は何ですか？', 'そらで歌える曲はありますか？'],
    ko: ['함께하는 경험', '일상의 순간들.', '좋아하는 음식은 무엇인가요?', '외워서 부를 수 있는 노래가 있나요?'],
  };

  function bankIn(locale: string): Bank {
    const clean = CLEAN[locale];
    if (clean === undefined) throw new Error(`no clean fixture for ${locale}`);
    const [title, description, prompt01, prompt02] = clean;
    return {
      locale,
      themes: { 'shared-experiences': { title, description } },
      prompts: { 'shared-experiences-01': prompt01, 'shared-experiences-02': prompt02 },
    };
  }

  function spanish(): Bank {
    return bankIn('es-ES');
  }

  function problemsOf(bank: Bank): string[] {
    return promptBankProblems(bank.locale, JSON.stringify(bank), english);
  }

  function withPrompt(locale: string, text: string): Bank {
    const bank = bankIn(locale);
    bank.prompts['shared-experiences-01'] = text;
    return bank;
  }

  it.each(Object.keys(CLEAN))('accepts a complete, clean translation (%s)', (locale) => {
    expect(problemsOf(bankIn(locale))).toEqual([]);
  });

  it('names a missing file and a file that is not JSON', () => {
    expect(promptBankProblems('de', undefined, english)).toEqual(['de: data/prompts/de.json is missing']);
    expect(promptBankProblems('de', '{"locale": "de",', english)[0]).toMatch(/^de: data\/prompts\/de\.json is not valid JSON/);
  });

  it('names values of the wrong shape', () => {
    expect(promptBankProblems('es-ES', '[]', english)).toEqual(['es-ES: the file must hold an object with locale, themes and prompts']);
    expect(promptBankProblems('es-ES', JSON.stringify({ locale: 'es-ES', themes: [], prompts: 'none' }), english)).toEqual([
      'es-ES: "themes" must be an object keyed by theme id',
      'es-ES: "prompts" must be an object keyed by prompt id',
    ]);
    const bank = spanish();
    bank.themes['shared-experiences'] = 'Experiencias compartidas' as unknown as Record<string, unknown>;
    bank.prompts['shared-experiences-02'] = 2;
    expect(problemsOf(bank)).toEqual([
      'es-ES shared-experiences: must be an object with title and description',
      'es-ES shared-experiences-02: must be a string, found 2',
    ]);
  });

  it('names a wrong locale field and an unknown top-level key', () => {
    const bank = { ...spanish(), locale: 'es-419', version: 1 };
    expect(promptBankProblems('es-ES', JSON.stringify(bank), english)).toEqual([
      'es-ES: top-level key "version" is not in data/themes.json',
      'es-ES: "locale" is "es-419", expected "es-ES"',
    ]);
  });

  it('names missing and extra prompt ids', () => {
    const bank = spanish();
    delete bank.prompts['shared-experiences-02'];
    bank.prompts['shared-experiences-99'] = '¿Qué más?';
    expect(problemsOf(bank)).toEqual([
      'es-ES: prompt "shared-experiences-02" is missing',
      'es-ES: prompt "shared-experiences-99" is not in data/themes.json',
    ]);
  });

  it('names missing and extra theme ids, and a theme without its description', () => {
    const missing = spanish();
    missing.themes = { 'old-theme': { title: 'Viejo', description: 'Ya no existe.' } };
    expect(problemsOf(missing)).toEqual([
      'es-ES: theme "shared-experiences" is missing',
      'es-ES: theme "old-theme" is not in data/themes.json',
    ]);
    const noDescription = spanish();
    delete noDescription.themes['shared-experiences']!.description;
    expect(problemsOf(noDescription)).toEqual([
      'es-ES shared-experiences: field "description" is missing',
      'es-ES shared-experiences description: must be a string, found undefined',
    ]);
  });

  it('rejects empty strings and stray whitespace', () => {
    expect(problemsOf(withPrompt('es-ES', '  '))).toEqual(['es-ES shared-experiences-01: is empty']);
    expect(problemsOf(withPrompt('es-ES', ' ¿Qué comida te encanta?'))).toEqual([
      'es-ES shared-experiences-01: has leading or trailing whitespace',
    ]);
    expect(problemsOf(withPrompt('es-ES', '¿Qué comida\nte encanta?'))).toEqual([
      'es-ES shared-experiences-01: contains a line break or another control character',
    ]);
  });

  it('counts the prompt limit in code points', () => {
    const atLimit = `¿${'😀'.repeat(PROMPT_MAX_LENGTH - 2)}?`;
    expect(problemsOf(withPrompt('es-ES', atLimit))).toEqual([]);
    const overLimit = `¿${'a'.repeat(PROMPT_MAX_LENGTH - 1)}?`;
    expect(problemsOf(withPrompt('es-ES', overLimit))).toEqual([
      `es-ES shared-experiences-01: is ${PROMPT_MAX_LENGTH + 1} characters (code points), the limit is ${PROMPT_MAX_LENGTH}`,
    ]);
  });

  it('holds titles and descriptions to their limits', () => {
    const bank = spanish();
    bank.themes['shared-experiences'] = {
      title: 'T'.repeat(THEME_TITLE_MAX_LENGTH + 1),
      description: 'D'.repeat(THEME_DESCRIPTION_MAX_LENGTH + 1),
    };
    expect(problemsOf(bank)).toEqual([
      `es-ES shared-experiences title: is ${THEME_TITLE_MAX_LENGTH + 1} characters (code points), the limit is ${THEME_TITLE_MAX_LENGTH}`,
      `es-ES shared-experiences description: is ${THEME_DESCRIPTION_MAX_LENGTH + 1} characters (code points), the limit is ${THEME_DESCRIPTION_MAX_LENGTH}`,
    ]);
  });

  it('flags a text left in English', () => {
    const copied = spanish();
    copied.themes['shared-experiences']!.title = 'Shared Experiences';
    expect(problemsOf(copied)).toEqual(['es-ES shared-experiences title: is identical to the English source']);
    expect(problemsOf(withPrompt('es-ES', '¿Qué food do you love?'))).toEqual([
      'es-ES shared-experiences-01: contains the English word "you"',
    ]);
    expect(problemsOf(withPrompt('ja', 'What is a food you love?'))).toEqual([
      'ja shared-experiences-01: is identical to the English source',
      'ja shared-experiences-01: contains no Japanese kana or kanji',
      'ja shared-experiences-01: contains Latin letters, likely leftover English',
    ]);
    expect(problemsOf(withPrompt('ko', '좋아하는 food는 무엇인가요?'))).toEqual([
      'ko shared-experiences-01: contains Latin letters, likely leftover English',
    ]);
  });

  it('does not mistake a word that merely contains an English one for English', () => {
    expect(problemsOf(withPrompt('es-ES', '¿Qué thé o andador te gusta?'))).toEqual([]);
  });

  it('flags Markdown, mentions, links and placeholders', () => {
    expect(problemsOf(withPrompt('es-ES', '¿Qué comida te encanta, @everyone?'))).toEqual([
      'es-ES shared-experiences-01: contains "@" (Markdown or mention syntax) that the English does not',
    ]);
    expect(problemsOf(withPrompt('es-ES', '¿Qué comida te encanta, <#123>?'))).toEqual([
      'es-ES shared-experiences-01: contains "<" (Markdown or mention syntax) that the English does not',
      'es-ES shared-experiences-01: contains ">" (Markdown or mention syntax) that the English does not',
    ]);
    expect(problemsOf(withPrompt('es-ES', '¿Qué **comida** te encanta?'))).toEqual([
      'es-ES shared-experiences-01: contains "**" (Markdown or mention syntax) that the English does not',
    ]);
    expect(problemsOf(withPrompt('es-ES', '¿Qué `comida` te encanta?'))).toEqual([
      'es-ES shared-experiences-01: contains "`" (Markdown or mention syntax) that the English does not',
    ]);
    expect(problemsOf(withPrompt('es-ES', '# ¿Qué comida te encanta?'))).toEqual([
      'es-ES shared-experiences-01: starts with Markdown (a heading or a list item) that the English does not',
    ]);
    expect(problemsOf(withPrompt('es-ES', '¿Qué comida de https://example.org te encanta?'))).toEqual([
      'es-ES shared-experiences-01: contains a link',
    ]);
    expect(problemsOf(withPrompt('es-ES', '¿Qué comida te encanta, {{name}}?'))).toEqual([
      'es-ES shared-experiences-01: contains placeholder syntax that the English does not',
    ]);
  });

  it('allows markup that the English has', () => {
    const markedEnglish: EnglishBank = {
      ...english,
      prompts: new Map([...english.prompts, ['shared-experiences-01', 'What is a **food** you love?']]),
    };
    const bank = withPrompt('es-ES', '¿Qué **comida** te encanta?');
    expect(promptBankProblems('es-ES', JSON.stringify(bank), markedEnglish)).toEqual([]);
  });

  it('keeps a question a question, with the punctuation of the language', () => {
    expect(problemsOf(withPrompt('es-ES', 'Cuéntanos qué comida te encanta.'))).toEqual([
      'es-ES shared-experiences-01: the English is a question but this does not end with a question mark',
    ]);
    expect(problemsOf(withPrompt('es-ES', 'Qué comida te encanta?'))).toEqual(['es-ES shared-experiences-01: has 0 "¿" for 1 "?"']);
    expect(problemsOf(withPrompt('ja', '好きな食べ物は何ですか。'))).toEqual([
      'ja shared-experiences-01: the English is a question but this does not end with a question mark',
    ]);
    expect(problemsOf(withPrompt('fr', 'Quel plat adores-tu ?'))).toEqual([
      'fr shared-experiences-01: needs a no-break space before ? ! : ; » and after «',
    ]);
    expect(problemsOf(withPrompt('fr', 'Le mot «\u00A0non» veut dire\u00A0?'))).toEqual([
      'fr shared-experiences-01: needs a no-break space before ? ! : ; » and after «',
    ]);
    expect(problemsOf(withPrompt('fr', 'Le mot «non\u00A0» veut dire\u00A0?'))).toEqual([
      'fr shared-experiences-01: needs a no-break space before ? ! : ; » and after «',
    ]);
    expect(problemsOf(withPrompt('fr', 'Le mot «\u202Fnon\u202F» veut dire\u00A0?'))).toEqual([]);
  });

  it('flags two prompts translated the same way', () => {
    const bank = spanish();
    bank.prompts['shared-experiences-02'] = '¿Qué comida te encanta?';
    expect(problemsOf(bank)).toEqual(['es-ES shared-experiences-02: same text as es-ES shared-experiences-01']);
  });
});
