/** Why a Discord call failed, in the terms the services act on. */
export type DiscordFailureKind = 'channel-gone' | 'missing-permission' | 'member-gone' | 'thread-exists' | 'transient';

export class DiscordFailure extends Error {
  constructor(
    readonly kind: DiscordFailureKind,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'DiscordFailure';
  }
}

export function isDiscordFailure(error: unknown, kind?: DiscordFailureKind): error is DiscordFailure {
  return error instanceof DiscordFailure && (kind === undefined || error.kind === kind);
}

export interface PromptMessage {
  readonly channelId: string;
  readonly nonce: string;
  readonly themeTitle: string;
  readonly promptText: string;
  readonly footer: string;
}

/** What the prompt service needs from Discord; src/discord implements it with discord.js. */
export interface PromptChannel {
  /** Sends the prompt embed; a resend with the same nonce shortly after returns the first message. */
  sendPrompt(message: PromptMessage): Promise<{ messageId: string }>;
  /** Opens the public answer thread on a posted prompt. */
  openAnswerThread(channelId: string, messageId: string, name: string): Promise<{ threadId: string }>;
  /** Looks for a prompt this bot already posted in the channel since `since`, to finish an interrupted post. */
  findPostedPrompt(channelId: string, since: Date, promptText: string): Promise<string | undefined>;
}

/** What a pairing group's introduction says; src/discord turns it into a message. */
export interface GroupIntro {
  readonly memberIds: readonly string[];
  readonly sharedLanguages: readonly string[];
  readonly exchanges: readonly { readonly from: string; readonly to: string; readonly topics: readonly string[] }[];
  readonly differentCultures: boolean;
  /** Overlapping waking hours as instants on the round's day. */
  readonly overlaps: readonly { readonly start: Date; readonly end: Date }[];
  readonly sharedInterests: readonly string[];
  readonly icebreaker: { readonly themeTitle: string; readonly text: string };
  readonly followUpAt: Date;
}

/** What the round service needs from Discord. */
export interface PairingChannel {
  /** Asks Discord (without the privileged members intent, no event would tell us a member left). */
  isMember(guildId: string, userId: string): Promise<boolean>;
  /** A thread this bot already opened in the channel under this exact name, to resume without a second one. */
  findThread(guildId: string, channelId: string, name: string): Promise<string | undefined>;
  createPrivateThread(channelId: string, name: string): Promise<{ threadId: string }>;
  /** Throws DiscordFailure 'member-gone' when the member left the server. */
  addThreadMember(threadId: string, userId: string): Promise<void>;
  /** Whether the bot already wrote in the thread (an intro sent just before a crash). */
  findBotMessage(threadId: string): Promise<string | undefined>;
  sendIntro(threadId: string, intro: GroupIntro, nonce: string): Promise<{ messageId: string }>;
  sendCheckIn(threadId: string, roundId: string, groupIndex: number): Promise<{ messageId: string }>;
  /** A short note in a thread that mentions exactly the given members. */
  sendNote(threadId: string, content: string, mentionUserIds: readonly string[]): Promise<void>;
  /** A note in the pairing channel, mentioning nobody. */
  sendChannelNote(channelId: string, content: string): Promise<void>;
  preferredLocale(guildId: string): string;
}
