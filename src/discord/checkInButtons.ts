import { MessageFlags } from 'discord.js';
import { CHECK_IN_ANSWERS, type CheckInAnswer } from '../store/roundStore.ts';
import { MISSED_CHECK_INS_BEFORE_PAUSE } from '../services/roundService.ts';
import { UserError } from '../services/userError.ts';
import { NO_MENTIONS } from './mentions.ts';
import { CHECK_IN_LABELS, CHECK_IN_PREFIX } from './pairingMessages.ts';
import type { ComponentHandler } from './slashCommand.ts';

const THANKS: Record<CheckInAnswer, string> = {
  met: 'Wonderful, thank you for letting us know!',
  'not-yet': 'Thanks! There is still time: this thread stays open for you.',
  'cant-make-it': `Thanks for telling us. Rounds you can't make or don't answer ${MISSED_CHECK_INS_BEFORE_PAUSE} times in a row pause your pairing; \`/exchange pause\` takes a break whenever you like.`,
};

/** The "We met / Not yet / Can't make it" buttons: custom id `checkin:<round>:<group>:<answer>`. */
export const checkInButtons: ComponentHandler = {
  prefix: CHECK_IN_PREFIX,
  async handle(interaction, argument, { rounds }) {
    const [roundId = '', groupText = '', answer = ''] = argument.split(':');
    const groupIndex = Number(groupText);
    if (!interaction.isButton() || !Number.isInteger(groupIndex) || !(CHECK_IN_ANSWERS as readonly string[]).includes(answer)) {
      throw new UserError('This button is not valid any more.');
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const outcome = await rounds.answerCheckIn(interaction.guildId, roundId, groupIndex, interaction.user.id, answer as CheckInAnswer);
    await interaction.editReply({
      content:
        outcome === 'recorded'
          ? THANKS[answer as CheckInAnswer]
          : `You already answered: **${CHECK_IN_LABELS[outcome]}**. One answer per round is enough.`,
      allowedMentions: NO_MENTIONS,
    });
  },
};
