import { ActionRowBuilder, ButtonBuilder, ButtonStyle, TimestampStyles, time, userMention, type MessageCreateOptions } from 'discord.js';
import type { CheckInAnswer } from '../store/roundStore.ts';
import type { GroupIntro } from '../services/discordPort.ts';
import { mentionOnly, NO_MENTIONS } from './mentions.ts';

export const CHECK_IN_PREFIX = 'checkin';

export const CHECK_IN_LABELS: Record<CheckInAnswer, string> = {
  met: 'We met',
  'not-yet': 'Not yet',
  'cant-make-it': "Can't make it",
};

/** The one message that opens a group's thread: who, why in one sentence, and an icebreaker. */
export function introMessage(intro: GroupIntro): MessageCreateOptions {
  const names = listOf(intro.memberIds.map((id) => userMention(id)));
  return {
    content: [
      `👋 ${names}, meet each other! ${whyMatched(intro)}`,
      '',
      `**Icebreaker** (${intro.icebreaker.themeTitle}): ${intro.icebreaker.text}`,
      '',
      `Find a time that suits you all, by text or voice. Bridges will check in ${time(intro.followUpAt, TimestampStyles.RelativeTime)}.`,
    ].join('\n'),
    allowedMentions: mentionOnly(intro.memberIds),
  };
}

/** One human sentence built from whatever the matcher found; missing parts are simply left out. */
export function whyMatched(intro: GroupIntro): string {
  const reasons: string[] = [];
  const you = intro.memberIds.length === 2 ? 'you both' : 'you all';
  if (intro.sharedLanguages.length > 0) {
    reasons.push(`${you} speak ${listOf(intro.sharedLanguages.map(capitalise))}`);
  }
  for (const exchange of intro.exchanges.slice(0, 3)) {
    reasons.push(
      `${userMention(exchange.from)} can share about ${listOf(exchange.topics.map(capitalise))}, which ${userMention(exchange.to)} is curious about`,
    );
  }
  if (intro.exchanges.length === 0 && intro.differentCultures) reasons.push('you come from different cultures');
  if (intro.overlaps.length > 0) {
    const windows = intro.overlaps.map(
      (window) => `${time(window.start, TimestampStyles.ShortTime)} and ${time(window.end, TimestampStyles.ShortTime)}`,
    );
    reasons.push(`${you === 'you both' ? 'you are both' : 'you are all'} awake between ${listOf(windows, 'or')}`);
  }
  if (intro.sharedInterests.length > 0) reasons.push(`you share an interest in ${listOf(intro.sharedInterests)}`);
  if (reasons.length === 0) return 'You were paired to meet someone new this round.';
  // Clauses carry their own commas, so they are joined with semicolons to stay one readable sentence.
  return `You were paired because ${listOf(reasons, 'and', '; ')}.`;
}

export function checkInMessage(roundId: string, groupIndex: number): MessageCreateOptions {
  const buttons = (Object.keys(CHECK_IN_LABELS) as CheckInAnswer[]).map((answer) =>
    new ButtonBuilder()
      .setCustomId(`${CHECK_IN_PREFIX}:${roundId}:${groupIndex}:${answer}`)
      .setLabel(CHECK_IN_LABELS[answer])
      .setStyle(answer === 'met' ? ButtonStyle.Success : answer === 'not-yet' ? ButtonStyle.Secondary : ButtonStyle.Danger),
  );
  return {
    content: 'How did it go? Each of you, tap one button: your answers help the community see what works.',
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons)],
    allowedMentions: NO_MENTIONS,
  };
}

function listOf(items: readonly string[], conjunction = 'and', separator = ', '): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length === 2 && separator === ', ') return `${items[0] ?? ''} ${conjunction} ${items[1] ?? ''}`;
  return `${items.slice(0, -1).join(separator)}${separator}${conjunction} ${items[items.length - 1] ?? ''}`;
}

function capitalise(text: string): string {
  return text.replace(/(^|[\s-])(\p{Ll})/gu, (_match, before: string, letter: string) => before + letter.toUpperCase());
}
