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
import { promptEmbed, themesEmbed } from '../../src/discord/promptMessages.ts';
import { RUNS } from './arbitraries.ts';
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
  it('fits with the catalog Bridges ships and with one at the catalog limits', async () => {
    expectDiscordAcceptsMessage({ embeds: [themesEmbed(await loadThemeCatalog())] });
    expectDiscordAcceptsMessage({ embeds: [themesEmbed(catalogAtLimits(99_999))] });
  });
});

describe('promptEmbed', () => {
  it('fits for every theme title and prompt the catalog accepts, preview footer included', () => {
    const title = fc.string({ minLength: 1, maxLength: THEME_TITLE_MAX_LENGTH, size: 'max' });
    const text = fc.string({ minLength: 1, maxLength: PROMPT_MAX_LENGTH, size: 'max' });
    fc.assert(
      fc.property(title, text, (themeTitle, promptText) => {
        expectDiscordAcceptsMessage({
          content: 'No prompt has been posted yet today. Next up in <#123456789012345678>, <t:1768226400:F> (<t:1768226400:R>):',
          embeds: [promptEmbed({ themeTitle, promptText, footer: `Theme: ${themeTitle} · preview` })],
        });
      }),
      RUNS,
    );
  });
});
