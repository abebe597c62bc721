import { ChannelType, roleMention, type Channel, type Client, type NewsChannel, type TextChannel } from 'discord.js';
import type { ThemeCatalog } from '../core/themes.ts';
import type { AnswerThread, PromptChannel, PromptMessage } from '../services/discordPort.ts';
import { discordCall, fetchChannelAs, toDiscordFailure } from './discordFailure.ts';
import { NO_MENTIONS } from './mentions.ts';
import { answerThreadName, promptPostEmbeds } from './promptMessages.ts';

const THREAD_ARCHIVE_MINUTES = 1440;

const isPromptChannel = (channel: Channel): channel is TextChannel | NewsChannel =>
  channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement;

/** The prompt service's window onto Discord. */
export class DiscordPromptChannel implements PromptChannel {
  constructor(
    private readonly client: Client,
    private readonly catalog: ThemeCatalog,
  ) {}

  async sendPrompt(message: PromptMessage): Promise<{ messageId: string }> {
    const action = 'Posting the prompt';
    const channel = await fetchChannelAs(this.client, message.channelId, action, isPromptChannel);
    const sent = await discordCall(action, () =>
      channel.send({
        embeds: promptPostEmbeds(this.catalog, message, message.locales),
        nonce: message.nonce,
        enforceNonce: true,
        // The chosen role is pinged, and nothing else can be.
        ...(message.roleId === undefined
          ? { allowedMentions: NO_MENTIONS }
          : { content: roleMention(message.roleId), allowedMentions: { parse: [], roles: [message.roleId] } }),
      }),
    );
    return { messageId: sent.id };
  }

  async openAnswerThread(channelId: string, messageId: string, { themeId, date, locale }: AnswerThread): Promise<{ threadId: string }> {
    const name = answerThreadName(this.catalog, themeId, date, locale);
    const action = 'Opening the answer thread';
    const channel = await fetchChannelAs(this.client, channelId, action, isPromptChannel);
    const thread = await discordCall(action, () =>
      channel.threads.create({ startMessage: messageId, name: name.slice(0, 100), autoArchiveDuration: THREAD_ARCHIVE_MINUTES }),
    );
    return { threadId: thread.id };
  }

  async findPostedPrompt(channelId: string, since: Date, message: PromptMessage): Promise<string | undefined> {
    const promptText = promptPostEmbeds(this.catalog, message, message.locales)[0]?.data.description;
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

  preferredLocale(guildId: string): string {
    return this.client.guilds.cache.get(guildId)?.preferredLocale ?? 'en-US';
  }
}
