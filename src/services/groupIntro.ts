import type { ThemeCatalog } from '../core/themes.ts';
import type { GroupRecord, RoundRecord } from '../store/roundStore.ts';
import type { GroupIntro } from './discordPort.ts';
import { groupLocaleOf } from './roundLocale.ts';

/**
 * What a group's introduction says, from the stored plan. With `forgotten`, everything that came
 * from that member's profile is left out (languages, cultures, interests and hours are each a
 * comparison with their profile), for /exchange forget.
 */
export function groupIntro(
  catalog: ThemeCatalog,
  round: Pick<RoundRecord, 'date' | 'checkInAt' | 'locale'>,
  group: GroupRecord,
  forgotten?: string,
): GroupIntro {
  const icebreaker = catalog.prompt(group.icebreakerPromptId);
  const locale = groupLocaleOf(round, group);
  const day = Date.parse(`${round.date}T00:00:00Z`);
  const members = forgotten === undefined ? group.memberIds : [...group.memberIds, forgotten];
  const scrub = forgotten !== undefined;
  return {
    memberIds: members,
    sharedLanguages: scrub ? [] : group.reasons.sharedLanguages,
    exchanges: group.reasons.exchanges.filter(
      (exchange) => group.memberIds.includes(exchange.from) && group.memberIds.includes(exchange.to),
    ),
    differentCultures: !scrub && group.reasons.differentCultures,
    overlaps: scrub
      ? []
      : (group.reasons.overlapHoursUtc ?? []).map((window) => ({
          start: new Date(day + window.startMinute * 60_000),
          end: new Date(day + window.endMinute * 60_000),
        })),
    sharedInterests: scrub ? [] : group.reasons.sharedInterests,
    icebreaker: icebreaker && {
      themeTitle: catalog.themeText(icebreaker.theme.id, locale)?.title ?? icebreaker.theme.title,
      text: catalog.promptText(icebreaker.prompt.id, locale) ?? icebreaker.prompt.text,
    },
    followUpAt: new Date(round.checkInAt),
    locale,
  };
}
