import { channelMention } from 'discord.js';
import type { RoundReport } from '../services/roundService.ts';
import type { Failure } from '../core/failure.ts';
import type { PairingState, RoundRecord } from '../store/roundStore.ts';
import { failureText, promptFailureFix } from './failureText.ts';
import { fitText, REASON_MAX_LENGTH } from './limits.ts';
import { NO_MENTIONS } from './mentions.ts';
import type { TextReply } from './setupMessages.ts';

const RELAXATION_TEXT: Record<string, string> = {
  'repeat-avoidance': 'some members met someone from the last six rounds again',
  'common-language': 'some groups share no language listed in their profiles',
};

/** What `/host post-prompt` answers: the theme (a catalog title) and a link to the post. */
export function promptPostedReply(themeTitle: string, link: string): TextReply {
  return { content: `Posted a **${themeTitle}** prompt: ${link}`, allowedMentions: NO_MENTIONS };
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/**
 * How a round ended, or where it stands, in one line for /host stats and /setup show, for example
 * "delivered 41 of 42 groups; 1 failed: Discord refused the introduction as too long".
 */
export function roundOutcomeText(round: RoundRecord): string {
  const outcome = round.outcome;
  if (round.status === 'delivering' || !outcome)
    return `being delivered (${round.cursor} of ${plural(round.groupCount, 'group')} tried so far)`;
  const total = outcome.delivered + outcome.failed + outcome.cancelled + outcome.waiting;
  const parts = [`delivered ${outcome.delivered} of ${plural(total, 'group')}`];
  const ended = outcome.failed + outcome.cancelled;
  if (ended > 0) {
    const why = outcome.topFailure ? `: ${fitText(failureText(outcome.topFailure.failure), REASON_MAX_LENGTH)}` : '';
    const more = outcome.topFailure && outcome.topFailure.count < ended ? ' (and other reasons)' : '';
    parts.push(`${ended} ${round.status === 'cancelled' ? 'cancelled' : 'failed'}${why}${more}`);
  }
  if (outcome.waiting > 0) {
    parts.push(
      `${plural(outcome.waiting, 'group')} waiting for room for a thread (Discord allows 1,000 active threads per server); Bridges delivers them as earlier rounds' threads are archived, longest-waiting members first`,
    );
  }
  return parts.join('; ');
}

/** What `/host start-round` answers: counts, what is still under way, and what the matcher had to relax. */
export function roundStartedReply(report: RoundReport): TextReply {
  const { round } = report;
  const lines = [
    round.groupCount === 0
      ? `Round ${round.number}: not enough active members to pair (${round.unmatched.length}). Members join with \`/exchange join\`.`
      : `Round ${round.number}: ${plural(report.delivered, 'conversation')} started for ${report.membersDelivered} members in ${channelMention(round.channelId)}.`,
  ];
  if (report.pending > 0) {
    lines.push(
      `${plural(report.pending, 'more conversation is', 'more conversations are')} still being delivered; Bridges carries on by itself, and \`/host stats\` shows how the round ended.`,
    );
  }
  if (report.waiting > 0) {
    lines.push(
      `${plural(report.waiting, 'group is', 'groups are')} waiting for room for a thread (Discord allows 1,000 active threads per server); Bridges delivers them as earlier rounds' threads are archived, longest-waiting members first.`,
    );
  }
  if (report.failed > 0 && round.outcome) lines.push(`Outcome: ${roundOutcomeText(round)}.`);
  if (report.left > 0)
    lines.push(`${plural(report.left, 'member')} had left the server and were skipped; their partners joined other groups.`);
  for (const relaxed of round.relaxed) lines.push(`Relaxed: ${RELAXATION_TEXT[relaxed] ?? relaxed}.`);
  return { content: lines.join('\n'), allowedMentions: NO_MENTIONS };
}

/** Why `/host post-prompt` did not post, for the moderator. */
export function promptNotPostedText(failure: Failure): string {
  if (failure.kind === 'transient' || failure.kind === 'rate-limited')
    return 'Discord did not accept the prompt just now. Please try again in a minute.';
  return `The prompt could not be posted: ${fitText(failureText(failure), REASON_MAX_LENGTH)}. ${promptFailureFix(failure) ?? ''}`.trim();
}

/** The figures `/host stats` shows. */
export interface PairingStatsView {
  readonly state: PairingState;
  readonly optedIn: number;
  readonly paused: number;
  readonly active: number;
  readonly lastRound: RoundRecord | undefined;
}

export function statsReply({ state, optedIn, paused, active, lastRound }: PairingStatsView): TextReply {
  const { stats } = state;
  const share = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${Math.round((100 * part) / whole)}%`);
  return {
    content: [
      '**Pairing in this server**',
      `- Rounds run: ${stats.roundsRun}`,
      `- Members paired: ${stats.membersPaired} (in ${stats.groupsDelivered} conversations)`,
      `- Across different cultures: ${share(stats.crossCultureGroups, stats.groupsDelivered)}`,
      `- Reported meeting: ${share(stats.groupsReportedMet, stats.groupsCheckedIn)} of ${stats.groupsCheckedIn} checked-in conversations`,
      `- Opted in now: ${optedIn} (${active} active, ${paused} paused)`,
      ...(lastRound ? [`- Last round (${lastRound.number}, ${lastRound.date}): ${roundOutcomeText(lastRound)}`] : []),
    ].join('\n'),
    allowedMentions: NO_MENTIONS,
  };
}
