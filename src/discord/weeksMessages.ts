import { channelMention, roleMention, type ApplicationCommandOptionChoiceData, type EmbedBuilder } from 'discord.js';
import type { Failure } from '../core/failure.ts';
import { normalizeDayName, normalizePromptDays, parsePromptDays, WEEKEND_DAYS, WORKING_DAYS } from '../core/promptWeeks.ts';
import { WEEKDAYS, type LocalDate, type Weekday } from '../core/schedule.ts';
import type { ThemeCatalog } from '../core/themes.ts';
import { MAX_PINS, UNKNOWN_MESSAGE, type WeekAnnouncement } from '../services/promptWeeks.ts';
import type { GuildConfig, PromptSettings } from '../store/guildConfigStore.ts';
import { failureText } from './failureText.ts';
import { translator, type Translator } from './i18n.ts';
import { DISCORD_LIMITS, fitText, REASON_MAX_LENGTH } from './limits.ts';
import { promptEmbed } from './promptMessages.ts';

type Choice = ApplicationCommandOptionChoiceData<string>;

/** A weekday as the reader's language writes it, capitalised ("Monday", "Lundi", "月曜日"). */
export function weekdayName(day: Weekday, tr: Translator): string {
  // 2024-01-01 was a Monday.
  const name = new Intl.DateTimeFormat(tr.locale, { weekday: 'long', timeZone: 'UTC' }).format(
    Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day)),
  );
  return name.charAt(0).toLocaleUpperCase(tr.locale) + name.slice(1);
}

const sameDays = (a: readonly Weekday[], b: readonly Weekday[]) => a.length === b.length && a.every((day, i) => b[i] === day);

/** The days prompts go out on, in words: "every day", "Monday to Friday", "Monday, Wednesday and Friday". */
export function promptDaysText(days: readonly Weekday[] | undefined, tr: Translator): string {
  const chosen = normalizePromptDays(days);
  if (chosen === undefined) return tr.t('weeks:days.every-day');
  if (sameDays(chosen, WORKING_DAYS)) return tr.t('weeks:days.weekdays');
  if (sameDays(chosen, WEEKEND_DAYS)) return tr.t('weeks:days.weekends');
  return tr.list(chosen.map((day) => weekdayName(day, tr)));
}

/**
 * Completes `days`: with nothing typed, every day, weekdays, weekends and each day; else the days
 * already chosen are kept and the one being typed is offered as each weekday that starts like it,
 * in the reader's language or English. Values are English day names, which parsePromptDays reads.
 */
export function promptDayChoices(typed: string, tr: Translator): Choice[] {
  const parts = typed.split(/[,、，]/u).map((part) => part.trim());
  const current = normalizeDayName(parts.pop() ?? '');
  const finished = parts.filter((part) => part !== '');
  const choices: Choice[] = [];
  if (finished.length === 0 && current === '') {
    choices.push(
      { name: tr.t('weeks:choice.every-day'), value: 'every-day' },
      { name: tr.t('weeks:choice.weekdays'), value: 'weekdays' },
      { name: tr.t('weeks:choice.weekends'), value: 'weekends' },
    );
  }
  const chosen = new Set(
    finished.flatMap((part) => {
      const parsed = parsePromptDays(part);
      return parsed.ok ? (parsed.days ?? []) : [];
    }),
  );
  const head = finished.join(',');
  for (const day of WEEKDAYS) {
    if (chosen.has(day)) continue;
    const shown = weekdayName(day, tr);
    if (current !== '' && !normalizeDayName(shown).startsWith(current) && !day.startsWith(current)) continue;
    const value = head === '' ? day : `${head},${day}`;
    if (value.length > DISCORD_LIMITS.choiceValue) continue;
    const finishedNames = fitText(finished.join(', '), DISCORD_LIMITS.choiceName - shown.length - 2);
    choices.push({ name: head === '' ? shown : `${finishedNames}, ${shown}`, value });
  }
  return choices.slice(0, DISCORD_LIMITS.choices);
}

/** A week's announcement: one embed per locale with the theme and what it means for the week. */
export function weekAnnouncementEmbeds(catalog: ThemeCatalog, announcement: WeekAnnouncement): EmbedBuilder[] {
  return announcement.locales.map((locale) => {
    const tr = translator(locale);
    const text = catalog.themeText(announcement.themeId, locale) ?? catalog.theme(announcement.themeId);
    const theme = text?.title ?? announcement.themeId;
    return promptEmbed({
      themeTitle: tr.t('weeks:announcement.title', { theme }),
      promptText: tr.t('weeks:announcement.body', { description: text?.description ?? '' }),
      footer: tr.t('weeks:announcement.footer', { week: tr.date(announcement.week) }),
    });
  });
}

