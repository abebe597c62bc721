import { Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import type Keyv from 'keyv';
import { commands, componentHandlers } from '../commands/index.ts';
import type { BridgesConfig } from './config.ts';
import type { ThemeCatalog } from './core/themes.ts';
import { DiscordPairingChannel } from './discord/discordPairingChannel.ts';
import { DiscordPromptChannel } from './discord/discordPromptChannel.ts';
import { createInteractionRouter } from './discord/interactionRouter.ts';
import { NO_MENTIONS } from './discord/mentions.ts';
import { registerCommandsIfChanged } from './discord/registerCommands.ts';
import type { BridgesContext } from './discord/slashCommand.ts';
import { welcomeGuild } from './discord/welcome.ts';
import { loadThemeCatalog } from './loadThemeCatalog.ts';
import { createLogger, type Logger } from './logger.ts';
import { systemClock, type Clock } from './services/clock.ts';
import { ExchangeService } from './services/exchangeService.ts';
import { KeyedLock } from './services/keyedLock.ts';
import { PromptService } from './services/promptService.ts';
import { RoundService } from './services/roundService.ts';
import { Scheduler } from './services/scheduler.ts';
import { SettingsService } from './services/settingsService.ts';
import { GuildConfigStore } from './store/guildConfigStore.ts';
import { MemberStore } from './store/memberStore.ts';
import { MetaStore } from './store/metaStore.ts';
import { openKeyv } from './store/openKeyv.ts';
import { PromptLogStore } from './store/promptLogStore.ts';
import { RoundStore } from './store/roundStore.ts';

export interface BridgesOptions {
  readonly config: BridgesConfig;
  /** Tests pass a clock they move by hand; the bot runs on the system clock. */
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** How often the scheduler looks for due work. */
  readonly tickMs?: number;
}

export interface Bridges {
  readonly client: Client<true>;
  readonly scheduler: Scheduler;
  readonly context: BridgesContext;
  stop(): Promise<void>;
}

export const DEFAULT_TICK_MS = 20_000;

/** The composition root: opens the store, connects to Discord, registers commands, starts the schedule. */
export async function startBridges(options: BridgesOptions): Promise<Bridges> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const catalog: ThemeCatalog = await loadThemeCatalog();
  const keyv: Keyv = await openKeyv(config.databaseUrl, (error) => logger.error('Store error', { error }));

  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_MENTIONS,
    rest: { api: config.discordApiUrl },
  });
  try {
    const configs = new GuildConfigStore(keyv);
    const locks = new KeyedLock();
    const settings = new SettingsService({ configs, catalog, clock, locks });
    const prompts = new PromptService({
      configs,
      promptLogs: new PromptLogStore(keyv),
      catalog,
      channel: new DiscordPromptChannel(client),
      clock,
      locks,
      logger,
    });
    const members = new MemberStore(keyv);
    const roundStore = new RoundStore(keyv);
    const roundLocks = new KeyedLock();
    const exchange = new ExchangeService({ configs, members, rounds: roundStore, clock, locks, roundLocks, logger });
    const rounds = new RoundService({
      configs,
      members,
      rounds: roundStore,
      catalog,
      discord: new DiscordPairingChannel(client),
      clock,
      locks,
      roundLocks,
      logger,
    });

    client.on(Events.Error, (error) => logger.error('Discord client error', { error }));
    client.on(Events.ShardDisconnect, (event) => logger.warn('Gateway disconnected', { code: event.code }));
    client.on(Events.ShardResume, () => logger.info('Gateway resumed'));

    const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
    await client.login(config.discordToken);
    const readyClient = await ready;

    const context: BridgesContext = { client: readyClient, catalog, clock, logger, prompts, settings, exchange, rounds };
    const route = createInteractionRouter(commands, componentHandlers, context);
    client.on(Events.InteractionCreate, (interaction: Interaction) => void route(interaction));
    client.on(Events.GuildCreate, (guild) => {
      welcomeGuild(guild, settings, logger).catch((error: unknown) => logger.warn('Hello failed', { guildId: guild.id, error }));
    });
    client.on(Events.ChannelDelete, (channel) => {
      if (channel.isDMBased()) return;
      Promise.all([prompts.channelDeleted(channel.guildId, channel.id), rounds.channelDeleted(channel.guildId, channel.id)]).catch(
        (error: unknown) => logger.error('Handling a deleted channel failed', { channelId: channel.id, error }),
      );
    });

    await registerCommandsIfChanged(
      client.rest,
      new MetaStore(keyv),
      { applicationId: readyClient.application.id, guildId: config.discordGuildId },
      commands.map((command) => command.data),
      clock.now(),
      logger,
    );

    const scheduler = new Scheduler(
      clock,
      options.tickMs ?? DEFAULT_TICK_MS,
      [
        { name: 'daily prompts', run: () => prompts.postDuePrompts([...client.guilds.cache.keys()]) },
        { name: 'pairing rounds', run: () => rounds.runDue([...client.guilds.cache.keys()]) },
      ],
      logger,
    );
    scheduler.start();
    logger.info('Bridges is running', { user: readyClient.user.tag, guilds: client.guilds.cache.size });

    return {
      client: readyClient,
      scheduler,
      context,
      async stop() {
        await scheduler.stop();
        await client.destroy();
        await keyv.disconnect();
      },
    };
  } catch (error) {
    await client.destroy();
    await keyv.disconnect();
    throw error;
  }
}
