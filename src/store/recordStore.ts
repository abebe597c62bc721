import type Keyv from 'keyv';
import type { z } from 'zod';

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

/**
 * Typed access to one kind of record in the shared Keyv, validated on read.
 * Records are keyed `${kind}:${id}`, which is how the stores stay apart in one table.
 */
export class RecordStore<Schema extends z.ZodType> {
  constructor(
    private readonly keyv: Keyv,
    private readonly kind: string,
    private readonly schema: Schema,
  ) {}

  async get(id: string): Promise<z.output<Schema> | undefined> {
    const key = this.key(id);
    const raw: unknown = await this.keyv.get(key);
    return raw === undefined ? undefined : this.parse(key, raw);
  }

  /** Several records in one round trip; missing ones come back undefined, in the order asked. */
  async getMany(ids: readonly string[]): Promise<(z.output<Schema> | undefined)[]> {
    if (ids.length === 0) return [];
    const keys = ids.map((id) => this.key(id));
    const raws: unknown[] = await this.keyv.getMany(keys);
    return raws.map((raw, index) => (raw === undefined ? undefined : this.parse(keys[index] ?? '', raw)));
  }

  async set(id: string, value: z.input<Schema>): Promise<void> {
    await this.keyv.set(this.key(id), this.schema.parse(value));
  }

  async delete(id: string): Promise<void> {
    await this.keyv.delete(this.key(id));
  }

  private parse(key: string, raw: unknown): z.output<Schema> {
    const parsed = this.schema.safeParse(raw);
    if (!parsed.success) {
      throw new CorruptRecordError(key, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    }
    return parsed.data;
  }

  private key(id: string): string {
    return `${this.kind}:${id}`;
  }
}
