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
  describeMissing,
  missingBotPermissions,
  type RequiredPermission,
} from '../src/discord/botPermissions.ts';
import { joinExchangeMessage } from '../src/discord/exchangeMessages.ts';
import { failureText, promptFailureFix } from '../src/discord/failureText.ts';
import { fullTime } from '../src/discord/format.ts';
import { roundOutcomeText } from '../src/discord/roundMessages.ts';
import { forgetServerConfirmation } from '../src/discord/setupComponents.ts';
import { NO_MENTIONS } from '../src/discord/mentions.ts';
import type { BridgesContext, SlashCommand } from '../src/discord/slashCommand.ts';
import { WEEKDAYS } from '../src/core/schedule.ts';
import type { PairingSettings } from '../src/store/guildConfigStore.ts';
import type { PostRecord } from '../src/store/promptLogStore.ts';
import type { Feature } from '../src/services/settingsService.ts';
import { UserError } from '../src/services/userError.ts';

const PROMPT_CHANNEL_TYPES = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

const WEEKDAY_CHOICES = WEEKDAYS.map((day) => ({ name: day.charAt(0).toUpperCase() + day.slice(1), value: day }));

const FREQUENCY_TEXT = { weekly: 'every week', biweekly: 'every other week', monthly: 'every month (the first such weekday)' } as const;

export const setupCommand = {
  data: {
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
            max_length: 5,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'timezone',
            description: 'Time zone, for example Europe/Berlin',
            required: true,
            autocomplete: true,
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
            choices: [
              { name: 'Weekly', value: 'weekly' },
              { name: 'Every other week', value: 'biweekly' },
              { name: 'Monthly (first such weekday)', value: 'monthly' },
            ],
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'weekday',
            description: 'Day of the week rounds start',
            required: true,
            choices: WEEKDAY_CHOICES,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'time',
            description: 'Local time rounds start, 24-hour HH:MM (for example 18:00)',
            required: true,
            min_length: 3,
            max_length: 5,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'timezone',
            description: "Time zone (default: the daily prompts' zone, else UTC)",
            autocomplete: true,
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
            choices: [
              { name: 'Daily prompts', value: 'prompts' },
              { name: 'Pairing rounds', value: 'pairing' },
            ],
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'forget-server',
        description: 'Delete everything Bridges stores about this server (asks to confirm first)',
      },
    ],
  },
  requiresPermission: { flag: PermissionFlagsBits.ManageGuild, name: 'Manage Server' },

  async execute(interaction, context) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    switch (interaction.options.getSubcommand()) {
      case 'prompts':
        return setupPrompts(interaction, context);
      case 'pairing':
        return setupPairing(interaction, context);
      case 'show':
        return showConfiguration(interaction, context);
      case 'off':
        return turnOff(interaction, context);
      case 'forget-server':
        await interaction.editReply(forgetServerConfirmation());
        return;
      default:
        throw new UserError('Unknown subcommand.');
    }
  },

  async autocomplete(interaction, { catalog }) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'timezone') return interaction.respond(timeZoneChoices(focused.value));
    if (focused.name === 'themes') return interaction.respond(themeListChoices(catalog, focused.value));
    return interaction.respond([]);
  },
} satisfies SlashCommand;

