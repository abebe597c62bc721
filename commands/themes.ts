import { ApplicationIntegrationType, ApplicationCommandType, EmbedBuilder, InteractionContextType } from 'discord.js';
import { NO_MENTIONS } from '../src/discord/mentions.ts';
import { BRIDGES_COLOUR } from '../src/discord/promptMessages.ts';
import type { SlashCommand } from '../src/discord/slashCommand.ts';

export const themesCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'themes',
    description: 'The eight themes Bridges draws its prompts and icebreakers from',
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  },
  async execute(interaction, { catalog }) {
    const embed = new EmbedBuilder()
      .setColor(BRIDGES_COLOUR)
      .setTitle('Bridges themes')
      .setDescription(
        catalog.themes.map((theme) => `**${theme.title}** · ${theme.prompts.length} prompts\n${theme.description}`).join('\n\n'),
      );
    await interaction.reply({ embeds: [embed], allowedMentions: NO_MENTIONS });
  },
} satisfies SlashCommand;
