import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  PermissionFlagsBits,
  type BaseMessageOptions,
  type MessageMentionOptions,
} from 'discord.js';
import { UserError } from '../services/userError.ts';
import { NO_MENTIONS } from './mentions.ts';
import type { ComponentHandler } from './slashCommand.ts';

export const FORGET_SERVER_PREFIX = 'setup-forget-server';

export function forgetServerConfirmation(): BaseMessageOptions & { allowedMentions: MessageMentionOptions } {
  return {
    content:
      'This deletes everything Bridges stores about this server: the settings of daily prompts and pairing rounds, the prompt rotation, every member profile and opt-in, and the history of rounds. Prompts and rounds stop. It cannot be undone.',
    components: [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder()
          .setCustomId(`${FORGET_SERVER_PREFIX}:confirm`)
          .setStyle(ButtonStyle.Danger)
          .setLabel("Delete this server's data"),
        new ButtonBuilder().setCustomId(`${FORGET_SERVER_PREFIX}:cancel`).setStyle(ButtonStyle.Secondary).setLabel('Cancel'),
      ),
    ],
    allowedMentions: NO_MENTIONS,
  };
}

/** The confirm and cancel buttons of /setup forget-server; the permission is checked again here. */
export const forgetServerButtons: ComponentHandler = {
  prefix: FORGET_SERVER_PREFIX,
  async handle(interaction, argument, { lifecycle, logger }) {
    if (!interaction.isButton()) throw new UserError('This button has expired. Run `/setup forget-server` again.');
    if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
      throw new UserError("You need the **Manage Server** permission to delete this server's data.");
    }
    if (argument !== 'confirm') {
      await interaction.update({ content: 'Cancelled: nothing was deleted.', components: [], allowedMentions: NO_MENTIONS });
      return;
    }
    await interaction.deferUpdate();
    await lifecycle.deleteServerData(interaction.guildId);
    logger.info('Server data deleted by a moderator', { guildId: interaction.guildId, userId: interaction.user.id });
    await interaction.editReply({
      content:
        'Done: everything Bridges stored about this server is deleted. Set it up again any time with `/setup prompts` or `/setup pairing`.',
      components: [],
      allowedMentions: NO_MENTIONS,
    });
  },
};
