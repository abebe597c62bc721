import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DiscordEmulator } from './support/emulator.ts';
import { commands } from '../commands/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

const tsxLoader = new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

const spawnAsync = (env: Record<string, string>) =>
  new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, join(root, 'src/main.ts')], {
      cwd: mkdtempSync(join(tmpdir(), 'bridges-main-')),
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stderr: stderr.trim() }));
  });

/**
 * Runs the real entry point the way `npm start` does, with only the given environment, from an
 * empty folder so that a developer's own .env can't leak in.
 */
function runMain(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', tsxLoader, join(root, 'src/main.ts')], {
    cwd: mkdtempSync(join(tmpdir(), 'bridges-main-')),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr.trim(), stdout: result.stdout.trim() };
}

describe('starting with bad settings', () => {
  const base = {};

  it('stops with exit code 1 and one line naming a missing DISCORD_TOKEN', () => {
    const { status, stderr } = runMain(base);
    expect(status).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^bridges: DISCORD_TOKEN is missing/);
    expect(stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('runs the bot as npm start does, answers a command, and exits 0 on SIGTERM', async () => {
    const emulator = await DiscordEmulator.start();
    const ids = emulator.seedCommunity();
    const child = spawn(process.execPath, ['--import', tsxLoader, join(root, 'src/main.ts')], {
      cwd: mkdtempSync(join(tmpdir(), 'bridges-main-')),
      env: {
        PATH: process.env.PATH ?? '',
        DISCORD_TOKEN: emulator.token,
        DISCORD_API_URL: emulator.apiBaseUrl,
        DATABASE_URL: `sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-main-db-')), 'state.sqlite')}`,
        LOG_LEVEL: 'warn',
      },
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await emulator.waitFor(() => emulator.registeredCommands().length === commands.length, { timeoutMs: 15_000 });
      const reply = await emulator.runCommand({ channelId: ids.channels.general, userId: ids.users.member, name: 'themes' });
      expect(reply.embeds).toHaveLength(1);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await emulator.stop();
    }
  });

  it('stops with one line when Discord rejects the token', async () => {
    const emulator = await DiscordEmulator.start();
    try {
      const { status, stderr } = await spawnAsync({
        DISCORD_TOKEN: 'wrong-token',
        DISCORD_API_URL: emulator.apiBaseUrl,
        DATABASE_URL: `sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-main-db-')), 'state.sqlite')}`,
      });
      expect(status).toBe(1);
      expect(stderr).toBe('bridges: could not start: DISCORD_TOKEN was rejected by Discord (401 Unauthorized)');
    } finally {
      await emulator.stop();
    }
  });

  it('names a malformed DATABASE_URL without a stack trace', () => {
    const { status, stderr } = runMain({ ...base, DISCORD_TOKEN: 'x', DATABASE_URL: 'mongodb://nope' });
    expect(status).toBe(1);
    expect(stderr).toBe('bridges: DATABASE_URL must start with sqlite://, redis://, rediss:// or postgres://');
  });
});
