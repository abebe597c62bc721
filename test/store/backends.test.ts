import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GuildConfigStore } from '../../src/store/guildConfigStore.ts';
import { MemberStore, EMPTY_PROFILE } from '../../src/store/memberStore.ts';
import { openKeyv } from '../../src/store/openKeyv.ts';
import { CorruptRecordError } from '../../src/store/recordStore.ts';
import { createRig } from '../e2e/rig.ts';

/**
 * The same behaviour on every backend Bridges supports. SQLite always runs; Redis and PostgreSQL
 * run where their servers are given (`.ci/run` starts both and sets these variables).
 */
const backends: { name: string; url: string | undefined }[] = [
  { name: 'SQLite', url: `sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-backend-')), 'state.sqlite')}` },
  { name: 'Redis', url: process.env.BRIDGES_TEST_REDIS_URL },
  { name: 'PostgreSQL', url: process.env.BRIDGES_TEST_POSTGRES_URL },
];

for (const { name, url } of backends) {
  describe.runIf(url !== undefined)(`state on ${name}`, () => {
    // One connection at a time, as in the bot: @keyv/postgres shares one pool per process.
    const open = () => openKeyv(url ?? '', () => undefined);

    it('keeps configuration and the member index across a reconnect', async () => {
      const guildId = randomUUID();
      const first = await open();
      await new GuildConfigStore(first).update(guildId, () => ({ welcomedAt: '2026-01-01T00:00:00.000Z' }));
      const members = new MemberStore(first);
      const record = { optedIn: true, profile: EMPTY_PROFILE, missedFollowUps: 0, updatedAt: '2026-01-01T00:00:00.000Z' };
      await members.set(guildId, 'u1', record);
      await members.set(guildId, 'u2', record);
      await members.delete(guildId, 'u1');
      await first.disconnect();

      const second = await open();
      expect(await new GuildConfigStore(second).get(guildId)).toEqual({ welcomedAt: '2026-01-01T00:00:00.000Z' });
      expect((await new MemberStore(second).list(guildId)).map((entry) => entry.userId)).toEqual(['u2']);
      await second.disconnect();
    });

    it('refuses a record that does not match its schema', async () => {
      const keyv = await open();
      const guildId = randomUUID();
      await keyv.set(`guild-config:${guildId}`, { prompts: 'on' });
      await expect(new GuildConfigStore(keyv).get(guildId)).rejects.toBeInstanceOf(CorruptRecordError);
      await keyv.disconnect();
    });

    it('runs the bot: a daily prompt is posted once across a restart', async () => {
      const rig = await createRig('2026-01-15T06:00:00Z');
      try {
        await rig.startBot({ DATABASE_URL: url ?? '' });
        const setup = await rig.emulator.runCommand({
          channelId: rig.ids.channels.general,
          userId: rig.ids.users.moderator,
          name: 'setup',
          subcommand: 'prompts',
          options: { channel: rig.ids.channels.dailyPrompts, time: '09:00', timezone: 'Europe/Berlin' },
        });
        expect(setup.content).toContain('Daily prompts are on');
        await rig.tickAt('2026-01-15T08:00:00Z');
        await rig.stopBot();
        await rig.startBot({ DATABASE_URL: url ?? '' });
        await rig.tickAt('2026-01-15T09:00:00Z');
        const posts = rig.emulator.messages(rig.ids.channels.dailyPrompts).filter((message) => message.authorId === rig.emulator.botUserId);
        expect(posts).toHaveLength(1);
      } finally {
        await rig.close();
      }
    });
  });
}
