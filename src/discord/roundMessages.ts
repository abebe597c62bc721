import { channelMention } from 'discord.js';
import type { RoundReport } from '../services/roundService.ts';
import type { RoundRecord } from '../store/roundStore.ts';
import { failureText } from './failureText.ts';

const RELAXATION_TEXT: Record<string, string> = {
  'repeat-avoidance': 'some members met someone from the last six rounds again',
  'common-language': 'some groups share no language listed in their profiles',
};

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
  if (outcome.failed + outcome.cancelled > 0) {
    const why = outcome.topFailure ? `: ${failureText(outcome.topFailure.failure)}` : '';
    const more = outcome.topFailure && outcome.topFailure.count < outcome.failed + outcome.cancelled ? ' (and other reasons)' : '';
    parts.push(`${outcome.failed + outcome.cancelled} ${round.status === 'cancelled' ? 'cancelled' : 'failed'}${why}${more}`);
  }
  if (outcome.waiting > 0) {
    parts.push(
      `${plural(outcome.waiting, 'group')} waiting for room for a thread (Discord allows 1,000 active threads per server); Bridges delivers them as earlier rounds' threads are archived, longest-waiting members first`,
    );
  }
  return parts.join('; ');
}

/** The reply to /host start-round. */
export function startRoundReply(report: RoundReport): string {
  const { round } = report;
  const lines: string[] = [];
  if (round.groupCount === 0) {
    lines.push(
      `Round ${round.number}: not enough active members to pair (${round.unmatched.length}). Members join with \`/exchange join\`.`,
    );
  } else {
    lines.push(
      `Round ${round.number}: ${plural(report.delivered, 'conversation')} started for ${report.membersDelivered} members in ${channelMention(round.channelId)}.`,
    );
  }
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
  return lines.join('\n');
}
