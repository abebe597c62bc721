import { ChannelType, type Channel, type Client, type NewsChannel, type TextChannel } from 'discord.js';
import type { PromptChannel, PromptMessage } from '../services/discordPort.ts';
import { discordCall, fetchChannelAs, toDiscordFailure } from './discordFailure.ts';
import { NO_MENTIONS } from './mentions.ts';
import { promptEmbed } from './promptMessages.ts';

const THREAD_ARCHIVE_MINUTES = 1440;

const isPromptChannel = (channel: Channel): channel is TextChannel | NewsChannel =>
  channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement;

/** The prompt service's window onto Discord. */
export class DiscordPromptChannel implements PromptChannel {
  constructor(private readonly client: Client) {}

  async sendPrompt(message: PromptMessage): Promise<{ messageId: string }> {
    const action = 'Posting the prompt';
    const channel = await fetchChannelAs(this.client, message.channelId, action, isPromptChannel);
    const sent = await discordCall(action, () =>
      channel.send({ embeds: [promptEmbed(message)], nonce: message.nonce, enforceNonce: true, allowedMentions: NO_MENTIONS }),
    );
    return { messageId: sent.id };
  }

  async openAnswerThread(channelId: string, messageId: string, name: string): Promise<{ threadId: string }> {
    const action = 'Opening the answer thread';
    const channel = await fetchChannelAs(this.client, channelId, action, isPromptChannel);
    const thread = await discordCall(action, () =>
      channel.threads.create({ startMessage: messageId, name: name.slice(0, 100), autoArchiveDuration: THREAD_ARCHIVE_MINUTES }),
    );
    return { threadId: thread.id };
  }

  async findPostedPrompt(channelId: string, since: Date, promptText: string): Promise<string | undefined> {
    const action = 'Checking for an earlier post';
    const channel = await fetchChannelAs(this.client, channelId, action, isPromptChannel);
    try {
      const recent = await channel.messages.fetch({ limit: 50, cache: false });
      const match = recent.find(
        (candidate) =>
          candidate.author.id === this.client.user?.id &&
          candidate.createdTimestamp >= since.getTime() - 1000 &&
          candidate.embeds.some((embed) => embed.description === promptText),
      );
      return match?.id;
    } catch (error) {
      const failure = toDiscordFailure(error, action);
      // Without Read Message History the nonce alone guards against a second message.
      if (failure.kind === 'missing-permission') return undefined;
      throw failure;
    }
  }
}