function themeTitle(catalog: ThemeCatalog, themeId: string, tr: Translator): string {
  return catalog.themeText(themeId, tr.locale)?.title ?? catalog.theme(themeId)?.title ?? themeId;
}

/** The line `/setup prompts` adds about days, role and pin, and a warning when pins cannot work yet. */
export function promptExtrasLines(settings: PromptSettings, canPin: boolean, tr: Translator): string[] {
  const lines = [
    tr.t('weeks:reply.prompts-extra', {
      days: promptDaysText(settings.days, tr),
      role: settings.roleId === undefined ? tr.t('weeks:none') : roleMention(settings.roleId),
      pin: tr.t(settings.pin === true ? 'weeks:yes' : 'weeks:no'),
    }),
  ];
  if (settings.pin === true && !canPin)
    lines.push(tr.t('weeks:reply.pin-missing-permission', { channel: channelMention(settings.channelId) }));
  return lines;
}

/** What `/setup themed-weeks` answers. */
export function themedWeeksReply(
  config: GuildConfig,
  order: readonly string[],
  thisWeek: string | undefined,
  catalog: ThemeCatalog,
  tr: Translator,
): string {
  if (!config.themedWeeks?.enabled || thisWeek === undefined) return tr.t('weeks:reply.themed-weeks-off');
  return tr.t('weeks:reply.themed-weeks-on', {
    themes: tr.list(order.map((id) => themeTitle(catalog, id, tr))),
    theme: themeTitle(catalog, thisWeek, tr),
    channel: channelMention(config.prompts?.channelId ?? ''),
  });
}

function pinFailureLine(step: 'pin' | 'unpin', date: LocalDate, failure: Failure, tr: Translator): string {
  const values = { date: tr.date(date), why: fitText(failureText(failure, tr), REASON_MAX_LENGTH) };
  if (failure.kind === 'missing-permission') return tr.t(`weeks:show.${step}-missing-permission`, values);
  if (step === 'pin' && failure.code === MAX_PINS) return tr.t('weeks:show.pin-max-pins', values);
  if (step === 'pin' && failure.code === UNKNOWN_MESSAGE) return tr.t('weeks:show.pin-deleted', values);
  return tr.t(`weeks:show.${step}-other`, values);
}

/** `/setup show`'s lines about days, role and pins (under daily prompts). */
export function promptExtrasShowLines(config: GuildConfig, tr: Translator): string[] {
  const prompts = config.prompts;
  if (!prompts) return [];
  const lines = [
    tr.t('weeks:show.days', { days: promptDaysText(prompts.days, tr) }),
    prompts.roleId === undefined ? tr.t('weeks:show.no-role') : tr.t('weeks:show.role', { role: roleMention(prompts.roleId) }),
    tr.t('weeks:show.pin', { state: tr.t(prompts.pin === true ? 'weeks:yes' : 'weeks:no') }),
  ];
  const failure = config.promptWeeks?.pinFailure;
  if (prompts.pin === true && failure) lines.push(pinFailureLine(failure.step, failure.date, failure.failure, tr));
  return lines;
}

/** `/setup show`'s section on themed weeks. */
export function themedWeeksShowLines(
  config: GuildConfig,
  order: readonly string[],
  thisWeek: { readonly week: LocalDate; readonly themeId: string | undefined },
  catalog: ThemeCatalog,
  tr: Translator,
): string[] {
  if (!config.themedWeeks?.enabled || thisWeek.themeId === undefined) return [tr.t('weeks:show.themed-weeks-off')];
  const lines = [
    tr.t('weeks:show.themed-weeks', { themes: tr.list(order.map((id) => themeTitle(catalog, id, tr))) }),
    tr.t('weeks:show.this-week', { week: tr.date(thisWeek.week), theme: themeTitle(catalog, thisWeek.themeId, tr) }),
  ];
  const announcement = config.promptWeeks?.announcements.find((candidate) => candidate.week === thisWeek.week);
  if (announcement?.status === 'posted') lines.push(tr.t('weeks:show.announced'));
  if (announcement?.status === 'failed' && announcement.failure) {
    lines.push(tr.t('weeks:show.announcement-failed', { why: fitText(failureText(announcement.failure, tr), REASON_MAX_LENGTH) }));
  }
  return lines;
}
