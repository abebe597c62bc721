import { groupLocale, resolveLocale, type SupportedLocale } from '../core/locales.ts';
import type { GroupRecord, RoundRecord } from '../store/roundStore.ts';

/** The server's locale as the round stored it; rounds from before Bridges spoke other languages are in English. */
export function roundLocale(round: Pick<RoundRecord, 'locale'>): SupportedLocale {
  return resolveLocale(round.locale);
}

/** The locale of a group's introduction, check-in and notes. */
export function groupLocaleOf(round: Pick<RoundRecord, 'locale'>, group: Pick<GroupRecord, 'reasons'>): SupportedLocale {
  return groupLocale(group.reasons.sharedLanguages, roundLocale(round));
}
