import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATABASE_URL, DEFAULT_DISCORD_API_URL, loadConfig } from '../src/config.ts';

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills defaults when only the token is given', () => {
    expect(loadConfig({ DISCORD_TOKEN: 'abc.def.ghi' })).toEqual({
      discordToken: 'abc.def.ghi',
      discordApiUrl: DEFAULT_DISCORD_API_URL,
      discordGuildId: undefined,
      databaseUrl: DEFAULT_DATABASE_URL,
      logLevel: 'info',
      dataRetentionDays: 30,
      shardCount: undefined,
      shardIds: undefined,
      metricsPort: undefined,
      logFormat: undefined,
      leaseSeconds: 30,
    });
  });

  it('reads the shards a process runs, and names what is wrong with them', () => {
    expect(loadConfig({ DISCORD_TOKEN: 't', SHARD_COUNT: '4', SHARD_IDS: '1, 3' })).toMatchObject({ shardCount: 4, shardIds: [1, 3] });
    expect(() => loadConfig({ DISCORD_TOKEN: 't', SHARD_IDS: '1' })).toThrow('SHARD_IDS needs SHARD_COUNT');
    expect(() => loadConfig({ DISCORD_TOKEN: 't', SHARD_COUNT: '2', SHARD_IDS: '2' })).toThrow('SHARD_IDS must be below SHARD_COUNT (2)');
    expect(() => loadConfig({ DISCORD_TOKEN: 't', SHARD_COUNT: '2', SHARD_IDS: 'one' })).toThrow(
      'SHARD_IDS must be shard numbers separated by commas',
    );
    expect(() => loadConfig({ DISCORD_TOKEN: 't', SHARD_COUNT: '0' })).toThrow('SHARD_COUNT must be a whole number from 1 to 65535');
  });

  it('reads the metrics port and the log format', () => {
    expect(loadConfig({ DISCORD_TOKEN: 't', METRICS_PORT: '9464', LOG_FORMAT: 'Pretty' })).toMatchObject({
      metricsPort: 9464,
      logFormat: 'pretty',
    });
    expect(() => loadConfig({ DISCORD_TOKEN: 't', METRICS_PORT: '70000' })).toThrow('METRICS_PORT must be a whole number from 1 to 65535');
    expect(() => loadConfig({ DISCORD_TOKEN: 't', LOG_FORMAT: 'xml' })).toThrow('LOG_FORMAT must be json or pretty');
  });

  it.each(['-1', '1.5', 'forever', '4000'])('names DATA_RETENTION_DAYS when it is %s', (value) => {
    expect(() => loadConfig({ DISCORD_TOKEN: 't', DATA_RETENTION_DAYS: value })).toThrow(
      'DATA_RETENTION_DAYS must be a whole number of days from 0 to 3650',
    );
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({ DISCORD_TOKEN: 't', DISCORD_GUILD_ID: '', DATABASE_URL: ' ', LOG_LEVEL: '' });
    expect(config.discordGuildId).toBeUndefined();
    expect(config.databaseUrl).toBe(DEFAULT_DATABASE_URL);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DISCORD_TOKEN: 't',
      DISCORD_API_URL: 'http://127.0.0.1:4000/api/',
      DISCORD_GUILD_ID: '123456789012345678',
      DATABASE_URL: 'redis://localhost:6379',
      LOG_LEVEL: 'DEBUG',
    });
    expect(config).toMatchObject({
      discordApiUrl: 'http://127.0.0.1:4000/api',
      discordGuildId: '123456789012345678',
      databaseUrl: 'redis://localhost:6379',
      logLevel: 'debug',
    });
  });

  it.each([
    [{}, 'DISCORD_TOKEN is missing'],
    [{ DISCORD_TOKEN: 'Bot abc' }, 'DISCORD_TOKEN must not contain spaces'],
    [{ DISCORD_TOKEN: 't', DISCORD_API_URL: 'discord.com' }, 'DISCORD_API_URL must be an http(s) URL'],
    [{ DISCORD_TOKEN: 't', DISCORD_GUILD_ID: 'my-server' }, 'DISCORD_GUILD_ID must be a server id'],
    [{ DISCORD_TOKEN: 't', DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with sqlite://'],
    [{ DISCORD_TOKEN: 't', LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of debug, info, warn, error'],
  ])('refuses %j with a line naming the variable', (env, expected) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it('reports every bad variable at once', () => {
    expect(problemsOf({ LOG_LEVEL: 'loud', DATABASE_URL: 'ftp://x' })).toHaveLength(3);
  });
});
