import { ApplicationCommandType, ApplicationIntegrationType, InteractionContextType } from 'discord.js';
import { NO_MENTIONS } from '../src/discord/mentions.ts';
import { themesEmbed } from '../src/discord/promptMessages.ts';
import { localizeCommand } from '../src/discord/commandLocalizations.ts';
import type { SlashCommand } from '../src/discord/slashCommand.ts';

export const themesCommand = {
  data: localizeCommand({
    type: ApplicationCommandType.ChatInput,
    name: 'themes',
    description: 'The eight themes Bridges draws its prompts and icebreakers from',
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  }),
  async execute(interaction, { catalog }, tr) {
    await interaction.reply({ embeds: [themesEmbed(catalog, tr)], allowedMentions: NO_MENTIONS });
  },
} satisfies SlashCommand;
