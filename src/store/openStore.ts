import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
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
export async function openStore(
  databaseUrl: string,
  onError: (error: unknown) => void,
  observe?: (operation: string, seconds: number) => void,
): Promise<Store> {
  const opened = await openAdapter(databaseUrl);
  const adapter = observe ? timed(opened.adapter, ['get', 'getMany', 'set', 'delete', 'deleteMany'], observe) : opened.adapter;
  // throwOnErrors: a failed read must not look like an empty record, or the next write would erase state.
  const keyv = new Keyv({ store: adapter, namespace: 'bridges', throwOnErrors: true });
  keyv.on('error', onError);
  try {
    const backend = await opened.backend();
    const observed = observe
      ? timed(
          backend,
          ['setDue', 'due', 'dueAt', 'addToSet', 'removeFromSet', 'setMembers', 'deleteSet', 'acquireLease', 'releaseLease'],
          observe,
        )
      : backend;
    return { keyv, backend: observed, close: () => keyv.disconnect() };
  } catch (error) {
    await keyv.disconnect().catch(() => undefined);
    throw error;
  }
}

/** The records alone, for tools and tests that read what is stored. */
export async function openKeyv(databaseUrl: string, onError: (error: unknown) => void): Promise<Keyv> {
  return (await openStore(databaseUrl, onError)).keyv;
}

/** The object with the named methods timed; everything else passes through untouched. */
function timed<T extends object>(target: T, methods: readonly string[], observe: (operation: string, seconds: number) => void): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || !methods.includes(property)) return value;
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await (value as (...parameters: unknown[]) => Promise<unknown>).apply(object, args);
        } finally {
          observe(property, (performance.now() - started) / 1000);
        }
      };
    },
  });
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
