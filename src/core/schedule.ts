/**
 * Local-time scheduling for daily prompts and pairing rounds.
 *
 * Pure: the current instant is always passed in, and IANA time zones are resolved through
 * `Intl` only. Local dates are plain `'YYYY-MM-DD'` strings, so they compare correctly with
 * `<` and can be stored as-is.
 */

/** A wall-clock time of day, 24-hour. */
export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

/** A calendar date in some zone, formatted `'YYYY-MM-DD'`. */
export type LocalDate = string;

/** Days of the week, lower-case English, as stored in settings. */
export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

/** All weekdays, Monday first (ISO order). */
export const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** How often pairing rounds run. */
export type RoundFrequency = 'weekly' | 'biweekly' | 'monthly';

/** All round frequencies. */
export const ROUND_FREQUENCIES: readonly RoundFrequency[] = ['weekly', 'biweekly', 'monthly'];

/**
 * When pairing rounds happen.
 *
 * - `weekly`: every `weekday`;
 * - `biweekly`: every other `weekday`, counting from the first `weekday` on or after `anchorDate`;
 * - `monthly`: the first `weekday` of each month.
 *
 * For every frequency no occurrence falls before `anchorDate`.
 */
export interface RoundSchedule {
  readonly frequency: RoundFrequency;
  readonly weekday: Weekday;
  readonly time: TimeOfDay;
  readonly timeZone: string;
  readonly anchorDate: LocalDate;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Times of day and local dates
// ---------------------------------------------------------------------------------------------

/**
 * Parses a strict 24-hour `'HH:MM'` (or `'H:MM'`) time between 00:00 and 23:59.
 * Surrounding whitespace is ignored; anything else (`'9am'`, `'12:60'`, `''`) gives `undefined`.
 */
export function parseTimeOfDay(text: string): TimeOfDay | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute };
}

/** Formats a time as zero-padded `'HH:MM'`, e.g. `'09:05'`. */
export function formatTimeOfDay(time: TimeOfDay): string {
  return `${pad2(time.hour)}:${pad2(time.minute)}`;
}

/** Whether `text` is a real `'YYYY-MM-DD'` calendar date (so `'2026-02-30'` is not). */
export function isLocalDate(text: string): text is LocalDate {
  return parseLocalDateParts(text) !== undefined;
}

/**
 * The date `days` days after `date` (negative goes back).
 * @throws RangeError when `date` is not a valid `'YYYY-MM-DD'`.
 */
export function addDays(date: LocalDate, days: number): LocalDate {
  return formatUtcDate(localDateToUtcMs(date) + days * DAY_MS);
}

/**
 * The weekday of a calendar date.
 * @throws RangeError when `date` is not a valid `'YYYY-MM-DD'`.
 */
export function weekdayOf(date: LocalDate): Weekday {
  const sundayFirst = new Date(localDateToUtcMs(date)).getUTCDay();
  return WEEKDAYS[(sundayFirst + 6) % 7] as Weekday;
}

/** Whole seconds since the Unix epoch, as Discord's `<t:…>` timestamps expect. */
export function toUnixSeconds(instant: Date): number {
  return Math.floor(instant.getTime() / 1000);
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

function parseLocalDateParts(text: string): { year: number; month: number; day: number } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const probe = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC silently rolls 02-30 over into March; a round trip catches that.
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return undefined;
  }
  return { year, month, day };
}

function localDateToUtcMs(date: LocalDate): number {
  const parts = parseLocalDateParts(date);
  if (!parts) throw new RangeError(`Invalid local date: ${JSON.stringify(date)}`);
  return Date.UTC(parts.year, parts.month - 1, parts.day);
}

function formatUtcDate(ms: number): LocalDate {
  const d = new Date(ms);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((localDateToUtcMs(to) - localDateToUtcMs(from)) / DAY_MS);
}

function assertTimeOfDay(time: TimeOfDay): void {
  const ok =
    Number.isInteger(time.hour) &&
    Number.isInteger(time.minute) &&
    time.hour >= 0 &&
    time.hour <= 23 &&
    time.minute >= 0 &&
    time.minute <= 59;
  if (!ok) throw new RangeError(`Invalid time of day: ${JSON.stringify(time)}`);
}

