import type { SupportedLocale } from '../../src/core/locales.ts';
import { DiscordFailure, type ChannelNote, type GroupIntro, type PairingChannel, type ThreadNote } from '../../src/services/discordPort.ts';

export interface FakeThread {
  readonly id: string;
  readonly channelId: string;
  readonly name: string;
  readonly memberIds: Set<string>;
  readonly messages: {
    id: string;
    kind: 'intro' | 'check-in' | 'note';
    nonce?: string;
    intro?: GroupIntro;
    note?: ThreadNote;
    locale?: SupportedLocale;
  }[];
  archived: boolean;
}

type Operation = 'presentMembers' | 'createThread' | 'addMember' | 'intro' | 'checkIn' | 'archive' | 'note';

/**
 * Discord, as the round service sees it, kept in memory: members of the server, threads with
 * their members and messages, a limit of active threads, and failures queued per operation.
 */
export class FakePairingChannel implements PairingChannel {
  readonly threads: FakeThread[] = [];
  readonly channelNotes: ChannelNote[] = [];
  /** The server's Discord locale. */
  locale = 'en-US';
  readonly failures: Record<Operation, DiscordFailure[]> = {
    presentMembers: [],
    createThread: [],
    addMember: [],
    intro: [],
    checkIn: [],
    archive: [],
    note: [],
  };
  /** Member ids in the server; everyone unless set. */
  members: Set<string> | undefined;
  maxActiveThreads = 1_000;
  /** Threads others opened in the server, counted against the limit. */
  otherActiveThreads = 0;
  /** Operations in the order they were asked for. */
  readonly calls: string[] = [];
  private nextId = 1;

  async presentMembers(_guildId: string, userIds: readonly string[]): Promise<ReadonlySet<string>> {
    this.fail('presentMembers');
    return new Set(userIds.filter((id) => this.members === undefined || this.members.has(id)));
  }

  async activeThreadCount(): Promise<number> {
    return this.otherActiveThreads + this.threads.filter((thread) => !thread.archived).length;
  }

  async findThread(_guildId: string, channelId: string, name: string): Promise<string | undefined> {
    return this.threads.find((thread) => thread.channelId === channelId && thread.name === name && !thread.archived)?.id;
  }

  async createPrivateThread(channelId: string, name: string): Promise<{ threadId: string }> {
    this.calls.push(`createThread ${name}`);
    this.fail('createThread');
    if ((await this.activeThreadCount()) >= this.maxActiveThreads) throw new DiscordFailure('thread-limit', '160006', { code: 160006 });
    const thread: FakeThread = { id: `t${this.nextId++}`, channelId, name, memberIds: new Set(), messages: [], archived: false };
    this.threads.push(thread);
    return { threadId: thread.id };
  }

  async addThreadMember(threadId: string, userId: string): Promise<void> {
    this.fail('addMember');
    if (this.members !== undefined && !this.members.has(userId)) throw new DiscordFailure('member-gone', 'Unknown Member', { code: 10007 });
    this.thread(threadId).memberIds.add(userId);
  }

  async findBotMessage(threadId: string): Promise<string | undefined> {
    return this.thread(threadId).messages[0]?.id;
  }

  async sendIntro(threadId: string, intro: GroupIntro, nonce: string): Promise<{ messageId: string }> {
    this.calls.push(`intro ${threadId}`);
    this.fail('intro');
    return { messageId: this.post(threadId, { kind: 'intro', intro, nonce }) };
  }

  async editIntro(threadId: string, messageId: string, intro: GroupIntro): Promise<void> {
    const message = this.thread(threadId).messages.find((candidate) => candidate.id === messageId);
    if (!message) throw new DiscordFailure('rejected', 'Unknown Message', { code: 10008 });
    message.intro = intro;
  }

  async sendCheckIn(
    threadId: string,
    _roundId: string,
    _groupIndex: number,
    nonce: string,
    locale: SupportedLocale,
  ): Promise<{ messageId: string }> {
    this.fail('checkIn');
    return { messageId: this.post(threadId, { kind: 'check-in', nonce, locale }) };
  }

  async archiveThread(threadId: string): Promise<void> {
    this.fail('archive');
    this.thread(threadId).archived = true;
  }

  async sendNote(threadId: string, note: ThreadNote, locale: SupportedLocale): Promise<void> {
    this.fail('note');
    this.post(threadId, { kind: 'note', note, locale });
  }

  async sendChannelNote(_channelId: string, note: ChannelNote): Promise<void> {
    this.channelNotes.push(note);
  }

  preferredLocale(): string {
    return this.locale;
  }

  /** Members of each thread, without the bot. */
  groups(): string[][] {
    return this.threads.map((thread) => [...thread.memberIds].sort());
  }

  private post(threadId: string, message: Omit<FakeThread['messages'][number], 'id'>): string {
    const thread = this.thread(threadId);
    const duplicate = message.nonce === undefined ? undefined : thread.messages.find((existing) => existing.nonce === message.nonce);
    if (duplicate) return duplicate.id;
    const id = `m${this.nextId++}`;
    thread.messages.push({ ...message, id });
    thread.archived = false;
    return id;
  }

  private thread(threadId: string): FakeThread {
    const thread = this.threads.find((candidate) => candidate.id === threadId);
    if (!thread) throw new DiscordFailure('channel-gone', 'Unknown Channel', { code: 10003 });
    return thread;
  }

  private fail(operation: Operation): void {
    const failure = this.failures[operation].shift();
    if (failure) throw failure;
  }
}
