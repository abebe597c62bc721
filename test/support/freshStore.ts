import { createClient } from '@redis/client';
import pg from 'pg';

/**
 * A Redis database or PostgreSQL database of its own, emptied, for one test file: the servers CI
 * starts are shared by every test file running in parallel, and the emulator's ids repeat from run
 * to run (they follow the test's clock), so each file needs a store nobody else writes to.
 */
export async function freshStoreUrl(baseUrl: string, name: string, redisDatabase: number): Promise<string> {
  if (baseUrl.startsWith('redis')) {
    const url = new URL(baseUrl);
    url.pathname = `/${redisDatabase}`;
    const client = createClient({ url: url.toString() });
    await client.connect();
    await client.flushDb();
    await client.quit();
    return url.toString();
  }
  const url = new URL(baseUrl);
  const database = `bridges_test_${name.replace(/\W+/g, '_').toLowerCase()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${database}`;
  return url.toString();
}
