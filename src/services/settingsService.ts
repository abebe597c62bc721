import {
  ROUND_FREQUENCIES,
  WEEKDAYS,
  canonicalTimeZone,
  formatTimeOfDay,
  localDateOf,
  parseTimeOfDay,
  type RoundFrequency,
  type Weekday,
} from '../core/schedule.ts';
import { isSupportedLocale, type ServerLanguage } from '../core/locales.ts';
import { parsePromptDays } from '../core/promptWeeks.ts';
import type { ThemeCatalog } from '../core/themes.ts';
import type { GuildConfig, GuildConfigStore, PairingSettings, PromptSettings } from '../store/guildConfigStore.ts';
import type { Clock } from './clock.ts';
import type { Locks } from './keyedLock.ts';
import { withoutUndefined } from './records.ts';
import { UserError } from './userError.ts';

export interface PromptSetupRequest {
  readonly channelId: string;
  readonly time: string;
  readonly timeZone: string;
  readonly threads: boolean;
  /** As typed: ids, titles or unique beginnings, separated by commas; empty or "all" for every theme. */
  readonly themes: string | undefined;
  /** As typed or picked (see parsePromptDays); undefined keeps what was set before. */
  readonly days?: string | undefined;
  /** A role to mention with each prompt (checked by the edge); undefined keeps the one set before. */
  readonly roleId?: string | undefined;
  /** Stop mentioning a role. */
  readonly removeRole?: boolean | undefined;
  /** Pin the newest prompt; undefined keeps what was set before. */
  readonly pin?: boolean | undefined;
}

export interface ThemedWeeksRequest {
  readonly enabled: boolean;
  /** Themes in the order weeks take them, as typed; undefined or empty: the prompt themes in order. */
  readonly order: string | undefined;
}

export interface PairingSetupRequest {
  readonly channelId: string;
  readonly frequency: string;
  readonly weekday: string;
  readonly time: string;
  /** Defaults to the daily prompts' zone, else UTC. */
  readonly timeZone: string | undefined;
  readonly groupSize: number | undefined;
  readonly followUpDays: number | undefined;
}

export const DEFAULT_FOLLOW_UP_DAYS = 3;

export type Feature = 'prompts' | 'pairing';

/** `/setup language primary:` value for "the server's Discord language". */
export const SERVER_LANGUAGE = 'server';

export interface SettingsServiceDeps {
  readonly configs: GuildConfigStore;
  readonly catalog: ThemeCatalog;
  readonly clock: Clock;
  readonly locks: Locks;
  /** Tells the scheduler a feature's schedule changed. */
  readonly onScheduleChange: (feature: Feature, guildId: string) => Promise<void>;
}

/** Moderator configuration: validates what was typed and stores it. */
export class SettingsService {
  constructor(private readonly deps: SettingsServiceDeps) {}

  async configurePrompts(guildId: string, userId: string, request: PromptSetupRequest): Promise<PromptSettings> {
    const time = requireTime(request.time);
    const timeZone = requireTimeZone(request.timeZone);
    const themeIds = parseThemeList(this.deps.catalog, request.themes);
    if (request.removeRole === true && request.roleId !== undefined) throw new UserError('weeks:role-and-remove');
    const days = request.days === undefined ? undefined : requireDays(request.days);
    return this.deps.locks
      .run(guildId, async () => {
        const previous = (await this.deps.configs.get(guildId)).prompts;
        const chosenDays = request.days === undefined ? previous?.days : days;
        const roleId = request.removeRole === true ? undefined : (request.roleId ?? previous?.roleId);
        const pin = request.pin ?? previous?.pin;
        const settings: PromptSettings = {
          enabled: true,
          channelId: request.channelId,
          time: formatTimeOfDay(time),
          timeZone,
          threads: request.threads,
          themeIds,
          updatedAt: this.deps.clock.now().toISOString(),
          updatedBy: userId,
          ...(chosenDays === undefined ? {} : { days: chosenDays }),
          ...(roleId === undefined ? {} : { roleId }),
          ...(pin === undefined ? {} : { pin }),
        };
        await this.deps.configs.update(guildId, (config) => ({ ...config, prompts: settings }));
        return settings;
      })
      .then(async (settings) => {
        await this.deps.onScheduleChange('prompts', guildId);
        return settings;
      });
  }

