import type { EmulatorCore, InteractionRecord } from './core.ts';
import { ChannelType, type ChannelRecord, type CommandRecord } from './state.ts';
import { requireDiscordLocale } from './locales.ts';
import { hasPermissions, Permissions } from './permissions.ts';
import { isRecord, randomToken, realClearTimeout, realNow, realSetTimeout } from './util.ts';
import { messageView, type StoredMessage } from './views.ts';

export type OptionValue = string | number | boolean | AttachmentUpload;

/** A file a member attaches to an attachment option; the emulator serves it from its own HTTP server. */
export interface AttachmentUpload {
  filename: string;
  content: string | Uint8Array;
  contentType?: string;
}

interface BaseInvocation {
  /** Defaults to the channel's guild. */
  guildId?: string;
  channelId: string;
  userId: string;
  /** The member's chosen Discord locale, sent as the interaction's `locale` (default en-US). */
  locale?: string;
  /** How long to wait for the bot's final answer (default 5000 ms). */
  timeoutMs?: number;
}

export interface CommandInvocation extends BaseInvocation {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: Record<string, OptionValue>;
  /**
   * Invoke what Discord's client would not let through: a user lacking the command's
   * default_member_permissions (a server can override them), a channel outside the option's
   * channel_types, or a value outside an option's min_length/max_length, min_value/max_value or
   * choices (as a stale registration would allow).
   */
  force?: boolean;
}

export interface AutocompleteInvocation extends CommandInvocation {
  focused: string;
  value: string;
}

export interface ComponentInvocation extends BaseInvocation {
  messageId: string;
  customId: string;
  /** For select menus. */
  values?: string[];
}

export interface ModalInvocation extends BaseInvocation {
  customId: string;
  fields: Record<string, string>;
  /** The message whose component opened the modal, if any. */
  messageId?: string;
}

export interface InteractionResult {
  interactionId: string;
  /** The bot's callback type (4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete, 9 modal). */
  callbackType: number;
  ephemeral: boolean;
  deferred: boolean;
  content?: string;
  embeds: unknown[];
  components: unknown[];
  allowedMentions?: unknown;
  /** The message that represents the answer (reply, edited original, updated component message or first follow-up). */
  message?: StoredMessage;
  /** Follow-ups sent so far (re-read `emu.interaction(id)` for later ones). */
  followUps: StoredMessage[];
  modal?: Record<string, unknown>;
  choices?: unknown[];
  /** The last raw body the bot sent for this interaction. */
  raw: unknown;
}

const OptionTypes = {
  SUB_COMMAND: 1,
  SUB_COMMAND_GROUP: 2,
  STRING: 3,
  INTEGER: 4,
  BOOLEAN: 5,
  USER: 6,
  CHANNEL: 7,
  ROLE: 8,
  MENTIONABLE: 9,
  NUMBER: 10,
  ATTACHMENT: 11,
} as const;

export class InteractionDriver {
  constructor(private readonly core: EmulatorCore) {}

  private guildOf(channel: ChannelRecord, guildId: string | undefined): string | null {
    if (guildId !== undefined && channel.guildId !== guildId) throw new Error(`Channel ${channel.id} does not belong to guild ${guildId}`);
    return channel.guildId;
  }

  private channelFor(channelId: string): ChannelRecord {
    const channel = this.core.state.channels.get(channelId);
    if (!channel) throw new Error(`Unknown channel ${channelId}`);
    return channel;
  }

  findCommand(guildId: string | null, name: string, type = 1): CommandRecord {
    const commands = [...this.core.state.commands.values()];
    const match = (c: CommandRecord): boolean => c.definition.name === name && (c.definition.type ?? 1) === type;
    const found =
      commands.find((c) => c.guildId === guildId && guildId !== null && match(c)) ?? commands.find((c) => c.guildId === null && match(c));
    if (!found) {
      const names = commands.map((c) => `${c.guildId ? `guild ${c.guildId}` : 'global'}:/${String(c.definition.name)}`);
      throw new Error(
        `Command /${name} is not registered for guild ${guildId ?? '(DM)'} or globally. Registered: ${names.join(', ') || 'none'}`,
      );
    }
    return found;
  }

