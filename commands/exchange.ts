import {
  ApplicationIntegrationType,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  MessageFlags,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { PROFILE_FIELD_NAMES, PROFILE_LIST_FIELDS, type ProfileInput } from '../src/core/profile.ts';
import { timeZoneChoices } from '../src/discord/autocompleteChoices.ts';
import { startJoin } from '../src/discord/exchangeComponents.ts';
import { forgetConfirmation, overviewEmbed, profileEmbed } from '../src/discord/exchangeMessages.ts';
import { fullTime } from '../src/discord/format.ts';
import { INPUT_MAX_LENGTH } from '../src/discord/limits.ts';
import { NO_MENTIONS } from '../src/discord/mentions.ts';
import type { BridgesContext, SlashCommand } from '../src/discord/slashCommand.ts';
import { MAX_PAUSE_WEEKS, MIN_PAUSE_WEEKS } from '../src/services/exchangeService.ts';
import { UserError } from '../src/services/userError.ts';

const LIST_SUFFIX = 'comma-separated; "-" clears';

export const exchangeCommand = {
  data: {
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
            min_length: 1,
            max_length: INPUT_MAX_LENGTH.profileList,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: PROFILE_FIELD_NAMES.cultures,
            description: `Cultures, regions or communities you can share about, ${LIST_SUFFIX}`,
            min_length: 1,
            max_length: INPUT_MAX_LENGTH.profileList,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: PROFILE_FIELD_NAMES.curiousAbout,
            description: `What you would like to learn about, ${LIST_SUFFIX}`,
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
    ],
  },

  async execute(interaction, context) {
    const subcommand = interaction.options.getSubcommand();
    // The join form must be the first response, so join decides about deferring itself.
    if (subcommand === 'join') return startJoin(interaction, context);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    switch (subcommand) {
      case 'profile':
        return profile(interaction, context);
      case 'pause':
        return pause(interaction, context);
      case 'leave':
        return leave(interaction, context);
      case 'me':
        return me(interaction, context);
      case 'forget':
        return forget(interaction, context);
      default:
        throw new UserError('Unknown subcommand.');
    }
  },

  async autocomplete(interaction) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === PROFILE_FIELD_NAMES.timeZone) return interaction.respond(timeZoneChoices(focused.value));
    return interaction.respond([]);
  },
} satisfies SlashCommand;

const PROFILE_OPTIONS: readonly (keyof ProfileInput)[] = [...PROFILE_LIST_FIELDS, 'timeZone'];

async function profile(interaction: ChatInputCommandInteraction<'cached'>, { exchange }: BridgesContext): Promise<void> {
  const input: ProfileInput = {};
  for (const field of PROFILE_OPTIONS) {
    const value = interaction.options.getString(PROFILE_FIELD_NAMES[field]);
    if (value !== null) input[field] = value;
  }
  if (Object.keys(input).length === 0) {
    const record = await exchange.member(interaction.guildId, interaction.user.id);
    if (record?.profileSavedAt === undefined) {
      await interaction.editReply({
        content:
          'You have no profile in this server yet. Fill it in with `/exchange join`, or set fields with `/exchange profile languages:… cultures:…`.',
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    await interaction.editReply({
      content: 'Change a field with `/exchange profile` and that option; `-` clears it.',
      embeds: [profileEmbed('Your profile', record.profile)],
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  const saved = await exchange.updateProfile(interaction.guildId, interaction.user.id, input);
  await interaction.editReply({
    content: saved.optedIn ? 'Profile saved.' : 'Profile saved. You are not in the pairing rounds yet; join with `/exchange join`.',
    embeds: [profileEmbed('Your profile', saved.profile)],
    allowedMentions: NO_MENTIONS,
  });
}

async function pause(interaction: ChatInputCommandInteraction<'cached'>, { exchange }: BridgesContext): Promise<void> {
  const until = await exchange.pause(interaction.guildId, interaction.user.id, interaction.options.getInteger('weeks', true));
  await interaction.editReply({
    content: `Paused: Bridges leaves you out of pairing rounds until ${fullTime(until)}, then includes you again without you doing anything. End the pause sooner with \`/exchange join\`.`,
    allowedMentions: NO_MENTIONS,
  });
}

async function leave(interaction: ChatInputCommandInteraction<'cached'>, { exchange }: BridgesContext): Promise<void> {
  const left = await exchange.leave(interaction.guildId, interaction.user.id);
  await interaction.editReply({
    content: left
      ? "You've left the exchange: Bridges won't pair you any more. It keeps your profile, and who you were paired with so you don't meet them again too soon; `/exchange forget` deletes all of it. Rejoin any time with `/exchange join`."
      : "You're not in the exchange in this server, so there was nothing to leave. To delete what Bridges keeps about you, run `/exchange forget`.",
    allowedMentions: NO_MENTIONS,
  });
}

async function me(interaction: ChatInputCommandInteraction<'cached'>, { exchange }: BridgesContext): Promise<void> {
  const overview = await exchange.overview(interaction.guildId, interaction.user.id);
  await interaction.editReply({ embeds: [overviewEmbed(overview)], allowedMentions: NO_MENTIONS });
}

async function forget(interaction: ChatInputCommandInteraction<'cached'>, { exchange }: BridgesContext): Promise<void> {
  if (!(await exchange.hasData(interaction.guildId, interaction.user.id))) {
    await interaction.editReply({
      content: 'Bridges stores nothing about you in this server; there is nothing to forget.',
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  await interaction.editReply(forgetConfirmation());
}
