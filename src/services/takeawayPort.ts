import type { SupportedLocale } from '../core/locales.ts';

/** A takeaway as shown: the text as the member wrote it, and their id when they chose to be credited. */
export interface ShownTakeaway {
  readonly text: string;
  readonly authorId?: string;
}

/** Where takeaways and thanks go; throws DiscordFailure like the other ports. */
export interface TakeawayChannel {
  postTakeaways(
    channelId: string,
    takeaways: readonly ShownTakeaway[],
    locale: SupportedLocale,
    nonce: string,
  ): Promise<{ messageId: string }>;
  editTakeaways(channelId: string, messageId: string, takeaways: readonly ShownTakeaway[], locale: SupportedLocale): Promise<void>;
  deleteMessage(channelId: string, messageId: string): Promise<void>;
  /** One short thank-you in the group's thread that mentions exactly the partners. */
  sendThanks(threadId: string, fromId: string, partnerIds: readonly string[], locale: SupportedLocale, nonce: string): Promise<void>;
}
