import {
  ChannelType,
  DiscordAPIError,
  REST,
  RESTJSONErrorCodes,
  Routes,
  ThreadAutoArchiveDuration,
  type APIThreadChannel,
  type Client,
  type RESTPostAPIChannelThreadsJSONBody,
  type TextChannel,
  type ThreadChannel,
} from 'discord.js';
import { DiscordFailure, type GroupIntro, type PairingChannel } from '../services/discordPort.ts';
import { nonceFor } from '../services/nonce.ts';
import { toDiscordFailure } from './discordFailure.ts';
import { mentionOnly, NO_MENTIONS } from './mentions.ts';
import { checkInMessage, introMessage } from './pairingMessages.ts';

/** The round service's window onto Discord. */
export class DiscordPairingChannel implements PairingChannel {
  private singleShotRest: REST | undefined;

  constructor(private readonly client: Client) {}

  /**
   * Creating a thread has no idempotency key, so the client's automatic retry of a 5xx could open
   * a second thread for one group. This REST never retries; the round service looks the thread up
   * by name before it tries again.
   */
  private get restWithoutRetries(): REST {
    this.singleShotRest ??= new REST({ ...this.client.options.rest, retries: 0 }).setToken(this.client.token ?? '');
    return this.singleShotRest;
  }

  async isMember(guildId: string, userId: string): Promise<boolean> {
    const guild = this.client.guilds.cache.get(guildId);
    if (!guild) throw new DiscordFailure('transient', 'the server is not available');
    try {
      await guild.members.fetch({ user: userId, force: true, cache: false });
      return true;
    } catch (error) {
      if (
        error instanceof DiscordAPIError &&
        (error.code === RESTJSONErrorCodes.UnknownMember || error.code === RESTJSONErrorCodes.UnknownUser)
      )
        return false;
      throw toDiscordFailure(error, 'Checking a member');
    }
  }

  async findThread(guildId: string, channelId: string, name: string): Promise<string | undefined> {
    const guild = this.client.guilds.cache.get(guildId);
    if (!guild) return undefined;
    try {
      const active = await guild.channels.fetchActiveThreads();
      return active.threads.find((thread) => thread.parentId === channelId && thread.name === name)?.id;
    } catch (error) {
      throw toDiscordFailure(error, 'Looking for an earlier thread');
    }
  }

  async createPrivateThread(channelId: string, name: string): Promise<{ threadId: string }> {
    await this.textChannel(channelId);
    const body = {
      name,
      type: ChannelType.PrivateThread,
      invitable: false,
      auto_archive_duration: ThreadAutoArchiveDuration.OneWeek,
    } satisfies RESTPostAPIChannelThreadsJSONBody;
    try {
      const thread = (await this.restWithoutRetries.post(Routes.threads(channelId), { body })) as APIThreadChannel;
      return { threadId: thread.id };
    } catch (error) {
      throw toDiscordFailure(error, 'Opening a pairing thread');
    }
  }

  async addThreadMember(threadId: string, userId: string): Promise<void> {
    const thread = await this.thread(threadId);
    try {
      await thread.members.add(userId);
    } catch (error) {
      throw toDiscordFailure(error, 'Adding a member to the thread');
    }
  }

  async findBotMessage(threadId: string): Promise<string | undefined> {
    const thread = await this.thread(threadId);
    try {
      const recent = await thread.messages.fetch({ limit: 10, cache: false });
      return recent.find((message) => message.author.id === this.client.user?.id)?.id;
    } catch (error) {
      throw toDiscordFailure(error, 'Reading the thread');
    }
  }

  async sendIntro(threadId: string, intro: GroupIntro, nonce: string): Promise<{ messageId: string }> {
    const thread = await this.thread(threadId);
    try {
      const message = await thread.send({ ...introMessage(intro), nonce, enforceNonce: true });
      return { messageId: message.id };
    } catch (error) {
      throw toDiscordFailure(error, 'Introducing the group');
    }
  }

  async sendCheckIn(threadId: string, roundId: string, groupIndex: number): Promise<{ messageId: string }> {
    const thread = await this.thread(threadId);
    try {
      const message = await thread.send({
        ...checkInMessage(roundId, groupIndex),
        nonce: nonceFor(`check-in:${threadId}:${roundId}:${groupIndex}`),
        enforceNonce: true,
      });
      return { messageId: message.id };
    } catch (error) {
      throw toDiscordFailure(error, 'Posting the check-in');
    }
  }

  async sendNote(threadId: string, content: string, mentionUserIds: readonly string[]): Promise<void> {
    const thread = await this.thread(threadId);
    try {
      await thread.send({ content, allowedMentions: mentionOnly(mentionUserIds) });
    } catch (error) {
      throw toDiscordFailure(error, 'Posting a note');
    }
  }

  async sendChannelNote(channelId: string, content: string): Promise<void> {
    const channel = await this.textChannel(channelId);
    try {
      await channel.send({ content, allowedMentions: NO_MENTIONS });
    } catch (error) {
      throw toDiscordFailure(error, 'Posting in the pairing channel');
    }
  }

  preferredLocale(guildId: string): string {
    return this.client.guilds.cache.get(guildId)?.preferredLocale ?? 'en-US';
  }

  private async textChannel(channelId: string): Promise<TextChannel> {
    let channel;
    try {
      channel = await this.client.channels.fetch(channelId);
    } catch (error) {
      throw toDiscordFailure(error, 'Finding the pairing channel');
    }
    if (!channel || channel.type !== ChannelType.GuildText) {
      throw new DiscordFailure('channel-gone', 'the pairing channel is gone or is no longer a text channel');
    }
    return channel;
  }

  private async thread(threadId: string): Promise<ThreadChannel> {
    let channel;
    try {
      channel = await this.client.channels.fetch(threadId);
    } catch (error) {
      throw toDiscordFailure(error, 'Finding the thread');
    }
    if (!channel?.isThread()) throw new DiscordFailure('channel-gone', 'the thread is gone');
    return channel;
  }
}
