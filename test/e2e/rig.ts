import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridges, type Bridges } from '../../src/bridges.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { DiscordEmulator, type CommunityIds, type EmulatorOptions } from '../support/emulator.ts';
import { FakeClock } from '../support/fakeClock.ts';

export interface Rig {
  readonly emulator: DiscordEmulator;
  readonly ids: CommunityIds;
  readonly clock: FakeClock;
  readonly logs: string[];
  /** The bot's SQLite file, for tests that look at what is stored. */
  readonly databaseUrl: string;
  /** Starts the bot through its composition root, with the same settings parsing as `npm start`. */
  startBot(env?: Record<string, string>): Promise<Bridges>;
  stopBot(): Promise<void>;
  readonly bot: Bridges;
  /** Moves the clock (waking the scheduler, at most once per interval) and waits until its work is done. */
  tickAt(at: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A seeded community on a fresh emulator, and a bot with its own SQLite file and a hand-moved
 * clock that the emulator's clock follows too (message times, ids, the nonce window).
 */
export async function createRig(start = '2026-01-15T06:00:00Z', emulatorOptions: EmulatorOptions = {}): Promise<Rig> {
  const clock = new FakeClock(start);
  const emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 5_000, now: () => clock.now().getTime(), ...emulatorOptions });
  const ids = emulator.seedCommunity();
  const databaseUrl = `sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-e2e-')), 'bridges.sqlite')}`;
  const logs: string[] = [];
  let bot: Bridges | undefined;

  const rig: Rig = {
    emulator,
    ids,
    clock,
    logs,
    databaseUrl,
    get bot() {
      if (!bot) throw new Error('The bot is not running');
      return bot;
    },
    async startBot(env = {}) {
      const config = loadConfig({
        DISCORD_TOKEN: emulator.token,
        DISCORD_API_URL: emulator.apiBaseUrl,
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'debug',
        ...env,
      });
      bot = await startBridges({ config, clock, logger: createLogger('debug', (line) => logs.push(line)) });
      return bot;
    },
    async stopBot() {
      await bot?.stop();
      bot = undefined;
    },
    async tickAt(at) {
      // Moving the clock wakes the scheduler as its interval would; then wait for that work to end.
      clock.set(at);
      await rig.bot.scheduler.whenIdle();
    },
    async close() {
      await rig.stopBot();
      await emulator.stop();
    },
  };
  return rig;
}

/** The messages the bot itself posted in a channel (not interaction replies). */
export function botPosts(rig: Rig, channelId: string) {
  return rig.emulator
    .messages(channelId)
    .filter((message) => message.authorId === rig.emulator.botUserId && message.interactionId === undefined);
}

/** Requests the bot made to one route template, such as `POST /channels/:channel_id/messages`. */
export function requestsTo(rig: Rig, spec: string) {
  const [method, route] = spec.split(' ');
  return rig.emulator.requests.filter((request) => request.method === method && request.route === route);
}
