import {
  ChannelType,
  REST,
  Routes,
  ThreadAutoArchiveDuration,
  type AnyThreadChannel,
  type APIThreadChannel,
  type Channel,
  type Client,
  type Message,
  type MessageCreateOptions,
  type RESTPatchAPIChannelJSONBody,
  type RESTPostAPIChannelThreadsJSONBody,
  type TextChannel,
} from 'discord.js';
import type { SupportedLocale } from '../core/locales.ts';
import { DiscordFailure, type ChannelNote, type GroupIntro, type PairingChannel, type ThreadNote } from '../services/discordPort.ts';
import { translator } from './i18n.ts';
import { discordCall, fetchChannelAs } from './discordFailure.ts';
import { NO_MENTIONS } from './mentions.ts';
import { checkInMessage, introMessage, threadNoteMessage } from './pairingMessages.ts';

const isTextChannel = (channel: Channel): channel is TextChannel => channel.type === ChannelType.GuildText;
const isThread = (channel: Channel): channel is AnyThreadChannel => channel.isThread();

const MEMBERS_PER_REQUEST = 100;

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

  async presentMembers(guildId: string, userIds: readonly string[]): Promise<ReadonlySet<string>> {
    const guild = this.client.guilds.cache.get(guildId);
    if (!guild) throw new DiscordFailure('transient', 'the server is not available');
    const present = new Set<string>();
    // The gateway's member request by ids takes up to 100 at a time and needs no privileged intent.
    for (let start = 0; start < userIds.length; start += MEMBERS_PER_REQUEST) {
      const batch = userIds.slice(start, start + MEMBERS_PER_REQUEST);
      const found = await discordCall('Checking who is still in the server', () => guild.members.fetch({ user: [...batch], time: 30_000 }));
      for (const id of found.keys()) present.add(id);
      // Members are not kept in the cache: Bridges needs to know they are here, not who they are.
      for (const id of batch) if (id !== this.client.user?.id) guild.members.cache.delete(id);
    }
    return present;
  }

  async activeThreadCount(guildId: string): Promise<number> {
    const guild = this.client.guilds.cache.get(guildId);
    if (!guild) throw new DiscordFailure('transient', 'the server is not available');
    const active = await discordCall('Counting active threads', () => guild.channels.fetchActiveThreads(false));
    return active.threads.size;
  }

  async findThread(guildId: string, channelId: string, name: string): Promise<string | undefined> {
    const guild = this.client.guilds.cache.get(guildId);
    if (!guild) return undefined;
    const active = await discordCall('Looking for an earlier thread', () => guild.channels.fetchActiveThreads());
    return active.threads.find((thread) => thread.parentId === channelId && thread.name === name)?.id;
  }

  async createPrivateThread(channelId: string, name: string): Promise<{ threadId: string }> {
    const action = 'Opening a pairing thread';
    await fetchChannelAs(this.client, channelId, action, isTextChannel);
    const body = {
      name,
      type: ChannelType.PrivateThread,
      invitable: false,
      auto_archive_duration: ThreadAutoArchiveDuration.OneWeek,
    } satisfies RESTPostAPIChannelThreadsJSONBody;
    const thread = await discordCall(action, () => this.restWithoutRetries.post(Routes.threads(channelId), { body }));
    return { threadId: (thread as APIThreadChannel).id };
  }

  async addThreadMember(threadId: string, userId: string): Promise<void> {
    const action = 'Adding a member to the thread';
    const thread = await fetchChannelAs(this.client, threadId, action, isThread);
    await discordCall(action, () => thread.members.add(userId));
  }

  async findBotMessage(threadId: string): Promise<string | undefined> {
    const action = 'Reading the thread';
    const thread = await fetchChannelAs(this.client, threadId, action, isThread);
    const recent = await discordCall(action, () => thread.messages.fetch({ limit: 10, cache: false }));
    return recent.find((message) => message.author.id === this.client.user?.id)?.id;
  }

  async sendIntro(threadId: string, intro: GroupIntro, nonce: string): Promise<{ messageId: string }> {
    const message = await this.sendInThread(threadId, 'Introducing the group', { ...introMessage(intro), nonce, enforceNonce: true });
    return { messageId: message.id };
  }

  async editIntro(threadId: string, messageId: string, intro: GroupIntro): Promise<void> {
    const action = 'Rewriting an introduction';
    const thread = await fetchChannelAs(this.client, threadId, action, isThread);
    const { content, allowedMentions } = introMessage(intro);
    await discordCall(action, () => thread.messages.edit(messageId, { content: content ?? '', allowedMentions }));
  }

  async sendCheckIn(
    threadId: string,
    roundId: string,
    groupIndex: number,
    nonce: string,
    locale: SupportedLocale,
  ): Promise<{ messageId: string }> {
    const message = await this.sendInThread(threadId, 'Posting the check-in', {
      ...checkInMessage(roundId, groupIndex, translator(locale)),
      nonce,
      enforceNonce: true,
    });
    return { messageId: message.id };
  }

  async archiveThread(threadId: string): Promise<void> {
    const body = { archived: true } satisfies RESTPatchAPIChannelJSONBody;
    await discordCall('Archiving a pairing thread', () =>
      this.client.rest.patch(Routes.channel(threadId), { body, reason: 'The check-in window of this round closed' }),
    );
  }

  async sendNote(threadId: string, note: ThreadNote, locale: SupportedLocale): Promise<void> {
    await this.sendInThread(threadId, 'Posting a note', threadNoteMessage(note, translator(locale)));
  }

  async sendChannelNote(channelId: string, note: ChannelNote, locale: SupportedLocale): Promise<void> {
    const action = 'Posting in the pairing channel';
    const channel = await fetchChannelAs(this.client, channelId, action, isTextChannel);
    await discordCall(action, () =>
      channel.send({ content: translator(locale).t(`pairing:note.${note.kind}`), allowedMentions: NO_MENTIONS }),
    );
  }

  private async sendInThread(threadId: string, action: string, message: MessageCreateOptions): Promise<Message> {
    const thread = await fetchChannelAs(this.client, threadId, action, isThread);
    return discordCall(action, () => thread.send(message));
  }

  preferredLocale(guildId: string): string {
    return this.client.guilds.cache.get(guildId)?.preferredLocale ?? 'en-US';
  }
}
