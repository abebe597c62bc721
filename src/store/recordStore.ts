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
    if (raw === undefined) return undefined;
    const parsed = this.schema.safeParse(raw);
    if (!parsed.success)
      throw new CorruptRecordError(key, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    return parsed.data;
  }

  async set(id: string, value: z.input<Schema>): Promise<void> {
    await this.keyv.set(this.key(id), this.schema.parse(value));
  }

  async delete(id: string): Promise<void> {
    await this.keyv.delete(this.key(id));
  }

  private key(id: string): string {
    return `${this.kind}:${id}`;
  }
}
