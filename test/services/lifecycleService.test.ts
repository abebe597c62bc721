import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { KeyedLock } from '../../src/services/keyedLock.ts';
import { LifecycleService } from '../../src/services/lifecycleService.ts';
import { DueIndex, KnownGuilds } from '../../src/store/dueIndex.ts';
import { GuildConfigStore } from '../../src/store/guildConfigStore.ts';
import { EMPTY_PROFILE, MemberStore } from '../../src/store/memberStore.ts';
import type { Store } from '../../src/store/openStore.ts';
import { PromptLogStore } from '../../src/store/promptLogStore.ts';
import { RoundStore } from '../../src/store/roundStore.ts';
import { FakeClock } from '../support/fakeClock.ts';
import { tempStore } from '../support/tempStore.ts';

const GUILD = '100000000000000001';
const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

async function rig() {
  const store = await tempStore('bridges-lifecycle-');
  opened.push(store);
  const clock = new FakeClock('2026-01-01T00:00:00Z');
  const configs = new GuildConfigStore(store.keyv);
  const members = new MemberStore(store.keyv, store.backend);
  const index = new DueIndex(store.backend, 'app');
  const refreshed: string[] = [];
  const lifecycle = new LifecycleService({
    configs,
    promptLogs: new PromptLogStore(store.keyv),
    members,
    rounds: new RoundStore(store.keyv),
    index,
    knownGuilds: new KnownGuilds(store.backend, 'app'),
    clock,
    retentionDays: 30,
    locks: new KeyedLock(),
    roundLocks: new KeyedLock(),
    refresh: async (lane, guildId) => void refreshed.push(`${lane}:${guildId}`),
    logger: createLogger('error', () => undefined),
  });
  await configs.update(GUILD, () => ({ welcomedAt: '2026-01-01T00:00:00.000Z' }));
  await members.set(GUILD, 'u1', { optedIn: true, profile: EMPTY_PROFILE, missedFollowUps: 0, updatedAt: 'x', meetings: [] });
  return { store, clock, configs, members, index, lifecycle, refreshed };
}

describe('LifecycleService', () => {
  it("never deletes a removed server's data before the retention period is over, even when its lane runs early", async () => {
    const r = await rig();
    await r.lifecycle.guildRemoved(GUILD);
    expect(await r.index.at('lifecycle', GUILD)).toBe(Date.parse('2026-01-31T00:00:00Z'));
    r.clock.set('2026-01-30T23:59:00Z');
    expect(await r.lifecycle.runDue(GUILD)).toEqual(new Date('2026-01-31T00:00:00Z'));
    expect(await r.members.ids(GUILD)).toEqual(['u1']);
    r.clock.set('2026-01-31T00:00:00Z');
    expect(await r.lifecycle.runDue(GUILD)).toBeUndefined();
    expect(await r.members.ids(GUILD)).toEqual([]);
    expect(await r.configs.get(GUILD)).toEqual({});
  });

  it('keeps the first removal time when the removal is seen again (a restart), so the grace period does not start over', async () => {
    const r = await rig();
    await r.lifecycle.guildRemoved(GUILD);
    r.clock.set('2026-01-20T00:00:00Z');
    await r.lifecycle.guildRemoved(GUILD);
    expect(await r.index.at('lifecycle', GUILD)).toBe(Date.parse('2026-01-31T00:00:00Z'));
  });

  it('notices at start-up servers it was removed from while offline, and schedules servers it joined meanwhile', async () => {
    const r = await rig();
    await r.lifecycle.guildAvailable(GUILD);
    await r.lifecycle.reconcile(['200000000000000002'], () => true);
    expect((await r.configs.get(GUILD)).removedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(await r.index.at('lifecycle', GUILD)).toBe(Date.parse('2026-01-31T00:00:00Z'));
    await r.lifecycle.reconcile([GUILD, '200000000000000002'], () => true);
    expect((await r.configs.get(GUILD)).removedAt).toBeUndefined();
    expect(await r.index.at('lifecycle', GUILD)).toBeUndefined();
  });
});
