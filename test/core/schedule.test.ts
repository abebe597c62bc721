import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ROUND_FREQUENCIES,
  WEEKDAYS,
  addDays,
  canonicalTimeZone,
  dailyPostDue,
  formatTimeOfDay,
  isLocalDate,
  isRoundDate,
  isValidTimeZone,
  localDateOf,
  localTimeOf,
  nextDailyPostTime,
  nextRoundOccurrence,
  nextRoundTime,
  parseTimeOfDay,
  roundDue,
  searchTimeZones,
  toUnixSeconds,
  weekdayOf,
  zonedTimeToInstant,
  type LocalDate,
  type RoundSchedule,
  type TimeOfDay,
  type Weekday,
} from '../../src/core/schedule.ts';

const at = (iso: string): Date => new Date(iso);
const t = (hour: number, minute = 0): TimeOfDay => ({ hour, minute });
const iso = (date: Date): string => date.toISOString().replace('.000Z', 'Z');

// An oracle independent of the module: the wall clock of an instant in a zone, as 'YYYY-MM-DD HH:MM'.
const oracleFormatters = new Map<string, Intl.DateTimeFormat>();
function wall(instant: Date | number, zone: string): string {
  let f = oracleFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    oracleFormatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${p['year']}-${p['month']}-${p['day']} ${String(Number(p['hour']) % 24).padStart(2, '0')}:${p['minute']}`;
}

/** Every instant (whole minutes, modern offsets are multiples of 15 min) showing `date time` in `zone`. */
function instantsShowing(date: LocalDate, time: TimeOfDay, zone: string): number[] {
  const target = `${date} ${formatTimeOfDay(time)}`;
  const asUtc = Date.parse(`${date}T${formatTimeOfDay(time)}:00Z`);
  const found: number[] = [];
  for (let offsetMin = -13 * 60; offsetMin <= 15 * 60; offsetMin += 15) {
    const candidate = asUtc - offsetMin * 60_000;
    if (wall(candidate, zone) === target) found.push(candidate);
  }
  return found.sort((a, b) => a - b);
}

/** Checks zonedTimeToInstant against the oracle, including the gap rule. */
function checkAgainstOracle(date: LocalDate, time: TimeOfDay, zone: string): void {
  const result = zonedTimeToInstant(date, time, zone).getTime();
  const target = `${date} ${formatTimeOfDay(time)}`;
  const showing = instantsShowing(date, time, zone);
  if (showing.length > 0) {
    // Exists: the first occurrence, and it round-trips through localDateOf/localTimeOf.
    expect(result, `${zone} ${target}`).toBe(showing[0]);
    expect(localDateOf(new Date(result), zone)).toBe(date);
    expect(localTimeOf(new Date(result), zone)).toEqual(time);
  } else {
    // In a gap: the first minute after it, i.e. later than the target while the minute before is earlier.
    expect(wall(result, zone) > target, `${zone} ${target} → ${wall(result, zone)}`).toBe(true);
    expect(wall(result - 60_000, zone) < target, `${zone} ${target} minute before`).toBe(true);
  }
}

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/Santiago',
  'America/Sao_Paulo',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Africa/Casablanca',
] as const;

const arbZone = fc.constantFrom(...ZONES);
const arbDate = fc.integer({ min: 0, max: 365 * 40 }).map((days) => addDays('2000-01-01', days));
const arbTime = fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }) });
const arbInstant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }).map((ms) => new Date(ms));

describe('parseTimeOfDay / formatTimeOfDay', () => {
  it('parses strict 24-hour times', () => {
    expect(parseTimeOfDay('09:05')).toEqual(t(9, 5));
    expect(parseTimeOfDay('9:05')).toEqual(t(9, 5));
    expect(parseTimeOfDay('00:00')).toEqual(t(0, 0));
    expect(parseTimeOfDay('23:59')).toEqual(t(23, 59));
    expect(parseTimeOfDay(' 18:30 ')).toEqual(t(18, 30));
  });

  it.each(['25:99', '24:00', '9am', '12:60', '', '12', '12:5', '123:45', '12:345', '-1:00', '12:00:00', '١٢:٠٠', '12.30', '12 :30'])(
    'refuses %j',
    (text) => {
      expect(parseTimeOfDay(text)).toBeUndefined();
    },
  );

  it('formats with zero padding and round-trips', () => {
    expect(formatTimeOfDay(t(9, 5))).toBe('09:05');
    fc.assert(fc.property(arbTime, (time) => void expect(parseTimeOfDay(formatTimeOfDay(time))).toEqual(time)));
  });
});

describe('time zone names', () => {
  it('accepts real zones and refuses others', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    for (const bad of ['Mars/Olympus', '', 'Europe/Berlin ', ' Europe/Berlin', 'Europe', '+01:00', 'Berlin', 'Europe//Berlin']) {
      expect(isValidTimeZone(bad), bad).toBe(false);
    }
  });

  it('canonicalizes spelling case-insensitively', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('EUROPE/BERLIN')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('america/new_york')).toBe('America/New_York');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('asia/calcutta')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('Europe/Kiev')).toBe('Europe/Kyiv');
    expect(canonicalTimeZone('Mars/Olympus')).toBeUndefined();
    expect(canonicalTimeZone('')).toBeUndefined();
  });

  it('every supported zone canonicalizes to a valid zone that is its own canonical form', () => {
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const canonical = canonicalTimeZone(zone);
      expect(canonical, zone).toBeDefined();
      expect(isValidTimeZone(canonical!)).toBe(true);
      expect(canonicalTimeZone(canonical!)).toBe(canonical);
    }
  });
});

describe('searchTimeZones', () => {
  it('finds Berlin by whole-name prefix and by city prefix', () => {
    const byPrefix = searchTimeZones('europe/be');
    expect(byPrefix.slice(0, 3)).toContain('Europe/Berlin');
    expect(byPrefix.every((zone) => zone.toLowerCase().startsWith('europe/be'))).toBe(true);
    expect(searchTimeZones('berl')[0]).toBe('Europe/Berlin');
    expect(searchTimeZones('BERLIN')[0]).toBe('Europe/Berlin');
  });

  it('treats spaces and underscores alike', () => {
    expect(searchTimeZones('new york')[0]).toBe('America/New_York');
    expect(searchTimeZones('new_york')[0]).toBe('America/New_York');
    expect(searchTimeZones('Los Angeles')[0]).toBe('America/Los_Angeles');
  });

  it('ranks prefixes before substrings', () => {
    const results = searchTimeZones('lon');
    expect(results[0]).toBe('Europe/London');
    const firstSubstringOnly = results.findIndex((zone) => !zone.split('/').some((part) => part.toLowerCase().startsWith('lon')));
    const lastPrefix = results.findLastIndex((zone) => zone.split('/').some((part) => part.toLowerCase().startsWith('lon')));
    if (firstSubstringOnly !== -1) expect(lastPrefix).toBeLessThan(firstSubstringOnly);
  });

  it('finds UTC and modern names from legacy ones', () => {
    expect(searchTimeZones('utc')[0]).toBe('UTC');
    expect(searchTimeZones('kolkata')).toContain('Asia/Kolkata');
    expect(searchTimeZones('calcutta')).toContain('Asia/Kolkata');
    expect(searchTimeZones('kiev')).toContain('Europe/Kyiv');
  });

  it('offers popular zones for an empty query and respects the limit', () => {
    const popular = searchTimeZones('');
    expect(popular.length).toBeGreaterThan(10);
    expect(popular.length).toBeLessThanOrEqual(25);
    expect(popular).toContain('UTC');
    expect(popular.every(isValidTimeZone)).toBe(true);
    expect(searchTimeZones('a').length).toBe(25);
    expect(searchTimeZones('a', 5).length).toBe(5);
    expect(searchTimeZones('zzzzqqq')).toEqual([]);
  });

  it('only returns valid, distinct zones, at most 25, for any query', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (query) => {
        const results = searchTimeZones(query);
        expect(results.length).toBeLessThanOrEqual(25);
        expect(new Set(results).size).toBe(results.length);
        for (const zone of results) expect(isValidTimeZone(zone)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('local dates', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-29', 0)).toBe('2026-03-29');
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('26-1-1', 1)).toThrow(RangeError);
  });

  it('validates dates', () => {
    expect(isLocalDate('2026-02-28')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-2-28')).toBe(false);
  });

  it('knows weekdays', () => {
    expect(weekdayOf('2026-01-01')).toBe('thursday');
    expect(weekdayOf('2026-03-08')).toBe('sunday');
    expect(weekdayOf('2026-03-09')).toBe('monday');
    fc.assert(
      fc.property(arbDate, (date) => {
        const index = WEEKDAYS.indexOf(weekdayOf(date));
        expect(WEEKDAYS.indexOf(weekdayOf(addDays(date, 1)))).toBe((index + 1) % 7);
      }),
    );
  });

  it('reads the local date where it differs from the UTC date', () => {
    // 2026-01-01T11:00Z is already Jan 2 at +14 and still Dec 31 at −11.
    expect(localDateOf(at('2026-01-01T11:00:00Z'), 'Pacific/Kiritimati')).toBe('2026-01-02');
    expect(localTimeOf(at('2026-01-01T11:00:00Z'), 'Pacific/Kiritimati')).toEqual(t(1, 0));
    expect(localDateOf(at('2026-01-01T09:00:00Z'), 'Pacific/Pago_Pago')).toBe('2025-12-31');
    expect(localTimeOf(at('2026-01-01T09:00:00Z'), 'Pacific/Pago_Pago')).toEqual(t(22, 0));
    expect(localDateOf(at('2026-01-01T11:00:00Z'), 'UTC')).toBe('2026-01-01');
  });

  it('converts to Unix seconds', () => {
    expect(toUnixSeconds(at('1970-01-01T00:00:01.999Z'))).toBe(1);
    expect(toUnixSeconds(at('2026-01-01T00:00:00Z'))).toBe(1_767_225_600);
  });

  it('throws RangeError for unknown zones', () => {
    expect(() => localDateOf(at('2026-01-01T00:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => zonedTimeToInstant('2026-01-01', t(9), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('zonedTimeToInstant', () => {
  it('follows Berlin summer time', () => {
    expect(iso(zonedTimeToInstant('2026-01-15', t(9), 'Europe/Berlin'))).toBe('2026-01-15T08:00:00Z');
    expect(iso(zonedTimeToInstant('2026-07-15', t(9), 'Europe/Berlin'))).toBe('2026-07-15T07:00:00Z');
  });

  it('moves a skipped spring-forward time to the end of the gap', () => {
    const result = zonedTimeToInstant('2026-03-08', t(2, 30), 'America/New_York');
    expect(iso(result)).toBe('2026-03-08T07:00:00Z');
    expect(localTimeOf(result, 'America/New_York')).toEqual(t(3, 0));
    expect(iso(zonedTimeToInstant('2026-03-08', t(2, 0), 'America/New_York'))).toBe('2026-03-08T07:00:00Z');
    expect(iso(zonedTimeToInstant('2026-03-08', t(1, 59), 'America/New_York'))).toBe('2026-03-08T06:59:00Z');
    expect(iso(zonedTimeToInstant('2026-03-08', t(3, 0), 'America/New_York'))).toBe('2026-03-08T07:00:00Z');
    expect(iso(zonedTimeToInstant('2026-03-29', t(2, 30), 'Europe/Berlin'))).toBe('2026-03-29T01:00:00Z');
  });

  it('takes the first occurrence of a repeated fall-back time', () => {
    expect(iso(zonedTimeToInstant('2026-11-01', t(1, 30), 'America/New_York'))).toBe('2026-11-01T05:30:00Z');
    expect(iso(zonedTimeToInstant('2026-11-01', t(2, 0), 'America/New_York'))).toBe('2026-11-01T07:00:00Z');
    expect(iso(zonedTimeToInstant('2026-10-25', t(2, 30), 'Europe/Berlin'))).toBe('2026-10-25T00:30:00Z');
  });

  it('handles Lord Howe’s 30-minute daylight saving', () => {
    // +10:30 in winter, +11 in summer; clocks go 02:00→02:30 on 2026-10-04 and 02:00→01:30 on 2026-04-05.
    expect(iso(zonedTimeToInstant('2026-07-01', t(9), 'Australia/Lord_Howe'))).toBe('2026-06-30T22:30:00Z');
    expect(iso(zonedTimeToInstant('2026-01-15', t(9), 'Australia/Lord_Howe'))).toBe('2026-01-14T22:00:00Z');
    const skipped = zonedTimeToInstant('2026-10-04', t(2, 15), 'Australia/Lord_Howe');
    expect(iso(skipped)).toBe('2026-10-03T15:30:00Z');
    expect(localTimeOf(skipped, 'Australia/Lord_Howe')).toEqual(t(2, 30));
    expect(iso(zonedTimeToInstant('2026-04-05', t(1, 45), 'Australia/Lord_Howe'))).toBe('2026-04-04T14:45:00Z');
  });

  it('handles southern-hemisphere summer time', () => {
    expect(iso(zonedTimeToInstant('2026-01-15', t(9), 'Australia/Sydney'))).toBe('2026-01-14T22:00:00Z');
    expect(iso(zonedTimeToInstant('2026-07-15', t(9), 'Australia/Sydney'))).toBe('2026-07-14T23:00:00Z');
    // New Zealand springs forward 02:00→03:00 on 2026-09-27.
    expect(iso(zonedTimeToInstant('2026-09-27', t(2, 30), 'Pacific/Auckland'))).toBe('2026-09-26T14:00:00Z');
  });

  it('handles half- and quarter-hour offsets', () => {
    expect(iso(zonedTimeToInstant('2026-01-15', t(9), 'Asia/Kolkata'))).toBe('2026-01-15T03:30:00Z');
    expect(iso(zonedTimeToInstant('2026-07-15', t(9), 'Pacific/Chatham'))).toBe('2026-07-14T20:15:00Z');
    expect(iso(zonedTimeToInstant('2026-01-15', t(9), 'Pacific/Chatham'))).toBe('2026-01-14T19:15:00Z');
    expect(iso(zonedTimeToInstant('2026-01-15', t(9), 'Asia/Kathmandu'))).toBe('2026-01-15T03:15:00Z');
  });

  it('handles zones a day away from UTC', () => {
    expect(iso(zonedTimeToInstant('2026-01-02', t(9), 'Pacific/Kiritimati'))).toBe('2026-01-01T19:00:00Z');
    expect(iso(zonedTimeToInstant('2026-01-01', t(20), 'Pacific/Pago_Pago'))).toBe('2026-01-02T07:00:00Z');
  });

  it('moves into a skipped day (Samoa, 2011-12-30) to the following midnight', () => {
    const result = zonedTimeToInstant('2011-12-30', t(12), 'Pacific/Apia');
    expect(wall(result, 'Pacific/Apia')).toBe('2011-12-31 00:00');
  });

  it('refuses invalid times and dates', () => {
    expect(() => zonedTimeToInstant('2026-01-01', t(24, 0), 'UTC')).toThrow(RangeError);
    expect(() => zonedTimeToInstant('2026-01-01', t(9, 60), 'UTC')).toThrow(RangeError);
    expect(() => zonedTimeToInstant('2026-01-01', t(9.5, 0), 'UTC')).toThrow(RangeError);
    expect(() => zonedTimeToInstant('2026-13-01', t(9), 'UTC')).toThrow(RangeError);
  });

  it('agrees with a brute-force oracle for every minute of transition days', () => {
    const days: [LocalDate, string][] = [
      ['2026-03-08', 'America/New_York'],
      ['2026-11-01', 'America/New_York'],
      ['2026-03-29', 'Europe/Berlin'],
      ['2026-10-25', 'Europe/Berlin'],
      ['2026-10-04', 'Australia/Lord_Howe'],
      ['2026-04-05', 'Australia/Lord_Howe'],
      ['2026-09-27', 'Pacific/Chatham'],
      ['2018-11-04', 'America/Sao_Paulo'], // spring forward at midnight: 00:00 → 01:00
      ['2026-04-05', 'America/Santiago'],
    ];
    for (const [date, zone] of days) {
      for (let minute = 0; minute < 24 * 60; minute += 5) checkAgainstOracle(date, t(Math.floor(minute / 60), minute % 60), zone);
    }
  });

  it('property: agrees with the oracle; existing minutes round-trip through localDateOf/localTimeOf', () => {
    fc.assert(
      fc.property(arbDate, arbTime, arbZone, (date, time, zone) => checkAgainstOracle(date, time, zone)),
      { numRuns: 400 },
    );
  });

  it('property: localDateOf/localTimeOf then zonedTimeToInstant returns the instant’s first-occurrence minute', () => {
    fc.assert(
      fc.property(arbInstant, arbZone, (instant, zone) => {
        const minute = new Date(Math.floor(instant.getTime() / 60_000) * 60_000);
        const back = zonedTimeToInstant(localDateOf(minute, zone), localTimeOf(minute, zone), zone);
        // Equal, or an earlier first occurrence of the same wall time (fall-back repeat).
        expect(back.getTime()).toBeLessThanOrEqual(minute.getTime());
        expect(wall(back, zone)).toBe(wall(minute, zone));
      }),
      { numRuns: 400 },
    );
  });
});

describe('daily posts', () => {
  const nine = t(9);

  it('is due from the configured time until posted, and not before', () => {
    const zone = 'Europe/Berlin';
    expect(dailyPostDue(at('2026-01-15T07:59:59Z'), nine, zone, '2026-01-14')).toBeUndefined();
    expect(dailyPostDue(at('2026-01-15T08:00:00Z'), nine, zone, '2026-01-14')).toBe('2026-01-15');
    expect(dailyPostDue(at('2026-01-15T08:00:00Z'), nine, zone, undefined)).toBe('2026-01-15');
    expect(dailyPostDue(at('2026-01-15T08:01:00Z'), nine, zone, '2026-01-15')).toBeUndefined();
  });

  it('posts late the same local day', () => {
    expect(dailyPostDue(at('2026-01-15T22:59:00Z'), nine, 'Europe/Berlin', '2026-01-14')).toBe('2026-01-15');
    expect(iso(nextDailyPostTime(at('2026-01-15T22:59:00Z'), nine, 'Europe/Berlin', '2026-01-14'))).toBe('2026-01-15T08:00:00Z');
  });

  it('crosses the local day boundary', () => {
    // 23:00Z is already Jan 16 in Berlin: the Jan 15 post is done, Jan 16’s is not due until 08:00Z.
    expect(dailyPostDue(at('2026-01-15T23:00:00Z'), nine, 'Europe/Berlin', '2026-01-15')).toBeUndefined();
    expect(iso(nextDailyPostTime(at('2026-01-15T23:00:00Z'), nine, 'Europe/Berlin', '2026-01-15'))).toBe('2026-01-16T08:00:00Z');
    // A midnight post is due right at the boundary.
    expect(dailyPostDue(at('2026-01-15T23:00:00Z'), t(0), 'Europe/Berlin', '2026-01-15')).toBe('2026-01-16');
  });

  it('skips a missed day instead of posting it late', () => {
    // Offline all of Jan 15; on Jan 16 before 09:00 nothing is due, then Jan 16 is.
    expect(dailyPostDue(at('2026-01-16T07:00:00Z'), nine, 'Europe/Berlin', '2026-01-14')).toBeUndefined();
    expect(iso(nextDailyPostTime(at('2026-01-16T07:00:00Z'), nine, 'Europe/Berlin', '2026-01-14'))).toBe('2026-01-16T08:00:00Z');
    expect(dailyPostDue(at('2026-01-16T08:00:00Z'), nine, 'Europe/Berlin', '2026-01-14')).toBe('2026-01-16');
  });

  it('handles a 23-hour day and a 25-hour day', () => {
    const zone = 'America/New_York';
    // 23 hours: 2026-03-08. 09:00 EDT is 13:00Z; the previous 09:00 EST was 14:00Z on Mar 7.
    expect(iso(nextDailyPostTime(at('2026-03-07T14:00:00Z'), nine, zone, '2026-03-07'))).toBe('2026-03-08T13:00:00Z');
    expect(dailyPostDue(at('2026-03-08T12:59:00Z'), nine, zone, '2026-03-07')).toBeUndefined();
    expect(dailyPostDue(at('2026-03-08T13:00:00Z'), nine, zone, '2026-03-07')).toBe('2026-03-08');
    // A time inside the gap is due at the end of the gap.
    expect(iso(nextDailyPostTime(at('2026-03-08T05:00:00Z'), t(2, 30), zone, '2026-03-07'))).toBe('2026-03-08T07:00:00Z');
    // 25 hours: 2026-11-01. 09:00 EST is 14:00Z; 23:30 local that day is 04:30Z on Nov 2, still Nov 1.
    expect(iso(nextDailyPostTime(at('2026-10-31T13:00:00Z'), nine, zone, '2026-10-31'))).toBe('2026-11-01T14:00:00Z');
    expect(dailyPostDue(at('2026-11-02T04:30:00Z'), nine, zone, '2026-10-31')).toBe('2026-11-01');
    expect(dailyPostDue(at('2026-11-02T04:30:00Z'), nine, zone, '2026-11-01')).toBeUndefined();
    // The repeated 01:30 posts once, at its first occurrence.
    expect(dailyPostDue(at('2026-11-01T05:30:00Z'), t(1, 30), zone, '2026-10-31')).toBe('2026-11-01');
    expect(dailyPostDue(at('2026-11-01T06:30:00Z'), t(1, 30), zone, '2026-11-01')).toBeUndefined();
  });

  it('works where the local date is not the UTC date', () => {
    // Kiritimati (+14): 09:00 Jan 2 local is 19:00Z Jan 1.
    expect(dailyPostDue(at('2026-01-01T19:00:00Z'), nine, 'Pacific/Kiritimati', '2026-01-01')).toBe('2026-01-02');
    // Pago Pago (−11): 09:00 Jan 1 local is 20:00Z Jan 1; at 12:00Z Jan 2 it is still Jan 1 there.
    expect(dailyPostDue(at('2026-01-02T10:00:00Z'), nine, 'Pacific/Pago_Pago', '2025-12-31')).toBe('2026-01-01');
    expect(dailyPostDue(at('2026-01-02T10:00:00Z'), nine, 'Pacific/Pago_Pago', '2026-01-01')).toBeUndefined();
  });

  it('does not post twice after a move to a zone further west', () => {
    // Posted "Jan 2" in Kiritimati, then switched to Pago Pago where it is still Jan 1.
    expect(dailyPostDue(at('2026-01-01T22:00:00Z'), nine, 'Pacific/Pago_Pago', '2026-01-02')).toBeUndefined();
    expect(iso(nextDailyPostTime(at('2026-01-01T22:00:00Z'), nine, 'Pacific/Pago_Pago', '2026-01-02'))).toBe('2026-01-03T20:00:00Z');
  });

  it('property: next time is ≥ today’s due instant, shows the configured time outside gaps, and agrees with dailyPostDue', () => {
    const arbLast = fc.option(fc.integer({ min: -3, max: 2 }), { nil: undefined });
    fc.assert(
      fc.property(arbInstant, arbTime, arbZone, arbLast, (now, time, zone, lastOffset) => {
        const today = localDateOf(now, zone);
        const last = lastOffset === undefined ? undefined : addDays(today, lastOffset);
        const next = nextDailyPostTime(now, time, zone, last);
        const todayDue = zonedTimeToInstant(today, time, zone);
        expect(next.getTime()).toBeGreaterThanOrEqual(todayDue.getTime());
        const nextDate = localDateOf(next, zone);
        if (instantsShowing(nextDate, time, zone).length > 0) expect(localTimeOf(next, zone)).toEqual(time);
        const due = dailyPostDue(now, time, zone, last);
        if (due === undefined) {
          expect(next.getTime()).toBeGreaterThan(now.getTime());
        } else {
          expect(due).toBe(today);
          expect(next.getTime()).toBeLessThanOrEqual(now.getTime());
          expect(nextDate).toBe(today);
          // Once posted, the next one is tomorrow’s.
          expect(localDateOf(nextDailyPostTime(now, time, zone, due), zone)).toBe(addDays(today, 1));
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('round schedules', () => {
  const schedule = (overrides: Partial<RoundSchedule>): RoundSchedule => ({
    frequency: 'weekly',
    weekday: 'monday',
    time: t(18),
    timeZone: 'Europe/Berlin',
    anchorDate: '2026-01-01',
    ...overrides,
  });

  it('weekly: every weekday, following DST', () => {
    const weekly = schedule({});
    // Berlin springs forward on Sunday 2026-03-29: 18:00 is 17:00Z before and 16:00Z after.
    const before = nextRoundOccurrence(weekly, at('2026-03-18T12:00:00Z'));
    expect(before.date).toBe('2026-03-23');
    expect(iso(before.at)).toBe('2026-03-23T17:00:00Z');
    const after = nextRoundOccurrence(weekly, at('2026-03-23T17:00:01Z'));
    expect(after.date).toBe('2026-03-30');
    expect(iso(after.at)).toBe('2026-03-30T16:00:00Z');
    // Exactly at the instant counts (≥).
    expect(nextRoundOccurrence(weekly, at('2026-03-23T17:00:00Z')).date).toBe('2026-03-23');
  });

  it('biweekly: every other weekday from the first one on or after the anchor', () => {
    const biweekly = schedule({ frequency: 'biweekly', anchorDate: '2026-01-01' }); // a Thursday
    const dates: LocalDate[] = [];
    let last: LocalDate | undefined;
    for (let i = 0; i < 5; i++) {
      const next = nextRoundTime(biweekly, at('2026-01-01T00:00:00Z'), last);
      dates.push(next.date);
      last = next.date;
    }
    expect(dates).toEqual(['2026-01-05', '2026-01-19', '2026-02-02', '2026-02-16', '2026-03-02']);
    expect(isRoundDate(biweekly, '2026-01-12')).toBe(false);
    expect(isRoundDate(biweekly, '2026-03-30')).toBe(true);
    // Anchored on the weekday itself: that day is the first occurrence.
    const onDay = schedule({ frequency: 'biweekly', anchorDate: '2026-01-12' });
    expect(nextRoundOccurrence(onDay, at('2026-01-01T00:00:00Z')).date).toBe('2026-01-12');
    expect(nextRoundOccurrence(onDay, at('2026-01-12T17:00:01Z')).date).toBe('2026-01-26');
    // Across the DST change: 2026-03-16 and 2026-03-30 (after the change) keep the 18:00 local time.
    const fromMarch = nextRoundOccurrence(biweekly, at('2026-03-17T00:00:00Z'));
    expect(fromMarch.date).toBe('2026-03-30');
    expect(iso(fromMarch.at)).toBe('2026-03-30T16:00:00Z');
  });

  it('monthly: the first weekday of each month, across month and year ends', () => {
    const monthly = schedule({ frequency: 'monthly', weekday: 'friday' });
    expect(nextRoundOccurrence(monthly, at('2026-01-01T00:00:00Z')).date).toBe('2026-01-02');
    expect(nextRoundOccurrence(monthly, at('2026-01-03T00:00:00Z')).date).toBe('2026-02-06');
    expect(nextRoundOccurrence(monthly, at('2026-01-31T23:00:00Z')).date).toBe('2026-02-06');
    expect(nextRoundOccurrence(monthly, at('2026-02-28T12:00:00Z')).date).toBe('2026-03-06');
    expect(nextRoundOccurrence(monthly, at('2026-12-05T00:00:00Z')).date).toBe('2027-01-01');
    const sunday = schedule({ frequency: 'monthly', weekday: 'sunday', time: t(2, 30) });
    // The first Sunday of November 2026 is New York’s fall-back day; 02:30 comes after the repeat, at −05:00.
    const ny = { ...sunday, timeZone: 'America/New_York' };
    const nov = nextRoundOccurrence(ny, at('2026-10-20T00:00:00Z'));
    expect(nov.date).toBe('2026-11-01');
    expect(iso(nov.at)).toBe('2026-11-01T07:30:00Z');
  });

  it('never occurs before the anchor date', () => {
    const weekly = schedule({ anchorDate: '2026-02-01' });
    expect(nextRoundOccurrence(weekly, at('2026-01-01T00:00:00Z')).date).toBe('2026-02-02');
    expect(roundDue(weekly, at('2026-01-26T18:00:00Z'), undefined)).toBeUndefined();
  });

  it('roundDue: due from the instant on the same local day, once', () => {
    const weekly = schedule({});
    expect(roundDue(weekly, at('2026-03-23T16:59:00Z'), undefined)).toBeUndefined();
    expect(roundDue(weekly, at('2026-03-23T17:00:00Z'), undefined)).toBe('2026-03-23');
    expect(roundDue(weekly, at('2026-03-23T22:59:00Z'), '2026-03-09')).toBe('2026-03-23'); // late, same day
    expect(roundDue(weekly, at('2026-03-23T17:00:00Z'), '2026-03-23')).toBeUndefined();
    expect(roundDue(weekly, at('2026-03-23T23:00:00Z'), undefined)).toBeUndefined(); // Tuesday in Berlin: missed, skipped
    expect(roundDue(weekly, at('2026-03-22T17:00:00Z'), undefined)).toBeUndefined(); // a Sunday
  });

  it('nextRoundTime: today even when late, then skips the last run date', () => {
    const weekly = schedule({});
    const late = nextRoundTime(weekly, at('2026-03-23T20:00:00Z'), '2026-03-16');
    expect(late.date).toBe('2026-03-23');
    expect(iso(late.at)).toBe('2026-03-23T17:00:00Z');
    expect(nextRoundTime(weekly, at('2026-03-23T20:00:00Z'), '2026-03-23').date).toBe('2026-03-30');
    // A missed day is not returned.
    expect(nextRoundTime(weekly, at('2026-03-24T08:00:00Z'), '2026-03-16').date).toBe('2026-03-30');
  });

  /** Independent definition of occurrence dates. */
  function oracleIsRoundDate(s: RoundSchedule, date: LocalDate): boolean {
    if (date < s.anchorDate || weekdayOf(date) !== s.weekday) return false;
    if (s.frequency === 'weekly') return true;
    if (s.frequency === 'monthly') return Number(date.slice(8)) <= 7;
    let first = s.anchorDate;
    while (weekdayOf(first) !== s.weekday) first = addDays(first, 1);
    return Math.round((Date.parse(date) - Date.parse(first)) / 86_400_000) % 14 === 0;
  }

  const arbSchedule = fc.record({
    frequency: fc.constantFrom(...ROUND_FREQUENCIES),
    weekday: fc.constantFrom<Weekday>(...WEEKDAYS),
    time: arbTime,
    timeZone: arbZone,
    anchorDate: arbDate,
  });

  it('property: occurrence dates match their definition', () => {
    fc.assert(
      fc.property(arbSchedule, fc.integer({ min: -30, max: 400 }), (s, delta) => {
        const date = addDays(s.anchorDate, delta);
        expect(isRoundDate(s, date)).toBe(oracleIsRoundDate(s, date));
      }),
      { numRuns: 1000 },
    );
  });

  it('property: nextRoundOccurrence is the first occurrence at or after `from`', () => {
    fc.assert(
      fc.property(arbSchedule, fc.integer({ min: -10, max: 200 }), fc.integer({ min: 0, max: 86_399 }), (s, delta, second) => {
        const from = new Date(Date.parse(addDays(s.anchorDate, delta)) + second * 1000);
        const next = nextRoundOccurrence(s, from);
        expect(oracleIsRoundDate(s, next.date)).toBe(true);
        expect(next.at.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(next.at.getTime()).toBe(zonedTimeToInstant(next.date, s.time, s.timeZone).getTime());
        for (let d = addDays(next.date, -1); d >= addDays(next.date, -40); d = addDays(d, -1)) {
          if (oracleIsRoundDate(s, d)) {
            expect(zonedTimeToInstant(d, s.time, s.timeZone).getTime()).toBeLessThan(from.getTime());
            break;
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: roundDue and nextRoundTime agree', () => {
    fc.assert(
      fc.property(
        arbSchedule,
        fc.integer({ min: -10, max: 200 }),
        fc.integer({ min: 0, max: 86_399 }),
        fc.option(fc.integer({ min: -20, max: 3 }), { nil: undefined }),
        (s, delta, second, lastOffset) => {
          const now = new Date(Date.parse(addDays(s.anchorDate, delta)) + second * 1000);
          const today = localDateOf(now, s.timeZone);
          const last = lastOffset === undefined ? undefined : addDays(today, lastOffset);
          const due = roundDue(s, now, last);
          const next = nextRoundTime(s, now, last);
          expect(oracleIsRoundDate(s, next.date)).toBe(true);
          expect(next.date >= today).toBe(true);
          if (last !== undefined) expect(next.date > last).toBe(true);
          if (due === undefined) {
            expect(next.at.getTime()).toBeGreaterThan(now.getTime());
          } else {
            expect(due).toBe(today);
            expect(next.date).toBe(due);
            expect(next.at.getTime()).toBeLessThanOrEqual(now.getTime());
            expect(roundDue(s, now, due)).toBeUndefined();
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
