import {
  ApplicationIntegrationType,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  MessageFlags,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { PROFILE_FIELD_NAMES, PROFILE_LIST_FIELDS, type ProfileInput } from '../src/core/profile.ts';
import { profileListChoices, timeZoneChoices } from '../src/discord/autocompleteChoices.ts';
import { startJoin } from '../src/discord/exchangeComponents.ts';
import { forgetConfirmation, meReply, profileEmbed } from '../src/discord/exchangeMessages.ts';
import { fullTime } from '../src/discord/format.ts';
import { avoidListEmbed, avoidReply, ownTakeawaysReply } from '../src/discord/takeawayMessages.ts';
import { INPUT_MAX_LENGTH } from '../src/discord/limits.ts';
import { NO_MENTIONS } from '../src/discord/mentions.ts';
import type { Translator } from '../src/discord/i18n.ts';
import { localizeCommand } from '../src/discord/commandLocalizations.ts';
import type { BridgesContext, SlashCommand } from '../src/discord/slashCommand.ts';
import { MAX_PAUSE_WEEKS, MIN_PAUSE_WEEKS } from '../src/services/exchangeService.ts';
import { UserError } from '../src/services/userError.ts';

const LIST_SUFFIX = 'comma-separated; "-" clears';

export const exchangeCommand = {
  data: localizeCommand({
    type: ApplicationCommandType.ChatInput,
    name: 'exchange',
    description: 'Take part in pairing rounds: meet members from other cultures',
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'join',
        description: 'Opt in to pairing rounds in this server',
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'profile',
        description: 'Show your profile, or change the fields you give',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: PROFILE_FIELD_NAMES.timeZone,
            description: 'Your time zone, for example Europe/Berlin ("-" clears)',
            autocomplete: true,
            min_length: 1,
            max_length: INPUT_MAX_LENGTH.timeZone,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: PROFILE_FIELD_NAMES.languages,
            description: `Languages you can hold a conversation in, ${LIST_SUFFIX}`,
            autocomplete: true,
            min_length: 1,
            max_length: INPUT_MAX_LENGTH.profileList,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: PROFILE_FIELD_NAMES.cultures,
            description: `Cultures, regions or communities you can share about, ${LIST_SUFFIX}`,
            autocomplete: true,
            min_length: 1,
            max_length: INPUT_MAX_LENGTH.profileList,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: PROFILE_FIELD_NAMES.curiousAbout,
            description: `What you would like to learn about, ${LIST_SUFFIX}`,
            autocomplete: true,
            min_length: 1,
            max_length: INPUT_MAX_LENGTH.profileList,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: PROFILE_FIELD_NAMES.interests,
            description: `Topics you like to talk about, ${LIST_SUFFIX}`,
            min_length: 1,
            max_length: INPUT_MAX_LENGTH.profileList,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'pause',
        description: 'Skip pairing rounds for a few weeks, then come back by yourself',
        options: [
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'weeks',
            description: `How many weeks to skip (${MIN_PAUSE_WEEKS}–${MAX_PAUSE_WEEKS})`,
            required: true,
            min_value: MIN_PAUSE_WEEKS,
            max_value: MAX_PAUSE_WEEKS,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'leave',
        description: 'Opt out of pairing rounds in this server',
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'me',
        description: 'Everything Bridges stores about you in this server, and the next round',
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'forget',
        description: 'Delete your profile, opt-in and pairing history in this server',
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'takeaways',
        description: 'Your shared takeaways in this server, each with a button to withdraw it',
      },
      {
        type: ApplicationCommandOptionType.SubcommandGroup,
        name: 'avoid',
        description: 'Members you never want to be paired with (private)',
        options: [
          {
            type: ApplicationCommandOptionType.Subcommand,
            name: 'add',
            description: 'Never be paired with this member again',
            options: [{ type: ApplicationCommandOptionType.User, name: 'member', description: 'The member to avoid', required: true }],
          },
          {
            type: ApplicationCommandOptionType.Subcommand,
            name: 'remove',
            description: 'Allow pairing with this member again',
            options: [
              { type: ApplicationCommandOptionType.User, name: 'member', description: 'The member to allow again', required: true },
            ],
          },
          {
            type: ApplicationCommandOptionType.Subcommand,
            name: 'list',
            description: 'The members you avoid',
          },
        ],
      },
    ],
  }),

  async execute(interaction, context, tr) {
    const subcommand = interaction.options.getSubcommand();
    // The join form must be the first response, so join decides about deferring itself.
    if (subcommand === 'join') return startJoin(interaction, context, tr);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    if (interaction.options.getSubcommandGroup() === 'avoid') return avoid(interaction, context, tr);
    switch (subcommand) {
      case 'profile':
        return profile(interaction, context, tr);
      case 'pause':
        return pause(interaction, context, tr);
      case 'leave':
        return leave(interaction, context, tr);
      case 'me':
        return me(interaction, context, tr);
      case 'forget':
        return forget(interaction, context, tr);
      case 'takeaways':
        await interaction.editReply(ownTakeawaysReply(await context.takeaways.ownTakeaways(interaction.guildId, interaction.user.id), tr));
        return;
      default:
        throw new UserError('unknown-subcommand');
    }
  },

  async autocomplete(interaction, _context, tr) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === PROFILE_FIELD_NAMES.timeZone) return interaction.respond(timeZoneChoices(focused.value));
    for (const field of ['languages', 'cultures', 'curiousAbout'] as const) {
      if (focused.name === PROFILE_FIELD_NAMES[field]) return interaction.respond(profileListChoices(field, focused.value, tr));
    }
    return interaction.respond([]);
  },
} satisfies SlashCommand;

