import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isThemeId,
  MIN_ICEBREAKERS_PER_THEME,
  MIN_PROMPTS_PER_THEME,
  normalizePromptText,
  parseThemeCatalog,
  PROMPT_MAX_LENGTH,
  THEME_IDS,
  ThemeDataError,
} from '../../src/core/themes.ts';
import type { ThemeCatalog } from '../../src/core/themes.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';

// ---------------------------------------------------------------------------
// Fixture: a minimal valid catalog, as plain mutable JSON-like values.

interface RawPrompt {
  id: string;
  text: string;
  icebreaker: boolean;
}
interface RawTheme {
  id: string;
  title: string;
  description: string;
  prompts: RawPrompt[];
}
interface RawCatalog {
  version: number;
  themes: RawTheme[];
}

function validCatalog(): RawCatalog {
  return {
    version: 1,
    themes: THEME_IDS.map((themeId) => ({
      id: themeId,
      title: `Title of ${themeId}`,
      description: `A short description of ${themeId}.`,
      prompts: Array.from({ length: MIN_PROMPTS_PER_THEME }, (_, i) => {
        const n = String(i + 1).padStart(2, '0');
        return {
          id: `${themeId}-${n}`,
          text: `In ${themeId}, question ${n}: what is something you enjoy?`,
          icebreaker: i < MIN_ICEBREAKERS_PER_THEME,
        };
      }),
    })),
  };
}

function themeAt(catalog: RawCatalog, index: number): RawTheme {
  const theme = catalog.themes[index];
  if (theme === undefined) throw new Error(`fixture has no theme ${index}`);
  return theme;
}

function promptAt(catalog: RawCatalog, themeIndex: number, promptIndex: number): RawPrompt {
  const prompt = themeAt(catalog, themeIndex).prompts[promptIndex];
  if (prompt === undefined) throw new Error(`fixture has no prompt ${themeIndex}/${promptIndex}`);
  return prompt;
}

/** Parses `raw`, expecting a ThemeDataError, and returns its problems. */
function problemsOf(raw: unknown): readonly string[] {
  try {
    parseThemeCatalog(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ThemeDataError);
    return (error as ThemeDataError).problems;
  }
  throw new Error('expected parseThemeCatalog to throw ThemeDataError, but it returned a catalog');
}

/** Asserts exactly one problem was reported and that it mentions every fragment. */
function expectSingleProblem(raw: unknown, ...fragments: string[]): string {
  const problems = problemsOf(raw);
  expect(problems).toHaveLength(1);
  const [problem = ''] = problems;
  for (const fragment of fragments) expect(problem).toContain(fragment);
  return problem;
}

// ---------------------------------------------------------------------------

