import {
  ApplicationIntegrationType,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  channelMention,
  type ChatInputCommandInteraction,
  type GuildBasedChannel,
} from 'discord.js';
import { timeZoneChoices, themeListChoices } from '../src/discord/autocompleteChoices.ts';
import {
  CREATE_PRIVATE_THREADS,
  CREATE_PUBLIC_THREADS,
  EMBED_LINKS,
  SEND_MESSAGES_IN_THREADS,
  SEND_MESSAGES,
  VIEW_CHANNEL,
  MANAGE_GUILD,
  missingBotPermissions,
  type RequiredPermission,
} from '../src/discord/botPermissions.ts';
import { joinExchangeMessage } from '../src/discord/exchangeMessages.ts';
import { nativeLocaleName, translator, type Translator } from '../src/discord/i18n.ts';
import { INPUT_MAX_LENGTH, longestChoice } from '../src/discord/limits.ts';
import {
  configurationReply,
  featureOffReply,
  languageReply,
  pairingOnReply,
  promptsOnReply,
  type JoinMessageOutcome,
} from '../src/discord/setupMessages.ts';
import { forgetServerConfirmation } from '../src/discord/setupComponents.ts';
import { NO_MENTIONS } from '../src/discord/mentions.ts';
import { localizeCommand } from '../src/discord/commandLocalizations.ts';
import type { BridgesContext, SlashCommand } from '../src/discord/slashCommand.ts';
import { serverLocales, SUPPORTED_LOCALES } from '../src/core/locales.ts';
import { WEEKDAYS } from '../src/core/schedule.ts';
import { SERVER_LANGUAGE, type Feature } from '../src/services/settingsService.ts';
import { UserError } from '../src/services/userError.ts';

const PROMPT_CHANNEL_TYPES = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

const WEEKDAY_CHOICES = WEEKDAYS.map((day) => ({ name: day.charAt(0).toUpperCase() + day.slice(1), value: day }));

const FREQUENCY_CHOICES = [
  { name: 'Weekly', value: 'weekly' },
  { name: 'Every other week', value: 'biweekly' },
  { name: 'Monthly (first such weekday)', value: 'monthly' },
];

/** Each language by its own name, so anyone can find theirs whatever their client's language. */
const LANGUAGE_CHOICES = SUPPORTED_LOCALES.map((locale) => ({ name: nativeLocaleName(locale), value: locale }));
const PRIMARY_LANGUAGE_CHOICES = [{ name: "The server's Discord language", value: SERVER_LANGUAGE }, ...LANGUAGE_CHOICES];

const FEATURE_CHOICES = [
  { name: 'Daily prompts', value: 'prompts' },
  { name: 'Pairing rounds', value: 'pairing' },
];

