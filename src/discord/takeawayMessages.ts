import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  LabelBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  channelMention,
  type MessageMentionOptions,
  type MessageCreateOptions,
} from 'discord.js';
import { AVOID_LIST_MAX } from '../core/avoidedPairs.ts';
import { TAKEAWAY_MAX_LENGTH, TAKEAWAY_MIN_LENGTH } from '../core/takeaway.ts';
import type { OwnTakeaway, ShareOutcome } from '../services/takeawayService.ts';
import type { ShownTakeaway } from '../services/takeawayPort.ts';
import { failureText } from './failureText.ts';
import type { Translator } from './i18n.ts';
import { DISCORD_LIMITS, escapeUserText, fitText } from './limits.ts';
import { mentionOnly, NO_MENTIONS } from './mentions.ts';

/** Custom ids `takeaway:<round>:<group>:<action>`; the form's is `takeaway:<round>:<group>:form-<choice>`. */
export const TAKEAWAY_PREFIX = 'takeaway';
export const TAKEAWAY_TEXT_FIELD = 'text';
export const TAKEAWAY_ACTIONS = ['credited', 'anonymous', 'decline', 'thanks', 'withdraw', 'form-credited', 'form-anonymous'] as const;
export type TakeawayAction = (typeof TAKEAWAY_ACTIONS)[number];

function takeawayId(roundId: string, groupIndex: number, action: TakeawayAction): string {
  return `${TAKEAWAY_PREFIX}:${roundId}:${groupIndex}:${action}`;
}

/** Offered with "We met": share a takeaway (credited or anonymous), keep the group's private, thank the partner. */
export function afterMeetingComponents(roundId: string, groupIndex: number, tr: Translator): ActionRowBuilder<ButtonBuilder>[] {
  const button = (action: TakeawayAction, style: ButtonStyle) =>
    new ButtonBuilder()
      .setCustomId(takeawayId(roundId, groupIndex, action))
      .setLabel(tr.t(`takeaways:button.${action}`))
      .setStyle(style);
  return [
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      button('credited', ButtonStyle.Primary),
      button('anonymous', ButtonStyle.Primary),
      button('decline', ButtonStyle.Secondary),
      button('thanks', ButtonStyle.Success),
    ),
  ];
}

/** The text after "We met", above the buttons. */
export function afterMeetingText(tr: Translator): string {
  return tr.t('takeaways:offer');
}

export function takeawayForm(roundId: string, groupIndex: number, choice: 'credited' | 'anonymous', tr: Translator): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(takeawayId(roundId, groupIndex, `form-${choice}`))
    .setTitle(tr.t('takeaways:form.title'))
    .addLabelComponents(
      new LabelBuilder()
        .setLabel(tr.t('takeaways:form.label'))
        .setDescription(tr.t(`takeaways:form.hint-${choice}`))
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(TAKEAWAY_TEXT_FIELD)
            .setStyle(TextInputStyle.Paragraph)
            .setRequired(true)
            .setMinLength(TAKEAWAY_MIN_LENGTH)
            .setMaxLength(TAKEAWAY_MAX_LENGTH)
            .setPlaceholder(tr.t('takeaways:form.placeholder')),
        ),
    );
}

/** The member's confirmation; a shared takeaway carries the button that withdraws it. */
export function shareOutcomeReply(
  outcome: ShareOutcome,
  ref: { roundId: string; groupIndex: number },
  tr: Translator,
): { content: string; components: ActionRowBuilder<ButtonBuilder>[]; allowedMentions: MessageMentionOptions } {
  const withdraw = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(takeawayId(ref.roundId, ref.groupIndex, 'withdraw'))
      .setLabel(tr.t('takeaways:button.withdraw'))
      .setStyle(ButtonStyle.Danger),
  );
  switch (outcome.kind) {
    case 'declined':
      return { content: tr.t('takeaways:outcome.declined'), components: [], allowedMentions: NO_MENTIONS };
    case 'waiting':
      return { content: tr.t('takeaways:outcome.waiting'), components: [withdraw], allowedMentions: NO_MENTIONS };
    case 'posted':
      return {
        content: tr.t('takeaways:outcome.posted', { channel: channelMention(outcome.channelId) }),
        components: [withdraw],
        allowedMentions: NO_MENTIONS,
      };
    case 'post-failed':
      return {
        content: fitText(
          tr.t('takeaways:outcome.post-failed', { reason: failureText(outcome.failure, tr) }),
          DISCORD_LIMITS.messageContent,
        ),
        components: [withdraw],
        allowedMentions: NO_MENTIONS,
      };
  }
}

