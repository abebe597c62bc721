import {
  ApplicationIntegrationType,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  MessageFlags,
  channelMention,
} from 'discord.js';
import { fullTime } from '../src/discord/format.ts';
import { NO_MENTIONS } from '../src/discord/mentions.ts';
import { promptEmbed } from '../src/discord/promptMessages.ts';
import type { SlashCommand } from '../src/discord/slashCommand.ts';

export const promptCommand = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'prompt',
    description: 'Daily discussion prompts',
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'today',
        description: "Today's prompt in this server, or a preview of the next one",
      },
    ],
  },
  async execute(interaction, { prompts }) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const view = await prompts.today(interaction.guildId);
    if (!view.settings) {
      await interaction.editReply({
        content: 'Daily prompts are not set up in this server yet. A moderator can start them with `/setup prompts`.',
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    if (view.posted) {
      const { record, theme, prompt } = view.posted;
      const where = record.threadId ? `Answer in ${channelMention(record.threadId)}.` : `It is in ${channelMention(record.channelId)}.`;
      await interaction.editReply({
        content: `Today's prompt. ${where}`,
        embeds: [promptEmbed({ themeTitle: theme.title, promptText: prompt.text, footer: `Theme: ${theme.title}` })],
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    if (view.next) {
      await interaction.editReply({
        content: `No prompt has been posted yet today. Next up in ${channelMention(view.settings.channelId)}, ${fullTime(view.next.at)}:`,
        embeds: [
          promptEmbed({
            themeTitle: view.next.theme.title,
            promptText: view.next.prompt.text,
            footer: `Theme: ${view.next.theme.title} · preview`,
          }),
        ],
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    const reason = view.settings.disabledReason ? ` Bridges turned them off because ${view.settings.disabledReason}.` : '';
    await interaction.editReply({
      content: `Daily prompts are off in this server.${reason} A moderator can turn them back on with \`/setup prompts\`.`,
      allowedMentions: NO_MENTIONS,
    });
  },
} satisfies SlashCommand;
