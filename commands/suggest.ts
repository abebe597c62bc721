import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  MessageFlags,
} from 'discord.js';
import { SERVER_PROMPT_MAX_LENGTH, SERVER_PROMPT_MIN_LENGTH } from '../src/core/serverPrompts.ts';
import { localizeCommand } from '../src/discord/commandLocalizations.ts';
import { discordCall } from '../src/discord/discordFailure.ts';
import { isSupportedLocale } from '../src/discord/i18n.ts';
import { longestChoice } from '../src/discord/limits.ts';
import { NO_MENTIONS } from '../src/discord/mentions.ts';
import type { SlashCommand } from '../src/discord/slashCommand.ts';
import { serverTranslator } from '../src/discord/suggestionComponents.ts';
import { reviewMessage } from '../src/discord/suggestionMessages.ts';
import { UserError } from '../src/services/userError.ts';
import { THEME_CHOICES } from '../src/discord/themeChoices.ts';

export const suggestCommand = {
  data: localizeCommand({
    type: ApplicationCommandType.ChatInput,
    name: 'suggest',
    description: "Suggest something for this server's prompts",
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'prompt',
        description: 'Suggest a discussion prompt; moderators review it',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'theme',
            description: 'The theme it belongs to',
            required: true,
            choices: THEME_CHOICES,
            max_length: longestChoice(THEME_CHOICES),
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'text',
            description: 'The prompt, as members will read it (10 to 300 characters)',
            required: true,
            min_length: SERVER_PROMPT_MIN_LENGTH,
            max_length: SERVER_PROMPT_MAX_LENGTH,
          },
          {
            type: ApplicationCommandOptionType.Boolean,
            name: 'anonymous',
            description: 'Do not credit me when it is posted (default: credit me)',
          },
        ],
      },
    ],
  }),

  async execute(interaction, context, tr) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    if (interaction.options.getSubcommand() !== 'prompt') throw new UserError('unknown-subcommand');
    const server = await serverTranslator(interaction.guildId, interaction.guild.preferredLocale, context);
    // Built-in prompts count as duplicates in every language the server uses, and in the member's.
    const locales = [...new Set([...server.locales, ...(isSupportedLocale(interaction.locale) ? [interaction.locale] : [])])];
    const { suggestion, reviewChannelId } = await context.packs.suggest(
      interaction.guildId,
      {
        authorId: interaction.user.id,
        themeId: interaction.options.getString('theme', true),
        text: interaction.options.getString('text', true),
        anonymous: interaction.options.getBoolean('anonymous') ?? false,
      },
      locales,
    );
    const channel = interaction.guild.channels.cache.get(reviewChannelId);
    try {
      if (channel?.type !== ChannelType.GuildText) throw new Error('The review channel is gone');
      const posted = await discordCall('Posting a suggestion for review', () =>
        channel.send(reviewMessage(suggestion, context.catalog, server.tr)),
      );
      await context.packs.reviewPosted(interaction.guildId, suggestion.number, channel.id, posted.id);
    } catch (error) {
      context.logger.warn('Could not post a suggestion for review', { guildId: interaction.guildId, error });
      await context.packs.withdraw(interaction.guildId, suggestion.number);
      throw new UserError('suggestions-not-posted');
    }
    await interaction.editReply({
      content: tr.t('suggestions:submitted', { number: suggestion.number }),
      allowedMentions: NO_MENTIONS,
    });
  },
} satisfies SlashCommand;
