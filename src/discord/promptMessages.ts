import { EmbedBuilder, escapeMarkdown, userMention } from 'discord.js';
import type { SupportedLocale } from '../core/locales.ts';
import type { ThemeCatalog } from '../core/themes.ts';
import type { ServerPromptText } from '../services/discordPort.ts';
import { translator, type Translator } from './i18n.ts';

/** Bridges' warm teal; one colour everywhere so posts are recognisable at a glance. */
export const BRIDGES_COLOUR = 0x2a9d8f;

/** A prompt as an embed: theme title, the prompt, and a footer naming the theme. */
export function promptEmbed(message: { readonly themeTitle: string; readonly promptText: string; readonly footer: string }): EmbedBuilder {
  return new EmbedBuilder()
    .setColor(BRIDGES_COLOUR)
    .setTitle(message.themeTitle)
    .setDescription(message.promptText)
    .setFooter({ text: message.footer });
}

/** A catalog prompt in one locale; `preview` marks the one `/prompt today` shows before it is posted. */
export function localizedPromptEmbed(
  catalog: ThemeCatalog,
  prompt: { readonly themeId: string; readonly promptId: string; readonly serverPrompt?: ServerPromptText | undefined },
  tr: Translator,
  preview = false,
): EmbedBuilder {
  const themeTitle = catalog.themeText(prompt.themeId, tr.locale)?.title ?? prompt.themeId;
  const promptText = prompt.serverPrompt
    ? serverPromptText(prompt.serverPrompt, tr)
    : (catalog.promptText(prompt.promptId, tr.locale) ?? '');
  return promptEmbed({
    themeTitle,
    promptText,
    footer: tr.t(preview ? 'prompts:footer-preview' : 'prompts:footer', { theme: themeTitle }),
  });
}

/**
 * A server's own prompt as members read it: what was typed, its Markdown shown as typed (at most
 * 300 characters, so at most 600 escaped), and who suggested it when they agreed to be named.
 */
export function serverPromptText(prompt: ServerPromptText, tr: Translator): string {
  const text = escapeMarkdown(prompt.text);
  return prompt.authorId === undefined ? text : `${text}\n\n${tr.t('suggestions:credit', { author: userMention(prompt.authorId) })}`;
}

/**
 * The embeds of a posted prompt: one per locale, so a bilingual server reads the same prompt in
 * both languages in one message (two of 60 + 300 + footer characters stay far below 6,000).
 */
export function promptPostEmbeds(
  catalog: ThemeCatalog,
  prompt: { readonly themeId: string; readonly promptId: string; readonly serverPrompt?: ServerPromptText | undefined },
  locales: readonly SupportedLocale[],
): EmbedBuilder[] {
  return locales.map((locale) => localizedPromptEmbed(catalog, prompt, translator(locale)));
}

/** The answer thread's name: the theme in the post's language and the server-local date. */
export function answerThreadName(catalog: ThemeCatalog, themeId: string, date: string, locale: SupportedLocale): string {
  return `${catalog.themeText(themeId, locale)?.title ?? themeId} · ${date}`;
}

/**
 * The `/themes` list: eight themes of at most 60-character titles and 200-character descriptions
 * (the catalog refuses longer at start-up, in every language) take at most about 2,400 of a
 * description's 4,096.
 */
export function themesEmbed(catalog: ThemeCatalog, tr: Translator): EmbedBuilder {
  return new EmbedBuilder()
    .setColor(BRIDGES_COLOUR)
    .setTitle(tr.t('prompts:themes-title'))
    .setDescription(
      catalog.themes
        .map((theme) => {
          const text = catalog.themeText(theme.id, tr.locale) ?? theme;
          return `**${text.title}** · ${tr.t('prompts:prompt-count', { count: theme.prompts.length })}\n${text.description}`;
        })
        .join('\n\n'),
    );
}
