import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { KeyedLock, type Locks } from '../services/keyedLock.ts';
import type { StoreBackend } from './storeBackend.ts';

export interface LeaseOptions {
  /** What the locks guard, e.g. 'guild' or 'round'; leases are named `${prefix}:${key}`. */
  readonly prefix: string;
  /** How long a lease lasts without renewal: a crashed holder's work is taken over after this. */
  readonly ttlMs: number;
  /** How long `run` waits for a lease another process holds before giving up. */
  readonly waitMs: number;
}

/** Thrown when another process held a lease for longer than a task may wait. */
export class LeaseTimeout extends Error {
  constructor(readonly lease: string) {
    super(`Another Bridges process held ${lease} for too long`);
    this.name = 'LeaseTimeout';
  }
}

/** Who holds leases in this process: the same for every lock of the process, unique per start. */
export const PROCESS_HOLDER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/**
 * Locks that hold across processes sharing a store: tasks for one key take turns in this process
 * (KeyedLock) and, through a lease in the backend, with every other process. A lease is renewed
 * while its task runs and released after; one whose holder died expires and is taken over.
 */
export class LeasedLocks implements Locks {
  private readonly local = new KeyedLock();
  private readonly held = new Set<string>();

  constructor(
    private readonly backend: StoreBackend,
    private readonly now: () => number,
    private readonly options: LeaseOptions,
    private readonly holder: string = PROCESS_HOLDER,
  ) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      const name = `${this.options.prefix}:${key}`;
      const deadline = Date.now() + this.options.waitMs;
      for (let delay = 10; !(await this.acquire(name)); delay = Math.min(delay * 2, 250)) {
        if (Date.now() >= deadline) throw new LeaseTimeout(name);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
      return this.holding(name, task);
    });
  }

  /** Runs the task only if nobody else holds the lease now; `ran: false` when another process does. */
  tryRun<T>(key: string, task: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    return this.local.run(key, async () => {
      const name = `${this.options.prefix}:${key}`;
      if (!(await this.acquire(name))) return { ran: false };
      return { ran: true, value: await this.holding(name, task) };
    });
  }

  /** Releases every lease this process holds (at shutdown, so others need not wait for them to expire). */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.held].map((name) => this.backend.releaseLease(name, this.holder).catch(() => undefined)));
  }

  private acquire(name: string): Promise<boolean> {
    return this.backend.acquireLease(name, this.holder, this.options.ttlMs, this.now());
  }

  private async holding<T>(name: string, task: () => Promise<T>): Promise<T> {
    this.held.add(name);
    const renew = setInterval(() => void this.acquire(name).catch(() => undefined), Math.max(50, this.options.ttlMs / 3));
    try {
      return await task();
    } finally {
      clearInterval(renew);
      this.held.delete(name);
      await this.backend.releaseLease(name, this.holder).catch(() => undefined);
    }
  }
}
