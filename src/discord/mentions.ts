import type { MessageMentionOptions } from 'discord.js';

/** Bridges pings nobody unless a message names its users; user text can never reach @everyone. */
export const NO_MENTIONS: MessageMentionOptions = { parse: [] };

export function mentionOnly(userIds: readonly string[]): MessageMentionOptions {
  return { parse: [], users: [...userIds] };
}