  async configurePairing(guildId: string, userId: string, request: PairingSetupRequest): Promise<PairingSettings> {
    const time = requireTime(request.time);
    if (!ROUND_FREQUENCIES.includes(request.frequency as RoundFrequency)) {
      throw new UserError('bad-frequency', { typed: { typed: request.frequency } });
    }
    if (!WEEKDAYS.includes(request.weekday as Weekday)) {
      throw new UserError('bad-weekday', { typed: { typed: request.weekday } });
    }
    const groupSize = request.groupSize ?? 2;
    if (groupSize !== 2 && groupSize !== 3) throw new UserError('bad-group-size');
    const followUpDays = request.followUpDays ?? DEFAULT_FOLLOW_UP_DAYS;
    if (!Number.isInteger(followUpDays) || followUpDays < 1 || followUpDays > 14) {
      throw new UserError('bad-check-in-days', { min: 1, max: 14 });
    }
    return this.deps.locks
      .run(guildId, async () => {
        const config = await this.deps.configs.get(guildId);
        const timeZone = request.timeZone === undefined ? (config.prompts?.timeZone ?? 'UTC') : requireTimeZone(request.timeZone);
        const now = this.deps.clock.now();
        const previous = config.pairing;
        const settings: PairingSettings = {
          enabled: true,
          channelId: request.channelId,
          frequency: request.frequency as RoundFrequency,
          weekday: request.weekday as Weekday,
          time: formatTimeOfDay(time),
          timeZone,
          groupSize,
          anchorDate: localDateOf(now, timeZone),
          followUpDays,
          updatedAt: now.toISOString(),
          updatedBy: userId,
          ...(previous?.joinMessageId !== undefined && previous.channelId === request.channelId
            ? { joinMessageId: previous.joinMessageId }
            : {}),
        };
        await this.deps.configs.update(guildId, (current) => ({ ...current, pairing: settings }));
        return settings;
      })
      .then(async (settings) => {
        await this.deps.onScheduleChange('pairing', guildId);
        return settings;
      });
  }

  /**
   * Themed weeks on or off. Turning them on (again) makes the current week take the first theme of
   * the order; the order must name themes this server's prompts can come from.
   */
  async configureThemedWeeks(guildId: string, userId: string, request: ThemedWeeksRequest): Promise<GuildConfig> {
    const order = request.order === undefined ? [] : parseThemeOrder(this.deps.catalog, request.order);
    return this.deps.locks
      .run(guildId, async () => {
        const config = await this.deps.configs.get(guildId);
        if (!config.prompts) throw new UserError('prompts-not-set-up');
        const now = this.deps.clock.now();
        const previous = config.themedWeeks;
        const themedWeeks = {
          enabled: request.enabled,
          themeIds: request.order === undefined && previous ? previous.themeIds : order,
          anchorDate: localDateOf(now, config.prompts.timeZone),
          updatedAt: now.toISOString(),
          updatedBy: userId,
        };
        return this.deps.configs.update(guildId, (current) => ({ ...current, themedWeeks }));
      })
      .then(async (config) => {
        await this.deps.onScheduleChange('prompts', guildId);
        return config;
      });
  }

  /** Remembers the "Join the exchange" message so a re-run of /setup pairing doesn't post another. */
  async recordJoinMessage(guildId: string, channelId: string, messageId: string): Promise<void> {
    await this.deps.locks.run(guildId, () =>
      this.deps.configs.update(guildId, (config) =>
        config.pairing?.channelId === channelId ? { ...config, pairing: { ...config.pairing, joinMessageId: messageId } } : config,
      ),
    );
  }

  /** Turns a feature off and keeps the rest of its settings for when it is turned back on. */
  async turnOff(guildId: string, feature: Feature): Promise<boolean> {
    return this.deps.locks
      .run(guildId, async () => {
        let changed = false;
        await this.deps.configs.update(guildId, (config) => {
          const current = config[feature];
          if (!current?.enabled) return config;
          changed = true;
          const { disabledReason: _dropped, ...rest } = current;
          return {
            ...config,
            [feature]: { ...rest, enabled: false, ...(feature === 'pairing' ? { disabledAt: this.deps.clock.now().toISOString() } : {}) },
          };
        });
        return changed;
      })
      .then(async (changed) => {
        // Pairing stays scheduled while a round is cancelled or check-ins remain; the lane decides.
        await this.deps.onScheduleChange(feature, guildId);
        return changed;
      });
  }

  async config(guildId: string): Promise<GuildConfig> {
    return this.deps.configs.get(guildId);
  }

