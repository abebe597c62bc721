import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes, type Channel, type Client } from 'discord.js';
import { DiscordFailure } from '../services/discordPort.ts';

/** Translates what discord.js throws into the few outcomes the services distinguish. */
export function toDiscordFailure(error: unknown, action: string): DiscordFailure {
  if (error instanceof DiscordFailure) return error;
  if (error instanceof DiscordAPIError) {
    switch (error.code) {
      case RESTJSONErrorCodes.UnknownChannel:
        return new DiscordFailure('channel-gone', `${action}: the channel no longer exists`, error);
      case RESTJSONErrorCodes.MissingAccess:
        return new DiscordFailure('missing-permission', `${action}: Bridges cannot view the channel`, error);
      case RESTJSONErrorCodes.MissingPermissions:
        return new DiscordFailure('missing-permission', `${action}: Bridges is missing a permission`, error);
      case RESTJSONErrorCodes.UnknownMember:
      case RESTJSONErrorCodes.UnknownUser:
        return new DiscordFailure('member-gone', `${action}: the member is no longer in the server`, error);
      case RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage:
        return new DiscordFailure('thread-exists', `${action}: the thread already exists`, error);
      default:
        if (error.status >= 500) return new DiscordFailure('transient', `${action}: Discord error ${error.status}`, error);
        return new DiscordFailure('transient', `${action}: Discord refused (${error.code}) ${error.message}`, error);
    }
  }
  if (error instanceof HTTPError || error instanceof RateLimitError) {
    return new DiscordFailure('transient', `${action}: ${error.message}`, error);
  }
  return new DiscordFailure('transient', `${action}: ${error instanceof Error ? error.message : String(error)}`, error);
}

/** Runs one Discord call, turning whatever it throws into a DiscordFailure that names the action. */
export async function discordCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toDiscordFailure(error, action);
  }
}

/** Fetches a channel and checks its kind; one that is missing or of another kind counts as gone. */
export async function fetchChannelAs<T extends Channel>(
  client: Client,
  channelId: string,
  action: string,
  isKind: (channel: Channel) => channel is T,
): Promise<T> {
  const channel = await discordCall(action, () => client.channels.fetch(channelId));
  if (!channel || !isKind(channel)) throw new DiscordFailure('channel-gone', `${action}: the channel is gone or no longer fits`);
  return channel;
}
