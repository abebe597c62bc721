import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type BaseMessageOptions, type MessageMentionOptions } from 'discord.js';
import { UserError } from '../services/userError.ts';
import { MANAGE_GUILD } from './botPermissions.ts';
import type { Translator } from './i18n.ts';
import { NO_MENTIONS } from './mentions.ts';
import type { ComponentHandler } from './slashCommand.ts';

export const FORGET_SERVER_PREFIX = 'setup-forget-server';

export function forgetServerConfirmation(tr: Translator): BaseMessageOptions & { allowedMentions: MessageMentionOptions } {
  return {
    content: tr.t('setup:forget.confirm'),
    components: [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder()
          .setCustomId(`${FORGET_SERVER_PREFIX}:confirm`)
          .setStyle(ButtonStyle.Danger)
          .setLabel(tr.t('setup:forget.delete-button')),
        new ButtonBuilder().setCustomId(`${FORGET_SERVER_PREFIX}:cancel`).setStyle(ButtonStyle.Secondary).setLabel(tr.t('common:cancel')),
      ),
    ],
    allowedMentions: NO_MENTIONS,
  };
}

/** The confirm and cancel buttons of /setup forget-server; the permission is checked again here. */
export const forgetServerButtons: ComponentHandler = {
  prefix: FORGET_SERVER_PREFIX,
  async handle(interaction, argument, { lifecycle, logger }, tr) {
    if (!interaction.isButton()) throw new UserError('button-expired-run', { command: '/setup forget-server' });
    if (!interaction.memberPermissions.has(MANAGE_GUILD.flag)) {
      throw new UserError('missing-permission', { permission: { permission: MANAGE_GUILD.name }, command: '/setup forget-server' });
    }
    if (argument !== 'confirm') {
      await interaction.update({ content: tr.t('common:cancelled-nothing-deleted'), components: [], allowedMentions: NO_MENTIONS });
      return;
    }
    await interaction.deferUpdate();
    await lifecycle.deleteServerData(interaction.guildId);
    logger.info('Server data deleted by a moderator', { guildId: interaction.guildId, userId: interaction.user.id });
    await interaction.editReply({ content: tr.t('setup:forget.done'), components: [], allowedMentions: NO_MENTIONS });
  },
};
