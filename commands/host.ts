import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  channelMention,
  messageLink,
} from 'discord.js';
import { THEME_IDS } from '../src/core/themes.ts';
import { NO_MENTIONS } from '../src/discord/mentions.ts';
import type { SlashCommand } from '../src/discord/slashCommand.ts';
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
    ],
  },
  requiresPermission: { flag: PermissionFlagsBits.ManageGuild, name: 'Manage Server' },

  async execute(interaction, { prompts, catalog }) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    switch (interaction.options.getSubcommand()) {
      case 'post-prompt': {
        const record = await prompts.postNow(interaction.guildId, interaction.id, interaction.options.getString('theme') ?? undefined);
        const theme = catalog.theme(record.themeId)?.title ?? record.themeId;
        const link = record.messageId ? messageLink(record.channelId, record.messageId, interaction.guildId) : channelMention(record.channelId);
        await interaction.editReply({ content: `Posted a **${theme}** prompt: ${link}`, allowedMentions: NO_MENTIONS });
        return;
      }
      default:
        throw new UserError('Unknown subcommand.');
    }
  },
} satisfies SlashCommand;
