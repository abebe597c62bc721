import { performance } from 'node:perf_hooks';

/**
 * How much of a server's long work (delivering a round, posting check-ins) one scheduler slice
 * does before it gives its slot to the next server in the queue. Measured in steps and in real
 * time, not the injected clock: it is about sharing the process fairly, not about the schedule.
 */
export class SliceBudget {
  private steps = 0;
  private readonly startedAt = performance.now();

  constructor(
    private readonly maxSteps = 25,
    private readonly maxMs = 5_000,
  ) {}

  /** Counts one step (a group, a check-in) against the budget. */
  step(): void {
    this.steps += 1;
  }

  get spent(): boolean {
    return this.steps >= this.maxSteps || performance.now() - this.startedAt >= this.maxMs;
  }

  /** A budget that never runs out, for work a moderator waits for. */
  static unlimited(): SliceBudget {
    return new SliceBudget(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
  }
}