// ---------------------------------------------------------------------------------------------
// Time zones
// ---------------------------------------------------------------------------------------------

// Keyed by lower-cased zone: Intl treats zone names case-insensitively, and keying this way keeps
// the cache bounded by the number of real zones whatever users type.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  const key = zone.toLowerCase();
  let formatter = formatters.get(key);
  if (!formatter) {
    // Throws RangeError for unknown zones, which is what callers of the date functions get.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallClockOf(instant: Date | number, zone: string): WallClock {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields['year'] ?? NaN,
    month: fields['month'] ?? NaN,
    day: fields['day'] ?? NaN,
    // Some ICU versions print midnight as 24 even with h23.
    hour: (fields['hour'] ?? NaN) % 24,
    minute: fields['minute'] ?? NaN,
    second: fields['second'] ?? NaN,
  };
}

/** The zone's UTC offset in milliseconds (whole seconds) at an instant. */
function offsetAt(instantMs: number, zone: string): number {
  const wall = wallClockOf(instantMs, zone);
  const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return wallMs - Math.floor(instantMs / 1000) * 1000;
}

/**
 * Whether `zone` is an IANA time zone name this runtime knows (checked with `Intl.DateTimeFormat`).
 * Names are matched case-insensitively, like Intl does; surrounding spaces and raw offsets such as
 * `'+01:00'` are refused.
 */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

// CLDR (and so older V8/ICU) still canonicalizes to these legacy spellings; IANA renamed them.
const MODERN_ZONE_NAMES: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Godthab': 'America/Nuuk',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
};

interface ZoneEntry {
  readonly name: string;
  /** Lower-cased names this entry answers to: its own and any legacy spelling. */
  readonly keys: readonly string[];
}

let zoneIndex: { entries: readonly ZoneEntry[]; byKey: ReadonlyMap<string, string> } | undefined;

function getZoneIndex(): { entries: readonly ZoneEntry[]; byKey: ReadonlyMap<string, string> } {
  if (zoneIndex) return zoneIndex;
  const legacyByModern = new Map<string, string>();
  const names = new Set<string>(['UTC']);
  for (const raw of Intl.supportedValuesOf('timeZone')) {
    const modern = MODERN_ZONE_NAMES[raw];
    if (modern !== undefined && isValidTimeZone(modern)) {
      names.add(modern);
      legacyByModern.set(modern, raw);
    } else {
      names.add(raw);
    }
  }
  // Newer runtimes list modern names already; legacy spellings should still find them.
  for (const [legacy, modern] of Object.entries(MODERN_ZONE_NAMES)) {
    if (names.has(modern) && !legacyByModern.has(modern)) legacyByModern.set(modern, legacy);
  }
  const entries = [...names].sort().map((name): ZoneEntry => {
    const legacy = legacyByModern.get(name);
    return { name, keys: legacy === undefined ? [name.toLowerCase()] : [name.toLowerCase(), legacy.toLowerCase()] };
  });
  const byKey = new Map<string, string>();
  for (const entry of entries) for (const key of entry.keys) byKey.set(key, entry.name);
  zoneIndex = { entries, byKey };
  return zoneIndex;
}

/**
 * The canonical IANA spelling of a zone name matched case-insensitively
 * (`'europe/berlin'` → `'Europe/Berlin'`, `'Asia/Calcutta'` → `'Asia/Kolkata'`), resolving links
 * the runtime knows (`'US/Eastern'` → `'America/New_York'` on most runtimes); `undefined` if unknown.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  if (!isValidTimeZone(zone)) return undefined;
  const { byKey } = getZoneIndex();
  const direct = byKey.get(zone.toLowerCase());
  if (direct !== undefined) return direct;
  const resolved = formatterFor(zone).resolvedOptions().timeZone;
  return byKey.get(resolved.toLowerCase()) ?? resolved;
}

// Offered for an empty autocomplete query, and preferred among equally good matches.
const POPULAR_ZONES: readonly string[] = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'Europe/Madrid',
  'Europe/Istanbul',
  'Europe/Moscow',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Mexico_City',
  'America/Sao_Paulo',
  'America/Argentina/Buenos_Aires',
  'Africa/Lagos',
  'Africa/Cairo',
  'Africa/Johannesburg',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Jakarta',
  'Asia/Shanghai',
  'Asia/Seoul',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Europe/Rome',
  'America/Toronto',
  'Asia/Singapore',
  'Asia/Manila',
];

function normalizeZoneQuery(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/\s*\/\s*/g, '/')
    .replace(/[\s_]+/g, '_');
}

