import type { Logger } from '../logger.ts';
import type { Clock } from './clock.ts';

export type ScheduledJob = { readonly name: string; run(): Promise<void> };

/**
 * Wakes every `intervalMs` and runs each job; jobs decide from the clock and the store whether
 * anything is due, so a missed wake-up or a restart never loses or doubles work.
 */
export class Scheduler {
  private handle: unknown;
  private running: Promise<void> | undefined;
  private followUp: Promise<void> | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly jobs: readonly ScheduledJob[],
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.handle !== undefined) return;
    this.handle = this.clock.setInterval(() => void this.tick(), this.intervalMs);
    void this.tick();
  }

  /**
   * Runs the jobs once. A tick asked for while one is running runs right after it, since the running
   * one may have read the state before the change that prompted the call; calls made meanwhile share
   * that one follow-up, so ticks never overlap or pile up.
   */
  tick(): Promise<void> {
    if (this.running === undefined) {
      this.running = this.runJobs().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.followUp ??= this.running.then(() => {
      this.followUp = undefined;
      return this.tick();
    });
    return this.followUp;
  }

  /** Resolves once no tick is running or waiting to run. */
  async whenIdle(): Promise<void> {
    while (this.running !== undefined || this.followUp !== undefined) await (this.followUp ?? this.running);
  }

  async stop(): Promise<void> {
    if (this.handle !== undefined) this.clock.clearInterval(this.handle);
    this.handle = undefined;
    await this.whenIdle();
  }

  private async runJobs(): Promise<void> {
    for (const job of this.jobs) {
      try {
        await job.run();
      } catch (error) {
        this.logger.error('Scheduled job failed', { job: job.name, error });
      }
    }
  }
}
