import {
  bankCatalog,
  builtInTexts,
  cleanPromptText,
  exportPack,
  findNearDuplicate,
  isServerPromptId,
  MAX_SERVER_PROMPTS,
  parsePack,
  promptLengthProblem,
  type PackFile,
  type PackProblem,
  type ServerBank,
  type ServerPrompt,
} from '../core/serverPrompts.ts';
import { isThemeId, THEME_IDS, type ThemeCatalog, type ThemeId } from '../core/themes.ts';
import type { ServerPromptStore, Suggestion, SuggestionBook } from '../store/serverPromptStore.ts';
import type { Clock } from './clock.ts';
import type { Locks } from './keyedLock.ts';
import { UserError } from './userError.ts';

/** Suggestions a member may have waiting for review at once. */
export const MAX_PENDING_PER_MEMBER = 3;
/** Decided suggestions kept (for telling their authors and for a late second click). */
const MAX_KEPT_DECIDED = 200;
/** The reason a moderator may give for a rejection. */
export const REJECT_REASON_MAX_LENGTH = 300;

export interface ServerPromptServiceDeps {
  readonly store: ServerPromptStore;
  readonly catalog: ThemeCatalog;
  readonly clock: Clock;
  readonly locks: Locks;
}

export type Decision = { readonly kind: 'approve'; readonly text?: string } | { readonly kind: 'reject'; readonly reason?: string };

/** A pack that was refused, with every reason. */
export class PackRefused extends Error {
  constructor(readonly problems: readonly PackProblem[]) {
    super(`The pack was refused (${problems.length} problems)`);
    this.name = 'PackRefused';
  }
}

/** What /prompts list shows. */
export interface BankListing {
  readonly prompts: readonly ServerPrompt[];
  readonly disabledBuiltIns: readonly { readonly id: string; readonly themeId: string }[];
}

/** A server's own prompts (/prompts) and its members' suggestions (/suggest and the review buttons). */
export class ServerPromptService {
  constructor(private readonly deps: ServerPromptServiceDeps) {}

  /** The catalog this server's rotation draws from. */
  async catalogFor(guildId: string): Promise<ThemeCatalog> {
    return bankCatalog(this.deps.catalog, await this.deps.store.bank(guildId));
  }

  async serverPrompt(guildId: string, promptId: string): Promise<ServerPrompt | undefined> {
    if (!isServerPromptId(promptId)) return undefined;
    return (await this.deps.store.bank(guildId)).prompts.find((prompt) => prompt.id === promptId);
  }

  async list(guildId: string, themeId?: string): Promise<BankListing> {
    const theme = themeId === undefined ? undefined : this.requireTheme(themeId);
    const bank = await this.deps.store.bank(guildId);
    return {
      prompts: bank.prompts.filter((prompt) => theme === undefined || prompt.themeId === theme),
      disabledBuiltIns: bank.disabledBuiltInIds.flatMap((id) => {
        const found = this.deps.catalog.prompt(id);
        return found && (theme === undefined || found.theme.id === theme) ? [{ id, themeId: found.theme.id }] : [];
      }),
    };
  }

  /** A moderator's own prompt. `locales`: the server's languages, whose built-in texts count as duplicates. */
  async add(guildId: string, themeId: string, text: string, locales: readonly string[]): Promise<ServerPrompt> {
    const theme = this.requireTheme(themeId);
    const cleaned = this.requireText(text);
    return this.deps.locks.run(guildId, async () => {
      const bank = await this.deps.store.bank(guildId);
      if (bank.prompts.length >= MAX_SERVER_PROMPTS) throw new UserError('packs-full', { max: MAX_SERVER_PROMPTS });
      this.refuseDuplicate(cleaned, bank, locales, []);
      const prompt: ServerPrompt = { id: `s${bank.nextNumber}`, themeId: theme, text: cleaned };
      await this.deps.store.setBank(guildId, { ...bank, prompts: [...bank.prompts, prompt], nextNumber: bank.nextNumber + 1 });
      return prompt;
    });
  }

  /** Deletes a server prompt, or switches a built-in one off for this server. */
  async remove(guildId: string, promptId: string): Promise<{ kind: 'deleted'; prompt: ServerPrompt } | { kind: 'disabled'; id: string }> {
    const id = promptId.trim();
    return this.deps.locks.run(guildId, async () => {
      const bank = await this.deps.store.bank(guildId);
      const own = bank.prompts.find((prompt) => prompt.id === id);
      if (own) {
        await this.deps.store.setBank(guildId, { ...bank, prompts: bank.prompts.filter((prompt) => prompt.id !== id) });
        return { kind: 'deleted', prompt: own };
      }
      if (!this.deps.catalog.prompt(id)) throw new UserError('packs-unknown-prompt', { typed: { typed: promptId } });
      if (bank.disabledBuiltInIds.includes(id)) throw new UserError('packs-already-off', { id });
      await this.deps.store.setBank(guildId, { ...bank, disabledBuiltInIds: [...bank.disabledBuiltInIds, id] });
      return { kind: 'disabled', id };
    });
  }

