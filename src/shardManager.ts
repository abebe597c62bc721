/**
 * `npm run start:sharded`: discord.js's ShardingManager runs one bot process per shard (each through
 * src/main.ts, as `npm start` does) and starts a process again when it dies. SHARD_COUNT sets the
 * total (default: Discord's recommendation) and SHARD_IDS which of them this machine runs.
 */
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager, type RESTGetAPIGatewayBotResult } from 'discord.js';
import dotenv from 'dotenv';
import { loadConfigOrExit } from './config.ts';
import { createLogger } from './logger.ts';

dotenv.config({ quiet: true });

const config = loadConfigOrExit(process.env);
const logger = createLogger(config.logLevel, { format: config.logFormat });

try {
  const rest = new REST({ api: config.discordApiUrl }).setToken(config.discordToken);
  const totalShards = config.shardCount ?? ((await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult).shards;
  const manager = new ShardingManager(fileURLToPath(new URL('./main.ts', import.meta.url)), {
    token: config.discordToken,
    totalShards,
    shardList: config.shardIds ? [...config.shardIds] : 'auto',
    mode: 'process',
    respawn: true,
    execArgv: ['--import', 'tsx'],
  });
  manager.on('shardCreate', (shard) => {
    logger.info('Shard process started', { shard: shard.id, totalShards });
    shard.on('death', () => logger.warn('Shard process died; starting it again', { shard: shard.id }));
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('Stopping every shard process', { signal });
    // No respawn now: each process stops its work, releases its leases and exits within 10 s.
    manager.respawn = false;
    for (const shard of manager.shards.values()) shard.process?.kill('SIGTERM');
    const exited = [...manager.shards.values()].map(
      (shard) => new Promise((resolve) => (shard.process ? shard.process.once('exit', resolve) : resolve(undefined))),
    );
    void Promise.race([Promise.all(exited), new Promise((resolve) => setTimeout(resolve, 11_000))]).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  await manager.spawn({ timeout: -1 });
} catch (error) {
  console.error(`bridges: could not start the shards: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
