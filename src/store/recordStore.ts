import type Keyv from 'keyv';
import type { z } from 'zod';

/**
 * The format every record is written in. Records written before versions existed (format 1) hold
 * the bare value; since format 2 a record is `{ v, data }`; format 3 stores profile languages and
 * regions as codes. Start-up migrates older records (src/store/migrateStore.ts), and a store reads
 * an older record through its upgrade meanwhile.
 */
export const STORE_FORMAT = 3;

/** A stored record that no longer matches its schema: refuse to act on it rather than overwrite it. */
export class CorruptRecordError extends Error {
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`Stored record ${key} is not valid: ${detail}`);
    this.name = 'CorruptRecordError';
  }
}

/** Turns a record of an older format into the current one (before validation). */
export type RecordUpgrade = (raw: unknown, fromVersion: number) => unknown;

/** Keyv's getMany sends every key in one statement; batches keep statements and replies bounded. */
const GET_MANY_BATCH = 500;

/**
 * Typed access to one kind of record in the shared Keyv, validated on read.
 * Records are keyed `${kind}:${id}`, which is how the stores stay apart in one table.
 */
export class RecordStore<Schema extends z.ZodType> {
  constructor(
    private readonly keyv: Keyv,
    private readonly kind: string,
    private readonly schema: Schema,
    private readonly upgrade: RecordUpgrade = (raw) => raw,
  ) {}

  async get(id: string): Promise<z.output<Schema> | undefined> {
    const key = this.key(id);
    const raw: unknown = await this.keyv.get(key);
    return raw === undefined ? undefined : this.parse(key, raw);
  }

  /** Several records in few round trips; missing ones come back undefined, in the order asked. */
  async getMany(ids: readonly string[]): Promise<(z.output<Schema> | undefined)[]> {
    const results: (z.output<Schema> | undefined)[] = [];
    for (let start = 0; start < ids.length; start += GET_MANY_BATCH) {
      const keys = ids.slice(start, start + GET_MANY_BATCH).map((id) => this.key(id));
      const raws: unknown[] = await this.keyv.getMany(keys);
      raws.forEach((raw, index) => results.push(raw === undefined ? undefined : this.parse(keys[index] ?? '', raw)));
    }
    return results;
  }

  async set(id: string, value: z.input<Schema>): Promise<void> {
    await this.keyv.set(this.key(id), { v: STORE_FORMAT, data: this.schema.parse(value) });
  }

  async delete(id: string): Promise<void> {
    await this.keyv.delete(this.key(id));
  }

  async deleteMany(ids: readonly string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += GET_MANY_BATCH) {
      await this.keyv.deleteMany(ids.slice(start, start + GET_MANY_BATCH).map((id) => this.key(id)));
    }
  }

  /** The key under which a record of this kind with this id is stored. */
  key(id: string): string {
    return `${this.kind}:${id}`;
  }

  private parse(key: string, raw: unknown): z.output<Schema> {
    const { version, data } = unwrap(raw);
    const parsed = this.schema.safeParse(version < STORE_FORMAT ? this.upgrade(data, version) : data);
    if (!parsed.success) {
      throw new CorruptRecordError(key, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    }
    return parsed.data;
  }
}

/** The format and the value of a stored record; a bare value is format 1. */
export function unwrap(raw: unknown): { version: number; data: unknown } {
  if (typeof raw === 'object' && raw !== null && 'v' in raw && 'data' in raw && typeof raw.v === 'number') {
    return { version: raw.v, data: raw.data };
  }
  return { version: 1, data: raw };
}
