import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBotProcess, type BotProcess } from '../support/botProcesses.ts';
import { DiscordEmulator, type StoredThread } from '../support/emulator.ts';
import { FakeClock } from '../support/fakeClock.ts';
import { freshStoreUrl } from '../support/freshStore.ts';

/**
 * Several Bridges processes on one store, as an operator who outgrows one machine runs them (or
 * starts two by mistake). Each is a real process running the composition root; the test moves
 * their clocks together with the emulator's.
 */
const MONDAY = '2026-01-12T08:00:00Z';
const backends = [
  {
    name: 'SQLite (one file, two processes)',
    url: () => Promise.resolve(`sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-processes-')), 'state.sqlite')}`),
    server: 'sqlite',
  },
  {
    name: 'Redis',
    url: () => freshStoreUrl(process.env.BRIDGES_TEST_REDIS_URL ?? '', 'processes', 2),
    server: process.env.BRIDGES_TEST_REDIS_URL,
  },
  {
    name: 'PostgreSQL',
    url: () => freshStoreUrl(process.env.BRIDGES_TEST_POSTGRES_URL ?? '', 'processes', 2),
    server: process.env.BRIDGES_TEST_POSTGRES_URL,
  },
];

let running: BotProcess[] = [];
let emulator: DiscordEmulator | undefined;
afterEach(async () => {
  await Promise.all(running.map((bot) => bot.kill()));
  running = [];
  await emulator?.stop();
  emulator = undefined;
});

async function setUp(heartbeatIntervalMs = 5_000) {
  const clock = new FakeClock(MONDAY);
  emulator = await DiscordEmulator.start({ heartbeatIntervalMs, now: () => clock.now().getTime() });
  const ids = emulator.seedCommunity();
  const emu = emulator;
  const command = (
    userId: string,
    name: string,
    subcommand: string,
    options: Record<string, string | number | boolean> = {},
    force = false,
  ) => emu.runCommand({ channelId: ids.channels.general, userId, name, subcommand, options, timeoutMs: 15_000, force });
  const join = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const userId = emu.createUser({ username: `member${i}` });
      emu.addMember(ids.guildId, userId);
      await command(userId, 'exchange', 'profile', { languages: 'English' });
      await command(userId, 'exchange', 'join');
    }
  };
  const pairingThreads = (): StoredThread[] => emu.threads(ids.channels.general).filter((thread) => thread.type === 12);
  const promptPosts = () =>
    emu.messages(ids.channels.dailyPrompts).filter((message) => message.authorId === emu.botUserId && message.interactionId === undefined);
  return { clock, emulator: emu, ids, command, join, pairingThreads, promptPosts };
}

async function start(env: Record<string, string>, clock: string): Promise<BotProcess> {
  const bot = await startBotProcess(env, clock);
  running.push(bot);
  return bot;
}

/** Moves the emulator's clock and every process's clock, all at once, and waits until each is idle. */
async function tickAll(clock: FakeClock, bots: readonly BotProcess[], at: string): Promise<void> {
  clock.set(at);
  await Promise.all(bots.map((bot) => bot.tickAt(at)));
}