const PROFILE_OPTIONS: readonly (keyof ProfileInput)[] = [...PROFILE_LIST_FIELDS, 'timeZone'];

async function profile(interaction: ChatInputCommandInteraction<'cached'>, { exchange }: BridgesContext, tr: Translator): Promise<void> {
  const input: ProfileInput = {};
  for (const field of PROFILE_OPTIONS) {
    const value = interaction.options.getString(PROFILE_FIELD_NAMES[field]);
    if (value !== null) input[field] = value;
  }
  if (Object.keys(input).length === 0) {
    const record = await exchange.member(interaction.guildId, interaction.user.id);
    if (record?.profileSavedAt === undefined) {
      await interaction.editReply({ content: tr.t('exchange:profile-cmd.no-profile'), allowedMentions: NO_MENTIONS });
      return;
    }
    await interaction.editReply({
      content: tr.t('exchange:profile-cmd.how-to-change'),
      embeds: [profileEmbed(tr.t('exchange:your-profile'), record.profile, tr)],
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  const saved = await exchange.updateProfile(interaction.guildId, interaction.user.id, input);
  await interaction.editReply({
    content: tr.t(saved.optedIn ? 'exchange:profile-cmd.saved' : 'exchange:profile-cmd.saved-not-in'),
    embeds: [profileEmbed(tr.t('exchange:your-profile'), saved.profile, tr)],
    allowedMentions: NO_MENTIONS,
  });
}

async function pause(interaction: ChatInputCommandInteraction<'cached'>, { exchange }: BridgesContext, tr: Translator): Promise<void> {
  const until = await exchange.pause(interaction.guildId, interaction.user.id, interaction.options.getInteger('weeks', true));
  await interaction.editReply({ content: tr.t('exchange:paused', { until: fullTime(until) }), allowedMentions: NO_MENTIONS });
}

async function leave(interaction: ChatInputCommandInteraction<'cached'>, { exchange }: BridgesContext, tr: Translator): Promise<void> {
  const left = await exchange.leave(interaction.guildId, interaction.user.id);
  await interaction.editReply({ content: tr.t(left ? 'exchange:left' : 'exchange:not-in-to-leave'), allowedMentions: NO_MENTIONS });
}

async function me(
  interaction: ChatInputCommandInteraction<'cached'>,
  { exchange, insights, takeaways }: BridgesContext,
  tr: Translator,
): Promise<void> {
  const overview = await exchange.overview(interaction.guildId, interaction.user.id);
  const passport = overview.record ? await insights.passport(interaction.guildId, interaction.user.id) : [];
  const avoided = await takeaways.avoided(interaction.guildId, interaction.user.id);
  await interaction.editReply(meReply(overview, passport, avoided, tr));
}

async function avoid(interaction: ChatInputCommandInteraction<'cached'>, { takeaways }: BridgesContext, tr: Translator): Promise<void> {
  const userId = interaction.user.id;
  switch (interaction.options.getSubcommand()) {
    case 'add': {
      const member = interaction.options.getUser('member', true);
      const list = await takeaways.avoid(interaction.guildId, userId, { id: member.id, bot: member.bot });
      await interaction.editReply({ content: avoidReply('added', member.id, list, tr), allowedMentions: NO_MENTIONS });
      return;
    }
    case 'remove': {
      const member = interaction.options.getUser('member', true);
      const list = await takeaways.unavoid(interaction.guildId, userId, member.id);
      await interaction.editReply({ content: avoidReply('removed', member.id, list, tr), allowedMentions: NO_MENTIONS });
      return;
    }
    case 'list':
      await interaction.editReply({
        embeds: [avoidListEmbed(await takeaways.avoided(interaction.guildId, userId), tr)],
        allowedMentions: NO_MENTIONS,
      });
      return;
    default:
      throw new UserError('unknown-subcommand');
  }
}

async function forget(
  interaction: ChatInputCommandInteraction<'cached'>,
  { exchange, takeaways }: BridgesContext,
  tr: Translator,
): Promise<void> {
  const { guildId } = interaction;
  if (!(await exchange.hasData(guildId, interaction.user.id)) && !(await takeaways.hasData(guildId, interaction.user.id))) {
    await interaction.editReply({ content: tr.t('exchange:forget.nothing-stored'), allowedMentions: NO_MENTIONS });
    return;
  }
  await interaction.editReply(forgetConfirmation(tr));
}
