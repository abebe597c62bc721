import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  PROMPT_MAX_LENGTH,
  THEME_DESCRIPTION_MAX_LENGTH,
  THEME_IDS,
  THEME_TITLE_MAX_LENGTH,
  type Prompt,
  type Theme,
  type ThemeCatalog,
} from '../../src/core/themes.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import { SUPPORTED_LOCALES } from '../../src/core/locales.ts';
import { translator } from '../../src/discord/i18n.ts';
import { promptEmbed, promptPostEmbeds, themesEmbed } from '../../src/discord/promptMessages.ts';
import { anyTranslator, RUNS } from './arbitraries.ts';
import { expectDiscordAcceptsMessage } from './discordRules.ts';

/** A catalog whose every title and description is as long as the catalog allows. */
function catalogAtLimits(promptCount: number): ThemeCatalog {
  const themes: Theme[] = THEME_IDS.map((id) => ({
    id,
    title: id.padEnd(THEME_TITLE_MAX_LENGTH, '*'),
    description: 'd'.repeat(THEME_DESCRIPTION_MAX_LENGTH),
    // Only the count of prompts is shown, so a sparse list stands in for a huge one.
    prompts: new Array<Prompt>(promptCount),
  }));
  return {
    themes,
    theme: (id) => themes.find((theme) => theme.id === id),
    prompt: () => undefined,
    themeText: (id) => themes.find((theme) => theme.id === id),
    promptText: () => undefined,
    translatedLocales: [],
  };
}

describe('/themes', () => {
  it.each(SUPPORTED_LOCALES)('fits in %s with the catalog Bridges ships and with one at the catalog limits', async (locale) => {
    const tr = translator(locale);
    expectDiscordAcceptsMessage({ embeds: [themesEmbed(await loadThemeCatalog(), tr)] });
    expectDiscordAcceptsMessage({ embeds: [themesEmbed(catalogAtLimits(99_999), tr)] });
  });
});

describe('promptEmbed', () => {
  it('fits for every theme title and prompt the catalog accepts, preview footer included, in every language', () => {
    const title = fc.string({ minLength: 1, maxLength: THEME_TITLE_MAX_LENGTH, size: 'max' });
    const text = fc.string({ minLength: 1, maxLength: PROMPT_MAX_LENGTH, size: 'max' });
    fc.assert(
      fc.property(title, text, anyTranslator, (themeTitle, promptText, tr) => {
        expectDiscordAcceptsMessage({
          content: tr.t('prompts:next-up', { channel: '<#123456789012345678>', when: '<t:1768226400:F> (<t:1768226400:R>)' }),
          embeds: [promptEmbed({ themeTitle, promptText, footer: tr.t('prompts:footer-preview', { theme: themeTitle }) })],
        });
      }),
      RUNS,
    );
  });

  it('a bilingual post carries the prompt in both languages, and fits for any two at the catalog limits', () => {
    const catalog = catalogAtLimits(1);
    const atLimits: ThemeCatalog = { ...catalog, promptText: () => 'p'.repeat(PROMPT_MAX_LENGTH) };
    for (const first of SUPPORTED_LOCALES) {
      for (const second of SUPPORTED_LOCALES) {
        expectDiscordAcceptsMessage({ embeds: promptPostEmbeds(atLimits, { themeId: 'self-reflection', promptId: 'x' }, [first, second]) });
      }
    }
  });
});
