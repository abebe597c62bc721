/**
 * Bridges as several processes (`npm run bench`; figures printed, nothing asserted).
 *
 * 1. 10,000 servers over 4 shards, one process per shard: time to ready, resident memory per
 *    process, and CPU while idle over a minute.
 * 2. 1,000 servers due at one minute, served by one process and by two processes sharing Redis and
 *    PostgreSQL (the servers `.ci/services` starts; set BRIDGES_TEST_REDIS_URL and
 *    BRIDGES_TEST_POSTGRES_URL): time from the due minute to the last post, and duplicates.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBotProcess, type BotProcess } from '../test/support/botProcesses.ts';
import { DiscordEmulator } from '../test/support/emulator.ts';
import { FakeClock } from '../test/support/fakeClock.ts';
import { freshStoreUrl } from '../test/support/freshStore.ts';

const sqliteUrl = () => `sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-bench-')), 'state.sqlite')}`;
const TICKS_PER_SECOND = 100; // Linux's USER_HZ, the unit of /proc/<pid>/stat's times

function residentMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

function cpuSeconds(pid: number): number {
  // Fields after the command name: utime is the 14th and stime the 15th field of the line.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / TICKS_PER_SECOND;
}

async function shardedIdle(): Promise<void> {
  const SERVERS = 10_000;
  const SHARDS = 4;
  const clock = new FakeClock('2026-03-02T08:00:00Z');
  const emulator = await DiscordEmulator.start({ now: () => clock.now().getTime() });
  const owner = emulator.createUser({ username: 'owner' });
  emulator.createGuilds({ count: SERVERS, ownerId: owner });
  const env = {
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiBaseUrl,
    DATABASE_URL: sqliteUrl(),
    SHARD_COUNT: String(SHARDS),
  };
  const started = performance.now();
  const bots = await Promise.all(
    Array.from({ length: SHARDS }, async (_, shard) => {
      const bot = await startBotProcess({ ...env, SHARD_IDS: String(shard) }, '2026-03-02T08:00:00Z');
      return { bot, readyMs: performance.now() - started };
    }),
  );
  const ready = await Promise.all(bots.map(({ bot }) => Promise.resolve(bot)));
  const pids = ready.map((bot) => bot.child.pid ?? 0);
  const cpuBefore = pids.map(cpuSeconds);
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  const cpu = pids.map((pid, index) => ((cpuSeconds(pid) - (cpuBefore[index] ?? 0)) / 60) * 100);
  console.log(
    `\n${SERVERS.toLocaleString('en-US')} servers over ${SHARDS} shards, one process per shard (first start: every server is new to the store)`,
  );
  for (const [index, { bot, readyMs }] of bots.entries()) {
    console.log(
      `  shard ${index}: ${bot.guilds.length} servers, ready after ${(readyMs / 1000).toFixed(1)} s, resident ${residentMb(bot.child.pid ?? 0).toFixed(0)} MB, idle CPU ${cpu[index]?.toFixed(2)}% over a minute`,
    );
  }
  await Promise.all(ready.map((bot) => bot.stop()));
  await emulator.stop();
}

async function dueAtOnce(label: string, databaseUrl: string, processes: number): Promise<void> {
  const SERVERS = 1_000;
  const clock = new FakeClock('2026-03-02T08:00:00Z');
  const emulator = await DiscordEmulator.start({ now: () => clock.now().getTime() });
  const owner = emulator.createUser({ username: 'owner' });
  const guilds = emulator.createGuilds({ count: SERVERS, ownerId: owner });
  const env = { DISCORD_TOKEN: emulator.token, DISCORD_API_URL: emulator.apiBaseUrl, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' };
  const bots: BotProcess[] = [];
  for (let i = 0; i < processes; i++) bots.push(await startBotProcess(env, '2026-03-02T08:00:00Z'));
  for (const { guildId, channelId } of guilds) {
    await emulator.runCommand({
      guildId,
      channelId,
      userId: owner,
      name: 'setup',
      subcommand: 'prompts',
      options: { channel: channelId, time: '09:00', timezone: 'UTC' },
      timeoutMs: 30_000,
    });
  }
  let lastPost = 0;
  emulator.events.on('message', ({ kind, message }) => {
    if (kind === 'create' && message.authorId === emulator.botUserId && message.interactionId === undefined) lastPost = performance.now();
  });
  const limitedBefore = emulator.rateLimitStats.global;
  const started = performance.now();
  clock.set('2026-03-02T09:00:00Z');
  await Promise.all(bots.map((bot) => bot.tickAt('2026-03-02T09:00:00Z')));
  // Work another process left (a lane it held) is picked up at the next wake-up.
  clock.set('2026-03-02T09:00:20Z');
  await Promise.all(bots.map((bot) => bot.tickAt('2026-03-02T09:00:20Z')));
  const posts = guilds.map(({ channelId }) => emulator.messages(channelId).filter((message) => message.interactionId === undefined).length);
  console.log(
    `  ${label.padEnd(28)} last post after ${((lastPost - started) / 1000).toFixed(1)} s; ${posts.filter((count) => count === 1).length} servers with one post, ${posts.filter((count) => count > 1).length} duplicates, ${posts.filter((count) => count === 0).length} missing; global 429s ${emulator.rateLimitStats.global - limitedBefore}`,
  );
  await Promise.all(bots.map((bot) => bot.stop()));
  await emulator.stop();
}

await shardedIdle();
console.log('\n1,000 servers due at one minute (emulator: 50 requests/s per bot token, shared by its processes)');
await dueAtOnce('one process, SQLite', sqliteUrl(), 1);
for (const [name, url] of [
  ['Redis', process.env.BRIDGES_TEST_REDIS_URL],
  ['PostgreSQL', process.env.BRIDGES_TEST_POSTGRES_URL],
] as const) {
  if (url === undefined) {
    console.log(`  ${name}: not measured (set BRIDGES_TEST_${name === 'Redis' ? 'REDIS' : 'POSTGRES'}_URL; eval "$(bash .ci/services)")`);
    continue;
  }
  await dueAtOnce(`one process, ${name}`, await freshStoreUrl(url, 'bench_one', 5), 1);
  await dueAtOnce(`two processes, ${name}`, await freshStoreUrl(url, 'bench_two', 6), 2);
}
