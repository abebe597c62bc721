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

  /** Runs the jobs once; a tick that is already running is joined rather than doubled. */
  tick(): Promise<void> {
    this.running ??= this.runJobs().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.handle !== undefined) this.clock.clearInterval(this.handle);
    this.handle = undefined;
    await this.running;
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
