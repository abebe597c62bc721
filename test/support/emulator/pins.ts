import type { EmulatorCore } from './core.ts';
import { ApiError, Errors } from './errors.ts';
import { Intents } from './gateway.ts';
import type { RestRequest, RestResponse, RestServer } from './http.ts';
import { Permissions, hasPermissions } from './permissions.ts';
import type { ChannelRecord, MessageRecord } from './state.ts';

/** Discord's limit of pinned messages per channel, and the error past it. */
export const MAX_PINS_PER_CHANNEL = 50;
export const maxPinsReached = () => new ApiError(400, 30003, `Maximum number of pins reached (${MAX_PINS_PER_CHANNEL})`);

/** The system message Discord posts when a message is pinned. */
const CHANNEL_PINNED_MESSAGE = 6;

function param(req: RestRequest, key: string): string {
  const value = req.params[key];
  if (value === undefined) throw Errors.notFound();
  return value;
}

/**
 * Pins as Discord does them: PUT and DELETE `/channels/{id}/pins/{message_id}` (and the newer
 * `/channels/{id}/messages/pins/{message_id}` discord.js uses), GET the pins in both shapes (empty
 * without Read Message History), Pin Messages required (Manage Messages no longer pins), at most 50
 * pins a channel (error 30003), a deleted message is Unknown Message, pinning twice changes
 * nothing, and each pin posts the "pinned a message" system message and a CHANNEL_PINS_UPDATE event.
 *
 * Registered before the `/messages/:message_id` routes, so `/messages/pins` is not read as an id.
 */
export function registerPinRoutes(server: RestServer, core: EmulatorCore): void {
  const { state } = core;
  const bot = core.options.botUserId;
  const pinnedAt = new Map<string, string>();

  const pinsOf = (channelId: string): MessageRecord[] =>
    state
      .channelMessages(channelId)
      .filter((message) => !message.deleted && pinnedAt.has(message.id))
      .sort((a, b) => (pinnedAt.get(b.id) ?? '').localeCompare(pinnedAt.get(a.id) ?? '') || (BigInt(b.id) > BigInt(a.id) ? 1 : -1));

  const pinChannel = (req: RestRequest): ChannelRecord => core.visibleChannel(param(req, 'channel_id'));
  // Without Read Message History, Discord lists no pins rather than refusing.
  const canReadHistory = (channel: ChannelRecord): boolean =>
    channel.guildId === null || hasPermissions(state.permissionsIn(channel.id, bot), Permissions.READ_MESSAGE_HISTORY);

  const announce = (channel: ChannelRecord): void => {
    const last = pinsOf(channel.id)[0];
    core.dispatch(
      'CHANNEL_PINS_UPDATE',
      {
        ...(channel.guildId ? { guild_id: channel.guildId } : {}),
        channel_id: channel.id,
        last_pin_timestamp: last ? (pinnedAt.get(last.id) ?? null) : null,
      },
      channel.guildId,
      channel.guildId ? Intents.GUILDS : Intents.DIRECT_MESSAGES,
    );
  };

  const pin = (req: RestRequest): RestResponse => {
    const channel = pinChannel(req);
    core.requirePermissions(channel, Permissions.PIN_MESSAGES);
    const message = core.message(channel.id, param(req, 'message_id'));
    if (pinnedAt.has(message.id)) return { status: 204 };
    if (pinsOf(channel.id).length >= MAX_PINS_PER_CHANNEL) throw maxPinsReached();
    pinnedAt.set(message.id, state.isoNow());
    message.pinned = true;
    core.createMessage({
      channelId: channel.id,
      authorId: bot,
      body: { content: '', message_reference: { type: 0, message_id: message.id, channel_id: channel.id } },
      type: CHANNEL_PINNED_MESSAGE,
    });
    announce(channel);
    return { status: 204 };
  };

  const unpin = (req: RestRequest): RestResponse => {
    const channel = pinChannel(req);
    core.requirePermissions(channel, Permissions.PIN_MESSAGES);
    const message = core.message(channel.id, param(req, 'message_id'));
    if (pinnedAt.delete(message.id)) {
      message.pinned = false;
      announce(channel);
    }
    return { status: 204 };
  };

  server.add('PUT', '/channels/:channel_id/pins/:message_id', pin);
  server.add('PUT', '/channels/:channel_id/messages/pins/:message_id', pin);
  server.add('DELETE', '/channels/:channel_id/pins/:message_id', unpin);
  server.add('DELETE', '/channels/:channel_id/messages/pins/:message_id', unpin);

  server.add('GET', '/channels/:channel_id/pins', (req) => {
    const channel = pinChannel(req);
    const pins = canReadHistory(channel) ? pinsOf(channel.id) : [];
    return { status: 200, body: pins.map((message) => state.messageJson(message)) };
  });

  server.add('GET', '/channels/:channel_id/messages/pins', (req) => {
    const channel = pinChannel(req);
    const limit = Math.min(Math.max(Number(req.query.get('limit') ?? 50) || 50, 1), 50);
    const before = req.query.get('before');
    const all = (canReadHistory(channel) ? pinsOf(channel.id) : []).filter(
      (message) => before === null || (pinnedAt.get(message.id) ?? '') < before,
    );
    const page = all.slice(0, limit);
    return {
      status: 200,
      body: {
        items: page.map((message) => ({ pinned_at: pinnedAt.get(message.id), message: state.messageJson(message) })),
        has_more: all.length > page.length,
      },
    };
  });
}
