import { DiscordAPIError } from 'discord.js';
import dotenv from 'dotenv';
import { startBridges } from './bridges.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';

dotenv.config({ quiet: true });

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  for (const problem of error.problems) console.error(`bridges: ${problem}`);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
// One bad event must never take the whole bot down; log it and carry on.
process.on('unhandledRejection', (reason) => logger.error('Unhandled rejection', { error: reason }));

try {
  const bridges = await startBridges({ config, logger });
  const shutdown = (signal: string) => {
    logger.info('Shutting down', { signal });
    void bridges.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  console.error(`bridges: could not start: ${startFailure(error)}`);
  process.exit(1);
}

function startFailure(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  if (code === 'TokenInvalid' || (error instanceof DiscordAPIError && error.status === 401)) {
    return 'DISCORD_TOKEN was rejected by Discord (401 Unauthorized)';
  }
  if (error instanceof Error && error.name === 'ThemeDataError') return `data/themes.json is invalid: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
