import {
  ApplicationCommandAutocompleteCallbackRequestSchema,
  ApplicationCommandCreateRequestSchema,
  CreateForumThreadRequestSchema,
  CreateMessageInteractionCallbackRequestSchema,
  CreateTextThreadWithMessageRequestSchema,
  CreateTextThreadWithoutMessageRequestSchema,
  IncomingWebhookRequestPartialSchema,
  IncomingWebhookUpdateRequestPartialSchema,
  MessageCreateRequestSchema,
  MessageEditRequestPartialSchema,
  ModalInteractionCallbackRequestSchema,
  PongInteractionCallbackRequestSchema,
  UpdateMessageInteractionCallbackRequestSchema,
  UpdateThreadRequestPartialSchema,
} from 'discord-api-spec/zod';
import type { ZodMiniType } from 'zod/mini';
import { ErrorCollector, Errors } from './errors.ts';
import { LOCALE_CHOICES_MESSAGE, isDiscordLocale, localizationFor } from './locales.ts';
import { isRecord } from './util.ts';

export const SpecSchemas = {
  messageCreate: MessageCreateRequestSchema,
  messageEdit: MessageEditRequestPartialSchema,
  webhookCreate: IncomingWebhookRequestPartialSchema,
  webhookEdit: IncomingWebhookUpdateRequestPartialSchema,
  commandCreate: ApplicationCommandCreateRequestSchema,
  threadFromMessage: CreateTextThreadWithMessageRequestSchema,
  threadWithoutMessage: CreateTextThreadWithoutMessageRequestSchema,
  forumThread: CreateForumThreadRequestSchema,
  threadUpdate: UpdateThreadRequestPartialSchema,
} as const;

interface IssueLike {
  code?: string;
  path?: readonly PropertyKey[];
  message?: string;
  maximum?: number | bigint;
  minimum?: number | bigint;
  origin?: string;
  input?: unknown;
}

function issueToError(issue: IssueLike): { code: string; message: string } {
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${String(issue.maximum)} or fewer in length.` }
        : { code: 'NUMBER_TYPE_MAX', message: `int value should be less than or equal to ${String(issue.maximum)}.` };
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? { code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${String(issue.minimum)} or more in length.` }
        : { code: 'NUMBER_TYPE_MIN', message: `int value should be greater than or equal to ${String(issue.minimum)}.` };
    case 'invalid_type':
      return issue.input === undefined
        ? { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }
        : { code: 'BASE_TYPE_INVALID', message: issue.message ?? 'Invalid type' };
    case 'invalid_format':
      return { code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' };
    case 'invalid_union':
      return { code: 'UNION_TYPE_CHOICES', message: 'Value does not match any allowed type or component shape.' };
    case 'invalid_value':
      return { code: 'BASE_TYPE_CHOICES', message: `Value must be one of the allowed values.` };
    default:
      return { code: 'BASE_TYPE_INVALID', message: issue.message ?? 'Invalid value' };
  }
}

/** Validates `value` with a discord-api-spec schema, adding any issues to `errors` under `prefix`. */
export function checkSpec(schema: ZodMiniType, value: unknown, errors: ErrorCollector, prefix: readonly (string | number)[] = []): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  for (const issue of result.error.issues as readonly IssueLike[]) {
    const { code, message } = issueToError(issue);
    const path = (issue.path ?? []).map((p) => (typeof p === 'symbol' ? String(p.description) : p));
    errors.add([...prefix, ...path], code, message);
  }
}

export type MessageBodyKind = 'channel' | 'channelEdit' | 'webhook' | 'webhookEdit' | 'interaction';

const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  customId: 100,
} as const;

const IS_COMPONENTS_V2 = 1 << 15;

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Copies a body so numeric attachment ids (as discord.js sends them) satisfy the spec's snowflake type. */
function normaliseForSpec(body: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...body };
  if (Array.isArray(copy.attachments)) {
    copy.attachments = copy.attachments.map((a: unknown) => (isRecord(a) && typeof a.id === 'number' ? { ...a, id: String(a.id) } : a));
  }
  return copy;
}

/**
 * Validates a message body the way Discord does: the OpenAPI schema plus the limits the schema
 * leaves out (bot content ≤ 2000, embed totals, action rows, custom_id uniqueness…).
 * Throws ApiError 50035 (or 50006 for an empty create).
 */
