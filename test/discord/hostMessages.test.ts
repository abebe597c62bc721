import fc from 'fast-check';
import { describe, it } from 'vitest';
import { THEME_TITLE_MAX_LENGTH } from '../../src/core/themes.ts';
import { promptPostedReply, roundStartedReply, statsReply } from '../../src/discord/hostMessages.ts';
import type { RoundReport } from '../../src/services/roundService.ts';
import type { GroupRecord } from '../../src/store/roundStore.ts';
import { RUNS, snowflake } from './arbitraries.ts';
import { expectDiscordAcceptsMessage } from './discordRules.ts';

function group(status: GroupRecord['status'], size: number, left: number): GroupRecord {
  const ids = Array.from({ length: size }, (_, i) => `${1000 + i}`);
  return {
    memberIds: ids,
    reasons: { sharedLanguages: [], exchanges: [], differentCultures: false, sharedInterests: [] },
    relaxed: [],
    icebreakerPromptId: 'p',
    status,
    left: ids.slice(0, left),
    answers: {},
  } as GroupRecord;
}

const report: fc.Arbitrary<RoundReport> = fc
  .record({
    number: fc.integer({ min: 1, max: 2 ** 31 }),
    channelId: snowflake,
    groups: fc.array(
      fc.tuple(
        fc.constantFrom('planned' as const, 'creating' as const, 'delivered' as const, 'failed' as const),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 0, max: 2 }),
      ),
      { maxLength: 2500, size: 'max' },
    ),
    // The matcher relaxes at most its two rules, once each.
    relaxed: fc.subarray(['repeat-avoidance', 'common-language']),
    unmatched: fc.array(snowflake, { maxLength: 1 }),
    pending: fc.nat({ max: 2500 }),
    failed: fc.nat({ max: 2500 }),
  })
  .map(({ number, channelId, groups, relaxed, unmatched, pending, failed }) => {
    const records = groups.map(([status, size, left]) => group(status, size, left));
    return {
      round: {
        id: `2026-01-12-${number}`,
        number,
        date: '2026-01-12',
        trigger: 'manual',
        channelId,
        createdAt: '2026-01-12T17:00:00.000Z',
        status: 'delivered',
        relaxed,
        groups: records,
        unmatched,
        checkInAt: '2026-01-15T17:00:00.000Z',
        checkInStatus: 'pending',
      },
      delivered: records.filter((record) => record.status === 'delivered').length,
      pending,
      failed,
    } satisfies RoundReport;
  });

describe('/host replies', () => {
  it('the start-round reply fits for any round up to 2,500 groups', () => {
    fc.assert(
      fc.property(report, (started) => void expectDiscordAcceptsMessage(roundStartedReply(started))),
      RUNS,
    );
  });

  it('the stats reply fits for any figures', () => {
    const count = fc.nat({ max: Number.MAX_SAFE_INTEGER });
    const stats = fc.record({
      roundsRun: count,
      groupsDelivered: count,
      membersPaired: count,
      crossCultureGroups: count,
      groupsCheckedIn: count,
      groupsReportedMet: count,
    });
    const view = fc.record({
      state: fc.record({ roundsStarted: count, roundIds: fc.constant<string[]>([]), stats }),
      optedIn: count,
      paused: count,
      active: count,
    });
    fc.assert(
      fc.property(view, (shown) => void expectDiscordAcceptsMessage(statsReply(shown))),
      RUNS,
    );
  });

  it('the post-prompt reply fits for every theme title the catalog accepts', () => {
    const link = fc.tuple(snowflake, snowflake, snowflake).map(([g, c, m]) => `https://discord.com/channels/${g}/${c}/${m}`);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: THEME_TITLE_MAX_LENGTH, size: 'max' }),
        link,
        (title, url) => void expectDiscordAcceptsMessage(promptPostedReply(title, url)),
      ),
      RUNS,
    );
  });
});
