import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./botProcess.ts', import.meta.url));
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

export interface BotProcess {
  readonly child: ChildProcess;
  readonly shards: { count: number; ids: number[] };
  readonly guilds: string[];
  /** What the process wrote to standard error (its logs). */
  readonly logs: string[];
  /** Moves the process's clock and waits until its scheduler is idle. */
  tickAt(at: string): Promise<void>;
  /** SIGTERM, as a supervisor stops it: resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash: nothing is finished or released. */
  kill(): Promise<void>;
}

/** Starts a bot process with these settings (DISCORD_TOKEN, DATABASE_URL, …) and its clock at `clock`. */
export async function startBotProcess(env: Record<string, string>, clock: string): Promise<BotProcess> {
  const child = fork(ENTRY, [], {
    execArgv: ['--import', TSX],
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', ...env, BRIDGES_TEST_CLOCK: clock },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const logs: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) =>
    logs.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((line) => line !== ''),
    ),
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<{ shards: { count: number; ids: number[] }; guilds: string[] }>((resolve, reject) => {
    child.on('message', (message: { type: string; shards?: { count: number; ids: number[] }; guilds?: string[] }) => {
      if (message.type === 'ready') resolve({ shards: message.shards ?? { count: 1, ids: [0] }, guilds: message.guilds ?? [] });
    });
    void exited.then((code) => reject(new Error(`The bot process exited (${code}) before it was ready:\n${logs.join('\n')}`)));
  });
  return {
    child,
    ...ready,
    logs,
    tickAt: (at) =>
      new Promise((resolve) => {
        const onMessage = (message: { type: string; at?: string }) => {
          if (message.type !== 'idle' || message.at !== at) return;
          child.off('message', onMessage);
          resolve();
        };
        child.on('message', onMessage);
        child.send({ type: 'clock', at });
      }),
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