  /**
   * The languages of this server's posts: `primary` (undefined: the server's Discord locale) and an
   * optional second language for daily prompts. Returns what is stored, undefined for the default.
   */
  async setLanguage(guildId: string, primary: string, secondary: string | undefined): Promise<ServerLanguage | undefined> {
    for (const chosen of [primary, secondary]) {
      if (chosen !== undefined && chosen !== SERVER_LANGUAGE && !isSupportedLocale(chosen)) {
        throw new UserError('bad-language', { typed: { typed: chosen } });
      }
    }
    const chosenPrimary = primary === SERVER_LANGUAGE ? undefined : primary;
    const language =
      chosenPrimary === undefined && secondary === undefined ? undefined : withoutUndefined({ primary: chosenPrimary, secondary });
    await this.deps.locks.run(guildId, () =>
      this.deps.configs.update(guildId, (config) => {
        const { language: _previous, ...rest } = config;
        return language === undefined ? rest : { ...rest, language };
      }),
    );
    return language;
  }

  /** Records the hello before it is sent; returns false when this server was already greeted. */
  async claimWelcome(guildId: string): Promise<boolean> {
    return this.deps.locks.run(guildId, async () => {
      const config = await this.deps.configs.get(guildId);
      if (config.welcomedAt !== undefined) return false;
      await this.deps.configs.update(guildId, (current) => ({ ...current, welcomedAt: this.deps.clock.now().toISOString() }));
      return true;
    });
  }
}

function requireTime(typed: string) {
  const time = parseTimeOfDay(typed.trim());
  if (!time) throw new UserError('bad-time', { typed: { typed } });
  return time;
}

export function requireTimeZone(typed: string): string {
  const zone = canonicalTimeZone(typed.trim());
  if (!zone) {
    throw new UserError('bad-time-zone', { typed: { typed } });
  }
  return zone;
}

function requireDays(typed: string) {
  const parsed = parsePromptDays(typed);
  if (!parsed.ok) throw new UserError('weeks:bad-days', { typed: { typed: parsed.unknown } });
  return parsed.days;
}

/** Resolves a typed theme order to theme ids, in the order typed, each once; empty or "all" is the default order. */
export function parseThemeOrder(catalog: ThemeCatalog, typed: string): string[] {
  if (typed.trim() === '' || typed.trim().toLowerCase() === 'all') return [];
  const ids: string[] = [];
  for (const token of typed
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    const matches = matchThemes(catalog, token);
    if (matches.length !== 1) {
      throw matches.length === 0
        ? new UserError('unknown-theme', { typed: { typed: token }, known: { codes: catalog.themes.map((theme) => theme.id) } })
        : new UserError('ambiguous-theme', { typed: { typed: token }, matches: { codes: matches.map((theme) => theme.id) } });
    }
    const id = matches[0]?.id ?? '';
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Resolves a typed theme list to theme ids; an empty result means all themes. */
export function parseThemeList(catalog: ThemeCatalog, typed: string | undefined): string[] {
  if (typed === undefined || typed.trim() === '' || typed.trim().toLowerCase() === 'all') return [];
  const ids = new Set<string>();
  for (const token of typed
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    const matches = matchThemes(catalog, token);
    if (matches.length !== 1) {
      throw matches.length === 0
        ? new UserError('unknown-theme', { typed: { typed: token }, known: { codes: catalog.themes.map((theme) => theme.id) } })
        : new UserError('ambiguous-theme', { typed: { typed: token }, matches: { codes: matches.map((theme) => theme.id) } });
    }
    ids.add(matches[0]?.id ?? '');
  }
  return ids.size === catalog.themes.length ? [] : [...ids];
}

/** Themes whose id or title, in English or any translation, is `token` (else contains it). */
export function matchThemes(catalog: ThemeCatalog, token: string) {
  const wanted = normalize(token);
  if (wanted === '') return [];
  const names = (theme: ThemeCatalog['themes'][number]) => [
    normalize(theme.id),
    normalize(theme.title),
    ...catalog.translatedLocales.map((locale) => normalize(catalog.themeText(theme.id, locale)?.title ?? '')),
  ];
  const exact = catalog.themes.filter((theme) => names(theme).includes(wanted));
  if (exact.length > 0) return exact;
  return catalog.themes.filter((theme) => names(theme).some((name) => name !== '' && name.includes(wanted)));
}

// Letters of every script count; accents and punctuation do not ("Réflexion" finds "reflexion").
function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}
