/**
 * How the emulator copes with a bot in many guilds: time to create them, and time from the first
 * IDENTIFY to the last GUILD_CREATE for a real discord.js client with `shards: 'auto'` (one shard per
 * 1000 guilds, all identifying at once: max_concurrency 16). Prints figures; asserts nothing.
 *
 *   npx tsx test/support/emulator/scale.bench.ts [guilds=10000] [membersPerGuild=0]
 */
import { performance } from 'node:perf_hooks';
import { Client, GatewayIntentBits } from 'discord.js';
import { DiscordEmulator } from '../emulator.ts';

const guildCount = Number(process.argv[2] ?? 10_000);
const membersPerGuild = Number(process.argv[3] ?? 0);

const emulator = await DiscordEmulator.start({ maxConcurrency: 16 });
const heapBefore = process.memoryUsage().heapUsed;
const createStarted = performance.now();
const guilds = emulator.createGuilds({ count: guildCount, membersPerGuild });
const createMs = performance.now() - createStarted;
const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emulator.apiBaseUrl }, shards: 'auto' });
let identifiedAt = 0;
let lastGuildCreateAt = 0;
emulator.events.on('identify', () => {
  identifiedAt ||= performance.now();
});
client.on('raw', (packet: { t?: string }) => {
  if (packet.t === 'GUILD_CREATE') lastGuildCreateAt = performance.now();
});
const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
await client.login(emulator.token);
await ready;
const readyAt = performance.now();

// REST calls spread over the guilds: the emulator's own handling time per request, which
// stays flat only if lookups do not scan every guild's channels and messages.
const sample = guilds.filter((_, index) => index % Math.max(1, Math.floor(guilds.length / 40)) === 0).slice(0, 40);
const logStart = emulator.requests.length;
for (const guild of sample) {
  await client.rest.post(`/channels/${guild.channelId}/messages`, { body: { content: 'hello' } });
  await client.rest.get(`/channels/${guild.channelId}/messages`);
  await client.rest.get(`/guilds/${guild.guildId}/threads/active`);
}
const handled = emulator.requests.slice(logStart);
const handlingMs = handled.reduce((sum, entry) => sum + entry.durationMs, 0) / handled.length;

console.log(`guilds: ${guildCount} (${membersPerGuild} members each) over ${client.ws.shards.size} shards`);
console.log(`create ${guildCount} guilds: ${createMs.toFixed(0)} ms (heap +${heapMiB.toFixed(0)} MiB)`);
console.log(`IDENTIFY -> last GUILD_CREATE received: ${(lastGuildCreateAt - identifiedAt).toFixed(0)} ms`);
console.log(`IDENTIFY -> discord.js clientReady: ${(readyAt - identifiedAt).toFixed(0)} ms; guilds cached: ${client.guilds.cache.size}`);
console.log(
  `REST handling in the emulator (post, list messages, active threads): ${handlingMs.toFixed(2)} ms per request over ${handled.length}`,
);

await client.destroy();
await emulator.stop();