  /** Switches a built-in prompt back on. */
  async restore(guildId: string, promptId: string): Promise<string> {
    const id = promptId.trim();
    return this.deps.locks.run(guildId, async () => {
      const bank = await this.deps.store.bank(guildId);
      if (!this.deps.catalog.prompt(id)) throw new UserError('packs-unknown-prompt', { typed: { typed: promptId } });
      if (!bank.disabledBuiltInIds.includes(id)) throw new UserError('packs-not-off', { id });
      await this.deps.store.setBank(guildId, { ...bank, disabledBuiltInIds: bank.disabledBuiltInIds.filter((other) => other !== id) });
      return id;
    });
  }

  async exportPack(guildId: string): Promise<PackFile> {
    return exportPack(await this.deps.store.bank(guildId));
  }

  /**
   * Replaces the server's own prompts and switched-off built-ins with a pack file's, in one write,
   * or throws PackRefused listing every problem and changes nothing.
   */
  async importPack(guildId: string, bytes: Uint8Array, locales: readonly string[]): Promise<ServerBank> {
    return this.deps.locks.run(guildId, async () => {
      const current = await this.deps.store.bank(guildId);
      const result = parsePack(
        bytes,
        this.deps.catalog,
        current,
        builtInTexts(this.deps.catalog, { ...current, disabledBuiltInIds: [] }, locales),
      );
      if (!result.ok) throw new PackRefused(result.problems);
      await this.deps.store.setBank(guildId, result.bank);
      return result.bank;
    });
  }

  // ---- suggestions -----------------------------------------------------------------------------

  async reviewChannel(guildId: string): Promise<string | undefined> {
    return (await this.deps.store.book(guildId)).reviewChannelId;
  }

  async setReviewChannel(guildId: string, channelId: string): Promise<void> {
    await this.deps.locks.run(guildId, async () => {
      const book = await this.deps.store.book(guildId);
      await this.deps.store.setBook(guildId, { ...book, reviewChannelId: channelId });
    });
  }

  /**
   * Stores a member's suggestion as pending, before it is posted for review (so a crash cannot
   * post one twice, and the limit counts it at once). The caller posts it and calls
   * {@link reviewPosted}, or {@link withdraw} when it could not be posted.
   */
  async suggest(
    guildId: string,
    input: { authorId: string; themeId: string; text: string; anonymous: boolean },
    locales: readonly string[],
  ): Promise<{ suggestion: Suggestion; reviewChannelId: string }> {
    const theme = this.requireTheme(input.themeId);
    const cleaned = this.requireText(input.text);
    return this.deps.locks.run(guildId, async () => {
      const book = await this.deps.store.book(guildId);
      if (book.reviewChannelId === undefined) throw new UserError('suggestions-not-set-up');
      const pending = book.items.filter((item) => item.status === 'pending' && item.authorId === input.authorId);
      if (pending.length >= MAX_PENDING_PER_MEMBER) throw new UserError('suggestions-too-many-pending', { max: MAX_PENDING_PER_MEMBER });
      const bank = await this.deps.store.bank(guildId);
      this.refuseDuplicate(
        cleaned,
        bank,
        locales,
        book.items.filter((item) => item.status === 'pending').map((item) => item.text),
      );
      const suggestion: Suggestion = {
        number: book.nextNumber,
        authorId: input.authorId,
        themeId: theme,
        text: cleaned,
        anonymous: input.anonymous,
        status: 'pending',
        createdAt: this.deps.clock.now().toISOString(),
        authorNotified: false,
      };
      await this.deps.store.setBook(guildId, { ...book, nextNumber: book.nextNumber + 1, items: [...book.items, suggestion] });
      return { suggestion, reviewChannelId: book.reviewChannelId };
    });
  }

  async reviewPosted(guildId: string, number: number, channelId: string, messageId: string): Promise<void> {
    await this.updateSuggestion(guildId, number, (item) => ({ ...item, reviewChannelId: channelId, reviewMessageId: messageId }));
  }

  /** Drops a suggestion that could not be posted for review: as if it had never been made. */
  async withdraw(guildId: string, number: number): Promise<void> {
    await this.deps.locks.run(guildId, async () => {
      const book = await this.deps.store.book(guildId);
      await this.deps.store.setBook(guildId, { ...book, items: book.items.filter((item) => item.number !== number) });
    });
  }

  async suggestion(guildId: string, number: number): Promise<Suggestion | undefined> {
    return (await this.deps.store.book(guildId)).items.find((item) => item.number === number);
  }

