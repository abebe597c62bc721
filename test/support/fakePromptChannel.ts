import { DiscordFailure, type PromptChannel, type PromptMessage } from '../../src/services/discordPort.ts';

export interface SentPrompt extends PromptMessage {
  readonly messageId: string;
  readonly at: Date;
  threadId?: string;
}

/** Discord, as the prompt service sees it, kept in memory; failures are queued per operation. */
export class FakePromptChannel implements PromptChannel {
  readonly sent: SentPrompt[] = [];
  readonly failures: { send: DiscordFailure[]; thread: DiscordFailure[] } = { send: [], thread: [] };
  /** Makes the next send create the message and then fail, as a lost response would. */
  loseNextResponse = false;
  private nextId = 1;

  constructor(private readonly now: () => Date) {}

  async sendPrompt(message: PromptMessage): Promise<{ messageId: string }> {
    const failure = this.failures.send.shift();
    if (failure) throw failure;
    const duplicate = this.sent.find((sent) => sent.nonce === message.nonce && sent.channelId === message.channelId);
    const record = duplicate ?? { ...message, messageId: `m${this.nextId++}`, at: this.now() };
    if (!duplicate) this.sent.push(record);
    if (this.loseNextResponse) {
      this.loseNextResponse = false;
      throw new DiscordFailure('transient', 'connection reset after the message was created');
    }
    return { messageId: record.messageId };
  }

  /** The server's Discord locale. */
  locale = 'en-US';

  preferredLocale(): string {
    return this.locale;
  }

  async openAnswerThread(_channelId: string, messageId: string): Promise<{ threadId: string }> {
    const failure = this.failures.thread.shift();
    if (failure) throw failure;
    const message = this.sent.find((sent) => sent.messageId === messageId);
    if (!message) throw new DiscordFailure('transient', 'unknown message');
    if (message.threadId) throw new DiscordFailure('thread-exists', 'thread exists');
    message.threadId = `t-${messageId}`;
    return { threadId: message.threadId };
  }

  async findPostedPrompt(channelId: string, since: Date, message: PromptMessage): Promise<string | undefined> {
    return this.sent.find(
      (sent) => sent.channelId === channelId && sent.promptId === message.promptId && sent.at.getTime() >= since.getTime(),
    )?.messageId;
  }
}
