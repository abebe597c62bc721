import { ChannelType, type AnyThreadChannel, type Channel, type Client, type TextChannel } from 'discord.js';
import type { SupportedLocale } from '../core/locales.ts';
import type { ShownTakeaway, TakeawayChannel } from '../services/takeawayPort.ts';
import { discordCall, fetchChannelAs } from './discordFailure.ts';
import { translator } from './i18n.ts';
import { takeawaysMessage, thanksMessage } from './takeawayMessages.ts';

const isTextChannel = (channel: Channel): channel is TextChannel => channel.type === ChannelType.GuildText;
const isThread = (channel: Channel): channel is AnyThreadChannel => channel.isThread();

/** The takeaway service's window onto Discord. */
export class DiscordTakeawayChannel implements TakeawayChannel {
  constructor(private readonly client: Client) {}

  async postTakeaways(
    channelId: string,
    takeaways: readonly ShownTakeaway[],
    locale: SupportedLocale,
    nonce: string,
  ): Promise<{ messageId: string }> {
    const action = 'Posting takeaways';
    const channel = await fetchChannelAs(this.client, channelId, action, isTextChannel);
    const message = await discordCall(action, () =>
      channel.send({ ...takeawaysMessage(takeaways, translator(locale)), nonce, enforceNonce: true }),
    );
    return { messageId: message.id };
  }

  async editTakeaways(channelId: string, messageId: string, takeaways: readonly ShownTakeaway[], locale: SupportedLocale): Promise<void> {
    const action = 'Editing takeaways';
    const channel = await fetchChannelAs(this.client, channelId, action, isTextChannel);
    const { content, allowedMentions } = takeawaysMessage(takeaways, translator(locale));
    await discordCall(action, () => channel.messages.edit(messageId, { content, allowedMentions }));
  }

  async deleteMessage(channelId: string, messageId: string): Promise<void> {
    const action = 'Deleting takeaways';
    const channel = await fetchChannelAs(this.client, channelId, action, isTextChannel);
    await discordCall(action, () => channel.messages.delete(messageId));
  }

  async sendThanks(threadId: string, fromId: string, partnerIds: readonly string[], locale: SupportedLocale, nonce: string): Promise<void> {
    const action = 'Sending thanks';
    const thread = await fetchChannelAs(this.client, threadId, action, isThread);
    await discordCall(action, () => thread.send({ ...thanksMessage(fromId, partnerIds, translator(locale)), nonce, enforceNonce: true }));
  }
}
