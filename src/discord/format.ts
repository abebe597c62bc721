import { TimestampStyles, time } from 'discord.js';

/** A Discord timestamp: each reader sees it in their own time zone. */
export function fullTime(at: Date): string {
  return `${time(at, TimestampStyles.LongDateTime)} (${time(at, TimestampStyles.RelativeTime)})`;
}
