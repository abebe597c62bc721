import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Client, Events, GatewayIntentBits, Options, RESTEvents, Status, type Interaction, type RateLimitData } from 'discord.js';
import { commands, componentHandlers } from '../commands/index.ts';
import type { BridgesConfig } from './config.ts';
import { servesGuild, shardOf, type ShardSet } from './core/shards.ts';
import type { ThemeCatalog } from './core/themes.ts';
import { DiscordPairingChannel } from './discord/discordPairingChannel.ts';
import { DiscordPromptChannel } from './discord/discordPromptChannel.ts';
import { DiscordWeeksChannel } from './discord/discordWeeksChannel.ts';
import { PromptWeeks } from './services/promptWeeks.ts';
import { DiscordTakeawayChannel } from './discord/discordTakeawayChannel.ts';
import { createInteractionRouter } from './discord/interactionRouter.ts';
import { NO_MENTIONS } from './discord/mentions.ts';
import { registerCommandsIfChanged } from './discord/registerCommands.ts';
import type { BridgesContext } from './discord/slashCommand.ts';
import { welcomeGuild } from './discord/welcome.ts';
import { loadThemeCatalog } from './loadThemeCatalog.ts';
import { createLogger, type Logger } from './logger.ts';
import { BridgesMetrics, serveMetrics } from './metrics.ts';
import { systemClock, type Clock } from './services/clock.ts';
import { ExchangeService } from './services/exchangeService.ts';
import { LifecycleService } from './services/lifecycleService.ts';
import type { Matcher } from './services/matcher.ts';
import { PromptService } from './services/promptService.ts';
import { InsightsService } from './services/insightsService.ts';
import { DiscordThreadActivity } from './discord/discordThreadActivity.ts';
import { RoundService } from './services/roundService.ts';
import { ServerPromptService } from './services/serverPromptService.ts';
import { Scheduler, type GuildPresence } from './services/scheduler.ts';
import { SettingsService } from './services/settingsService.ts';
import { TakeawayService } from './services/takeawayService.ts';
import { DueIndex, KnownGuilds, type Lane } from './store/dueIndex.ts';
import { GuildConfigStore } from './store/guildConfigStore.ts';
import { LeasedLocks } from './store/leasedLocks.ts';
import { MemberStore } from './store/memberStore.ts';
import { migrateStore } from './store/migrateStore.ts';
import { openStore } from './store/openStore.ts';
import { PromptLogStore } from './store/promptLogStore.ts';
import { RoundStore } from './store/roundStore.ts';
import { TakeawayStore } from './store/takeawayStore.ts';
import { ServerPromptStore } from './store/serverPromptStore.ts';
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
  readonly logger: Logger;
  /** The shards this process serves. */
  readonly shards: ShardSet;
  /** Stops taking new work, lets running work end or releases it, and disconnects. */
  stop(): Promise<void>;
}

export const DEFAULT_TICK_MS = 20_000;
/** Servers whose scheduled work runs at once; Discord's global rate limit is shared between them anyway. */
export const SCHEDULER_CONCURRENCY = 16;
/** A rate limit longer than this is not waited out inside a request: the work is rescheduled instead. */
const LONGEST_RATE_LIMIT_WAIT_MS = 10_000;
/** How long a task waits for a lease another process holds (a slice of delivery lasts at most 5 s). */
const LEASE_WAIT_MS = 60_000;

