import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  LabelBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  escapeMarkdown,
  userMention,
  type BaseMessageOptions,
  type MessageMentionOptions,
} from 'discord.js';
import { SERVER_PROMPT_MAX_LENGTH, SERVER_PROMPT_MIN_LENGTH } from '../core/serverPrompts.ts';
import type { ThemeCatalog } from '../core/themes.ts';
import { REJECT_REASON_MAX_LENGTH } from '../services/serverPromptService.ts';
import type { Suggestion } from '../store/serverPromptStore.ts';
import type { Translator } from './i18n.ts';
import { DISCORD_LIMITS, fitText } from './limits.ts';
import { mentionOnly, NO_MENTIONS } from './mentions.ts';
import { BRIDGES_COLOUR } from './promptMessages.ts';

export const SUGGESTION_PREFIX = 'suggestion';
export const SUGGESTION_TEXT_FIELD = 'text';
export const SUGGESTION_REASON_FIELD = 'reason';

type Reply = BaseMessageOptions & { allowedMentions: MessageMentionOptions };

const DECIDED_COLOUR = { approved: 0x2a9d8f, rejected: 0x9a9a9a } as const;

function themeTitle(catalog: ThemeCatalog, themeId: string, tr: Translator): string {
  return catalog.themeText(themeId, tr.locale)?.title ?? themeId;
}

/**
 * The review post: the suggestion, its theme and author, and (while pending) the three buttons.
 * The text is at most 300 characters, the reason too; with Markdown escaped both stay far below
 * an embed's limits.
 */
export function reviewMessage(suggestion: Suggestion, catalog: ThemeCatalog, tr: Translator): Reply {
  const embed = new EmbedBuilder()
    .setColor(suggestion.status === 'pending' ? BRIDGES_COLOUR : DECIDED_COLOUR[suggestion.status])
    .setTitle(
      fitText(
        tr.t('suggestions:review.title', { number: suggestion.number, theme: themeTitle(catalog, suggestion.themeId, tr) }),
        DISCORD_LIMITS.embedTitle,
      ),
    )
    .setDescription(escapeMarkdown(suggestion.text))
    .addFields({
      name: tr.t('suggestions:review.author'),
      value: suggestion.anonymous
        ? tr.t('suggestions:review.author-anonymous', { author: userMention(suggestion.authorId) })
        : userMention(suggestion.authorId),
    });
  if (suggestion.status !== 'pending') {
    embed.addFields({
      name: tr.t('suggestions:review.outcome'),
      value: fitText(
        suggestion.status === 'approved'
          ? tr.t('suggestions:review.approved-by', { moderator: userMention(suggestion.decidedBy ?? ''), id: suggestion.promptId ?? '' })
          : suggestion.reason
            ? tr.t('suggestions:review.rejected-by-reason', {
                moderator: userMention(suggestion.decidedBy ?? ''),
                reason: escapeMarkdown(suggestion.reason),
              })
            : tr.t('suggestions:review.rejected-by', { moderator: userMention(suggestion.decidedBy ?? '') }),
        DISCORD_LIMITS.embedFieldValue,
      ),
    });
  }
  const components =
    suggestion.status === 'pending'
      ? [
          new ActionRowBuilder<ButtonBuilder>().addComponents(
            new ButtonBuilder()
              .setCustomId(`${SUGGESTION_PREFIX}:approve:${suggestion.number}`)
              .setStyle(ButtonStyle.Success)
              .setLabel(tr.t('suggestions:review.approve')),
            new ButtonBuilder()
              .setCustomId(`${SUGGESTION_PREFIX}:edit:${suggestion.number}`)
              .setStyle(ButtonStyle.Primary)
              .setLabel(tr.t('suggestions:review.edit')),
            new ButtonBuilder()
              .setCustomId(`${SUGGESTION_PREFIX}:reject:${suggestion.number}`)
              .setStyle(ButtonStyle.Danger)
              .setLabel(tr.t('suggestions:review.reject')),
          ),
        ]
      : [];
  return { embeds: [embed], components, allowedMentions: NO_MENTIONS };
}

