import { channelMention, type MessageMentionOptions } from 'discord.js';
import type { ThemeCatalog } from '../core/themes.ts';
import type { Feature } from '../services/settingsService.ts';
import type { GuildConfig, PairingSettings, PromptSettings } from '../store/guildConfigStore.ts';
import type { PostRecord } from '../store/promptLogStore.ts';
import type { RoundRecord } from '../store/roundStore.ts';
import { failureText, promptFailureFix } from './failureText.ts';
import { roundOutcomeText } from './hostMessages.ts';
import { fullTime } from './format.ts';
import { fitText, REASON_MAX_LENGTH } from './limits.ts';
import { NO_MENTIONS } from './mentions.ts';

/** An ephemeral reply's text; every builder here fits in Discord's 2,000 characters by construction. */
export interface TextReply {
  readonly content: string;
  readonly allowedMentions: MessageMentionOptions;
}

const FREQUENCY_TEXT = { weekly: 'every week', biweekly: 'every other week', monthly: 'every month (the first such weekday)' } as const;

/** What `/setup prompts` answers once the prompts are on. */
export function promptsOnReply(settings: PromptSettings, nextPrompt: Date, catalog: ThemeCatalog): TextReply {
  return {
    content: [
      `Daily prompts are on in ${channelMention(settings.channelId)}, every day at ${settings.time} (${settings.timeZone}).`,
      `Next prompt: ${fullTime(nextPrompt)}.`,
      `Themes: ${themeNames(catalog, settings.themeIds)}. Answer threads: ${settings.threads ? 'on' : 'off'}.`,
    ].join('\n'),
    allowedMentions: NO_MENTIONS,
  };
}

/** Whether `/setup pairing` posted its Join button: just now, not at all, or on an earlier run. */
export type JoinMessageOutcome = 'posted' | 'failed' | 'already-posted';

/** What `/setup pairing` answers once the rounds are on. */
export function pairingOnReply(settings: PairingSettings, nextRound: Date, joinMessage: JoinMessageOutcome): TextReply {
  const lines = [describePairing(settings), `Next round: ${fullTime(nextRound)}.`];
  if (joinMessage === 'posted') lines.push(`I posted a **Join the exchange** button in ${channelMention(settings.channelId)}.`);
  if (joinMessage === 'failed') {
    lines.push(
      `I could not post the **Join the exchange** button in ${channelMention(settings.channelId)}; members can use \`/exchange join\` instead.`,
    );
  }
  return { content: lines.join('\n'), allowedMentions: NO_MENTIONS };
}

function describePairing(settings: PairingSettings): string {
  const groups = settings.groupSize === 2 ? 'pairs (a trio when the count is odd)' : 'trios';
  return [
    `Pairing rounds are on in ${channelMention(settings.channelId)}: ${FREQUENCY_TEXT[settings.frequency]} on ${settings.weekday}s at ${settings.time} (${settings.timeZone}), in ${groups}.`,
    `Bridges checks in ${settings.followUpDays} day${settings.followUpDays === 1 ? '' : 's'} after each round.`,
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
}

/** What `/setup show` answers. */
export function configurationReply(
  { config, nextPrompt, nextRound, lastPost, lastRound }: ConfigurationView,
  catalog: ThemeCatalog,
): TextReply {
  const lines = ['**Bridges in this server**', ''];
  const prompts = config.prompts;
  if (!prompts) {
    lines.push('**Daily prompts:** not set up. Start them with `/setup prompts`.');
  } else {
    lines.push(`**Daily prompts:** ${prompts.enabled ? 'on' : 'off'}`);
    lines.push(`- Channel: ${channelMention(prompts.channelId)}`);
    lines.push(`- Time: ${prompts.time} in ${prompts.timeZone}`);
    if (prompts.enabled && nextPrompt) lines.push(`- Next prompt: ${fullTime(nextPrompt)}`);
    lines.push(`- Themes: ${themeNames(catalog, prompts.themeIds)}`);
    lines.push(`- Answer threads: ${prompts.threads ? 'on' : 'off'}`);
    lines.push(`- Last changed: ${fullTime(new Date(prompts.updatedAt))}`);
    if (!prompts.enabled && prompts.disabledReason) {
      lines.push(
        `- Turned off by Bridges because ${fitText(prompts.disabledReason, REASON_MAX_LENGTH)}. Run \`/setup prompts\` again to choose a channel.`,
      );
    }
    if (lastPost) lines.push(...lastPostLines(lastPost));
  }
  lines.push('');
  const pairing = config.pairing;
  if (!pairing) {
    lines.push('**Pairing rounds:** not set up. Start them with `/setup pairing`.');
  } else {
    lines.push(`**Pairing rounds:** ${pairing.enabled ? 'on' : 'off'}`);
    lines.push(`- Channel: ${channelMention(pairing.channelId)}`);
    lines.push(`- Schedule: ${FREQUENCY_TEXT[pairing.frequency]} on ${pairing.weekday}s at ${pairing.time} in ${pairing.timeZone}`);
    if (pairing.enabled && nextRound) lines.push(`- Next round: ${fullTime(nextRound)}`);
    lines.push(`- Groups: ${pairing.groupSize === 2 ? 'pairs' : 'trios'}; check-in ${pairing.followUpDays} days after each round`);
    lines.push(`- Last changed: ${fullTime(new Date(pairing.updatedAt))}`);
    if (!pairing.enabled && pairing.disabledReason) {
      lines.push(
        `- Turned off by Bridges because ${fitText(pairing.disabledReason, REASON_MAX_LENGTH)}. Run \`/setup pairing\` again to choose a channel.`,
      );
    }
    if (lastRound) lines.push(`- Last round (${lastRound.number}, ${lastRound.date}): ${roundOutcomeText(lastRound)}`);
  }
  return { content: lines.join('\n'), allowedMentions: NO_MENTIONS };
}

/** What happened to the latest daily post, when it did not simply go out. */
function lastPostLines(post: PostRecord): string[] {
  const why = post.failure ? fitText(failureText(post.failure), REASON_MAX_LENGTH) : '';
  if (post.status === 'failed' && post.failure) {
    const fix = promptFailureFix(post.failure);
    return [`- The prompt of ${post.date} was not posted: ${why}.${fix ? ` ${fix}` : ''}`];
  }
  if ((post.status === 'pending' || post.status === 'sent') && post.failure && post.retryAt) {
    return [`- The prompt of ${post.date} is waiting: ${why}. Bridges tries again ${fullTime(new Date(post.retryAt))}.`];
  }
  if (post.status === 'posted' && post.failure) return [`- The prompt of ${post.date} was posted without its answer thread: ${why}.`];
  return [];
}

/** What `/setup off` answers. */
export function featureOffReply(feature: Feature, changed: boolean): TextReply {
  const label = feature === 'prompts' ? 'Daily prompts' : 'Pairing rounds';
  return {
    content: changed
      ? `${label} are off. Their settings are kept; run \`/setup ${feature}\` to turn them on again.`
      : `${label} were already off.`,
    allowedMentions: NO_MENTIONS,
  };
}

/** Theme titles for stored theme ids: at most the catalog's eight, each at most 60 characters. */
export function themeNames(catalog: ThemeCatalog, themeIds: readonly string[]): string {
  if (themeIds.length === 0) return `all ${catalog.themes.length}`;
  return themeIds.map((id) => catalog.theme(id)?.title ?? id).join(', ');
}
