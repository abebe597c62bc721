/**
 * Store cost of delivering a round, per group, as rounds grow (`npm run bench`; printed only).
 * The round service runs over a real SQLite file with Discord replaced by an in-memory fake that
 * answers at once, so what grows here is Bridges' own work: store operations and their time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadThemeCatalog } from '../src/loadThemeCatalog.ts';
import { createLogger } from '../src/logger.ts';
import { ExchangeService } from '../src/services/exchangeService.ts';
import { KeyedLock } from '../src/services/keyedLock.ts';
import { inlineMatcher } from '../src/services/matcher.ts';
import { RoundService } from '../src/services/roundService.ts';
import { SettingsService } from '../src/services/settingsService.ts';
import { GuildConfigStore } from '../src/store/guildConfigStore.ts';
import { MemberStore } from '../src/store/memberStore.ts';
import { openStore } from '../src/store/openStore.ts';
import { RoundStore } from '../src/store/roundStore.ts';
import { FakeClock } from '../test/support/fakeClock.ts';
import { FakePairingChannel } from '../test/support/fakePairingChannel.ts';
import { countingStore } from './storeCounter.ts';

const GUILD = '100000000000000001';
const catalog = await loadThemeCatalog();
const logger = createLogger('error', () => undefined);

console.log('\nRound delivery: store cost per group (SQLite file; Discord answering at once)');
console.log('  groups   members   delivery s   ms per group   store ops per group   matching ms');
for (const groups of [10, 100, 1_000, 2_500]) {
  const { store, counts } = countingStore(
    await openStore(`sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-bench-')), 'state.sqlite')}`, () => undefined),
  );
  const clock = new FakeClock('2026-01-12T08:00:00Z');
  const discord = new FakePairingChannel();
  // Discord allows 1,000 active threads; this measures the store, so the fake always reports room.
  discord.maxActiveThreads = 10_000;
  discord.activeThreadCount = async () => 0;
  const configs = new GuildConfigStore(store.keyv);
  const members = new MemberStore(store.keyv, store.backend);
  const rounds = new RoundStore(store.keyv);
  const locks = new KeyedLock();
  const roundLocks = new KeyedLock();
  let matchingMs = 0;
  const service = new RoundService({
    configs,
    members,
    rounds,
    catalog,
    discord,
    clock,
    locks,
    roundLocks,
    match: async (candidates, options) => {
      const started = performance.now();
      const result = await inlineMatcher(candidates, options);
      matchingMs = performance.now() - started;
      return result;
    },
    onScheduleChange: async () => undefined,
    logger,
  });
  const settings = new SettingsService({ configs, catalog, clock, locks, onScheduleChange: async () => undefined });
  const exchange = new ExchangeService({ configs, members, rounds, clock, locks, roundLocks, discord, catalog, logger });
  await settings.configurePairing(GUILD, 'bench', {
    channelId: '2',
    frequency: 'weekly',
    weekday: 'monday',
    time: '18:00',
    timeZone: 'UTC',
    groupSize: 2,
    followUpDays: 3,
  });
  const languages = ['en', 'es', 'pt', 'fr', 'de', 'ja'];
  for (let i = 0; i < groups * 2; i++) {
    await exchange.joinWithProfile(GUILD, `u${String(i).padStart(5, '0')}`, {
      languages: `en, ${languages[i % languages.length] ?? 'en'}`,
      cultures: `c${i % 37}`,
      curiousAbout: `c${(i * 7) % 37}`,
    });
  }
  clock.set('2026-01-12T18:00:00Z');
  const before = { ...counts };
  const started = performance.now();
  for (;;) {
    const next = await service.runDue(GUILD);
    if (next === undefined || next.getTime() > clock.now().getTime()) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const delivered = discord.threads.length;
  const ops = counts.reads - before.reads + counts.writes - before.writes;
  const perGroupMs = ((seconds * 1000 - matchingMs) / delivered).toFixed(2);
  console.log(
    `  ${String(groups).padStart(6)}   ${String(groups * 2).padStart(7)}   ${seconds.toFixed(2).padStart(10)}   ${perGroupMs.padStart(12)}   ${(ops / delivered).toFixed(1).padStart(19)}   ${matchingMs.toFixed(0).padStart(11)}`,
  );
  if (delivered !== groups) console.log(`  (expected ${groups} groups, delivered ${delivered})`);
  await store.close();
}
