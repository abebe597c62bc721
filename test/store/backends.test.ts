import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DueIndex } from '../../src/store/dueIndex.ts';
import { GuildConfigStore } from '../../src/store/guildConfigStore.ts';
import { LeasedLocks } from '../../src/store/leasedLocks.ts';
import { MemberStore, EMPTY_PROFILE } from '../../src/store/memberStore.ts';
import { openStore, type Store } from '../../src/store/openStore.ts';
import { CorruptRecordError } from '../../src/store/recordStore.ts';
import { createRig } from '../e2e/rig.ts';
import { freshStoreUrl } from '../support/freshStore.ts';

/**
 * The same behaviour on every backend Bridges supports. SQLite always runs; Redis and PostgreSQL
 * run where their servers are given (`.ci/run` starts both and sets these variables).
 */
const backends: { name: string; url: string | undefined }[] = [
  { name: 'SQLite', url: `sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-backend-')), 'state.sqlite')}` },
  { name: 'Redis', url: process.env.BRIDGES_TEST_REDIS_URL },
  { name: 'PostgreSQL', url: process.env.BRIDGES_TEST_POSTGRES_URL },
];

/** @keyv/postgres shares one pool per process and URL: two stores in one test process close it once. */
async function closeBoth(first: Store, second: Store): Promise<void> {
  await first.close();
  if (second.backend.kind !== 'postgres') await second.close();
}

