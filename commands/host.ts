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
import { failureText, promptFailureFix } from '../src/discord/failureText.ts';
import { NO_MENTIONS } from '../src/discord/mentions.ts';
import { roundOutcomeText, startRoundReply } from '../src/discord/roundMessages.ts';
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
      if (!(error instanceof PromptNotPosted)) throw error;
      const retryable = error.failure.kind === 'transient' || error.failure.kind === 'rate-limited';
      throw new UserError(
        retryable
          ? 'Discord did not accept the prompt just now. Please try again in a minute.'
          : `The prompt could not be posted: ${failureText(error.failure)}. ${promptFailureFix(error.failure) ?? ''}`.trim(),
      );
    });
  const theme = catalog.theme(record.themeId)?.title ?? record.themeId;
  const link = record.messageId ? messageLink(record.channelId, record.messageId, interaction.guildId) : channelMention(record.channelId);
  await interaction.editReply({ content: `Posted a **${theme}** prompt: ${link}`, allowedMentions: NO_MENTIONS });
}

async function startRound(interaction: ChatInputCommandInteraction<'cached'>, { rounds }: BridgesContext): Promise<void> {
  const report = await rounds.startNow(interaction.guildId);
  await interaction.editReply({ content: startRoundReply(report), allowedMentions: NO_MENTIONS });
}

async function showStats(interaction: ChatInputCommandInteraction<'cached'>, { rounds }: BridgesContext): Promise<void> {
  const { state, optedIn, paused, active, lastRound } = await rounds.stats(interaction.guildId);
  const { stats } = state;
  const share = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${Math.round((100 * part) / whole)}%`);
  const lines = [
    '**Pairing in this server**',
    `- Rounds run: ${stats.roundsRun}`,
    `- Members paired: ${stats.membersPaired} (in ${stats.groupsDelivered} conversations)`,
    `- Across different cultures: ${share(stats.crossCultureGroups, stats.groupsDelivered)}`,
    `- Reported meeting: ${share(stats.groupsReportedMet, stats.groupsCheckedIn)} of ${stats.groupsCheckedIn} checked-in conversations`,
    `- Opted in now: ${optedIn} (${active} active, ${paused} paused)`,
  ];
  if (lastRound) lines.push(`- Last round (${lastRound.number}, ${lastRound.date}): ${roundOutcomeText(lastRound)}`);
  await interaction.editReply({ content: lines.join('\n'), allowedMentions: NO_MENTIONS });
}
