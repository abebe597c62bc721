/**
 * Which prompt to post next.
 *
 * Themes take turns: the least-used enabled theme goes next, never the same theme twice in a row
 * while another is enabled. Within a theme, prompts cycle: none repeats until all of the theme's
 * prompts have been used, and a new cycle never opens with the prompt that closed the last one.
 * Every choice comes from the `random` passed in, so the same state and seed give the same pick
 * (a preview is exact).
 */
import type { Prompt, Theme, ThemeCatalog } from './themes.ts';
import { pick, type Random } from './random.ts';

/** Per-server rotation memory, as stored. Treat as immutable; {@link pickPrompt} returns a new one. */
export interface RotationState {
  /** The theme of the last posted prompt. */
  readonly lastThemeId?: string;
  /** How many times each theme has been picked, relative to the others (see {@link pickPrompt}). */
  readonly themeUseCounts: Readonly<Record<string, number>>;
  /** Per theme, the prompt ids used in its current cycle, oldest first. */
  readonly usedPromptIds: Readonly<Record<string, readonly string[]>>;
  /** Per theme, the last prompt posted from it (survives a cycle restart). */
  readonly lastPromptIdByTheme?: Readonly<Record<string, string>>;
}

/** The state of a server that has never posted. */
export const EMPTY_ROTATION: RotationState = Object.freeze({
  themeUseCounts: Object.freeze({}),
  usedPromptIds: Object.freeze({}),
  lastPromptIdByTheme: Object.freeze({}),
});

/** A chosen prompt and the rotation state to store once it has been posted. */
export interface PromptPick {
  readonly theme: Theme;
  readonly prompt: Prompt;
  /** The state after this pick. */
  readonly state: RotationState;
}

/** Enabled themes that exist in the catalog and have prompts, in catalog order, without duplicates. */
function enabledThemes(catalog: ThemeCatalog, enabledThemeIds: readonly string[]): Theme[] {
  const enabled = new Set(enabledThemeIds);
  return catalog.themes.filter((theme) => enabled.has(theme.id) && theme.prompts.length > 0);
}

function useCount(state: RotationState, themeId: string): number {
  const count = state.themeUseCounts[themeId];
  return typeof count === 'number' && Number.isFinite(count) ? count : 0;
}

/**
 * Use counts for the enabled themes, raised to at least (highest − 1). That is a no-op while the
 * rotation is balanced, but stops a newly (re-)enabled theme, or the others after a run of forced
 * picks, from claiming a long catch-up streak.
 */
function effectiveCounts(themes: readonly Theme[], state: RotationState): Map<string, number> {
  const raw = themes.map((theme) => useCount(state, theme.id));
  const floor = Math.max(0, ...raw) - 1;
  return new Map(themes.map((theme, i) => [theme.id, Math.max(raw[i] ?? 0, floor)]));
}

function chooseTheme(
  themes: readonly Theme[],
  counts: ReadonlyMap<string, number>,
  lastThemeId: string | undefined,
  random: Random,
): Theme {
  const others = themes.filter((theme) => theme.id !== lastThemeId);
  const candidates = others.length > 0 ? others : themes;
  const least = Math.min(...candidates.map((theme) => counts.get(theme.id) ?? 0));
  return pick(
    candidates.filter((theme) => (counts.get(theme.id) ?? 0) === least),
    random,
  );
}

/**
 * Picks the next prompt. `themeId` forces a theme (moderator's choice; it must exist in the
 * catalog and have prompts, but need not be enabled); otherwise the least-used enabled themes other
 * than the last one are candidates, ties broken by `random`. Unknown enabled ids are ignored, and
 * stale state (removed prompts or themes, disabled themes) is tolerated.
 *
 * Use counts are relative: when a pick is made, enabled themes lagging more than one use behind
 * the most-used are brought up to one behind, so balance is kept from now on rather than repaid.
 *
 * @throws RangeError if no enabled theme with prompts exists in the catalog (or the forced theme
 * does not exist or has no prompts).
 */
