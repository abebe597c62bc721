import { channelMention, type MessageMentionOptions } from 'discord.js';
import type { SupportedLocale } from '../core/locales.ts';
import type { ThemeCatalog } from '../core/themes.ts';
import type { Feature } from '../services/settingsService.ts';
import type { GuildConfig, PairingSettings, PromptSettings } from '../store/guildConfigStore.ts';
import type { PostRecord } from '../store/promptLogStore.ts';
import type { RoundRecord } from '../store/roundStore.ts';
import { disabledReasonText, failureText, promptFailureFix } from './failureText.ts';
import { roundOutcomeText } from './hostMessages.ts';
import { fullTime } from './format.ts';
import { nativeLocaleName, type Translator } from './i18n.ts';
import { DISCORD_LIMITS, fitText, REASON_MAX_LENGTH } from './limits.ts';
import { NO_MENTIONS } from './mentions.ts';

/** An ephemeral reply's text; every builder here fits in Discord's 2,000 characters by construction. */
export interface TextReply {
  readonly content: string;
  readonly allowedMentions: MessageMentionOptions;
}

const onOff = (on: boolean, tr: Translator) => tr.t(on ? 'common:on' : 'common:off');

/** What `/setup prompts` answers once the prompts are on. */
export function promptsOnReply(settings: PromptSettings, nextPrompt: Date, catalog: ThemeCatalog, tr: Translator): TextReply {
  return {
    content: [
      tr.t('setup:prompts-on.where', { channel: channelMention(settings.channelId), time: settings.time, zone: settings.timeZone }),
      tr.t('setup:prompts-on.next', { when: fullTime(nextPrompt) }),
      tr.t('setup:prompts-on.themes', { themes: themeNames(catalog, settings.themeIds, tr), threads: onOff(settings.threads, tr) }),
    ].join('\n'),
    allowedMentions: NO_MENTIONS,
  };
}

/** Whether `/setup pairing` posted its Join button: just now, not at all, or on an earlier run. */
export type JoinMessageOutcome = 'posted' | 'failed' | 'already-posted';

/** What `/setup pairing` answers once the rounds are on. */
export function pairingOnReply(settings: PairingSettings, nextRound: Date, joinMessage: JoinMessageOutcome, tr: Translator): TextReply {
  const lines = [describePairing(settings, tr), tr.t('setup:pairing-on.next', { when: fullTime(nextRound) })];
  if (joinMessage === 'posted') lines.push(tr.t('setup:pairing-on.join-posted', { channel: channelMention(settings.channelId) }));
  if (joinMessage === 'failed') lines.push(tr.t('setup:pairing-on.join-failed', { channel: channelMention(settings.channelId) }));
  return { content: lines.join('\n'), allowedMentions: NO_MENTIONS };
}

function describePairing(settings: PairingSettings, tr: Translator): string {
  return [
    tr.t('setup:pairing-on.where', {
      channel: channelMention(settings.channelId),
      frequency: tr.t(`setup:frequency.${settings.frequency}`),
      weekday: tr.t(`setup:weekday.${settings.weekday}`),
      time: settings.time,
      zone: settings.timeZone,
      groups: tr.t(settings.groupSize === 2 ? 'setup:pairing-on.pairs' : 'setup:pairing-on.trios'),
    }),
    tr.t('setup:pairing-on.check-in', { count: settings.followUpDays }),
  ].join('\n');
}

/** The configuration and when each feature next runs (given only for a feature that is on). */
export interface ConfigurationView {
  readonly config: GuildConfig;
  readonly nextPrompt: Date | undefined;
  readonly nextRound: Date | undefined;
  /** The latest daily post, to say when it did not simply go out. */
  readonly lastPost?: PostRecord | undefined;
  readonly lastRound?: RoundRecord | undefined;
  /** The locales of the server's posts, as they resolve now. */
  readonly locales: readonly SupportedLocale[];
  /** More lines about daily prompts (days, role, pins). */
  readonly promptExtras?: readonly string[];
  /** More sections after pairing (themed weeks). */
  readonly sections?: readonly string[];
  /** Where member suggestions wait for review, when a moderator chose it. */
  readonly reviewChannelId?: string | undefined;
  /** Where agreed takeaways are posted, when a moderator chose it. */
  readonly takeawaysChannelId?: string | undefined;
}

/** What `/setup show` answers. */
export function configurationReply(view: ConfigurationView, catalog: ThemeCatalog, tr: Translator): TextReply {
  // Discord's error texts are the parts Bridges does not control: they give way first when
  // everything else at its longest would pass Discord's limit.
  let content = '';
  for (const reasonMax of REASON_BUDGETS) {
    content = configurationLines(view, catalog, tr, reasonMax).join('\n');
    if (content.length <= DISCORD_LIMITS.messageContent) break;
  }
  return { content: fitText(content, DISCORD_LIMITS.messageContent), allowedMentions: NO_MENTIONS };
}

const REASON_BUDGETS = [REASON_MAX_LENGTH, 150, 60] as const;

