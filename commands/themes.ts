import { ApplicationCommandType, ApplicationIntegrationType, InteractionContextType } from 'discord.js';
import { NO_MENTIONS } from '../src/discord/mentions.ts';
import { themesEmbed } from '../src/discord/promptMessages.ts';
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
    await interaction.reply({ embeds: [themesEmbed(catalog)], allowedMentions: NO_MENTIONS });
  },
} satisfies SlashCommand;
