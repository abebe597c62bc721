import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startBotProcess, type BotProcess } from '../support/botProcesses.ts';
import { DiscordEmulator, shardOf } from '../support/emulator.ts';
import { FakeClock } from '../support/fakeClock.ts';

const MONDAY = '2026-01-12T08:00:00Z';
let running: BotProcess[] = [];
let manager: ChildProcess | undefined;
let emulator: DiscordEmulator | undefined;

afterEach(async () => {
  await Promise.all(running.map((bot) => bot.kill()));
  running = [];
  if (manager && manager.exitCode === null) {
    manager.kill('SIGKILL');
    await new Promise((resolve) => manager?.once('exit', resolve));
  }
  manager = undefined;
  await emulator?.stop();
  emulator = undefined;
});

describe('two shards in two processes', () => {
  it("split the servers: each process serves only its shard's servers and each server's prompt posts once", async () => {
    const clock = new FakeClock(MONDAY);
    emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 5_000, now: () => clock.now().getTime() });
    const emu = emulator;
    const owner = emu.createUser({ username: 'owner' });
    const guilds = emu.createGuilds({ count: 6, ownerId: owner });
    const env = {
      DISCORD_TOKEN: emu.token,
      DISCORD_API_URL: emu.apiBaseUrl,
      DATABASE_URL: `sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-shards-')), 'state.sqlite')}`,
      SHARD_COUNT: '2',
    };
    const bots = [await startBotProcess({ ...env, SHARD_IDS: '0' }, MONDAY), await startBotProcess({ ...env, SHARD_IDS: '1' }, MONDAY)];
    running = bots;
    for (const [index, bot] of bots.entries()) {
      expect(bot.shards).toEqual({ count: 2, ids: [index] });
      expect([...bot.guilds].sort()).toEqual(
        guilds
          .filter(({ guildId }) => shardOf(guildId, 2) === index)
          .map(({ guildId }) => guildId)
          .sort(),
      );
    }
    expect(new Set(guilds.map(({ guildId }) => shardOf(guildId, 2))).size).toBe(2);
    // Compared with what Discord has and registered once, by the process that runs shard 0.
    const commandRequests = (method: string) =>
      emu.requests.filter((request) => request.method === method && request.route === '/applications/:application_id/commands');
    expect(commandRequests('GET')).toHaveLength(1);
    expect(commandRequests('PUT')).toHaveLength(1);

    for (const { guildId, channelId } of guilds) {
      const reply = await emu.runCommand({
        guildId,
        channelId,
        userId: owner,
        name: 'setup',
        subcommand: 'prompts',
        options: { channel: channelId, time: '09:00', timezone: 'UTC' },
      });
      expect(reply.content).toContain('Daily prompts are on');
    }
    clock.set('2026-01-12T09:00:00Z');
    await Promise.all(bots.map((bot) => bot.tickAt('2026-01-12T09:00:00Z')));
    clock.set('2026-01-12T09:00:20Z');
    await Promise.all(bots.map((bot) => bot.tickAt('2026-01-12T09:00:20Z')));
    for (const { channelId } of guilds) {
      expect(
        emu.messages(channelId).filter((message) => message.authorId === emu.botUserId && message.interactionId === undefined),
      ).toHaveLength(1);
    }
  }, 60_000);
});

describe('npm run start:sharded', () => {
  it("runs one process per shard through discord.js's ShardingManager, and starts dead ones again", async () => {
    emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 5_000 });
    const emu = emulator;
    const owner = emu.createUser({ username: 'owner' });
    emu.createGuilds({ count: 4, ownerId: owner });
    const root = fileURLToPath(new URL('../..', import.meta.url));
    manager = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/shardManager.ts')], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        DISCORD_TOKEN: emu.token,
        DISCORD_API_URL: emu.apiBaseUrl,
        DATABASE_URL: `sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-sharded-')), 'state.sqlite')}`,
        SHARD_COUNT: '2',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const shardsConnected = () =>
      emu.gatewaySessions
        .filter((session) => session.connected)
        .map((session) => session.shard?.[0])
        .sort();
    await emu.waitFor(() => shardsConnected().length === 2, { timeoutMs: 30_000 });
    // Each process runs the one shard the manager gave it, and nothing more.
    await emu.waitFor(() => emu.registeredCommands().length > 0, { timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(emu.identifyPayloads.map((payload) => JSON.stringify(payload.shard)).sort()).toEqual(['[0,2]', '[1,2]']);
    expect(shardsConnected()).toEqual([0, 1]);
    const identified = emu.identifyPayloads.length;

    // The shard processes die: the manager starts each again, and it identifies afresh.
    const pids = await shardPids(manager.pid ?? 0);
    expect(pids).toHaveLength(2);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await emu.waitFor(() => emu.identifyPayloads.length >= identified + 2, { timeoutMs: 30_000 });
    await emu.waitFor(() => shardsConnected().length === 2, { timeoutMs: 30_000 });

    manager.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => manager?.once('exit', resolve));
    expect(code).toBe(0);
  }, 90_000);
});

/** The manager's shard processes (its children running src/main.ts), from /proc. */
async function shardPids(parent: number): Promise<number[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '');
    const command = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (new RegExp(`^PPid:\\s+${parent}$`, 'm').test(status) && command.includes('src/main.ts')) pids.push(Number(entry));
  }
  return pids;
}
