import { AttachmentBuilder, EmbedBuilder, type MessageMentionOptions } from 'discord.js';
import { MIN_MEMBERS_PER_PAIR, type CultureMap } from '../core/cultureMap.ts';
import { toCsv } from '../core/csv.ts';
import type { ThemeCatalog } from '../core/themes.ts';
import type { ServerInsights } from '../services/insightsService.ts';
import { renderCultureMap, type RenderedMap } from './cultureMapImage.ts';
import type { Translator } from './i18n.ts';
import { DISCORD_LIMITS, fitText } from './limits.ts';
import { NO_MENTIONS } from './mentions.ts';
import { profileEntryLabel, profileEntryPlainLabel } from './profileText.ts';
import { BRIDGES_COLOUR } from './promptMessages.ts';

export const CULTURE_MAP_FILE = 'culture-map.png';
export const PROMPTS_CSV_FILE = 'bridges-prompts.csv';
export const ROUNDS_CSV_FILE = 'bridges-rounds.csv';

export interface FileReply {
  readonly content: string;
  readonly files: AttachmentBuilder[];
  readonly embeds: EmbedBuilder[];
  readonly allowedMentions: MessageMentionOptions;
}

/** The culture map as the reader sees it: labels and words in their language. */
export function cultureMapImage(map: CultureMap, tr: Translator): RenderedMap {
  return renderCultureMap(
    map,
    {
      title: tr.t('map:image.title'),
      subtitle: tr.t('map:image.subtitle', { count: map.conversations, formatted: tr.number(map.conversations) }),
      other:
        map.other.conversations > 0
          ? tr.t('map:image.other', {
              count: map.other.conversations,
              formatted: tr.number(map.other.conversations),
              min: MIN_MEMBERS_PER_PAIR,
            })
          : '',
      labels: Object.fromEntries(map.cultures.map((code) => [code, profileEntryPlainLabel('cultures', code, tr.locale)])),
    },
    tr.locale,
    (n) => tr.number(n),
  );
}

/** What `/host map` answers: the image, or why there is none yet. */
export function cultureMapReply(map: CultureMap, tr: Translator): FileReply {
  if (map.pairs.length === 0) {
    return { content: tr.t('map:reply.empty', { min: MIN_MEMBERS_PER_PAIR }), files: [], embeds: [], allowedMentions: NO_MENTIONS };
  }
  const image = cultureMapImage(map, tr);
  return {
    content: tr.t('map:reply.shown', { min: MIN_MEMBERS_PER_PAIR }),
    files: [new AttachmentBuilder(image.png, { name: CULTURE_MAP_FILE, description: fitText(tr.t('map:image.alt'), 1024) })],
    embeds: [],
    allowedMentions: NO_MENTIONS,
  };
}

/** The passport line of `/exchange me`: the cultures the member's partners brought. */
export function passportLine(entries: readonly { culture: string; conversations: number }[], tr: Translator): string {
  if (entries.length === 0) return tr.t('map:passport.none');
  const shown = entries.slice(0, PASSPORT_MAX_ENTRIES).map(({ culture, conversations }) =>
    tr.t('map:passport.entry', {
      culture: profileEntryLabel('cultures', culture, tr.locale, { capitalised: true }),
      count: conversations,
    }),
  );
  const more = entries.length - shown.length;
  return tr.t('map:passport.line', {
    list: tr.list(more > 0 ? [...shown, tr.t('map:passport.more', { count: more })] : shown),
  });
}

/** The passport under `/exchange me`. */
export function passportEmbed(entries: readonly { culture: string; conversations: number }[], tr: Translator): EmbedBuilder {
  return new EmbedBuilder().setColor(BRIDGES_COLOUR).setDescription(passportLine(entries, tr));
}

/** Cultures are region codes or free text of at most 40 characters; a dozen keeps the line short. */
const PASSPORT_MAX_ENTRIES = 12;

function replies(count: number | undefined, tr: Translator): string {
  return count === undefined ? tr.t('map:stats.no-thread') : tr.number(count);
}

function rate(met: number, conversations: number, tr: Translator): string {
  return conversations === 0
    ? tr.t('common:not-available')
    : new Intl.NumberFormat(tr.locale, { style: 'percent' }).format(Math.round((100 * met) / conversations) / 100);
}

/** The embed `/host stats` adds: replies per prompt, and per round the meeting rate and no-shows. */
export function insightsEmbed(insights: ServerInsights, catalog: ThemeCatalog, tr: Translator): EmbedBuilder {
  const lines = [tr.t('map:stats.prompts-title')];
  if (insights.prompts.length === 0) lines.push(tr.t('map:stats.no-prompts'));
  for (const prompt of insights.prompts) {
    lines.push(
      tr.t('map:stats.prompt', {
        date: tr.date(prompt.date),
        theme: catalog.themeText(prompt.themeId, tr.locale)?.title ?? prompt.themeId,
        replies: replies(prompt.replies, tr),
      }),
    );
  }
  lines.push('', tr.t('map:stats.rounds-title'));
  if (insights.rounds.length === 0) lines.push(tr.t('map:stats.no-rounds'));
  for (const round of insights.rounds) {
    const { attendance } = round;
    lines.push(
      tr.t('map:stats.round', {
        number: round.number,
        date: tr.date(round.date),
        rate: rate(attendance.met, attendance.conversations, tr),
        met: tr.number(attendance.met),
        conversations: tr.number(attendance.conversations),
        cantMakeIt: tr.number(attendance.cantMakeIt),
        noAnswer: tr.number(attendance.noAnswer),
      }),
    );
  }
  lines.push('', tr.t('map:stats.export-hint'));
  return new EmbedBuilder()
    .setColor(BRIDGES_COLOUR)
    .setTitle(tr.t('map:stats.title'))
    .setDescription(fitText(lines.join('\n'), DISCORD_LIMITS.embedDescription));
}

/** `/host stats export:True`: the same figures as two CSV files, headers in the reader's language. */
export function insightsExport(insights: ServerInsights, catalog: ThemeCatalog, tr: Translator): FileReply {
  const prompts = toCsv([
    ['date', 'kind', 'theme', 'prompt', 'replies'].map((column) => tr.t(`map:csv.${column}`)),
    ...insights.prompts.map((prompt) => [
      prompt.date,
      tr.t(`map:csv.kind-${prompt.kind}`),
      catalog.themeText(prompt.themeId, tr.locale)?.title ?? prompt.themeId,
      catalog.promptText(prompt.promptId, tr.locale) ?? prompt.promptId,
      prompt.replies ?? '',
    ]),
  ]);
  const rounds = toCsv([
    ['round', 'date', 'conversations', 'met', 'meeting-rate', 'cant-make-it', 'no-answer'].map((column) => tr.t(`map:csv.${column}`)),
    ...insights.rounds.map(({ number, date, attendance }) => [
      number,
      date,
      attendance.conversations,
      attendance.met,
      attendance.conversations === 0 ? '' : Number((attendance.met / attendance.conversations).toFixed(4)),
      attendance.cantMakeIt,
      attendance.noAnswer,
    ]),
  ]);
  return {
    content: tr.t('map:stats.exported', { prompts: insights.prompts.length, rounds: insights.rounds.length }),
    files: [
      new AttachmentBuilder(Buffer.from(prompts, 'utf8'), { name: PROMPTS_CSV_FILE }),
      new AttachmentBuilder(Buffer.from(rounds, 'utf8'), { name: ROUNDS_CSV_FILE }),
    ],
    embeds: [],
    allowedMentions: NO_MENTIONS,
  };
}
