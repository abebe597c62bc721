import { failureClassOf, type DiscordFailureKind, type Failure, type FailureClass, type FailureStep } from '../core/failure.ts';
import type { SupportedLocale } from '../core/locales.ts';

export type { DiscordFailureKind, FailureClass } from '../core/failure.ts';

export interface DiscordFailureDetails {
  readonly cause?: unknown;
  /** Discord's JSON error code, when it sent one. */
  readonly code?: number | undefined;
  /** How long Discord asked us to wait, for 'rate-limited'. */
  readonly retryAfterMs?: number | undefined;
  /** For 'rejected': what Discord objected to, when it said (for example 'too-long'). */
  readonly detail?: string | undefined;
}

export class DiscordFailure extends Error {
  readonly code: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly detail: string | undefined;

  constructor(
    readonly kind: DiscordFailureKind,
    message: string,
    details: DiscordFailureDetails = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'DiscordFailure';
    this.code = details.code;
    this.retryAfterMs = details.retryAfterMs;
    this.detail = details.detail;
  }

  get failureClass(): FailureClass {
    return failureClassOf(this.kind);
  }

  /** Whether the same call may succeed later. */
  get retryable(): boolean {
    return this.failureClass !== 'permanent';
  }
}

/** What to keep of a Discord failure with the work it ended. */
export function failureOf(error: DiscordFailure, step: FailureStep): Failure {
  return {
    kind: error.kind,
    step,
    ...(error.code === undefined ? {} : { code: error.code }),
    ...(error.detail === undefined ? {} : { detail: error.detail }),
  };
}

export function isDiscordFailure(error: unknown, kind?: DiscordFailureKind): error is DiscordFailure {
  return error instanceof DiscordFailure && (kind === undefined || error.kind === kind);
}

/** A daily or manual prompt; the edge writes it in each of `locales`, in one message. */
export interface PromptMessage {
  readonly channelId: string;
  readonly nonce: string;
  readonly themeId: string;
  readonly promptId: string;
  readonly locales: readonly SupportedLocale[];
  /** A role to mention with the prompt; the message then mentions exactly that role. */
  readonly roleId?: string;
  /** A server's own prompt: its one text (in every locale) and the member credited for it. */
  readonly serverPrompt?: ServerPromptText;
}

export interface ServerPromptText {
  readonly text: string;
  readonly authorId?: string;
}

/** A prompt's answer thread, named after its theme in the post's first locale. */
export interface AnswerThread {
  readonly themeId: string;
  readonly date: string;
  readonly locale: SupportedLocale;
}

/** What the prompt service needs from Discord; src/discord implements it with discord.js. */
export interface PromptChannel {
  /** Sends the prompt embed; a resend with the same nonce shortly after returns the first message. */
  sendPrompt(message: PromptMessage): Promise<{ messageId: string }>;
  /** Opens the public answer thread on a posted prompt. */
  openAnswerThread(channelId: string, messageId: string, thread: AnswerThread): Promise<{ threadId: string }>;
  /** Looks for this prompt, posted by this bot in the channel since `since`, to finish an interrupted post. */
  findPostedPrompt(channelId: string, since: Date, message: PromptMessage): Promise<string | undefined>;
  /** The server's Discord locale (Community settings), for servers that chose no language. */
  preferredLocale(guildId: string): string;
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
  /** The icebreaker in `locale`, from the catalog; absent when its prompt left the catalog. */
  readonly icebreaker: { readonly themeTitle: string; readonly text: string } | undefined;
  readonly followUpAt: Date;
  /** The language the group shares when Bridges speaks it, else the server's. */
  readonly locale: SupportedLocale;
}

/** A short note in a group's thread; the edge writes it and mentions exactly the members named. */
export type ThreadNote =
  | { readonly kind: 'paused'; readonly memberId: string; readonly times: number }
  | { readonly kind: 'partner-left'; readonly memberIds: readonly string[] }
  | { readonly kind: 'joins'; readonly memberIds: readonly string[] };

/** A note in the pairing channel, mentioning nobody. */
export type ChannelNote = { readonly kind: 'only-one-member' };

/** What the round service needs from Discord. */
export interface PairingChannel {
  /**
   * Which of these users are still members of the server, asked in batches (without the privileged
   * members intent, no event would tell us a member left).
   */
  presentMembers(guildId: string, userIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** Active threads in the server now, to stay under Discord's limit of active threads. */
  activeThreadCount(guildId: string): Promise<number>;
  /** A thread this bot already opened in the channel under this exact name, to resume without a second one. */
  findThread(guildId: string, channelId: string, name: string): Promise<string | undefined>;
  createPrivateThread(channelId: string, name: string): Promise<{ threadId: string }>;
  /** Throws DiscordFailure 'member-gone' when the member left the server. */
  addThreadMember(threadId: string, userId: string): Promise<void>;
  /** Whether the bot already wrote in the thread (an intro sent just before a crash). */
  findBotMessage(threadId: string): Promise<string | undefined>;
  sendIntro(threadId: string, intro: GroupIntro, nonce: string): Promise<{ messageId: string }>;
  /** Rewrites an introduction, for example without what a member who asked to be forgotten shared. */
  editIntro(threadId: string, messageId: string, intro: GroupIntro): Promise<void>;
  sendCheckIn(
    threadId: string,
    roundId: string,
    groupIndex: number,
    nonce: string,
    locale: SupportedLocale,
  ): Promise<{ messageId: string }>;
  /** Archives a thread; a member who posts in it reopens it. */
  archiveThread(threadId: string): Promise<void>;
  sendNote(threadId: string, note: ThreadNote, locale: SupportedLocale): Promise<void>;
  sendChannelNote(channelId: string, note: ChannelNote, locale: SupportedLocale): Promise<void>;
  preferredLocale(guildId: string): string;
}

/** What the culture map and stats need from Discord. */
export interface ThreadActivity {
  /** The thread's reply count as Discord reports it (`message_count`); undefined when the thread is gone. */
  replyCount(threadId: string): Promise<number | undefined>;
}
