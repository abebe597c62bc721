import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ThemeCatalog } from '../../src/core/themes.ts';
import { themeListChoices, timeZoneChoices } from '../../src/discord/autocompleteChoices.ts';
import { DISCORD_LIMITS } from '../../src/discord/limits.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import { anyTranslator, RUNS } from './arbitraries.ts';
import { translator } from '../../src/discord/i18n.ts';
import { expectDiscordAcceptsChoices } from './discordRules.ts';

let catalog: ThemeCatalog;
beforeAll(async () => {
  catalog = await loadThemeCatalog();
});

// Autocomplete sees whatever is typed so far, up to Discord's 6,000 characters.
const typed = fc.oneof(
  fc.string({ maxLength: DISCORD_LIMITS.stringOptionLength, size: 'max' }),
  fc.string({ unit: 'binary', maxLength: 200, size: 'max' }),
  fc
    .array(fc.constantFrom('sha', 'mutual', 'Cross-cultural communication', '😀'.repeat(30), 'x'.repeat(90), ' ', ''), {
      maxLength: 12,
      size: 'max',
    })
    .map((parts) => parts.join(', ')),
);

describe('autocomplete choices', () => {
  it('time zone choices are accepted for anything typed', () => {
    fc.assert(
      fc.property(typed, (text) => void expectDiscordAcceptsChoices(timeZoneChoices(text))),
      RUNS,
    );
  });

  it('theme list choices are accepted for anything typed, and still name the theme they offer', () => {
    fc.assert(
      fc.property(typed, anyTranslator, (text, tr) => {
        const choices = themeListChoices(catalog, text, tr);
        expectDiscordAcceptsChoices(choices);
        for (const choice of choices) {
          if (choice.value === 'all') continue;
          expect(catalog.themes.some((theme) => choice.name.endsWith(catalog.themeText(theme.id, tr.locale)?.title ?? '-'))).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('offers the next theme after a long finished part, shortening that part in the name', () => {
    // 100 characters of value; the title is longer than the id, so the name has to give way.
    const finished = `${'x'.repeat(76)}, shared`;
    const choices = themeListChoices(catalog, `${finished}, narr`, translator('en-US'));
    expect(choices).toEqual([{ name: `${'x'.repeat(74)}…, Creating New Narratives`, value: `${finished}, new-narratives` }]);
    expectDiscordAcceptsChoices(choices);
  });
});

describe('theme choices in the member language', () => {
  it('offers theme titles in the member language and finds them by their translated names', () => {
    const choices = themeListChoices(catalog, 'dialogue inter', translator('fr'));
    expect(choices.map((choice) => choice.value)).toEqual(['intercultural-dialogue']);
    expect(choices[0]?.name).toBe(catalog.themeText('intercultural-dialogue', 'fr')?.title);
  });
});
