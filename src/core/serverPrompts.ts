/**
 * A server's own prompt bank: prompts its moderators added or approved from members' suggestions,
 * and the built-in prompts it switched off. Pure: the rotation sees the server's bank as one
 * catalog ({@link bankCatalog}), and texts are cleaned, compared and validated here.
 */
import { z } from 'zod';
import { isThemeId, type Prompt, type Theme, type ThemeCatalog, type ThemeId } from './themes.ts';

export const SERVER_PROMPT_MIN_LENGTH = 10;
export const SERVER_PROMPT_MAX_LENGTH = 300;
/** Prompts a server may add; the built-in bank has about 300. */
export const MAX_SERVER_PROMPTS = 500;
/** The largest pack file /prompts import reads. */
export const MAX_PACK_BYTES = 256 * 1024;
/** The version of the pack files /prompts export writes and /prompts import reads. */
export const PACK_VERSION = 1;
/** Two texts whose folded forms are at least this similar (Dice coefficient of bigrams) are the same prompt. */
export const NEAR_DUPLICATE_SIMILARITY = 0.85;

export interface ServerPrompt {
  /** `s<n>`: never the id of a built-in prompt, never reused within a server. */
  readonly id: string;
  readonly themeId: ThemeId;
  readonly text: string;
  /** The member credited for it (an approved suggestion whose author agreed to be named). */
  readonly authorId?: string;
}

export interface ServerBank {
  readonly prompts: readonly ServerPrompt[];
  /** Built-in prompt ids this server switched off. */
  readonly disabledBuiltInIds: readonly string[];
  /** The number the next server prompt id takes. */
  readonly nextNumber: number;
}

export const EMPTY_BANK: ServerBank = Object.freeze({ prompts: [], disabledBuiltInIds: [], nextNumber: 1 });

export function isServerPromptId(id: string): boolean {
  return /^s\d+$/.test(id);
}

/**
 * What a member or moderator typed, made safe to post: one line of single spaces, and no mention,
 * channel, emoji or timestamp token can form (the `@` and the `<` that would open one become their
 * full-width look-alikes). Markdown is escaped where the text is shown, so it is kept as typed here.
 */
