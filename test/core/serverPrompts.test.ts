import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random.ts';
import { EMPTY_ROTATION, pickPrompt, type RotationState } from '../../src/core/rotation.ts';
import {
  bankCatalog,
  builtInTexts,
  cleanPromptText,
  EMPTY_BANK,
  exportPack,
  findNearDuplicate,
  foldPromptText,
  MAX_PACK_BYTES,
  parsePack,
  promptSimilarity,
  type ServerBank,
} from '../../src/core/serverPrompts.ts';
import type { ThemeCatalog } from '../../src/core/themes.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';

let catalog: ThemeCatalog;
beforeAll(async () => {
  catalog = await loadThemeCatalog();
});

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('cleanPromptText', () => {
  it('makes one line and leaves no mention, channel, emoji or timestamp token', () => {
    expect(cleanPromptText('  Hi\n\n@everyone <@123> <#456> <t:1:F> </cmd:1> <:e:1>  ')).toBe(
      'Hi ＠everyone <＠123> ＜#456> ＜t:1:F> ＜/cmd:1> ＜:e:1>',
    );
  });

  it('never leaves text Discord would read as a mention, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('@', '<', '#', ':', '/', 't', 'a', '1', '&', '!', ' ', '\n', 'x') }), (text) => {
        expect(cleanPromptText(text)).not.toMatch(/@|<[#:/]|<a:|<t:|\n/);
      }),
    );
  });
});

describe('near duplicates', () => {
  it('fold case, accents, punctuation and spacing', () => {
    expect(foldPromptText('¿Qué  COMIDA te recuerda a casa?')).toBe(foldPromptText('que comida te recuerda a casa'));
    expect(promptSimilarity('What food reminds you of home?', 'what FOOD reminds you of home!!')).toBe(1);
  });

  it('a changed word or two is still the same prompt; another question is not', () => {
    const text = 'Which dish from your childhood would you cook for a new friend, and why that one?';
    expect(findNearDuplicate(text.replace('dish', 'dishes'), [text])).toBe(text);
    expect(findNearDuplicate('What is a small gesture that means a lot where you grew up?', [text])).toBeUndefined();
  });

  it('counts built-in prompts in each language the server uses, except those switched off', () => {
    const prompt = catalog.themes[0]?.prompts[0];
    if (!prompt) throw new Error('no prompt');
    const spanish = catalog.promptText(prompt.id, 'es-ES') ?? '';
    expect(builtInTexts(catalog, EMPTY_BANK, ['es-ES']).map((entry) => entry.text)).toContain(spanish);
    expect(builtInTexts(catalog, EMPTY_BANK, []).map((entry) => entry.text)).not.toContain(spanish);
    const off: ServerBank = { ...EMPTY_BANK, disabledBuiltInIds: [prompt.id] };
    expect(builtInTexts(catalog, off, ['es-ES']).some((entry) => entry.id === prompt.id)).toBe(false);
  });
});

describe('bankCatalog and the rotation', () => {
  const own = (themeId: 'self-reflection', n: number) => ({ id: `s${n}`, themeId, text: `Our own question number ${n} about ourselves?` });

  it('server prompts take their turn: no prompt repeats until the theme is used up, built-in and own alike', () => {
    const builtIns = catalog.theme('self-reflection')?.prompts ?? [];
    const bank: ServerBank = {
      prompts: [own('self-reflection', 1), own('self-reflection', 2), own('self-reflection', 3)],
      disabledBuiltInIds: builtIns.slice(0, 5).map((prompt) => prompt.id),
      nextNumber: 4,
    };
    const mine = bankCatalog(catalog, bank);
    const size = builtIns.length - 5 + 3;
    expect(mine.theme('self-reflection')?.prompts).toHaveLength(size);
    let state: RotationState = EMPTY_ROTATION;
    const seen: string[] = [];
    for (let i = 0; i < size; i++) {
      const pick = pickPrompt(mine, ['self-reflection'], state, seededRandom(`pick-${i}`));
      seen.push(pick.prompt.id);
      state = pick.state;
    }
    expect(new Set(seen).size).toBe(size);
    expect(seen).toEqual(expect.arrayContaining(['s1', 's2', 's3']));
    expect(seen.some((id) => bank.disabledBuiltInIds.includes(id))).toBe(false);
    expect(mine.prompt('s2')?.prompt.text).toBe(own('self-reflection', 2).text);
    expect(mine.promptText('s2', 'ja')).toBe(own('self-reflection', 2).text);
  });

  it('a bank that switches every prompt off leaves the built-in catalog in place', () => {
    const all = catalog.themes.flatMap((theme) => theme.prompts.map((prompt) => prompt.id));
    expect(bankCatalog(catalog, { ...EMPTY_BANK, disabledBuiltInIds: all })).toBe(catalog);
  });
});