for (const { name, url: serverUrl } of backends) {
  describe.runIf(serverUrl !== undefined)(`state on ${name}`, () => {
    let url = serverUrl ?? '';
    beforeAll(async () => {
      if (!url.startsWith('sqlite')) url = await freshStoreUrl(url, 'backends', 1);
    });
    // One connection at a time, as in the bot: @keyv/postgres shares one pool per process.
    const open = () => openStore(url, () => undefined);
    const record = { optedIn: true, profile: EMPTY_PROFILE, missedFollowUps: 0, updatedAt: '2026-01-01T00:00:00.000Z', meetings: [] };

    it('keeps configuration and the member index across a reconnect', async () => {
      const guildId = randomUUID();
      const first = await open();
      await new GuildConfigStore(first.keyv).update(guildId, () => ({ welcomedAt: '2026-01-01T00:00:00.000Z' }));
      const members = new MemberStore(first.keyv, first.backend);
      await members.set(guildId, 'u1', record);
      await members.set(guildId, 'u2', record);
      await members.delete(guildId, 'u1');
      await first.close();

      const second = await open();
      expect(await new GuildConfigStore(second.keyv).get(guildId)).toEqual({ welcomedAt: '2026-01-01T00:00:00.000Z' });
      expect((await new MemberStore(second.keyv, second.backend).list(guildId)).map((entry) => entry.userId)).toEqual(['u2']);
      await second.close();
    });

    it('loses no member when many join at once', async () => {
      const guildId = randomUUID();
      const store = await open();
      const members = new MemberStore(store.keyv, store.backend);
      const ids = Array.from({ length: 60 }, (_, i) => `u${String(i).padStart(2, '0')}`);
      await Promise.all(ids.map((userId) => members.set(guildId, userId, record)));
      expect(await members.ids(guildId)).toEqual(ids);
      await members.deleteAll(guildId);
      expect(await members.ids(guildId)).toEqual([]);
      expect(await members.get(guildId, 'u00')).toBeUndefined();
      await store.close();
    });

    it('returns only due work, earliest first, per application, and moves an entry when it is rescheduled', async () => {
      const store = await open();
      const scope = randomUUID();
      const index = new DueIndex(store.backend, scope);
      await index.set('prompts', 'g1', 3_000);
      await index.set('pairing', 'g1', 1_000);
      await index.set('prompts', 'g2', 2_000);
      await index.set('prompts', 'g3', 9_000);
      await new DueIndex(store.backend, `${scope}-other`).set('prompts', 'g9', 1);
      expect(await index.due(3_000, 10)).toEqual([
        { lane: 'pairing', guildId: 'g1', at: 1_000 },
        { lane: 'prompts', guildId: 'g2', at: 2_000 },
        { lane: 'prompts', guildId: 'g1', at: 3_000 },
      ]);
      expect(await index.due(3_000, 2)).toHaveLength(2);
      await index.set('prompts', 'g2', 10_000);
      await index.set('pairing', 'g1', undefined);
      expect((await index.due(3_000, 10)).map((work) => work.guildId)).toEqual(['g1']);
      expect(await index.at('prompts', 'g2')).toBe(10_000);
      expect(await index.at('pairing', 'g1')).toBeUndefined();
      await store.close();
    });

    it('gives a lease to one holder at a time, renews it for that holder, and lets another take it once it expired', async () => {
      const store = await open();
      const lease = `lease-${randomUUID()}`;
      expect(await store.backend.acquireLease(lease, 'a', 1_000, 10_000)).toBe(true);
      expect(await store.backend.acquireLease(lease, 'b', 1_000, 10_500)).toBe(false);
      expect(await store.backend.acquireLease(lease, 'a', 1_000, 10_900)).toBe(true);
      expect(await store.backend.acquireLease(lease, 'b', 1_000, 11_899)).toBe(false);
      // a's renewal ran to 11,900: b takes over from then on.
      expect(await store.backend.acquireLease(lease, 'b', 1_000, 11_900)).toBe(true);
      await store.backend.releaseLease(lease, 'a');
      expect(await store.backend.acquireLease(lease, 'a', 1_000, 12_000)).toBe(false);
      await store.backend.releaseLease(lease, 'b');
      expect(await store.backend.acquireLease(lease, 'a', 1_000, 12_000)).toBe(true);
      await store.close();
    });

    it('never lets two processes hold one lease at once, over separate connections', async () => {
      const [first, second] = [await open(), await open()];
      const lease = `lease-${randomUUID()}`;
      const attempts = Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? first : second).backend.acquireLease(lease, `holder-${i}`, 60_000, 1_000),
      );
      expect((await Promise.all(attempts)).filter(Boolean)).toHaveLength(1);
      await closeBoth(first, second);
    });

    it('runs tasks for one key one at a time across processes (leased locks), and never loses an update', async () => {
      const [first, second] = [await open(), await open()];
      const options = { prefix: `test-${randomUUID()}`, ttlMs: 10_000, waitMs: 20_000 };
      const locksOf = (store: Awaited<ReturnType<typeof open>>, holder: string) =>
        new LeasedLocks(store.backend, () => Date.now(), options, holder);
      const [a, b] = [locksOf(first, 'process-a'), locksOf(second, 'process-b')];
      const configs = [new GuildConfigStore(first.keyv), new GuildConfigStore(second.keyv)];
      const guildId = randomUUID();
      let inside = 0;
      let overlapped = false;
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? a : b).run(guildId, async () => {
            inside += 1;
            if (inside > 1) overlapped = true;
            const store = configs[i % 2]!;
            const current = await store.get(guildId);
            await new Promise((resolve) => setTimeout(resolve, 2));
            await store.update(guildId, () => ({ ...current, welcomedAt: String(Number(current.welcomedAt ?? '0') + 1) }));
            inside -= 1;
          }),
        ),
      );
      expect(overlapped).toBe(false);
      expect((await configs[0]!.get(guildId)).welcomedAt).toBe('20');
      await closeBoth(first, second);
    });

    it('refuses a record that does not match its schema', async () => {
      const { keyv, close } = await open();
      const guildId = randomUUID();
      await keyv.set(`guild-config:${guildId}`, { prompts: 'on' });
      await expect(new GuildConfigStore(keyv).get(guildId)).rejects.toBeInstanceOf(CorruptRecordError);
      await close();
    });

    it('runs the bot: a daily prompt is posted once across a restart', async () => {
      const rig = await createRig('2026-01-15T06:00:00Z');
      try {
        await rig.startBot({ DATABASE_URL: url });
        const setup = await rig.emulator.runCommand({
          channelId: rig.ids.channels.general,
          userId: rig.ids.users.moderator,
          name: 'setup',
          subcommand: 'prompts',
          options: { channel: rig.ids.channels.dailyPrompts, time: '09:00', timezone: 'Europe/Berlin' },
        });
        expect(setup.content).toContain('Daily prompts are on');
        await rig.tickAt('2026-01-15T08:00:00Z');
        await rig.stopBot();
        await rig.startBot({ DATABASE_URL: url });
        await rig.tickAt('2026-01-15T09:00:00Z');
        const posts = rig.emulator.messages(rig.ids.channels.dailyPrompts).filter((message) => message.authorId === rig.emulator.botUserId);
        expect(posts).toHaveLength(1);
      } finally {
        await rig.close();
      }
    });
  });
}
