import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes, type Channel, type Client } from 'discord.js';
import { DiscordFailure } from '../services/discordPort.ts';

/** Discord's "Maximum number of active threads reached" (not yet in RESTJSONErrorCodes under that name everywhere). */
const MAX_ACTIVE_THREADS = 160006;

/**
 * Translates what discord.js throws into the outcomes the services distinguish: a 429 that outlasted
 * what we are willing to wait, a transient failure (5xx, network, timeout) or a permanent one (any
 * other 4xx, classified further where the services act differently).
 */
export function toDiscordFailure(error: unknown, action: string): DiscordFailure {
  if (error instanceof DiscordFailure) return error;
  if (error instanceof RateLimitError) {
    return new DiscordFailure('rate-limited', `${action}: rate limited for ${error.retryAfter} ms`, {
      cause: error,
      retryAfterMs: error.retryAfter,
    });
  }
  if (error instanceof DiscordAPIError) {
    const details = { cause: error, code: typeof error.code === 'number' ? error.code : undefined };
    if (error.status === 429) return new DiscordFailure('rate-limited', `${action}: rate limited`, details);
    if (error.status >= 500) return new DiscordFailure('transient', `${action}: Discord error ${error.status}`, details);
    switch (error.code) {
      case RESTJSONErrorCodes.UnknownChannel:
        return new DiscordFailure('channel-gone', `${action}: the channel no longer exists`, details);
      case RESTJSONErrorCodes.MissingAccess:
        return new DiscordFailure('missing-permission', `${action}: Bridges cannot view the channel`, details);
      case RESTJSONErrorCodes.MissingPermissions:
        return new DiscordFailure('missing-permission', `${action}: Bridges is missing a permission`, details);
      case RESTJSONErrorCodes.UnknownMember:
      case RESTJSONErrorCodes.UnknownUser:
        return new DiscordFailure('member-gone', `${action}: the member is no longer in the server`, details);
      case RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage:
        return new DiscordFailure('thread-exists', `${action}: the thread already exists`, details);
      case MAX_ACTIVE_THREADS:
        return new DiscordFailure('thread-limit', `${action}: the server has reached Discord's limit of active threads`, details);
      default:
        return new DiscordFailure('rejected', `${action}: Discord refused (${error.code}) ${error.message}`, {
          ...details,
          detail: rejectionDetail(error),
        });
    }
  }
  if (error instanceof HTTPError) {
    // What discord.js throws for a 5xx it gave up retrying; a 4xx without a JSON body is a refusal.
    const kind = error.status >= 500 || error.status === 408 ? 'transient' : 'rejected';
    return new DiscordFailure(kind, `${action}: HTTP ${error.status}`, { cause: error });
  }
  // Network errors, timeouts (AbortError), gateway time-outs: nothing says it would fail again.
  return new DiscordFailure('transient', `${action}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** What a 400 Invalid Form Body objected to, from its error tree: 'too-long' covers every length limit. */
function rejectionDetail(error: DiscordAPIError): string | undefined {
  const codes: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '_errors' && Array.isArray(value)) {
        for (const entry of value) if (typeof entry === 'object' && entry !== null && 'code' in entry) codes.push(String(entry.code));
      } else {
        walk(value);
      }
    }
  };
  walk(typeof error.rawError === 'object' && error.rawError !== null && 'errors' in error.rawError ? error.rawError.errors : undefined);
  if (codes.some((code) => /MAX_LENGTH|TOO_LONG|BAD_LENGTH/.test(code))) return 'too-long';
  return codes[0]?.toLowerCase();
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
