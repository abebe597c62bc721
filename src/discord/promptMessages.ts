import { EmbedBuilder } from 'discord.js';
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
