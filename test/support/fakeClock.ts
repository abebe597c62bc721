import type { Clock } from '../../src/services/clock.ts';

interface Interval {
  readonly callback: () => void;
  readonly ms: number;
  next: number;
}

/**
 * A clock that only moves when told. Intervals fire once per move that passes their due time
 * (a jump of a day is one wake-up, not 4,320), which is all a poll-driven scheduler needs.
 */
export class FakeClock implements Clock {
  private current: number;
  private readonly intervals = new Map<number, Interval>();
  private nextId = 1;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  setInterval(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.intervals.set(id, { callback, ms, next: this.current + ms });
    return id;
  }

  clearInterval(handle: unknown): void {
    if (typeof handle === 'number') this.intervals.delete(handle);
  }

  /** Moves to `to` (never backwards) and wakes every interval that came due on the way. */
  set(to: Date | string): void {
    const target = new Date(to).getTime();
    if (target < this.current)
      throw new Error(`FakeClock cannot go back from ${this.now().toISOString()} to ${new Date(target).toISOString()}`);
    this.current = target;
    for (const interval of this.intervals.values()) {
      if (interval.next <= target) {
        interval.next = target + interval.ms;
        interval.callback();
      }
    }
  }

  advance(ms: number): void {
    this.set(new Date(this.current + ms));
  }
}
