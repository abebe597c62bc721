import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type ModalSubmitInteraction } from 'discord.js';
import { languageFromLocale, PROFILE_FIELD_NAMES, PROFILE_LIST_FIELDS, type ProfileInput } from '../core/profile.ts';
import { UserError } from '../services/userError.ts';
import { FORGET_PREFIX, JOIN_BUTTON_ID, PROFILE_FORM_PREFIX, joinedText, profileEmbed, profileForm } from './exchangeMessages.ts';
import { NO_MENTIONS } from './mentions.ts';
import type { BridgesContext, ComponentHandler } from './slashCommand.ts';

/**
 * /exchange join and the join message's button: the first time, a form for the profile (a form
 * must be the first response, so nothing is deferred before it); afterwards, straight in.
 */
export async function startJoin(
  interaction: ChatInputCommandInteraction<'cached'> | ButtonInteraction<'cached'>,
  { exchange }: BridgesContext,
): Promise<void> {
  if (await exchange.needsProfile(interaction.guildId, interaction.user.id)) {
    await interaction.showModal(profileForm(languageFromLocale(interaction.locale)));
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await exchange.join(interaction.guildId, interaction.user.id);
  await interaction.editReply({ content: joinedText(outcome), allowedMentions: NO_MENTIONS });
}

const joinButton: ComponentHandler = {
  prefix: JOIN_BUTTON_ID,
  async handle(interaction, _argument, context) {
    if (!interaction.isButton()) throw new UserError('This button has expired. Run `/exchange join` instead.');
    await startJoin(interaction, context);
  },
};

const profileFormSubmit: ComponentHandler = {
  prefix: PROFILE_FORM_PREFIX,
  async handle(interaction, _argument, { exchange }) {
    if (!interaction.isModalSubmit()) throw new UserError('This form has expired. Run `/exchange join` again.');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { outcome, profile } = await exchange.joinWithProfile(interaction.guildId, interaction.user.id, formInput(interaction));
    await interaction.editReply({
      content: `Profile saved. ${joinedText(outcome)}`,
      embeds: [profileEmbed('Your profile', profile)],
      allowedMentions: NO_MENTIONS,
    });
  },
};

const forgetButtons: ComponentHandler = {
  prefix: FORGET_PREFIX,
  async handle(interaction, argument, { exchange }) {
    if (!interaction.isButton()) throw new UserError('This button has expired. Run `/exchange forget` again.');
    if (argument !== 'confirm') {
      await interaction.update({ content: 'Cancelled: nothing was deleted.', components: [], allowedMentions: NO_MENTIONS });
      return;
    }
    // Deferred: the deletion waits for the server's lock, which a running round may hold for a while.
    await interaction.deferUpdate();
    const found = await exchange.forget(interaction.guildId, interaction.user.id);
    await interaction.editReply({
      content: found
        ? 'Done: your profile, opt-in and pairing history in this server are deleted. Only anonymous round counts remain. You can join again any time with `/exchange join`.'
        : 'Bridges had nothing stored about you in this server, so there was nothing to delete.',
      components: [],
      allowedMentions: NO_MENTIONS,
    });
  },
};

export const exchangeComponentHandlers: readonly ComponentHandler[] = [joinButton, profileFormSubmit, forgetButtons];

const FORM_FIELDS: readonly (keyof ProfileInput)[] = [...PROFILE_LIST_FIELDS, 'timeZone'];

/** An empty form field means "not given", so a blank field never clears anything. */
function formInput(interaction: ModalSubmitInteraction<'cached'>): ProfileInput {
  const input: ProfileInput = {};
  for (const field of FORM_FIELDS) {
    const customId = PROFILE_FIELD_NAMES[field];
    const value = interaction.fields.fields.has(customId) ? interaction.fields.getTextInputValue(customId).trim() : '';
    if (value !== '') input[field] = value;
  }
  return input;
}
