import type Keyv from 'keyv';
import { z } from 'zod';
import { RecordStore } from './recordStore.ts';

const registrationSchema = z.object({ fingerprint: z.string(), registeredAt: z.string() });

/** Bot-wide bookkeeping, such as which command definitions Discord already has. */
export class MetaStore {
  private readonly registrations: RecordStore<typeof registrationSchema>;

  constructor(keyv: Keyv) {
    this.registrations = new RecordStore(keyv, 'command-registration', registrationSchema);
  }

  async registeredFingerprint(scope: string): Promise<string | undefined> {
    return (await this.registrations.get(scope))?.fingerprint;
  }

  async recordRegistration(scope: string, fingerprint: string, at: Date): Promise<void> {
    await this.registrations.set(scope, { fingerprint, registeredAt: at.toISOString() });
  }
}