describe('shipped data/themes.json', () => {
  let catalog: ThemeCatalog;
  beforeAll(async () => {
    catalog = await loadThemeCatalog();
  });

  it('loads and validates through loadThemeCatalog with the eight themes in canonical order', () => {
    expect(catalog.themes.map((t) => t.id)).toEqual([...THEME_IDS]);
    expect(catalog.theme('new-narratives')?.title).toBe('Creating New Narratives');
  });

  it('has at least 30 prompts and 10 icebreakers in every theme', () => {
    for (const theme of catalog.themes) {
      expect(theme.prompts.length, theme.id).toBeGreaterThanOrEqual(MIN_PROMPTS_PER_THEME);
      expect(theme.prompts.filter((p) => p.icebreaker).length, theme.id).toBeGreaterThanOrEqual(MIN_ICEBREAKERS_PER_THEME);
    }
  });

  it('meets the content goals: 32+ prompts and 12+ icebreakers per theme', () => {
    for (const theme of catalog.themes) {
      expect(theme.prompts.length, theme.id).toBeGreaterThanOrEqual(32);
      expect(theme.prompts.filter((p) => p.icebreaker).length, theme.id).toBeGreaterThanOrEqual(12);
    }
  });

  it('keeps every prompt under the length limit and free of mentions, links and markdown', () => {
    for (const theme of catalog.themes) {
      expect(theme.description.length, theme.id).toBeLessThanOrEqual(200);
      for (const prompt of theme.prompts) {
        expect(prompt.text.length, prompt.id).toBeLessThan(PROMPT_MAX_LENGTH);
        expect(prompt.text, prompt.id).not.toContain('@');
        expect(prompt.text, prompt.id).not.toMatch(/https?:|www\.|<#/i);
        expect(prompt.text, prompt.id).not.toMatch(/[`*_~|\n]/);
      }
    }
  });

  it('phrases every prompt as a question', () => {
    for (const prompt of catalog.themes.flatMap((t) => t.prompts)) {
      expect(prompt.text.endsWith('?'), `${prompt.id}: ${prompt.text}`).toBe(true);
    }
  });

  it('numbers prompt ids sequentially as <themeId>-NN', () => {
    for (const theme of catalog.themes) {
      theme.prompts.forEach((prompt, i) => {
        expect(prompt.id).toBe(`${theme.id}-${String(i + 1).padStart(2, '0')}`);
      });
    }
  });

  it('looks prompts up by id together with their theme', () => {
    const found = catalog.prompt('mutual-respect-06');
    expect(found?.theme.id).toBe('mutual-respect');
    expect(found?.prompt.id).toBe('mutual-respect-06');
    expect(catalog.prompt('mutual-respect-999')).toBeUndefined();
    expect(catalog.theme('not-a-theme')).toBeUndefined();
  });

  it('assumes no family shape, gender, religion, nationality or travel (whole-word deny-list)', () => {
    const denied = [
      // family shape and relationships
      'mother',
      'mothers',
      'father',
      'fathers',
      'mom',
      'mum',
      'dad',
      'parent',
      'parents',
      'husband',
      'wife',
      'wives',
      'spouse',
      'boyfriend',
      'girlfriend',
      'son',
      'sons',
      'daughter',
      'daughters',
      'brother',
      'brothers',
      'sister',
      'sisters',
      'sibling',
      'siblings',
      'grandmother',
      'grandfather',
      'grandma',
      'grandpa',
      'grandparents',
      'aunt',
      'uncle',
      'cousin',
      'family',
      'families',
      'married',
      'marriage',
      'wedding',
      'your kids',
      'your children',
      'your child',
      // gender
      'he',
      'she',
      'him',
      'his',
      'her',
      'hers',
      'man',
      'men',
      'woman',
      'women',
      'boy',
      'boys',
      'girl',
      'girls',
      'guy',
      'guys',
      'ladies',
      'gentlemen',
      'male',
      'female',
      // religion and religious holidays or days
      'god',
      'gods',
      'church',
      'mosque',
      'temple',
      'synagogue',
      'bible',
      'quran',
      'torah',
      'pray',
      'prayer',
      'prayers',
      'christian',
      'muslim',
      'jewish',
      'hindu',
      'buddhist',
      'sikh',
      'atheist',
      'religion',
      'religious',
      'christmas',
      'easter',
      'ramadan',
      'eid',
      'diwali',
      'hanukkah',
      'passover',
      'sabbath',
      'sunday',
      'saturday',
      // nationality, region, language and politics
      'american',
      'british',
      'english',
      'chinese',
      'indian',
      'african',
      'european',
      'asian',
      'western',
      'foreigner',
      'foreigners',
      'immigrant',
      'immigrants',
      'refugee',
      'your country',
      'thanksgiving',
      'politics',
      'political',
      'election',
      'vote',
      'government',
      'president',
      // travel or wealth as a given
      'abroad',
      'passport',
      'vacation',
    ];
    const pattern = new RegExp(`\\b(?:${denied.map((w) => w.replace(/ /g, '\\s+')).join('|')})\\b`, 'i');
    const offending = catalog.themes
      .flatMap((t) => [{ id: t.id, text: `${t.title} ${t.description}` }, ...t.prompts.map((p) => ({ id: p.id, text: p.text }))])
      .filter(({ text }) => pattern.test(text))
      .map(({ id, text }) => `${id}: ${text} [${text.match(pattern)?.[0]}]`);
    expect(offending).toEqual([]);
  });
});

describe('parseThemeCatalog on a valid fixture', () => {
  it('accepts the minimal fixture and returns frozen themes in canonical order', () => {
    const raw = validCatalog();
    raw.themes.reverse();
    const catalog = parseThemeCatalog(raw);
    expect(catalog.themes.map((t) => t.id)).toEqual([...THEME_IDS]);
    expect(Object.isFrozen(catalog.themes)).toBe(true);
    expect(catalog.prompt('self-reflection-30')?.prompt.icebreaker).toBe(false);
  });

  it('accepts a prompt of exactly the maximum length', () => {
    const raw = validCatalog();
    promptAt(raw, 0, 0).text = `${'a'.repeat(PROMPT_MAX_LENGTH - 1)}?`;
    expect(() => parseThemeCatalog(raw)).not.toThrow();
  });
});

describe('parseThemeCatalog rejects broken data', () => {
  it('rejects input that is not a catalog object', () => {
    for (const raw of [null, 'themes', 42, []]) {
      expect(problemsOf(raw).length).toBeGreaterThan(0);
    }
  });

  it('rejects an unsupported version', () => {
    const raw = validCatalog();
    raw.version = 2;
    expectSingleProblem(raw, 'version');
  });

  it('rejects a prompt missing its icebreaker flag, naming the prompt', () => {
    const raw = validCatalog();
    const prompt = promptAt(raw, 1, 20) as Partial<RawPrompt>;
    delete prompt.icebreaker;
    expectSingleProblem(raw, 'themes[1].prompts[20] (mutual-respect-21)', 'icebreaker');
  });

  it('rejects unexpected keys such as a misspelt field', () => {
    const raw = validCatalog();
    (promptAt(raw, 2, 0) as unknown as Record<string, unknown>)['icebraker'] = true;
    expectSingleProblem(raw, 'cross-cultural-communication-01', 'icebraker');
  });

  it('rejects an unknown theme id and reports the theme it displaced as missing', () => {
    const raw = validCatalog();
    const theme = themeAt(raw, 3);
    theme.id = 'hot-takes';
    theme.prompts.forEach((p, i) => (p.id = `hot-takes-${i + 1}`));
    const problems = problemsOf(raw);
    expect(problems.some((p) => p.includes('themes[3] (hot-takes)') && p.includes('unknown theme id'))).toBe(true);
    expect(problems.some((p) => p.includes('"challenging-stereotypes" is missing'))).toBe(true);
  });

  it('rejects a theme that appears twice', () => {
    const raw = validCatalog();
    const copy = themeAt(raw, 7);
    copy.id = 'shared-experiences';
    copy.prompts.forEach((p, i) => {
      p.id = `shared-experiences-${100 + i}`;
      p.text = `Another shared question ${i}?`;
    });
    const problems = problemsOf(raw);
    expect(problems.some((p) => p.includes('themes[7] (shared-experiences)') && p.includes('more than once'))).toBe(true);
    expect(problems.some((p) => p.includes('"intercultural-dialogue" is missing'))).toBe(true);
  });

  it('rejects a missing theme', () => {
    const raw = validCatalog();
    raw.themes.splice(5, 1);
    expectSingleProblem(raw, 'self-reflection', 'missing');
  });

  it('rejects a duplicate prompt id', () => {
    const raw = validCatalog();
    promptAt(raw, 4, 9).id = 'building-bridges-03';
    expectSingleProblem(raw, 'themes[4].prompts[9] (building-bridges-03)', 'used more than once', 'prompts[2]');
  });

  it('rejects a prompt id that does not start with its theme id', () => {
    const raw = validCatalog();
    promptAt(raw, 4, 0).id = 'self-reflection-99';
    expectSingleProblem(raw, 'self-reflection-99', 'must start with its theme id', 'building-bridges-');
  });

  it('rejects an empty prompt id', () => {
    const raw = validCatalog();
    promptAt(raw, 0, 0).id = '';
    expectSingleProblem(raw, 'themes[0].prompts[0]', 'id is empty');
  });

  it('rejects prompt text that is too long, saying by how much', () => {
    const raw = validCatalog();
    promptAt(raw, 1, 5).text = `${'b'.repeat(311)}?`;
    const problem = expectSingleProblem(raw, 'themes[1].prompts[5] (mutual-respect-06)');
    expect(problem).toBe('themes[1].prompts[5] (mutual-respect-06): text is 312 characters, the limit is 300');
  });

  it('rejects empty and untrimmed prompt text', () => {
    const empty = validCatalog();
    promptAt(empty, 0, 1).text = '   ';
    expectSingleProblem(empty, 'shared-experiences-02', 'text is empty');

    const padded = validCatalog();
    promptAt(padded, 0, 1).text = ' What do you enjoy? ';
    expectSingleProblem(padded, 'shared-experiences-02', 'whitespace');
  });

  it.each([
    ['@everyone, what is your favourite food?', '"@"'],
    ['What do you think, <@123456789012345678>?', '"@"'],
    ['What do you share in <#123456789012345678>?', '"<#"'],
    ['What did you like about https://example.test/page?', 'URL'],
    ['Have you seen www.example.test yet?', 'URL'],
    ['Have you joined discord.gg/abcdef yet?', 'URL'],
  ])('rejects prompt text with a mention or link: %s', (text, rule) => {
    const raw = validCatalog();
    promptAt(raw, 6, 2).text = text;
    expectSingleProblem(raw, 'new-narratives-03', rule);
  });

  it('rejects texts that differ only in case, spacing or punctuation', () => {
    const raw = validCatalog();
    promptAt(raw, 0, 0).text = "What's a song you love?";
    promptAt(raw, 7, 29).text = 'whats  a SONG you love...?';
    expectSingleProblem(raw, 'intercultural-dialogue-30', 'duplicates', 'shared-experiences-01');
    expect(normalizePromptText("What's a song, you love?")).toBe(normalizePromptText('whats a song you love'));
  });

  it('rejects a theme with too few prompts', () => {
    const raw = validCatalog();
    themeAt(raw, 2).prompts.pop();
    expectSingleProblem(raw, 'themes[2] (cross-cultural-communication)', `has ${MIN_PROMPTS_PER_THEME - 1} prompts`);
  });

  it('rejects a theme with too few icebreakers', () => {
    const raw = validCatalog();
    promptAt(raw, 3, 0).icebreaker = false;
    expectSingleProblem(raw, 'themes[3] (challenging-stereotypes)', `has ${MIN_ICEBREAKERS_PER_THEME - 1} icebreaker`);
  });

  it('rejects a title that is empty or longer than 60 characters', () => {
    const long = validCatalog();
    themeAt(long, 1).title = 'T'.repeat(61);
    expectSingleProblem(long, 'mutual-respect', 'title is 61 characters, the limit is 60');

    const empty = validCatalog();
    themeAt(empty, 1).title = '';
    expectSingleProblem(empty, 'mutual-respect', 'title is empty');
  });

  it('rejects a description that is empty or longer than 200 characters', () => {
    const long = validCatalog();
    themeAt(long, 5).description = 'd'.repeat(201);
    expectSingleProblem(long, 'self-reflection', 'description is 201 characters, the limit is 200');

    const empty = validCatalog();
    themeAt(empty, 5).description = '';
    expectSingleProblem(empty, 'self-reflection', 'description is empty');
  });

  it('reports every problem at once, one line each', () => {
    const raw = validCatalog();
    raw.version = 3;
    promptAt(raw, 0, 0).text = 'Hey @here?';
    promptAt(raw, 2, 3).text = `${'x'.repeat(400)}?`;
    themeAt(raw, 4).prompts.splice(-5, 5);
    const broken = promptAt(raw, 6, 1) as Partial<RawPrompt>;
    delete broken.text;
    themeAt(raw, 7).title = '';

    let error: unknown;
    try {
      parseThemeCatalog(raw);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ThemeDataError);
    const { problems, message } = error as ThemeDataError;
    expect(problems).toHaveLength(6);
    const expected = [
      'version',
      'shared-experiences-01',
      'cross-cultural-communication-04',
      'themes[4] (building-bridges): has 25 prompts',
      'new-narratives-02',
      'themes[7] (intercultural-dialogue): title is empty',
    ];
    for (const fragment of expected) {
      expect(
        problems.some((p) => p.includes(fragment)),
        fragment,
      ).toBe(true);
      expect(message).toContain(fragment);
    }
    for (const problem of problems) expect(problem).not.toContain('\n');
  });
});

describe('isThemeId', () => {
  it('recognises exactly the eight theme ids', () => {
    for (const id of THEME_IDS) expect(isThemeId(id)).toBe(true);
    expect(isThemeId('Shared-Experiences')).toBe(false);
    expect(isThemeId('')).toBe(false);
  });
});

describe('loadThemeCatalog', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bridges-themes-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('turns a JSON syntax error into a ThemeDataError naming the file', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{ "version": 1, "themes": [ }');
    const error = await loadThemeCatalog(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThemeDataError);
    const { problems, source, message } = error as ThemeDataError;
    expect(source).toBe(file);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(file);
    expect(problems[0]).toContain('not valid JSON');
    expect(message).toContain(file);
  });

  it('names the file when the content is invalid', async () => {
    const file = join(dir, 'invalid.json');
    const raw = validCatalog();
    raw.themes.pop();
    await writeFile(file, JSON.stringify(raw));
    const error = await loadThemeCatalog(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThemeDataError);
    expect((error as ThemeDataError).source).toBe(file);
    expect((error as ThemeDataError).message).toContain(file);
    expect((error as ThemeDataError).problems).toEqual(['themes: theme "intercultural-dialogue" is missing']);
  });

  it('loads a valid catalog from an explicit path', async () => {
    const file = join(dir, 'valid.json');
    await writeFile(file, JSON.stringify(validCatalog()));
    const catalog = await loadThemeCatalog(file);
    expect(catalog.themes).toHaveLength(THEME_IDS.length);
  });
});
