/**
 * Theme catalog: the eight conversation themes and their prompts.
 *
 * Pure module: types plus a validator for the raw JSON in data/themes.json.
 * No file system, no clock. The adapter that reads the file lives in
 * src/loadThemeCatalog.ts.
 */
import { z } from 'zod';

export const THEME_IDS = [
  'shared-experiences',
  'mutual-respect',
  'cross-cultural-communication',
  'challenging-stereotypes',
  'building-bridges',
  'self-reflection',
  'new-narratives',
  'intercultural-dialogue',
] as const;

export type ThemeId = (typeof THEME_IDS)[number];

export interface Prompt {
  readonly id: string;
  readonly text: string;
  readonly icebreaker: boolean;
}

export interface Theme {
  readonly id: ThemeId;
  readonly title: string;
  readonly description: string;
  readonly prompts: readonly Prompt[];
}

export interface ThemeCatalog {
  /** Themes in the canonical THEME_IDS order. */
  readonly themes: readonly Theme[];
  theme(id: string): Theme | undefined;
  prompt(id: string): { theme: Theme; prompt: Prompt } | undefined;
  /** A theme's title and description in a Discord locale, falling back as the bot's texts do, then English. */
  themeText(id: string, locale: string): { readonly title: string; readonly description: string } | undefined;
  /** A prompt's text in a Discord locale, falling back as the bot's texts do, then English. */
  promptText(id: string, locale: string): string | undefined;
  /** The locales the prompt bank is translated into (besides English). */
  readonly translatedLocales: readonly string[];
}

/** One locale's translation of the catalog (data/prompts/<locale>.json). */
export interface CatalogTranslation {
  readonly locale: string;
  readonly themes: Readonly<Record<string, { readonly title: string; readonly description: string }>>;
  readonly prompts: Readonly<Record<string, string>>;
}

/** Where a locale's missing text comes from before English: Latin American Spanish from Spain's. */
const LOCALE_FALLBACKS: Readonly<Record<string, readonly string[]>> = { 'es-419': ['es-419', 'es-ES'] };

export const PROMPT_MAX_LENGTH = 300;
export const MIN_PROMPTS_PER_THEME = 30;
export const MIN_ICEBREAKERS_PER_THEME = 10;
export const THEME_TITLE_MAX_LENGTH = 60;
export const THEME_DESCRIPTION_MAX_LENGTH = 200;

/** Thrown when theme data is malformed; `problems` lists every problem found, one readable line each. */
export class ThemeDataError extends Error {
  override readonly name = 'ThemeDataError';
  readonly problems: readonly string[];
  /** Where the data came from (a file path), when known. */
  readonly source: string | undefined;

