import { nextAttemptAt, SCHEDULED_RETRY, type Failure, type FailureStep } from '../core/failure.ts';
import { isSupportedLocale, serverLocales, type SupportedLocale } from '../core/locales.ts';
import { seededRandom } from '../core/random.ts';
import { pickPrompt, type PromptPick } from '../core/rotation.ts';
import { nextPromptDayTime, promptDayDue } from '../core/promptWeeks.ts';
import { addDays, localDateOf, parseTimeOfDay, zonedTimeToInstant, type LocalDate, type TimeOfDay } from '../core/schedule.ts';
import { isServerPromptId, type ServerPrompt } from '../core/serverPrompts.ts';
import type { Prompt, Theme, ThemeCatalog } from '../core/themes.ts';
import type { Logger } from '../logger.ts';
import type { DisabledReason, GuildConfig, GuildConfigStore, PromptSettings } from '../store/guildConfigStore.ts';
import type { PostRecord, PromptLog, PromptLogStore } from '../store/promptLogStore.ts';
import type { Clock } from './clock.ts';
import { DiscordFailure, failureOf, isDiscordFailure, type PromptChannel, type PromptMessage } from './discordPort.ts';
import type { Locks } from './keyedLock.ts';
import { weekThemeOf, type PromptWeeks } from './promptWeeks.ts';
import { nonceFor } from './nonce.ts';
import { withoutUndefined } from './records.ts';
import type { Telemetry } from './telemetry.ts';
import { UserError } from './userError.ts';

export interface PromptServiceDeps {
  readonly configs: GuildConfigStore;
  readonly promptLogs: PromptLogStore;
  readonly catalog: ThemeCatalog;
  readonly channel: PromptChannel;
  readonly clock: Clock;
  readonly locks: Locks;
  readonly logger: Logger;
  readonly telemetry?: Telemetry;
  /** Pins and themed weeks; without it prompts are neither pinned nor themed by week. */
  readonly weeks?: PromptWeeks;
  /** A server's own prompts and switched-off built-ins; without it every server uses the built-in catalog. */
  readonly serverPrompts?: ServerPromptSource;
}

/** Where a server's catalog (built-in prompts it kept plus its own) comes from. */
export interface ServerPromptSource {
  catalogFor(guildId: string): Promise<ThemeCatalog>;
  serverPrompt(guildId: string, promptId: string): Promise<ServerPrompt | undefined>;
}

export interface TodayView {
  readonly settings: PromptSettings | undefined;
  /** Today's daily post, when it went out. */
  readonly posted?: { readonly record: PostRecord; readonly theme: Theme; readonly prompt: Prompt };
  /** What the next daily post will be, and when. */
  readonly next?: { readonly at: Date; readonly theme: Theme; readonly prompt: Prompt };
}

/** Daily prompts: deciding what to post and when, and posting it exactly once per local day. */
export class PromptService {
  constructor(private readonly deps: PromptServiceDeps) {}

  /** The scheduler's lane: posts today's prompt if due (or retries it), and says when it is next due. */
  async runDue(guildId: string): Promise<Date | undefined> {
    await this.postDailyIfDue(guildId);
    return this.nextDue(guildId);
  }

  /**
   * When this server's prompt lane is next due: a pending retry, else the next daily post;
   * undefined while prompts are off.
   */
  async nextDue(guildId: string): Promise<Date | undefined> {
    const settings = (await this.deps.configs.get(guildId)).prompts;
    if (!settings?.enabled) return undefined;
    const log = await this.deps.promptLogs.get(guildId);
    const lastDaily = log.posts.find((post) => post.kind === 'daily');
    const now = this.deps.clock.now();
    if (lastDaily && isUnfinished(lastDaily) && lastDaily.date === localDateOf(now, settings.timeZone)) {
      return lastDaily.retryAt === undefined ? now : new Date(lastDaily.retryAt);
    }
    return nextPromptDayTime(now, requireTime(settings), settings.timeZone, settings.days, lastDaily?.date);
  }

