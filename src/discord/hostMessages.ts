import { channelMention } from 'discord.js';
import type { RoundReport } from '../services/roundService.ts';
import type { Failure } from '../core/failure.ts';
import type { PairingState, RoundRecord } from '../store/roundStore.ts';
import { problem, type Problem } from '../core/problem.ts';
import { failureText } from './failureText.ts';
import type { Translator } from './i18n.ts';
import { fitText, REASON_MAX_LENGTH } from './limits.ts';
import { NO_MENTIONS } from './mentions.ts';
import type { TextReply } from './setupMessages.ts';

/** What `/host post-prompt` answers: the theme (a catalog title) and a link to the post. */
export function promptPostedReply(themeTitle: string, link: string, tr: Translator): TextReply {
  return { content: tr.t('host:posted', { theme: themeTitle, link }), allowedMentions: NO_MENTIONS };
}

/**
 * How a round ended, or where it stands, in one line for /host stats and /setup show, for example
 * "delivered 41 of 42 groups; 1 failed: Discord refused the introduction as too long".
 */
export function roundOutcomeText(round: RoundRecord, tr: Translator): string {
  const outcome = round.outcome;
  if (round.status === 'delivering' || !outcome)
    return tr.t('host:outcome.being-delivered', { cursor: round.cursor, count: round.groupCount });
  const total = outcome.delivered + outcome.failed + outcome.cancelled + outcome.waiting;
  const parts = [tr.t('host:outcome.delivered', { delivered: outcome.delivered, count: total })];
  const ended = outcome.failed + outcome.cancelled;
  if (ended > 0) {
    const why = outcome.topFailure
      ? tr.t('host:outcome.why', { reason: fitText(failureText(outcome.topFailure.failure, tr), REASON_MAX_LENGTH) })
      : '';
    const more = outcome.topFailure && outcome.topFailure.count < ended ? tr.t('host:outcome.other-reasons') : '';
    parts.push(tr.t(round.status === 'cancelled' ? 'host:outcome.cancelled' : 'host:outcome.failed', { count: ended, why, more }));
  }
  if (outcome.waiting > 0) parts.push(tr.t('host:outcome.waiting', { count: outcome.waiting }));
  return parts.join(tr.t('host:outcome.separator'));
}

/** What `/host start-round` answers: counts, what is still under way, and what the matcher had to relax. */
export function roundStartedReply(report: RoundReport, tr: Translator): TextReply {
  const { round } = report;
  const lines = [
    round.groupCount === 0
      ? tr.t('host:round.too-few', { number: round.number, unmatched: round.unmatched.length })
      : tr.t('host:round.started', {
          number: round.number,
          count: report.delivered,
          members: report.membersDelivered,
          channel: channelMention(round.channelId),
        }),
  ];
  if (report.pending > 0) lines.push(tr.t('host:round.pending', { count: report.pending }));
  if (report.waiting > 0) lines.push(tr.t('host:round.waiting', { count: report.waiting }));
  if (report.failed > 0 && round.outcome) lines.push(tr.t('host:round.outcome', { outcome: roundOutcomeText(round, tr) }));
  if (report.left > 0) lines.push(tr.t('host:round.left', { count: report.left }));
  for (const relaxed of round.relaxed) {
    const key = `host:relaxed.${relaxed}`;
    lines.push(tr.t('host:round.relaxed', { what: tr.has(key) ? tr.t(key) : relaxed }));
  }
  return { content: lines.join('\n'), allowedMentions: NO_MENTIONS };
}

/** Why `/host post-prompt` did not post, for the moderator. */
export function promptNotPostedProblem(failure: Failure): Problem {
  if (failure.kind === 'transient' || failure.kind === 'rate-limited') return problem('prompt-not-posted-retry');
  return problem('prompt-not-posted', { failure: { failure }, fix: { fix: failure } });
}

/** The figures `/host stats` shows. */
export interface PairingStatsView {
  readonly state: PairingState;
  readonly optedIn: number;
  readonly paused: number;
  readonly active: number;
  readonly lastRound: RoundRecord | undefined;
}

export function statsReply({ state, optedIn, paused, active, lastRound }: PairingStatsView, tr: Translator): TextReply {
  const { stats } = state;
  const percent = new Intl.NumberFormat(tr.locale, { style: 'percent' });
  const share = (part: number, whole: number) =>
    whole === 0 ? tr.t('common:not-available') : percent.format(Math.round((100 * part) / whole) / 100);
  return {
    content: [
      tr.t('host:stats.title'),
      tr.t('host:stats.rounds', { rounds: tr.number(stats.roundsRun) }),
      tr.t('host:stats.paired', { members: tr.number(stats.membersPaired), groups: tr.number(stats.groupsDelivered) }),
      tr.t('host:stats.cross-culture', { share: share(stats.crossCultureGroups, stats.groupsDelivered) }),
      tr.t('host:stats.met', { share: share(stats.groupsReportedMet, stats.groupsCheckedIn), checkedIn: tr.number(stats.groupsCheckedIn) }),
      tr.t('host:stats.opted-in', { optedIn: tr.number(optedIn), active: tr.number(active), paused: tr.number(paused) }),
      ...(lastRound
        ? [
            tr.t('host:stats.last-round', {
              number: lastRound.number,
              date: tr.date(lastRound.date),
              outcome: roundOutcomeText(lastRound, tr),
            }),
          ]
        : []),
    ].join('\n'),
    allowedMentions: NO_MENTIONS,
  };
}
