import { z } from 'zod';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface BridgesConfig {
  readonly discordToken: string;
  readonly discordApiUrl: string;
  /** When set, commands are registered to this one server (instant) instead of globally. */
  readonly discordGuildId: string | undefined;
  readonly databaseUrl: string;
  readonly logLevel: LogLevel;
  /** Days a removed server's data is kept before it is deleted. */
  readonly dataRetentionDays: number;
  /** Total shards, when chosen by hand; undefined lets Discord recommend (or the sharding manager decide). */
  readonly shardCount: number | undefined;
  /** The shards this process runs; undefined runs them all (or what the sharding manager gives it). */
  readonly shardIds: readonly number[] | undefined;
  /** Port of /healthz and /metrics; undefined serves neither. */
  readonly metricsPort: number | undefined;
  /** json: one JSON object per line; pretty: readable lines. Default: pretty on a terminal, else json. */
  readonly logFormat: 'json' | 'pretty' | undefined;
  /** How long a lease on a server's work lasts without renewal: the time another process waits to take over a crashed one's work. */
  readonly leaseSeconds: number;
}

export const DEFAULT_DATABASE_URL = 'sqlite://var/bridges.sqlite';
export const DEFAULT_DISCORD_API_URL = 'https://discord.com/api';
export const DEFAULT_DATA_RETENTION_DAYS = 30;
export const DEFAULT_LEASE_SECONDS = 30;

const wholeNumber = (name: string, min: number, max: number, unit?: string) => {
  const message = `${name} must be a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
};
const optionalWholeNumber = (name: string, min: number, max: number) =>
  z.preprocess(blankAsUndefined, wholeNumber(name, min, max).optional());
const wholeNumberOr = (fallback: number, name: string, min: number, max: number, unit?: string) =>
  z.preprocess(blankAsUndefined, wholeNumber(name, min, max, unit).default(fallback));

/** Thrown with one plain line per problem; main prints the lines and exits 1 without a stack. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

const SNOWFLAKE = /^\d{17,20}$/;

const blankAsUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const envSchema = z
  .object({
    DISCORD_TOKEN: z.preprocess(
      blankAsUndefined,
      z
        .string({ error: 'DISCORD_TOKEN is missing: set it to your bot token from the Discord developer portal (see .env.example)' })
        .refine((token) => !/\s/.test(token), 'DISCORD_TOKEN must not contain spaces: paste the token alone, without "Bot "'),
    ),
    DISCORD_API_URL: z.preprocess(
      blankAsUndefined,
      z
        .url({
          protocol: /^https?$/,
          error: 'DISCORD_API_URL must be an http(s) URL such as https://discord.com/api',
        })
        .default(DEFAULT_DISCORD_API_URL),
    ),
    DISCORD_GUILD_ID: z.preprocess(
      blankAsUndefined,
      z
        .string()
        .regex(SNOWFLAKE, 'DISCORD_GUILD_ID must be a server id (17 to 20 digits); leave it empty to register commands globally')
        .optional(),
    ),
    DATABASE_URL: z.preprocess(
      blankAsUndefined,
      z
        .string()
        .refine(
          (url) => /^sqlite:\/\/.+/.test(url) || /^rediss?:\/\/.+/.test(url) || /^postgres(ql)?:\/\/.+/.test(url),
          'DATABASE_URL must start with sqlite://, redis://, rediss:// or postgres://',
        )
        .default(DEFAULT_DATABASE_URL),
    ),
    DATA_RETENTION_DAYS: wholeNumberOr(DEFAULT_DATA_RETENTION_DAYS, 'DATA_RETENTION_DAYS', 0, 3650, 'days'),
    SHARD_COUNT: optionalWholeNumber('SHARD_COUNT', 1, 65_535),
    SHARD_IDS: z.preprocess(
      blankAsUndefined,
      z
        .string()
        .regex(/^\s*\d+\s*(,\s*\d+\s*)*$/, 'SHARD_IDS must be shard numbers separated by commas, such as 0,1,2')
        .transform((text) => text.split(',').map((part) => Number(part.trim())))
        .optional(),
    ),
    METRICS_PORT: optionalWholeNumber('METRICS_PORT', 1, 65_535),
    LOG_FORMAT: z.preprocess(
      (value) => (typeof value === 'string' ? blankAsUndefined(value.toLowerCase()) : value),
      z.enum(['json', 'pretty'], { error: 'LOG_FORMAT must be json or pretty' }).optional(),
    ),
    LEASE_SECONDS: wholeNumberOr(DEFAULT_LEASE_SECONDS, 'LEASE_SECONDS', 1, 3_600),
    LOG_LEVEL: z.preprocess(
      (value) => (typeof value === 'string' ? blankAsUndefined(value.toLowerCase()) : value),
      z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    ),
  })
  .superRefine((env, context) => {
    if (!Array.isArray(env.SHARD_IDS)) return;
    if (env.SHARD_COUNT === undefined)
      context.addIssue({ code: 'custom', message: 'SHARD_IDS needs SHARD_COUNT: set the total number of shards too' });
    else if (env.SHARD_IDS.some((id) => id >= (env.SHARD_COUNT ?? 0))) {
      context.addIssue({ code: 'custom', message: `SHARD_IDS must be below SHARD_COUNT (${env.SHARD_COUNT}): shards are numbered from 0` });
    }
  });

/** Parses the environment once into typed settings, or throws ConfigError naming each bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): BridgesConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  }
  const value = parsed.data;
  return {
    discordToken: value.DISCORD_TOKEN,
    discordApiUrl: value.DISCORD_API_URL.replace(/\/+$/, ''),
    discordGuildId: value.DISCORD_GUILD_ID,
    databaseUrl: value.DATABASE_URL,
    logLevel: value.LOG_LEVEL,
    dataRetentionDays: value.DATA_RETENTION_DAYS,
    shardCount: value.SHARD_COUNT,
    shardIds: value.SHARD_IDS,
    metricsPort: value.METRICS_PORT,
    logFormat: value.LOG_FORMAT,
    leaseSeconds: value.LEASE_SECONDS,
  };
}

/** For an entry point: the configuration, or one plain line per bad setting and exit code 1. */
export function loadConfigOrExit(env: Readonly<Record<string, string | undefined>>): BridgesConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(`bridges: ${problem}`);
    process.exit(1);
  }
}