/** How many takeaways /exchange takeaways lists: one row of withdraw buttons, and an embed well inside Discord's 6000 characters. */
export const OWN_TAKEAWAYS_LISTED = 5;

/**
 * /exchange takeaways: the member's shared takeaways, newest first, each with a button that withdraws it.
 * The buttons carry the same ids as the confirmation's, so withdrawing works the same from either.
 */
export function ownTakeawaysReply(
  own: readonly OwnTakeaway[],
  tr: Translator,
): { content: string; embeds: EmbedBuilder[]; components: ActionRowBuilder<ButtonBuilder>[]; allowedMentions: MessageMentionOptions } {
  if (own.length === 0) return { content: tr.t('takeaways:mine.none'), embeds: [], components: [], allowedMentions: NO_MENTIONS };
  const listed = own.slice(0, OWN_TAKEAWAYS_LISTED);
  const embed = new EmbedBuilder().setTitle(tr.t('takeaways:mine.title')).addFields(
    listed.map((takeaway, index) => ({
      name: fitText(
        tr.t('takeaways:mine.entry', {
          index: index + 1,
          number: takeaway.roundNumber,
          date: takeaway.roundDate,
          how: tr.t(`takeaways:mine.${takeaway.choice}`),
        }),
        DISCORD_LIMITS.embedFieldName,
      ),
      value: fitText(quoted(takeaway.text), DISCORD_LIMITS.embedFieldValue),
    })),
  );
  if (own.length > listed.length) embed.setFooter({ text: tr.t('takeaways:mine.truncated', { max: OWN_TAKEAWAYS_LISTED }) });
  const buttons = listed.map((takeaway, index) =>
    new ButtonBuilder()
      .setCustomId(takeawayId(takeaway.roundId, takeaway.groupIndex, 'withdraw'))
      .setLabel(tr.t('takeaways:mine.withdraw', { index: index + 1 }))
      .setStyle(ButtonStyle.Danger),
  );
  return {
    content: tr.t('takeaways:mine.hint'),
    embeds: [embed],
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons)],
    allowedMentions: NO_MENTIONS,
  };
}

/** A takeaway in a quote block, its Markdown and mentions made literal. */
function quoted(text: string): string {
  return escapeUserText(text)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/** The post in the takeaways channel; a credited name is a mention that pings nobody. */
export function takeawaysMessage(takeaways: readonly ShownTakeaway[], tr: Translator): MessageCreateOptions & { content: string } {
  const parts = takeaways.map((takeaway) =>
    [
      quoted(takeaway.text),
      takeaway.authorId === undefined
        ? tr.t('takeaways:post.anonymous')
        : tr.t('takeaways:post.credited', { member: `<@${takeaway.authorId}>` }),
    ].join('\n'),
  );
  const content = [tr.t('takeaways:post.title'), ...parts].join('\n\n');
  return { content: fitText(content, DISCORD_LIMITS.messageContent), allowedMentions: NO_MENTIONS };
}

/** The thank-you in the group's thread; it mentions exactly the partners. */
export function thanksMessage(fromId: string, partnerIds: readonly string[], tr: Translator): MessageCreateOptions & { content: string } {
  return {
    content: tr.t('takeaways:thanks.message', { from: `<@${fromId}>`, partners: tr.list(partnerIds.map((id) => `<@${id}>`)) }),
    allowedMentions: mentionOnly(partnerIds),
  };
}

/** The members one avoids, as mentions (which ping nobody in a reply). */
export function avoidListEmbed(avoided: readonly string[], tr: Translator): EmbedBuilder {
  return new EmbedBuilder()
    .setTitle(tr.t('takeaways:avoid.title'))
    .setDescription(
      avoided.length === 0
        ? tr.t('takeaways:avoid.none')
        : `${avoided.map((id) => `- <@${id}>`).join('\n')}\n\n${tr.t('takeaways:avoid.how-to-remove')}`,
    );
}

export function avoidReply(change: 'added' | 'removed', memberId: string, list: readonly string[], tr: Translator): string {
  return tr.t(`takeaways:avoid.${change}`, { member: `<@${memberId}>`, count: list.length, max: AVOID_LIST_MAX });
}
