import { nextRoundTime, parseTimeOfDay, roundDue, type LocalDate, type RoundSchedule } from '../core/schedule.ts';
import type { PairingSettings } from '../store/guildConfigStore.ts';

export function roundScheduleOf(settings: PairingSettings): RoundSchedule {
  const time = parseTimeOfDay(settings.time);
  if (!time) throw new Error(`Stored round time is invalid: ${settings.time}`);
  return { frequency: settings.frequency, weekday: settings.weekday, time, timeZone: settings.timeZone, anchorDate: settings.anchorDate };
}

/** When the next scheduled round starts, given the last scheduled date that already ran. */
export function nextRoundAt(settings: PairingSettings, lastScheduledDate: LocalDate | undefined, now: Date): Date {
  return nextRoundTime(roundScheduleOf(settings), now, lastScheduledDate).at;
}

export function roundDueDate(settings: PairingSettings, lastScheduledDate: LocalDate | undefined, now: Date): LocalDate | undefined {
  return roundDue(roundScheduleOf(settings), now, lastScheduledDate);
}
