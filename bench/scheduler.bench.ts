/**
 * The scheduler's cost when nothing is due (`npm run bench`; figures printed, nothing asserted):
 * 10,000 servers with daily prompts configured over the day, on a real SQLite store, and the
 * store operations and milliseconds of each tick at an instant when none of them is due.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadThemeCatalog } from '../src/loadThemeCatalog.ts';
import { createLogger } from '../src/logger.ts';
import { KeyedLock } from '../src/services/keyedLock.ts';
import { PromptService } from '../src/services/promptService.ts';
import { Scheduler } from '../src/services/scheduler.ts';
import { SettingsService } from '../src/services/settingsService.ts';
import { DueIndex } from '../src/store/dueIndex.ts';
import { GuildConfigStore } from '../src/store/guildConfigStore.ts';
import { openStore } from '../src/store/openStore.ts';
import { PromptLogStore } from '../src/store/promptLogStore.ts';
import { FakeClock } from '../test/support/fakeClock.ts';
import { FakePromptChannel } from '../test/support/fakePromptChannel.ts';
import { countingStore } from './storeCounter.ts';

const SERVERS = 10_000;
const TICKS = 50;

const { store, counts } = countingStore(
  await openStore(`sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-bench-')), 'state.sqlite')}`, () => undefined),
);
const clock = new FakeClock('2026-03-02T00:00:30Z');
const logger = createLogger('error', () => undefined);
const catalog = await loadThemeCatalog();
const configs = new GuildConfigStore(store.keyv);
const index = new DueIndex(store.backend, 'bench');
const locks = new KeyedLock();
const prompts = new PromptService({
  configs,
  promptLogs: new PromptLogStore(store.keyv),
  catalog,
  channel: new FakePromptChannel(() => clock.now()),
  clock,
  locks,
  logger,
});
const idle = { run: async () => undefined, nextDue: async () => undefined };
const scheduler = new Scheduler({
  clock,
  intervalMs: 20_000,
  index,
  lanes: { prompts: { run: (id) => prompts.runDue(id), nextDue: (id) => prompts.nextDue(id) }, pairing: idle, lifecycle: idle },
  concurrency: 16,
  presence: () => 'here',
  onAbsent: async () => undefined,
  logger,
});
const settings = new SettingsService({
  configs,
  catalog,
  clock,
  locks,
  onScheduleChange: (lane, guildId) => scheduler.refresh(lane, guildId),
});

const setupStarted = performance.now();
const zones = [
  'Europe/Berlin',
  'America/Sao_Paulo',
  'Asia/Tokyo',
  'Africa/Lagos',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Sydney',
  'UTC',
];
for (let i = 0; i < SERVERS; i++) {
  // Spread over the day, never at the first minutes of the measured hour.
  const minute = 60 + (i % 1380);
  await settings.configurePrompts(`9${String(i).padStart(17, '0')}`, 'bench', {
    channelId: '1',
    time: `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`,
    timeZone: zones[i % zones.length] ?? 'UTC',
    threads: true,
    themes: undefined,
  });
}
// Servers whose time already passed today post now (late, as after a restart); then nothing is due.
await scheduler.whenIdle();
const setupMs = performance.now() - setupStarted;
const due = await index.due(clock.now(), 100_000);

const durations: number[] = [];
const readsPerTick: number[] = [];
for (let tick = 0; tick < TICKS; tick++) {
  clock.advance(20);
  const before = counts.reads;
  const started = performance.now();
  await scheduler.tick();
  await scheduler.whenIdle();
  durations.push(performance.now() - started);
  readsPerTick.push(counts.reads - before);
}
durations.sort((a, b) => a - b);
const percentile = (p: number) => durations[Math.min(durations.length - 1, Math.floor(p * durations.length))] ?? 0;

// One server due: the tick reads the index, then only that server's work.
const one = `9${String(0).padStart(17, '0')}`;
await index.set('prompts', one, clock.now());
const before = counts.reads;
await scheduler.tick();
await scheduler.whenIdle();
const readsWithOneDue = counts.reads - before;

console.log('\nScheduler: a tick when nothing is due (SQLite file, one process)');
console.log(`  servers configured            ${SERVERS.toLocaleString('en-US')} (set up in ${(setupMs / 1000).toFixed(1)} s)`);
console.log(`  due at the measured instants  ${due.length}`);
console.log(`  store reads per tick          ${Math.min(...readsPerTick)} to ${Math.max(...readsPerTick)} (the due-index query)`);
console.log(
  `  ms per tick                   median ${percentile(0.5).toFixed(2)}, p99 ${percentile(0.99).toFixed(2)}, max ${percentile(1).toFixed(2)} (${TICKS} ticks)`,
);
console.log(`  store reads with one due      ${readsWithOneDue} (the index, then that server's settings and prompt log)`);
await store.close();
