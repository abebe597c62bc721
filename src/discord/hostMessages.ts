import { channelMention } from 'discord.js';
import type { RoundReport } from '../services/roundService.ts';
import type { PairingState } from '../store/roundStore.ts';
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

/** What `/host start-round` answers: counts, and what the matcher had to relax (at most its two rules). */
export function roundStartedReply(report: RoundReport): TextReply {
  const { round } = report;
  const members = round.groups.filter((group) => group.status === 'delivered').reduce((sum, group) => sum + group.memberIds.length, 0);
  const lines = [
    round.groups.length === 0
      ? `Round ${round.number}: not enough active members to pair (${round.unmatched.length}). Members join with \`/exchange join\`.`
      : `Round ${round.number}: ${report.delivered} conversation${report.delivered === 1 ? '' : 's'} started for ${members} members in ${channelMention(round.channelId)}.`,
  ];
  if (report.pending > 0)
    lines.push(`${report.pending} group${report.pending === 1 ? ' is' : 's are'} waiting on Discord and will be retried shortly.`);
  const left = round.groups.reduce((sum, group) => sum + group.left.length, 0);
  if (left > 0)
    lines.push(`${left} member${left === 1 ? '' : 's'} had left the server and were skipped; their partners joined other groups.`);
  for (const relaxed of round.relaxed) lines.push(`Relaxed: ${RELAXATION_TEXT[relaxed] ?? relaxed}.`);
  return { content: lines.join('\n'), allowedMentions: NO_MENTIONS };
}

/** The figures `/host stats` shows. */
export interface PairingStatsView {
  readonly state: PairingState;
  readonly optedIn: number;
  readonly paused: number;
  readonly active: number;
}

export function statsReply({ state, optedIn, paused, active }: PairingStatsView): TextReply {
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
    ].join('\n'),
    allowedMentions: NO_MENTIONS,
  };
}
