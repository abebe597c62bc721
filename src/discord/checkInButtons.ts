import { MessageFlags } from 'discord.js';
import { CHECK_IN_ANSWERS, type CheckInAnswer } from '../store/roundStore.ts';
import { MISSED_CHECK_INS_BEFORE_PAUSE } from '../services/roundService.ts';
import { UserError } from '../services/userError.ts';
import { NO_MENTIONS } from './mentions.ts';
import { CHECK_IN_PREFIX, checkInLabel } from './pairingMessages.ts';
import type { ComponentHandler } from './slashCommand.ts';
import { afterMeetingComponents, afterMeetingText } from './takeawayMessages.ts';

/** The "We met / Not yet / Can't make it" buttons: custom id `checkin:<round>:<group>:<answer>`. */
export const checkInButtons: ComponentHandler = {
  prefix: CHECK_IN_PREFIX,
  async handle(interaction, argument, { rounds }, tr) {
    const [roundId = '', groupText = '', answer = ''] = argument.split(':');
    const groupIndex = Number(groupText);
    if (!interaction.isButton() || !Number.isInteger(groupIndex) || !(CHECK_IN_ANSWERS as readonly string[]).includes(answer)) {
      throw new UserError('button-expired');
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const outcome = await rounds.answerCheckIn(interaction.guildId, roundId, groupIndex, interaction.user.id, answer as CheckInAnswer);
    const text =
      outcome === 'recorded'
        ? tr.t(`pairing:thanks.${answer}`, { times: MISSED_CHECK_INS_BEFORE_PAUSE })
        : tr.t('pairing:already-answered', { answer: checkInLabel(outcome, tr) });
    // "We met" (now or before) opens what comes after a conversation: a takeaway and a thank-you.
    const met = outcome === 'met' || (outcome === 'recorded' && answer === 'met');
    await interaction.editReply({
      content: met ? `${text}\n\n${afterMeetingText(tr)}` : text,
      components: met ? afterMeetingComponents(roundId, groupIndex, tr) : [],
      allowedMentions: NO_MENTIONS,
    });
  },
};
