import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ThemeCatalog } from '../../src/core/themes.ts';
import { profileListChoices, themeListChoices, timeZoneChoices } from '../../src/discord/autocompleteChoices.ts';
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

describe('profile list choices', () => {
  it('are accepted for anything typed, in every language, for languages, cultures and curiosities', () => {
    fc.assert(
      fc.property(typed, anyTranslator, fc.constantFrom('languages', 'cultures', 'curiousAbout' as const), (text, tr, field) => {
        expectDiscordAcceptsChoices(profileListChoices(field, text, tr));
      }),
      RUNS,
    );
  });

  it('offers a language by its name in the reader’s language, found by its English or own name, as its code', () => {
    const spanish = profileListChoices('languages', 'English, spani', translator('ja'));
    expect(spanish[0]).toEqual({ name: 'English, スペイン語 (español)', value: 'English, es' });
    const own = profileListChoices('languages', 'españ', translator('fr'));
    expect(own[0]).toEqual({ name: 'espagnol (español)', value: 'es' });
  });

  it('offers a region by its localized name as its code, and what is typed as it is', () => {
    expect(profileListChoices('cultures', 'Brazil', translator('pt-BR'))).toEqual([{ name: 'Brasil', value: 'BR' }]);
    expect(profileListChoices('cultures', 'Japan, Bras', translator('fr'))[0]).toEqual({
      name: 'Japan, Brésil (Brasil)',
      value: 'Japan, BR',
    });
    expect(profileListChoices('cultures', 'Japan, Bras', translator('fr')).at(-1)).toEqual({ name: 'Japan, Bras', value: 'Japan, Bras' });
    expect(profileListChoices('curiousAbout', 'Kansai', translator('en-US'))).toEqual([{ name: 'Kansai', value: 'Kansai' }]);
  });

  it('leaves out an offer whose value would pass 100 characters', () => {
    const finished = 'x'.repeat(97);
    expect(profileListChoices('languages', `${finished}, spa`, translator('en-US'))).toEqual([]);
    expect(profileListChoices('languages', `${'x'.repeat(96)}, spa`, translator('en-US'))[0]?.value).toBe(`${'x'.repeat(96)}, es`);
  });
});

describe('theme choices in the member language', () => {
  it('offers theme titles in the member language and finds them by their translated names', () => {
    const choices = themeListChoices(catalog, 'dialogue inter', translator('fr'));
    expect(choices.map((choice) => choice.value)).toEqual(['intercultural-dialogue']);
    expect(choices[0]?.name).toBe(catalog.themeText('intercultural-dialogue', 'fr')?.title);
  });
});
