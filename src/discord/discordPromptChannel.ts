import { ChannelType, type Client, type Message, type NewsChannel, type TextChannel } from 'discord.js';
import { DiscordFailure, type PromptChannel, type PromptMessage } from '../services/discordPort.ts';
import { toDiscordFailure } from './discordFailure.ts';
import { NO_MENTIONS } from './mentions.ts';
import { promptEmbed } from './promptMessages.ts';

const THREAD_ARCHIVE_MINUTES = 1440;

/** The prompt service's window onto Discord. */
export class DiscordPromptChannel implements PromptChannel {
  constructor(private readonly client: Client) {}

  async sendPrompt(message: PromptMessage): Promise<{ messageId: string }> {
    const channel = await this.textChannel(message.channelId, 'Posting the prompt');
    try {
      const sent = await channel.send({
        embeds: [promptEmbed(message)],
        nonce: message.nonce,
        enforceNonce: true,
        allowedMentions: NO_MENTIONS,
      });
      return { messageId: sent.id };
    } catch (error) {
      throw toDiscordFailure(error, 'Posting the prompt');
    }
  }

  async openAnswerThread(channelId: string, messageId: string, name: string): Promise<{ threadId: string }> {
    const channel = await this.textChannel(channelId, 'Opening the answer thread');
    try {
      const thread = await channel.threads.create({
        startMessage: messageId,
        name: name.slice(0, 100),
        autoArchiveDuration: THREAD_ARCHIVE_MINUTES,
      });
      return { threadId: thread.id };
    } catch (error) {
      throw toDiscordFailure(error, 'Opening the answer thread');
    }
  }

  async findPostedPrompt(channelId: string, since: Date, promptText: string): Promise<string | undefined> {
    const channel = await this.textChannel(channelId, 'Checking for an earlier post');
    try {
      const recent = await channel.messages.fetch({ limit: 50, cache: false });
      const match = recent.find(
        (candidate: Message) =>
          candidate.author.id === this.client.user?.id &&
          candidate.createdTimestamp >= since.getTime() - 1000 &&
          candidate.embeds.some((embed) => embed.description === promptText),
      );
      return match?.id;
    } catch (error) {
      const failure = toDiscordFailure(error, 'Checking for an earlier post');
      // Without Read Message History the nonce alone guards against a second message.
      if (failure.kind === 'missing-permission') return undefined;
      throw failure;
    }
  }

  private async textChannel(channelId: string, action: string): Promise<TextChannel | NewsChannel> {
    let channel;
    try {
      channel = await this.client.channels.fetch(channelId);
    } catch (error) {
      throw toDiscordFailure(error, action);
    }
    if (!channel || (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement)) {
      throw new DiscordFailure('channel-gone', `${action}: the channel is gone or is no longer a text channel`);
    }
    return channel;
  }
}
