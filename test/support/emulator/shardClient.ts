/**
 * One bot process of discord.js's ShardingManager, for the emulator's sharding test: it logs in to
 * the emulator whose API base URL is its first argument, with the token and shards the manager
 * passes in its environment (DISCORD_TOKEN, SHARDS, SHARD_COUNT). The test asks it what it sees
 * with broadcastEval.
 */
import { Client, GatewayIntentBits } from 'discord.js';

const api = process.argv[2];
if (!api) throw new Error('Usage: shardClient.ts <emulator API base URL>');
const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api } });
await client.login();
