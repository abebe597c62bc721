import type { EmulatorCore, InteractionRecord } from './core.ts';
import { MessageFlags } from './core.ts';
import { ApiError, ErrorCollector, Errors } from './errors.ts';
import { Intents } from './gateway.ts';
import type { RestRequest, RestResponse, RestServer } from './http.ts';
import { Permissions, hasPermissions } from './permissions.ts';
import { ChannelType, type ChannelRecord, type CommandRecord, type MessageRecord } from './state.ts';
import { isDiscordLocale, localizationFor, type DiscordLocale } from './locales.ts';
import { isRecord, realNow } from './util.ts';
import { registerPinRoutes } from './pins.ts';
import { threadView } from './views.ts';
import {
  SpecSchemas,
  validateCommand,
  validateCommandList,
  validateInteractionCallback,
  validateMessageBody,
  validateWith,
  checkSpec,
} from './validation.ts';

const ok = (body: unknown, status = 200): RestResponse => ({ status, body });
const noContent = (): RestResponse => ({ status: 204 });

function param(req: RestRequest, key: string): string {
  const value = req.params[key];
  if (value === undefined) throw Errors.notFound();
  return value;
}

function bodyRecord(req: RestRequest): Record<string, unknown> {
  if (req.body === undefined) return {};
  if (!isRecord(req.body)) {
    const errors = new ErrorCollector();
    errors.add([], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    errors.throwIfAny();
  }
  return isRecord(req.body) ? req.body : {};
}

/**
 * How a command's localizations are shown: `full` maps (most endpoints, and the lists with
 * `with_localizations=true`), or, in the lists by default, no maps but `name_localized` and
 * `description_localized` for the requester's locale where a localization exists for it.
 */
export type LocalizationView = { kind: 'full' } | { kind: 'localized'; locale: DiscordLocale };

const FULL: LocalizationView = { kind: 'full' };

/** A command, option or choice with its maps replaced by the requester's localized fields. */
function localizedFields(item: Record<string, unknown>, locale: DiscordLocale): Record<string, unknown> {
  const { name_localizations: names, description_localizations: descriptions, ...rest } = item;
  const name = localizationFor(names, locale);
  const description = localizationFor(descriptions, locale);
  return {
    ...rest,
    ...(name !== undefined ? { name_localized: name } : {}),
    ...(description !== undefined ? { description_localized: description } : {}),
    ...(Array.isArray(rest.options) ? { options: rest.options.map((o: unknown) => (isRecord(o) ? localizedFields(o, locale) : o)) } : {}),
    ...(Array.isArray(rest.choices) ? { choices: rest.choices.map((c: unknown) => (isRecord(c) ? localizedFields(c, locale) : c)) } : {}),
  };
}

export function commandJson(command: CommandRecord, view: LocalizationView = FULL): Record<string, unknown> {
  const d = command.definition;
  const dmp = d.default_member_permissions;
  const json: Record<string, unknown> = {
    id: command.id,
    application_id: command.applicationId,
    version: command.version,
    default_member_permissions: typeof dmp === 'string' ? dmp : null,
    type: typeof d.type === 'number' ? d.type : 1,
    name: d.name,
    name_localizations: d.name_localizations ?? null,
    description: typeof d.description === 'string' ? d.description : '',
    description_localizations: d.description_localizations ?? null,
    ...(command.guildId ? { guild_id: command.guildId } : {}),
    dm_permission: d.dm_permission ?? true,
    contexts: Array.isArray(d.contexts) ? d.contexts : command.guildId ? null : [0, 1, 2],
    integration_types: Array.isArray(d.integration_types) ? d.integration_types : [0],
    nsfw: d.nsfw === true,
    ...(Array.isArray(d.options) ? { options: d.options } : {}),
  };
  return view.kind === 'full' ? json : localizedFields(json, view.locale);
}

/**
 * The list endpoints' view: full maps with `with_localizations=true`, else the requester's locale
 * from X-Discord-Locale, then Accept-Language, then the user's settings (en-US for the bot).
 */
function listView(req: RestRequest): LocalizationView {
  if (req.query.get('with_localizations') === 'true') return FULL;
  const header = req.headers['x-discord-locale'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (isDiscordLocale(fromHeader)) return { kind: 'localized', locale: fromHeader };
  const accepted = (req.headers['accept-language'] ?? '').split(',').map((part) => part.split(';')[0]?.trim());
  const fromAccept = accepted.find(isDiscordLocale);
  return { kind: 'localized', locale: fromAccept ?? 'en-US' };
}

/** Interaction follow-ups and edits are called with the interaction's token and skip the global limit. */
const INTERACTION_ENDPOINT = { auth: false, globalLimit: false } as const;

export function registerRestRoutes(server: RestServer, core: EmulatorCore): void {
  const { state, options } = core;
  const bot = options.botUserId;
  const gatewayUrl = (): string => core.gatewayUrl();

  // ---- gateway / identity ------------------------------------------------------------------------
  server.add('GET', '/gateway', () => ok({ url: gatewayUrl() }), { auth: false });
  server.add('GET', '/gateway/bot', () =>
    ok({
      url: gatewayUrl(),
      shards: core.recommendedShards(),
      session_start_limit: core.gateway.sessionStartLimit,
    }),
  );
  server.add('GET', '/users/@me', () => ok(state.userJson(bot)));
  server.add('GET', '/users/:user_id', (req) => {
    const id = param(req, 'user_id');
    if (!state.users.has(id)) throw Errors.unknownUser();
    return ok(state.userJson(id));
  });
  const application = (): RestResponse =>
    ok({
      id: options.applicationId,
      name: state.users.get(bot)?.username ?? 'Bridges',
      icon: null,
      description: '',
      summary: '',
      type: null,
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 1 << 19,
      hook: true,
      is_monetized: false,
      team: null,
      owner: { id: '0', username: 'owner', discriminator: '0', avatar: null, global_name: null, public_flags: 0, flags: 0 },
      bot: state.userJson(bot),
      approximate_guild_count: [...state.guilds.values()].filter((g) => g.botJoined).length,
      integration_types_config: { '0': {} },
      install_params: { scopes: ['bot', 'applications.commands'], permissions: '0' },
    });
  server.add('GET', '/applications/@me', application);
  server.add('GET', '/oauth2/applications/@me', application);

  server.add('POST', '/users/@me/channels', (req) => {
    const body = bodyRecord(req);
    const recipient = body.recipient_id;
    if (typeof recipient !== 'string' || !state.users.has(recipient)) {
      const errors = new ErrorCollector();
      errors.add(['recipient_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
      errors.throwIfAny();
    }
    return ok(state.channelJson(core.openDm(String(recipient))));
  });
  server.add('DELETE', '/users/@me/guilds/:guild_id', (req) => {
    const guild = state.guilds.get(param(req, 'guild_id'));
    if (!guild || !guild.botJoined) throw Errors.unknownGuild();
    core.removeBotFromGuild(guild.id);
    return noContent();
  });

  // ---- application commands ------------------------------------------------------------------
  const appId = (req: RestRequest): string => {
    const id = param(req, 'application_id');
    if (id !== options.applicationId) throw Errors.missingAccess();
    return id;
  };
  const guildForCommands = (req: RestRequest): string => {
    const guildId = param(req, 'guild_id');
    const guild = state.guilds.get(guildId);
    if (!guild || !guild.botJoined) throw Errors.missingAccess();
    return guildId;
  };
  const listCommands = (guildId: string | null): CommandRecord[] => [...state.commands.values()].filter((c) => c.guildId === guildId);
  /** Discord keys a command by name and type: re-registering one keeps its id. */
  const sameCommand = (commands: CommandRecord[], definition: CommandRecord['definition']): CommandRecord | undefined =>
    commands.find((c) => c.definition.name === definition.name && (c.definition.type ?? 1) === (definition.type ?? 1));
  const storeCommand = (
    guildId: string | null,
    definition: CommandRecord['definition'],
    previous: CommandRecord | undefined,
  ): CommandRecord => {
    const record: CommandRecord = {
      id: previous?.id ?? state.ids.next(),
      applicationId: options.applicationId,
      guildId,
      version: state.ids.next(),
      definition,
    };
    state.commands.set(record.id, record);
    return record;
  };
  const overwrite = (guildId: string | null, body: unknown): RestResponse => {
    const definitions = validateCommandList(body);
    const existing = listCommands(guildId);
    for (const command of existing) state.commands.delete(command.id);
    const created = definitions.map((definition) => storeCommand(guildId, definition, sameCommand(existing, definition)));
    core.events.emit('commands', { guildId, commands: created });
    return ok(created.map((command) => commandJson(command)));
  };
  const createOne = (guildId: string | null, body: unknown): RestResponse => {
    const definition = validateCommand(body);
    const previous = sameCommand(listCommands(guildId), definition);
    return ok(commandJson(storeCommand(guildId, definition, previous)), previous ? 200 : 201);
  };
  const getOne = (guildId: string | null, id: string): CommandRecord => {
    const command = state.commands.get(id);
    if (!command || command.guildId !== guildId) throw Errors.unknownCommand();
    return command;
  };
  /** An edit changes only the fields it sends; the command that results is validated as a whole. */
  const editOne = (guildId: string | null, id: string, req: RestRequest): RestResponse => {
    const command = getOne(guildId, id);
    const { type: _ignoredType, ...patch } = bodyRecord(req);
    const definition = validateCommand({ ...command.definition, ...patch });
    const other = sameCommand(
      listCommands(guildId).filter((c) => c.id !== command.id),
      definition,
    );
    if (other) {
      const errors = new ErrorCollector();
      errors.add(['name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
      errors.throwIfAny();
    }
    command.definition = definition;
    command.version = state.ids.next();
    return ok(commandJson(command));
  };
  const list = (guildId: string | null, req: RestRequest): RestResponse => {
    const view = listView(req);
    return ok(listCommands(guildId).map((command) => commandJson(command, view)));
  };
  server.add('GET', '/applications/:application_id/commands', (req) => (appId(req), list(null, req)));
  server.add('PUT', '/applications/:application_id/commands', (req) => (appId(req), overwrite(null, req.body)));
  server.add('POST', '/applications/:application_id/commands', (req) => (appId(req), createOne(null, req.body)));
  server.add(
    'GET',
    '/applications/:application_id/commands/:command_id',
    (req) => (appId(req), ok(commandJson(getOne(null, param(req, 'command_id'))))),
  );
  server.add('PATCH', '/applications/:application_id/commands/:command_id', (req) => {
    appId(req);
    return editOne(null, param(req, 'command_id'), req);
  });
  server.add('DELETE', '/applications/:application_id/commands/:command_id', (req) => {
    appId(req);
    state.commands.delete(getOne(null, param(req, 'command_id')).id);
    return noContent();
  });
  server.add('GET', '/applications/:application_id/guilds/:guild_id/commands', (req) => {
    appId(req);
    return list(guildForCommands(req), req);
  });
  server.add('GET', '/applications/:application_id/guilds/:guild_id/commands/:command_id', (req) => {
    appId(req);
    return ok(commandJson(getOne(guildForCommands(req), param(req, 'command_id'))));
  });
  server.add('PATCH', '/applications/:application_id/guilds/:guild_id/commands/:command_id', (req) => {
    appId(req);
    return editOne(guildForCommands(req), param(req, 'command_id'), req);
  });
  server.add('PUT', '/applications/:application_id/guilds/:guild_id/commands', (req) => {
    appId(req);
    return overwrite(guildForCommands(req), req.body);
  });
  server.add('POST', '/applications/:application_id/guilds/:guild_id/commands', (req) => {
    appId(req);
    return createOne(guildForCommands(req), req.body);
  });
  server.add('DELETE', '/applications/:application_id/guilds/:guild_id/commands/:command_id', (req) => {
    appId(req);
    state.commands.delete(getOne(guildForCommands(req), param(req, 'command_id')).id);
    return noContent();
  });

  // ---- interactions --------------------------------------------------------------------------
  server.add(
    'POST',
    '/interactions/:interaction_id/:interaction_token/callback',
    (req) => {
      const interaction = core.interactions.get(param(req, 'interaction_id'));
      if (!interaction || interaction.token !== param(req, 'interaction_token')) throw Errors.unknownInteraction();
      const deadline = options.interactionAckDeadlineMs;
      if (deadline !== null && realNow() - interaction.createdAt > deadline) {
        interaction.error = Errors.unknownInteraction();
        core.notifyInteraction(interaction);
        throw Errors.unknownInteraction();
      }
      if (interaction.callbackType !== undefined) throw Errors.alreadyAcknowledged();
      let parsed: { type: number; data: Record<string, unknown> | undefined };
      try {
        parsed = validateInteractionCallback(req.body);
        checkCallbackAllowed(interaction, parsed.type);
      } catch (error) {
        if (error instanceof ApiError) {
          interaction.error = error;
          core.notifyInteraction(interaction);
        }
        throw error;
      }
      const message = applyCallback(core, interaction, parsed.type, parsed.data, req);
      if (req.query.get('with_response') !== 'true') return noContent();
      return ok({
        interaction: {
          id: interaction.id,
          type: interaction.type,
          ...(message
            ? {
                response_message_id: message.id,
                response_message_loading: (message.flags & MessageFlags.LOADING) !== 0,
                response_message_ephemeral: message.ephemeral,
              }
            : {}),
        },
        resource: {
          type: parsed.type,
          ...(message && (parsed.type === 4 || parsed.type === 5 || parsed.type === 7) ? { message: state.messageJson(message) } : {}),
        },
      });
    },
    { auth: false, globalLimit: false, routeLimit: false },
  );

  const webhookInteraction = (req: RestRequest): InteractionRecord => {
    const interaction = core.interactionsByToken.get(param(req, 'webhook_token'));
    if (!interaction || param(req, 'webhook_id') !== options.applicationId || interaction.callbackType === undefined)
      throw Errors.unknownWebhook();
    return interaction;
  };
  const webhookMessage = (interaction: InteractionRecord, messageId: string): MessageRecord => {
    const id = messageId === '@original' ? interaction.originalMessageId : messageId;
    const message = id ? state.messages.get(id) : undefined;
    if (!message || message.deleted) throw Errors.unknownMessage();
    if (messageId !== '@original' && !interaction.followUpIds.includes(message.id) && message.id !== interaction.originalMessageId)
      throw Errors.unknownMessage();
    return message;
  };
  server.add(
    'POST',
    '/webhooks/:webhook_id/:webhook_token',
    (req) => {
      const interaction = webhookInteraction(req);
      const body = validateMessageBody(bodyRecord(req), 'webhook', { hasFiles: req.files.length > 0 });
      const original = interaction.originalMessageId ? state.messages.get(interaction.originalMessageId) : undefined;
      // On Discord the first follow-up after a deferred reply replaces the "thinking…" message.
      if (interaction.callbackType === 5 && original && (original.flags & MessageFlags.LOADING) !== 0) {
        core.editMessage(original, body, req.files);
        interaction.originalEdited = true;
        interaction.lastRaw = body;
        core.notifyInteraction(interaction);
        return ok(state.messageJson(original));
      }
      const flags = typeof body.flags === 'number' ? body.flags : 0;
      const message = core.createMessage({
        channelId: interaction.channelId,
        authorId: bot,
        body,
        files: req.files,
        webhookId: options.applicationId,
        interactionId: interaction.id,
        ephemeral: (flags & MessageFlags.EPHEMERAL) !== 0,
      });
      interaction.followUpIds.push(message.id);
      interaction.lastRaw = body;
      core.notifyInteraction(interaction);
      return ok(state.messageJson(message));
    },
    INTERACTION_ENDPOINT,
  );
  server.add(
    'GET',
    '/webhooks/:webhook_id/:webhook_token/messages/:message_id',
    (req) => ok(state.messageJson(webhookMessage(webhookInteraction(req), param(req, 'message_id')))),
    INTERACTION_ENDPOINT,
  );
  server.add(
    'PATCH',
    '/webhooks/:webhook_id/:webhook_token/messages/:message_id',
    (req) => {
      const interaction = webhookInteraction(req);
      const message = webhookMessage(interaction, param(req, 'message_id'));
      const body = validateMessageBody(bodyRecord(req), 'webhookEdit');
      core.editMessage(message, body, req.files);
      if (message.id === interaction.originalMessageId) interaction.originalEdited = true;
      interaction.lastRaw = body;
      core.notifyInteraction(interaction);
      return ok(state.messageJson(message));
    },
    INTERACTION_ENDPOINT,
  );
  server.add(
    'DELETE',
    '/webhooks/:webhook_id/:webhook_token/messages/:message_id',
    (req) => {
      const interaction = webhookInteraction(req);
      core.deleteMessage(webhookMessage(interaction, param(req, 'message_id')));
      core.notifyInteraction(interaction);
      return noContent();
    },
    INTERACTION_ENDPOINT,
  );

  // ---- channels & messages -------------------------------------------------------------------
  server.add('GET', '/channels/:channel_id', (req) => ok(state.channelJson(core.visibleChannel(param(req, 'channel_id')))));

  server.add('PATCH', '/channels/:channel_id', (req) => {
    const channel = core.visibleChannel(param(req, 'channel_id'));
    const body = bodyRecord(req);
    if (channel.thread) {
      validateWith(SpecSchemas.threadUpdate, body);
      const thread = channel.thread;
      const perms = state.permissionsIn(channel.id, bot);
      const moderator = hasPermissions(perms, Permissions.MANAGE_THREADS);
      const owner = thread.ownerId === bot;
      const onlyReopens = Object.keys(body).every((key) => key === 'archived') && body.archived === false;
      const moderatorOnly = ['locked', 'invitable', 'rate_limit_per_user'].some((key) => body[key] !== undefined);
      // The creator may rename, archive or reopen; any member may reopen an unlocked thread.
      const allowed = moderator || (!moderatorOnly && (owner || (onlyReopens && !thread.locked && thread.memberIds.has(bot))));
      if (!allowed) throw Errors.missingPermissions();
      if (thread.archived && body.archived !== false) throw new ApiError(400, 50083, 'Thread is archived');
      const reopening = thread.archived && body.archived === false;
      if (reopening) core.ensureRoomForActiveThread(channel.guildId);
      if (typeof body.name === 'string') channel.name = body.name;
      if (typeof body.locked === 'boolean') thread.locked = body.locked;
      if (typeof body.invitable === 'boolean' && channel.type === ChannelType.PrivateThread) thread.invitable = body.invitable;
      if (typeof body.auto_archive_duration === 'number') thread.autoArchiveDuration = body.auto_archive_duration;
      if (typeof body.archived === 'boolean' && body.archived !== thread.archived) state.setThreadArchived(channel, body.archived);
      core.events.emit('thread', { kind: 'update', thread: threadView(channel) });
      core.dispatchChannel('CHANNEL_UPDATE', channel);
      if (reopening) core.announceReopenedThread(channel);
      return ok(state.channelJson(channel));
    } else {
      core.requirePermissions(channel, Permissions.MANAGE_CHANNELS);
      if (typeof body.name === 'string') channel.name = body.name;
      if (typeof body.topic === 'string' || body.topic === null) channel.topic = body.topic;
    }
    core.dispatchChannel('CHANNEL_UPDATE', channel);
    return ok(state.channelJson(channel));
  });

  server.add('DELETE', '/channels/:channel_id', (req) => {
    const channel = core.visibleChannel(param(req, 'channel_id'));
    core.requirePermissions(channel, channel.thread ? Permissions.MANAGE_THREADS : Permissions.MANAGE_CHANNELS);
    core.deleteChannel(channel.id);
    return ok(state.channelJson(channel));
  });

  registerPinRoutes(server, core);

  server.add('GET', '/channels/:channel_id/messages', (req) => {
    const channel = core.visibleChannel(param(req, 'channel_id'));
    if (channel.guildId && !hasPermissions(state.permissionsIn(channel.id, bot), Permissions.READ_MESSAGE_HISTORY)) return ok([]);
    const limit = Math.min(Math.max(Number(req.query.get('limit') ?? 50) || 50, 1), 100);
    const before = req.query.get('before');
    const after = req.query.get('after');
    const around = req.query.get('around');
    let list = state.channelMessages(channel.id).filter((m) => !m.ephemeral);
    if (before) list = list.filter((m) => BigInt(m.id) < BigInt(before));
    if (after) list = list.filter((m) => BigInt(m.id) > BigInt(after));
    if (around) {
      const index = list.findIndex((m) => BigInt(m.id) >= BigInt(around));
      const start = Math.max(0, (index < 0 ? list.length : index) - Math.floor(limit / 2));
      list = list.slice(start, start + limit);
    } else if (after && !before) {
      list = list.slice(0, limit);
    } else {
      list = list.slice(-limit);
    }
    return ok(list.reverse().map((m) => state.messageJson(m)));
  });

  server.add('GET', '/channels/:channel_id/messages/:message_id', (req) => {
    const channel = core.visibleChannel(param(req, 'channel_id'));
    core.requirePermissions(channel, Permissions.READ_MESSAGE_HISTORY);
    const message = core.message(channel.id, param(req, 'message_id'));
    if (message.ephemeral) throw Errors.unknownMessage();
    return ok(state.messageJson(message));
  });

  server.add('POST', '/channels/:channel_id/messages', (req) => {
    const channel = core.visibleChannel(param(req, 'channel_id'));
    const body = validateMessageBody(bodyRecord(req), 'channel', { hasFiles: req.files.length > 0 });
    if (channel.type === ChannelType.GuildCategory || channel.type === ChannelType.GuildForum)
      throw new ApiError(400, 50008, 'Cannot send messages in a non-text channel');
    let required = channel.thread ? Permissions.SEND_MESSAGES_IN_THREADS : Permissions.SEND_MESSAGES;
    if (Array.isArray(body.embeds) && body.embeds.length > 0) required |= Permissions.EMBED_LINKS;
    if (req.files.length > 0) required |= Permissions.ATTACH_FILES;
    core.requirePermissions(channel, required);
    if (channel.thread?.archived) {
      if (channel.thread.locked && !hasPermissions(state.permissionsIn(channel.id, bot), Permissions.MANAGE_THREADS))
        throw Errors.threadLocked();
      // Sending reopens the thread, which needs room under the guild's active-thread limit.
      core.unarchiveThread(channel);
    }
    const nonce = body.nonce;
    if (body.enforce_nonce === true && (typeof nonce === 'string' || typeof nonce === 'number')) {
      const duplicate = core.findNonceDuplicate(channel.id, bot, nonce);
      if (duplicate) return ok(state.messageJson(duplicate));
    }
    const reply = isRecord(body.message_reference) && body.message_reference.type !== 1;
    const message = core.createMessage({ channelId: channel.id, authorId: bot, body, files: req.files, type: reply ? 19 : 0 });
    return ok(state.messageJson(message));
  });

  server.add('PATCH', '/channels/:channel_id/messages/:message_id', (req) => {
    const channel = core.visibleChannel(param(req, 'channel_id'));
    const message = core.message(channel.id, param(req, 'message_id'));
    const body = validateMessageBody(bodyRecord(req), 'channelEdit');
    if (message.authorId !== bot) {
      const onlyFlags = Object.keys(body).every((k) => k === 'flags');
      if (!onlyFlags) throw Errors.cannotEditOthers();
      core.requirePermissions(channel, Permissions.MANAGE_MESSAGES);
    }
    if (Array.isArray(body.embeds) && body.embeds.length > 0) core.requirePermissions(channel, Permissions.EMBED_LINKS);
    core.editMessage(message, body, req.files);
    return ok(state.messageJson(message));
  });

  server.add('DELETE', '/channels/:channel_id/messages/:message_id', (req) => {
    const channel = core.visibleChannel(param(req, 'channel_id'));
    const message = core.message(channel.id, param(req, 'message_id'));
    if (message.authorId !== bot) core.requirePermissions(channel, Permissions.MANAGE_MESSAGES);
    core.deleteMessage(message);
    return noContent();
  });

  server.add('POST', '/channels/:channel_id/typing', (req) => {
    const channel = core.visibleChannel(param(req, 'channel_id'));
    core.requirePermissions(channel, channel.thread ? Permissions.SEND_MESSAGES_IN_THREADS : Permissions.SEND_MESSAGES);
    return noContent();
  });

  server.add('POST', '/channels/:channel_id/messages/:message_id/threads', (req) => {
    const channel = core.visibleChannel(param(req, 'channel_id'));
    if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) throw Errors.wrongChannelType();
    const message = core.message(channel.id, param(req, 'message_id'));
    const body = validateWith(SpecSchemas.threadFromMessage, bodyRecord(req));
    core.requirePermissions(channel, Permissions.CREATE_PUBLIC_THREADS | Permissions.READ_MESSAGE_HISTORY);
    if (message.threadId) throw Errors.threadAlreadyCreated();
    const thread = core.createThread(channel, {
      name: String(body.name),
      type: channel.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread,
      ownerId: bot,
      autoArchiveDuration: typeof body.auto_archive_duration === 'number' ? body.auto_archive_duration : undefined,
      starterMessage: message,
    });
    return ok(state.channelJson(thread), 201);
  });

  server.add('POST', '/channels/:channel_id/threads', (req) => {
    const channel = core.visibleChannel(param(req, 'channel_id'));
    const raw = bodyRecord(req);
    if (channel.type === ChannelType.GuildForum) {
      const errors = new ErrorCollector();
      checkSpec(SpecSchemas.forumThread, raw, errors);
      if (!isRecord(raw.message)) errors.add(['message'], 'BASE_TYPE_REQUIRED', 'This field is required');
      errors.throwIfAny();
      const messageBody = validateMessageBody(raw.message, 'channel', { hasFiles: req.files.length > 0 });
      let required = Permissions.SEND_MESSAGES;
      if (Array.isArray(messageBody.embeds) && messageBody.embeds.length > 0) required |= Permissions.EMBED_LINKS;
      core.requirePermissions(channel, required);
      const id = state.ids.next();
      const thread = core.createThread(channel, { id, name: String(raw.name), type: ChannelType.PublicThread, ownerId: bot });
      const message = core.createMessage({ channelId: thread.id, authorId: bot, body: messageBody, files: req.files });
      if (thread.thread) thread.thread.starterMessageId = message.id;
      return ok({ ...state.channelJson(thread), message: state.messageJson(message) }, 201);
    }
    if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) throw Errors.wrongChannelType();
    const body = validateWith(SpecSchemas.threadWithoutMessage, raw);
    const type =
      typeof body.type === 'number'
        ? body.type
        : channel.type === ChannelType.GuildAnnouncement
          ? ChannelType.AnnouncementThread
          : ChannelType.PrivateThread;
    const allowed: number[] =
      channel.type === ChannelType.GuildAnnouncement
        ? [ChannelType.AnnouncementThread]
        : [ChannelType.PublicThread, ChannelType.PrivateThread];
    if (!allowed.includes(type)) {
      const errors = new ErrorCollector();
      errors.add(['type'], 'BASE_TYPE_CHOICES', 'Value must be a thread type allowed in this channel.');
      errors.throwIfAny();
    }
    core.requirePermissions(
      channel,
      type === ChannelType.PrivateThread ? Permissions.CREATE_PRIVATE_THREADS : Permissions.CREATE_PUBLIC_THREADS,
    );
    const thread = core.createThread(channel, {
      name: String(body.name),
      type,
      ownerId: bot,
      invitable: typeof body.invitable === 'boolean' ? body.invitable : undefined,
      autoArchiveDuration: typeof body.auto_archive_duration === 'number' ? body.auto_archive_duration : undefined,
    });
    return ok(state.channelJson(thread), 201);
  });

  const threadOf = (req: RestRequest): ChannelRecord & { thread: NonNullable<ChannelRecord['thread']> } => {
    const channel = core.visibleChannel(param(req, 'channel_id'));
    if (!channel.thread) throw Errors.wrongChannelType();
    return channel as ChannelRecord & { thread: NonNullable<ChannelRecord['thread']> };
  };
  server.add('PUT', '/channels/:channel_id/thread-members/:user_id', (req) => {
    const thread = threadOf(req);
    const rawUser = param(req, 'user_id');
    const userId = rawUser === '@me' ? bot : rawUser;
    if (!thread.guildId || !state.member(thread.guildId, userId)) throw Errors.unknownMember();
    // Discord lets nobody join an archived thread; posting in it reopens it first.
    if (thread.thread.archived) throw Errors.threadLocked();
    if (userId !== bot) {
      const perms = state.permissionsIn(thread.id, bot);
      if (!hasPermissions(perms, Permissions.SEND_MESSAGES_IN_THREADS)) throw Errors.missingPermissions();
      if (
        thread.type === ChannelType.PrivateThread &&
        !hasPermissions(perms, Permissions.MANAGE_THREADS) &&
        (!thread.thread.memberIds.has(bot) || (thread.thread.invitable === false && thread.thread.ownerId !== bot))
      )
        throw Errors.missingPermissions();
    }
    core.addThreadMember(thread, userId);
    return noContent();
  });
  server.add('DELETE', '/channels/:channel_id/thread-members/:user_id', (req) => {
    const thread = threadOf(req);
    const rawUser = param(req, 'user_id');
    const userId = rawUser === '@me' ? bot : rawUser;
    if (userId !== bot && thread.thread.ownerId !== bot) core.requirePermissions(thread, Permissions.MANAGE_THREADS);
    if (!thread.thread.memberIds.has(userId)) throw Errors.unknownMember();
    thread.thread.memberIds.delete(userId);
    core.events.emit('thread', { kind: 'member-remove', thread: threadView(thread), userId });
    return noContent();
  });
  server.add('GET', '/channels/:channel_id/thread-members', (req) => {
    const thread = threadOf(req);
    return ok(
      [...thread.thread.memberIds].map((userId) => ({
        id: thread.id,
        user_id: userId,
        join_timestamp: thread.thread.createTimestamp,
        flags: 0,
      })),
    );
  });

  // ---- guilds ----------------------------------------------------------------------------------
  const guildOf = (req: RestRequest): string => {
    const guild = state.guilds.get(param(req, 'guild_id'));
    if (!guild) throw Errors.unknownGuild();
    if (!guild.botJoined) throw Errors.missingAccess();
    return guild.id;
  };
  server.add('GET', '/guilds/:guild_id', (req) => {
    const guild = state.guilds.get(guildOf(req));
    if (!guild) throw Errors.unknownGuild();
    const counts =
      req.query.get('with_counts') === 'true'
        ? { approximate_member_count: state.memberCount(guild.id), approximate_presence_count: 0 }
        : {};
    return ok({ ...state.guildJson(guild), ...counts });
  });
  server.add('GET', '/guilds/:guild_id/channels', (req) => ok(state.guildChannels(guildOf(req)).map((c) => state.channelJson(c))));
  server.add('GET', '/guilds/:guild_id/roles', (req) => ok(state.guildRoles(guildOf(req)).map((r) => state.roleJson(r))));
  server.add('GET', '/guilds/:guild_id/threads/active', (req) => {
    const guildId = guildOf(req);
    const threads = state.activeGuildThreads(guildId);
    return ok({
      threads: threads.map((t) => state.channelJson(t)),
      members: threads
        .filter((t) => t.thread?.memberIds.has(bot))
        .map((t) => ({ id: t.id, user_id: bot, join_timestamp: t.thread?.createTimestamp, flags: 0 })),
    });
  });
  server.add('GET', '/guilds/:guild_id/members/:user_id', (req) => {
    const guildId = guildOf(req);
    const userId = param(req, 'user_id');
    const member = state.member(guildId, userId);
    if (!member) throw state.users.has(userId) || /^\d+$/.test(userId) ? Errors.unknownMember() : Errors.unknownUser();
    return ok(state.memberJson(member));
  });
  server.add('GET', '/guilds/:guild_id/members', (req) => {
    const guildId = guildOf(req);
    if ((core.allowedPrivilegedIntents & Intents.GUILD_MEMBERS) === 0) throw Errors.missingAccess();
    const limit = Math.min(Math.max(Number(req.query.get('limit') ?? 1) || 1, 1), 1000);
    const after = BigInt(req.query.get('after') ?? '0');
    const members = state
      .guildMembers(guildId)
      .filter((m) => BigInt(m.userId) > after)
      .sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1))
      .slice(0, limit);
    return ok(members.map((m) => state.memberJson(m)));
  });
}

function checkCallbackAllowed(interaction: InteractionRecord, type: number): void {
  const allowed: Record<number, number[]> = {
    2: [4, 5, 9],
    3: [4, 5, 6, 7, 9],
    4: [8],
    5: interaction.sourceMessageId ? [4, 5, 6, 7] : [4, 5],
  };
  if (!(allowed[interaction.type] ?? []).includes(type)) {
    const errors = new ErrorCollector();
    errors.add(
      ['type'],
      'INTERACTION_CALLBACK_TYPE_INVALID',
      `Callback type ${type} is not valid for interaction type ${interaction.type}`,
    );
    errors.throwIfAny();
  }
}

function applyCallback(
  core: EmulatorCore,
  interaction: InteractionRecord,
  type: number,
  data: Record<string, unknown> | undefined,
  req: RestRequest,
): MessageRecord | undefined {
  const bot = core.options.botUserId;
  const flags = typeof data?.flags === 'number' ? data.flags : 0;
  let message: MessageRecord | undefined;
  interaction.callbackType = type;
  interaction.callbackBody = req.body;
  interaction.lastRaw = req.body;
  const messageType = interaction.type === 2 ? 20 : 0;
  switch (type) {
    case 4:
      message = core.createMessage({
        channelId: interaction.channelId,
        authorId: bot,
        body: data ?? {},
        files: req.files,
        webhookId: core.options.applicationId,
        interactionId: interaction.id,
        ephemeral: (flags & MessageFlags.EPHEMERAL) !== 0,
        type: messageType,
      });
      interaction.originalMessageId = message.id;
      interaction.ephemeral = message.ephemeral;
      break;
    case 5:
      message = core.createMessage({
        channelId: interaction.channelId,
        authorId: bot,
        body: {},
        webhookId: core.options.applicationId,
        interactionId: interaction.id,
        ephemeral: (flags & MessageFlags.EPHEMERAL) !== 0,
        flags: MessageFlags.LOADING,
        type: messageType,
      });
      interaction.originalMessageId = message.id;
      interaction.ephemeral = message.ephemeral;
      break;
    case 6:
      interaction.originalMessageId = interaction.sourceMessageId;
      break;
    case 7: {
      interaction.originalMessageId = interaction.sourceMessageId;
      const source = interaction.sourceMessageId ? core.state.messages.get(interaction.sourceMessageId) : undefined;
      if (source) {
        message = core.editMessage(source, data ?? {}, req.files);
        interaction.ephemeral = source.ephemeral;
      }
      interaction.originalEdited = true;
      break;
    }
    case 8:
      interaction.choices = Array.isArray(data?.choices) ? data.choices : [];
      break;
    case 9:
      interaction.modal = data;
      break;
    default:
      break;
  }
  core.notifyInteraction(interaction);
  return message;
}
