import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY_ROTATION, pickIcebreaker, pickPrompt, type RotationState } from '../../src/core/rotation.ts';
import { seededRandom, type Random } from '../../src/core/random.ts';
import type { Prompt, Theme, ThemeCatalog, ThemeId } from '../../src/core/themes.ts';

const IDS: readonly ThemeId[] = [
  'shared-experiences',
  'mutual-respect',
  'cross-cultural-communication',
  'challenging-stereotypes',
  'building-bridges',
  'self-reflection',
  'new-narratives',
  'intercultural-dialogue',
];
const [A, B, C, D] = IDS as [ThemeId, ThemeId, ThemeId, ThemeId];

/** A catalog whose theme `id` has `sizes[i]` prompts `id-0`, `id-1`, …; every third prompt is an icebreaker. */
function makeCatalog(sizes: Partial<Record<ThemeId, number>>, icebreaker: (index: number) => boolean = (i) => i % 3 === 0): ThemeCatalog {
  const themes: Theme[] = IDS.filter((id) => sizes[id] !== undefined).map((id) => ({
    id,
    title: id,
    description: `About ${id}`,
    prompts: Array.from({ length: sizes[id] ?? 0 }, (_, i): Prompt => ({
      id: `${id}-${i}`,
      text: `Prompt ${i} of ${id}`,
      icebreaker: icebreaker(i),
    })),
  }));
  return {
    themes,
    theme: (id) => themes.find((theme) => theme.id === id),
    prompt: (id) => {
      for (const theme of themes) {
        const prompt = theme.prompts.find((p) => p.id === id);
        if (prompt) return { theme, prompt };
      }
      return undefined;
    },
    themeText: (id) => themes.find((theme) => theme.id === id),
    promptText: () => undefined,
    translatedLocales: [],
  };
}

interface Step {
  readonly themeId: string;
  readonly promptId: string;
  readonly forced: boolean;
}

function run(
  catalog: ThemeCatalog,
  enabled: readonly string[],
  count: number,
  random: Random,
  force: (index: number) => string | undefined = () => undefined,
  initial: RotationState = EMPTY_ROTATION,
): { steps: Step[]; state: RotationState } {
  let state = initial;
  const steps: Step[] = [];
  for (let i = 0; i < count; i++) {
    const forcedId = force(i);
    const result = pickPrompt(catalog, enabled, state, random, forcedId);
    steps.push({ themeId: result.theme.id, promptId: result.prompt.id, forced: forcedId !== undefined });
    state = result.state;
  }
  return { steps, state };
}

/** Per theme: no prompt repeats within a cycle, and a new cycle does not start with the prompt that ended the last. */
function expectCycles(catalog: ThemeCatalog, steps: readonly Step[]): void {
  for (const theme of catalog.themes) {
    const picked = steps.filter((step) => step.themeId === theme.id).map((step) => step.promptId);
    const size = theme.prompts.length;
    for (let start = 0; start < picked.length; start += size) {
      const cycle = picked.slice(start, start + size);
      expect(new Set(cycle).size, `${theme.id} cycle at ${start}: ${cycle.join(',')}`).toBe(cycle.length);
      if (start > 0 && size > 1) expect(cycle[0]).not.toBe(picked[start - 1]);
    }
  }
}

const arbSetup = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: IDS.length, maxLength: IDS.length }),
    enabledMask: fc.array(fc.boolean(), { minLength: IDS.length, maxLength: IDS.length }),
    seed: fc.string(),
    length: fc.integer({ min: 1, max: 120 }),
  })
  .filter(({ enabledMask }) => enabledMask.some(Boolean))
  .map(({ sizes, enabledMask, seed, length }) => {
    const catalog = makeCatalog(Object.fromEntries(IDS.map((id, i) => [id, sizes[i]])));
    const enabled = IDS.filter((_, i) => enabledMask[i]);
    return { catalog, enabled, seed, length };
  });

