import { pino, type Logger as PinoLogger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { LogLevel } from './config.ts';

/** What the rest of Bridges logs through: a message for people, the context as fields. */
export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export type LogSink = (line: string) => void;

export interface LoggerOptions {
  /** json: one JSON object per line (the default off a terminal); pretty: readable lines. */
  readonly format?: 'json' | 'pretty' | undefined;
  /** Where lines go; standard error by default. Tests collect them. */
  readonly sink?: LogSink;
  /** The shard of a server, so that every line about a server says which shard served it. */
  readonly shardOf?: (guildId: string) => number | undefined;
}

/**
 * pino behind Bridges' Logger: JSON lines with `time`, `level`, `msg` and the context; errors are
 * serialized with their stack. A line that names a server (`guildId`) also carries its `shard`.
 */
export function createLogger(level: LogLevel, options: LoggerOptions | LogSink = {}): Logger {
  const { format, sink, shardOf } =
    typeof options === 'function' ? { sink: options, format: 'json' as const, shardOf: undefined } : options;
  const pretty = (format ?? (process.stderr.isTTY ? 'pretty' : 'json')) === 'pretty';
  const destination = sink ? { write: (line: string) => sink(line.trimEnd()) } : process.stderr;
  const stream = pretty
    ? pinoPretty({ destination: destination as NodeJS.WritableStream, colorize: sink === undefined && process.stderr.isTTY, sync: true })
    : destination;
  const base: PinoLogger = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: pino.stdSerializers.err },
      mixin: (fields: object) => {
        const guildId = 'guildId' in fields ? fields.guildId : undefined;
        const shard = typeof guildId === 'string' ? shardOf?.(guildId) : undefined;
        return shard === undefined ? {} : { shard };
      },
    },
    stream,
  );
  return {
    debug: (message, context) => base.debug(context ?? {}, message),
    info: (message, context) => base.info(context ?? {}, message),
    warn: (message, context) => base.warn(context ?? {}, message),
    error: (message, context) => base.error(context ?? {}, message),
  };
}
