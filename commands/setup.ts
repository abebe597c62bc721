import {
  ApplicationIntegrationType,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  channelMention,
  roleMention,
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
  MENTION_EVERYONE,
  PIN_MESSAGES,
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
import { themedWeekOrder, weekStartOf } from '../src/core/promptWeeks.ts';
import { localDateOf, WEEKDAYS } from '../src/core/schedule.ts';
import { weekThemeOf } from '../src/services/promptWeeks.ts';
import type { GuildConfig } from '../src/store/guildConfigStore.ts';
import {
  promptDayChoices,
  promptExtrasLines,
  promptExtrasShowLines,
  themedWeeksReply,
  themedWeeksShowLines,
} from '../src/discord/weeksMessages.ts';
import { SERVER_LANGUAGE, type Feature } from '../src/services/settingsService.ts';
import { UserError } from '../src/services/userError.ts';

/** Room for every weekday by its English name, comma-separated (56 characters), and some spaces. */
const PROMPT_DAYS_MAX_LENGTH = 100;

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
          {
            type: ApplicationCommandOptionType.String,
            name: 'days',
            description: 'Days to post on, for example mon,wed,fri or weekdays (default: as before, else every day)',
            autocomplete: true,
            min_length: 1,
            max_length: PROMPT_DAYS_MAX_LENGTH,
          },
          {
            type: ApplicationCommandOptionType.Role,
            name: 'role',
            description: 'A role to mention with each prompt (default: as before)',
          },
          {
            type: ApplicationCommandOptionType.Boolean,
            name: 'remove_role',
            description: 'Stop mentioning a role with the prompts',
          },
          {
            type: ApplicationCommandOptionType.Boolean,
            name: 'pin',
            description: 'Pin the newest prompt and unpin the previous one (default: as before, else no)',
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'themed-weeks',
        description: 'One theme a week for daily prompts and pairing icebreakers',
        options: [
          {
            type: ApplicationCommandOptionType.Boolean,
            name: 'enabled',
            description: 'Turn themed weeks on or off',
            required: true,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'order',
            description: "Themes in the order weeks take them, separated by commas (default: the prompts' themes)",
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
        name: 'takeaways',
        description: "Choose the channel where members' takeaways are posted (only when a whole group agrees)",
        options: [
          {
            type: ApplicationCommandOptionType.Channel,
            name: 'channel',
            description: 'Text channel for takeaways',
            required: true,
            channel_types: [ChannelType.GuildText],
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
      case 'themed-weeks':
        return setupThemedWeeks(interaction, context, tr);
      case 'off':
        return turnOff(interaction, context, tr);
      case 'language':
        return setupLanguage(interaction, context, tr);
      case 'takeaways':
        return setupTakeaways(interaction, context, tr);
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
    if (focused.name === 'themes' || focused.name === 'order') return interaction.respond(themeListChoices(catalog, focused.value, tr));
    if (focused.name === 'days') return interaction.respond(promptDayChoices(focused.value, tr));
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
    days: interaction.options.getString('days') ?? undefined,
    roleId: mentionableRole(interaction, channel),
    removeRole: interaction.options.getBoolean('remove_role') ?? undefined,
    pin: interaction.options.getBoolean('pin') ?? undefined,
  });
  const next = await context.prompts.nextDailyPost(interaction.guildId, settings);
  const reply = promptsOnReply(settings, next, context.catalog, tr);
  const canPin = missingBotPermissions(channel, [PIN_MESSAGES]).length === 0;
  await interaction.editReply({ ...reply, content: [reply.content, ...promptExtrasLines(settings, canPin, tr)].join('\n') });
}

/** The `role` option, refused when it is @everyone or a role Bridges could not ping in `channel`. */
function mentionableRole(interaction: ChatInputCommandInteraction<'cached'>, channel: GuildBasedChannel): string | undefined {
  const role = interaction.options.getRole('role');
  if (!role) return undefined;
  if (role.id === interaction.guildId) throw new UserError('weeks:role-everyone');
  if (!role.mentionable && missingBotPermissions(channel, [MENTION_EVERYONE]).length > 0) {
    throw new UserError('weeks:role-not-mentionable', { role: roleMention(role.id) });
  }
  return role.id;
}

async function setupThemedWeeks(
  interaction: ChatInputCommandInteraction<'cached'>,
  context: BridgesContext,
  tr: Translator,
): Promise<void> {
  const config = await context.settings.configureThemedWeeks(interaction.guildId, interaction.user.id, {
    enabled: interaction.options.getBoolean('enabled', true),
    order: interaction.options.getString('order') ?? undefined,
  });
  const week = themedWeekNow(config, context);
  await interaction.editReply({
    content: themedWeeksReply(config, week.order, week.themeId, context.catalog, tr),
    allowedMentions: NO_MENTIONS,
  });
}

/** This week in the prompts' zone, the themed-week order and this week's theme. */
function themedWeekNow(config: GuildConfig, context: BridgesContext) {
  const today = localDateOf(context.clock.now(), config.prompts?.timeZone ?? 'UTC');
  const order = themedWeekOrder(
    context.catalog.themes.map((theme) => theme.id),
    config.prompts?.themeIds ?? [],
    config.themedWeeks?.themeIds ?? [],
  );
  return { week: weekStartOf(today), order, themeId: weekThemeOf(config, context.catalog, today) };
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
  rule: {
    types: readonly ChannelType[];
    feature: 'prompt' | 'pairing' | 'takeaways' | 'suggestions';
    required: readonly RequiredPermission[];
  },
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

async function setupTakeaways(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext, tr: Translator): Promise<void> {
  const channel = chosenChannel(interaction, {
    types: [ChannelType.GuildText],
    feature: 'takeaways',
    required: [VIEW_CHANNEL, SEND_MESSAGES],
  });
  await context.takeaways.setChannel(interaction.guildId, interaction.user.id, channel.id);
  await interaction.editReply({
    content: tr.t('takeaways:setup.on', { channel: channelMention(channel.id) }),
    allowedMentions: NO_MENTIONS,
  });
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
  const week = themedWeekNow(config, context);
  const promptExtras = promptExtrasShowLines(config, tr);
  const sections = config.prompts ? themedWeeksShowLines(config, week.order, week, context.catalog, tr) : [];
  const reviewChannelId = await context.packs.reviewChannel(interaction.guildId);
  const takeawaysChannelId = (await context.takeaways.channel(interaction.guildId))?.channelId;
  await interaction.editReply(
    configurationReply(
      { config, nextPrompt, nextRound, lastPost, lastRound, locales, promptExtras, sections, reviewChannelId, takeawaysChannelId },
      context.catalog,
      tr,
    ),
  );
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