  /** Posts today's prompt if it is due and not posted yet, finishing an interrupted post first. */
  async postDailyIfDue(guildId: string): Promise<PostRecord | undefined> {
    return this.deps.locks.run(guildId, async () => {
      const config = await this.deps.configs.get(guildId);
      const settings = config.prompts;
      if (!settings?.enabled) return undefined;
      const time = requireTime(settings);
      const now = this.deps.clock.now();
      const log = await this.deps.promptLogs.get(guildId);
      const lastDaily = log.posts.find((post) => post.kind === 'daily');
      const today = localDateOf(now, settings.timeZone);

      if (lastDaily && lastDaily.date === today && isUnfinished(lastDaily)) {
        if (lastDaily.retryAt !== undefined && Date.parse(lastDaily.retryAt) > now.getTime()) return lastDaily;
        return this.deliver(guildId, lastDaily, true, settings.timeZone);
      }
      const due = promptDayDue(now, time, settings.timeZone, settings.days, lastDaily?.date);
      if (due === undefined) return undefined;

      const locales = this.localesOf(guildId, config);
      await this.deps.weeks?.announceWeek(guildId, due, locales);
      const pick = this.pick(
        await this.catalogFor(guildId),
        guildId,
        settings,
        log,
        dailySeed(guildId, due),
        weekThemeOf(config, this.deps.catalog, due),
      );
      const record = this.newRecord('daily', due, pick, settings, locales, dailyNonce(guildId, due), now);
      // The claim is stored before anything is sent: a crash after this point resumes this very post.
      await this.deps.promptLogs.set(guildId, {
        rotation: pick.state,
        posts: [record, ...log.posts.map((post) => (isUnfinished(post) ? abandon(post) : post))],
      });
      return this.deliver(guildId, record, false, settings.timeZone);
    });
  }

  /** A moderator's "post one now": counted in the rotation, not instead of the daily post. */
  async postNow(guildId: string, requestId: string, themeId?: string): Promise<PostRecord> {
    return this.deps.locks.run(guildId, async () => {
      const config = await this.deps.configs.get(guildId);
      const settings = config.prompts;
      if (!settings) throw new UserError('prompts-not-set-up');
      const now = this.deps.clock.now();
      const log = await this.deps.promptLogs.get(guildId);
      const pick = this.pick(await this.catalogFor(guildId), guildId, settings, log, `${guildId}:manual:${requestId}`, themeId);
      const date = localDateOf(now, settings.timeZone);
      const locales = this.localesOf(guildId, config);
      const record = this.newRecord('manual', date, pick, settings, locales, nonceFor(`manual:${requestId}`), now);
      await this.deps.promptLogs.set(guildId, { rotation: pick.state, posts: [record, ...log.posts] });
      const delivered = await this.deliver(guildId, record, false, undefined);
      if (delivered.status === 'pending') {
        // Nobody retries a manual post; the moderator is told and can run it again.
        await this.update(guildId, delivered, { status: 'failed', failure: delivered.failure ?? { kind: 'transient', step: 'post' } });
        throw new PromptNotPosted({ kind: delivered.failure?.kind ?? 'transient', step: 'post' });
      }
      if (delivered.status === 'failed') throw new PromptNotPosted(delivered.failure ?? { kind: 'rejected', step: 'post' });
      return delivered;
    });
  }

  /** The latest daily post, for /setup show to say whether today's went out and, if not, why. */
  async lastDailyPost(guildId: string): Promise<PostRecord | undefined> {
    return (await this.deps.promptLogs.get(guildId)).posts.find((post) => post.kind === 'daily');
  }

