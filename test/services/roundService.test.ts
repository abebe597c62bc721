import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ThemeCatalog } from '../../src/core/themes.ts';
import { translator } from '../../src/discord/i18n.ts';
import { roundOutcomeText } from '../../src/discord/hostMessages.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import { createLogger } from '../../src/logger.ts';
import { DiscordFailure } from '../../src/services/discordPort.ts';
import { ExchangeService } from '../../src/services/exchangeService.ts';
import { KeyedLock } from '../../src/services/keyedLock.ts';
import { inlineMatcher } from '../../src/services/matcher.ts';
import { RoundService } from '../../src/services/roundService.ts';
import { SettingsService } from '../../src/services/settingsService.ts';
import { UserError } from '../../src/services/userError.ts';
import { GuildConfigStore } from '../../src/store/guildConfigStore.ts';
import { MemberStore } from '../../src/store/memberStore.ts';
import type { Store } from '../../src/store/openStore.ts';
import { RoundStore } from '../../src/store/roundStore.ts';
import { FakeClock } from '../support/fakeClock.ts';
import { FakePairingChannel } from '../support/fakePairingChannel.ts';
import { tempStore } from '../support/tempStore.ts';

const EN = translator('en-US');

const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';
let catalog: ThemeCatalog;
const opened: Store[] = [];

beforeAll(async () => {
  catalog = await loadThemeCatalog();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

/** One server's round service over a real SQLite file; Discord is the in-memory fake. */
async function rig(start = '2026-01-12T08:00:00Z', store?: Store) {
  const opened_ = store ?? (await tempStore('bridges-rounds-'));
  if (!store) opened.push(opened_);
  const clock = new FakeClock(start);
  const discord = new FakePairingChannel();
  const configs = new GuildConfigStore(opened_.keyv);
  const members = new MemberStore(opened_.keyv, opened_.backend);
  const roundStore = new RoundStore(opened_.keyv);
  const locks = new KeyedLock();
  const roundLocks = new KeyedLock();
  const logger = createLogger('error', () => undefined);
  const settings = new SettingsService({ configs, catalog, clock, locks, onScheduleChange: async () => undefined });
  const exchange = new ExchangeService({ configs, members, rounds: roundStore, clock, locks, roundLocks, discord, catalog, logger });
  const rounds = new RoundService({
    configs,
    members,
    rounds: roundStore,
    catalog,
    discord,
    clock,
    locks,
    roundLocks,
    match: inlineMatcher,
    onScheduleChange: async () => undefined,
    logger,
  });
  await settings.configurePairing(GUILD, 'moderator', {
    channelId: CHANNEL,
    frequency: 'weekly',
    weekday: 'monday',
    time: '18:00',
    timeZone: 'UTC',
    groupSize: 2,
    followUpDays: 3,
  });
  const join = async (count: number, prefix = 'u') => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = `${prefix}${String(i).padStart(4, '0')}`;
      await exchange.joinWithProfile(GUILD, id, { languages: 'en' });
      ids.push(id);
    }
    return ids;
  };
  /** Runs the pairing lane until nothing is due now, as the scheduler would. */
  const drain = async () => {
    for (let i = 0; i < 10_000; i++) {
      const next = await rounds.runDue(GUILD);
      if (next === undefined || next.getTime() > clock.now().getTime()) return next;
    }
    throw new Error('the pairing lane never settled');
  };
  return { store: opened_, clock, discord, configs, members, roundStore, settings, exchange, rounds, join, drain };
}

