import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyvHooks } from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { pairKey } from '../../src/core/matching.ts';
import { pairHistory } from '../../src/core/roundPlan.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import { createLogger } from '../../src/logger.ts';
import { ExchangeService } from '../../src/services/exchangeService.ts';
import { KeyedLock } from '../../src/services/keyedLock.ts';
import { GuildConfigStore } from '../../src/store/guildConfigStore.ts';
import { MemberStore } from '../../src/store/memberStore.ts';
import { migrateStore } from '../../src/store/migrateStore.ts';
import { openStore, type Store } from '../../src/store/openStore.ts';
import { PromptLogStore } from '../../src/store/promptLogStore.ts';
import { STORE_FORMAT, unwrap } from '../../src/store/recordStore.ts';
import { RoundStore } from '../../src/store/roundStore.ts';
import { FakeClock } from '../support/fakeClock.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/store-v1.json', import.meta.url), 'utf8')) as {
  guildId: string;
  secondGuildId: string;
  memberIds: [string, string, string, string, string];
};
const [ANA, KENTA, LEA, TUNDE, MEI] = fixture.memberIds;
const GUILD = fixture.guildId;
const quiet = createLogger('error', () => undefined);
const opened: Store[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

/** The committed format-1 store, copied so the test never changes it. */
async function openFixture(): Promise<Store> {
  const file = join(mkdtempSync(join(tmpdir(), 'bridges-migrate-')), 'state.sqlite');
  copyFileSync(new URL('../fixtures/store-v1.sqlite', import.meta.url), file);
  const store = await openStore(`sqlite://${file}`, () => undefined);
  opened.push(store);
  return store;
}

async function everything(store: Store): Promise<Map<string, unknown>> {
  const records = new Map<string, unknown>();
  for await (const [key, value] of store.keyv.iterator!(undefined)) records.set(String(key), value);
  return records;
}

describe('migrating a store written in record format 1', () => {
  it('keeps every server setting, the rotation, the counters and the posts, each record now versioned', async () => {
    const store = await openFixture();
    const before = await everything(store);
    await migrateStore(store, new Date('2026-02-01T00:00:00Z'), quiet);
    const after = await everything(store);

    for (const key of [`guild-config:${GUILD}`, `guild-config:${fixture.secondGuildId}`]) {
      expect(after.get(key)).toEqual({ v: STORE_FORMAT, data: before.get(key) });
    }
    expect(await new GuildConfigStore(store.keyv).get(GUILD)).toMatchObject({
      prompts: {
        enabled: true,
        time: '09:00',
        timeZone: 'Europe/Berlin',
        themeIds: ['mutual-respect', 'self-reflection', 'building-bridges'],
      },
      pairing: { enabled: true, frequency: 'weekly', weekday: 'monday', time: '18:00', groupSize: 2, followUpDays: 3 },
    });
    const log = await new PromptLogStore(store.keyv).get(GUILD);
    expect(log.rotation).toEqual((before.get(`prompt-log:${GUILD}`) as { rotation: unknown }).rotation);
    expect(log.posts.map((post) => post.date)).toEqual(['2026-01-16', '2026-01-15', '2026-01-13', '2026-01-12']);
    expect((await new PromptLogStore(store.keyv).get(fixture.secondGuildId)).posts).toHaveLength(1);

    const state = await new RoundStore(store.keyv).state(GUILD);
    expect(state).toEqual({
      ...(before.get(`pairing-state:${GUILD}`) as object),
      stats: { ...(before.get(`pairing-state:${GUILD}`) as { stats: object }).stats, groupsFailed: 0 },
    });
    for (const value of after.values()) expect(unwrap(value).version).toBe(STORE_FORMAT);
    expect(after.has(`member-index:${GUILD}`)).toBe(false);
  });

  it("moves the member index into the backend set and rebuilds each member's meetings from the rounds", async () => {
    const store = await openFixture();
    await migrateStore(store, new Date('2026-02-01T00:00:00Z'), quiet);
    const members = new MemberStore(store.keyv, store.backend);
    expect(await members.ids(GUILD)).toEqual([...fixture.memberIds].sort());

    const kenta = await members.get(GUILD, KENTA);
    expect(kenta?.meetings).toEqual([
      { roundNumber: 2, roundId: '2026-01-15-2', groupIndex: 1, partnerIds: [TUNDE] },
      { roundNumber: 1, roundId: '2026-01-12-1', groupIndex: 0, partnerIds: [ANA], answer: 'met' },
    ]);
    expect((await members.get(GUILD, ANA))?.meetings.map((meeting) => meeting.partnerIds)).toEqual([[LEA], [KENTA]]);
    const mei = await members.get(GUILD, MEI);
    expect(mei).toMatchObject({ optedIn: true, pausedUntil: '2026-01-26T08:00:00.000Z', pauseReason: 'member', meetings: [] });
    expect(mei?.profile.languages).toEqual(['mandarin', 'en']);

    // Repeat avoidance reads the rebuilt history: all four pairs of the two rounds are recent for round 3.
    const listed = await members.list(GUILD);
    const { recentPairs } = pairHistory(
      listed.map(({ userId, record }) => ({ userId, meetings: record.meetings })),
      3,
    );
    expect([...recentPairs].sort()).toEqual([pairKey(ANA, KENTA), pairKey(LEA, TUNDE), pairKey(LEA, ANA), pairKey(KENTA, TUNDE)].sort());
  });

  it('splits each round into a round and one record per group, keeping delivery, check-ins and answers', async () => {
    const store = await openFixture();
    await migrateStore(store, new Date('2026-02-01T00:00:00Z'), quiet);
    const rounds = new RoundStore(store.keyv);
    const [second, first] = await rounds.recentRounds(GUILD);
    expect(first).toMatchObject({ number: 1, status: 'delivered', groupCount: 2, cursor: 2, checkInStatus: 'closed', retry: [] });
    expect(second).toMatchObject({
      number: 2,
      status: 'delivered',
      groupCount: 2,
      checkInStatus: 'pending',
      checkInAt: '2026-01-18T17:00:00.000Z',
      checkInClosesAt: '2026-01-22T17:00:00.000Z',
    });
    const [kentaAna, leaTunde] = await rounds.groupRange(GUILD, '2026-01-12-1', 0, 2);
    expect(kentaAna).toMatchObject({
      memberIds: [KENTA, ANA],
      status: 'delivered',
      checkIn: 'posted',
      answers: { [KENTA]: 'met' },
      attempts: 0,
    });
    expect(kentaAna?.checkInMessageId).toMatch(/^\d+$/);
    expect(leaTunde?.answers).toEqual({});
    expect(await rounds.groupRange(GUILD, '2026-01-15-2', 0, 2)).toHaveLength(2);

    const exchange = new ExchangeService({
      configs: new GuildConfigStore(store.keyv),
      members: new MemberStore(store.keyv, store.backend),
      rounds,
      clock: new FakeClock('2026-01-20T00:00:00Z'),
      locks: new KeyedLock(),
      roundLocks: new KeyedLock(),
      discord: { editIntro: async () => undefined },
      catalog: await loadThemeCatalog(),
      logger: quiet,
    });
    expect(await exchange.overview(GUILD, KENTA)).toMatchObject({
      roundsKept: 2,
      roundsPaired: 2,
      answers: { met: 1, 'not-yet': 0, 'cant-make-it': 0 },
    });
  });

  it('runs once: a second start reads one key and writes nothing', async () => {
    const store = await openFixture();
    await migrateStore(store, new Date('2026-02-01T00:00:00Z'), quiet);
    const once = await everything(store);
    let writes = 0;
    store.keyv.hooks.addHandler(KeyvHooks.PRE_SET, () => void (writes += 1));
    await migrateStore(store, new Date('2026-03-01T00:00:00Z'), quiet);
    expect(writes).toBe(0);
    expect(await everything(store)).toEqual(once);
  });
});

describe('migrating a store written in record format 2', () => {
  async function formatTwoStore(): Promise<Store> {
    const file = join(mkdtempSync(join(tmpdir(), 'bridges-migrate-')), 'state.sqlite');
    const store = await openStore(`sqlite://${file}`, () => undefined);
    opened.push(store);
    await store.keyv.set('meta:store-format', { v: 2, data: { format: 2, migratedAt: '2026-01-01T00:00:00.000Z' } });
    await store.backend.addToSet(`members:${GUILD}`, [ANA]);
    await store.keyv.set(`member:${GUILD}:${ANA}`, {
      v: 2,
      data: {
        optedIn: true,
        profile: {
          timeZone: 'America/Sao_Paulo',
          languages: ['spanish', 'português', 'klingon'],
          cultures: ['brasil', 'kansai'],
          curiousAbout: ['japan'],
          interests: ['spanish', 'brazil'],
        },
        missedFollowUps: 0,
        updatedAt: '2026-01-01T00:00:00.000Z',
        meetings: [],
      },
    });
    await store.keyv.set(`guild-config:${GUILD}`, { v: 2, data: { guildId: GUILD } });
    return store;
  }

  it('stores profile languages and regions as codes, keeps free text and interests as they were, and leaves other records alone', async () => {
    const store = await formatTwoStore();
    const configBefore = await store.keyv.get(`guild-config:${GUILD}`);
    await migrateStore(store, new Date('2026-02-01T00:00:00Z'), quiet);

    const raw = unwrap(await store.keyv.get(`member:${GUILD}:${ANA}`));
    expect(raw.version).toBe(STORE_FORMAT);
    expect((raw.data as { profile: unknown }).profile).toEqual({
      timeZone: 'America/Sao_Paulo',
      languages: ['es', 'pt', 'klingon'],
      cultures: ['BR', 'kansai'],
      curiousAbout: ['JP'],
      interests: ['spanish', 'brazil'],
    });
    expect(await store.keyv.get(`guild-config:${GUILD}`)).toEqual(configBefore);
    expect(unwrap(await store.keyv.get('meta:store-format')).data).toMatchObject({ format: STORE_FORMAT });
  });

  it('reads a format-2 member with codes before the migration has run', async () => {
    const store = await formatTwoStore();
    const ana = await new MemberStore(store.keyv, store.backend).get(GUILD, ANA);
    expect(ana?.profile.languages).toEqual(['es', 'pt', 'klingon']);
  });
});
