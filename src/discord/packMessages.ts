import { EmbedBuilder, escapeMarkdown, userMention, type BaseMessageOptions, type MessageMentionOptions } from 'discord.js';
import { quoteTyped } from '../core/quoteTyped.ts';
import {
  MAX_PACK_BYTES,
  MAX_SERVER_PROMPTS,
  SERVER_PROMPT_MAX_LENGTH,
  SERVER_PROMPT_MIN_LENGTH,
  type PackProblem,
  type ServerPrompt,
} from '../core/serverPrompts.ts';
import type { ThemeCatalog } from '../core/themes.ts';
import type { BankListing } from '../services/serverPromptService.ts';
import type { Translator } from './i18n.ts';
import { DISCORD_LIMITS, fitText } from './limits.ts';
import { NO_MENTIONS } from './mentions.ts';
import { BRIDGES_COLOUR } from './promptMessages.ts';

type Reply = BaseMessageOptions & { allowedMentions: MessageMentionOptions };

/** Problems listed in a refusal; the count says how many more there were. */
const MAX_LISTED_PROBLEMS = 15;

function themeTitle(catalog: ThemeCatalog, themeId: string, tr: Translator): string {
  return catalog.themeText(themeId, tr.locale)?.title ?? themeId;
}

export function promptAddedReply(prompt: ServerPrompt, catalog: ThemeCatalog, tr: Translator): Reply {
  return {
    content: fitText(
      tr.t('suggestions:packs.added', { id: prompt.id, theme: themeTitle(catalog, prompt.themeId, tr), text: escapeMarkdown(prompt.text) }),
      DISCORD_LIMITS.messageContent,
    ),
    allowedMentions: NO_MENTIONS,
  };
}

/** `/prompts list`: the server's own prompts, then the built-in ones it switched off; cut to fit one embed. */
export function promptListReply(listing: BankListing, catalog: ThemeCatalog, tr: Translator): Reply {
  if (listing.prompts.length === 0 && listing.disabledBuiltIns.length === 0) {
    return { content: tr.t('suggestions:packs.list-empty'), allowedMentions: NO_MENTIONS };
  }
  const lines = [
    ...listing.prompts.map((prompt) =>
      [
        `\`${prompt.id}\``,
        themeTitle(catalog, prompt.themeId, tr),
        escapeMarkdown(prompt.text),
        ...(prompt.authorId === undefined ? [] : [tr.t('suggestions:credit', { author: userMention(prompt.authorId) })]),
      ].join(' · '),
    ),
    ...(listing.disabledBuiltIns.length > 0
      ? [
          '',
          tr.t('suggestions:packs.list-switched-off', { count: listing.disabledBuiltIns.length }),
          tr.list(listing.disabledBuiltIns.map((entry) => `\`${entry.id}\``)),
        ]
      : []),
  ];
  const embed = new EmbedBuilder()
    .setColor(BRIDGES_COLOUR)
    .setTitle(tr.t('suggestions:packs.list-title', { count: listing.prompts.length }))
    .setDescription(fitText(lines.join('\n'), DISCORD_LIMITS.embedDescription));
  return { embeds: [embed], allowedMentions: NO_MENTIONS };
}

export function packProblemText(problem: PackProblem, tr: Translator): string {
  switch (problem.kind) {
    case 'too-large':
      return tr.t('suggestions:import.too-large', {
        size: tr.number(Math.ceil(problem.bytes / 1024)),
        max: tr.number(MAX_PACK_BYTES / 1024),
      });
    case 'not-json':
      return tr.t('suggestions:import.not-json');
    case 'schema':
      return tr.t('suggestions:import.schema', { path: problem.path === '' ? '/' : problem.path, detail: problem.detail });
    case 'too-many':
      return tr.t('suggestions:import.too-many', { count: problem.count, max: MAX_SERVER_PROMPTS });
    case 'unknown-theme':
      return tr.t('suggestions:import.unknown-theme', { index: problem.index, theme: quoteTyped(problem.theme) });
    case 'too-short':
      return tr.t('suggestions:import.too-short', { index: problem.index, min: SERVER_PROMPT_MIN_LENGTH });
    case 'too-long':
      return tr.t('suggestions:import.too-long', { index: problem.index, max: SERVER_PROMPT_MAX_LENGTH });
    case 'duplicate-in-file':
      return tr.t('suggestions:import.duplicate-in-file', { index: problem.index, of: problem.of });
    case 'duplicate-built-in':
      return tr.t('suggestions:import.duplicate-built-in', { index: problem.index, id: problem.builtInId });
    case 'unknown-built-in':
      return tr.t('suggestions:import.unknown-built-in', { id: quoteTyped(problem.id) });
  }
}

/** Why a pack was refused, every reason one line; nothing of it was imported. */
export function packRefusedReply(problems: readonly PackProblem[], tr: Translator): Reply {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((problem) => `- ${packProblemText(problem, tr)}`);
  const more =
    problems.length > MAX_LISTED_PROBLEMS ? [tr.t('suggestions:import.more', { count: problems.length - MAX_LISTED_PROBLEMS })] : [];
  return {
    content: fitText(
      [tr.t('suggestions:import.refused', { count: problems.length }), ...listed, ...more].join('\n'),
      DISCORD_LIMITS.messageContent,
    ),
    allowedMentions: NO_MENTIONS,
  };
}
