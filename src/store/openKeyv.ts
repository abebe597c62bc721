import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';

/**
 * Opens the one Keyv that holds all of Bridges' state. Kinds of records are told apart by key
 * prefix (see the stores in this folder) rather than separate Keyv namespaces, so the SQLite
 * default needs a single connection to its file.
 */
export async function openKeyv(databaseUrl: string, onError: (error: unknown) => void): Promise<Keyv> {
  // throwOnErrors: a failed read must not look like an empty record, or the next write would erase state.
  const keyv = new Keyv({ store: await openAdapter(databaseUrl), namespace: 'bridges', throwOnErrors: true });
  keyv.on('error', onError);
  return keyv;
}

async function openAdapter(databaseUrl: string) {
  if (databaseUrl.startsWith('sqlite://')) {
    const file = databaseUrl.slice('sqlite://'.length);
    if (file !== ':memory:') await mkdir(dirname(resolve(file)), { recursive: true });
    const { KeyvSqlite } = await import('@keyv/sqlite');
    return new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 10_000 });
  }
  if (databaseUrl.startsWith('redis://') || databaseUrl.startsWith('rediss://')) {
    const { default: KeyvRedis } = await import('@keyv/redis');
    return new KeyvRedis(databaseUrl, { throwOnConnectError: true });
  }
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) {
    const { KeyvPostgres } = await import('@keyv/postgres');
    return new KeyvPostgres({ uri: databaseUrl });
  }
  throw new Error(`Unsupported DATABASE_URL scheme: ${databaseUrl.split(':')[0] ?? ''}`);
}
