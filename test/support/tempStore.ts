import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/openStore.ts';

/** A real SQLite store in a fresh temporary folder; close it after the test. */
export async function tempStore(prefix = 'bridges-test-'): Promise<Store & { url: string }> {
  const url = `sqlite://${join(mkdtempSync(join(tmpdir(), prefix)), 'state.sqlite')}`;
  return { ...(await openStore(url, () => undefined)), url };
}