function matchRank(key: string, query: string): number | undefined {
  if (key === query) return 0;
  if (key.startsWith(query)) return 1;
  const segments = key.split('/').slice(1);
  if (segments.some((segment) => segment.startsWith(query))) return 2;
  if (segments.some((segment) => segment.split(/[_-]/).some((word) => word.startsWith(query)))) return 3;
  if (key.includes(query)) return 4;
  return undefined;
}

/**
 * Time zones for autocomplete: the runtime's zones (`Intl.supportedValuesOf('timeZone')`) plus
 * `'UTC'`, in canonical IANA spelling. Exact matches come first, then prefixes of the whole name,
 * then prefixes of a city part (`'berl'` → `'Europe/Berlin'`), then word prefixes and substrings;
 * popular zones lead within a tier. Case-insensitive; `'_'` and `' '` are equivalent.
 * An empty query gives a list of popular zones. At most `limit` results.
 */
export function searchTimeZones(query: string, limit = 25): string[] {
  const max = Math.max(0, Math.floor(limit));
  const { entries } = getZoneIndex();
  const known = new Set(entries.map((entry) => entry.name));
  const q = normalizeZoneQuery(query);
  if (q === '') return POPULAR_ZONES.filter((zone) => known.has(zone)).slice(0, max);

  const popularity = (name: string): number => {
    const index = POPULAR_ZONES.indexOf(name);
    return index === -1 ? POPULAR_ZONES.length : index;
  };
  const ranked: { name: string; rank: number }[] = [];
  const aliasTarget = canonicalTimeZone(q.replace(/ /g, '_'));
  for (const entry of entries) {
    let best: number | undefined = entry.name === aliasTarget ? 0 : undefined;
    for (const key of entry.keys) {
      const rank = matchRank(key, q);
      if (rank !== undefined && (best === undefined || rank < best)) best = rank;
    }
    if (best !== undefined) ranked.push({ name: entry.name, rank: best });
  }
  ranked.sort((a, b) => a.rank - b.rank || popularity(a.name) - popularity(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return ranked.slice(0, max).map((entry) => entry.name);
}

// ---------------------------------------------------------------------------------------------
// Instants and local wall-clock time
// ---------------------------------------------------------------------------------------------

/**
 * The calendar date in `zone` at `instant`.
 * @throws RangeError for an unknown zone.
 */
export function localDateOf(instant: Date, zone: string): LocalDate {
  const wall = wallClockOf(instant, zone);
  return `${String(wall.year).padStart(4, '0')}-${pad2(wall.month)}-${pad2(wall.day)}`;
}

/**
 * The wall-clock time (hour and minute) in `zone` at `instant`.
 * @throws RangeError for an unknown zone.
 */
export function localTimeOf(instant: Date, zone: string): TimeOfDay {
  const wall = wallClockOf(instant, zone);
  return { hour: wall.hour, minute: wall.minute };
}

/**
 * The instant at which `time` happens on `date` in `zone`. A time skipped by a spring-forward
 * change resolves to the first valid minute after the gap (02:30 on the day clocks jump
 * 02:00→03:00 gives 03:00); a repeated time in a fall-back change resolves to its first occurrence.
 * @throws RangeError for an invalid date, time or zone.
 */
export function zonedTimeToInstant(date: LocalDate, time: TimeOfDay, zone: string): Date {
  assertTimeOfDay(time);
  // As if the wall-clock time were UTC; the real instant is this minus the offset in force then.
  const wallMs = localDateToUtcMs(date) + time.hour * 3_600_000 + time.minute * MINUTE_MS;

  // Offsets a day either side bracket any transition near this time (zones change at most once a
  // day); the offsets at the first guesses catch the rest.
  const offsets = new Set<number>([offsetAt(wallMs - DAY_MS, zone), offsetAt(wallMs + DAY_MS, zone)]);
  for (const offset of [...offsets]) offsets.add(offsetAt(wallMs - offset, zone));

  let earliest: number | undefined;
  for (const offset of offsets) {
    const candidate = wallMs - offset;
    if (offsetAt(candidate, zone) === offset && (earliest === undefined || candidate < earliest)) earliest = candidate;
  }
  if (earliest !== undefined) return new Date(earliest);

  // No offset maps back to this wall time: it lies in a gap. Find the transition by bisection
  // between an instant before the gap (using the larger offset) and one after it (the smaller).
  const sorted = [...offsets].sort((a, b) => a - b);
  const smallest = sorted[0] ?? 0;
  const largest = sorted[sorted.length - 1] ?? 0;
  let lo = Math.floor((wallMs - largest) / 1000);
  let hi = Math.ceil((wallMs - smallest) / 1000);
  const before = offsetAt(lo * 1000, zone);
  if (before === offsetAt(hi * 1000, zone)) return new Date(wallMs - smallest);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid * 1000, zone) === before) lo = mid;
    else hi = mid;
  }
  return new Date(Math.ceil((hi * 1000) / MINUTE_MS) * MINUTE_MS);
}

