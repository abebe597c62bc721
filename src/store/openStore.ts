import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';
import { postgresBackend, redisBackend, sqliteBackend, type RedisCommands, type StoreBackend } from './storeBackend.ts';

/** All of Bridges' state: records in Keyv, schedules and sets in the same database's own structures. */
export interface Store {
  readonly keyv: Keyv;
  readonly backend: StoreBackend;
  close(): Promise<void>;
}

/**
 * Opens the one Keyv that holds all of Bridges' records, and the backend beside it on the same
 * connection. Kinds of records are told apart by key prefix (see the stores in this folder) rather
 * than separate Keyv namespaces, so the SQLite default needs a single connection to its file.
 */
export async function openStore(databaseUrl: string, onError: (error: unknown) => void): Promise<Store> {
  const { adapter, backend } = await openAdapter(databaseUrl);
  // throwOnErrors: a failed read must not look like an empty record, or the next write would erase state.
  const keyv = new Keyv({ store: adapter, namespace: 'bridges', throwOnErrors: true });
  keyv.on('error', onError);
  try {
    return { keyv, backend: await backend(), close: () => keyv.disconnect() };
  } catch (error) {
    await keyv.disconnect().catch(() => undefined);
    throw error;
  }
}

/** The records alone, for tools and tests that read what is stored. */
export async function openKeyv(databaseUrl: string, onError: (error: unknown) => void): Promise<Keyv> {
  return (await openStore(databaseUrl, onError)).keyv;
}

async function openAdapter(databaseUrl: string) {
  if (databaseUrl.startsWith('sqlite://')) {
    const file = databaseUrl.slice('sqlite://'.length);
    if (file !== ':memory:') await mkdir(dirname(resolve(file)), { recursive: true });
    const { KeyvSqlite } = await import('@keyv/sqlite');
    const adapter = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 10_000 });
    return { adapter, backend: () => sqliteBackend((sql, ...parameters) => adapter.query(sql, ...parameters) as Promise<unknown[]>) };
  }
  if (databaseUrl.startsWith('redis://') || databaseUrl.startsWith('rediss://')) {
    const { default: KeyvRedis } = await import('@keyv/redis');
    const adapter = new KeyvRedis(databaseUrl, { throwOnConnectError: true });
    return { adapter, backend: async () => redisBackend((await adapter.getClient()) as unknown as RedisCommands) };
  }
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) {
    const { KeyvPostgres } = await import('@keyv/postgres');
    const adapter = new KeyvPostgres({ uri: databaseUrl });
    return { adapter, backend: () => postgresBackend((sql, values) => adapter.query(sql, values) as Promise<unknown[]>) };
  }
  throw new Error(`Unsupported DATABASE_URL scheme: ${databaseUrl.split(':')[0] ?? ''}`);
}