  /** The common interaction envelope, with Discord's computed permissions. */
  private envelope(
    type: number,
    channel: ChannelRecord,
    guildId: string | null,
    userId: string,
    locale: string | undefined,
  ): { record: InteractionRecord; payload: Record<string, unknown> } {
    const { state, options } = this.core;
    const user = state.users.get(userId);
    if (!user) throw new Error(`Unknown user ${userId}`);
    const id = state.ids.next();
    const token = `aW50ZXJhY3Rpb246${id}:${randomToken(40)}`;
    const payload: Record<string, unknown> = {
      id,
      application_id: options.applicationId,
      type,
      token,
      version: 1,
      channel_id: channel.id,
      locale: requireDiscordLocale(locale ?? 'en-US', 'Invocation locale'),
      entitlements: [],
      attachment_size_limit: 10_485_760,
    };
    if (guildId) {
      const guild = state.guilds.get(guildId);
      const member = state.member(guildId, userId);
      if (!guild) throw new Error(`Unknown guild ${guildId}`);
      if (!member) throw new Error(`User ${userId} is not a member of guild ${guildId}`);
      const memberPerms = state.permissionsIn(channel.id, userId);
      payload.guild_id = guildId;
      payload.guild = { id: guildId, locale: guild.preferredLocale, features: guild.features };
      payload.guild_locale = guild.preferredLocale;
      payload.member = { ...state.memberJson(member), permissions: memberPerms.toString() };
      payload.channel = { ...state.channelJson(channel), permissions: memberPerms.toString() };
      payload.app_permissions = state.permissionsIn(channel.id, options.botUserId).toString();
      payload.authorizing_integration_owners = { '0': guildId };
      payload.context = 0;
    } else {
      payload.user = state.userJson(userId);
      payload.channel = state.channelJson(channel);
      payload.app_permissions = '0';
      payload.authorizing_integration_owners = { '0': guildId ?? '0' };
      payload.context = 1;
    }
    const record: InteractionRecord = {
      id,
      token,
      type,
      guildId,
      channelId: channel.id,
      userId,
      createdAt: realNow(),
      payload,
      label: '',
      ephemeral: false,
      originalEdited: false,
      followUpIds: [],
      listeners: new Set(),
    };
    return { record, payload };
  }

