import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { THEME_TITLE_MAX_LENGTH } from '../../src/core/themes.ts';
import {
  promptNotPostedProblem,
  promptPostedReply,
  roundOutcomeText,
  roundStartedReply,
  statsReply,
} from '../../src/discord/hostMessages.ts';
import { translator } from '../../src/discord/i18n.ts';
import { problemText } from '../../src/discord/problemText.ts';
import type { RoundReport } from '../../src/services/roundService.ts';
import { anyTranslator, RUNS, failure, snowflake, storedRound } from './arbitraries.ts';
import { expectDiscordAcceptsMessage } from './discordRules.ts';

const report: fc.Arbitrary<RoundReport> = fc.record({
  round: storedRound,
  delivered: fc.nat({ max: 2500 }),
  membersDelivered: fc.nat({ max: 7500 }),
  pending: fc.nat({ max: 2500 }),
  waiting: fc.nat({ max: 2500 }),
  failed: fc.nat({ max: 2500 }),
  left: fc.nat({ max: 5000 }),
});

describe('/host replies', () => {
  it('the start-round reply fits for any round up to 2,500 groups', () => {
    fc.assert(
      fc.property(report, anyTranslator, (started, tr) => void expectDiscordAcceptsMessage(roundStartedReply(started, tr))),
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
      groupsFailed: count,
    });
    const view = fc.record({
      state: fc.record({ roundsStarted: count, roundIds: fc.constant<string[]>([]), stats }),
      optedIn: count,
      paused: count,
      active: count,
      lastRound: fc.option(storedRound, { nil: undefined }),
    });
    fc.assert(
      fc.property(view, anyTranslator, (shown, tr) => void expectDiscordAcceptsMessage(statsReply(shown, tr))),
      RUNS,
    );
  });

  it('the reply to a prompt that was not posted fits whatever Discord said', () => {
    fc.assert(
      fc.property(failure, anyTranslator, (why, tr) => {
        const text = problemText(promptNotPostedProblem(why), tr);
        expect(text.length).toBeLessThanOrEqual(600);
        expectDiscordAcceptsMessage({ content: text, allowedMentions: { parse: [] } });
      }),
      RUNS,
    );
  });

  it('a round that ended on a refusal says so in plain words', () => {
    const round = fc.sample(storedRound, 1)[0]!;
    const ended = {
      ...round,
      status: 'delivered' as const,
      outcome: {
        delivered: 41,
        failed: 1,
        cancelled: 0,
        waiting: 0,
        membersDelivered: 82,
        topFailure: { failure: { kind: 'rejected' as const, step: 'intro' as const, code: 50035, detail: 'too-long' }, count: 1 },
      },
    };
    expect(roundOutcomeText(ended, translator('en-US'))).toBe(
      'delivered 41 of 42 groups; 1 failed: Discord refused the introduction as too long',
    );
  });

  it('the post-prompt reply fits for every theme title the catalog accepts', () => {
    const link = fc.tuple(snowflake, snowflake, snowflake).map(([g, c, m]) => `https://discord.com/channels/${g}/${c}/${m}`);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: THEME_TITLE_MAX_LENGTH, size: 'max' }),
        link,
        anyTranslator,
        (title, url, tr) => void expectDiscordAcceptsMessage(promptPostedReply(title, url, tr)),
      ),
      RUNS,
    );
  });
});
