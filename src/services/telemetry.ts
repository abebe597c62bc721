/** What the services report as it happens, for metrics; the composition root decides where it goes. */
export interface Telemetry {
  promptPosted(): void;
  promptFailed(): void;
  groupsEnded(outcome: 'delivered' | 'failed' | 'cancelled', count: number): void;
  /** How late a slice of scheduled work started after it was due. */
  schedulerLag(seconds: number): void;
}

export const NO_TELEMETRY: Telemetry = {
  promptPosted: () => undefined,
  promptFailed: () => undefined,
  groupsEnded: () => undefined,
  schedulerLag: () => undefined,
};