  private resolveOption(
    def: Record<string, unknown>,
    value: OptionValue,
    guildId: string | null,
    userId: string,
    resolved: Resolved,
    force: boolean,
    commandLabel: string,
  ): Record<string, unknown> {
    const type = def.type;
    const name = String(def.name);
    const fail = (expected: string): never => {
      throw new Error(`Option "${name}" expects ${expected}, got ${JSON.stringify(value)}`);
    };
    const { state } = this.core;
    switch (type) {
      case OptionTypes.STRING:
        if (typeof value !== 'string') fail('a string');
        break;
      case OptionTypes.INTEGER:
        if (typeof value !== 'number' || !Number.isInteger(value)) fail('an integer');
        break;
      case OptionTypes.NUMBER:
        if (typeof value !== 'number') fail('a number');
        break;
      case OptionTypes.BOOLEAN:
        if (typeof value !== 'boolean') fail('a boolean');
        break;
      case OptionTypes.USER:
      case OptionTypes.MENTIONABLE: {
        if (typeof value !== 'string') fail('an id');
        const id = String(value);
        if (state.users.has(id)) {
          (resolved.users ??= {})[id] = state.userJson(id);
          const member = guildId ? state.member(guildId, id) : undefined;
          if (member && guildId) {
            (resolved.members ??= {})[id] = {
              ...state.memberJson(member, false),
              permissions: state.guildPermissions(guildId, id).toString(),
            };
          }
        } else if (state.roles.has(id)) {
          const role = state.roles.get(id);
          if (role) (resolved.roles ??= {})[id] = state.roleJson(role);
        } else {
          fail('a known user or role id');
        }
        break;
      }
      case OptionTypes.CHANNEL: {
        const channel = typeof value === 'string' ? state.channels.get(value) : undefined;
        if (!channel) return fail('a known channel id');
        const types = Array.isArray(def.channel_types) ? def.channel_types : undefined;
        if (types && !force && !types.includes(channel.type)) fail(`a channel of type ${types.join('/')}`);
        resolved.channels ??= {};
        resolved.channels[channel.id] = {
          id: channel.id,
          name: channel.name,
          type: channel.type,
          parent_id: channel.parentId,
          // Discord resolves channels with the invoking member's permissions, not the bot's.
          permissions: state.permissionsIn(channel.id, userId).toString(),
          ...(channel.thread ? { thread_metadata: state.channelJson(channel).thread_metadata as unknown } : {}),
        };
        break;
      }
      case OptionTypes.ROLE: {
        const role = typeof value === 'string' ? state.roles.get(value) : undefined;
        if (!role) return fail('a known role id');
        (resolved.roles ??= {})[role.id] = state.roleJson(role);
        break;
      }
      case OptionTypes.ATTACHMENT: {
        if (typeof value !== 'object') return fail('a file ({ filename, content })');
        const id = state.ids.next();
        const data = Buffer.from(value.content);
        const contentType = value.contentType ?? 'application/octet-stream';
        this.core.uploads.set(id, { filename: value.filename, contentType, data });
        const url = `${this.core.cdnBaseUrl()}/attachments/${id}/${encodeURIComponent(value.filename)}`;
        (resolved.attachments ??= {})[id] = {
          id,
          filename: value.filename,
          size: data.length,
          content_type: contentType,
          url,
          proxy_url: url,
          ephemeral: true,
        };
        return { name, type, value: id };
      }
      default:
        throw new Error(`Option "${name}" has unsupported type ${String(type)}`);
    }
    const outside = force ? undefined : outsideLimits(def, value);
    if (outside)
      throw new Error(
        `Option "${name}" of ${commandLabel} must be ${outside}, got ${JSON.stringify(value)} (pass force: true to invoke anyway)`,
      );
    return { name, type, value };
  }