export const setupCommand = {
  data: localizeCommand({
    type: ApplicationCommandType.ChatInput,
    name: 'setup',
    description: 'Configure Bridges for this server (moderators)',
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'prompts',
        description: 'Turn on daily prompts: where, when and which themes',
        options: [
          {
            type: ApplicationCommandOptionType.Channel,
            name: 'channel',
            description: 'Text or announcement channel for the prompts',
            required: true,
            channel_types: [...PROMPT_CHANNEL_TYPES],
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'time',
            description: 'Local time to post, 24-hour HH:MM (for example 09:00)',
            required: true,
            min_length: 3,
            max_length: INPUT_MAX_LENGTH.timeOfDay,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'timezone',
            description: 'Time zone, for example Europe/Berlin',
            required: true,
            autocomplete: true,
            min_length: 1,
            max_length: INPUT_MAX_LENGTH.timeZone,
          },
          {
            type: ApplicationCommandOptionType.Boolean,
            name: 'threads',
            description: 'Open a thread under each prompt for answers (default: yes)',
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'themes',
            description: 'Themes to use, separated by commas (default: all)',
            autocomplete: true,
            min_length: 1,
            max_length: INPUT_MAX_LENGTH.themeList,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'pairing',
        description: 'Turn on pairing rounds: one-to-one conversations between members who opt in',
        options: [
          {
            type: ApplicationCommandOptionType.Channel,
            name: 'channel',
            description: 'Text channel where private conversation threads are opened',
            required: true,
            channel_types: [ChannelType.GuildText],
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'frequency',
            description: 'How often rounds run',
            required: true,
            choices: FREQUENCY_CHOICES,
            max_length: longestChoice(FREQUENCY_CHOICES),
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'weekday',
            description: 'Day of the week rounds start',
            required: true,
            choices: WEEKDAY_CHOICES,
            max_length: longestChoice(WEEKDAY_CHOICES),
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'time',
            description: 'Local time rounds start, 24-hour HH:MM (for example 18:00)',
            required: true,
            min_length: 3,
            max_length: INPUT_MAX_LENGTH.timeOfDay,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'timezone',
            description: "Time zone (default: the daily prompts' zone, else UTC)",
            autocomplete: true,
            min_length: 1,
            max_length: INPUT_MAX_LENGTH.timeZone,
          },
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'group_size',
            description: 'Pairs (a trio when the count is odd) or trios (default: pairs)',
            choices: [
              { name: 'Pairs', value: 2 },
              { name: 'Trios', value: 3 },
            ],
          },
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'follow_up_days',
            description: 'Days after a round to ask how it went (default 3)',
            min_value: 1,
            max_value: 14,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'show',
        description: "Show this server's Bridges configuration",
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'off',
        description: 'Turn a feature off, keeping its settings',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'feature',
            description: 'What to turn off',
            required: true,
            choices: FEATURE_CHOICES,
            max_length: longestChoice(FEATURE_CHOICES),
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'language',
        description: "The language of daily prompts and other posts (default: the server's Discord language)",
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'primary',
            description: 'Language of all posts',
            required: true,
            choices: PRIMARY_LANGUAGE_CHOICES,
            max_length: longestChoice(PRIMARY_LANGUAGE_CHOICES),
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'secondary',
            description: 'A second language, posted with each daily prompt (bilingual servers)',
            choices: LANGUAGE_CHOICES,
            max_length: longestChoice(LANGUAGE_CHOICES),
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'suggestions',
        description: "Where members' prompt suggestions wait for review",
        options: [
          {
            type: ApplicationCommandOptionType.Channel,
            name: 'channel',
            description: 'Text channel where moderators review suggestions',
            required: true,
            channel_types: [ChannelType.GuildText],
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'forget-server',
        description: 'Delete everything Bridges stores about this server (asks to confirm first)',
      },
    ],
  }),
  requiresPermission: MANAGE_GUILD,

  async execute(interaction, context, tr) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    switch (interaction.options.getSubcommand()) {
      case 'prompts':
        return setupPrompts(interaction, context, tr);
      case 'pairing':
        return setupPairing(interaction, context, tr);
      case 'show':
        return showConfiguration(interaction, context, tr);
      case 'off':
        return turnOff(interaction, context, tr);
      case 'language':
        return setupLanguage(interaction, context, tr);
      case 'suggestions':
        return setupSuggestions(interaction, context, tr);
      case 'forget-server':
        await interaction.editReply(forgetServerConfirmation(tr));
        return;
      default:
        throw new UserError('unknown-subcommand');
    }
  },

  async autocomplete(interaction, { catalog }, tr) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'timezone') return interaction.respond(timeZoneChoices(focused.value));
    if (focused.name === 'themes') return interaction.respond(themeListChoices(catalog, focused.value, tr));
    return interaction.respond([]);
  },
} satisfies SlashCommand;

async function setupPrompts(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext, tr: Translator): Promise<void> {
  const threads = interaction.options.getBoolean('threads') ?? true;
  const channel = chosenChannel(interaction, {
    types: PROMPT_CHANNEL_TYPES,
    feature: 'prompt',
    required: [VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, ...(threads ? [CREATE_PUBLIC_THREADS] : [])],
  });
  const settings = await context.settings.configurePrompts(interaction.guildId, interaction.user.id, {
    channelId: channel.id,
    time: interaction.options.getString('time', true),
    timeZone: interaction.options.getString('timezone', true),
    threads,
    themes: interaction.options.getString('themes') ?? undefined,
  });
  const next = await context.prompts.nextDailyPost(interaction.guildId, settings);
  await interaction.editReply(promptsOnReply(settings, next, context.catalog, tr));
}

