import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { Scheduler } from '../../src/services/scheduler.ts';
import { FakeClock } from '../support/fakeClock.ts';

/** A job whose runs are recorded and held open until the test releases them. */
function heldJob() {
  const runs: { started: number; release: () => void }[] = [];
  let active = 0;
  let overlapped = false;
  const job = {
    name: 'held',
    run: () =>
      new Promise<void>((resolve) => {
        active++;
        if (active > 1) overlapped = true;
        runs.push({
          started: runs.length,
          release: () => {
            active--;
            resolve();
          },
        });
      }),
  };
  return { job, runs, overlapped: () => overlapped };
}

const quiet = createLogger('error', () => undefined);
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('Scheduler', () => {
  it('runs once at start and again on each interval', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const { job, runs } = heldJob();
    const scheduler = new Scheduler(clock, 20_000, [job], quiet);
    scheduler.start();
    expect(runs).toHaveLength(1);
    runs[0]!.release();
    await scheduler.whenIdle();
    clock.advance(19_999);
    expect(runs).toHaveLength(1);
    clock.advance(1);
    expect(runs).toHaveLength(2);
    runs[1]!.release();
    await scheduler.stop();
  });

  it('runs a wake-up that came during a run right after it, once, never overlapping', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const { job, runs, overlapped } = heldJob();
    const scheduler = new Scheduler(clock, 20_000, [job], quiet);
    scheduler.start();
    // Three wake-ups while the first run is still going: they share one follow-up.
    void scheduler.tick();
    void scheduler.tick();
    clock.advance(20_000);
    await flush();
    expect(runs).toHaveLength(1);
    runs[0]!.release();
    await flush();
    expect(runs).toHaveLength(2);
    runs[1]!.release();
    await scheduler.whenIdle();
    expect(runs).toHaveLength(2);
    expect(overlapped()).toBe(false);
  });

  it('keeps going after a job fails', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const ran: string[] = [];
    const scheduler = new Scheduler(
      clock,
      20_000,
      [
        { name: 'broken', run: () => Promise.reject(new Error('boom')) },
        { name: 'fine', run: async () => void ran.push('fine') },
      ],
      quiet,
    );
    scheduler.start();
    await scheduler.whenIdle();
    expect(ran).toEqual(['fine']);
    await scheduler.stop();
  });
});