/** Edit: the suggestion's text, prefilled, to change before approving. */
export function editForm(suggestion: Suggestion, tr: Translator): ModalBuilder {
  const input = new TextInputBuilder()
    .setCustomId(SUGGESTION_TEXT_FIELD)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(true)
    .setMinLength(SERVER_PROMPT_MIN_LENGTH)
    // The limit is 300 code points, checked on saving; an emoji-rich text is longer in UTF-16 units,
    // and a prefilled value longer than max_length would make Discord refuse the form.
    .setMaxLength(Math.max(SERVER_PROMPT_MAX_LENGTH, suggestion.text.length))
    .setValue(suggestion.text);
  return new ModalBuilder()
    .setCustomId(`${SUGGESTION_PREFIX}:edited:${suggestion.number}`)
    .setTitle(fitText(tr.t('suggestions:edit-form.title', { number: suggestion.number }), DISCORD_LIMITS.modalTitle))
    .addLabelComponents(
      new LabelBuilder()
        .setLabel(fitText(tr.t('suggestions:edit-form.label'), DISCORD_LIMITS.labelText))
        .setDescription(fitText(tr.t('suggestions:edit-form.hint'), DISCORD_LIMITS.labelDescription))
        .setTextInputComponent(input),
    );
}

/** Reject: an optional reason, shown to the author. */
export function rejectForm(suggestion: Suggestion, tr: Translator): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(`${SUGGESTION_PREFIX}:rejected:${suggestion.number}`)
    .setTitle(fitText(tr.t('suggestions:reject-form.title', { number: suggestion.number }), DISCORD_LIMITS.modalTitle))
    .addLabelComponents(
      new LabelBuilder()
        .setLabel(fitText(tr.t('suggestions:reject-form.label'), DISCORD_LIMITS.labelText))
        .setDescription(fitText(tr.t('suggestions:reject-form.hint'), DISCORD_LIMITS.labelDescription))
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(SUGGESTION_REASON_FIELD)
            .setStyle(TextInputStyle.Paragraph)
            .setRequired(false)
            .setMaxLength(REJECT_REASON_MAX_LENGTH),
        ),
    );
}

/** The outcome as its author reads it. */
export function outcomeText(suggestion: Suggestion, catalog: ThemeCatalog, tr: Translator): string {
  const values = {
    number: suggestion.number,
    theme: themeTitle(catalog, suggestion.themeId, tr),
    text: fitText(escapeMarkdown(suggestion.text), 400),
  };
  if (suggestion.status === 'approved') {
    return tr.t(suggestion.anonymous ? 'suggestions:outcome.approved-anonymous' : 'suggestions:outcome.approved', values);
  }
  return suggestion.reason
    ? tr.t('suggestions:outcome.rejected-reason', { ...values, reason: fitText(escapeMarkdown(suggestion.reason), 400) })
    : tr.t('suggestions:outcome.rejected', values);
}

/** The note in the review message's thread: it pings the author and nobody else. */
export function threadNote(suggestion: Suggestion, catalog: ThemeCatalog, tr: Translator): Reply {
  return {
    content: fitText(`${userMention(suggestion.authorId)} ${outcomeText(suggestion, catalog, tr)}`, DISCORD_LIMITS.messageContent),
    allowedMentions: mentionOnly([suggestion.authorId]),
  };
}

/** The once-only notice on the author's next command: every decision they were not told about yet. */
export function outcomesNotice(suggestions: readonly Suggestion[], catalog: ThemeCatalog, tr: Translator): Reply {
  return {
    content: fitText(suggestions.map((suggestion) => outcomeText(suggestion, catalog, tr)).join('\n\n'), DISCORD_LIMITS.messageContent),
    allowedMentions: NO_MENTIONS,
  };
}

export function reviewThreadName(suggestion: Suggestion, tr: Translator): string {
  return fitText(tr.t('suggestions:review.thread-name', { number: suggestion.number }), DISCORD_LIMITS.threadName);
}