// ---------------------------------------------------------------------------------------------
// Daily prompts
// ---------------------------------------------------------------------------------------------

/** Whether `lastDate` already covers `date` (equal, or later after a westward zone change). */
function alreadyDone(lastDate: LocalDate | undefined, date: LocalDate): boolean {
  return lastDate !== undefined && lastDate >= date;
}

/**
 * Daily prompts. Returns the local date a prompt is due for at `now`, or `undefined`: due when
 * `now` ≥ today's due instant and `lastPostedDate` is not today. Posting late the same local day
 * is fine; a missed earlier day is never returned (it is skipped). A `lastPostedDate` later than
 * today (possible right after the server moves to a zone further west) also counts as posted,
 * so a zone change never causes two posts in one day.
 */
export function dailyPostDue(now: Date, time: TimeOfDay, zone: string, lastPostedDate: LocalDate | undefined): LocalDate | undefined {
  const today = localDateOf(now, zone);
  if (alreadyDone(lastPostedDate, today)) return undefined;
  return now.getTime() >= zonedTimeToInstant(today, time, zone).getTime() ? today : undefined;
}

/**
 * The next instant a daily post is due after considering `lastPostedDate`: today's due instant if
 * not yet posted today (even if it is in the past, i.e. "due now/late"), else tomorrow's (or the
 * day after `lastPostedDate`, if that is later). Consistent with {@link dailyPostDue}: the result
 * is ≤ `now` exactly when a post is due.
 */
export function nextDailyPostTime(now: Date, time: TimeOfDay, zone: string, lastPostedDate: LocalDate | undefined): Date {
  const today = localDateOf(now, zone);
  const date = alreadyDone(lastPostedDate, today) ? addDays(lastPostedDate ?? today, 1) : today;
  return zonedTimeToInstant(date, time, zone);
}

// ---------------------------------------------------------------------------------------------
// Pairing rounds
// ---------------------------------------------------------------------------------------------

function weekdayOnOrAfter(date: LocalDate, weekday: Weekday): LocalDate {
  const target = WEEKDAYS.indexOf(weekday);
  if (target === -1) throw new RangeError(`Invalid weekday: ${JSON.stringify(weekday)}`);
  const current = WEEKDAYS.indexOf(weekdayOf(date));
  return addDays(date, (target - current + 7) % 7);
}

function firstWeekdayOfMonth(year: number, month: number, weekday: Weekday): LocalDate {
  return weekdayOnOrAfter(formatUtcDate(Date.UTC(year, month - 1, 1)), weekday);
}

