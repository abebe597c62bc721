import {
  Client,
  MessagePayload,
  type APIApplicationCommandOptionChoice,
  type InteractionReplyOptions,
  type MessageCreateOptions,
  type ModalBuilder,
  type TextChannel,
} from 'discord.js';
import { afterAll } from 'vitest';
import { ApiError } from '../support/emulator/errors.ts';
import { validateInteractionCallback, validateMessageBody } from '../support/emulator/validation.ts';

type MessageOptions = MessageCreateOptions | InteractionReplyOptions;

// A client that never logs in: MessagePayload only reads its options to build the REST body.
const client = new Client({ intents: [] });
afterAll(() => client.destroy());

/** The JSON body discord.js sends for these message options (as for a channel message). */
export function restBody(options: MessageOptions): Record<string, unknown> {
  const payload = MessagePayload.create({ client } as unknown as TextChannel, options).resolveBody();
  return payload.body as Record<string, unknown>;
}

function withReadableErrors<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ApiError) throw new Error(`Discord would refuse this: ${error.code} ${JSON.stringify(error.errors)}`);
    throw error;
  }
}

/** Throws unless the emulator's rules accept the message as a channel post and as an interaction reply. */
export function expectDiscordAcceptsMessage(options: MessageOptions): Record<string, unknown> {
  const body = restBody(options);
  withReadableErrors(() => validateMessageBody(body, 'channel'));
  withReadableErrors(() => validateInteractionCallback({ type: 4, data: body }));
  withReadableErrors(() => validateMessageBody(body, 'webhookEdit'));
  // JSON.stringify writes a lone surrogate (a character cut in half) as an escape.
  if (/\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(body))) throw new Error('The message has a character cut in half');
  return body;
}

/** Throws unless the emulator's rules accept the modal, and each prefilled value fits its own max_length. */
export function expectDiscordAcceptsModal(modal: ModalBuilder): void {
  const data = modal.toJSON();
  withReadableErrors(() => validateInteractionCallback({ type: 9, data }));
  for (const input of textInputsOf(data)) {
    if (typeof input.value === 'string' && typeof input.max_length === 'number' && input.value.length > input.max_length) {
      throw new Error(`The prefilled value of ${String(input.custom_id)} is longer than its max_length`);
    }
  }
}

function textInputsOf(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(textInputsOf);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = record.type === 4 ? [record] : [];
  return [...own, ...textInputsOf(record.components), ...textInputsOf(record.component)];
}

/**
 * Throws unless the emulator's rules accept the autocomplete answer. The emulator takes its rules
 * from the API spec, which allows string choice values of 6,000 characters; Discord documents 100,
 * so that is checked here too.
 */
export function expectDiscordAcceptsChoices(choices: readonly APIApplicationCommandOptionChoice<string>[]): void {
  withReadableErrors(() => validateInteractionCallback({ type: 8, data: { choices } }));
  for (const choice of choices) {
    if (choice.value.length > 100) throw new Error(`Choice value is ${choice.value.length} characters`);
    if (!isWellFormed(choice.name) || !isWellFormed(choice.value)) throw new Error('A choice has a lone surrogate');
  }
}

/** No lone surrogate: a string cut in the middle of a character. */
export function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDFFF]/u.test(text);
}
