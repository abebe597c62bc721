import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Message,
  type ModalSubmitInteraction,
} from 'discord.js';
import { serverLocales } from '../core/locales.ts';
import type { Decision } from '../services/serverPromptService.ts';
import { UserError } from '../services/userError.ts';
import type { Suggestion } from '../store/serverPromptStore.ts';
import { MANAGE_GUILD } from './botPermissions.ts';
import { translator, type Translator } from './i18n.ts';
import type { BridgesContext, ComponentHandler, ComponentInteraction } from './slashCommand.ts';
import {
  editForm,
  outcomesNotice,
  rejectForm,
  reviewMessage,
  reviewThreadName,
  SUGGESTION_PREFIX,
  SUGGESTION_REASON_FIELD,
  SUGGESTION_TEXT_FIELD,
  threadNote,
} from './suggestionMessages.ts';

/** The server's languages, for the review post and its thread (what Bridges posts is in the server's language). */
export async function serverTranslator(
  guildId: string,
  preferredLocale: string,
  context: BridgesContext,
): Promise<{ tr: Translator; locales: string[] }> {
  const locales = serverLocales((await context.settings.config(guildId)).language, preferredLocale);
  return { tr: translator(locales[0] ?? 'en-US'), locales };
}

/** Approve, Edit and Reject on a review post, and the two forms; Manage Server is checked again here. */
export const suggestionButtons: ComponentHandler = {
  prefix: SUGGESTION_PREFIX,
  async handle(interaction, argument, context, tr) {
    if (!interaction.memberPermissions.has(MANAGE_GUILD.flag)) {
      throw new UserError('suggestions-review-not-allowed', { permission: { permission: MANAGE_GUILD.name } });
    }
    const [action = '', numberText = ''] = argument.split(':');
    const number = Number.parseInt(numberText, 10);
    if (!Number.isSafeInteger(number)) throw new UserError('suggestion-gone');
    if (interaction.isButton()) return pressed(interaction, action, number, context, tr);
    if (interaction.isModalSubmit()) return submitted(interaction, action, number, context);
    throw new UserError('suggestion-gone');
  },
};

async function pressed(
  interaction: ButtonInteraction<'cached'>,
  action: string,
  number: number,
  context: BridgesContext,
  tr: Translator,
): Promise<void> {
  if (action === 'approve') {
    await decide(interaction, number, { kind: 'approve' }, context);
    return;
  }
  const suggestion = await pendingSuggestion(interaction.guildId, number, context);
  if (action === 'edit') return interaction.showModal(editForm(suggestion, tr));
  if (action === 'reject') return interaction.showModal(rejectForm(suggestion, tr));
  throw new UserError('suggestion-gone');
}

async function submitted(
  interaction: ModalSubmitInteraction<'cached'>,
  action: string,
  number: number,
  context: BridgesContext,
): Promise<void> {
  const field = (id: string) => (interaction.fields.fields.has(id) ? interaction.fields.getTextInputValue(id) : '');
  if (action === 'edited') return decide(interaction, number, { kind: 'approve', text: field(SUGGESTION_TEXT_FIELD) }, context);
  if (action === 'rejected') return decide(interaction, number, { kind: 'reject', reason: field(SUGGESTION_REASON_FIELD) }, context);
  throw new UserError('suggestion-gone');
}

async function pendingSuggestion(guildId: string, number: number, context: BridgesContext): Promise<Suggestion> {
  const suggestion = await context.packs.suggestion(guildId, number);
  if (!suggestion) throw new UserError('suggestion-gone');
  if (suggestion.status !== 'pending') throw new UserError('suggestion-already-decided', { number });
  return suggestion;
}

/**
 * Records the decision first (refused if someone decided already), then shows it on the review
 * post and tells the author in a thread on it. The author is also told on their next command.
 */
async function decide(
  interaction: ButtonInteraction<'cached'> | ModalSubmitInteraction<'cached'>,
  number: number,
  decision: Decision,
  context: BridgesContext,
): Promise<void> {
  const server = await serverTranslator(interaction.guildId, interaction.guild.preferredLocale, context);
  const decided = await context.packs.decide(interaction.guildId, number, interaction.user.id, decision, server.locales);
  const review = reviewMessage(decided, context.catalog, server.tr);
  let message: Message | undefined;
  if (interaction.isButton()) {
    await interaction.update(review);
    message = interaction.message;
  } else if (interaction.isFromMessage()) {
    await interaction.update(review);
    message = interaction.message;
  } else {
    await interaction.reply({ ...review, flags: MessageFlags.Ephemeral });
  }
  if (!message) return;
  try {
    const thread = await message.startThread({ name: reviewThreadName(decided, server.tr) });
    await thread.send(threadNote(decided, context.catalog, server.tr));
  } catch (error) {
    context.logger.warn('Could not tell the author in the review thread', { guildId: interaction.guildId, number, error });
  }
}

/**
 * After any Bridges command that answered: the decisions on this member's suggestions they have not
 * heard about, once, as a private follow-up.
 */
export async function tellSuggestionOutcomes(
  interaction: ChatInputCommandInteraction<'cached'> | ComponentInteraction,
  context: BridgesContext,
  tr: Translator,
): Promise<void> {
  if (!interaction.replied && !interaction.deferred) return;
  const outcomes = await context.packs.takeOutcomes(interaction.guildId, interaction.user.id);
  if (outcomes.length === 0) return;
  await interaction.followUp({ ...outcomesNotice(outcomes, context.catalog, tr), flags: MessageFlags.Ephemeral });
}
