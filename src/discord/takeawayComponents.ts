import { MessageFlags } from 'discord.js';
import { UserError } from '../services/userError.ts';
import { NO_MENTIONS } from './mentions.ts';
import type { ComponentHandler } from './slashCommand.ts';
import {
  shareOutcomeReply,
  TAKEAWAY_ACTIONS,
  TAKEAWAY_PREFIX,
  TAKEAWAY_TEXT_FIELD,
  takeawayForm,
  type TakeawayAction,
} from './takeawayMessages.ts';

/** The buttons offered with "We met", the takeaway form, and the withdraw button on the confirmation. */
export const takeawayComponents: ComponentHandler = {
  prefix: TAKEAWAY_PREFIX,
  async handle(interaction, argument, { takeaways }, tr) {
    const [roundId = '', groupText = '', action = ''] = argument.split(':');
    const groupIndex = Number(groupText);
    if (!Number.isInteger(groupIndex) || groupIndex < 0 || !(TAKEAWAY_ACTIONS as readonly string[]).includes(action)) {
      throw new UserError('button-expired');
    }
    const ref = { guildId: interaction.guildId, roundId, groupIndex };
    const userId = interaction.user.id;
    switch (action as TakeawayAction) {
      case 'credited':
      case 'anonymous': {
        if (!interaction.isButton()) throw new UserError('button-expired');
        const choice = action === 'credited' ? 'credited' : 'anonymous';
        // The form must be the first response, so the checks run before anything is deferred.
        const start = await takeaways.startShare(ref, userId);
        if (start === 'form') return void (await interaction.showModal(takeawayForm(roundId, groupIndex, choice, tr)));
        await interaction.reply({ ...shareOutcomeReply(start, ref, tr), flags: MessageFlags.Ephemeral });
        return;
      }
      case 'form-credited':
      case 'form-anonymous': {
        if (!interaction.isModalSubmit()) throw new UserError('form-expired', { command: '/exchange me' });
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        const typed = interaction.fields.fields.has(TAKEAWAY_TEXT_FIELD) ? interaction.fields.getTextInputValue(TAKEAWAY_TEXT_FIELD) : '';
        const outcome = await takeaways.share(ref, userId, action === 'form-credited' ? 'credited' : 'anonymous', typed);
        await interaction.editReply(shareOutcomeReply(outcome, ref, tr));
        return;
      }
      case 'decline': {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        await interaction.editReply(shareOutcomeReply(await takeaways.decline(ref, userId), ref, tr));
        return;
      }
      case 'withdraw': {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        await takeaways.withdraw(ref, userId);
        await interaction.editReply({ content: tr.t('takeaways:outcome.withdrawn'), allowedMentions: NO_MENTIONS });
        return;
      }
      case 'thanks': {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        await takeaways.thank(ref, userId);
        await interaction.editReply({ content: tr.t('takeaways:thanks.sent'), allowedMentions: NO_MENTIONS });
        return;
      }
    }
  },
};