describe('pickPrompt', () => {
  it('starts from the empty state and records the pick', () => {
    const catalog = makeCatalog({ [A]: 3, [B]: 3 });
    const first = pickPrompt(catalog, [A, B], EMPTY_ROTATION, seededRandom('x'));
    expect([A, B]).toContain(first.theme.id);
    expect(first.theme.prompts).toContain(first.prompt);
    expect(first.state.lastThemeId).toBe(first.theme.id);
    expect(first.state.themeUseCounts[first.theme.id]).toBe(1);
    expect(first.state.usedPromptIds[first.theme.id]).toEqual([first.prompt.id]);
    expect(first.state.lastPromptIdByTheme?.[first.theme.id]).toBe(first.prompt.id);
    // The input state is untouched.
    expect(EMPTY_ROTATION).toEqual({ themeUseCounts: {}, usedPromptIds: {}, lastPromptIdByTheme: {} });
  });

  it('alternates two themes and walks each theme’s prompts without repeats', () => {
    const catalog = makeCatalog({ [A]: 3, [B]: 2 });
    const { steps } = run(catalog, [A, B], 12, seededRandom('alternate'));
    for (let i = 1; i < steps.length; i++) expect(steps[i]?.themeId).not.toBe(steps[i - 1]?.themeId);
    expectCycles(catalog, steps);
  });

  it('is deterministic for a seed, so a preview matches the real pick', () => {
    const catalog = makeCatalog({ [A]: 5, [B]: 5, [C]: 5, [D]: 5 });
    const enabled = [A, B, C, D];
    const one = run(catalog, enabled, 40, seededRandom('guild:1'));
    const two = run(catalog, enabled, 40, seededRandom('guild:1'));
    expect(two.steps).toEqual(one.steps);
    expect(run(catalog, enabled, 40, seededRandom('guild:2')).steps).not.toEqual(one.steps);
    const preview = pickPrompt(catalog, enabled, one.state, seededRandom('2026-05-01'));
    const real = pickPrompt(catalog, enabled, one.state, seededRandom('2026-05-01'));
    expect(real.prompt.id).toBe(preview.prompt.id);
    expect(real.state).toEqual(preview.state);
  });

  it('works with a single enabled theme', () => {
    const catalog = makeCatalog({ [A]: 4, [B]: 4 });
    const { steps } = run(catalog, [A], 13, seededRandom('single'));
    expect(steps.every((step) => step.themeId === A)).toBe(true);
    expectCycles(catalog, steps);
  });

  it('repeats the only prompt of a one-prompt theme, and alternates a two-prompt theme', () => {
    const one = makeCatalog({ [A]: 1 });
    expect(run(one, [A], 3, seededRandom('1')).steps.map((s) => s.promptId)).toEqual([`${A}-0`, `${A}-0`, `${A}-0`]);
    const two = makeCatalog({ [A]: 2 });
    const ids = run(two, [A], 8, seededRandom('2')).steps.map((s) => s.promptId);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).not.toBe(ids[i - 1]);
  });

  it('ignores unknown enabled ids and throws RangeError when nothing usable is enabled', () => {
    const catalog = makeCatalog({ [A]: 2, [B]: 0 });
    const { steps } = run(catalog, ['nope', A, 'other'], 4, seededRandom('u'));
    expect(steps.every((s) => s.themeId === A)).toBe(true);
    expect(() => pickPrompt(catalog, [], EMPTY_ROTATION, seededRandom('e'))).toThrow(RangeError);
    expect(() => pickPrompt(catalog, ['nope'], EMPTY_ROTATION, seededRandom('e'))).toThrow(RangeError);
    expect(() => pickPrompt(catalog, [B], EMPTY_ROTATION, seededRandom('e'))).toThrow(RangeError); // no prompts
    expect(() => pickPrompt(catalog, [A], EMPTY_ROTATION, seededRandom('e'), 'nope')).toThrow(RangeError);
  });

  it('respects a forced theme, even a disabled one, without repeating its prompts', () => {
    const catalog = makeCatalog({ [A]: 3, [B]: 3, [C]: 3 });
    const forced = run(catalog, [A, B], 9, seededRandom('f'), () => C);
    expect(forced.steps.every((s) => s.themeId === C)).toBe(true);
    expectCycles(catalog, forced.steps);
    // Afterwards unforced picks go back to the enabled themes.
    const next = pickPrompt(catalog, [A, B], forced.state, seededRandom('g'));
    expect([A, B]).toContain(next.theme.id);
  });

  it('tolerates stale state: removed prompts, disabled or unknown themes, junk counts', () => {
    const catalog = makeCatalog({ [A]: 3, [B]: 3 });
    const stale: RotationState = {
      lastThemeId: 'deleted-theme',
      themeUseCounts: { [A]: Number.NaN, 'deleted-theme': 40, [C]: 12 },
      usedPromptIds: { [A]: [`${A}-0`, 'removed-prompt', `${A}-1`], 'deleted-theme': ['x'] },
      lastPromptIdByTheme: { [A]: `${A}-1`, 'deleted-theme': 'x' },
    };
    const { steps } = run(catalog, [A, B], 8, seededRandom('stale'), () => undefined, stale);
    for (let i = 1; i < steps.length; i++) expect(steps[i]?.themeId).not.toBe(steps[i - 1]?.themeId);
    // A's cycle had only A-2 left (the removed prompt does not count).
    expect(steps.find((s) => s.themeId === A)?.promptId).toBe(`${A}-2`);
    // A state with a cycle fully used and no lastPromptIdByTheme still works.
    const noLast: RotationState = { themeUseCounts: {}, usedPromptIds: { [A]: [`${A}-0`, `${A}-1`, `${A}-2`] } };
    const restarted = pickPrompt(catalog, [A], noLast, seededRandom('r'));
    expect(restarted.prompt.id).not.toBe(`${A}-2`);
    expect(restarted.state.usedPromptIds[A]).toEqual([restarted.prompt.id]);
  });

  it('gives a newly enabled theme its share without a long catch-up streak', () => {
    const catalog = makeCatalog({ [A]: 10, [B]: 10, [C]: 10 });
    const before = run(catalog, [A, B], 30, seededRandom('old'));
    const after = run(catalog, [A, B, C], 30, seededRandom('new'), () => undefined, before.state);
    const counts = [A, B, C].map((id) => after.steps.filter((s) => s.themeId === id).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(2);
  });

  it('spreads ties randomly rather than always favouring catalog order', () => {
    const catalog = makeCatalog({ [A]: 3, [B]: 3, [C]: 3, [D]: 3 });
    const firsts = new Set<string>();
    for (let seed = 0; seed < 40; seed++) firsts.add(pickPrompt(catalog, [A, B, C, D], EMPTY_ROTATION, seededRandom(`t${seed}`)).theme.id);
    expect(firsts.size).toBe(4);
  });

  it('property: only enabled themes, never the same theme twice in a row (≥ 2 enabled), balanced counts', () => {
    fc.assert(
      fc.property(arbSetup, ({ catalog, enabled, seed, length }) => {
        const { steps } = run(catalog, enabled, length, seededRandom(seed));
        const counts = new Map<string, number>(enabled.map((id) => [id, 0]));
        steps.forEach((step, i) => {
          expect(enabled).toContain(step.themeId);
          if (enabled.length >= 2 && i > 0) expect(step.themeId).not.toBe(steps[i - 1]?.themeId);
          counts.set(step.themeId, (counts.get(step.themeId) ?? 0) + 1);
          expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('property: within a theme no prompt repeats until all its prompts are used', () => {
    fc.assert(
      fc.property(arbSetup, ({ catalog, enabled, seed, length }) => {
        expectCycles(catalog, run(catalog, enabled, length, seededRandom(seed)).steps);
      }),
      { numRuns: 300 },
    );
  });

  it('property: forced picks are respected and still never repeat prompts within a cycle', () => {
    fc.assert(
      fc.property(
        arbSetup,
        fc.array(fc.option(fc.constantFrom(...IDS), { nil: undefined, freq: 2 }), { maxLength: 120 }),
        ({ catalog, enabled, seed, length }, forcing) => {
          const { steps } = run(catalog, enabled, length, seededRandom(seed), (i) => forcing[i]);
          steps.forEach((step, i) => {
            const forcedId = forcing[i];
            if (forcedId !== undefined) expect(step.themeId).toBe(forcedId);
            else {
              expect(enabled).toContain(step.themeId);
              if (enabled.length >= 2 && i > 0) expect(step.themeId).not.toBe(steps[i - 1]?.themeId);
            }
          });
          expectCycles(catalog, steps);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: same seed and state give the same sequence', () => {
    fc.assert(
      fc.property(arbSetup, ({ catalog, enabled, seed, length }) => {
        expect(run(catalog, enabled, length, seededRandom(seed)).steps).toEqual(run(catalog, enabled, length, seededRandom(seed)).steps);
      }),
      { numRuns: 100 },
    );
  });

  it('property: a round-trip through JSON (the store) does not change the next pick', () => {
    fc.assert(
      fc.property(arbSetup, ({ catalog, enabled, seed, length }) => {
        const { state } = run(catalog, enabled, length, seededRandom(seed));
        const stored = JSON.parse(JSON.stringify(state)) as RotationState;
        const direct = pickPrompt(catalog, enabled, state, seededRandom(`${seed}!`));
        const fromStore = pickPrompt(catalog, enabled, stored, seededRandom(`${seed}!`));
        expect(fromStore.prompt.id).toBe(direct.prompt.id);
      }),
      { numRuns: 100 },
    );
  });
});

describe('pickIcebreaker', () => {
  it('picks icebreakers from enabled themes only', () => {
    const catalog = makeCatalog({ [A]: 6, [B]: 6, [C]: 6 });
    for (let seed = 0; seed < 50; seed++) {
      const { theme, prompt } = pickIcebreaker(catalog, [A, B], seededRandom(`i${seed}`));
      expect(prompt.icebreaker).toBe(true);
      expect([A, B]).toContain(theme.id);
      expect(theme.prompts).toContain(prompt);
    }
  });

  it('avoids the given prompts when possible', () => {
    const catalog = makeCatalog({ [A]: 6 }); // icebreakers
    for (let seed = 0; seed < 20; seed++) {
      expect(pickIcebreaker(catalog, [A], seededRandom(`a${seed}`), new Set([`${A}-0`])).prompt.id).toBe(`${A}-3`);
    }
    const all = new Set([`${A}-0`, `${A}-3`]);
    expect(all.has(pickIcebreaker(catalog, [A], seededRandom('b'), all).prompt.id)).toBe(true);
  });

  it('falls back when the enabled themes have no icebreakers', () => {
    const noIcebreakers = makeCatalog({ [A]: 3 }, () => false);
    expect(pickIcebreaker(noIcebreakers, [A], seededRandom('n')).theme.id).toBe(A);
    const elsewhere = makeCatalog({ [A]: 3, [B]: 3 }, (i) => i === 2);
    const withoutInA: ThemeCatalog = {
      ...elsewhere,
      themes: elsewhere.themes.map((theme) =>
        theme.id === A ? { ...theme, prompts: theme.prompts.map((p) => ({ ...p, icebreaker: false })) } : theme,
      ),
    };
    expect(pickIcebreaker(withoutInA, [A], seededRandom('m')).prompt.id).toBe(`${B}-2`);
    expect(() => pickIcebreaker(makeCatalog({}), [A], seededRandom('z'))).toThrow(RangeError);
  });

  it('is deterministic for a seed', () => {
    const catalog = makeCatalog({ [A]: 9, [B]: 9, [C]: 9 });
    expect(pickIcebreaker(catalog, [A, B, C], seededRandom('same'))).toEqual(pickIcebreaker(catalog, [A, B, C], seededRandom('same')));
  });
});
