import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordEmulator } from './support/emulator.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsxLoader = new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

let emulator: DiscordEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
});

/** `npm run deploy-commands`, as a separate process against the emulator. */
function deploy(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, join(root, 'src/deployCommands.ts')], {
      cwd: mkdtempSync(join(tmpdir(), 'bridges-deploy-')),
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
  });
}

describe('npm run deploy-commands', () => {
  it('registers every command with one bulk overwrite', async () => {
    emulator = await DiscordEmulator.start();
    const result = await deploy({
      DISCORD_TOKEN: emulator.token,
      DISCORD_API_URL: emulator.apiBaseUrl,
      DATABASE_URL: `sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-deploy-db-')), 'state.sqlite')}`,
    });
    expect(result).toMatchObject({ code: 0, stdout: 'Registered 7 commands globally.' });
    expect(emulator.registeredCommands().map((command) => command.name)).toEqual([
      'themes',
      'prompt',
      'setup',
      'host',
      'exchange',
      'suggest',
      'prompts',
    ]);
    expect(emulator.requests.filter((request) => request.method === 'PUT')).toHaveLength(1);
  });

  it('says plainly when Discord rejects the token', async () => {
    emulator = await DiscordEmulator.start();
    const result = await deploy({ DISCORD_TOKEN: 'not-the-token', DISCORD_API_URL: emulator.apiBaseUrl });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^bridges: could not register commands: /);
  });
});
