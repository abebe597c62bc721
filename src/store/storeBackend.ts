/**
 * What Keyv's get/set cannot do atomically or cheaply: a schedule sorted by time and sets of ids.
 * Each backend does it with its own primitives (a SQLite or PostgreSQL table with an index, a
 * Redis sorted set and sets) over the connection its Keyv adapter already holds, so a concurrent
 * writer never loses an update and a scheduler tick reads only what is due.
 */
export interface StoreBackend {
  readonly kind: 'sqlite' | 'redis' | 'postgres';
  /** Sets when `member` of the schedule `scope` is next due (epoch ms), or removes it with undefined. */
  setDue(scope: string, member: string, at: number | undefined): Promise<void>;
  /** The members due at or before `at`, earliest first, at most `limit`. */
  due(scope: string, at: number, limit: number): Promise<DueEntry[]>;
  /** When `member` is next due, if it is scheduled. */
  dueAt(scope: string, member: string): Promise<number | undefined>;
  addToSet(set: string, members: readonly string[]): Promise<void>;
  removeFromSet(set: string, members: readonly string[]): Promise<void>;
  setMembers(set: string): Promise<string[]>;
  deleteSet(set: string): Promise<void>;
  /**
   * Takes the lease `name` for `holder` until `now + ttlMs` if it is free, expired or already
   * theirs (then it is renewed), atomically; true when `holder` holds it afterwards. Times are the
   * caller's clock, so every process must agree on the time within a small fraction of the TTL.
   */
  acquireLease(name: string, holder: string, ttlMs: number, now: number): Promise<boolean>;
  /** Gives the lease up, only if `holder` still holds it. */
  releaseLease(name: string, holder: string): Promise<void>;
}

export interface DueEntry {
  readonly member: string;
  readonly at: number;
}

type SqlQuery = (sql: string, ...parameters: unknown[]) => Promise<unknown[]>;

/** SQLite, through @keyv/sqlite's own connection (its `query` runs one statement with `?` parameters). */
export async function sqliteBackend(query: SqlQuery): Promise<StoreBackend> {
  // Readers never wait for a writer, and several processes can share the file (each waits its turn to write).
  await query('PRAGMA journal_mode = WAL');
  await query('PRAGMA synchronous = NORMAL');
  await query(
    'CREATE TABLE IF NOT EXISTS bridges_due (scope TEXT NOT NULL, member TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (scope, member))',
  );
  await query('CREATE INDEX IF NOT EXISTS bridges_due_at ON bridges_due (scope, at)');
  await query('CREATE TABLE IF NOT EXISTS bridges_set (name TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (name, member))');
  await query('CREATE TABLE IF NOT EXISTS bridges_lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires INTEGER NOT NULL)');
  return {
    kind: 'sqlite',
    async acquireLease(name, holder, ttlMs, now) {
      const rows = await query(
        `INSERT INTO bridges_lease (name, holder, expires) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
         WHERE bridges_lease.holder = excluded.holder OR bridges_lease.expires <= ?
         RETURNING holder`,
        name,
        holder,
        Math.round(now + ttlMs),
        Math.round(now),
      );
      return rows.length === 1;
    },
    async releaseLease(name, holder) {
      await query('DELETE FROM bridges_lease WHERE name = ? AND holder = ?', name, holder);
    },
    async setDue(scope, member, at) {
      if (at === undefined) await query('DELETE FROM bridges_due WHERE scope = ? AND member = ?', scope, member);
      else
        await query(
          'INSERT INTO bridges_due (scope, member, at) VALUES (?, ?, ?) ON CONFLICT (scope, member) DO UPDATE SET at = excluded.at',
          scope,
          member,
          Math.round(at),
        );
    },
    async due(scope, at, limit) {
      const rows = await query(
        'SELECT member, at FROM bridges_due WHERE scope = ? AND at <= ? ORDER BY at, member LIMIT ?',
        scope,
        Math.round(at),
        limit,
      );
      return rows.map(dueRow);
    },
    async dueAt(scope, member) {
      const [row] = await query('SELECT member, at FROM bridges_due WHERE scope = ? AND member = ?', scope, member);
      return row === undefined ? undefined : dueRow(row).at;
    },
    async addToSet(set, members) {
      if (members.length === 0) return;
      await query('INSERT OR IGNORE INTO bridges_set (name, member) SELECT ?, value FROM json_each(?)', set, JSON.stringify(members));
    },
    async removeFromSet(set, members) {
      if (members.length === 0) return;
      await query('DELETE FROM bridges_set WHERE name = ? AND member IN (SELECT value FROM json_each(?))', set, JSON.stringify(members));
    },
    async setMembers(set) {
      const rows = await query('SELECT member FROM bridges_set WHERE name = ? ORDER BY member', set);
      return rows.map((row) => String((row as { member: unknown }).member));
    },
    async deleteSet(set) {
      await query('DELETE FROM bridges_set WHERE name = ?', set);
    },
  };
}

type PgQuery = (sql: string, values?: unknown[]) => Promise<unknown[]>;

