/**
 * The bot against the local Discord emulator at scale (`npm run bench`; figures printed, nothing
 * asserted). The emulator enforces Discord's global limit of 50 requests per second, so the floor
 * of each delivery is the number of requests it needs divided by 50.
 *
 * 1. 1,000 servers due at the same minute: time from the due minute to the last post, duplicates.
 * 2. One server's round of 1,000 groups: delivery time against its floor.
 * 3. 200 interactions at once while a 5,000-member round is matched and delivered: time to the
 *    first response (Discord allows 3 s).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startBridges, type Bridges } from '../src/bridges.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { EMPTY_PROFILE, MemberStore } from '../src/store/memberStore.ts';
import { openStore } from '../src/store/openStore.ts';
import { DiscordEmulator } from '../test/support/emulator.ts';
import { FakeClock } from '../test/support/fakeClock.ts';

interface Setup {
  readonly emulator: DiscordEmulator;
  readonly clock: FakeClock;
  readonly databaseUrl: string;
  bot: Bridges;
}

async function setUp(start: string): Promise<Omit<Setup, 'bot'>> {
  const clock = new FakeClock(start);
  const emulator = await DiscordEmulator.start({ now: () => clock.now().getTime(), globalRateLimit: 50 });
  const databaseUrl = `sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-bench-')), 'state.sqlite')}`;
  return { emulator, clock, databaseUrl };
}

async function startBot(setup: Omit<Setup, 'bot'>): Promise<Bridges> {
  const config = loadConfig({
    DISCORD_TOKEN: setup.emulator.token,
    DISCORD_API_URL: setup.emulator.apiBaseUrl,
    DATABASE_URL: setup.databaseUrl,
  });
  return startBridges({ config, clock: setup.clock, logger: createLogger('error', () => undefined) });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/** Seeds opted-in members straight into the bot's store (joining 5,000 by command would take minutes). */
async function seedMembers(databaseUrl: string, guildId: string, userIds: readonly string[]): Promise<void> {
  const store = await openStore(databaseUrl, () => undefined);
  const members = new MemberStore(store.keyv, store.backend);
  const languages = ['en', 'es', 'pt', 'hi', 'ja', 'fr', 'sw', 'ar'];
  for (const [index, userId] of userIds.entries()) {
    await members.set(guildId, userId, {
      optedIn: true,
      optedInAt: '2026-01-01T00:00:00.000Z',
      profileSavedAt: '2026-01-01T00:00:00.000Z',
      profile: {
        ...EMPTY_PROFILE,
        languages: ['en', languages[index % languages.length] ?? 'en'],
        cultures: [`culture ${index % 53}`],
        curiousAbout: [`culture ${(index * 7) % 53}`],
        interests: [`interest ${index % 17}`],
        timeZone: ['Europe/Berlin', 'America/Sao_Paulo', 'Asia/Tokyo', 'Asia/Kolkata', 'UTC'][index % 5] ?? 'UTC',
      },
      missedFollowUps: 0,
      updatedAt: '2026-01-01T00:00:00.000Z',
      meetings: [],
    });
  }
  await store.close();
}

async function sameMinute(): Promise<void> {
  const SERVERS = 1_000;
  const setup = await setUp('2026-03-02T08:00:00Z');
  const owner = setup.emulator.createUser({ username: 'owner' });
  const guilds = setup.emulator.createGuilds({ count: SERVERS, ownerId: owner });
  const bot = await startBot(setup);
  for (const { guildId, channelId } of guilds) {
    await setup.emulator.runCommand({
      guildId,
      channelId,
      userId: owner,
      name: 'setup',
      subcommand: 'prompts',
      options: { channel: channelId, time: '09:00', timezone: 'UTC' },
    });
  }
  await bot.scheduler.whenIdle();
  const requestsBefore = setup.emulator.requests.length;
  const limitedBefore = setup.emulator.rateLimitStats.global;
  let lastPost = 0;
  setup.emulator.events.on('message', ({ kind, message }) => {
    if (kind === 'create' && message.authorId === setup.emulator.botUserId && message.interactionId === undefined)
      lastPost = performance.now();
  });
  const started = performance.now();
  setup.clock.set('2026-03-02T09:00:00Z');
  await bot.scheduler.whenIdle();
  const requests = setup.emulator.requests.length - requestsBefore;
  const posts = guilds.map(
    ({ channelId }) => setup.emulator.messages(channelId).filter((message) => message.interactionId === undefined).length,
  );
  const threads = guilds.reduce((sum, { channelId }) => sum + setup.emulator.threads(channelId).length, 0);
  const floor = (requests / 50) * 1000;
  console.log(`\n1,000 servers due at the same minute (emulator: 50 requests/s global limit)`);
  console.log(
    `  posts: ${posts.filter((count) => count === 1).length} servers with exactly one, ${posts.filter((count) => count > 1).length} with more, ${posts.filter((count) => count === 0).length} with none; ${threads} answer threads`,
  );
  console.log(`  requests: ${requests}; floor at 50/s ${seconds(floor)}`);
  console.log(
    `  due minute to last post: ${seconds(lastPost - started)} (${((lastPost - started) / floor).toFixed(2)}× the floor); all work done ${seconds(performance.now() - started)}`,
  );
  console.log(`  global 429s answered by the emulator: ${setup.emulator.rateLimitStats.global - limitedBefore}`);
  await bot.stop();
  await setup.emulator.stop();
}

