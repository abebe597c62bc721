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
  type BaseMessageOptions,
  type MessageMentionOptions,
} from 'discord.js';
import {
  MAX_PROFILE_ENTRIES,
  MAX_PROFILE_ENTRY_LENGTH,
  PROFILE_FIELD_NAMES,
  type Profile,
  type ProfileListField,
} from '../core/profile.ts';
import type { JoinOutcome, MemberOverview } from '../services/exchangeService.ts';
import type { MemberRecord } from '../store/memberStore.ts';
import { disabledReasonText } from './failureText.ts';
import { fullTime } from './format.ts';
import type { Translator } from './i18n.ts';
import { fitText, INPUT_MAX_LENGTH, REASON_MAX_LENGTH } from './limits.ts';
import { NO_MENTIONS } from './mentions.ts';
import { passportEmbed } from './mapMessages.ts';
import { profileEntryLabel } from './profileText.ts';
import { avoidListEmbed } from './takeawayMessages.ts';
import { BRIDGES_COLOUR } from './promptMessages.ts';

/** Custom ids; the router dispatches on the part before the first ':'. */
export const JOIN_BUTTON_ID = 'exchange-join';
export const PROFILE_FORM_PREFIX = 'exchange-profile';
export const PROFILE_FORM_ID = `${PROFILE_FORM_PREFIX}:join`;
export const FORGET_PREFIX = 'exchange-forget';
export const FORGET_CONFIRM_ID = `${FORGET_PREFIX}:confirm`;
export const FORGET_CANCEL_ID = `${FORGET_PREFIX}:cancel`;

type MessageWithMentions = BaseMessageOptions & { allowedMentions: MessageMentionOptions };

/** The invitation /setup pairing posts in the pairing channel; its button does what /exchange join does. */
export function joinExchangeMessage(tr: Translator): MessageWithMentions {
  return {
    content: [
      tr.t('exchange:join-message.title'),
      tr.t('exchange:join-message.what'),
      tr.t('exchange:join-message.how'),
      tr.t('exchange:join-message.commands'),
    ].join('\n'),
    components: [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId(JOIN_BUTTON_ID).setStyle(ButtonStyle.Primary).setLabel(tr.t('exchange:join-message.button')),
      ),
    ],
    allowedMentions: NO_MENTIONS,
  };
}

/** The join form: the first /exchange join asks for a profile before opting in. */
export function profileForm(suggestedLanguage: string | undefined, tr: Translator): ModalBuilder {
  const hint = tr.t('exchange:form.list-hint', { max: MAX_PROFILE_ENTRIES, length: MAX_PROFILE_ENTRY_LENGTH });
  const list = (id: string, label: string, description: string, placeholder: string, value?: string) => {
    const input = new TextInputBuilder()
      .setCustomId(id)
      .setStyle(TextInputStyle.Short)
      .setRequired(false)
      .setMaxLength(INPUT_MAX_LENGTH.profileList)
      .setPlaceholder(placeholder);
    // A prefilled value longer than the field allows would make Discord refuse the whole form.
    if (value && value.length <= INPUT_MAX_LENGTH.profileList) input.setValue(value);
    return new LabelBuilder().setLabel(label).setDescription(description).setTextInputComponent(input);
  };
  return new ModalBuilder()
    .setCustomId(PROFILE_FORM_ID)
    .setTitle(tr.t('exchange:form.title'))
    .addLabelComponents(
      list(
        PROFILE_FIELD_NAMES.languages,
        tr.t('exchange:form.languages-label'),
        tr.t('exchange:form.languages-hint', { hint }),
        tr.t('exchange:form.languages-placeholder'),
        suggestedLanguage,
      ),
      list(PROFILE_FIELD_NAMES.cultures, tr.t('exchange:form.cultures-label'), hint, tr.t('exchange:form.cultures-placeholder')),
      list(PROFILE_FIELD_NAMES.curiousAbout, tr.t('exchange:form.curious-label'), hint, tr.t('exchange:form.curious-placeholder')),
      list(PROFILE_FIELD_NAMES.interests, tr.t('exchange:form.interests-label'), hint, tr.t('exchange:form.interests-placeholder')),
      new LabelBuilder()
        .setLabel(tr.t('exchange:form.time-zone-label'))
        .setDescription(tr.t('exchange:form.time-zone-hint'))
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(PROFILE_FIELD_NAMES.timeZone)
            .setStyle(TextInputStyle.Short)
            .setRequired(false)
            .setMaxLength(INPUT_MAX_LENGTH.timeZone)
            .setPlaceholder(tr.t('exchange:form.time-zone-placeholder')),
        ),
    );
}

export function joinedText(outcome: JoinOutcome, tr: Translator): string {
  return tr.t(`exchange:joined.${outcome}`);
}

/** One line per profile field: codes by their names in the reader's language, typed text never rendered as Markdown. */
export function profileLines(profile: Profile, tr: Translator): string[] {
  return [
    tr.t('exchange:profile.languages', { list: listOrNone('languages', profile.languages, tr, tr.t('exchange:profile.languages-none')) }),
    tr.t('exchange:profile.cultures', { list: listOrNone('cultures', profile.cultures, tr) }),
    tr.t('exchange:profile.curious', { list: listOrNone('curiousAbout', profile.curiousAbout, tr) }),
    tr.t('exchange:profile.interests', { list: listOrNone('interests', profile.interests, tr) }),
    // A canonical IANA name: letters, digits, `/`, `_`, `-` and `+`, none of which renders as Markdown there.
    tr.t('exchange:profile.time-zone', { zone: profile.timeZone ?? tr.t('exchange:profile.time-zone-none') }),
  ];
}

