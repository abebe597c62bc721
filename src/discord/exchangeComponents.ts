import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type ModalSubmitInteraction } from 'discord.js';
import { languageOfLocale } from '../core/locales.ts';
import { PROFILE_FIELD_NAMES, PROFILE_LIST_FIELDS, type ProfileInput } from '../core/profile.ts';
import { UserError } from '../services/userError.ts';
import { FORGET_PREFIX, JOIN_BUTTON_ID, PROFILE_FORM_PREFIX, joinedText, profileEmbed, profileForm } from './exchangeMessages.ts';
import type { Translator } from './i18n.ts';
import { NO_MENTIONS } from './mentions.ts';
import { profileEntryLabel } from './profileText.ts';
import type { BridgesContext, ComponentHandler } from './slashCommand.ts';

/**
 * /exchange join and the join message's button: the first time, a form for the profile (a form
 * must be the first response, so nothing is deferred before it); afterwards, straight in.
 */
export async function startJoin(
  interaction: ChatInputCommandInteraction<'cached'> | ButtonInteraction<'cached'>,
  { exchange }: BridgesContext,
  tr: Translator,
): Promise<void> {
  if (await exchange.needsProfile(interaction.guildId, interaction.user.id)) {
    await interaction.showModal(profileForm(languageNameOf(interaction.locale, tr), tr));
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await exchange.join(interaction.guildId, interaction.user.id);
  await interaction.editReply({ content: joinedText(outcome, tr), allowedMentions: NO_MENTIONS });
}

/** The member's client language, named in their language, to prefill the form ("Deutsch", "日本語"). */
function languageNameOf(locale: string, tr: Translator): string | undefined {
  return profileEntryLabel('languages', languageOfLocale(locale), tr.locale);
}

const joinButton: ComponentHandler = {
  prefix: JOIN_BUTTON_ID,
  async handle(interaction, _argument, context, tr) {
    if (!interaction.isButton()) throw new UserError('button-expired-run', { command: '/exchange join' });
    await startJoin(interaction, context, tr);
  },
};

const profileFormSubmit: ComponentHandler = {
  prefix: PROFILE_FORM_PREFIX,
  async handle(interaction, _argument, { exchange }, tr) {
    if (!interaction.isModalSubmit()) throw new UserError('form-expired', { command: '/exchange join' });
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { outcome, profile } = await exchange.joinWithProfile(interaction.guildId, interaction.user.id, formInput(interaction));
    await interaction.editReply({
      content: tr.t('exchange:profile-saved', { joined: joinedText(outcome, tr) }),
      embeds: [profileEmbed(tr.t('exchange:your-profile'), profile, tr)],
      allowedMentions: NO_MENTIONS,
    });
  },
};

const forgetButtons: ComponentHandler = {
  prefix: FORGET_PREFIX,
  async handle(interaction, argument, { exchange, takeaways }, tr) {
    if (!interaction.isButton()) throw new UserError('button-expired-run', { command: '/exchange forget' });
    if (argument !== 'confirm') {
      await interaction.update({ content: tr.t('common:cancelled-nothing-deleted'), components: [], allowedMentions: NO_MENTIONS });
      return;
    }
    // Deferred: the deletion waits for the server's lock, which a running round may hold for a while.
    await interaction.deferUpdate();
    const hadTakeaways = await takeaways.hasData(interaction.guildId, interaction.user.id);
    const found = await exchange.forget(interaction.guildId, interaction.user.id);
    await takeaways.forgetMember(interaction.guildId, interaction.user.id);
    await interaction.editReply({
      content: tr.t(found || hadTakeaways ? 'exchange:forget.done' : 'exchange:forget.nothing'),
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
