import type { LogLevel } from './config.ts';

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (line: string) => void;

/** One line per event: time, level, message, then context as JSON, so logs stay greppable. */
export function createLogger(level: LogLevel, sink: LogSink = (line) => process.stderr.write(`${line}\n`)): Logger {
  const write = (at: LogLevel, message: string, context?: Record<string, unknown>): void => {
    if (RANK[at] < RANK[level]) return;
    const details = context === undefined ? '' : ` ${JSON.stringify(context, errorReplacer)}`;
    sink(`${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} ${message}${details}`);
  };
  return {
    debug: (message, context) => write('debug', message, context),
    info: (message, context) => write('info', message, context),
    warn: (message, context) => write('warn', message, context),
    error: (message, context) => write('error', message, context),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'bigint') return value.toString();
  return value;
}
