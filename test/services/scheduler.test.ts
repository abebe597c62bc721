import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { Scheduler, type GuildPresence, type LaneRunner } from '../../src/services/scheduler.ts';
import { DueIndex, type Lane } from '../../src/store/dueIndex.ts';
import type { Store } from '../../src/store/openStore.ts';
import { FakeClock } from '../support/fakeClock.ts';
import { tempStore } from '../support/tempStore.ts';

const quiet = createLogger('error', () => undefined);
const flush = () => new Promise((resolve) => setImmediate(resolve));
const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

/** A lane whose runs are recorded per server and held open until the test releases them. */
function heldLane(next: (guildId: string) => Date | undefined = () => undefined) {
  const runs: { guildId: string; release: () => void }[] = [];
  const running = new Map<string, number>();
  let overlapped = false;
  let mostAtOnce = 0;
  const lane: LaneRunner = {
    run: (guildId) =>
      new Promise<Date | undefined>((resolve) => {
        running.set(guildId, (running.get(guildId) ?? 0) + 1);
        if ((running.get(guildId) ?? 0) > 1) overlapped = true;
        mostAtOnce = Math.max(
          mostAtOnce,
          [...running.values()].reduce((sum, count) => sum + count, 0),
        );
        runs.push({
          guildId,
          release: () => {
            running.set(guildId, (running.get(guildId) ?? 1) - 1);
            resolve(next(guildId));
          },
        });
      }),
    nextDue: async (guildId) => next(guildId),
  };
  return { lane, runs, overlapped: () => overlapped, mostAtOnce: () => mostAtOnce };
}

const idle: LaneRunner = { run: async () => undefined, nextDue: async () => undefined };

async function setUp(
  lanes: Partial<Record<Lane, LaneRunner>>,
  options: { concurrency?: number; presence?: (guildId: string) => GuildPresence; onAbsent?: (guildId: string) => Promise<void> } = {},
) {
  const store = await tempStore('bridges-scheduler-');
  opened.push(store);
  const clock = new FakeClock('2026-01-01T00:00:00Z');
  const index = new DueIndex(store.backend, 'app');
  const scheduler = new Scheduler({
    clock,
    intervalMs: 20_000,
    index,
    lanes: { prompts: idle, pairing: idle, lifecycle: idle, ...lanes },
    concurrency: options.concurrency ?? 4,
    presence: options.presence ?? (() => 'here'),
    onAbsent: options.onAbsent ?? (async () => undefined),
    logger: quiet,
  });
  return { clock, index, scheduler };
}

const at = (iso: string) => new Date(iso);

/** A scheduler over a real index whose reads of the schedule are counted. */
async function setUpCounting() {
  const store = await tempStore('bridges-scheduler-');
  opened.push(store);
  let reads = 0;
  const backend = { ...store.backend, due: (...args: Parameters<typeof store.backend.due>) => (reads++, store.backend.due(...args)) };
  const scheduler = new Scheduler({
    clock: new FakeClock('2026-01-01T00:00:00Z'),
    intervalMs: 20_000,
    index: new DueIndex(backend, 'app'),
    lanes: { prompts: idle, pairing: idle, lifecycle: idle },
    concurrency: 4,
    presence: () => 'here',
    onAbsent: async () => undefined,
    logger: quiet,
  });
  return { scheduler, reads: () => reads };
}