export function cleanPromptText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/@/g, '\uFF20')
    .replace(/<(?=[@#:/]|a:|t:)/g, '\uFF1C');
}

/** The form two prompts are compared in: no case, accents, punctuation or spacing. */
export function foldPromptText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

function bigrams(folded: string): Map<string, number> {
  const counts = new Map<string, number>();
  const chars = [...folded];
  for (let i = 0; i + 1 < chars.length; i++) {
    const pair = `${chars[i] ?? ''}${chars[i + 1] ?? ''}`;
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

/** How alike two folded texts are, from 0 to 1 (Sørensen–Dice over character bigrams). */
export function promptSimilarity(a: string, b: string): number {
  const foldedA = foldPromptText(a);
  const foldedB = foldPromptText(b);
  if (foldedA === foldedB) return 1;
  const left = bigrams(foldedA);
  const right = bigrams(foldedB);
  let shared = 0;
  let total = 0;
  for (const count of left.values()) total += count;
  for (const count of right.values()) total += count;
  for (const [pair, count] of left) shared += Math.min(count, right.get(pair) ?? 0);
  return total === 0 ? 0 : (2 * shared) / total;
}

/** The first of `existing` that `text` nearly duplicates, if any. */
export function findNearDuplicate(text: string, existing: Iterable<string>): string | undefined {
  for (const candidate of existing) {
    if (promptSimilarity(text, candidate) >= NEAR_DUPLICATE_SIMILARITY) return candidate;
  }
  return undefined;
}

/** Why a prompt text cannot be used, as a problem code's suffix; undefined when it can. */
export function promptLengthProblem(cleaned: string): 'too-short' | 'too-long' | undefined {
  const length = [...cleaned].length;
  if (length < SERVER_PROMPT_MIN_LENGTH) return 'too-short';
  if (length > SERVER_PROMPT_MAX_LENGTH) return 'too-long';
  return undefined;
}

/**
 * The catalog the rotation uses for one server: the built-in themes without the prompts the server
 * switched off, with the server's own prompts after them. Prompt ids are kept, so a server prompt
 * takes its turn in its theme's cycle like any other. A bank that would leave no prompt at all is
 * ignored rather than stopping the daily post.
 */
export function bankCatalog(base: ThemeCatalog, bank: ServerBank): ThemeCatalog {
  if (bank.prompts.length === 0 && bank.disabledBuiltInIds.length === 0) return base;
  const disabled = new Set(bank.disabledBuiltInIds);
  const own = new Map(bank.prompts.map((prompt) => [prompt.id, prompt]));
  const themes: Theme[] = base.themes.map((theme) => ({
    ...theme,
    prompts: [
      ...theme.prompts.filter((prompt) => !disabled.has(prompt.id)),
      ...bank.prompts
        .filter((prompt) => prompt.themeId === theme.id)
        .map((prompt): Prompt => ({ id: prompt.id, text: prompt.text, icebreaker: false })),
    ],
  }));
  if (themes.every((theme) => theme.prompts.length === 0)) return base;
  const byId = new Map(themes.map((theme) => [theme.id, theme]));
  return {
    themes,
    translatedLocales: base.translatedLocales,
    theme: (id) => byId.get(id as ThemeId),
    prompt(id) {
      const mine = own.get(id);
      if (mine) {
        const theme = byId.get(mine.themeId);
        return theme ? { theme, prompt: { id: mine.id, text: mine.text, icebreaker: false } } : undefined;
      }
      const found = base.prompt(id);
      if (!found) return undefined;
      const theme = byId.get(found.theme.id) ?? found.theme;
      return { theme, prompt: found.prompt };
    },
    themeText: (id, locale) => base.themeText(id, locale),
    promptText: (id, locale) => own.get(id)?.text ?? base.promptText(id, locale),
  };
}

/** The built-in prompt texts a server uses: every enabled prompt in each of the server's languages. */
export function builtInTexts(base: ThemeCatalog, bank: ServerBank, locales: readonly string[]): { id: string; text: string }[] {
  const disabled = new Set(bank.disabledBuiltInIds);
  const out: { id: string; text: string }[] = [];
  for (const theme of base.themes) {
    for (const prompt of theme.prompts) {
      if (disabled.has(prompt.id)) continue;
      out.push({ id: prompt.id, text: prompt.text });
      for (const locale of locales) {
        const text = base.promptText(prompt.id, locale);
        if (text !== undefined && text !== prompt.text) out.push({ id: prompt.id, text });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pack files: what /prompts export writes and /prompts import reads.

export interface PackFile {
  readonly version: typeof PACK_VERSION;
  readonly prompts: readonly { readonly theme: string; readonly text: string; readonly author?: string }[];
  readonly disabledBuiltIn: readonly string[];
}

const PackShape = z.strictObject({
  version: z.literal(PACK_VERSION),
  prompts: z.array(
    z.strictObject({
      theme: z.string(),
      text: z.string(),
      author: z
        .string()
        .regex(/^\d{1,20}$/)
        .optional(),
    }),
  ),
  disabledBuiltIn: z.array(z.string()).default([]),
});

/** One reason a pack was refused; `index` is the prompt's position in the file, from 1. */
export type PackProblem =
  | { readonly kind: 'too-large'; readonly bytes: number }
  | { readonly kind: 'not-json' }
  | { readonly kind: 'schema'; readonly path: string; readonly detail: string }
  | { readonly kind: 'too-many'; readonly count: number }
  | { readonly kind: 'unknown-theme'; readonly index: number; readonly theme: string }
  | { readonly kind: 'too-short' | 'too-long'; readonly index: number }
  | { readonly kind: 'duplicate-in-file'; readonly index: number; readonly of: number }
  | { readonly kind: 'duplicate-built-in'; readonly index: number; readonly builtInId: string }
  | { readonly kind: 'unknown-built-in'; readonly id: string };

export function exportPack(bank: ServerBank): PackFile {
  return {
    version: PACK_VERSION,
    prompts: bank.prompts.map((prompt) => ({
      theme: prompt.themeId,
      text: prompt.text,
      ...(prompt.authorId === undefined ? {} : { author: prompt.authorId }),
    })),
    disabledBuiltIn: [...bank.disabledBuiltInIds],
  };
}

/**
 * Reads a pack file into the bank that replaces the server's, or every problem found. All or
 * nothing: one problem refuses the whole file. Prompts the server already has keep their ids (so
 * the rotation remembers them); new ones get fresh ids.
 */
export function parsePack(
  bytes: Uint8Array,
  base: ThemeCatalog,
  current: ServerBank,
  builtIns: readonly { id: string; text: string }[],
): { ok: true; bank: ServerBank } | { ok: false; problems: PackProblem[] } {
  if (bytes.byteLength > MAX_PACK_BYTES) return { ok: false, problems: [{ kind: 'too-large', bytes: bytes.byteLength }] };
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, problems: [{ kind: 'not-json' }] };
  }
  const shaped = PackShape.safeParse(raw);
  if (!shaped.success) {
    return {
      ok: false,
      problems: shaped.error.issues.slice(0, 10).map((issue) => ({
        kind: 'schema',
        path: issue.path.map((key) => (typeof key === 'number' ? `[${key + 1}]` : `.${String(key)}`)).join(''),
        detail: issue.code,
      })),
    };
  }
  const pack = shaped.data;
  const problems: PackProblem[] = [];
  if (pack.prompts.length > MAX_SERVER_PROMPTS) problems.push({ kind: 'too-many', count: pack.prompts.length });
  const disabled = [...new Set(pack.disabledBuiltIn)];
  for (const id of disabled) if (!base.prompt(id)) problems.push({ kind: 'unknown-built-in', id });
  const disabledSet = new Set(disabled);
  const activeBuiltIns = builtIns.filter((builtIn) => !disabledSet.has(builtIn.id));

  const existingIds = new Map(current.prompts.map((prompt) => [foldPromptText(prompt.text), prompt.id]));
  let nextNumber = current.nextNumber;
  const prompts: ServerPrompt[] = [];
  const seen: string[] = [];
  pack.prompts.forEach((entry, position) => {
    const index = position + 1;
    const text = cleanPromptText(entry.text);
    if (!isThemeId(entry.theme)) problems.push({ kind: 'unknown-theme', index, theme: entry.theme });
    const length = promptLengthProblem(text);
    if (length) problems.push({ kind: length, index });
    const earlier = seen.findIndex((other) => promptSimilarity(other, text) >= NEAR_DUPLICATE_SIMILARITY);
    if (earlier !== -1) problems.push({ kind: 'duplicate-in-file', index, of: earlier + 1 });
    const builtIn = activeBuiltIns.find((candidate) => promptSimilarity(candidate.text, text) >= NEAR_DUPLICATE_SIMILARITY);
    if (builtIn) problems.push({ kind: 'duplicate-built-in', index, builtInId: builtIn.id });
    seen.push(text);
    if (!isThemeId(entry.theme)) return;
    const id = existingIds.get(foldPromptText(text)) ?? `s${nextNumber++}`;
    prompts.push({ id, themeId: entry.theme, text, ...(entry.author === undefined ? {} : { authorId: entry.author }) });
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, bank: { prompts, disabledBuiltInIds: disabled, nextNumber } };
}
