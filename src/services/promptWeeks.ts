import type { SupportedLocale } from '../core/locales.ts';
import { themedWeekOrder, themeOfWeek, weekStartOf } from '../core/promptWeeks.ts';
import type { LocalDate } from '../core/schedule.ts';
import type { ThemeCatalog } from '../core/themes.ts';
import type { Logger } from '../logger.ts';
import type { GuildConfig, GuildConfigStore, PromptWeeksState } from '../store/guildConfigStore.ts';
import { DiscordFailure, failureOf } from './discordPort.ts';
import { nonceFor } from './nonce.ts';

/** Discord's code for a message that no longer exists: unpinning it is done. */
export const UNKNOWN_MESSAGE = 10008;
/** Discord's code for a channel that holds as many pins as it may. */
export const MAX_PINS = 30003;

/** A week's announcement; the edge writes it in each of `locales`. */
export interface WeekAnnouncement {
  readonly channelId: string;
  readonly nonce: string;
  readonly themeId: string;
  /** The Monday of the week. */
  readonly week: LocalDate;
  readonly locales: readonly SupportedLocale[];
}

/** What pins and themed weeks need from Discord; src/discord implements it. */
export interface WeeksChannel {
  pinMessage(channelId: string, messageId: string): Promise<void>;
  unpinMessage(channelId: string, messageId: string): Promise<void>;
  sendWeekAnnouncement(announcement: WeekAnnouncement): Promise<{ messageId: string }>;
}

export interface PromptWeeksDeps {
  readonly configs: GuildConfigStore;
  readonly catalog: ThemeCatalog;
  readonly channel: WeeksChannel;
  readonly logger: Logger;
}

const KEPT_ANNOUNCEMENTS = 8;

const EMPTY_STATE: PromptWeeksState = { pinnedMessageIds: [], announcements: [] };

/** The theme of the week holding `date` when themed weeks are on, else undefined. */
export function weekThemeOf(config: GuildConfig, catalog: ThemeCatalog, date: LocalDate): string | undefined {
  const themed = config.themedWeeks;
  if (!themed?.enabled) return undefined;
  const order = themedWeekOrder(
    catalog.themes.map((theme) => theme.id),
    config.prompts?.themeIds ?? [],
    themed.themeIds,
  );
  return themeOfWeek(order, themed.anchorDate, date);
}

/**
 * Pins and themed-week announcements around the daily prompt. Neither may stop a prompt: what
 * Discord refuses is kept for /setup show and the prompt goes on. The callers hold the server's lock.
 */
export class PromptWeeks {
  constructor(private readonly deps: PromptWeeksDeps) {}

  /**
   * Announces the week's theme before the week's first daily prompt (`date`), once a week: the
   * week is claimed in the store before anything is sent, so a restart never announces it twice.
   */
  async announceWeek(guildId: string, date: LocalDate, locales: readonly SupportedLocale[]): Promise<void> {
    const config = await this.deps.configs.get(guildId);
    const settings = config.prompts;
    const themeId = weekThemeOf(config, this.deps.catalog, date);
    if (!settings?.enabled || themeId === undefined) return;
    const week = weekStartOf(date);
    const state = config.promptWeeks ?? EMPTY_STATE;
    if (state.announcements.some((announcement) => announcement.week === week)) return;
    await this.setState(guildId, (current) => ({
      ...current,
      announcements: [{ week, themeId, status: 'claimed' as const }, ...current.announcements].slice(0, KEPT_ANNOUNCEMENTS),
    }));
    try {
      const { messageId } = await this.deps.channel.sendWeekAnnouncement({
        channelId: settings.channelId,
        nonce: nonceFor(`week:${guildId}:${week}`),
        themeId,
        week,
        locales,
      });
      await this.setAnnouncement(guildId, week, { status: 'posted', messageId });
    } catch (error) {
      if (!(error instanceof DiscordFailure)) throw error;
      this.deps.logger.warn('Could not announce the themed week', { guildId, week, error: error.message });
      await this.setAnnouncement(guildId, week, { status: 'failed', failure: failureOf(error, 'post') });
    }
  }

  /**
   * Pins a daily prompt that just went out and unpins the ones Bridges pinned before. The new
   * message is recorded before it is pinned, so one pinned just before a crash is unpinned later.
   */
  async pinNewest(guildId: string, channelId: string, messageId: string, date: LocalDate): Promise<void> {
    const config = await this.deps.configs.get(guildId);
    if (!config.prompts?.pin) return;
    const before = config.promptWeeks ?? EMPTY_STATE;
    await this.setState(guildId, (state) => ({
      ...state,
      pinnedMessageIds: [...state.pinnedMessageIds.filter((id) => id !== messageId), messageId],
    }));
    try {
      await this.deps.channel.pinMessage(channelId, messageId);
    } catch (error) {
      if (!(error instanceof DiscordFailure)) throw error;
      this.deps.logger.warn('Could not pin the prompt', { guildId, date, error: error.message });
      // The previous pin stays: better an older prompt pinned than none.
      await this.setState(guildId, (state) => ({
        ...state,
        pinnedMessageIds: state.pinnedMessageIds.filter((id) => id !== messageId),
        pinFailure: { date, step: 'pin', failure: failureOf(error, 'post') },
      }));
      return;
    }
    let unpinFailure: PromptWeeksState['pinFailure'];
    for (const previous of before.pinnedMessageIds.filter((id) => id !== messageId)) {
      try {
        await this.deps.channel.unpinMessage(channelId, previous);
      } catch (error) {
        if (!(error instanceof DiscordFailure)) throw error;
        // A deleted prompt (or one left in a channel since changed) has nothing left to unpin.
        if (error.code !== UNKNOWN_MESSAGE) {
          this.deps.logger.warn('Could not unpin the previous prompt', { guildId, date, error: error.message });
          unpinFailure = { date, step: 'unpin', failure: failureOf(error, 'post') };
          continue;
        }
      }
      await this.setState(guildId, (state) => ({ ...state, pinnedMessageIds: state.pinnedMessageIds.filter((id) => id !== previous) }));
    }
    await this.setState(guildId, (state) => {
      const { pinFailure: _cleared, ...rest } = state;
      return unpinFailure === undefined ? rest : { ...rest, pinFailure: unpinFailure };
    });
  }

  private async setAnnouncement(
    guildId: string,
    week: LocalDate,
    patch: Partial<PromptWeeksState['announcements'][number]>,
  ): Promise<void> {
    await this.setState(guildId, (state) => ({
      ...state,
      announcements: state.announcements.map((announcement) => (announcement.week === week ? { ...announcement, ...patch } : announcement)),
    }));
  }

  private async setState(guildId: string, change: (state: PromptWeeksState) => PromptWeeksState): Promise<void> {
    await this.deps.configs.update(guildId, (config) => ({ ...config, promptWeeks: change(config.promptWeeks ?? EMPTY_STATE) }));
  }
}