/** The first occurrence date of `schedule` on or after `date`. */
function occurrenceOnOrAfter(schedule: RoundSchedule, date: LocalDate): LocalDate {
  const start = date < schedule.anchorDate ? schedule.anchorDate : date;
  switch (schedule.frequency) {
    case 'weekly':
      return weekdayOnOrAfter(start, schedule.weekday);
    case 'biweekly': {
      const first = weekdayOnOrAfter(schedule.anchorDate, schedule.weekday);
      if (start <= first) return first;
      return addDays(first, Math.ceil(daysBetween(first, start) / 14) * 14);
    }
    case 'monthly': {
      const utc = new Date(localDateToUtcMs(start));
      const year = utc.getUTCFullYear();
      const month = utc.getUTCMonth() + 1;
      const thisMonth = firstWeekdayOfMonth(year, month, schedule.weekday);
      if (thisMonth >= start) return thisMonth;
      return month === 12 ? firstWeekdayOfMonth(year + 1, 1, schedule.weekday) : firstWeekdayOfMonth(year, month + 1, schedule.weekday);
    }
    default:
      throw new RangeError(`Invalid round frequency: ${JSON.stringify((schedule as { frequency: unknown }).frequency)}`);
  }
}

/** Whether `date` is one of the schedule's occurrence dates. */
export function isRoundDate(schedule: RoundSchedule, date: LocalDate): boolean {
  return occurrenceOnOrAfter(schedule, date) === date;
}

/** The first round occurrence whose instant is ≥ `from`, as its local date and instant. */
export function nextRoundOccurrence(schedule: RoundSchedule, from: Date): { date: LocalDate; at: Date } {
  // Start a day early: near a gap at midnight an occurrence's instant can fall on the next day.
  let date = occurrenceOnOrAfter(schedule, addDays(localDateOf(from, schedule.timeZone), -1));
  for (;;) {
    const at = zonedTimeToInstant(date, schedule.time, schedule.timeZone);
    if (at.getTime() >= from.getTime()) return { date, at };
    date = occurrenceOnOrAfter(schedule, addDays(date, 1));
  }
}

/**
 * The round date due at `now`: today's local date when today is an occurrence, its instant is
 * ≤ `now`, and it is not `lastRoundDate` (nor before it); otherwise `undefined`. Like daily posts,
 * running late the same local day is fine and an earlier missed day is skipped.
 */
export function roundDue(schedule: RoundSchedule, now: Date, lastRoundDate: LocalDate | undefined): LocalDate | undefined {
  const today = localDateOf(now, schedule.timeZone);
  if (alreadyDone(lastRoundDate, today) || !isRoundDate(schedule, today)) return undefined;
  const at = zonedTimeToInstant(today, schedule.time, schedule.timeZone);
  return now.getTime() >= at.getTime() ? today : undefined;
}

/**
 * The next occurrence not yet run: the first occurrence on or after today (skipping
 * `lastRoundDate` and anything before it). Today's occurrence is returned even when its instant has
 * passed (due now/late), so the result is ≤ `now` exactly when {@link roundDue} returns a date.
 */
export function nextRoundTime(schedule: RoundSchedule, now: Date, lastRoundDate: LocalDate | undefined): { date: LocalDate; at: Date } {
  const today = localDateOf(now, schedule.timeZone);
  const start = alreadyDone(lastRoundDate, today) ? addDays(lastRoundDate ?? today, 1) : today;
  const date = occurrenceOnOrAfter(schedule, start);
  return { date, at: zonedTimeToInstant(date, schedule.time, schedule.timeZone) };
}

/**
 * The UTC offset of `zone` on the local day of `now`, in minutes (east positive), taken at local
 * noon, when no zone changes its clocks; undefined for a zone the runtime does not know.
 */
export function utcOffsetMinutes(now: Date, zone: string): number | undefined {
  try {
    const date = localDateOf(now, zone);
    const local = Date.parse(`${date}T12:00:00Z`);
    return Math.round((local - zonedTimeToInstant(date, { hour: 12, minute: 0 }, zone).getTime()) / 60_000);
  } catch {
    return undefined;
  }
}
