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
}

export const DEFAULT_DATABASE_URL = 'sqlite://var/bridges.sqlite';
export const DEFAULT_DISCORD_API_URL = 'https://discord.com/api';
export const DEFAULT_DATA_RETENTION_DAYS = 30;

/** Thrown with one plain line per problem; main prints the lines and exits 1 without a stack. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

const SNOWFLAKE = /^\d{17,20}$/;

const blankAsUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const envSchema = z.object({
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
  DATA_RETENTION_DAYS: z.preprocess(
    blankAsUndefined,
    z.coerce
      .number({ error: 'DATA_RETENTION_DAYS must be a whole number of days from 0 to 3650' })
      .int('DATA_RETENTION_DAYS must be a whole number of days from 0 to 3650')
      .min(0, 'DATA_RETENTION_DAYS must be a whole number of days from 0 to 3650')
      .max(3650, 'DATA_RETENTION_DAYS must be a whole number of days from 0 to 3650')
      .default(DEFAULT_DATA_RETENTION_DAYS),
  ),
  LOG_LEVEL: z.preprocess(
    (value) => (typeof value === 'string' ? blankAsUndefined(value.toLowerCase()) : value),
    z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
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
  };
}