for (const backend of backends) {
  describe.runIf(backend.server !== undefined)(`two processes on ${backend.name}`, () => {
    it('never post a prompt twice or open two threads for a group, across several due minutes and a round', async () => {
      const world = await setUp();
      const env = { DISCORD_TOKEN: world.emulator.token, DISCORD_API_URL: world.emulator.apiBaseUrl, DATABASE_URL: await backend.url() };
      const bots = [await start(env, MONDAY), await start(env, MONDAY)];
      const moderator = world.ids.users.moderator;
      await world.command(moderator, 'setup', 'prompts', { channel: world.ids.channels.dailyPrompts, time: '09:00', timezone: 'UTC' });
      await world.command(moderator, 'setup', 'pairing', {
        channel: world.ids.channels.general,
        frequency: 'weekly',
        weekday: 'monday',
        time: '18:00',
        timezone: 'UTC',
      });
      await world.join(8);
      for (const at of [
        '2026-01-12T09:00:00Z',
        '2026-01-12T09:00:20Z',
        '2026-01-12T18:00:00Z',
        '2026-01-13T09:00:00Z',
        '2026-01-14T09:00:00Z',
      ]) {
        await tickAll(world.clock, bots, at);
      }
      expect(world.promptPosts().map((post) => post.timestamp.slice(0, 10))).toEqual(['2026-01-12', '2026-01-13', '2026-01-14']);
      const threads = world.pairingThreads();
      expect(threads).toHaveLength(4);
      expect(new Set(threads.map((thread) => thread.name)).size).toBe(4);
      for (const thread of threads)
        expect(world.emulator.messages(thread.id).filter((message) => message.authorId === world.emulator.botUserId)).toHaveLength(1);
      expect(threads.flatMap((thread) => thread.memberIds.filter((id) => id !== world.emulator.botUserId)).length).toBe(8);
    }, 90_000);

    it('finish the work of a process killed while it held the lease: no thread opened twice', async () => {
      const world = await setUp();
      const env = {
        DISCORD_TOKEN: world.emulator.token,
        DISCORD_API_URL: world.emulator.apiBaseUrl,
        DATABASE_URL: await backend.url(),
        LEASE_SECONDS: '5',
      };
      const first = await start(env, MONDAY);
      await world.command(world.ids.users.moderator, 'setup', 'pairing', {
        channel: world.ids.channels.general,
        frequency: 'weekly',
        weekday: 'monday',
        time: '18:00',
        timezone: 'UTC',
      });
      await world.join(20);
      // The first process dies in the middle of delivering the round, holding its leases.
      let killed: Promise<void> | undefined;
      world.emulator.stopAfter({ route: 'POST /channels/:channel_id/threads', count: 3, then: () => void (killed = first.kill()) });
      world.clock.set('2026-01-12T18:00:00Z');
      first.child.send({ type: 'clock', at: '2026-01-12T18:00:00Z' });
      await world.emulator.waitFor(() => killed !== undefined, { timeoutMs: 15_000 });
      await killed;
      expect(world.pairingThreads().length).toBeLessThan(10);

      const second = await start(env, '2026-01-12T18:00:01Z');
      // Until the leases expire (5 s on the processes' clock), the second waits; then it finishes.
      await tickAll(world.clock, [second], '2026-01-12T18:00:02Z');
      await tickAll(world.clock, [second], '2026-01-12T18:00:20Z');
      const threads = world.pairingThreads();
      expect(threads).toHaveLength(10);
      expect(new Set(threads.map((thread) => thread.name)).size).toBe(10);
      const members = threads.flatMap((thread) => thread.memberIds.filter((id) => id !== world.emulator.botUserId));
      expect(members).toHaveLength(20);
      expect(new Set(members).size).toBe(20);
      for (const thread of threads)
        expect(world.emulator.messages(thread.id).filter((message) => message.authorId === world.emulator.botUserId)).toHaveLength(1);
    }, 90_000);
  });
}

describe('a process with METRICS_PORT', () => {
  it('answers /healthz while connected and gives Prometheus metrics of what it did', async () => {
    // Frequent heartbeats, so the gateway latency is known within the test.
    const world = await setUp(200);
    const port = await freePort();
    const env = {
      DISCORD_TOKEN: world.emulator.token,
      DISCORD_API_URL: world.emulator.apiBaseUrl,
      DATABASE_URL: `sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-metrics-')), 'state.sqlite')}`,
      METRICS_PORT: String(port),
    };
    const bot = await start(env, MONDAY);
    await world.command(world.ids.users.moderator, 'setup', 'prompts', {
      channel: world.ids.channels.dailyPrompts,
      time: '09:00',
      timezone: 'UTC',
    });
    await world.command(world.ids.users.member, 'setup', 'show', {}, true);
    await tickAll(world.clock, [bot], '2026-01-12T09:00:00Z');
    await new Promise((resolve) => setTimeout(resolve, 600));

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('bridges_interactions_total{command="/setup prompts",outcome="ok"} 1');
    expect(metrics).toContain('bridges_interactions_total{command="/setup show",outcome="refused"} 1');
    expect(metrics).toContain('bridges_prompts_total{outcome="posted"} 1');
    expect(metrics).toMatch(/bridges_interaction_first_response_seconds_count \d+/);
    expect(metrics).toMatch(/bridges_gateway_latency_seconds\{shard="0"\} [\d.e-]+/);
    expect(metrics).toContain('bridges_guilds{shard="0"} 1');
    expect(metrics).toMatch(/bridges_store_operation_seconds_count\{operation="get"\} \d+/);
    expect(metrics).toMatch(/bridges_scheduler_lag_seconds_count \d+/);

    // Without its gateway connection, the process is not healthy.
    world.emulator.invalidateSessions();
    world.emulator.dropGatewayConnections({ code: 4009 });
    await world.emulator.waitFor(() => world.emulator.gatewayConnections === 0, { timeoutMs: 5_000 }).catch(() => undefined);
    const states: number[] = [];
    for (let i = 0; i < 20 && !states.includes(503); i++) {
      states.push((await fetch(`http://127.0.0.1:${port}/healthz`)).status);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(states).toContain(503);
    expect(await bot.stop()).toBe(0);
  }, 60_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