describe('Scheduler', () => {
  it('runs only the work that is due, then stores when each lane is next due', async () => {
    const ran: string[] = [];
    const lane: LaneRunner = {
      run: async (guildId) => {
        ran.push(guildId);
        return at('2026-01-02T00:00:00Z');
      },
      nextDue: async () => undefined,
    };
    const { clock, index, scheduler } = await setUp({ prompts: lane });
    await index.set('prompts', 'g1', at('2026-01-01T00:00:00Z'));
    await index.set('prompts', 'g2', at('2026-01-01T00:05:00Z'));
    scheduler.start();
    await scheduler.whenIdle();
    expect(ran).toEqual(['g1']);
    expect(await index.at('prompts', 'g1')).toBe(Date.parse('2026-01-02T00:00:00Z'));
    clock.set('2026-01-01T00:05:00Z');
    await scheduler.whenIdle();
    expect(ran).toEqual(['g1', 'g2']);
    await scheduler.stop();
  });

  it('serves due servers with bounded concurrency', async () => {
    const { lane, runs, mostAtOnce } = heldLane();
    const { index, scheduler } = await setUp({ prompts: lane }, { concurrency: 2 });
    for (const guildId of ['a', 'b', 'c', 'd', 'e']) await index.set('prompts', guildId, at('2026-01-01T00:00:00Z'));
    scheduler.start();
    await waitUntil(() => runs.length === 2);
    await flush();
    expect(runs).toHaveLength(2);
    for (let released = 0; released < 5; released++) {
      await waitUntil(() => runs.length > released);
      runs[released]!.release();
    }
    await scheduler.whenIdle();
    expect(runs.map((run) => run.guildId).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(mostAtOnce()).toBe(2);
  });

  it("never makes one server's work wait behind another server's slow work", async () => {
    const { lane, runs } = heldLane();
    const quick: string[] = [];
    const { clock, index, scheduler } = await setUp({
      pairing: lane,
      prompts: { run: async (guildId) => (quick.push(guildId), undefined), nextDue: async () => undefined },
    });
    await index.set('pairing', 'busy', at('2026-01-01T00:00:00Z'));
    scheduler.start();
    await waitUntil(() => runs.length === 1);
    await index.set('prompts', 'other', at('2026-01-01T00:00:20Z'));
    clock.set('2026-01-01T00:00:20Z');
    await waitUntil(() => quick.length === 1);
    expect(quick).toEqual(['other']);
    runs[0]!.release();
    await scheduler.stop();
  });

  it("never runs one server's lane twice at once, however often it wakes", async () => {
    const { lane, runs, overlapped } = heldLane();
    const { clock, index, scheduler } = await setUp({ prompts: lane });
    await index.set('prompts', 'g1', at('2026-01-01T00:00:00Z'));
    scheduler.start();
    await waitUntil(() => runs.length === 1);
    void scheduler.tick();
    clock.advance(20_000);
    await scheduler.tick();
    await flush();
    expect(runs).toHaveLength(1);
    runs[0]!.release();
    await scheduler.whenIdle();
    expect(overlapped()).toBe(false);
    await scheduler.stop();
  });

  it('sends work that is due again at once to the back of the queue, behind the other servers', async () => {
    const order: string[] = [];
    let slices = 0;
    const lane: LaneRunner = {
      run: async (guildId) => {
        order.push(guildId);
        if (guildId === 'long' && ++slices < 3) return at('2026-01-01T00:00:00Z');
        return undefined;
      },
      nextDue: async () => undefined,
    };
    const { index, scheduler } = await setUp({ pairing: lane }, { concurrency: 1 });
    await index.set('pairing', 'long', at('2026-01-01T00:00:00Z'));
    await index.set('pairing', 'short', at('2026-01-01T00:00:00Z'));
    scheduler.start();
    await scheduler.whenIdle();
    expect(order).toEqual(['long', 'short', 'long', 'long']);
    await scheduler.stop();
  });

  it('backs off a lane that throws, doubling the wait, and keeps serving the others', async () => {
    const ran: string[] = [];
    const lane: LaneRunner = {
      run: async (guildId) => {
        if (guildId === 'broken') throw new Error('boom');
        ran.push(guildId);
        return undefined;
      },
      nextDue: async () => undefined,
    };
    const { clock, index, scheduler } = await setUp({ prompts: lane });
    await index.set('prompts', 'broken', at('2026-01-01T00:00:00Z'));
    await index.set('prompts', 'fine', at('2026-01-01T00:00:00Z'));
    scheduler.start();
    await scheduler.whenIdle();
    expect(ran).toEqual(['fine']);
    expect(await index.at('prompts', 'broken')).toBe(Date.parse('2026-01-01T00:01:00Z'));
    clock.set('2026-01-01T00:01:00Z');
    await scheduler.whenIdle();
    expect(await index.at('prompts', 'broken')).toBe(Date.parse('2026-01-01T00:03:00Z'));
    await scheduler.stop();
  });

  it('hands the work of a server Bridges left to onAbsent, and puts off a server in an outage', async () => {
    const absent: string[] = [];
    const ran: string[] = [];
    const lane: LaneRunner = { run: async (guildId) => (ran.push(guildId), undefined), nextDue: async () => undefined };
    const { index, scheduler } = await setUp(
      { prompts: lane },
      {
        presence: (guildId) => (guildId === 'gone' ? 'absent' : guildId === 'down' ? 'unavailable' : 'here'),
        onAbsent: async (guildId) => void absent.push(guildId),
      },
    );
    for (const guildId of ['gone', 'down', 'here']) await index.set('prompts', guildId, at('2026-01-01T00:00:00Z'));
    scheduler.start();
    await scheduler.whenIdle();
    expect(absent).toEqual(['gone']);
    expect(ran).toEqual(['here']);
    expect(await index.at('prompts', 'down')).toBe(Date.parse('2026-01-01T00:05:00Z'));
    await scheduler.stop();
  });

  it('reads the schedule once more after a wake-up that came while it was being read, and only once', async () => {
    const { scheduler, reads } = await setUpCounting();
    const reading = scheduler.tick();
    // Three wake-ups while the first read is under way: it may have missed what prompted them.
    void scheduler.tick();
    void scheduler.tick();
    const followUp = scheduler.tick();
    await reading;
    await followUp;
    await scheduler.whenIdle();
    expect(reads()).toBe(2);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition not met');
}