  private buildCommandData(
    inv: CommandInvocation,
    command: CommandRecord,
    guildId: string | null,
    focused?: { name: string; value: string },
  ): { data: Record<string, unknown>; label: string } {
    const resolved: Resolved = {};
    let defs = Array.isArray(command.definition.options) ? command.definition.options.filter(isRecord) : [];
    const path: string[] = [String(command.definition.name)];
    const wrap: ((inner: Record<string, unknown>[]) => Record<string, unknown>[])[] = [];
    const descend = (name: string | undefined, type: number, what: string): void => {
      const hasLevel = defs.some((d) => d.type === type);
      // Discord lets a command mix subcommand groups and plain subcommands at one level.
      const optionalGroup = type === OptionTypes.SUB_COMMAND_GROUP && defs.some((d) => d.type === OptionTypes.SUB_COMMAND);
      if (!hasLevel || (name === undefined && optionalGroup)) {
        if (name !== undefined) throw new Error(`/${path.join(' ')} has no ${what} "${name}"`);
        return;
      }
      if (name === undefined)
        throw new Error(
          `/${path.join(' ')} requires a ${what}; choose one of ${defs
            .filter((d) => d.type === type)
            .map((d) => String(d.name))
            .join(', ')}`,
        );
      const def = defs.find((d) => d.type === type && d.name === name);
      if (!def) throw new Error(`/${path.join(' ')} has no ${what} "${name}"`);
      path.push(name);
      wrap.push((inner) => [{ name, type, options: inner }]);
      defs = Array.isArray(def.options) ? def.options.filter(isRecord) : [];
    };
    descend(inv.subcommandGroup, OptionTypes.SUB_COMMAND_GROUP, 'subcommand group');
    descend(inv.subcommand, OptionTypes.SUB_COMMAND, 'subcommand');
    const given = { ...(inv.options ?? {}) };
    if (focused) given[focused.name] = focused.value;
    const options: Record<string, unknown>[] = [];
    for (const [name, value] of Object.entries(given)) {
      const def = defs.find((d) => d.name === name);
      if (!def)
        throw new Error(`/${path.join(' ')} has no option "${name}" (options: ${defs.map((d) => String(d.name)).join(', ') || 'none'})`);
      if (focused && name === focused.name) {
        if (def.autocomplete !== true) throw new Error(`Option "${name}" of /${path.join(' ')} does not have autocomplete enabled`);
        options.push({ name, type: def.type, value: focused.value, focused: true });
      } else {
        options.push(this.resolveOption(def, value, guildId, inv.userId, resolved, inv.force === true, `/${path.join(' ')}`));
      }
    }
    if (!focused) {
      for (const def of defs) {
        if (def.required === true && !(String(def.name) in given))
          throw new Error(`/${path.join(' ')} requires option "${String(def.name)}"`);
      }
    }
    let tree: Record<string, unknown>[] = options;
    for (const w of wrap.reverse()) tree = w(tree);
    const data: Record<string, unknown> = {
      id: command.id,
      name: command.definition.name,
      type: command.definition.type ?? 1,
      ...(command.guildId ? { guild_id: command.guildId } : {}),
      ...(tree.length > 0 ? { options: tree } : {}),
      ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
    };
    return { data, label: `/${path.join(' ')}` };
  }

  private checkCommandAccess(
    command: CommandRecord,
    guildId: string | null,
    channel: ChannelRecord,
    userId: string,
    force: boolean | undefined,
  ): void {
    const contexts = command.definition.contexts;
    const context = guildId ? 0 : channel.type === ChannelType.DM ? 1 : 2;
    if (Array.isArray(contexts) && !contexts.includes(context))
      throw new Error(
        `/${String(command.definition.name)} is not available in interaction context ${context} (contexts: ${JSON.stringify(contexts)})`,
      );
    const dmp = command.definition.default_member_permissions;
    if (force || !guildId || typeof dmp !== 'string') return;
    const perms = this.core.state.permissionsIn(channel.id, userId);
    if (!hasPermissions(perms, BigInt(dmp)) && !hasPermissions(perms, Permissions.ADMINISTRATOR))
      throw new Error(
        `User ${userId} cannot see /${String(command.definition.name)}: it requires default_member_permissions ${dmp} (pass force: true to invoke anyway)`,
      );
  }

  async runCommand(inv: CommandInvocation): Promise<InteractionResult> {
    const channel = this.channelFor(inv.channelId);
    const guildId = this.guildOf(channel, inv.guildId);
    const command = this.findCommand(guildId, inv.name);
    this.checkCommandAccess(command, guildId, channel, inv.userId, inv.force);
    const { data, label } = this.buildCommandData(inv, command, guildId);
    const { record, payload } = this.envelope(2, channel, guildId, inv.userId, inv.locale);
    payload.data = data;
    record.label = label;
    return this.send(record, inv.timeoutMs);
  }

  async autocomplete(inv: AutocompleteInvocation): Promise<unknown[]> {
    const channel = this.channelFor(inv.channelId);
    const guildId = this.guildOf(channel, inv.guildId);
    const command = this.findCommand(guildId, inv.name);
    const { data, label } = this.buildCommandData(inv, command, guildId, { name: inv.focused, value: inv.value });
    const { record, payload } = this.envelope(4, channel, guildId, inv.userId, inv.locale);
    payload.data = data;
    record.label = `${label} (autocomplete ${inv.focused})`;
    const result = await this.send(record, inv.timeoutMs);
    return result.choices ?? [];
  }

