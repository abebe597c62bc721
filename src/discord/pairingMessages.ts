import { ActionRowBuilder, ButtonBuilder, ButtonStyle, TimestampStyles, time, userMention, type MessageCreateOptions } from 'discord.js';
import { CHECK_IN_ANSWERS, type CheckInAnswer } from '../store/roundStore.ts';
import type { GroupIntro, ThreadNote } from '../services/discordPort.ts';
import { translator, type Translator } from './i18n.ts';
import { DISCORD_LIMITS, escapeUserText } from './limits.ts';
import { mentionOnly, NO_MENTIONS } from './mentions.ts';
import { profileEntryLabel } from './profileText.ts';

export const CHECK_IN_PREFIX = 'checkin';

/** A check-in answer's button label, in a locale. */
export function checkInLabel(answer: CheckInAnswer, tr: Translator): string {
  return tr.t(`pairing:answer.${answer}`);
}

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

/** The introduction in the group's locale (`intro.locale`). */
export function introContent(intro: GroupIntro): string {
  const tr = translator(intro.locale);
  const text = introText(intro, tr);
  let detail: IntroDetail | undefined = fullDetail(text);
  let content = renderIntro(intro, text, detail, tr);
  while (content.length > DISCORD_LIMITS.messageContent && (detail = lessDetail(detail)) !== undefined) {
    content = renderIntro(intro, text, detail, tr);
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

function introText(intro: GroupIntro, tr: Translator): IntroText {
  return {
    languages: intro.sharedLanguages.map((entry) => profileEntryLabel('languages', entry, tr.locale, { capitalised: true })),
    exchanges: intro.exchanges.slice(0, 3).map((exchange) => ({
      from: exchange.from,
      to: exchange.to,
      topics: exchange.topics.map((entry) => profileEntryLabel('cultures', entry, tr.locale, { capitalised: true })),
    })),
    windows: intro.overlaps.map((window) =>
      tr.t('pairing:intro.window', {
        start: time(window.start, TimestampStyles.ShortTime),
        end: time(window.end, TimestampStyles.ShortTime),
      }),
    ),
    interests: intro.sharedInterests.map((entry) => escapeUserText(entry)),
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

function renderIntro(intro: GroupIntro, text: IntroText, detail: IntroDetail, tr: Translator): string {
  const names = tr.list(intro.memberIds.map((id) => userMention(id)));
  const icebreaker = intro.icebreaker ?? {
    themeTitle: tr.t('pairing:intro.icebreaker-fallback-title'),
    text: tr.t('pairing:intro.icebreaker-fallback'),
  };
  return [
    `👋 ${tr.t('pairing:intro.meet', { names })} ${reasonsSentence(intro, text, detail, tr)}`,
    '',
    tr.t('pairing:intro.icebreaker', { theme: icebreaker.themeTitle, text: icebreaker.text }),
    '',
    tr.t('pairing:intro.find-a-time', { when: time(intro.followUpAt, TimestampStyles.RelativeTime) }),
  ].join('\n');
}

/** One human sentence built from whatever the matcher found; missing parts are simply left out. */
export function whyMatched(intro: GroupIntro, tr: Translator = translator(intro.locale)): string {
  const text = introText(intro, tr);
  return reasonsSentence(intro, text, fullDetail(text), tr);
}

function reasonsSentence(intro: GroupIntro, text: IntroText, detail: IntroDetail, tr: Translator): string {
  if (!detail.reasons) return tr.t('pairing:intro.paired-in-short');
  const reasons: string[] = [];
  const who = intro.memberIds.length === 2 ? 'pair' : 'group';
  if (text.languages.length > 0)
    reasons.push(tr.t(`pairing:intro.speak-${who}`, { languages: someOf(text.languages, detail.languages, tr) }));
  for (const exchange of text.exchanges) {
    reasons.push(
      tr.t('pairing:intro.share-about', {
        from: userMention(exchange.from),
        to: userMention(exchange.to),
        topics: someOf(exchange.topics, detail.topics, tr),
      }),
    );
  }
  if (text.exchanges.length === 0 && intro.differentCultures) reasons.push(tr.t('pairing:intro.different-cultures'));
  if (text.windows.length > 0) {
    const others = text.windows.length - detail.windows;
    const shown =
      others > 0 ? [...text.windows.slice(0, detail.windows), tr.t('pairing:intro.other-times', { count: others })] : text.windows;
    reasons.push(tr.t(`pairing:intro.awake-${who}`, { windows: tr.list(shown, 'disjunction') }));
  }
  if (text.interests.length > 0) reasons.push(tr.t('pairing:intro.interest', { interests: someOf(text.interests, detail.interests, tr) }));
  if (reasons.length === 0) return tr.t('pairing:intro.paired-new');
  // Clauses carry their own commas, so they are joined with the locale's stronger separator.
  return tr.t('pairing:intro.paired-because', { reasons: joinClauses(reasons, tr) });
}

/** "A; B; and C" in English: clauses that may contain commas, joined as the locale does. */
function joinClauses(clauses: readonly string[], tr: Translator): string {
  if (clauses.length <= 1) return clauses[0] ?? '';
  const separator = tr.t('pairing:intro.clause-separator');
  const last = tr.t('pairing:intro.clause-last-separator');
  return `${clauses.slice(0, -1).join(separator)}${last}${clauses[clauses.length - 1] ?? ''}`;
}

/** The first `shown` items and a count of the rest: "A, B and 6 more". */
function someOf(items: readonly string[], shown: number, tr: Translator): string {
  const others = items.length - Math.max(1, shown);
  return others > 0 ? tr.list([...items.slice(0, items.length - others), tr.t('pairing:intro.more', { count: others })]) : tr.list(items);
}

export function checkInMessage(roundId: string, groupIndex: number, tr: Translator): MessageCreateOptions {
  const buttons = CHECK_IN_ANSWERS.map((answer) =>
    new ButtonBuilder()
      .setCustomId(`${CHECK_IN_PREFIX}:${roundId}:${groupIndex}:${answer}`)
      .setLabel(checkInLabel(answer, tr))
      .setStyle(answer === 'met' ? ButtonStyle.Success : answer === 'not-yet' ? ButtonStyle.Secondary : ButtonStyle.Danger),
  );
  return {
    content: tr.t('pairing:check-in'),
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons)],
    allowedMentions: NO_MENTIONS,
  };
}

/** A note in a group's thread, mentioning exactly the members it names. */
export function threadNoteMessage(note: ThreadNote, tr: Translator): MessageCreateOptions {
  if (note.kind === 'paused') {
    return {
      content: tr.t('pairing:note.paused', { member: userMention(note.memberId), times: note.times }),
      allowedMentions: mentionOnly([note.memberId]),
    };
  }
  return {
    content: tr.t(`pairing:note.${note.kind}`, { members: tr.list(note.memberIds.map((id) => userMention(id))) }),
    allowedMentions: mentionOnly(note.memberIds),
  };
}
