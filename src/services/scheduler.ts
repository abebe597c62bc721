import type { Logger } from '../logger.ts';
import type { DueIndex, DueWork, Lane } from '../store/dueIndex.ts';
import type { Clock } from './clock.ts';
import type { Telemetry } from './telemetry.ts';

/**
 * Does one bounded slice of a server's due work in one lane and says when that lane is next due
 * (undefined: nothing scheduled). A slice that leaves work for now returns `now` and runs again
 * after the other servers waiting in the queue.
 */
export interface LaneRunner {
  run(guildId: string): Promise<Date | undefined>;
  /** When the lane is next due, without doing anything (after a settings change). */
  nextDue(guildId: string): Promise<Date | undefined>;
}

/** Where a server's work belongs: this process, nowhere (Bridges was removed), or not yet (an outage). */
export type GuildPresence = 'here' | 'absent' | 'unavailable';

export interface SchedulerDeps {
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly index: DueIndex;
  readonly lanes: Readonly<Record<Lane, LaneRunner>>;
  /** How many servers' work runs at once; one slow server holds one slot, never the others. */
  readonly concurrency: number;
  readonly presence: (guildId: string) => GuildPresence;
  /** Called for due work of a server Bridges is no longer in (it was removed while offline). */
  readonly onAbsent: (guildId: string) => Promise<void>;
  /**
   * Runs a slice only if no other process is running the same lane of the same server; the
   * default (one process) always runs it.
   */
  readonly exclusive?: <T>(key: string, task: () => Promise<T>) => Promise<{ ran: true; value: T } | { ran: false }>;
  readonly logger: Logger;
  readonly telemetry?: Telemetry;
}

/** How many due entries one tick takes from the index; more wait for the next tick. */
const TICK_BATCH = 1_000;
/** An outage: look again later rather than every tick. */
const UNAVAILABLE_DELAY_MS = 5 * 60_000;
/** Unexpected errors (a store outage, a bug) back off per lane, doubling up to an hour. */
const ERROR_DELAY_MS = 60_000;
const MAX_ERROR_DELAY_MS = 3_600_000;

/**
 * Runs the work that is due. Each tick reads only what is due from the index (so it costs what is
 * due, not the number of servers), queues it, and serves the queue with bounded concurrency; a
 * server's lane never runs twice at once, and long work comes back to the end of the queue after
 * each slice so no server waits behind another. After each slice the lane's next due time goes
 * back into the index, so a restart resumes exactly where the work stood.
 */
export class Scheduler {
  private handle: unknown;
  private ticking: Promise<void> | undefined;
  private followUp: Promise<void> | undefined;
  private stopped = false;
  private readonly queue: DueWork[] = [];
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly errors = new Map<string, number>();
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: SchedulerDeps) {}

  start(): void {
    if (this.handle !== undefined) return;
    this.stopped = false;
    this.handle = this.deps.clock.setInterval(() => void this.tick(), this.deps.intervalMs);
    void this.tick();
  }

  /**
   * Looks for due work now. A tick asked for while one is reading the index runs right after it,
   * since the running one may have read before the change that prompted the call; calls made
   * meanwhile share that one follow-up, so ticks never overlap or pile up.
   */
  tick(): Promise<void> {
    if (this.ticking === undefined) {
      this.ticking = this.readDue().finally(() => {
        this.ticking = undefined;
        this.notifyIfIdle();
      });
      return this.ticking;
    }
    this.followUp ??= this.ticking.then(() => {
      this.followUp = undefined;
      return this.tick();
    });
    return this.followUp;
  }

  /** Recomputes when a server's lane is next due (after a settings change) and looks for due work. */
  async refresh(lane: Lane, guildId: string): Promise<void> {
    const at = await this.deps.lanes[lane].nextDue(guildId);
    await this.deps.index.set(lane, guildId, at);
    if (at !== undefined && at.getTime() <= this.deps.clock.now().getTime()) void this.tick();
  }

  /** Resolves once no tick is running or waiting and no work is queued or running. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking new work and waits for the slices that are running to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.handle !== undefined) this.deps.clock.clearInterval(this.handle);
    this.handle = undefined;
    this.queue.length = 0;
    this.queued.clear();
    await this.whenIdle();
  }

  /** Slices running now, for health and metrics. */
  get busy(): number {
    return this.running.size;
  }

  private async readDue(): Promise<void> {
    if (this.stopped) return;
    const due = await this.deps.index.due(this.deps.clock.now(), TICK_BATCH).catch((error: unknown) => {
      this.deps.logger.error('Could not read the schedule', { error });
      return [];
    });
    for (const work of due) this.enqueue(work);
    this.pump();
  }

  private enqueue(work: DueWork): void {
    const key = `${work.lane}:${work.guildId}`;
    if (this.stopped || this.queued.has(key) || this.running.has(key)) return;
    this.queued.add(key);
    this.queue.push(work);
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.deps.concurrency && this.queue.length > 0) {
      const work = this.queue.shift();
      if (!work) break;
      const key = `${work.lane}:${work.guildId}`;
      this.queued.delete(key);
      this.running.add(key);
      void this.runSlice(work).then((again) => {
        this.running.delete(key);
        if (again) this.enqueue(again);
        this.pump();
        this.notifyIfIdle();
      });
    }
  }

  /** Runs one slice; returns the work again when it is due again now (it goes to the back of the queue). */
  private async runSlice(work: DueWork): Promise<DueWork | undefined> {
    const { lane, guildId } = work;
    this.deps.telemetry?.schedulerLag(Math.max(0, this.deps.clock.now().getTime() - work.at) / 1000);
    const key = `${lane}:${guildId}`;
    const presence = lane === 'lifecycle' ? 'here' : this.deps.presence(guildId);
    try {
      if (presence === 'absent') {
        await this.deps.onAbsent(guildId);
        return undefined;
      }
      if (presence === 'unavailable') {
        await this.deps.index.set(lane, guildId, this.deps.clock.now().getTime() + UNAVAILABLE_DELAY_MS);
        return undefined;
      }
      const exclusive =
        this.deps.exclusive ?? (async <T>(_key: string, task: () => Promise<T>) => ({ ran: true as const, value: await task() }));
      const attempt = await exclusive(key, () => this.deps.lanes[lane].run(guildId));
      // Another process is on it: it stores when the lane is next due.
      if (!attempt.ran) return undefined;
      const next = attempt.value;
      this.errors.delete(key);
      await this.deps.index.set(lane, guildId, next);
      return next !== undefined && next.getTime() <= this.deps.clock.now().getTime() ? { lane, guildId, at: next.getTime() } : undefined;
    } catch (error) {
      const failures = (this.errors.get(key) ?? 0) + 1;
      this.errors.set(key, failures);
      const delay = Math.min(MAX_ERROR_DELAY_MS, ERROR_DELAY_MS * 2 ** (failures - 1));
      this.deps.logger.error('Scheduled work failed; trying again later', { lane, guildId, failures, retryInMs: delay, error });
      await this.deps.index
        .set(lane, guildId, this.deps.clock.now().getTime() + delay)
        .catch((indexError: unknown) => this.deps.logger.error('Could not reschedule', { lane, guildId, error: indexError }));
      return undefined;
    }
  }

  private isIdle(): boolean {
    return this.ticking === undefined && this.followUp === undefined && this.queue.length === 0 && this.running.size === 0;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