  async clickButton(inv: ComponentInvocation): Promise<InteractionResult> {
    return this.component(inv, 2);
  }

  async selectMenu(inv: ComponentInvocation & { values: string[] }): Promise<InteractionResult> {
    return this.component(inv, 3);
  }

  private async component(inv: ComponentInvocation, expectedType: number): Promise<InteractionResult> {
    const channel = this.channelFor(inv.channelId);
    const guildId = this.guildOf(channel, inv.guildId);
    const message = this.core.state.messages.get(inv.messageId);
    if (!message || message.deleted || message.channelId !== channel.id)
      throw new Error(`Unknown message ${inv.messageId} in channel ${channel.id}`);
    const component = findComponent(message.components, inv.customId);
    if (!component) throw new Error(`Message ${message.id} has no component with custom_id "${inv.customId}"`);
    if (component.disabled === true) throw new Error(`Component "${inv.customId}" is disabled`);
    const componentType = typeof component.type === 'number' ? component.type : expectedType;
    if (expectedType === 2 && componentType !== 2) throw new Error(`Component "${inv.customId}" is not a button (type ${componentType})`);
    if (expectedType === 3 && componentType === 2) throw new Error(`Component "${inv.customId}" is a button, not a select menu`);
    if (message.ephemeral) {
      const owner = message.interactionId ? this.core.interactions.get(message.interactionId)?.userId : undefined;
      if (owner !== undefined && owner !== inv.userId) throw new Error(`User ${inv.userId} cannot see ephemeral message ${message.id}`);
    }
    const { record, payload } = this.envelope(3, channel, guildId, inv.userId, inv.locale);
    payload.message = this.core.state.messageJson(message);
    payload.data = {
      custom_id: inv.customId,
      component_type: componentType,
      ...(inv.values ? { values: inv.values } : {}),
    };
    record.sourceMessageId = message.id;
    record.label = `component "${inv.customId}"`;
    return this.send(record, inv.timeoutMs);
  }

  async submitModal(inv: ModalInvocation): Promise<InteractionResult> {
    const channel = this.channelFor(inv.channelId);
    const guildId = this.guildOf(channel, inv.guildId);
    const { record, payload } = this.envelope(5, channel, guildId, inv.userId, inv.locale);
    const modal = [...this.core.interactions.values()].reverse().find((i) => i.modal?.custom_id === inv.customId)?.modal;
    const usesLabels = Array.isArray(modal?.components) && modal.components.some((c) => isRecord(c) && c.type === 18);
    const components = Object.entries(inv.fields).map(([customId, value]) =>
      usesLabels
        ? { type: 18, id: 0, component: { type: 4, id: 0, custom_id: customId, value } }
        : { type: 1, id: 0, components: [{ type: 4, id: 0, custom_id: customId, value }] },
    );
    payload.data = { custom_id: inv.customId, components };
    if (inv.messageId) {
      const message = this.core.state.messages.get(inv.messageId);
      if (!message) throw new Error(`Unknown message ${inv.messageId}`);
      payload.message = this.core.state.messageJson(message);
      record.sourceMessageId = message.id;
    }
    record.label = `modal "${inv.customId}"`;
    return this.send(record, inv.timeoutMs);
  }

