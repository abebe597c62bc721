import {
  ApplicationIntegrationType,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  MessageFlags,
  channelMention,
} from 'discord.js';
import { disabledReasonText } from '../src/discord/failureText.ts';
import { fullTime } from '../src/discord/format.ts';
import { fitText, REASON_MAX_LENGTH } from '../src/discord/limits.ts';
import { NO_MENTIONS } from '../src/discord/mentions.ts';
import { localizedPromptEmbed } from '../src/discord/promptMessages.ts';
import { localizeCommand } from '../src/discord/commandLocalizations.ts';
import type { SlashCommand } from '../src/discord/slashCommand.ts';

export const promptCommand = {
  data: localizeCommand({
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
  }),
  async execute(interaction, { prompts }, tr) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const view = await prompts.today(interaction.guildId);
    if (!view.settings) {
      await interaction.editReply({ content: tr.t('prompts:not-set-up'), allowedMentions: NO_MENTIONS });
      return;
    }
    const catalog = await prompts.catalogFor(interaction.guildId);
    if (view.posted) {
      const { record, theme, prompt } = view.posted;
      const serverPrompt = await prompts.serverPrompt(interaction.guildId, prompt.id);
      await interaction.editReply({
        content: record.threadId
          ? tr.t('prompts:today-in-thread', { thread: channelMention(record.threadId) })
          : tr.t('prompts:today-in-channel', { channel: channelMention(record.channelId) }),
        embeds: [localizedPromptEmbed(catalog, { themeId: theme.id, promptId: prompt.id, serverPrompt }, tr)],
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    if (view.next) {
      const serverPrompt = await prompts.serverPrompt(interaction.guildId, view.next.prompt.id);
      await interaction.editReply({
        content: tr.t('prompts:next-up', { channel: channelMention(view.settings.channelId), when: fullTime(view.next.at) }),
        embeds: [localizedPromptEmbed(catalog, { themeId: view.next.theme.id, promptId: view.next.prompt.id, serverPrompt }, tr, true)],
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    const reason = view.settings.disabledReason;
    await interaction.editReply({
      content: reason
        ? tr.t('prompts:off-because', { reason: fitText(disabledReasonText('prompts', reason, tr), REASON_MAX_LENGTH) })
        : tr.t('prompts:off'),
      allowedMentions: NO_MENTIONS,
    });
  },
} satisfies SlashCommand;