async function bigRound(): Promise<void> {
  const GROUPS = 1_000;
  const setup = await setUp('2026-03-02T08:00:00Z');
  const owner = setup.emulator.createUser({ username: 'owner' });
  const [guild] = setup.emulator.createGuilds({ count: 1, membersPerGuild: GROUPS * 2, ownerId: owner });
  if (!guild) throw new Error('no guild');
  await seedMembers(setup.databaseUrl, guild.guildId, guild.memberIds);
  const bot = await startBot(setup);
  await setup.emulator.runCommand({
    guildId: guild.guildId,
    channelId: guild.channelId,
    userId: owner,
    name: 'setup',
    subcommand: 'pairing',
    options: { channel: guild.channelId, frequency: 'weekly', weekday: 'monday', time: '09:00', timezone: 'UTC' },
  });
  await bot.scheduler.whenIdle();
  const requestsBefore = setup.emulator.requests.length;
  const started = performance.now();
  setup.clock.set('2026-03-02T09:00:00Z');
  await bot.scheduler.whenIdle();
  const elapsed = performance.now() - started;
  const requests = setup.emulator.requests.length - requestsBefore;
  const last = await bot.context.rounds.lastRound(guild.guildId);
  console.log(`\nOne server's round of ${GROUPS.toLocaleString('en-US')} groups (${(GROUPS * 2).toLocaleString('en-US')} members)`);
  console.log(
    `  outcome: ${last?.status}, ${last?.outcome?.delivered ?? 0} delivered, ${last?.outcome?.failed ?? 0} failed, ${last?.outcome?.waiting ?? 0} waiting`,
  );
  console.log(`  requests: ${requests} (${(requests / GROUPS).toFixed(2)} per group); floor at 50/s ${seconds((requests / 50) * 1000)}`);
  console.log(`  delivery: ${seconds(elapsed)} (${(elapsed / ((requests / 50) * 1000)).toFixed(2)}× the floor)`);
  await bot.stop();
  await setup.emulator.stop();
}

/**
 * The bot runs as its own process through its real entry point, as in production: measuring it in
 * the emulator's process would time the emulator's own work too. Connections are warmed by a
 * first burst while the bot is idle (a running bot keeps its connections to Discord open).
 */
async function interactionsDuringRound(): Promise<void> {
  const MEMBERS = 5_000;
  const INTERACTIONS = 200;
  const emulator = await DiscordEmulator.start({ globalRateLimit: 50 });
  const databaseUrl = `sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-bench-')), 'state.sqlite')}`;
  const owner = emulator.createUser({ username: 'owner' });
  const [guild] = emulator.createGuilds({ count: 1, membersPerGuild: MEMBERS + INTERACTIONS, ownerId: owner });
  if (!guild) throw new Error('no guild');
  const pairing = guild.memberIds.slice(0, MEMBERS);
  const askers = guild.memberIds.slice(MEMBERS);
  await seedMembers(databaseUrl, guild.guildId, pairing);
  const bot = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../src/main.ts', import.meta.url))], {
    env: {
      PATH: process.env.PATH ?? '',
      DISCORD_TOKEN: emulator.token,
      DISCORD_API_URL: emulator.apiBaseUrl,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await emulator.waitFor(() => emulator.registeredCommands().length > 0, { timeoutMs: 60_000 });
    const run = (userId: string, subcommand: string, options: Record<string, string> = {}) =>
      emulator.runCommand({
        guildId: guild.guildId,
        channelId: guild.channelId,
        userId,
        name: subcommand === 'start-round' ? 'host' : subcommand === 'pairing' ? 'setup' : 'exchange',
        subcommand,
        options,
        timeoutMs: 60_000,
      });
    await run(owner, 'pairing', { channel: guild.channelId, frequency: 'weekly', weekday: 'monday', time: '09:00', timezone: 'UTC' });

    const firstResponse = new Map<string, number>();
    emulator.events.on('request', (entry) => {
      if (entry.route !== '/interactions/:interaction_id/:interaction_token/callback') return;
      const id = entry.path.split('/')[2] ?? '';
      if (!firstResponse.has(id)) firstResponse.set(id, performance.now());
    });
    const burst = async () => {
      const sentAt = new Map<number, number>();
      const results = await Promise.all(
        askers.map(async (userId, index) => {
          sentAt.set(index, performance.now());
          const result = await run(userId, index % 2 === 0 ? 'me' : 'profile');
          return { index, id: result.interactionId };
        }),
      );
      return results
        .map(({ index, id }) => (firstResponse.get(id) ?? Number.POSITIVE_INFINITY) - (sentAt.get(index) ?? 0))
        .sort((a, b) => a - b);
    };
    const idle = await burst();
    const round = run(owner, 'start-round');
    // Let the round reach its matching (in a worker thread), then 200 members use commands at once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = await burst();
    const threadsAfterBurst = emulator.threads(guild.channelId).length;
    const report = await round;
    const line = (name: string, latencies: readonly number[]) =>
      `  ${name}: p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p99 ${percentile(latencies, 0.99).toFixed(0)} ms, max ${percentile(latencies, 1).toFixed(0)} ms; over 3 s: ${latencies.filter((ms) => ms > 3000).length}`;
    console.log(
      `\n${INTERACTIONS} interactions at once while a ${MEMBERS.toLocaleString('en-US')}-member round is matched and delivered (bot in its own process)`,
    );
    console.log(line('bot idle        ', idle));
    console.log(line('during the round', during));
    console.log(
      `  the round meanwhile: ${threadsAfterBurst} threads opened by the end of the burst; /host start-round said: ${report.content?.replaceAll('\n', ' ') ?? ''}`,
    );
  } finally {
    bot.kill('SIGTERM');
    await new Promise((resolve) => bot.once('exit', resolve));
    await emulator.stop();
  }
}

await sameMinute();
await bigRound();
await interactionsDuringRound();
