import { ActionRowBuilder, ButtonBuilder, ButtonStyle, TimestampStyles, time, userMention, type MessageCreateOptions } from 'discord.js';
import type { CheckInAnswer } from '../store/roundStore.ts';
import type { GroupIntro } from '../services/discordPort.ts';
import { DISCORD_LIMITS, escapeUserText } from './limits.ts';
import { mentionOnly, NO_MENTIONS } from './mentions.ts';

export const CHECK_IN_PREFIX = 'checkin';

export const CHECK_IN_LABELS: Record<CheckInAnswer, string> = {
  met: 'We met',
  'not-yet': 'Not yet',
  'cant-make-it': "Can't make it",
};

/** How many entries of each list the introduction names; the rest are counted ("and 5 more"). */
export interface IntroDetail {
  readonly interests: number;
  readonly languages: number;
  /** At most this many topics per exchange. */
  readonly topics: number;
  readonly windows: number;
  /** False only when even the shortest lists would not fit: then the reasons are summed up in a few words. */
  readonly reasons: boolean;
}

/**
 * The one message that opens a group's thread: who, why in one sentence, and an icebreaker. It fits
 * Discord's 2,000 characters for any group of profiles the commands accept (eight entries of 40
 * characters per list) and any icebreaker the theme catalog accepts: when the full sentence is too
 * long, the least important lists are shortened first (shared interests, then languages, then the
 * topics of each exchange, then the waking hours). Mentions and the icebreaker are never cut.
 */
export function introMessage(intro: GroupIntro): MessageCreateOptions {
  return { content: introContent(intro), allowedMentions: mentionOnly(intro.memberIds) };
}

export function introContent(intro: GroupIntro): string {
  const text = introText(intro);
  let detail: IntroDetail | undefined = fullDetail(text);
  let content = renderIntro(intro, text, detail);
  while (content.length > DISCORD_LIMITS.messageContent && (detail = lessDetail(detail)) !== undefined) {
    content = renderIntro(intro, text, detail);
  }
  return content;
}

/** The intro's lists as shown: profile text escaped once, whatever the detail. */
interface IntroText {
  readonly languages: readonly string[];
  readonly exchanges: readonly { readonly from: string; readonly to: string; readonly topics: readonly string[] }[];
  readonly windows: readonly string[];
  readonly interests: readonly string[];
}

function introText(intro: GroupIntro): IntroText {
  return {
    languages: intro.sharedLanguages.map(profileText(capitalise)),
    exchanges: intro.exchanges
      .slice(0, 3)
      .map((exchange) => ({ from: exchange.from, to: exchange.to, topics: exchange.topics.map(profileText(capitalise)) })),
    windows: intro.overlaps.map(
      (window) => `${time(window.start, TimestampStyles.ShortTime)} and ${time(window.end, TimestampStyles.ShortTime)}`,
    ),
    interests: intro.sharedInterests.map(profileText()),
  };
}

function fullDetail(text: IntroText): IntroDetail {
  return {
    interests: text.interests.length,
    languages: text.languages.length,
    topics: Math.max(0, ...text.exchanges.map((exchange) => exchange.topics.length)),
    windows: text.windows.length,
    reasons: true,
  };
}

/** One step shorter, least important first; undefined when nothing is left to shorten. */
function lessDetail(detail: IntroDetail): IntroDetail | undefined {
  if (detail.interests > 1) return { ...detail, interests: detail.interests - 1 };
  if (detail.languages > 1) return { ...detail, languages: detail.languages - 1 };
  if (detail.topics > 1) return { ...detail, topics: detail.topics - 1 };
  if (detail.windows > 1) return { ...detail, windows: detail.windows - 1 };
  if (detail.reasons) return { ...detail, reasons: false };
  return undefined;
}

function renderIntro(intro: GroupIntro, text: IntroText, detail: IntroDetail): string {
  const names = listOf(intro.memberIds.map((id) => userMention(id)));
  return [
    `👋 ${names}, meet each other! ${reasonsSentence(intro, text, detail)}`,
    '',
    `**Icebreaker** (${intro.icebreaker.themeTitle}): ${intro.icebreaker.text}`,
    '',
    `Find a time that suits you all, by text or voice. Bridges will check in ${time(intro.followUpAt, TimestampStyles.RelativeTime)}.`,
  ].join('\n');
}

/** One human sentence built from whatever the matcher found; missing parts are simply left out. */
export function whyMatched(intro: GroupIntro): string {
  const text = introText(intro);
  return reasonsSentence(intro, text, fullDetail(text));
}

function reasonsSentence(intro: GroupIntro, text: IntroText, detail: IntroDetail): string {
  if (!detail.reasons) return 'You were paired for what you have in common and what you can tell each other.';
  const reasons: string[] = [];
  const you = intro.memberIds.length === 2 ? 'you both' : 'you all';
  if (text.languages.length > 0) reasons.push(`${you} speak ${someOf(text.languages, detail.languages)}`);
  for (const exchange of text.exchanges) {
    reasons.push(
      `${userMention(exchange.from)} can share about ${someOf(exchange.topics, detail.topics)}, which ${userMention(exchange.to)} is curious about`,
    );
  }
  if (text.exchanges.length === 0 && intro.differentCultures) reasons.push('you come from different cultures');
  if (text.windows.length > 0) {
    const others = text.windows.length - detail.windows;
    const shown =
      others > 0 ? [...text.windows.slice(0, detail.windows), `at ${others} other time${others === 1 ? '' : 's'}`] : text.windows;
    reasons.push(`${you === 'you both' ? 'you are both' : 'you are all'} awake between ${listOf(shown, 'or')}`);
  }
  if (text.interests.length > 0) reasons.push(`you share an interest in ${someOf(text.interests, detail.interests)}`);
  if (reasons.length === 0) return 'You were paired to meet someone new this round.';
  // Clauses carry their own commas, so they are joined with semicolons to stay one readable sentence.
  return `You were paired because ${listOf(reasons, 'and', '; ')}.`;
}

/** The first `shown` items and a count of the rest: "A, B and 6 more". */
function someOf(items: readonly string[], shown: number): string {
  const others = items.length - Math.max(1, shown);
  return others > 0 ? listOf([...items.slice(0, items.length - others), `${others} more`]) : listOf(items);
}

/** Profile text is what members typed: shown as typed, never as Markdown or a mention. */
function profileText(transform: (text: string) => string = (text) => text): (entry: string) => string {
  return (entry) => escapeUserText(transform(entry));
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