  constructor(problems: readonly string[], options: { source?: string; cause?: unknown } = {}) {
    const where = options.source === undefined ? '' : ` in ${options.source}`;
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `Invalid theme data${where} (${count}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.problems = Object.freeze([...problems]);
    this.source = options.source;
  }
}

const THEME_ID_SET: ReadonlySet<string> = new Set(THEME_IDS);

export function isThemeId(value: string): value is ThemeId {
  return THEME_ID_SET.has(value);
}

/**
 * The key used to detect duplicate prompts: case-folded, with whitespace and
 * punctuation removed, so "What's up?" and "whats  up" collide.
 */
export function normalizePromptText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

// ---------------------------------------------------------------------------
// Shapes. Each level is parsed separately so a malformed prompt is reported
// without hiding the problems in every other prompt.

const CatalogShape = z.strictObject({
  version: z.literal(1),
  themes: z.array(z.unknown()),
});

const ThemeShape = z.strictObject({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  prompts: z.array(z.unknown()),
});

const PromptShape = z.strictObject({
  id: z.string(),
  text: z.string(),
  icebreaker: z.boolean(),
});

type ThemeInput = z.infer<typeof ThemeShape>;
type PromptInput = z.infer<typeof PromptShape>;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function shapeProblems(label: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    return `${label}: ${path === '' ? '' : `${path}: `}${issue.message}`;
  });
}

/** Best-effort id of a raw object, for labelling problems in objects that failed the shape check. */
function rawId(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && 'id' in value) {
    const id = (value as { id: unknown }).id;
    if (typeof id === 'string' && id !== '') return id;
  }
  return undefined;
}

function labelled(base: string, id: string | undefined): string {
  return id === undefined ? base : `${base} (${id})`;
}

const URL_PATTERN = /\bhttps?:\/\/|\bwww\.|\bdiscord(?:app)?\.(?:gg|com)\b|\b[a-z0-9-]+\.(?:com|net|org|io|gg)\b/i;

/** Text problems shared by titles, descriptions and prompts: Discord mentions and links. */
function unsafeTextProblems(field: string, text: string): string[] {
  const problems: string[] = [];
  if (text.includes('@')) {
    problems.push(`${field} contains "@"; mentions such as @everyone or <@id> are not allowed`);
  }
  if (text.includes('<#')) {
    problems.push(`${field} contains "<#"; channel mentions are not allowed`);
  }
  if (URL_PATTERN.test(text)) {
    problems.push(`${field} contains a URL or link; links are not allowed`);
  }
  return problems;
}

function boundedTextProblems(field: string, text: string, max: number): string[] {
  const problems: string[] = [];
  if (text.trim() === '') {
    problems.push(`${field} is empty`);
  } else if (text !== text.trim()) {
    problems.push(`${field} has leading or trailing whitespace`);
  }
  if (text.length > max) {
    problems.push(`${field} is ${text.length} characters, the limit is ${max}`);
  }
  return problems;
}

/**
 * Validates raw JSON and returns a catalog, or throws ThemeDataError listing
 * EVERY problem (one readable line each, e.g.
 * `themes[2].prompts[5] (mutual-respect-06): text is 312 characters, the limit is 300`).
 */
export function parseThemeCatalog(raw: unknown, rawTranslations: Readonly<Record<string, unknown>> = {}): ThemeCatalog {
  const problems: string[] = [];

  const top = CatalogShape.safeParse(raw);
  if (!top.success) {
    problems.push(...shapeProblems('catalog', top.error));
    // Keep going into the themes array if it is at least an array, so one bad
    // version number does not hide every other problem.
  }
  const maybeThemes: unknown = top.success
    ? top.data.themes
    : typeof raw === 'object' && raw !== null
      ? (raw as { themes?: unknown }).themes
      : undefined;
  const themesIsArray = Array.isArray(maybeThemes);
  const rawThemes: readonly unknown[] = themesIsArray ? (maybeThemes as unknown[]) : [];

  const themesById = new Map<ThemeId, Theme>();
  const firstThemeAt = new Map<string, string>();
  const firstPromptAt = new Map<string, string>();
  const firstTextAt = new Map<string, string>();

  rawThemes.forEach((rawTheme, themeIndex) => {
    const themeBase = `themes[${themeIndex}]`;
    const parsedTheme = ThemeShape.safeParse(rawTheme);
    if (!parsedTheme.success) {
      problems.push(...shapeProblems(labelled(themeBase, rawId(rawTheme)), parsedTheme.error));
      return;
    }
    const themeInput: ThemeInput = parsedTheme.data;
    const themeLabel = labelled(themeBase, themeInput.id);
    let themeOk = true;
    const fail = (message: string): void => {
      problems.push(`${themeLabel}: ${message}`);
      themeOk = false;
    };

    if (!isThemeId(themeInput.id)) {
      fail(`unknown theme id "${themeInput.id}"; expected one of ${THEME_IDS.join(', ')}`);
    } else {
      const earlier = firstThemeAt.get(themeInput.id);
      if (earlier !== undefined) fail(`theme id "${themeInput.id}" appears more than once (first at ${earlier})`);
      else firstThemeAt.set(themeInput.id, themeBase);
    }

    for (const message of [
      ...boundedTextProblems('title', themeInput.title, THEME_TITLE_MAX_LENGTH),
      ...unsafeTextProblems('title', themeInput.title),
      ...boundedTextProblems('description', themeInput.description, THEME_DESCRIPTION_MAX_LENGTH),
      ...unsafeTextProblems('description', themeInput.description),
    ]) {
      fail(message);
    }

    const prompts: Prompt[] = [];
    themeInput.prompts.forEach((rawPrompt, promptIndex) => {
      const promptBase = `${themeBase}.prompts[${promptIndex}]`;
      const parsedPrompt = PromptShape.safeParse(rawPrompt);
      if (!parsedPrompt.success) {
        problems.push(...shapeProblems(labelled(promptBase, rawId(rawPrompt)), parsedPrompt.error));
        themeOk = false;
        return;
      }
      const promptInput: PromptInput = parsedPrompt.data;
      const promptLabel = labelled(promptBase, promptInput.id === '' ? undefined : promptInput.id);
      const before = problems.length;
      const report = (message: string): void => {
        problems.push(`${promptLabel}: ${message}`);
      };

      const prefix = `${themeInput.id}-`;
      if (promptInput.id.trim() === '') {
        report('id is empty');
      } else {
        if (!promptInput.id.startsWith(prefix) || promptInput.id.length === prefix.length) {
          report(`id "${promptInput.id}" must start with its theme id, like "${prefix}01"`);
        }
        const earlier = firstPromptAt.get(promptInput.id);
        if (earlier !== undefined) report(`prompt id "${promptInput.id}" is used more than once (first at ${earlier})`);
        else firstPromptAt.set(promptInput.id, promptLabel);
      }

      for (const message of [
        ...boundedTextProblems('text', promptInput.text, PROMPT_MAX_LENGTH),
        ...unsafeTextProblems('text', promptInput.text),
      ]) {
        report(message);
      }

      const key = normalizePromptText(promptInput.text);
      if (key !== '') {
        const earlier = firstTextAt.get(key);
        if (earlier !== undefined) report(`text duplicates ${earlier}`);
        else firstTextAt.set(key, promptLabel);
      }

      if (problems.length !== before) themeOk = false;
      prompts.push(Object.freeze({ id: promptInput.id, text: promptInput.text, icebreaker: promptInput.icebreaker }));
    });

    const total = themeInput.prompts.length;
    if (total < MIN_PROMPTS_PER_THEME) {
      fail(`has ${total} prompts, at least ${MIN_PROMPTS_PER_THEME} are required`);
    }
    // Counted on the raw prompts so a prompt that failed the shape check does not
    // also produce a misleading "too few icebreakers" problem.
    const icebreakers = themeInput.prompts.filter(
      (p) => typeof p === 'object' && p !== null && (p as { icebreaker?: unknown }).icebreaker === true,
    ).length;
    if (icebreakers < MIN_ICEBREAKERS_PER_THEME) {
      fail(`has ${icebreakers} icebreaker prompts, at least ${MIN_ICEBREAKERS_PER_THEME} are required`);
    }

    if (themeOk && isThemeId(themeInput.id)) {
      themesById.set(
        themeInput.id,
        Object.freeze({
          id: themeInput.id,
          title: themeInput.title,
          description: themeInput.description,
          prompts: Object.freeze(prompts),
        }),
      );
    }
  });

  if (themesIsArray) {
    for (const id of THEME_IDS) {
      if (!firstThemeAt.has(id)) problems.push(`themes: theme "${id}" is missing`);
    }
  }

  if (problems.length > 0) throw new ThemeDataError(problems);

  const themes: readonly Theme[] = Object.freeze(
    THEME_IDS.map((id) => {
      const theme = themesById.get(id);
      // Unreachable: every id was seen exactly once and had no problems.
      if (theme === undefined) throw new ThemeDataError([`themes: theme "${id}" is missing`]);
      return theme;
    }),
  );
  const promptIndex = new Map<string, { theme: Theme; prompt: Prompt }>();
  for (const theme of themes) {
    for (const prompt of theme.prompts) promptIndex.set(prompt.id, Object.freeze({ theme, prompt }));
  }

  const translations = parseTranslations(rawTranslations, themes, promptIndex);
  const chain = (locale: string) => (LOCALE_FALLBACKS[locale] ?? [locale]).flatMap((each) => translations.get(each) ?? []);
  return Object.freeze({
    themes,
    theme: (id: string): Theme | undefined => (isThemeId(id) ? themesById.get(id) : undefined),
    prompt: (id: string): { theme: Theme; prompt: Prompt } | undefined => promptIndex.get(id),
    themeText: (id: string, locale: string) => {
      const theme = isThemeId(id) ? themesById.get(id) : undefined;
      if (!theme) return undefined;
      return (
        chain(locale).find((translation) => translation.themes[id])?.themes[id] ?? { title: theme.title, description: theme.description }
      );
    },
    promptText: (id: string, locale: string) => {
      const english = promptIndex.get(id)?.prompt.text;
      if (english === undefined) return undefined;
      return chain(locale).find((translation) => translation.prompts[id] !== undefined)?.prompts[id] ?? english;
    },
    translatedLocales: Object.freeze([...translations.keys()]),
  });
}

const translationShape = z.object({
  locale: z.string(),
  themes: z.record(z.string(), z.object({ title: z.string().min(1), description: z.string().min(1) })),
  prompts: z.record(z.string(), z.string().min(1)),
});

/**
 * Validates each locale's translation against the English catalog: exactly its theme and prompt
 * ids, and the same length limits. A translation that does not fit is refused at start-up.
 */
function parseTranslations(
  raw: Readonly<Record<string, unknown>>,
  themes: readonly Theme[],
  promptIndex: ReadonlyMap<string, { theme: Theme; prompt: Prompt }>,
): Map<string, CatalogTranslation> {
  const problems: string[] = [];
  const translations = new Map<string, CatalogTranslation>();
  const length = (text: string) => [...text].length;
  for (const [locale, value] of Object.entries(raw)) {
    const parsed = translationShape.safeParse(value);
    if (!parsed.success) {
      problems.push(...shapeProblems(`prompts/${locale}`, parsed.error));
      continue;
    }
    const translation = parsed.data;
    if (translation.locale !== locale) problems.push(`prompts/${locale}: says it is "${translation.locale}"`);
    for (const theme of themes) {
      const text = translation.themes[theme.id];
      if (!text) problems.push(`prompts/${locale}: theme "${theme.id}" is missing`);
      else if (length(text.title) > THEME_TITLE_MAX_LENGTH || length(text.description) > THEME_DESCRIPTION_MAX_LENGTH) {
        problems.push(
          `prompts/${locale}: theme "${theme.id}" is longer than ${THEME_TITLE_MAX_LENGTH}/${THEME_DESCRIPTION_MAX_LENGTH} characters`,
        );
      }
    }
    for (const id of Object.keys(translation.themes)) if (!isThemeId(id)) problems.push(`prompts/${locale}: unknown theme "${id}"`);
    for (const id of promptIndex.keys())
      if (translation.prompts[id] === undefined) problems.push(`prompts/${locale}: prompt "${id}" is missing`);
    for (const [id, text] of Object.entries(translation.prompts)) {
      if (!promptIndex.has(id)) problems.push(`prompts/${locale}: unknown prompt "${id}"`);
      if (length(text) > PROMPT_MAX_LENGTH)
        problems.push(`prompts/${locale}: prompt "${id}" is longer than ${PROMPT_MAX_LENGTH} characters`);
    }
    translations.set(locale, Object.freeze(translation));
  }
  if (problems.length > 0) throw new ThemeDataError(problems);
  return translations;
}