/** The composition root: opens the store, connects to Discord, registers commands, starts the schedule. */
export async function startBridges(options: BridgesOptions): Promise<Bridges> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  let shards: ShardSet = { count: 1, ids: [0] };
  const logger =
    options.logger ?? createLogger(config.logLevel, { format: config.logFormat, shardOf: (guildId) => safeShardOf(guildId, shards.count) });
  const catalog: ThemeCatalog = await loadThemeCatalog();
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_MENTIONS,
    ...shardingOptions(config),
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
  const metrics = new BridgesMetrics({
    latency: () => new Map([...client.ws.shards.values()].map((shard) => [shard.id, shard.ping])),
    guilds: () => {
      const counts = new Map(shards.ids.map((id) => [id, 0]));
      for (const guild of client.guilds.cache.values()) counts.set(guild.shardId, (counts.get(guild.shardId) ?? 0) + 1);
      return counts;
    },
  });
  const store = await openStore(
    config.databaseUrl,
    (error) => logger.error('Store error', { error }),
    (operation, seconds) => metrics.storeOperation(operation, seconds),
  );
  let metricsServer: Server | undefined;
  const leases = (prefix: string) =>
    new LeasedLocks(store.backend, () => clock.now().getTime(), { prefix, ttlMs: config.leaseSeconds * 1000, waitMs: LEASE_WAIT_MS });
  const locks = leases('guild');
  const roundLocks = leases('round');
  const laneLocks = leases('lane');
  const onceLocks = leases('once');
  try {
    // One process migrates while the others wait for it; each finds the store already migrated after.
    await onceLocks.run('migrate', () => migrateStore(store, clock.now(), logger));
    client.on(Events.Error, (error) => logger.error('Discord client error', { error }));
    client.on(Events.ShardDisconnect, (event, shard) => logger.warn('Gateway disconnected', { shard, code: event.code }));
    client.on(Events.ShardResume, (shard) => logger.info('Gateway resumed', { shard }));

    const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
    await client.login(config.discordToken);
    const readyClient = await ready;
    shards = { count: readyClient.options.shardCount ?? 1, ids: [...readyClient.ws.shards.keys()] };
    const { keyv, backend } = store;

    const configs = new GuildConfigStore(keyv);
    const promptLogs = new PromptLogStore(keyv);
    const members = new MemberStore(keyv, backend);
    const roundStore = new RoundStore(keyv);
    const serverPrompts = new ServerPromptStore(keyv);
    const index = new DueIndex(backend, readyClient.application.id, shards);
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
      onAbsent: (guildId): Promise<void> => lifecycle.guildRemoved(guildId),
      exclusive: (key, task) => laneLocks.tryRun(key, task),
      telemetry: metrics,
      logger,
    });
    const refresh = (lane: Lane, guildId: string): Promise<void> => scheduler.refresh(lane, guildId);

    const settings = new SettingsService({ configs, catalog, clock, locks, onScheduleChange: refresh });
    const packs = new ServerPromptService({ store: serverPrompts, catalog, clock, locks });
    const prompts = new PromptService({
      configs,
      promptLogs,
      catalog,
      channel: new DiscordPromptChannel(client, catalog),
      clock,
      locks,
      logger,
      telemetry: metrics,
      weeks: new PromptWeeks({ configs, catalog, channel: new DiscordWeeksChannel(client, catalog), logger }),
      serverPrompts: packs,
    });
    const pairingChannel = new DiscordPairingChannel(client);
    const takeaways = new TakeawayService({
      rounds: roundStore,
      takeaways: new TakeawayStore(keyv),
      discord: new DiscordTakeawayChannel(client),
      clock,
      locks,
      logger,
    });
    const exchange = new ExchangeService({
      configs,
      members,
      rounds: roundStore,
      clock,
      locks,
      roundLocks,
      discord: pairingChannel,
      catalog,
      serverPrompts: packs,
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
      avoidedPairs: (guildId) => takeaways.avoidedPairs(guildId),
      onRoundDropped: (guildId, round) => takeaways.roundDropped(guildId, round),
      serverPrompts: packs,
      onScheduleChange: (guildId): Promise<void> => refresh('pairing', guildId),
      logger,
      telemetry: metrics,
    });
    const lifecycle: LifecycleService = new LifecycleService({
      configs,
      promptLogs,
      members,
      rounds: roundStore,
      serverPrompts,
      index,
      knownGuilds: new KnownGuilds(backend, readyClient.application.id),
      clock,
      retentionDays: config.dataRetentionDays,
      locks,
      roundLocks,
      refresh,
      logger,
      deleteRoundData: (guildId, kept) => takeaways.deleteServerData(guildId, kept),
    });

    const insights = new InsightsService({ members, rounds: roundStore, promptLogs, threads: new DiscordThreadActivity(client), logger });
    const context: BridgesContext = {
      client: readyClient,
      catalog,
      clock,
      logger,
      prompts,
      settings,
      exchange,
      rounds,
      lifecycle,
      insights,
      takeaways,
      packs,
    };
    const route = createInteractionRouter(commands, componentHandlers, context, (name, outcome) => metrics.interaction(name, outcome));
    const received = new Map<string, number>();
    client.rest.on(RESTEvents.Response, (request) => {
      const id = /^\/interactions\/(\d+)\//.exec(request.route)?.[1] ?? /\/interactions\/(\d+)\//.exec(request.path)?.[1];
      const at = id === undefined ? undefined : received.get(id);
      if (id === undefined || at === undefined) return;
      received.delete(id);
      metrics.firstResponseSeconds((performance.now() - at) / 1000);
    });
    let accepting = true;
    client.on(Events.InteractionCreate, (interaction: Interaction) => {
      if (!accepting) return;
      received.set(interaction.id, performance.now());
      // An interaction never answered (Discord gave up on it) must not stay in the map.
      setTimeout(() => received.delete(interaction.id), 15_000).unref();
      void route(interaction);
    });
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
        (error: unknown) => logger.error('Handling a deleted channel failed', { guildId: channel.guildId, channelId: channel.id, error }),
      );
    });

    // One process registers the commands: the one serving shard 0 (under a lease, in case two do).
    if (shards.ids.includes(0)) {
      await onceLocks.tryRun('register-commands', () =>
        registerCommandsIfChanged(
          readyClient,
          { applicationId: readyClient.application.id, guildId: config.discordGuildId },
          commands.map((command) => command.data),
          logger,
        ),
      );
    }
    const relaid = await index.adoptLayout();
    await lifecycle.reconcile([...readyClient.guilds.cache.keys()], (guildId) => servesGuild(shards, guildId), relaid);

    if (config.metricsPort !== undefined) {
      metricsServer = await serveMetrics(config.metricsPort, metrics, async () => {
        const down = [...readyClient.ws.shards.values()].filter((shard) => shard.status !== Status.Ready).map((shard) => shard.id);
        if (down.length > 0) return `gateway not connected (shard ${down.join(', ')})`;
        await Promise.race([
          backend.dueAt('health', 'check'),
          new Promise((_resolve, reject) => setTimeout(() => reject(new Error('the store did not answer within 2 s')), 2_000).unref()),
        ]);
        return undefined;
      });
    }
    scheduler.start();
    logger.info('Bridges is running', {
      user: readyClient.user.tag,
      guilds: client.guilds.cache.size,
      shards: shards.ids,
      shardCount: shards.count,
    });

    return {
      client: readyClient,
      scheduler,
      context,
      logger,
      shards,
      async stop() {
        accepting = false;
        await scheduler.stop();
        await Promise.all([locks.releaseAll(), roundLocks.releaseAll(), laneLocks.releaseAll(), onceLocks.releaseAll()]);
        await new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
        await client.destroy();
        await store.close();
      },
    };
  } catch (error) {
    metricsServer?.close();
    await client.destroy();
    await store.close();
    throw error;
  }
}

/**
 * Under discord.js's ShardingManager (npm run start:sharded) the manager's environment says which
 * shards this process runs; otherwise SHARD_COUNT and SHARD_IDS do, and with neither, discord.js
 * asks Discord for its recommended count and runs every shard ('auto').
 */
function shardingOptions(config: BridgesConfig): { shards?: number[] | 'auto'; shardCount?: number } {
  if (process.env.SHARDING_MANAGER !== undefined) return {};
  if (config.shardCount === undefined) return { shards: 'auto' };
  return { shardCount: config.shardCount, shards: [...(config.shardIds ?? Array.from({ length: config.shardCount }, (_, id) => id))] };
}

function safeShardOf(guildId: string, count: number): number | undefined {
  return /^\d+$/.test(guildId) ? shardOf(guildId, count) : undefined;
}