  /**
   * Approves or rejects a pending suggestion, exactly once: a suggestion already decided is
   * refused. An approval adds the prompt to the server's bank first (under an id made from the
   * suggestion's number, so a retry cannot add it twice), then records the decision.
   */
  async decide(guildId: string, number: number, moderatorId: string, decision: Decision, locales: readonly string[]): Promise<Suggestion> {
    const editedText = decision.kind === 'approve' && decision.text !== undefined ? this.requireText(decision.text) : undefined;
    const reason = decision.kind === 'reject' ? cleanPromptText(decision.reason ?? '').slice(0, REJECT_REASON_MAX_LENGTH) : '';
    return this.deps.locks.run(guildId, async () => {
      const book = await this.deps.store.book(guildId);
      const item = book.items.find((candidate) => candidate.number === number);
      if (!item) throw new UserError('suggestion-gone');
      if (item.status !== 'pending') throw new UserError('suggestion-already-decided', { number });
      const now = this.deps.clock.now().toISOString();
      let decided: Suggestion;
      if (decision.kind === 'approve') {
        const text = editedText ?? item.text;
        const bank = await this.deps.store.bank(guildId);
        const id = `s${bank.nextNumber}`;
        if (bank.prompts.length >= MAX_SERVER_PROMPTS) throw new UserError('packs-full', { max: MAX_SERVER_PROMPTS });
        if (editedText !== undefined && editedText !== item.text) this.refuseDuplicate(editedText, bank, locales, []);
        const prompt: ServerPrompt = { id, themeId: item.themeId, text, ...(item.anonymous ? {} : { authorId: item.authorId }) };
        await this.deps.store.setBank(guildId, { ...bank, prompts: [...bank.prompts, prompt], nextNumber: bank.nextNumber + 1 });
        decided = { ...item, text, status: 'approved', decidedBy: moderatorId, decidedAt: now, promptId: id };
      } else {
        decided = { ...item, status: 'rejected', decidedBy: moderatorId, decidedAt: now, ...(reason === '' ? {} : { reason }) };
      }
      await this.deps.store.setBook(
        guildId,
        prune({ ...book, items: book.items.map((other) => (other.number === number ? decided : other)) }),
      );
      return decided;
    });
  }

  /**
   * The decisions on this member's suggestions they have not been told about, marked as told
   * before they are shown (told once, even if two commands run at once).
   */
  async takeOutcomes(guildId: string, userId: string): Promise<Suggestion[]> {
    const peek = await this.deps.store.book(guildId);
    if (!peek.items.some((item) => untold(item, userId))) return [];
    return this.deps.locks.run(guildId, async () => {
      const book = await this.deps.store.book(guildId);
      const told = book.items.filter((item) => untold(item, userId));
      if (told.length === 0) return [];
      await this.deps.store.setBook(guildId, {
        ...book,
        items: book.items.map((item) => (untold(item, userId) ? { ...item, authorNotified: true } : item)),
      });
      return told;
    });
  }

  private async updateSuggestion(guildId: string, number: number, change: (item: Suggestion) => Suggestion): Promise<void> {
    await this.deps.locks.run(guildId, async () => {
      const book = await this.deps.store.book(guildId);
      await this.deps.store.setBook(guildId, { ...book, items: book.items.map((item) => (item.number === number ? change(item) : item)) });
    });
  }

  private requireTheme(themeId: string): ThemeId {
    if (!isThemeId(themeId)) throw new UserError('unknown-theme', { typed: { typed: themeId }, known: THEME_IDS.join(', ') });
    return themeId;
  }

  private requireText(text: string): string {
    const cleaned = cleanPromptText(text);
    const problem = promptLengthProblem(cleaned);
    if (problem === 'too-short') throw new UserError('packs-text-too-short', { min: 10, length: [...cleaned].length });
    if (problem === 'too-long') throw new UserError('packs-text-too-long', { max: 300, length: [...cleaned].length });
    return cleaned;
  }

  private refuseDuplicate(text: string, bank: ServerBank, locales: readonly string[], pending: readonly string[]): void {
    const texts = [
      ...bank.prompts.map((prompt) => prompt.text),
      ...builtInTexts(this.deps.catalog, bank, locales).map((entry) => entry.text),
      ...pending,
    ];
    const duplicate = findNearDuplicate(text, texts);
    if (duplicate !== undefined) throw new UserError('packs-duplicate', { existing: { typed: duplicate } });
  }
}

function untold(item: Suggestion, userId: string): boolean {
  return item.authorId === userId && item.status !== 'pending' && !item.authorNotified;
}

/** Keeps every pending suggestion and the newest decided ones. */
function prune(book: SuggestionBook): SuggestionBook {
  const decided = book.items.filter((item) => item.status !== 'pending');
  if (decided.length <= MAX_KEPT_DECIDED) return book;
  const dropped = new Set(decided.slice(0, decided.length - MAX_KEPT_DECIDED).map((item) => item.number));
  return { ...book, items: book.items.filter((item) => !dropped.has(item.number)) };
}