  /** Today's posted prompt, or a preview of the next daily one (the same pick the scheduler will make). */
  async today(guildId: string): Promise<TodayView> {
    const config = await this.deps.configs.get(guildId);
    const settings = config.prompts;
    if (!settings) return { settings };
    const now = this.deps.clock.now();
    const log = await this.deps.promptLogs.get(guildId);
    const lastDaily = log.posts.find((post) => post.kind === 'daily');
    const today = localDateOf(now, settings.timeZone);
    const view: { settings: PromptSettings; posted?: TodayView['posted']; next?: TodayView['next'] } = { settings };
    const catalog = await this.catalogFor(guildId);

    if (lastDaily && lastDaily.date === today && lastDaily.status !== 'failed' && lastDaily.status !== 'pending') {
      const found = catalog.prompt(lastDaily.promptId);
      if (found) view.posted = { record: lastDaily, theme: found.theme, prompt: found.prompt };
    }
    if (settings.enabled) {
      const at = nextPromptDayTime(now, requireTime(settings), settings.timeZone, settings.days, lastDaily?.date);
      const date = localDateOf(at, settings.timeZone);
      const pick = this.pick(catalog, guildId, settings, log, dailySeed(guildId, date), weekThemeOf(config, this.deps.catalog, date));
      view.next = { at, theme: pick.theme, prompt: pick.prompt };
    }
    return view;
  }

  /** When the next daily post is due, for /setup show. */
  async nextDailyPost(guildId: string, settings: PromptSettings): Promise<Date> {
    const log = await this.deps.promptLogs.get(guildId);
    const lastDaily = log.posts.find((post) => post.kind === 'daily');
    return nextPromptDayTime(this.deps.clock.now(), requireTime(settings), settings.timeZone, settings.days, lastDaily?.date);
  }

  /** Turns prompts off when their channel disappears, keeping the reason for /setup show. */
  async channelDeleted(guildId: string, channelId: string): Promise<void> {
    await this.deps.locks.run(guildId, async () => {
      const settings = (await this.deps.configs.get(guildId)).prompts;
      if (settings?.enabled && settings.channelId === channelId) {
        await this.disable(guildId, 'channel-deleted');
      }
    });
  }

  /** The catalog this server's prompts come from: its own prompts and the built-in ones it kept. */
  async catalogFor(guildId: string): Promise<ThemeCatalog> {
    return this.deps.serverPrompts ? this.deps.serverPrompts.catalogFor(guildId) : this.deps.catalog;
  }

  /** A server's own prompt by id (for its text and credit), undefined for a built-in one. */
  async serverPrompt(guildId: string, promptId: string): Promise<ServerPrompt | undefined> {
    return isServerPromptId(promptId) ? this.deps.serverPrompts?.serverPrompt(guildId, promptId) : undefined;
  }

  private pick(
    catalog: ThemeCatalog,
    guildId: string,
    settings: PromptSettings,
    log: PromptLog,
    seed: string,
    themeId?: string,
  ): PromptPick {
    const enabled = settings.themeIds.length > 0 ? settings.themeIds : catalog.themes.map((theme) => theme.id);
    try {
      return pickPrompt(catalog, enabled, log.rotation, seededRandom(seed), themeId);
    } catch (error) {
      this.deps.logger.warn('Stored themes no longer match the catalog; using all themes', { guildId, error });
      return pickPrompt(
        catalog,
        catalog.themes.map((theme) => theme.id),
        log.rotation,
        seededRandom(seed),
        themeId,
      );
    }
  }

  /** The server's languages for its posts. */
  private localesOf(guildId: string, config: GuildConfig): SupportedLocale[] {
    return serverLocales(config.language, this.deps.channel.preferredLocale(guildId));
  }

  private newRecord(
    kind: PostRecord['kind'],
    date: LocalDate,
    pick: PromptPick,
    settings: PromptSettings,
    locales: readonly SupportedLocale[],
    nonce: string,
    now: Date,
  ): PostRecord {
    return {
      kind,
      date,
      themeId: pick.theme.id,
      promptId: pick.prompt.id,
      channelId: settings.channelId,
      nonce,
      claimedAt: now.toISOString(),
      status: 'pending',
      withThread: settings.threads,
      locales: [...locales],
      attempts: 0,
      ...(settings.roleId === undefined ? {} : { roleId: settings.roleId }),
    };
  }

