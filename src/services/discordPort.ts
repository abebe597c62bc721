/** Why a Discord call failed, in the terms the services act on. */
export type DiscordFailureKind =
  | 'channel-gone'
  | 'missing-permission'
  | 'member-gone'
  | 'thread-exists'
  | 'transient';

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