async function setupPrompts(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext): Promise<void> {
  const threads = interaction.options.getBoolean('threads') ?? true;
  const channel = chosenChannel(interaction, {
    types: PROMPT_CHANNEL_TYPES,
    wrongType: 'is not a text or announcement channel. Choose one where members can read and reply.',
    purpose: 'post prompts',
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
  await interaction.editReply({
    content: [
      `Daily prompts are on in ${channelMention(settings.channelId)}, every day at ${settings.time} (${settings.timeZone}).`,
      `Next prompt: ${fullTime(next)}.`,
      `Themes: ${themeNames(context, settings.themeIds)}. Answer threads: ${settings.threads ? 'on' : 'off'}.`,
    ].join('\n'),
    allowedMentions: NO_MENTIONS,
  });
}

async function setupPairing(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext): Promise<void> {
  const channel = chosenChannel(interaction, {
    types: [ChannelType.GuildText],
    wrongType: 'is not a text channel. Pairing threads are private threads, which live in text channels.',
    purpose: 'run pairing rounds',
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
  let joinNote = '';
  if (settings.joinMessageId === undefined) {
    try {
      const message = await channel.send(joinExchangeMessage());
      await context.settings.recordJoinMessage(interaction.guildId, channel.id, message.id);
      joinNote = `\nI posted a **Join the exchange** button in ${channelMention(channel.id)}.`;
    } catch (error) {
      // The rounds are configured either way; members can still use /exchange join.
      context.logger.warn('Could not post the join message', { guildId: interaction.guildId, error });
      joinNote = `\nI could not post the **Join the exchange** button in ${channelMention(channel.id)}; members can use \`/exchange join\` instead.`;
    }
  }
  await interaction.editReply({
    content: `${describePairing(settings)}\nNext round: ${fullTime(await context.rounds.nextRound(interaction.guildId, settings))}.${joinNote}`,
    allowedMentions: NO_MENTIONS,
  });
}

/**
 * The channel option, refused unless it has one of `types` and Bridges itself has `required` there
 * (checked in the cache: the permissions on the resolved option are the moderator's, not the bot's).
 */
function chosenChannel(
  interaction: ChatInputCommandInteraction<'cached'>,
  rule: { types: readonly ChannelType[]; wrongType: string; purpose: string; required: readonly RequiredPermission[] },
): GuildBasedChannel {
  const chosen = interaction.options.getChannel('channel', true);
  const channel = interaction.guild.channels.cache.get(chosen.id);
  if (!channel || !rule.types.includes(channel.type)) throw new UserError(`${channelMention(chosen.id)} ${rule.wrongType}`);
  const missing = missingBotPermissions(channel, rule.required);
  if (missing.length > 0) {
    throw new UserError(
      `Bridges can't ${rule.purpose} in ${channelMention(channel.id)}: it is missing ${describeMissing(missing)} there. Grant ${missing.length === 1 ? 'it' : 'them'} to Bridges in the channel settings, or choose another channel.`,
    );
  }
  return channel;
}

function describePairing(settings: PairingSettings): string {
  const groups = settings.groupSize === 2 ? 'pairs (a trio when the count is odd)' : 'trios';
  return [
    `Pairing rounds are on in ${channelMention(settings.channelId)}: ${FREQUENCY_TEXT[settings.frequency]} on ${settings.weekday}s at ${settings.time} (${settings.timeZone}), in ${groups}.`,
    `Bridges checks in ${settings.followUpDays} day${settings.followUpDays === 1 ? '' : 's'} after each round.`,
  ].join('\n');
}

async function showConfiguration(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext): Promise<void> {
  const config = await context.settings.config(interaction.guildId);
  const lines = ['**Bridges in this server**', ''];
  const prompts = config.prompts;
  if (!prompts) {
    lines.push('**Daily prompts:** not set up. Start them with `/setup prompts`.');
  } else {
    const status = prompts.enabled ? 'on' : 'off';
    lines.push(`**Daily prompts:** ${status}`);
    lines.push(`- Channel: ${channelMention(prompts.channelId)}`);
    lines.push(`- Time: ${prompts.time} in ${prompts.timeZone}`);
    if (prompts.enabled) lines.push(`- Next prompt: ${fullTime(await context.prompts.nextDailyPost(interaction.guildId, prompts))}`);
    lines.push(`- Themes: ${themeNames(context, prompts.themeIds)}`);
    lines.push(`- Answer threads: ${prompts.threads ? 'on' : 'off'}`);
    lines.push(`- Last changed: ${fullTime(new Date(prompts.updatedAt))}`);
    if (!prompts.enabled && prompts.disabledReason) {
      lines.push(`- Turned off by Bridges because ${prompts.disabledReason}. Run \`/setup prompts\` again to choose a channel.`);
    }
    const lastPost = await context.prompts.lastDailyPost(interaction.guildId);
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
    if (pairing.enabled) lines.push(`- Next round: ${fullTime(await context.rounds.nextRound(interaction.guildId, pairing))}`);
    lines.push(`- Groups: ${pairing.groupSize === 2 ? 'pairs' : 'trios'}; check-in ${pairing.followUpDays} days after each round`);
    lines.push(`- Last changed: ${fullTime(new Date(pairing.updatedAt))}`);
    if (!pairing.enabled && pairing.disabledReason) {
      lines.push(`- Turned off by Bridges because ${pairing.disabledReason}. Run \`/setup pairing\` again to choose a channel.`);
    }
    const lastRound = await context.rounds.lastRound(interaction.guildId);
    if (lastRound) lines.push(`- Last round (${lastRound.number}, ${lastRound.date}): ${roundOutcomeText(lastRound)}`);
  }
  await interaction.editReply({ content: lines.join('\n'), allowedMentions: NO_MENTIONS });
}

async function turnOff(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext): Promise<void> {
  const feature = interaction.options.getString('feature', true);
  if (feature !== 'prompts' && feature !== 'pairing') {
    throw new UserError(`\`${feature}\` is not a feature. Choose \`prompts\` or \`pairing\`.`);
  }
  const changed = await context.settings.turnOff(interaction.guildId, feature satisfies Feature);
  const label = feature === 'prompts' ? 'Daily prompts' : 'Pairing rounds';
  await interaction.editReply({
    content: changed
      ? `${label} are off. Their settings are kept; run \`/setup ${feature}\` to turn them on again.`
      : `${label} were already off.`,
    allowedMentions: NO_MENTIONS,
  });
}

function themeNames(context: BridgesContext, themeIds: readonly string[]): string {
  if (themeIds.length === 0) return `all ${context.catalog.themes.length}`;
  return themeIds.map((id) => context.catalog.theme(id)?.title ?? id).join(', ');
}

/** What happened to the latest daily post, when it did not simply go out. */
function lastPostLines(post: PostRecord): string[] {
  if (post.status === 'failed' && post.failure) {
    const fix = promptFailureFix(post.failure);
    return [`- The prompt of ${post.date} was not posted: ${failureText(post.failure)}.${fix ? ` ${fix}` : ''}`];
  }
  if ((post.status === 'pending' || post.status === 'sent') && post.failure && post.retryAt) {
    return [
      `- The prompt of ${post.date} is waiting: ${failureText(post.failure)}. Bridges tries again ${fullTime(new Date(post.retryAt))}.`,
    ];
  }
  if (post.status === 'posted' && post.failure) {
    return [`- The prompt of ${post.date} was posted without its answer thread: ${failureText(post.failure)}.`];
  }
  return [];
}