describe('pack files', () => {
  const A = 'Which song always takes you back to a particular place?';
  const B = 'What did you believe about another country before you visited it?';

  it('round trip: an exported bank reads back as the same bank, keeping ids', () => {
    const bank: ServerBank = {
      prompts: [
        { id: 's4', themeId: 'building-bridges', text: A, authorId: '300000000000000001' },
        { id: 's9', themeId: 'self-reflection', text: B },
      ],
      disabledBuiltInIds: [catalog.themes[1]?.prompts[2]?.id ?? ''],
      nextNumber: 10,
    };
    const parsed = parsePack(bytes(exportPack(bank)), catalog, bank, builtInTexts(catalog, EMPTY_BANK, ['en-US']));
    expect(parsed).toEqual({ ok: true, bank });
  });

  it('new prompts get fresh ids after the server’s highest', () => {
    const parsed = parsePack(
      bytes({ version: 1, prompts: [{ theme: 'self-reflection', text: B }] }),
      catalog,
      { ...EMPTY_BANK, nextNumber: 7 },
      [],
    );
    expect(parsed).toEqual({
      ok: true,
      bank: { prompts: [{ id: 's7', themeId: 'self-reflection', text: B }], disabledBuiltInIds: [], nextNumber: 8 },
    });
  });

  it('refuses too large, not JSON, other versions, and lists every problem of the prompts', () => {
    expect(parsePack(new Uint8Array(MAX_PACK_BYTES + 1), catalog, EMPTY_BANK, [])).toEqual({
      ok: false,
      problems: [{ kind: 'too-large', bytes: MAX_PACK_BYTES + 1 }],
    });
    expect(parsePack(bytes('{'), catalog, EMPTY_BANK, [])).toEqual({ ok: false, problems: [{ kind: 'not-json' }] });
    expect(parsePack(new Uint8Array([0xff, 0xfe]), catalog, EMPTY_BANK, [])).toEqual({ ok: false, problems: [{ kind: 'not-json' }] });
    const other = parsePack(bytes({ version: 2, prompts: [] }), catalog, EMPTY_BANK, []);
    expect(other.ok).toBe(false);
    const builtIn = catalog.themes[0]?.prompts[0];
    const result = parsePack(
      bytes({
        version: 1,
        prompts: [
          { theme: 'nope', text: A },
          { theme: 'self-reflection', text: 'short' },
          { theme: 'self-reflection', text: 'x'.repeat(301) },
          { theme: 'self-reflection', text: A.toUpperCase() },
          { theme: 'self-reflection', text: builtIn?.text ?? '' },
        ],
        disabledBuiltIn: ['missing-01'],
      }),
      catalog,
      EMPTY_BANK,
      builtInTexts(catalog, EMPTY_BANK, ['en-US']),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        { kind: 'unknown-built-in', id: 'missing-01' },
        { kind: 'unknown-theme', index: 1, theme: 'nope' },
        { kind: 'too-short', index: 2 },
        { kind: 'too-long', index: 3 },
        { kind: 'duplicate-in-file', index: 4, of: 1 },
        { kind: 'duplicate-built-in', index: 5, builtInId: builtIn?.id },
      ],
    });
  });

  it('a built-in prompt the pack switches off may be repeated as the server’s own', () => {
    const builtIn = catalog.themes[0]?.prompts[0];
    if (!builtIn) throw new Error('no prompt');
    const parsed = parsePack(
      bytes({ version: 1, prompts: [{ theme: 'self-reflection', text: builtIn.text }], disabledBuiltIn: [builtIn.id] }),
      catalog,
      EMPTY_BANK,
      builtInTexts(catalog, EMPTY_BANK, ['en-US']),
    );
    expect(parsed.ok).toBe(true);
  });
});
