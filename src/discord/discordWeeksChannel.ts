import { ChannelType, type Channel, type Client, type NewsChannel, type TextChannel } from 'discord.js';
import type { ThemeCatalog } from '../core/themes.ts';
import type { WeekAnnouncement, WeeksChannel } from '../services/promptWeeks.ts';
import { discordCall, fetchChannelAs } from './discordFailure.ts';
import { NO_MENTIONS } from './mentions.ts';
import { weekAnnouncementEmbeds } from './weeksMessages.ts';

const isPromptChannel = (channel: Channel): channel is TextChannel | NewsChannel =>
  channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement;

/** Pins and week announcements in the prompt channel. */
export class DiscordWeeksChannel implements WeeksChannel {
  constructor(
    private readonly client: Client,
    private readonly catalog: ThemeCatalog,
  ) {}

  async pinMessage(channelId: string, messageId: string): Promise<void> {
    const action = 'Pinning the prompt';
    const channel = await fetchChannelAs(this.client, channelId, action, isPromptChannel);
    await discordCall(action, () => channel.messages.pin(messageId));
  }

  async unpinMessage(channelId: string, messageId: string): Promise<void> {
    const action = 'Unpinning the previous prompt';
    const channel = await fetchChannelAs(this.client, channelId, action, isPromptChannel);
    await discordCall(action, () => channel.messages.unpin(messageId));
  }

  async sendWeekAnnouncement(announcement: WeekAnnouncement): Promise<{ messageId: string }> {
    const action = 'Announcing the week';
    const channel = await fetchChannelAs(this.client, announcement.channelId, action, isPromptChannel);
    const sent = await discordCall(action, () =>
      channel.send({
        embeds: weekAnnouncementEmbeds(this.catalog, announcement),
        nonce: announcement.nonce,
        enforceNonce: true,
        allowedMentions: NO_MENTIONS,
      }),
    );
    return { messageId: sent.id };
  }
}