export function pickPrompt(
  catalog: ThemeCatalog,
  enabledThemeIds: readonly string[],
  state: RotationState,
  random: Random,
  themeId?: string,
): PromptPick {
  const themes = enabledThemes(catalog, enabledThemeIds);
  let theme: Theme;
  if (themeId !== undefined) {
    const forced = catalog.theme(themeId);
    if (!forced || forced.prompts.length === 0) throw new RangeError(`Unknown theme or theme without prompts: ${themeId}`);
    theme = forced;
  } else {
    if (themes.length === 0) throw new RangeError('No enabled theme with prompts exists in the catalog');
    theme = chooseTheme(themes, effectiveCounts(themes, state), state.lastThemeId, random);
  }

  const { prompt, used } = choosePrompt(theme, state, random);

  const themeUseCounts: Record<string, number> = { ...state.themeUseCounts };
  for (const [id, count] of effectiveCounts(themes, state)) themeUseCounts[id] = count;
  themeUseCounts[theme.id] = (themeUseCounts[theme.id] ?? useCount(state, theme.id)) + 1;

  return {
    theme,
    prompt,
    state: {
      lastThemeId: theme.id,
      themeUseCounts,
      usedPromptIds: { ...state.usedPromptIds, [theme.id]: used },
      lastPromptIdByTheme: { ...state.lastPromptIdByTheme, [theme.id]: prompt.id },
    },
  };
}

/** The next prompt of `theme` and the theme's used list (current cycle) after it. */
function choosePrompt(theme: Theme, state: RotationState, random: Random): { prompt: Prompt; used: string[] } {
  const existing = new Set(theme.prompts.map((prompt) => prompt.id));
  const storedUsed = state.usedPromptIds[theme.id];
  // Prompts removed from the catalog since must not count towards finishing the cycle.
  const used = (Array.isArray(storedUsed) ? storedUsed : []).filter((id) => existing.has(id));
  const usedSet = new Set(used);
  const remaining = theme.prompts.filter((prompt) => !usedSet.has(prompt.id));
  if (remaining.length > 0) {
    const prompt = pick(remaining, random);
    return { prompt, used: [...used, prompt.id] };
  }

  // The cycle is complete: start a new one, but not with the prompt that closed the previous one.
  const lastId = state.lastPromptIdByTheme?.[theme.id] ?? used[used.length - 1];
  const fresh = theme.prompts.filter((prompt) => prompt.id !== lastId);
  const prompt = pick(fresh.length > 0 ? fresh : theme.prompts, random);
  return { prompt, used: [prompt.id] };
}

/**
 * Icebreakers for pairing threads: a prompt with `icebreaker: true` from the enabled themes,
 * avoiding `avoidPromptIds` when possible. If the enabled themes have no icebreaker at all, falls
 * back to icebreakers from any catalog theme, then to any prompt of the enabled themes.
 * @throws RangeError if there is nothing to fall back to.
 */
export function pickIcebreaker(
  catalog: ThemeCatalog,
  enabledThemeIds: readonly string[],
  random: Random,
  avoidPromptIds?: ReadonlySet<string>,
): { theme: Theme; prompt: Prompt } {
  const flatten = (themes: readonly Theme[], onlyIcebreakers: boolean): { theme: Theme; prompt: Prompt }[] =>
    themes.flatMap((theme) => theme.prompts.filter((prompt) => !onlyIcebreakers || prompt.icebreaker).map((prompt) => ({ theme, prompt })));
  const themes = enabledThemes(catalog, enabledThemeIds);
  let pool = flatten(themes, true);
  if (pool.length === 0) pool = flatten(catalog.themes, true);
  if (pool.length === 0) pool = flatten(themes, false);
  if (pool.length === 0) throw new RangeError('No icebreaker prompt available');

  const fresh = avoidPromptIds ? pool.filter((entry) => !avoidPromptIds.has(entry.prompt.id)) : pool;
  return pick(fresh.length > 0 ? fresh : pool, random);
}