/** PostgreSQL, through @keyv/postgres's pool. */
export async function postgresBackend(query: PgQuery): Promise<StoreBackend> {
  await query(
    'CREATE TABLE IF NOT EXISTS bridges_due (scope TEXT NOT NULL, member TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (scope, member))',
  );
  await query('CREATE INDEX IF NOT EXISTS bridges_due_at ON bridges_due (scope, at)');
  await query('CREATE TABLE IF NOT EXISTS bridges_set (name TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (name, member))');
  await query('CREATE TABLE IF NOT EXISTS bridges_lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires BIGINT NOT NULL)');
  return {
    kind: 'postgres',
    async acquireLease(name, holder, ttlMs, now) {
      const rows = await query(
        `INSERT INTO bridges_lease (name, holder, expires) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires = EXCLUDED.expires
         WHERE bridges_lease.holder = EXCLUDED.holder OR bridges_lease.expires <= $4
         RETURNING holder`,
        [name, holder, Math.round(now + ttlMs), Math.round(now)],
      );
      return rows.length === 1;
    },
    async releaseLease(name, holder) {
      await query('DELETE FROM bridges_lease WHERE name = $1 AND holder = $2', [name, holder]);
    },
    async setDue(scope, member, at) {
      if (at === undefined) await query('DELETE FROM bridges_due WHERE scope = $1 AND member = $2', [scope, member]);
      else
        await query(
          'INSERT INTO bridges_due (scope, member, at) VALUES ($1, $2, $3) ON CONFLICT (scope, member) DO UPDATE SET at = EXCLUDED.at',
          [scope, member, Math.round(at)],
        );
    },
    async due(scope, at, limit) {
      const rows = await query('SELECT member, at FROM bridges_due WHERE scope = $1 AND at <= $2 ORDER BY at, member LIMIT $3', [
        scope,
        Math.round(at),
        limit,
      ]);
      return rows.map(dueRow);
    },
    async dueAt(scope, member) {
      const [row] = await query('SELECT member, at FROM bridges_due WHERE scope = $1 AND member = $2', [scope, member]);
      return row === undefined ? undefined : dueRow(row).at;
    },
    async addToSet(set, members) {
      if (members.length === 0) return;
      await query('INSERT INTO bridges_set (name, member) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [set, [...members]]);
    },
    async removeFromSet(set, members) {
      if (members.length === 0) return;
      await query('DELETE FROM bridges_set WHERE name = $1 AND member = ANY($2::text[])', [set, [...members]]);
    },
    async setMembers(set) {
      const rows = await query('SELECT member FROM bridges_set WHERE name = $1 ORDER BY member', [set]);
      return rows.map((row) => String((row as { member: unknown }).member));
    },
    async deleteSet(set) {
      await query('DELETE FROM bridges_set WHERE name = $1', [set]);
    },
  };
}

/** The few node-redis commands the Redis backend uses. */
export interface RedisCommands {
  zAdd(key: string, member: { score: number; value: string }): Promise<unknown>;
  zRem(key: string, member: string): Promise<unknown>;
  zScore(key: string, member: string): Promise<number | null>;
  zRangeByScoreWithScores(
    key: string,
    min: number | string,
    max: number | string,
    options: { LIMIT: { offset: number; count: number } },
  ): Promise<{ value: string; score: number }[]>;
  sAdd(key: string, members: string[]): Promise<unknown>;
  sRem(key: string, members: string[]): Promise<unknown>;
  sMembers(key: string): Promise<string[]>;
  del(key: string): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** Takes or renews a lease stored as "holder|expires"; PX lets Redis drop it long after it expired. */
const ACQUIRE_LEASE = `
local current = redis.call('GET', KEYS[1])
if current then
  local holder, expires = string.match(current, '^(.*)|(%d+)$')
  if holder ~= ARGV[1] and tonumber(expires) > tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[3], 'PX', ARGV[4])
return 1`;

const RELEASE_LEASE = `
local current = redis.call('GET', KEYS[1])
if current and string.match(current, '^(.*)|%d+$') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

/** Redis: one sorted set per schedule scope, one Redis set per set, under Bridges' key prefix. */
export function redisBackend(client: RedisCommands, prefix = 'bridges'): StoreBackend {
  const dueKey = (scope: string) => `${prefix}:due:${scope}`;
  const setKey = (set: string) => `${prefix}:set:${set}`;
  const leaseKey = (name: string) => `${prefix}:lease:${name}`;
  return {
    kind: 'redis',
    async acquireLease(name, holder, ttlMs, now) {
      const expires = Math.round(now + ttlMs);
      const keep = String(Math.max(1, Math.round(ttlMs * 10)));
      const taken = await client.eval(ACQUIRE_LEASE, {
        keys: [leaseKey(name)],
        arguments: [holder, String(Math.round(now)), String(expires), keep],
      });
      return Number(taken) === 1;
    },
    async releaseLease(name, holder) {
      await client.eval(RELEASE_LEASE, { keys: [leaseKey(name)], arguments: [holder] });
    },
    async setDue(scope, member, at) {
      if (at === undefined) await client.zRem(dueKey(scope), member);
      else await client.zAdd(dueKey(scope), { score: Math.round(at), value: member });
    },
    async due(scope, at, limit) {
      const rows = await client.zRangeByScoreWithScores(dueKey(scope), '-inf', Math.round(at), { LIMIT: { offset: 0, count: limit } });
      return rows.map((row) => ({ member: row.value, at: row.score }));
    },
    async dueAt(scope, member) {
      return (await client.zScore(dueKey(scope), member)) ?? undefined;
    },
    async addToSet(set, members) {
      if (members.length > 0) await client.sAdd(setKey(set), [...members]);
    },
    async removeFromSet(set, members) {
      if (members.length > 0) await client.sRem(setKey(set), [...members]);
    },
    async setMembers(set) {
      return (await client.sMembers(setKey(set))).sort();
    },
    async deleteSet(set) {
      await client.del(setKey(set));
    },
  };
}

function dueRow(row: unknown): DueEntry {
  const { member, at } = row as { member: unknown; at: unknown };
  return { member: String(member), at: Number(at) };
}
