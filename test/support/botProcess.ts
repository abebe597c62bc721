/**
 * A Bridges process for tests of several processes: the real composition root (startBridges), with
 * its settings read from the environment like `npm start`, and a clock the test moves over IPC so
 * that several processes and the emulator agree on the time. Messages from the test:
 * `{ type: 'clock', at }` moves the clock, wakes the scheduler and answers `{ type: 'idle' }` once it is idle;
 * `{ type: 'stop' }` stops the bot gracefully and exits 0.
 */
import { startBridges } from '../../src/bridges.ts';
import { loadConfig } from '../../src/config.ts';
import { FakeClock } from './fakeClock.ts';

const clock = new FakeClock(process.env.BRIDGES_TEST_CLOCK ?? new Date().toISOString());
const bot = await startBridges({ config: loadConfig(process.env), clock });
process.send?.({ type: 'ready', shards: bot.shards, guilds: [...bot.client.guilds.cache.keys()] });

// As npm start does: stop taking work, let running work end, release leases, exit 0.
process.once('SIGTERM', () => void bot.stop().then(() => process.exit(0)));

process.on('message', (message: { type: string; at?: string }) => {
  if (message.type === 'clock' && message.at) {
    clock.set(message.at);
    // The test says the scheduler wakes at this instant, whichever interval it started on.
    void bot.scheduler.tick();
    void bot.scheduler.whenIdle().then(() => process.send?.({ type: 'idle', at: message.at }));
  }
  if (message.type === 'stop') void bot.stop().then(() => process.exit(0));
});
