import { EmbedBuilder } from 'discord.js';
import type { ThemeCatalog } from '../core/themes.ts';
import type { PromptMessage } from '../services/discordPort.ts';

/** Bridges' warm teal; one colour everywhere so posts are recognisable at a glance. */
export const BRIDGES_COLOUR = 0x2a9d8f;

export function promptEmbed(message: Pick<PromptMessage, 'themeTitle' | 'promptText' | 'footer'>): EmbedBuilder {
  return new EmbedBuilder()
    .setColor(BRIDGES_COLOUR)
    .setTitle(message.themeTitle)
    .setDescription(message.promptText)
    .setFooter({ text: message.footer });
}

/**
 * The `/themes` list: eight themes of at most 60-character titles and 200-character descriptions
 * (the catalog refuses longer at start-up) take at most about 2,400 of a description's 4,096.
 */
export function themesEmbed(catalog: ThemeCatalog): EmbedBuilder {
  return new EmbedBuilder()
    .setColor(BRIDGES_COLOUR)
    .setTitle('Bridges themes')
    .setDescription(
      catalog.themes.map((theme) => `**${theme.title}** · ${theme.prompts.length} prompts\n${theme.description}`).join('\n\n'),
    );
}