describe('RoundService delivery', () => {
  it('delivers a scheduled round in slices, one thread and one introduction per group', async () => {
    const r = await rig();
    await r.join(60);
    r.clock.set('2026-01-12T18:00:00Z');
    // A slice does at most 25 groups, then the lane is due again at once.
    expect((await r.rounds.runDue(GUILD))?.getTime()).toBe(r.clock.now().getTime());
    expect(r.discord.threads).toHaveLength(25);
    await r.drain();
    expect(r.discord.threads).toHaveLength(30);
    expect(new Set(r.discord.threads.map((thread) => thread.name)).size).toBe(30);
    expect(r.discord.threads.every((thread) => thread.messages.filter((message) => message.kind === 'intro').length === 1)).toBe(true);
    const last = await r.rounds.lastRound(GUILD);
    expect(last).toMatchObject({ status: 'delivered', outcome: { delivered: 30, failed: 0, waiting: 0, membersDelivered: 60 } });
    expect((await r.roundStore.state(GUILD)).activeRoundId).toBeUndefined();
  });

  it('skips opted-in members who left the server before planning', async () => {
    const r = await rig();
    const ids = await r.join(5);
    r.discord.members = new Set(ids.slice(1));
    const report = await r.rounds.startNow(GUILD);
    expect(report).toMatchObject({ left: 1, delivered: 2, membersDelivered: 4 });
    expect(r.discord.groups().flat()).not.toContain(ids[0]);
  });

  it('ends the round when one group is refused for good: the others are delivered and the reason is kept', async () => {
    const r = await rig();
    await r.join(6);
    r.discord.failures.intro.push(new DiscordFailure('rejected', 'Invalid Form Body', { code: 50035, detail: 'too-long' }));
    const report = await r.rounds.startNow(GUILD);
    expect(report).toMatchObject({ delivered: 2, failed: 1, pending: 0 });
    const last = await r.rounds.lastRound(GUILD);
    expect(last?.status).toBe('delivered');
    expect(roundOutcomeText(last!, EN)).toBe('delivered 2 of 3 groups; 1 failed: Discord refused the introduction as too long');
    // Nothing is retried: the next runs find nothing to do for this round.
    await r.drain();
    expect(r.discord.calls.filter((call) => call.startsWith('intro')).length).toBe(3);
    // The members of the failed group go first next round.
    const failed = (await r.roundStore.groupRange(GUILD, last!.id, 0, 3)).find((group) => group?.status === 'failed');
    for (const userId of failed!.memberIds) expect((await r.members.get(GUILD, userId))?.waitingSinceRound).toBe(1);
    r.clock.set('2026-01-13T08:00:00Z');
    await r.rounds.startNow(GUILD);
    const [firstOfNext] = await r.roundStore.groupRange(GUILD, (await r.rounds.lastRound(GUILD))!.id, 0, 1);
    expect(firstOfNext?.memberIds.some((id) => failed!.memberIds.includes(id))).toBe(true);
  });

  it('retries a transient failure with backoff, refuses another round meanwhile, and gives up after the retry window', async () => {
    const r = await rig();
    await r.join(4);
    for (let i = 0; i < 50; i++) r.discord.failures.createThread.push(new DiscordFailure('transient', '503'));
    r.discord.failures.createThread.splice(1); // only the first group's first attempt fails
    const report = await r.rounds.startNow(GUILD);
    expect(report).toMatchObject({ delivered: 1, pending: 1 });
    await expect(r.rounds.startNow(GUILD)).rejects.toThrow(UserError);
    expect(await r.rounds.nextDue(GUILD)).toEqual(new Date('2026-01-12T08:00:30Z'));
    r.clock.set('2026-01-12T08:00:30Z');
    await r.drain();
    expect((await r.rounds.lastRound(GUILD))?.outcome).toMatchObject({ delivered: 2, failed: 0 });

    // Now a group that never gets through: it ends as failed after the retry window, and the round ends.
    for (let i = 0; i < 100; i++) r.discord.failures.createThread.push(new DiscordFailure('transient', '503'));
    r.clock.set('2026-01-12T09:00:00Z');
    await r.rounds.startNow(GUILD).catch(() => undefined);
    for (let minutes = 0; minutes <= 180; minutes += 1) {
      r.clock.set(new Date(Date.parse('2026-01-12T09:00:00Z') + minutes * 60_000));
      await r.drain();
    }
    const last = await r.rounds.lastRound(GUILD);
    expect(last?.status).toBe('delivered');
    expect(last?.outcome).toMatchObject({ delivered: 0, failed: 2 });
    expect(roundOutcomeText(last!, EN)).toContain('Discord kept failing for the conversation thread, so Bridges stopped retrying');
    await expect(r.rounds.startNow(GUILD)).resolves.toBeDefined();
  });

  it('stops the rest of a round at once when pairing is turned off, and accepts the next start', async () => {
    const r = await rig();
    await r.join(60);
    r.clock.set('2026-01-12T18:00:00Z');
    await r.rounds.runDue(GUILD);
    expect(r.discord.threads).toHaveLength(25);
    await r.settings.turnOff(GUILD, 'pairing');
    await r.drain();
    expect(r.discord.threads).toHaveLength(25);
    const last = await r.rounds.lastRound(GUILD);
    expect(last).toMatchObject({ status: 'cancelled', outcome: { delivered: 25, cancelled: 5 } });
    expect(roundOutcomeText(last!, EN)).toBe('delivered 25 of 30 groups; 5 cancelled: pairing was turned off during the round');
    r.clock.set('2026-01-12T18:05:00Z');
    await expect(r.rounds.startNow(GUILD)).resolves.toMatchObject({ delivered: 30 });
  });

  it('never asks for more threads than there is room for: the rest wait, and go out when room frees up', async () => {
    const r = await rig();
    await r.join(10);
    // Other threads of the server leave room for three more under Discord's limit of 1,000.
    r.discord.otherActiveThreads = 997;
    const report = await r.rounds.startNow(GUILD);
    expect(report).toMatchObject({ delivered: 3, waiting: 2 });
    expect(r.discord.calls.filter((call) => call.startsWith('createThread'))).toHaveLength(3);
    const waiting = await r.rounds.lastRound(GUILD);
    expect(waiting?.status).toBe('waiting-room');
    expect(roundOutcomeText(waiting!, EN)).toContain('2 groups waiting for room for a thread');
    // Members post nothing; at the end of the check-in window the threads are archived and room frees up.
    r.clock.set('2026-01-15T08:00:00Z');
    await r.drain();
    r.clock.set('2026-01-19T08:00:00Z');
    await r.drain();
    expect(r.discord.threads.filter((thread) => thread.archived)).toHaveLength(3);
    expect(r.discord.threads).toHaveLength(5);
    expect(await r.rounds.lastRound(GUILD)).toMatchObject({ status: 'delivered', outcome: { delivered: 5, waiting: 0 } });
  });

  it("treats Discord's thread limit (160006) met mid-round as no room, never as a failure", async () => {
    const r = await rig();
    await r.join(8);
    // Someone else opened threads meanwhile: Discord refuses the third one.
    const create = r.discord.createPrivateThread.bind(r.discord);
    let created = 0;
    r.discord.createPrivateThread = async (channelId, name) => {
      if (++created === 3) throw new DiscordFailure('thread-limit', 'Maximum number of active threads reached', { code: 160006 });
      return create(channelId, name);
    };
    const report = await r.rounds.startNow(GUILD);
    expect(report).toMatchObject({ delivered: 2, waiting: 2, failed: 0 });
    expect((await r.rounds.lastRound(GUILD))?.status).toBe('waiting-room');
    r.clock.set('2026-01-12T08:15:00Z');
    await r.drain();
    expect(await r.rounds.lastRound(GUILD)).toMatchObject({ status: 'delivered', outcome: { delivered: 4 } });
  });

  it('opens no second thread when the answer to creating one was lost', async () => {
    const r = await rig();
    await r.join(4);
    const create = r.discord.createPrivateThread.bind(r.discord);
    let lose = true;
    r.discord.createPrivateThread = async (channelId, name) => {
      const created = await create(channelId, name);
      if (lose) {
        lose = false;
        throw new DiscordFailure('transient', 'connection reset after the thread was created');
      }
      return created;
    };
    await r.rounds.startNow(GUILD);
    r.clock.set('2026-01-12T08:00:30Z');
    await r.drain();
    expect(r.discord.threads).toHaveLength(2);
    expect(r.discord.threads.every((thread) => thread.messages.length === 1 && thread.memberIds.size === 2)).toBe(true);
  });

  it('posts check-ins once at check-in time and archives the threads when the window closes', async () => {
    const r = await rig();
    await r.join(4);
    await r.rounds.startNow(GUILD);
    r.clock.set('2026-01-15T07:59:00Z');
    await r.drain();
    expect(r.discord.threads.every((thread) => thread.messages.length === 1)).toBe(true);
    r.clock.set('2026-01-15T08:00:00Z');
    await r.drain();
    await r.drain();
    expect(r.discord.threads.every((thread) => thread.messages.filter((message) => message.kind === 'check-in').length === 1)).toBe(true);
    expect(r.discord.threads.some((thread) => thread.archived)).toBe(false);
    r.clock.set('2026-01-19T08:00:00Z');
    await r.drain();
    expect(r.discord.threads.every((thread) => thread.archived)).toBe(true);
    expect(await r.rounds.nextDue(GUILD)).toEqual(new Date('2026-01-19T18:00:00Z'));
  });
});

describe('RoundService novelty', () => {
  it('passes who met when to the matcher, so a stable membership meets new partners after the repeat window instead of an old pairing', async () => {
    const r = await rig();
    await r.join(12);
    const seen = new Set<string>();
    // Twelve members allow eleven rounds without a pair meeting twice; the repeat window is six.
    for (let round = 1; round <= 9; round++) {
      const before = r.discord.threads.length;
      await r.rounds.startNow(GUILD);
      const pairs = r.discord.threads.slice(before).map((thread) => [...thread.memberIds].sort().join('+'));
      expect(pairs, `round ${round}`).toHaveLength(6);
      for (const pair of pairs) {
        expect(seen.has(pair), `round ${round} repeats ${pair}`).toBe(false);
        seen.add(pair);
      }
    }
  });
});