  private send(record: InteractionRecord, timeoutMs = 5000): Promise<InteractionResult> {
    const { core } = this;
    core.interactions.set(record.id, record);
    core.interactionsByToken.set(record.token, record);
    const promise = new Promise<InteractionResult>((resolve, reject) => {
      const finish = (fn: () => void): void => {
        record.listeners.delete(check);
        realClearTimeout(timer);
        fn();
      };
      const check = (): void => {
        if (record.error && record.callbackType === undefined) {
          const e = record.error;
          finish(() =>
            reject(
              new Error(
                `The bot's response to ${record.label} was rejected: ${e.status} ${e.code} ${e.message}${e.errors ? ` ${JSON.stringify(e.errors)}` : ''}`,
              ),
            ),
          );
          return;
        }
        if (isSettled(record)) finish(() => resolve(this.result(record)));
      };
      const timer = realSetTimeout(() => {
        record.listeners.delete(check);
        if (record.callbackType === 6) resolve(this.result(record));
        else if (record.callbackType === 5)
          reject(new Error(`The bot deferred ${record.label} but did not edit the reply within ${timeoutMs} ms`));
        else reject(new Error(`The bot did not answer ${record.label} within ${timeoutMs} ms`));
      }, timeoutMs);
      record.listeners.add(check);
    });
    core.dispatch('INTERACTION_CREATE', record.payload, record.guildId);
    return promise;
  }

  result(record: InteractionRecord): InteractionResult {
    const { state } = this.core;
    const original = record.originalMessageId ? state.messages.get(record.originalMessageId) : undefined;
    const followUps = record.followUpIds.map((id) => state.messages.get(id)).filter((m) => m !== undefined);
    const shown =
      record.callbackType === 6 && !record.originalEdited && followUps[0]
        ? followUps[0]
        : record.callbackType === 6 && !record.originalEdited
          ? undefined
          : original;
    const view = shown ? messageView(state, shown) : undefined;
    return {
      interactionId: record.id,
      callbackType: record.callbackType ?? 0,
      ephemeral: view?.ephemeral ?? record.ephemeral,
      deferred: record.callbackType === 5 || record.callbackType === 6,
      content: view?.content,
      embeds: view?.embeds ?? [],
      components: view?.components ?? [],
      allowedMentions: view?.allowedMentions,
      message: view,
      followUps: followUps.map((m) => messageView(state, m)),
      modal: record.modal,
      choices: record.choices,
      raw: record.lastRaw,
    };
  }
}

const limit = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** What Discord's client would refuse about a well-typed value, said as what it must be; undefined if nothing. */
function outsideLimits(def: Record<string, unknown>, value: OptionValue): string | undefined {
  if (def.type === OptionTypes.STRING && typeof value === 'string') {
    const min = limit(def.min_length);
    const max = limit(def.max_length);
    if (min !== undefined && value.length < min) return `at least ${min} characters long (min_length)`;
    if (max !== undefined && value.length > max) return `at most ${max} characters long (max_length)`;
  }
  if ((def.type === OptionTypes.INTEGER || def.type === OptionTypes.NUMBER) && typeof value === 'number') {
    const min = limit(def.min_value);
    const max = limit(def.max_value);
    if (min !== undefined && value < min) return `at least ${min} (min_value)`;
    if (max !== undefined && value > max) return `at most ${max} (max_value)`;
  }
  if (Array.isArray(def.choices) && def.choices.length > 0) {
    const allowed = def.choices.filter(isRecord).map((c) => c.value);
    if (!allowed.includes(value)) return `one of its choices ${JSON.stringify(allowed)}`;
  }
  return undefined;
}

interface Resolved {
  users?: Record<string, unknown>;
  members?: Record<string, unknown>;
  roles?: Record<string, unknown>;
  channels?: Record<string, unknown>;
  attachments?: Record<string, unknown>;
}

function isSettled(record: InteractionRecord): boolean {
  switch (record.callbackType) {
    case undefined:
      return false;
    case 5:
    case 6:
      return record.originalEdited || record.followUpIds.length > 0;
    default:
      return true;
  }
}

function findComponent(components: unknown[], customId: string): Record<string, unknown> | undefined {
  for (const component of components) {
    if (!isRecord(component)) continue;
    if (component.custom_id === customId) return component;
    const nested = [
      ...(Array.isArray(component.components) ? component.components : []),
      ...(isRecord(component.accessory) ? [component.accessory] : []),
    ];
    const found = findComponent(nested, customId);
    if (found) return found;
  }
  return undefined;
}