  /**
   * Moves a claimed post forward: send the message, then open its thread, storing each step as it
   * lands. `timeZone` bounds a daily post's retries to its local day; a manual post is not retried.
   */
  private async deliver(guildId: string, claimed: PostRecord, resuming: boolean, timeZone: string | undefined): Promise<PostRecord> {
    const found = (await this.catalogFor(guildId)).prompt(claimed.promptId);
    if (!found) return this.update(guildId, claimed, { status: 'failed', failure: { kind: 'not-in-catalog' } });
    const own = await this.serverPrompt(guildId, found.prompt.id);
    let record = claimed;
    let step: FailureStep = 'post';
    const message: PromptMessage = {
      channelId: record.channelId,
      nonce: record.nonce,
      themeId: found.theme.id,
      promptId: found.prompt.id,
      locales: postLocales(record),
      ...(record.roleId === undefined ? {} : { roleId: record.roleId }),
      ...(own ? { serverPrompt: { text: own.text, ...(own.authorId === undefined ? {} : { authorId: own.authorId }) } } : {}),
    };
    try {
      if (record.status === 'pending') {
        const existing = resuming
          ? await this.deps.channel.findPostedPrompt(record.channelId, new Date(record.claimedAt), message)
          : undefined;
        const messageId = existing ?? (await this.deps.channel.sendPrompt(message)).messageId;
        record = await this.update(guildId, record, { ...succeeded(), status: record.withThread ? 'sent' : 'posted', messageId });
      }
      step = 'answer-thread';
      if (record.status === 'sent' && record.messageId !== undefined) {
        record = await this.openThread(guildId, record, found.theme.id);
      }
      if (record.status === 'posted') {
        this.deps.logger.info('Prompt posted', { guildId, kind: record.kind, date: record.date, promptId: record.promptId });
      }
      if (record.kind === 'daily' && record.messageId !== undefined) {
        await this.deps.weeks?.pinNewest(guildId, record.channelId, record.messageId, record.date);
      }
      return record;
    } catch (error) {
      return this.handleFailure(guildId, record, step, error, timeZone);
    }
  }

  private async openThread(guildId: string, record: PostRecord, themeId: string): Promise<PostRecord> {
    try {
      const { threadId } = await this.deps.channel.openAnswerThread(record.channelId, record.messageId ?? '', {
        themeId,
        date: record.date,
        locale: postLocales(record)[0] ?? 'en-US',
      });
      return await this.update(guildId, record, { ...succeeded(), status: 'posted', threadId });
    } catch (error) {
      if (isDiscordFailure(error, 'thread-exists')) return this.update(guildId, record, { ...succeeded(), status: 'posted' });
      if (isDiscordFailure(error) && !error.retryable) {
        // The prompt itself is out; members can still answer in the channel.
        this.deps.logger.warn('Could not open the answer thread', { guildId, error: error.message });
        return this.update(guildId, record, { ...succeeded(), status: 'posted', failure: failureOf(error, 'answer-thread') });
      }
      throw error;
    }
  }

