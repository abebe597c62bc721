import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  nextPromptDayTime,
  normalizePromptDays,
  parsePromptDays,
  promptDayDue,
  themedWeekOrder,
  themeOfWeek,
  weekStartOf,
} from '../../src/core/promptWeeks.ts';
import { localDateOf, weekdayOf, WEEKDAYS, type Weekday } from '../../src/core/schedule.ts';

const at = (iso: string): Date => new Date(iso);
const nine = { hour: 9, minute: 0 };
const MWF: Weekday[] = ['monday', 'wednesday', 'friday'];

describe('prompt days', () => {
  it('posts on a chosen day once its time has come, and never on a day that is not chosen', () => {
    // 2026-01-12 is a Monday; 09:00 in Berlin is 08:00 UTC in January.
    expect(promptDayDue(at('2026-01-12T08:00:00Z'), nine, 'Europe/Berlin', MWF, '2026-01-09')).toBe('2026-01-12');
    expect(promptDayDue(at('2026-01-12T07:59:00Z'), nine, 'Europe/Berlin', MWF, '2026-01-09')).toBeUndefined();
    expect(promptDayDue(at('2026-01-13T12:00:00Z'), nine, 'Europe/Berlin', MWF, '2026-01-12')).toBeUndefined();
    expect(promptDayDue(at('2026-01-13T12:00:00Z'), nine, 'Europe/Berlin', undefined, '2026-01-12')).toBe('2026-01-13');
  });

  it('once per local day: a day already posted is not due again', () => {
    expect(promptDayDue(at('2026-01-12T20:00:00Z'), nine, 'Europe/Berlin', MWF, '2026-01-12')).toBeUndefined();
  });

  it('the next prompt is the next chosen day after the one posted', () => {
    expect(nextPromptDayTime(at('2026-01-12T09:00:00Z'), nine, 'Europe/Berlin', MWF, '2026-01-12')).toEqual(at('2026-01-14T08:00:00Z'));
    // Not posted yet today, and today is chosen: today's time, even past (due now).
    expect(nextPromptDayTime(at('2026-01-14T10:00:00Z'), nine, 'Europe/Berlin', MWF, '2026-01-12')).toEqual(at('2026-01-14T08:00:00Z'));
    // Today is not chosen: the next chosen day, whatever was posted before.
    expect(nextPromptDayTime(at('2026-01-13T10:00:00Z'), nine, 'Europe/Berlin', MWF, undefined)).toEqual(at('2026-01-14T08:00:00Z'));
  });

  it('goes on to the next week when no chosen day is left in this one', () => {
    // Wednesday, Monday only: next Monday.
    expect(nextPromptDayTime(at('2026-01-14T10:00:00Z'), nine, 'Europe/Berlin', ['monday'], '2026-01-12')).toEqual(
      at('2026-01-19T08:00:00Z'),
    );
    // Friday posted; the week's chosen days are used up.
    expect(nextPromptDayTime(at('2026-01-16T10:00:00Z'), nine, 'Europe/Berlin', MWF, '2026-01-16')).toEqual(at('2026-01-19T08:00:00Z'));
    // Sunday posted with Sunday only: a week later.
    expect(nextPromptDayTime(at('2026-01-18T10:00:00Z'), nine, 'UTC', ['sunday'], '2026-01-18')).toEqual(at('2026-01-25T09:00:00Z'));
  });

  it('keeps the local time across a daylight-saving change', () => {
    // Berlin moves to summer time on Sunday 2026-03-29: the next Monday's 09:00 is 07:00 UTC, not 08:00.
    expect(nextPromptDayTime(at('2026-03-27T10:00:00Z'), nine, 'Europe/Berlin', ['monday'], '2026-03-23')).toEqual(
      at('2026-03-30T07:00:00Z'),
    );
    // A time inside the gap on the change day posts at the first minute after it (03:00 CEST = 01:00 UTC).
    const due = nextPromptDayTime(at('2026-03-28T12:00:00Z'), { hour: 2, minute: 30 }, 'Europe/Berlin', ['sunday'], '2026-03-22');
    expect(due).toEqual(at('2026-03-29T01:00:00Z'));
    expect(promptDayDue(at('2026-03-29T01:00:00Z'), { hour: 2, minute: 30 }, 'Europe/Berlin', ['sunday'], '2026-03-22')).toBe('2026-03-29');
    // New York falls back on Sunday 2026-11-01: Monday 09:00 EST is 14:00 UTC.
    expect(nextPromptDayTime(at('2026-10-30T12:00:00Z'), nine, 'America/New_York', ['monday'], '2026-10-26')).toEqual(
      at('2026-11-02T14:00:00Z'),
    );
  });

  it('is due exactly when the next prompt time has come, and posts once per chosen local day, in any order of ticks', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland', 'UTC'];
    fc.assert(
      fc.property(
        fc.subarray([...WEEKDAYS], { minLength: 1 }),
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 23 }),
        fc.array(fc.integer({ min: 1, max: 40 * 60 }), { minLength: 1, maxLength: 60 }),
        (days, zone, hour, steps) => {
          let now = at('2026-03-20T00:00:00Z').getTime();
          let last: string | undefined;
          const posted: string[] = [];
          for (const minutes of steps) {
            now += minutes * 60_000;
            const instant = new Date(now);
            const next = nextPromptDayTime(instant, { hour, minute: 0 }, zone, days, last);
            const due = promptDayDue(instant, { hour, minute: 0 }, zone, days, last);
            expect(due !== undefined).toBe(next.getTime() <= now);
            if (due !== undefined) {
              expect(due).toBe(localDateOf(instant, zone));
              expect(days).toContain(weekdayOf(due));
              posted.push(due);
              last = due;
            }
          }
          expect(new Set(posted).size).toBe(posted.length);
          expect([...posted].sort()).toEqual(posted);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('normalises days: ISO order, no repeats, all seven or none meaning every day', () => {
    expect(normalizePromptDays(['friday', 'monday', 'friday'])).toEqual(['monday', 'friday']);
    expect(normalizePromptDays([...WEEKDAYS])).toBeUndefined();
    expect(normalizePromptDays([])).toBeUndefined();
  });
});

describe('reading typed prompt days', () => {
  it.each([
    ['mon,wed,fri', MWF],
    ['Monday, Wednesday, Friday', MWF],
    ['friday,monday,wednesday', MWF],
    ['weekdays', ['monday', 'tuesday', 'wednesday', 'thursday', 'friday']],
    ['weekends', ['saturday', 'sunday']],
    ['lundi, jeudi', ['monday', 'thursday']],
    ['Montag,Mittwoch', ['monday', 'wednesday']],
    ['miércoles', ['wednesday']],
    ['月曜日、金曜日', ['monday', 'friday']],
    ['1,3', ['monday', 'wednesday']],
  ] as const)('reads %s', (typed, days) => {
    expect(parsePromptDays(typed)).toEqual({ ok: true, days });
  });

  it.each(['every-day', 'every day', 'Daily', 'all', 'weekdays, weekends'])('reads %s as every day', (typed) => {
    expect(parsePromptDays(typed)).toEqual({ ok: true, days: undefined });
  });

  it.each([
    ['mon, funday', 'funday'],
    ['tomorrow', 'tomorrow'],
    ['8', '8'],
  ])('names what is not a day in %s', (typed, unknown) => {
    expect(parsePromptDays(typed)).toEqual({ ok: false, unknown });
  });

  it('refuses an empty list', () => {
    expect(parsePromptDays(' , ').ok).toBe(false);
  });
});

describe('themed weeks', () => {
  it('weeks start on Monday', () => {
    expect(weekStartOf('2026-01-12')).toBe('2026-01-12');
    expect(weekStartOf('2026-01-18')).toBe('2026-01-12');
    expect(weekStartOf('2026-03-01')).toBe('2026-02-23');
  });

  it('gives the anchor week the first theme, then one theme a week in order, round and round', () => {
    const order = ['a', 'b', 'c'];
    // Turned on on Wednesday 2026-01-14: the whole week of Monday the 12th is a's.
    expect(themeOfWeek(order, '2026-01-14', '2026-01-12')).toBe('a');
    expect(themeOfWeek(order, '2026-01-14', '2026-01-18')).toBe('a');
    expect(themeOfWeek(order, '2026-01-14', '2026-01-19')).toBe('b');
    expect(themeOfWeek(order, '2026-01-14', '2026-01-26')).toBe('c');
    expect(themeOfWeek(order, '2026-01-14', '2026-02-02')).toBe('a');
    // Weeks across a daylight-saving change are still whole weeks.
    expect(themeOfWeek(order, '2026-03-23', '2026-03-30')).toBe('b');
    // Before the anchor, counting backwards.
    expect(themeOfWeek(order, '2026-01-14', '2026-01-05')).toBe('c');
    expect(themeOfWeek([], '2026-01-14', '2026-01-14')).toBeUndefined();
  });

  it("follows the moderator's order, else the prompt themes in catalog order", () => {
    const catalog = ['one', 'two', 'three', 'four'];
    expect(themedWeekOrder(catalog, [], ['three', 'gone', 'one'])).toEqual(['three', 'one']);
    expect(themedWeekOrder(catalog, ['four', 'two'], [])).toEqual(['two', 'four']);
    expect(themedWeekOrder(catalog, [], [])).toEqual(catalog);
  });
});
