import type { Client } from 'discord.js';
import { isDiscordFailure, type ThreadActivity } from '../services/discordPort.ts';
import { discordCall } from './discordFailure.ts';

export class DiscordThreadActivity implements ThreadActivity {
  constructor(private readonly client: Client) {}

  async replyCount(threadId: string): Promise<number | undefined> {
    try {
      // Forced: the cached thread's count is as old as the last event that carried it.
      const channel = await discordCall('Reading an answer thread', () => this.client.channels.fetch(threadId, { force: true }));
      return channel?.isThread() ? (channel.messageCount ?? undefined) : undefined;
    } catch (error) {
      if (isDiscordFailure(error, 'channel-gone')) return undefined;
      throw error;
    }
  }
}