  /**
   * A permanent failure ends the post (a lost channel or permission also turns prompts off); a
   * rate limit or transient failure is tried again with backoff until the post's local day ends.
   */
  private async handleFailure(
    guildId: string,
    record: PostRecord,
    step: FailureStep,
    error: unknown,
    timeZone: string | undefined,
  ): Promise<PostRecord> {
    if (!(error instanceof DiscordFailure)) throw error;
    const failure = failureOf(error, step);
    if (error.kind === 'channel-gone') {
      await this.disable(guildId, 'channel-gone');
      return this.update(guildId, record, { status: 'failed', failure });
    }
    if (error.kind === 'missing-permission' && step === 'post') {
      await this.disable(guildId, 'missing-permission');
      return this.update(guildId, record, { status: 'failed', failure });
    }
    if (!error.retryable) {
      this.deps.logger.warn('Prompt refused by Discord; not retrying today', { guildId, date: record.date, error: describe(error) });
      return this.update(guildId, record, { status: step === 'post' ? 'failed' : 'posted', failure });
    }
    const now = this.deps.clock.now().getTime();
    const attempts = record.attempts + 1;
    const firstFailedAt = record.firstFailedAt === undefined ? now : Date.parse(record.firstFailedAt);
    const retryAt = nextAttemptAt(SCHEDULED_RETRY, attempts, firstFailedAt, now, error.retryAfterMs);
    const dayEnds = timeZone === undefined ? now : zonedTimeToInstant(addDays(record.date, 1), { hour: 0, minute: 0 }, timeZone).getTime();
    if (retryAt === undefined || retryAt >= dayEnds) {
      this.deps.logger.warn('Prompt gave up after retries', { guildId, date: record.date, attempts, error: describe(error) });
      const gaveUp: Failure = { kind: 'gave-up', step, code: error.code };
      return this.update(guildId, record, step === 'post' ? { status: 'failed', failure: gaveUp } : { status: 'posted', failure: gaveUp });
    }
    this.deps.logger.warn('Prompt post will be retried', {
      guildId,
      date: record.date,
      attempts,
      retryAt: new Date(retryAt),
      error: describe(error),
    });
    return this.update(guildId, record, {
      attempts,
      firstFailedAt: new Date(firstFailedAt).toISOString(),
      retryAt: new Date(retryAt).toISOString(),
      failure,
    });
  }

  private async disable(guildId: string, reason: DisabledReason): Promise<void> {
    await this.deps.configs.update(guildId, (config) =>
      config.prompts ? { ...config, prompts: { ...config.prompts, enabled: false, disabledReason: reason } } : config,
    );
    this.deps.logger.warn('Daily prompts turned off', { guildId, reason });
  }

  private async update(guildId: string, record: PostRecord, patch: Partial<PostRecord>): Promise<PostRecord> {
    const next = withoutUndefined({ ...record, ...patch });
    const ended = (status: PostRecord['status']) => status === 'posted' || status === 'failed';
    if (!ended(record.status) && ended(next.status)) {
      if (next.status === 'posted') this.deps.telemetry?.promptPosted();
      else this.deps.telemetry?.promptFailed();
    }
    const log = await this.deps.promptLogs.get(guildId);
    await this.deps.promptLogs.set(guildId, {
      ...log,
      posts: log.posts.map((post) => (post.nonce === record.nonce ? next : post)),
    });
    return next;
  }
}

function requireTime(settings: PromptSettings): TimeOfDay {
  const time = parseTimeOfDay(settings.time);
  if (!time) throw new Error(`Stored prompt time is invalid: ${settings.time}`);
  return time;
}

function isUnfinished(post: PostRecord): boolean {
  return post.status === 'pending' || post.status === 'sent';
}

function abandon(post: PostRecord): PostRecord {
  return post.status === 'pending'
    ? { ...post, status: 'failed', failure: post.failure ?? { kind: 'not-confirmed', step: 'post' } }
    : { ...post, status: 'posted', failure: post.failure ?? { kind: 'not-confirmed', step: 'answer-thread' } };
}

/** A step that landed ends the streak of failures before it. */
function succeeded(): Pick<PostRecord, 'attempts' | 'firstFailedAt' | 'retryAt' | 'failure'> {
  return { attempts: 0, firstFailedAt: undefined, retryAt: undefined, failure: undefined };
}

/** A moderator's post that did not go out; the command words it. */
export class PromptNotPosted extends Error {
  constructor(readonly failure: Failure) {
    super(`The prompt was not posted: ${failure.kind}`);
    this.name = 'PromptNotPosted';
  }
}

function dailySeed(guildId: string, date: LocalDate): string {
  return `${guildId}:daily:${date}`;
}

function dailyNonce(guildId: string, date: LocalDate): string {
  return nonceFor(`daily:${guildId}:${date}`);
}

function describe(error: unknown): string {
  if (error instanceof DiscordFailure) return `${error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** A post's locales; posts claimed before Bridges spoke other languages are in English. */
function postLocales(record: PostRecord): SupportedLocale[] {
  const locales = (record.locales ?? []).filter(isSupportedLocale);
  return locales.length > 0 ? locales : ['en-US'];
}
