import { DiscordAPIError } from 'discord.js';
import dotenv from 'dotenv';
import { startBridges, type Bridges } from './bridges.ts';
import { loadConfigOrExit } from './config.ts';
import { createLogger } from './logger.ts';

dotenv.config({ quiet: true });

const config = loadConfigOrExit(process.env);

/** A supervisor waits about this long after SIGTERM; whatever is still running is left to its leases. */
const SHUTDOWN_WITHIN_MS = 10_000;

let logger = createLogger(config.logLevel, { format: config.logFormat });
// One bad event must never take the whole bot down; log it and carry on.
process.on('unhandledRejection', (reason) => logger.error('Unhandled rejection', { error: reason }));

let bridges: Bridges | undefined;
let stopping = false;
const shutdown = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  logger.info('Shutting down', { signal });
  setTimeout(() => {
    logger.warn('Shutdown took too long; exiting with work left to its leases');
    process.exit(0);
  }, SHUTDOWN_WITHIN_MS).unref();
  // A signal during start-up is honoured once start-up finishes (see below).
  if (bridges) void bridges.stop().then(() => process.exit(0));
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));

try {
  bridges = await startBridges({ config });
  logger = bridges.logger;
  if (stopping) {
    await bridges.stop();
    process.exit(0);
  }
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