async function setupPairing(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext, tr: Translator): Promise<void> {
  const channel = chosenChannel(interaction, {
    types: [ChannelType.GuildText],
    feature: 'pairing',
    required: [VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, CREATE_PRIVATE_THREADS, SEND_MESSAGES_IN_THREADS],
  });
  // chosenChannel already refused other types; this only narrows the type for channel.send.
  if (channel.type !== ChannelType.GuildText) return;
  const settings = await context.settings.configurePairing(interaction.guildId, interaction.user.id, {
    channelId: channel.id,
    frequency: interaction.options.getString('frequency', true),
    weekday: interaction.options.getString('weekday', true),
    time: interaction.options.getString('time', true),
    timeZone: interaction.options.getString('timezone') ?? undefined,
    groupSize: interaction.options.getInteger('group_size') ?? undefined,
    followUpDays: interaction.options.getInteger('follow_up_days') ?? undefined,
  });
  let joinMessage: JoinMessageOutcome = 'already-posted';
  if (settings.joinMessageId === undefined) {
    try {
      // A post in the channel: in the server's language, not the moderator's.
      const language = (await context.settings.config(interaction.guildId)).language;
      const message = await channel.send(
        joinExchangeMessage(translator(serverLocales(language, interaction.guild.preferredLocale)[0] ?? 'en-US')),
      );
      await context.settings.recordJoinMessage(interaction.guildId, channel.id, message.id);
      joinMessage = 'posted';
    } catch (error) {
      // The rounds are configured either way; members can still use /exchange join.
      context.logger.warn('Could not post the join message', { guildId: interaction.guildId, error });
      joinMessage = 'failed';
    }
  }
  await interaction.editReply(pairingOnReply(settings, await context.rounds.nextRound(interaction.guildId, settings), joinMessage, tr));
}

/**
 * The channel option, refused unless it has one of `types` and Bridges itself has `required` there
 * (checked in the cache: the permissions on the resolved option are the moderator's, not the bot's).
 */
function chosenChannel(
  interaction: ChatInputCommandInteraction<'cached'>,
  rule: { types: readonly ChannelType[]; feature: 'prompt' | 'pairing' | 'suggestions'; required: readonly RequiredPermission[] },
): GuildBasedChannel {
  const chosen = interaction.options.getChannel('channel', true);
  const channel = interaction.guild.channels.cache.get(chosen.id);
  if (!channel || !rule.types.includes(channel.type)) {
    throw new UserError(`${rule.feature}-channel-wrong-type`, { channel: channelMention(chosen.id) });
  }
  const missing = missingBotPermissions(channel, rule.required);
  if (missing.length > 0) {
    throw new UserError(`${rule.feature}-channel-missing-permissions`, {
      channel: channelMention(channel.id),
      permissions: { permissions: missing.map((permission) => permission.name) },
      count: missing.length,
    });
  }
  return channel;
}

async function setupSuggestions(
  interaction: ChatInputCommandInteraction<'cached'>,
  context: BridgesContext,
  tr: Translator,
): Promise<void> {
  const channel = chosenChannel(interaction, {
    types: [ChannelType.GuildText],
    feature: 'suggestions',
    required: [VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, CREATE_PUBLIC_THREADS, SEND_MESSAGES_IN_THREADS],
  });
  await context.packs.setReviewChannel(interaction.guildId, channel.id);
  await interaction.editReply({
    content: tr.t('suggestions:review-channel-set', { channel: channelMention(channel.id) }),
    allowedMentions: NO_MENTIONS,
  });
}

async function showConfiguration(
  interaction: ChatInputCommandInteraction<'cached'>,
  context: BridgesContext,
  tr: Translator,
): Promise<void> {
  const config = await context.settings.config(interaction.guildId);
  const nextPrompt = config.prompts?.enabled ? await context.prompts.nextDailyPost(interaction.guildId, config.prompts) : undefined;
  const nextRound = config.pairing?.enabled ? await context.rounds.nextRound(interaction.guildId, config.pairing) : undefined;
  const lastPost = config.prompts ? await context.prompts.lastDailyPost(interaction.guildId) : undefined;
  const lastRound = config.pairing ? await context.rounds.lastRound(interaction.guildId) : undefined;
  const locales = serverLocales(config.language, interaction.guild.preferredLocale);
  await interaction.editReply(configurationReply({ config, nextPrompt, nextRound, lastPost, lastRound, locales }, context.catalog, tr));
}

async function turnOff(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext, tr: Translator): Promise<void> {
  const feature = interaction.options.getString('feature', true);
  if (feature !== 'prompts' && feature !== 'pairing') throw new UserError('bad-feature', { typed: { typed: feature } });
  const changed = await context.settings.turnOff(interaction.guildId, feature satisfies Feature);
  await interaction.editReply(featureOffReply(feature, changed, tr));
}

async function setupLanguage(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext, tr: Translator): Promise<void> {
  const language = await context.settings.setLanguage(
    interaction.guildId,
    interaction.options.getString('primary', true),
    interaction.options.getString('secondary') ?? undefined,
  );
  await interaction.editReply(
    languageReply(serverLocales(language, interaction.guild.preferredLocale), language?.primary === undefined, tr),
  );
}
