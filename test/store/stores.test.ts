import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { GuildConfigStore } from '../../src/store/guildConfigStore.ts';
import { openKeyv } from '../../src/store/openStore.ts';
import { PromptLogStore } from '../../src/store/promptLogStore.ts';
import { CorruptRecordError, STORE_FORMAT } from '../../src/store/recordStore.ts';

const opened: Keyv[] = [];

async function open(url: string): Promise<Keyv> {
  const keyv = await openKeyv(url, () => undefined);
  opened.push(keyv);
  return keyv;
}

function sqliteUrl(): string {
  return `sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-store-')), 'nested', 'state.sqlite')}`;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((keyv) => keyv.disconnect()));
});

describe('stores on SQLite', () => {
  it('creates the folder of the database file and keeps records across reopening', async () => {
    const url = sqliteUrl();
    const configs = new GuildConfigStore(await open(url));
    await configs.update('g1', (config) => ({ ...config, welcomedAt: '2026-01-01T00:00:00.000Z' }));

    const reopened = new GuildConfigStore(await open(url));
    expect(await reopened.get('g1')).toEqual({ welcomedAt: '2026-01-01T00:00:00.000Z' });
    expect(await reopened.get('g2')).toEqual({});
  });

  it('keeps each kind of record apart', async () => {
    const keyv = await open(sqliteUrl());
    await new GuildConfigStore(keyv).update('same-id', () => ({ welcomedAt: 'x' }));
    const log = await new PromptLogStore(keyv).get('same-id');
    expect(log.posts).toEqual([]);
  });

  it('refuses to read a record that does not match its schema instead of treating it as empty', async () => {
    const keyv = await open(sqliteUrl());
    await keyv.set('guild-config:g1', { prompts: { enabled: 'yes' } });
    await expect(new GuildConfigStore(keyv).get('g1')).rejects.toBeInstanceOf(CorruptRecordError);
  });

  it('writes records with their format version and reads a format-1 record through its upgrade', async () => {
    const keyv = await open(sqliteUrl());
    await new GuildConfigStore(keyv).update('g1', () => ({ welcomedAt: 'x' }));
    expect(await keyv.get('guild-config:g1')).toEqual({ v: STORE_FORMAT, data: { welcomedAt: 'x' } });
    const legacyPost = { kind: 'daily', date: '2026-01-01', themeId: 't', promptId: 'p', channelId: 'c', nonce: 'n', claimedAt: 'x' };
    await keyv.set('prompt-log:g1', {
      rotation: { themeUseCounts: {}, usedPromptIds: {} },
      posts: [{ ...legacyPost, status: 'failed', withThread: true, failure: 'the prompt channel is gone' }],
    });
    const [post] = (await new PromptLogStore(keyv).get('g1')).posts;
    expect(post).toMatchObject({ status: 'failed', attempts: 0, failure: { kind: 'channel-gone', step: 'post' } });
  });

  it('keeps only the newest posts in the prompt log', async () => {
    const store = new PromptLogStore(await open(sqliteUrl()));
    const posts = Array.from({ length: 30 }, (_, index) => ({
      kind: 'daily' as const,
      date: `2026-01-${String(index + 1).padStart(2, '0')}`,
      themeId: 'self-reflection',
      promptId: `self-reflection-${index}`,
      channelId: 'c',
      nonce: `n${index}`,
      claimedAt: new Date(0).toISOString(),
      status: 'posted' as const,
      withThread: false,
      attempts: 0,
    }));
    await store.set('g', { rotation: { themeUseCounts: {}, usedPromptIds: {} }, posts });
    const kept = (await store.get('g')).posts;
    expect(kept).toHaveLength(20);
    expect(kept[0]?.nonce).toBe('n0');
  });
});
