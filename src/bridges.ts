import { Client, Events, GatewayIntentBits, Options, type Interaction, type RateLimitData } from 'discord.js';
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
import { LifecycleService } from './services/lifecycleService.ts';
import type { Matcher } from './services/matcher.ts';
import { PromptService } from './services/promptService.ts';
import { RoundService } from './services/roundService.ts';
import { Scheduler, type GuildPresence } from './services/scheduler.ts';
import { SettingsService } from './services/settingsService.ts';
import { DueIndex, KnownGuilds, type Lane } from './store/dueIndex.ts';
import { GuildConfigStore } from './store/guildConfigStore.ts';
import { MemberStore } from './store/memberStore.ts';
import { migrateStore } from './store/migrateStore.ts';
import { openStore } from './store/openStore.ts';
import { PromptLogStore } from './store/promptLogStore.ts';
import { RoundStore } from './store/roundStore.ts';
import { workerMatcher } from './workers/workerMatcher.ts';

export interface BridgesOptions {
  readonly config: BridgesConfig;
  /** Tests pass a clock they move by hand; the bot runs on the system clock. */
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** How often the scheduler looks for due work. */
  readonly tickMs?: number;
  /** Tests may match inline; the bot matches large rounds in a worker thread. */
  readonly matcher?: Matcher;
}

export interface Bridges {
  readonly client: Client<true>;
  readonly scheduler: Scheduler;
  readonly context: BridgesContext;
  stop(): Promise<void>;
}

export const DEFAULT_TICK_MS = 20_000;
/** Servers whose scheduled work runs at once; Discord's global rate limit is shared between them anyway. */
export const SCHEDULER_CONCURRENCY = 16;
/** A rate limit longer than this is not waited out inside a request: the work is rescheduled instead. */
const LONGEST_RATE_LIMIT_WAIT_MS = 10_000;

/** The composition root: opens the store, connects to Discord, registers commands, starts the schedule. */
export async function startBridges(options: BridgesOptions): Promise<Bridges> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const catalog: ThemeCatalog = await loadThemeCatalog();
  const store = await openStore(config.databaseUrl, (error) => logger.error('Store error', { error }));
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_MENTIONS,
    rest: {
      api: config.discordApiUrl,
      rejectOnRateLimit: (limit: RateLimitData) => limit.retryAfter > LONGEST_RATE_LIMIT_WAIT_MS,
    },
    // Bridges asks Discord whether members are present; it never needs to remember them.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
    }),
  });
  try {
    await migrateStore(store, clock.now(), logger);
    client.on(Events.Error, (error) => logger.error('Discord client error', { error }));
    client.on(Events.ShardDisconnect, (event) => logger.warn('Gateway disconnected', { code: event.code }));
    client.on(Events.ShardResume, () => logger.info('Gateway resumed'));

    const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
    await client.login(config.discordToken);
    const readyClient = await ready;
    const { keyv, backend } = store;

    const configs = new GuildConfigStore(keyv);
    const promptLogs = new PromptLogStore(keyv);
    const members = new MemberStore(keyv, backend);
    const roundStore = new RoundStore(keyv);
    const index = new DueIndex(backend, readyClient.application.id);
    const locks = new KeyedLock();
    const roundLocks = new KeyedLock();
    const presence = (guildId: string): GuildPresence => {
      const guild = readyClient.guilds.cache.get(guildId);
      if (!guild) return 'absent';
      return guild.available ? 'here' : 'unavailable';
    };
    // Lanes call services declared below; nothing runs before start().
    const scheduler: Scheduler = new Scheduler({
      clock,
      intervalMs: options.tickMs ?? DEFAULT_TICK_MS,
      index,
      lanes: {
        prompts: { run: (guildId): Promise<Date | undefined> => prompts.runDue(guildId), nextDue: (guildId) => prompts.nextDue(guildId) },
        pairing: { run: (guildId): Promise<Date | undefined> => rounds.runDue(guildId), nextDue: (guildId) => rounds.nextDue(guildId) },
        lifecycle: {
          run: (guildId): Promise<Date | undefined> => lifecycle.runDue(guildId),
          nextDue: (guildId) => lifecycle.nextDue(guildId),
        },
      },
      concurrency: SCHEDULER_CONCURRENCY,
      presence,
      onAbsent: (guildId) => lifecycle.guildRemoved(guildId),
      logger,
    });

    const refresh = (lane: Lane, guildId: string): Promise<void> => scheduler.refresh(lane, guildId);

    const settings = new SettingsService({ configs, catalog, clock, locks, onScheduleChange: refresh });
    const prompts = new PromptService({ configs, promptLogs, catalog, channel: new DiscordPromptChannel(client), clock, locks, logger });
    const pairingChannel = new DiscordPairingChannel(client);
    const exchange = new ExchangeService({
      configs,
      members,
      rounds: roundStore,
      clock,
      locks,
      roundLocks,
      discord: pairingChannel,
      catalog,
      logger,
    });
    const rounds: RoundService = new RoundService({
      configs,
      members,
      rounds: roundStore,
      catalog,
      discord: pairingChannel,
      clock,
      locks,
      roundLocks,
      match: options.matcher ?? workerMatcher(),
      onScheduleChange: (guildId): Promise<void> => refresh('pairing', guildId),
      logger,
    });
    const lifecycle: LifecycleService = new LifecycleService({
      configs,
      promptLogs,
      members,
      rounds: roundStore,
      index,
      knownGuilds: new KnownGuilds(backend, readyClient.application.id),
      clock,
      retentionDays: config.dataRetentionDays,
      locks,
      roundLocks,
      refresh,
      logger,
    });

    const context: BridgesContext = { client: readyClient, catalog, clock, logger, prompts, settings, exchange, rounds, lifecycle };
    const route = createInteractionRouter(commands, componentHandlers, context);
    client.on(Events.InteractionCreate, (interaction: Interaction) => void route(interaction));
    client.on(Events.GuildCreate, (guild) => {
      lifecycle
        .guildAvailable(guild.id)
        .catch((error: unknown) => logger.error('Could not schedule a new server', { guildId: guild.id, error }));
      welcomeGuild(guild, settings, logger).catch((error: unknown) => logger.warn('Hello failed', { guildId: guild.id, error }));
    });
    client.on(Events.GuildDelete, (guild) => {
      lifecycle.guildRemoved(guild.id).catch((error: unknown) => logger.error('Could not record a removal', { guildId: guild.id, error }));
    });
    client.on(Events.ChannelDelete, (channel) => {
      if (channel.isDMBased()) return;
      Promise.all([prompts.channelDeleted(channel.guildId, channel.id), rounds.channelDeleted(channel.guildId, channel.id)]).catch(
        (error: unknown) => logger.error('Handling a deleted channel failed', { channelId: channel.id, error }),
      );
    });

    await registerCommandsIfChanged(
      readyClient,
      { applicationId: readyClient.application.id, guildId: config.discordGuildId },
      commands.map((command) => command.data),
      logger,
    );
    await lifecycle.reconcile([...readyClient.guilds.cache.keys()], () => true);

    scheduler.start();
    logger.info('Bridges is running', { user: readyClient.user.tag, guilds: client.guilds.cache.size });

    return {
      client: readyClient,
      scheduler,
      context,
      async stop() {
        await scheduler.stop();
        await client.destroy();
        await store.close();
      },
    };
  } catch (error) {
    await client.destroy();
    await store.close();
    throw error;
  }
}
