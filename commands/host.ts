import {
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
import { NO_MENTIONS } from '../src/discord/mentions.ts';
import type { BridgesContext, SlashCommand } from '../src/discord/slashCommand.ts';
import { UserError } from '../src/services/userError.ts';

const THEME_CHOICES = THEME_IDS.map((id) => ({
  name: id.replace(/-/g, ' ').replace(/^\w/, (first) => first.toUpperCase()),
  value: id,
}));

const RELAXATION_TEXT: Record<string, string> = {
  'repeat-avoidance': 'some members met someone from the last six rounds again',
  'common-language': 'some groups share no language listed in their profiles',
};

export const hostCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'host',
    description: 'Run Bridges activities now (moderators)',
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    contexts: [InteractionContextType.Guild],
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
  const record = await prompts.postNow(interaction.guildId, interaction.id, interaction.options.getString('theme') ?? undefined);
  const theme = catalog.theme(record.themeId)?.title ?? record.themeId;
  const link = record.messageId ? messageLink(record.channelId, record.messageId, interaction.guildId) : channelMention(record.channelId);
  await interaction.editReply({ content: `Posted a **${theme}** prompt: ${link}`, allowedMentions: NO_MENTIONS });
}

async function startRound(interaction: ChatInputCommandInteraction<'cached'>, { rounds }: BridgesContext): Promise<void> {
  const report = await rounds.startNow(interaction.guildId);
  const { round } = report;
  const members = round.groups.filter((group) => group.status === 'delivered').reduce((sum, group) => sum + group.memberIds.length, 0);
  const lines = [
    `Round ${round.number}: ${report.delivered} conversation${report.delivered === 1 ? '' : 's'} started for ${members} members in ${channelMention(round.channelId)}.`,
  ];
  if (round.groups.length === 0) {
    lines[0] = `Round ${round.number}: not enough active members to pair (${round.unmatched.length}). Members join with \`/exchange join\`.`;
  }
  if (report.pending > 0)
    lines.push(`${report.pending} group${report.pending === 1 ? ' is' : 's are'} waiting on Discord and will be retried shortly.`);
  const left = round.groups.reduce((sum, group) => sum + group.left.length, 0);
  if (left > 0)
    lines.push(`${left} member${left === 1 ? '' : 's'} had left the server and were skipped; their partners joined other groups.`);
  for (const relaxed of round.relaxed) lines.push(`Relaxed: ${RELAXATION_TEXT[relaxed] ?? relaxed}.`);
  await interaction.editReply({ content: lines.join('\n'), allowedMentions: NO_MENTIONS });
}

async function showStats(interaction: ChatInputCommandInteraction<'cached'>, { rounds }: BridgesContext): Promise<void> {
  const { state, optedIn, paused, active } = await rounds.stats(interaction.guildId);
  const { stats } = state;
  const share = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${Math.round((100 * part) / whole)}%`);
  await interaction.editReply({
    content: [
      '**Pairing in this server**',
      `- Rounds run: ${stats.roundsRun}`,
      `- Members paired: ${stats.membersPaired} (in ${stats.groupsDelivered} conversations)`,
      `- Across different cultures: ${share(stats.crossCultureGroups, stats.groupsDelivered)}`,
      `- Reported meeting: ${share(stats.groupsReportedMet, stats.groupsCheckedIn)} of ${stats.groupsCheckedIn} checked-in conversations`,
      `- Opted in now: ${optedIn} (${active} active, ${paused} paused)`,
    ].join('\n'),
    allowedMentions: NO_MENTIONS,
  });
}