// Profiles go in an embed: eight 40-character entries in four lists can outgrow a message's 2,000
// characters; shown at most 80 characters each, they stay well inside a description's 4,096.
export function profileEmbed(title: string, profile: Profile, tr: Translator): EmbedBuilder {
  return new EmbedBuilder().setColor(BRIDGES_COLOUR).setTitle(title).setDescription(profileLines(profile, tr).join('\n'));
}

export function overviewEmbed(overview: MemberOverview, tr: Translator): EmbedBuilder {
  const { record } = overview;
  const embed = new EmbedBuilder().setColor(BRIDGES_COLOUR).setTitle(tr.t('exchange:me.title'));
  if (!record && overview.roundsPaired === 0) {
    return embed.setDescription([tr.t('exchange:me.nothing'), '', pairingLine(overview, tr)].join('\n'));
  }
  const lines: string[] = [];
  if (!record) {
    lines.push(tr.t('exchange:me.not-in-no-profile'));
  } else {
    lines.push(tr.t('exchange:me.exchange', { status: statusText(overview, record, tr) }));
    lines.push(...profileLines(record.profile, tr));
    if (record.profileSavedAt) lines.push(tr.t('exchange:me.first-saved', { when: fullTime(new Date(record.profileSavedAt)) }));
    lines.push(tr.t('exchange:me.missed', { missed: record.missedFollowUps }));
    lines.push(tr.t('exchange:me.last-changed', { when: fullTime(new Date(record.updatedAt)) }));
  }
  lines.push(
    tr.t('exchange:me.rounds', { paired: overview.roundsPaired, count: overview.roundsKept }),
    tr.t('exchange:me.answers', {
      met: overview.answers.met,
      notYet: overview.answers['not-yet'],
      cantMakeIt: overview.answers['cant-make-it'],
    }),
    '',
    pairingLine(overview, tr),
    '',
    tr.t('exchange:me.forget-hint'),
  );
  return embed.setDescription(lines.join('\n'));
}

function statusText(overview: MemberOverview, record: MemberRecord, tr: Translator): string {
  const since = record.optedInAt ? tr.t('exchange:status.since', { when: fullTime(new Date(record.optedInAt)) }) : '';
  if (overview.paused && record.pausedUntil) {
    const reason = record.pauseReason
      ? tr.t('exchange:status.because', { reason: tr.t(`exchange:pause-reason.${record.pauseReason}`) })
      : '';
    return tr.t('exchange:status.paused', { since, until: fullTime(new Date(record.pausedUntil)), reason });
  }
  if (overview.active) return tr.t('exchange:status.active', { since });
  return tr.t('exchange:status.not-in');
}

function pairingLine(overview: MemberOverview, tr: Translator): string {
  const { pairing } = overview;
  switch (pairing.state) {
    case 'not-set-up':
      return tr.t('exchange:pairing.not-set-up');
    case 'off':
      return pairing.reason
        ? tr.t('exchange:pairing.off-because', { reason: fitText(disabledReasonText('pairing', pairing.reason, tr), REASON_MAX_LENGTH) })
        : tr.t('exchange:pairing.off');
    case 'on':
      return tr.t('exchange:pairing.next', { when: fullTime(pairing.nextRoundAt), channel: channelMention(pairing.channelId) });
  }
}

// The parser accepts at most 40 characters once normalized; lowercasing (only İ grows, into two) or
// escaping at most doubles each, so every accepted entry is shown whole. Only a profile stored under
// other limits, or by hand, is shortened.
const SHOWN_ENTRY_MAX = 2 * MAX_PROFILE_ENTRY_LENGTH;

function listOrNone(field: ProfileListField, entries: readonly string[], tr: Translator, none = tr.t('exchange:profile.none')): string {
  if (entries.length === 0) return none;
  const shown = entries.slice(0, MAX_PROFILE_ENTRIES).map((entry) => fitText(profileEntryLabel(field, entry, tr.locale), SHOWN_ENTRY_MAX));
  const others = entries.length - shown.length;
  return tr.list(others > 0 ? [...shown, tr.t('exchange:profile.more', { count: others })] : shown);
}

export function forgetConfirmation(tr: Translator): MessageWithMentions {
  return {
    content: tr.t('exchange:forget.confirm'),
    components: [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId(FORGET_CONFIRM_ID).setStyle(ButtonStyle.Danger).setLabel(tr.t('exchange:forget.button')),
        new ButtonBuilder().setCustomId(FORGET_CANCEL_ID).setStyle(ButtonStyle.Secondary).setLabel(tr.t('common:cancel')),
      ),
    ],
    allowedMentions: NO_MENTIONS,
  };
}

/** What `/exchange me` shows: the overview, the passport once there is a record, and the avoid list. */
export function meReply(
  overview: MemberOverview,
  passport: readonly { culture: string; conversations: number }[],
  avoided: readonly string[],
  tr: Translator,
): { embeds: EmbedBuilder[]; allowedMentions: typeof NO_MENTIONS } {
  return {
    embeds: [overviewEmbed(overview, tr), ...(overview.record ? [passportEmbed(passport, tr)] : []), avoidListEmbed(avoided, tr)],
    allowedMentions: NO_MENTIONS,
  };
}
