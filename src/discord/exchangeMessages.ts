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
import { MAX_PROFILE_ENTRIES, MAX_PROFILE_ENTRY_LENGTH, PROFILE_FIELD_NAMES, type Profile } from '../core/profile.ts';
import type { JoinOutcome, MemberOverview } from '../services/exchangeService.ts';
import type { MemberRecord } from '../store/memberStore.ts';
import { fullTime } from './format.ts';
import { escapeUserText, fitText, INPUT_MAX_LENGTH, REASON_MAX_LENGTH } from './limits.ts';
import { NO_MENTIONS } from './mentions.ts';
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
export function joinExchangeMessage(): MessageWithMentions {
  return {
    content: [
      '**Meet someone from another culture**',
      'Each round, Bridges pairs members who opted in for a conversation in a private thread: people who share a language and can tell each other about the cultures they are curious about.',
      'Press the button to join. The first time, Bridges asks a few short questions: the languages you speak, the cultures you can share, what you are curious about and your time zone.',
      'You can pause with `/exchange pause`, leave with `/exchange leave`, and see everything Bridges keeps about you with `/exchange me`.',
    ].join('\n'),
    components: [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId(JOIN_BUTTON_ID).setStyle(ButtonStyle.Primary).setLabel('Join the exchange'),
      ),
    ],
    allowedMentions: NO_MENTIONS,
  };
}

const LIST_HINT = `Separate with commas; up to ${MAX_PROFILE_ENTRIES}, each at most ${MAX_PROFILE_ENTRY_LENGTH} characters.`;

/** The join form: the first /exchange join asks for a profile before opting in. */
export function profileForm(suggestedLanguage: string | undefined): ModalBuilder {
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
    .setTitle('Your Bridges profile')
    .addLabelComponents(
      list(
        PROFILE_FIELD_NAMES.languages,
        'Languages you can hold a conversation in',
        `${LIST_HINT} Empty: the server's language.`,
        'english, spanish, pt',
        suggestedLanguage,
      ),
      list(PROFILE_FIELD_NAMES.cultures, 'Cultures or regions you can share about', LIST_HINT, 'brazil, yoruba, deaf community'),
      list(PROFILE_FIELD_NAMES.curiousAbout, 'Cultures you would like to learn about', LIST_HINT, 'japan, the andes, sámi culture'),
      list(PROFILE_FIELD_NAMES.interests, 'Interests you like to talk about', LIST_HINT, 'cooking, jazz, hiking'),
      new LabelBuilder()
        .setLabel('Your time zone')
        .setDescription('An IANA name, so rounds can suggest hours you are both awake. Optional.')
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(PROFILE_FIELD_NAMES.timeZone)
            .setStyle(TextInputStyle.Short)
            .setRequired(false)
            .setMaxLength(INPUT_MAX_LENGTH.timeZone)
            .setPlaceholder('Europe/Berlin, America/Sao_Paulo, UTC'),
        ),
    );
}

export function joinedText(outcome: JoinOutcome): string {
  switch (outcome) {
    case 'joined':
      return "You're in the exchange: Bridges will include you in the next pairing round. Change your profile any time with `/exchange profile`, pause with `/exchange pause`.";
    case 'resumed':
      return "Welcome back: your pause is over and you're in the exchange again, starting with the next round.";
    case 'already-in':
      return "You're already in the exchange in this server. See your details with `/exchange me`.";
  }
}

/** One line per profile field, as members typed them (normalized), never rendered as Markdown. */
export function profileLines(profile: Profile): string[] {
  return [
    `**Languages:** ${listOrNone(profile.languages, "none given (the server's language is assumed)")}`,
    `**Cultures you can share about:** ${listOrNone(profile.cultures)}`,
    `**Curious about:** ${listOrNone(profile.curiousAbout)}`,
    `**Interests:** ${listOrNone(profile.interests)}`,
    // A canonical IANA name: letters, digits, `/`, `_`, `-` and `+`, none of which renders as Markdown there.
    `**Time zone:** ${profile.timeZone ?? 'not set'}`,
  ];
}

// Profiles go in an embed: eight 40-character entries in four lists can outgrow a message's 2,000
// characters; shown at most 80 characters each, they stay well inside a description's 4,096.
export function profileEmbed(title: string, profile: Profile): EmbedBuilder {
  return new EmbedBuilder().setColor(BRIDGES_COLOUR).setTitle(title).setDescription(profileLines(profile).join('\n'));
}