function configurationLines(
  {
    config,
    nextPrompt,
    nextRound,
    lastPost,
    lastRound,
    locales,
    promptExtras = [],
    sections = [],
    reviewChannelId,
    takeawaysChannelId,
  }: ConfigurationView,
  catalog: ThemeCatalog,
  tr: Translator,
  reasonMax: number,
): string[] {
  const languages = tr.list(locales.map(nativeLocaleName));
  const lines = [
    tr.t('setup:show.title'),
    tr.t(config.language?.primary === undefined ? 'setup:show.language-default' : 'setup:show.language', { languages }),
    '',
  ];
  const prompts = config.prompts;
  if (!prompts) {
    lines.push(tr.t('setup:show.prompts-not-set-up'));
  } else {
    lines.push(tr.t('setup:show.prompts', { state: onOff(prompts.enabled, tr) }));
    lines.push(tr.t('setup:show.channel', { channel: channelMention(prompts.channelId) }));
    lines.push(tr.t('setup:show.time', { time: prompts.time, zone: prompts.timeZone }));
    if (prompts.enabled && nextPrompt) lines.push(tr.t('setup:show.next-prompt', { when: fullTime(nextPrompt) }));
    lines.push(tr.t('setup:show.themes', { themes: themeNames(catalog, prompts.themeIds, tr) }));
    lines.push(tr.t('setup:show.threads', { state: onOff(prompts.threads, tr) }));
    lines.push(...promptExtras);
    lines.push(tr.t('setup:show.last-changed', { when: fullTime(new Date(prompts.updatedAt)) }));
    if (!prompts.enabled && prompts.disabledReason) {
      const reason = fitText(disabledReasonText('prompts', prompts.disabledReason, tr), reasonMax);
      lines.push(tr.t('setup:show.prompts-turned-off', { reason }));
    }
    if (lastPost) lines.push(...lastPostLines(lastPost, tr, reasonMax));
  }
  lines.push('');
  const pairing = config.pairing;
  if (!pairing) {
    lines.push(tr.t('setup:show.pairing-not-set-up'));
  } else {
    lines.push(tr.t('setup:show.pairing', { state: onOff(pairing.enabled, tr) }));
    lines.push(tr.t('setup:show.channel', { channel: channelMention(pairing.channelId) }));
    lines.push(
      tr.t('setup:show.schedule', {
        frequency: tr.t(`setup:frequency.${pairing.frequency}`),
        weekday: tr.t(`setup:weekday.${pairing.weekday}`),
        time: pairing.time,
        zone: pairing.timeZone,
      }),
    );
    if (pairing.enabled && nextRound) lines.push(tr.t('setup:show.next-round', { when: fullTime(nextRound) }));
    lines.push(tr.t(pairing.groupSize === 2 ? 'setup:show.groups-pairs' : 'setup:show.groups-trios', { count: pairing.followUpDays }));
    lines.push(tr.t('setup:show.last-changed', { when: fullTime(new Date(pairing.updatedAt)) }));
    if (!pairing.enabled && pairing.disabledReason) {
      const reason = fitText(disabledReasonText('pairing', pairing.disabledReason, tr), reasonMax);
      lines.push(tr.t('setup:show.pairing-turned-off', { reason }));
    }
    if (lastRound) {
      lines.push(
        tr.t('setup:show.last-round', {
          number: lastRound.number,
          date: tr.date(lastRound.date),
          outcome: roundOutcomeText(lastRound, tr),
        }),
      );
    }
  }
  if (sections.length > 0) lines.push('', ...sections);
  const channels = [
    ...(reviewChannelId === undefined ? [] : [tr.t('setup:show.suggestions-review', { channel: channelMention(reviewChannelId) })]),
    ...(takeawaysChannelId === undefined ? [] : [tr.t('setup:show.takeaways-channel', { channel: channelMention(takeawaysChannelId) })]),
  ];
  if (channels.length > 0) lines.push('', ...channels);
  return lines;
}

/** What happened to the latest daily post, when it did not simply go out. */
function lastPostLines(post: PostRecord, tr: Translator, reasonMax: number): string[] {
  const why = post.failure ? fitText(failureText(post.failure, tr), reasonMax) : '';
  if (post.status === 'failed' && post.failure) {
    return [tr.t('setup:show.post-failed-fix', { date: tr.date(post.date), why, fix: promptFailureFix(post.failure, tr) })];
  }
  if ((post.status === 'pending' || post.status === 'sent') && post.failure && post.retryAt) {
    return [tr.t('setup:show.post-waiting', { date: tr.date(post.date), why, when: fullTime(new Date(post.retryAt)) })];
  }
  if (post.status === 'posted' && post.failure) return [tr.t('setup:show.post-no-thread', { date: tr.date(post.date), why })];
  return [];
}

/** What `/setup off` answers. */
export function featureOffReply(feature: Feature, changed: boolean, tr: Translator): TextReply {
  return { content: tr.t(changed ? `setup:off.${feature}` : `setup:off.${feature}-already`), allowedMentions: NO_MENTIONS };
}

/** What `/setup language` answers: the languages posts are now written in. */
export function languageReply(locales: readonly SupportedLocale[], serverDefault: boolean, tr: Translator): TextReply {
  const [primary = 'en-US', secondary] = locales;
  const key = `setup:language.${serverDefault ? 'default' : 'set'}${secondary === undefined ? '' : '-bilingual'}`;
  return {
    content: tr.t(key, { primary: nativeLocaleName(primary), secondary: secondary === undefined ? '' : nativeLocaleName(secondary) }),
    allowedMentions: NO_MENTIONS,
  };
}

/** Theme titles for stored theme ids, in the reader's language: at most eight, each at most 60 characters. */
export function themeNames(catalog: ThemeCatalog, themeIds: readonly string[], tr: Translator): string {
  if (themeIds.length === 0) return tr.t('setup:all-themes', { total: catalog.themes.length });
  return tr.list(themeIds.map((id) => catalog.themeText(id, tr.locale)?.title ?? id));
}
