/**
 * Prompt days and themed weeks: on which weekdays daily prompts go out, and which theme a week has.
 *
 * Pure: the current instant is passed in; local dates are `'YYYY-MM-DD'` strings in the server's
 * zone, as in `schedule.ts`. Weeks run Monday to Sunday (ISO).
 */
import { SUPPORTED_LOCALES } from './locales.ts';
import { addDays, localDateOf, weekdayOf, WEEKDAYS, zonedTimeToInstant, type LocalDate, type TimeOfDay, type Weekday } from './schedule.ts';

/** Monday to Friday. */
export const WORKING_DAYS: readonly Weekday[] = WEEKDAYS.slice(0, 5);
/** Saturday and Sunday. */
export const WEEKEND_DAYS: readonly Weekday[] = WEEKDAYS.slice(5);

/**
 * The chosen weekdays in ISO order, without duplicates. An empty list and all seven both mean
 * every day, stored as `undefined`.
 */
export function normalizePromptDays(days: readonly Weekday[] | undefined): Weekday[] | undefined {
  if (days === undefined) return undefined;
  const chosen = WEEKDAYS.filter((day) => days.includes(day));
  return chosen.length === 0 || chosen.length === WEEKDAYS.length ? undefined : chosen;
}

function isChosen(days: readonly Weekday[] | undefined, date: LocalDate): boolean {
  return days === undefined || days.length === 0 || days.includes(weekdayOf(date));
}

/** Whether `lastDate` already covers `date` (equal, or later after a westward zone change). */
function alreadyDone(lastDate: LocalDate | undefined, date: LocalDate): boolean {
  return lastDate !== undefined && lastDate >= date;
}

/**
 * The local date a prompt is due for at `now` on a server that posts on `days` (undefined: every
 * day), or `undefined`. Like `dailyPostDue`: due from today's time until the local day ends, once
 * per local day, and a day that is not chosen is never due.
 */
export function promptDayDue(
  now: Date,
  time: TimeOfDay,
  zone: string,
  days: readonly Weekday[] | undefined,
  lastPostedDate: LocalDate | undefined,
): LocalDate | undefined {
  const today = localDateOf(now, zone);
  if (alreadyDone(lastPostedDate, today) || !isChosen(days, today)) return undefined;
  return now.getTime() >= zonedTimeToInstant(today, time, zone).getTime() ? today : undefined;
}

/**
 * The instant of the next prompt not yet posted, on a chosen day: today's when today is chosen and
 * not yet posted (even if its time has passed: due now), else the first chosen day after, which may
 * be in the next week. Consistent with {@link promptDayDue}: the result is ≤ `now` exactly when a
 * prompt is due.
 */
export function nextPromptDayTime(
  now: Date,
  time: TimeOfDay,
  zone: string,
  days: readonly Weekday[] | undefined,
  lastPostedDate: LocalDate | undefined,
): Date {
  const today = localDateOf(now, zone);
  let date = alreadyDone(lastPostedDate, today) ? addDays(lastPostedDate ?? today, 1) : today;
  // Seven consecutive dates hold every weekday, so a non-empty choice is always found.
  for (let tries = 0; tries < 7 && !isChosen(days, date); tries++) date = addDays(date, 1);
  return zonedTimeToInstant(date, time, zone);
}

/** The Monday that starts the (ISO) week of `date`. */
export function weekStartOf(date: LocalDate): LocalDate {
  return addDays(date, -WEEKDAYS.indexOf(weekdayOf(date)));
}

/**
 * The theme of the week holding `date`: themes take turns in `order`, one a week, starting with
 * the first in the week of `anchorDate` (the week themed weeks were turned on). `undefined` for an
 * empty order.
 */
export function themeOfWeek(order: readonly string[], anchorDate: LocalDate, date: LocalDate): string | undefined {
  if (order.length === 0) return undefined;
  const weeks = Math.round(
    (Date.parse(`${weekStartOf(date)}T00:00:00Z`) - Date.parse(`${weekStartOf(anchorDate)}T00:00:00Z`)) / 604_800_000,
  );
  return order[((weeks % order.length) + order.length) % order.length];
}

/**
 * The order themed weeks follow: the moderator's order when given, else the server's enabled
 * themes (`enabledThemeIds`, empty meaning all) in catalog order. Ids not in the catalog are dropped.
 */
export function themedWeekOrder(
  catalogThemeIds: readonly string[],
  enabledThemeIds: readonly string[],
  chosenOrder: readonly string[],
): string[] {
  const known = new Set(catalogThemeIds);
  const chosen = chosenOrder.filter((id) => known.has(id));
  if (chosen.length > 0) return chosen;
  return enabledThemeIds.length === 0 ? [...catalogThemeIds] : catalogThemeIds.filter((id) => enabledThemeIds.includes(id));
}

// Every spelling a weekday answers to: English and each supported language's long and short names,
// lower-cased without accents or dots ("mié." → "mie"), plus ISO numbers 1–7.
let weekdayNames: ReadonlyMap<string, Weekday> | undefined;

/** A weekday name as it is compared: lower-cased, without accents, dots or spaces. */
export function normalizeDayName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[.\s]+/gu, '');
}

function weekdayNameIndex(): ReadonlyMap<string, Weekday> {
  if (weekdayNames) return weekdayNames;
  const names = new Map<string, Weekday>();
  WEEKDAYS.forEach((day, index) => {
    names.set(day, day);
    names.set(day.slice(0, 3), day);
    names.set(String(index + 1), day);
  });
  for (const locale of SUPPORTED_LOCALES) {
    for (const style of ['long', 'short'] as const) {
      const format = new Intl.DateTimeFormat(locale, { weekday: style, timeZone: 'UTC' });
      WEEKDAYS.forEach((day, index) => {
        // 2024-01-01 was a Monday.
        const name = normalizeDayName(format.format(Date.UTC(2024, 0, 1 + index)));
        if (!names.has(name)) names.set(name, day);
      });
    }
  }
  weekdayNames = names;
  return names;
}

/** The result of reading typed prompt days: the days, or the part that is not a day. */
export type ParsedPromptDays =
  { readonly ok: true; readonly days: Weekday[] | undefined } | { readonly ok: false; readonly unknown: string };

/**
 * Reads prompt days as typed or picked: `every-day` (also "every day", "daily", "all"), `weekdays`,
 * `weekends`, or weekdays separated by commas, in English or any supported language, long or
 * short ("mon,wed,fri", "lundi, jeudi", "月曜日"). Every day comes back as `undefined`.
 */
export function parsePromptDays(typed: string): ParsedPromptDays {
  const text = typed.trim().toLowerCase();
  if (['every-day', 'every day', 'everyday', 'daily', 'all'].includes(text)) return { ok: true, days: undefined };
  const tokens = text
    .split(/[,、，;]+/u)
    .map((token) => token.trim())
    .filter((token) => token !== '');
  if (tokens.length === 0) return { ok: false, unknown: typed };
  const days: Weekday[] = [];
  for (const token of tokens) {
    if (token === 'weekdays') days.push(...WORKING_DAYS);
    else if (token === 'weekends' || token === 'weekend') days.push(...WEEKEND_DAYS);
    else {
      const day = weekdayNameIndex().get(normalizeDayName(token));
      if (day === undefined) return { ok: false, unknown: token };
      days.push(day);
    }
  }
  return { ok: true, days: normalizePromptDays(days) };
}
