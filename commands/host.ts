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
import { THEME_IDS } from '../src/core/themes.ts';
import { promptNotPostedText, promptPostedReply, roundStartedReply, statsReply } from '../src/discord/hostMessages.ts';
import { longestChoice } from '../src/discord/limits.ts';
import type { BridgesContext, SlashCommand } from '../src/discord/slashCommand.ts';
import { PromptNotPosted } from '../src/services/promptService.ts';
import { UserError } from '../src/services/userError.ts';

const THEME_CHOICES = THEME_IDS.map((id) => ({
  name: id.replace(/-/g, ' ').replace(/^\w/, (first) => first.toUpperCase()),
  value: id,
}));

export const hostCommand = {
  data: {
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
      },
    ],
  },
  requiresPermission: { flag: PermissionFlagsBits.ManageGuild, name: 'Manage Server' },

  async execute(interaction, context) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    switch (interaction.options.getSubcommand()) {
      case 'post-prompt':
        return postPrompt(interaction, context);
      case 'start-round':
        return startRound(interaction, context);
      case 'stats':
        return showStats(interaction, context);
      default:
        throw new UserError('Unknown subcommand.');
    }
  },
} satisfies SlashCommand;

async function postPrompt(interaction: ChatInputCommandInteraction<'cached'>, { prompts, catalog }: BridgesContext): Promise<void> {
  const record = await prompts
    .postNow(interaction.guildId, interaction.id, interaction.options.getString('theme') ?? undefined)
    .catch((error: unknown) => {
      if (error instanceof PromptNotPosted) throw new UserError(promptNotPostedText(error.failure));
      throw error;
    });
  const theme = catalog.theme(record.themeId)?.title ?? record.themeId;
  const link = record.messageId ? messageLink(record.channelId, record.messageId, interaction.guildId) : channelMention(record.channelId);
  await interaction.editReply(promptPostedReply(theme, link));
}

async function startRound(interaction: ChatInputCommandInteraction<'cached'>, { rounds }: BridgesContext): Promise<void> {
  await interaction.editReply(roundStartedReply(await rounds.startNow(interaction.guildId)));
}

async function showStats(interaction: ChatInputCommandInteraction<'cached'>, { rounds }: BridgesContext): Promise<void> {
  await interaction.editReply(statsReply(await rounds.stats(interaction.guildId)));
}