export function validateMessageBody(
  body: unknown,
  kind: MessageBodyKind,
  opts: { hasFiles?: boolean; prefix?: readonly (string | number)[]; collector?: ErrorCollector } = {},
): Record<string, unknown> {
  const errors = opts.collector ?? new ErrorCollector();
  const prefix = opts.prefix ?? [];
  if (!isRecord(body)) {
    errors.add(prefix, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    errors.throwIfAny();
    return {};
  }
  const schema =
    kind === 'channel'
      ? SpecSchemas.messageCreate
      : kind === 'channelEdit'
        ? SpecSchemas.messageEdit
        : kind === 'webhookEdit'
          ? SpecSchemas.webhookEdit
          : SpecSchemas.webhookCreate;
  checkSpec(schema, normaliseForSpec(body), errors, prefix);

  if (typeof body.content === 'string' && body.content.length > LIMITS.content) {
    errors.add([...prefix, 'content'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.content} or fewer in length.`);
  }
  const embeds = Array.isArray(body.embeds) ? body.embeds : [];
  let total = 0;
  embeds.forEach((embed: unknown, i: number) => {
    if (!isRecord(embed)) return;
    const at = [...prefix, 'embeds', i];
    const title = str(embed.title);
    const description = str(embed.description);
    if (title.length > LIMITS.embedTitle)
      errors.add([...at, 'title'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.embedTitle} or fewer in length.`);
    if (description.length > LIMITS.embedDescription)
      errors.add([...at, 'description'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.embedDescription} or fewer in length.`);
    total += title.length + description.length;
    const fields = Array.isArray(embed.fields) ? embed.fields : [];
    if (fields.length > LIMITS.embedFields)
      errors.add([...at, 'fields'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.embedFields} or fewer in length.`);
    fields.forEach((field: unknown, j: number) => {
      if (!isRecord(field)) return;
      const name = str(field.name);
      const value = str(field.value);
      if (name.length === 0) errors.add([...at, 'fields', j, 'name'], 'BASE_TYPE_REQUIRED', 'This field is required');
      if (value.length === 0) errors.add([...at, 'fields', j, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
      if (name.length > LIMITS.fieldName)
        errors.add([...at, 'fields', j, 'name'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.fieldName} or fewer in length.`);
      if (value.length > LIMITS.fieldValue)
        errors.add([...at, 'fields', j, 'value'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.fieldValue} or fewer in length.`);
      total += name.length + value.length;
    });
    if (isRecord(embed.footer)) {
      const text = str(embed.footer.text);
      if (text.length > LIMITS.footerText)
        errors.add([...at, 'footer', 'text'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.footerText} or fewer in length.`);
      total += text.length;
    }
    if (isRecord(embed.author)) {
      const name = str(embed.author.name);
      if (name.length > LIMITS.authorName)
        errors.add([...at, 'author', 'name'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.authorName} or fewer in length.`);
      total += name.length;
    }
  });
  if (embeds.length > LIMITS.embeds)
    errors.add([...prefix, 'embeds'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.embeds} or fewer in length.`);
  if (total > LIMITS.embedTotal)
    errors.add([...prefix, 'embeds'], 'MESSAGE_EMBEDS_TOO_LONG', `Embed size exceeds maximum size of ${LIMITS.embedTotal}`);

  validateComponents(body, errors, prefix);

  if (isRecord(body.allowed_mentions)) {
    const am = body.allowed_mentions;
    const parse = Array.isArray(am.parse) ? am.parse : [];
    if (parse.includes('users') && Array.isArray(am.users) && am.users.length > 0)
      errors.add(
        [...prefix, 'allowed_mentions'],
        'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        'parse:["users"] and users: [ids...] are mutually exclusive.',
      );
    if (parse.includes('roles') && Array.isArray(am.roles) && am.roles.length > 0)
      errors.add(
        [...prefix, 'allowed_mentions'],
        'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        'parse:["roles"] and roles: [ids...] are mutually exclusive.',
      );
  }

  errors.throwIfAny();

  const creating = kind === 'channel' || kind === 'webhook' || kind === 'interaction';
  if (creating && opts.collector === undefined) {
    const hasContent = typeof body.content === 'string' && body.content.length > 0;
    const hasComponents = Array.isArray(body.components) && body.components.length > 0;
    const hasSticker = Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0;
    if (!hasContent && embeds.length === 0 && !hasComponents && !opts.hasFiles && !hasSticker && !isRecord(body.poll))
      throw Errors.emptyMessage();
  }
  return body;
}

function validateComponents(body: Record<string, unknown>, errors: ErrorCollector, prefix: readonly (string | number)[]): void {
  if (!Array.isArray(body.components)) return;
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  const customIds = new Set<string>();
  const visit = (component: unknown, path: (string | number)[]): void => {
    if (!isRecord(component)) return;
    if (typeof component.custom_id === 'string') {
      if (component.custom_id.length > LIMITS.customId)
        errors.add([...path, 'custom_id'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.customId} or fewer in length.`);
      if (customIds.has(component.custom_id))
        errors.add([...path, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
      customIds.add(component.custom_id);
    }
    if (component.type === 2) {
      const isLink = component.style === 5;
      const isPremium = component.style === 6;
      if (isLink && typeof component.url !== 'string') errors.add([...path, 'url'], 'BASE_TYPE_REQUIRED', 'This field is required');
      if (!isLink && !isPremium && typeof component.custom_id !== 'string')
        errors.add([...path, 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
      if (isLink && component.custom_id !== undefined)
        errors.add([...path, 'custom_id'], 'COMPONENT_LINK_BUTTON_CUSTOM_ID', 'Link buttons cannot have a custom_id');
    }
    const children = Array.isArray(component.components) ? component.components : [];
    if (component.type === 1 && children.length > LIMITS.buttonsPerRow)
      errors.add([...path, 'components'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.buttonsPerRow} or fewer in length.`);
    children.forEach((child: unknown, i: number) => visit(child, [...path, 'components', i]));
    if (isRecord(component.accessory)) visit(component.accessory, [...path, 'accessory']);
  };
  if ((flags & IS_COMPONENTS_V2) === 0 && body.components.length > LIMITS.actionRows)
    errors.add([...prefix, 'components'], 'BASE_TYPE_MAX_LENGTH', `Must be ${LIMITS.actionRows} or fewer in length.`);
  body.components.forEach((component: unknown, i: number) => visit(component, [...prefix, 'components', i]));
}

// ---- application commands ----------------------------------------------------------------------

// The docs' regex showed an ASCII apostrophe for a while, but Discord's code allows U+02BC (ʼ),
// already a letter (\p{Lm}), and answers "'" with an invalid name (discord-api-docs#7371, #8567).
const CHAT_INPUT_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const OptionType = { SUB_COMMAND: 1, SUB_COMMAND_GROUP: 2, STRING: 3, INTEGER: 4, NUMBER: 10 } as const;

/** Discord's CHAT_INPUT naming rule: its regex, and lowercase wherever a character has a lowercase form. */
function isChatInputName(name: unknown): boolean {
  return typeof name === 'string' && CHAT_INPUT_NAME.test(name) && name === name.toLowerCase();
}

function checkOptionName(name: unknown, errors: ErrorCollector, path: (string | number)[]): void {
  if (!isChatInputName(name)) errors.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
}

/** Keys of a localization map must be Discord locales (the spec types them as any string). */
function checkLocaleKeys(map: unknown, errors: ErrorCollector, path: (string | number)[]): void {
  if (!isRecord(map)) return;
  for (const key of Object.keys(map)) if (!isDiscordLocale(key)) errors.add([...path, key], 'BASE_TYPE_CHOICES', LOCALE_CHOICES_MESSAGE);
}

/**
 * Localized CHAT_INPUT names follow the naming rule of the default name (lengths are the spec's).
 * Discord reports a bad option name under its locale but a bad command name on the whole map
 * (discord-api-docs#7712); `perLocale` chooses which.
 */
function checkLocalizedNames(map: unknown, errors: ErrorCollector, path: (string | number)[], perLocale: boolean): void {
  if (!isRecord(map)) return;
  for (const [locale, value] of Object.entries(map)) {
    if (typeof value === 'string' && !isChatInputName(value))
      errors.add(perLocale ? [...path, locale] : path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
}

/**
 * A localized option name must differ from every sibling's default name and from every sibling's
 * name in that locale (Discord's docs, "Localization"); a value equal to its own default is ignored.
 */
function checkLocalizedSiblingNames(options: readonly unknown[], errors: ErrorCollector, path: (string | number)[]): void {
  const siblings = options.map((option, index) => ({ index, option: isRecord(option) ? option : {} }));
  for (const { index, option } of siblings) {
    if (!isRecord(option.name_localizations)) continue;
    for (const locale of Object.keys(option.name_localizations)) {
      const localized = localizationFor(option.name_localizations, locale);
      if (localized === undefined || localized === option.name) continue;
      const clash = siblings.some(
        (other) =>
          other.index !== index &&
          (other.option.name === localized || localizationFor(other.option.name_localizations, locale) === localized),
      );
      if (clash)
        errors.add(
          [...path, index, 'name_localizations', locale],
          'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
          'Option names must be unique',
        );
    }
  }
}

function checkDescription(description: unknown, errors: ErrorCollector, path: (string | number)[]): void {
  if (typeof description !== 'string' || description.length < 1 || description.length > 100)
    errors.add([...path, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
}

function checkOptions(options: unknown, errors: ErrorCollector, path: (string | number)[], depth: number): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) {
    errors.add(path, 'BASE_TYPE_INVALID', 'Must be an array');
    return;
  }
  if (options.length > 25) errors.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  const names = new Set<string>();
  let sawOptional = false;
  const isSub = (o: unknown): boolean => isRecord(o) && (o.type === OptionType.SUB_COMMAND || o.type === OptionType.SUB_COMMAND_GROUP);
  const anySub = options.some(isSub);
  options.forEach((option: unknown, i: number) => {
    const at = [...path, i];
    if (!isRecord(option)) {
      errors.add(at, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
      return;
    }
    checkOptionName(option.name, errors, at);
    checkDescription(option.description, errors, at);
    checkLocaleKeys(option.name_localizations, errors, [...at, 'name_localizations']);
    checkLocaleKeys(option.description_localizations, errors, [...at, 'description_localizations']);
    checkLocalizedNames(option.name_localizations, errors, [...at, 'name_localizations'], true);
    if (typeof option.name === 'string') {
      if (names.has(option.name))
        errors.add([...at, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
      names.add(option.name);
    }
    const type = option.type;
    if (anySub && !isSub(option))
      errors.add(
        at,
        'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
        'Sub-command and sub-command group option types are mutually exclusive to all other types',
      );
    if (type === OptionType.SUB_COMMAND_GROUP) {
      if (depth > 0) errors.add([...at, 'type'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command groups cannot be nested');
      const children = Array.isArray(option.options) ? option.options : [];
      children.forEach((child: unknown, j: number) => {
        if (!isRecord(child) || child.type !== OptionType.SUB_COMMAND)
          errors.add(
            [...at, 'options', j, 'type'],
            'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
            'Sub-command groups may only contain sub-commands',
          );
      });
      checkOptions(option.options, errors, [...at, 'options'], depth + 1);
      return;
    }
    if (type === OptionType.SUB_COMMAND) {
      if (depth > 1) errors.add([...at, 'type'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-commands cannot be nested this deep');
      const children = Array.isArray(option.options) ? option.options : [];
      children.forEach((child: unknown, j: number) => {
        if (isSub(child))
          errors.add([...at, 'options', j, 'type'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-commands cannot contain sub-commands');
      });
      checkOptions(option.options, errors, [...at, 'options'], depth + 2);
      return;
    }
    if (option.required === true && sawOptional)
      errors.add(
        [...at, 'required'],
        'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        'Required options must be placed before non-required options',
      );
    if (option.required !== true) sawOptional = true;
    const choices = option.choices;
    if (Array.isArray(choices)) {
      if (type !== OptionType.STRING && type !== OptionType.INTEGER && type !== OptionType.NUMBER)
        errors.add(
          [...at, 'choices'],
          'APPLICATION_COMMAND_OPTIONS_CHOICES_INVALID',
          'Choices are only allowed on string, integer and number options',
        );
      if (choices.length > 25) errors.add([...at, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      if (option.autocomplete === true && choices.length > 0)
        errors.add(
          [...at, 'autocomplete'],
          'APPLICATION_COMMAND_AUTOCOMPLETE_INCOMPATIBLE_WITH_CHOICES',
          'Autocomplete cannot be enabled on options with choices',
        );
      choices.forEach((choice: unknown, j: number) => {
        if (!isRecord(choice)) return;
        checkLocaleKeys(choice.name_localizations, errors, [...at, 'choices', j, 'name_localizations']);
        const n = choice.name;
        if (typeof n !== 'string' || n.length < 1 || n.length > 100)
          errors.add([...at, 'choices', j, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
        const v = choice.value;
        if (type === OptionType.STRING && (typeof v !== 'string' || v.length > 100))
          errors.add([...at, 'choices', j, 'value'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
        if ((type === OptionType.INTEGER || type === OptionType.NUMBER) && typeof v !== 'number')
          errors.add([...at, 'choices', j, 'value'], 'NUMBER_TYPE_COERCE', 'Value is not int.');
      });
    }
    if (type === OptionType.STRING) {
      for (const key of ['min_length', 'max_length'] as const) {
        const v = option[key];
        if (v !== undefined && v !== null && (typeof v !== 'number' || v < 0 || v > 6000))
          errors.add([...at, key], 'NUMBER_TYPE_MAX', 'int value should be between 0 and 6000.');
      }
    }
  });
  checkLocalizedSiblingNames(options, errors, path);
}

/** Validates one application command definition (spec schema + Discord's semantic rules). */
export function validateCommandDefinition(definition: unknown, errors: ErrorCollector, path: (string | number)[]): void {
  if (!isRecord(definition)) {
    errors.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return;
  }
  // The spec types default_member_permissions as a number, but Discord (and discord.js) use a string.
  const { default_member_permissions: dmp, ...rest } = definition;
  checkSpec(SpecSchemas.commandCreate, rest, errors, path);
  if (dmp !== undefined && dmp !== null && (typeof dmp !== 'string' || !/^\d+$/.test(dmp)))
    errors.add([...path, 'default_member_permissions'], 'BASE_TYPE_INVALID', 'Must be a string of permission bits');
  checkLocaleKeys(definition.name_localizations, errors, [...path, 'name_localizations']);
  checkLocaleKeys(definition.description_localizations, errors, [...path, 'description_localizations']);
  const type = definition.type ?? 1;
  if (type === 1) {
    checkOptionName(definition.name, errors, path);
    checkDescription(definition.description, errors, path);
    checkLocalizedNames(definition.name_localizations, errors, [...path, 'name_localizations'], false);
    checkOptions(definition.options, errors, [...path, 'options'], 0);
  } else {
    const name = definition.name;
    if (typeof name !== 'string' || name.length < 1 || name.length > 32)
      errors.add([...path, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
    if (typeof definition.description === 'string' && definition.description.length > 0)
      errors.add(
        [...path, 'description'],
        'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION',
        'Context menu commands cannot have a description',
      );
    if (Array.isArray(definition.options) && definition.options.length > 0)
      errors.add([...path, 'options'], 'APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS', 'Context menu commands cannot have options');
  }
}

/** Validates the body of a single-command create or edit; errors are reported from its root, as Discord does. */
export function validateCommand(definition: unknown): Record<string, unknown> {
  const errors = new ErrorCollector();
  validateCommandDefinition(definition, errors, []);
  errors.throwIfAny();
  return isRecord(definition) ? definition : {};
}

export function validateCommandList(body: unknown): Record<string, unknown>[] {
  const errors = new ErrorCollector();
  if (!Array.isArray(body)) {
    errors.add([], 'BASE_TYPE_INVALID', 'Must be an array');
    errors.throwIfAny();
    return [];
  }
  if (body.length > 100) errors.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  const seen = new Set<string>();
  body.forEach((definition: unknown, i: number) => {
    validateCommandDefinition(definition, errors, [i]);
    if (isRecord(definition) && typeof definition.name === 'string') {
      const key = `${String(definition.type ?? 1)}:${definition.name}`;
      if (seen.has(key)) errors.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
      seen.add(key);
    }
  });
  errors.throwIfAny();
  return body.filter(isRecord);
}

// ---- interaction callbacks ---------------------------------------------------------------------

export function validateInteractionCallback(body: unknown): { type: number; data: Record<string, unknown> | undefined } {
  const errors = new ErrorCollector();
  if (!isRecord(body) || typeof body.type !== 'number') {
    errors.add(['type'], 'BASE_TYPE_REQUIRED', 'This field is required');
    errors.throwIfAny();
    throw new Error('unreachable');
  }
  const type = body.type;
  const data = isRecord(body.data) ? body.data : undefined;
  switch (type) {
    case 1:
      checkSpec(PongInteractionCallbackRequestSchema, body, errors);
      break;
    case 4:
    case 5:
      checkSpec(CreateMessageInteractionCallbackRequestSchema, { type, data: data ? normaliseForSpec(data) : data }, errors);
      if (data && type === 4) validateMessageBody(data, 'interaction', { prefix: ['data'], collector: errors });
      break;
    case 6:
    case 7:
      checkSpec(UpdateMessageInteractionCallbackRequestSchema, { type, data: data ? normaliseForSpec(data) : data }, errors);
      if (data && type === 7) validateMessageBody(data, 'webhookEdit', { prefix: ['data'], collector: errors });
      break;
    case 8:
      checkSpec(ApplicationCommandAutocompleteCallbackRequestSchema, body, errors);
      if (data && Array.isArray(data.choices) && data.choices.length > 25)
        errors.add(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      if (data) checkAutocompleteChoiceValues(data.choices, errors);
      break;
    case 9:
      checkSpec(ModalInteractionCallbackRequestSchema, body, errors);
      if (data) checkTextInputPrefills(data.components, errors, ['data', 'components']);
      break;
    default:
      errors.add(['type'], 'BASE_TYPE_CHOICES', `Value must be one of {1, 4, 5, 6, 7, 8, 9, 10, 12}.`);
  }
  errors.throwIfAny();
  if (type === 4 && data) {
    const hasContent = typeof data.content === 'string' && data.content.length > 0;
    const hasEmbeds = Array.isArray(data.embeds) && data.embeds.length > 0;
    const hasComponents = Array.isArray(data.components) && data.components.length > 0;
    const hasAttachments = Array.isArray(data.attachments) && data.attachments.length > 0;
    if (!hasContent && !hasEmbeds && !hasComponents && !hasAttachments && !isRecord(data.poll)) throw Errors.emptyMessage();
  }
  return { type, data };
}

const AUTOCOMPLETE_STRING_VALUE_MAX = 100;
const TEXT_INPUT_VALUE_MAX = 4000;

/** The spec lets a string choice value run to 6000 characters; an autocomplete choice's may not pass 100. */
function checkAutocompleteChoiceValues(choices: unknown, errors: ErrorCollector): void {
  if (!Array.isArray(choices)) return;
  choices.forEach((choice: unknown, i: number) => {
    if (isRecord(choice) && typeof choice.value === 'string' && choice.value.length > AUTOCOMPLETE_STRING_VALUE_MAX)
      errors.add(['data', 'choices', i, 'value'], 'BASE_TYPE_MAX_LENGTH', `Must be ${AUTOCOMPLETE_STRING_VALUE_MAX} or fewer in length.`);
  });
}

/** A text input's prefilled `value` may not be longer than the input's own `max_length`. */
function checkTextInputPrefills(components: unknown, errors: ErrorCollector, path: (string | number)[]): void {
  if (!Array.isArray(components)) return;
  const visit = (component: unknown, at: (string | number)[]): void => {
    if (!isRecord(component)) return;
    if (component.type === 4 && typeof component.value === 'string') {
      const max = typeof component.max_length === 'number' ? Math.min(component.max_length, TEXT_INPUT_VALUE_MAX) : TEXT_INPUT_VALUE_MAX;
      if (component.value.length > max) errors.add([...at, 'value'], 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    }
    if (Array.isArray(component.components))
      component.components.forEach((child: unknown, i: number) => visit(child, [...at, 'components', i]));
    // A label (type 18) wraps its one input in `component`.
    visit(component.component, [...at, 'component']);
  };
  components.forEach((component: unknown, i: number) => visit(component, [...path, i]));
}

export function validateWith(schema: ZodMiniType, body: unknown): Record<string, unknown> {
  const errors = new ErrorCollector();
  checkSpec(schema, body, errors);
  errors.throwIfAny();
  return isRecord(body) ? body : {};
}