const PAUSE_REASONS: Readonly<Record<NonNullable<MemberRecord['pauseReason']>, string>> = {
  member: 'you paused yourself',
  'cant-make-it': "you said you couldn't make it last round",
  'no-answers': 'the last check-ins went unanswered',
};

export function overviewEmbed(overview: MemberOverview): EmbedBuilder {
  const { record } = overview;
  const embed = new EmbedBuilder().setColor(BRIDGES_COLOUR).setTitle('What Bridges stores about you in this server');
  if (!record && overview.roundsPaired === 0) {
    return embed.setDescription(['Nothing: Bridges stores nothing about you in this server.', '', pairingLine(overview)].join('\n'));
  }
  const lines: string[] = [];
  if (!record) {
    lines.push('**Exchange:** not in, no profile.');
  } else {
    lines.push(`**Exchange:** ${statusText(overview, record)}`);
    lines.push(...profileLines(record.profile));
    if (record.profileSavedAt) lines.push(`**Profile first saved:** ${fullTime(new Date(record.profileSavedAt))}`);
    lines.push(`**Check-ins missed in a row:** ${record.missedFollowUps}`);
    lines.push(`**Last changed:** ${fullTime(new Date(record.updatedAt))}`);
  }
  lines.push(
    `**Rounds you were paired in:** ${overview.roundsPaired} (of the ${overview.roundsKept} recent ${overview.roundsKept === 1 ? 'round' : 'rounds'} Bridges keeps to avoid repeat partners)`,
    `**Your check-in answers:** met ${overview.answers.met}, not yet ${overview.answers['not-yet']}, couldn't make it ${overview.answers['cant-make-it']}`,
    '',
    pairingLine(overview),
    '',
    'To delete all of this, run `/exchange forget`.',
  );
  return embed.setDescription(lines.join('\n'));
}

function statusText(overview: MemberOverview, record: MemberRecord): string {
  const since = record.optedInAt ? ` since ${fullTime(new Date(record.optedInAt))}` : '';
  if (overview.paused && record.pausedUntil) {
    const reason = record.pauseReason ? `, because ${PAUSE_REASONS[record.pauseReason]}` : '';
    return `in${since}, **paused** until ${fullTime(new Date(record.pausedUntil))}${reason}. Rounds resume by themselves after that; \`/exchange join\` ends the pause now.`;
  }
  if (overview.active) return `in${since}; you take part in the next round.`;
  return 'not in. Join with `/exchange join`.';
}

function pairingLine(overview: MemberOverview): string {
  const { pairing } = overview;
  switch (pairing.state) {
    case 'not-set-up':
      return '**Pairing rounds:** not set up in this server yet; a moderator can start them with `/setup pairing`.';
    case 'off':
      return `**Pairing rounds:** off in this server${pairing.reason ? ` (${fitText(pairing.reason, REASON_MAX_LENGTH)})` : ''}.`;
    case 'on':
      return `**Next pairing round:** ${fullTime(pairing.nextRoundAt)}, in ${channelMention(pairing.channelId)}.`;
  }
}

// The parser accepts at most 40 characters once normalized; lowercasing (only İ grows, into two) or
// escaping at most doubles each, so every accepted entry is shown whole. Only a profile stored under
// other limits, or by hand, is shortened.
const SHOWN_ENTRY_MAX = 2 * MAX_PROFILE_ENTRY_LENGTH;

function listOrNone(entries: readonly string[], none = 'none given'): string {
  if (entries.length === 0) return none;
  const shown = entries.slice(0, MAX_PROFILE_ENTRIES).map((entry) => fitText(escapeUserText(entry), SHOWN_ENTRY_MAX));
  const others = entries.length - shown.length;
  return others > 0 ? `${shown.join(', ')} and ${others} more` : shown.join(', ');
}

export function forgetConfirmation(): MessageWithMentions {
  return {
    content:
      'This deletes your profile, your opt-in and your pairing history in this server. Bridges then forgets who you were paired with, so a past partner could be paired with you again. It cannot be undone.',
    components: [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId(FORGET_CONFIRM_ID).setStyle(ButtonStyle.Danger).setLabel('Delete my data'),
        new ButtonBuilder().setCustomId(FORGET_CANCEL_ID).setStyle(ButtonStyle.Secondary).setLabel('Cancel'),
      ),
    ],
    allowedMentions: NO_MENTIONS,
  };
}
