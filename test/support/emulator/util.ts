// Real timers captured at import time, so tests that install fake timers after importing the
// emulator do not freeze the emulator's network timeouts or interaction deadlines.
export const realSetTimeout: typeof setTimeout = globalThis.setTimeout.bind(globalThis);
export const realClearTimeout: typeof clearTimeout = globalThis.clearTimeout.bind(globalThis);
const perfNow = performance.now.bind(performance);
export const realNow = (): number => perfNow();

/** Epoch milliseconds that fake timers cannot freeze, for rate-limit headers (they model the network). */
export const realEpochNow = (): number => performance.timeOrigin + perfNow();

export const DISCORD_EPOCH = 1420070400000n;

/**
 * Snowflakes whose timestamp follows an injectable clock. Ids stay unique and increasing when the
 * clock stands still (the increment, then the next millisecond, absorbs them) or goes back.
 */
export class SnowflakeGenerator {
  private lastMs = -1n;
  private increment = 0n;

  constructor(private readonly now: () => number = Date.now) {}

  next(): string {
    let ms = BigInt(Math.floor(this.now())) - DISCORD_EPOCH;
    if (ms <= this.lastMs) {
      ms = this.lastMs;
      this.increment += 1n;
      if (this.increment > 0xfffn) {
        ms += 1n;
        this.increment = 0n;
      }
    } else {
      this.increment = 0n;
    }
    this.lastMs = ms;
    return ((ms << 22n) | (1n << 17n) | (1n << 12n) | this.increment).toString();
  }
}

export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

export function randomToken(bytes = 24): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  let out = '';
  for (let i = 0; i < bytes; i++) out += chars[Math.floor(Math.random() * chars.length)] ?? 'a';
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function sleepReal(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}
