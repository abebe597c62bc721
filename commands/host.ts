import {
  ApplicationIntegrationType,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  channelMention,
  messageLink,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { MANAGE_GUILD } from '../src/discord/botPermissions.ts';
import { promptNotPostedProblem, promptPostedReply, roundStartedReply, statsReply } from '../src/discord/hostMessages.ts';
import type { Translator } from '../src/discord/i18n.ts';
import { longestChoice } from '../src/discord/limits.ts';
import { cultureMapReply, insightsEmbed, insightsExport } from '../src/discord/mapMessages.ts';
import { localizeCommand } from '../src/discord/commandLocalizations.ts';
import type { BridgesContext, SlashCommand } from '../src/discord/slashCommand.ts';
import { PromptNotPosted } from '../src/services/promptService.ts';
import { UserError } from '../src/services/userError.ts';
import { THEME_CHOICES } from '../src/discord/themeChoices.ts';

export const hostCommand = {
  data: localizeCommand({
    type: ApplicationCommandType.ChatInput,
    name: 'host',
    description: 'Run Bridges activities now (moderators)',
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'post-prompt',
        description: 'Post a prompt in the prompt channel now',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'theme',
            description: 'Theme to draw from (default: the next in the rotation)',
            choices: THEME_CHOICES,
            max_length: longestChoice(THEME_CHOICES),
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'start-round',
        description: 'Run a pairing round now',
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'stats',
        description: 'How pairing rounds are going in this server',
        options: [
          {
            type: ApplicationCommandOptionType.Boolean,
            name: 'export',
            description: 'Send the figures per prompt and per round as CSV files',
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'map',
        description: 'An image of which cultures have met which in this server',
      },
    ],
  }),
  requiresPermission: MANAGE_GUILD,

  async execute(interaction, context, tr) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    switch (interaction.options.getSubcommand()) {
      case 'post-prompt':
        return postPrompt(interaction, context, tr);
      case 'start-round':
        return startRound(interaction, context, tr);
      case 'stats':
        return showStats(interaction, context, tr);
      case 'map':
        return showMap(interaction, context, tr);
      default:
        throw new UserError('unknown-subcommand');
    }
  },
} satisfies SlashCommand;

async function postPrompt(
  interaction: ChatInputCommandInteraction<'cached'>,
  { prompts, catalog }: BridgesContext,
  tr: Translator,
): Promise<void> {
  const record = await prompts
    .postNow(interaction.guildId, interaction.id, interaction.options.getString('theme') ?? undefined)
    .catch((error: unknown) => {
      if (error instanceof PromptNotPosted) throw new UserError(promptNotPostedProblem(error.failure));
      throw error;
    });
  const theme = catalog.themeText(record.themeId, tr.locale)?.title ?? record.themeId;
  const link = record.messageId ? messageLink(record.channelId, record.messageId, interaction.guildId) : channelMention(record.channelId);
  await interaction.editReply(promptPostedReply(theme, link, tr));
}

async function startRound(interaction: ChatInputCommandInteraction<'cached'>, { rounds }: BridgesContext, tr: Translator): Promise<void> {
  await interaction.editReply(roundStartedReply(await rounds.startNow(interaction.guildId), tr));
}

async function showStats(
  interaction: ChatInputCommandInteraction<'cached'>,
  { rounds, insights, catalog }: BridgesContext,
  tr: Translator,
): Promise<void> {
  const figures = await insights.insights(interaction.guildId);
  if (interaction.options.getBoolean('export') === true) {
    await interaction.editReply(insightsExport(figures, catalog, tr));
    return;
  }
  await interaction.editReply({
    ...statsReply(await rounds.stats(interaction.guildId), tr),
    embeds: [insightsEmbed(figures, catalog, tr)],
  });
}

async function showMap(interaction: ChatInputCommandInteraction<'cached'>, { insights }: BridgesContext, tr: Translator): Promise<void> {
  await interaction.editReply(cultureMapReply(await insights.cultureMap(interaction.guildId), tr));
}
