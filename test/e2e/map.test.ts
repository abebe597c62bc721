import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InteractionResult } from '../support/emulator.ts';
import { createRig, type Rig } from './rig.ts';

let rig: Rig;

// Monday 2026-01-12, 08:00 UTC.
beforeEach(async () => {
  rig = await createRig('2026-01-12T08:00:00Z');
  await rig.startBot();
});

afterEach(async () => {
  await rig.close();
});

function command(userId: string, name: string, subcommand: string, options: Record<string, string | number | boolean> = {}) {
  return rig.emulator.runCommand({ channelId: rig.ids.channels.general, userId, name, subcommand, options });
}
const asModerator = (name: string, subcommand: string, options: Record<string, string | number | boolean> = {}) =>
  command(rig.ids.users.moderator, name, subcommand, options);

function description(result: InteractionResult, index = 0): string {
  return (result.embeds[index] as { description?: string } | undefined)?.description ?? '';
}

/** Three members from Japan and three from Brazil join; the matcher pairs across cultures. */
async function joinedMembers(): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, culture] of ['Japan', 'Japan', 'Japan', 'Brazil', 'Brazil', 'Brazil'].entries()) {
    const userId = rig.emulator.createUser({ username: `member${i}` });
    rig.emulator.addMember(rig.ids.guildId, userId);
    await command(userId, 'exchange', 'profile', { languages: 'English', cultures: culture });
    expect((await command(userId, 'exchange', 'join')).content).toContain("You're in the exchange");
    ids.push(userId);
  }
  return ids;
}

async function roundRun(): Promise<string[]> {
  const members = await joinedMembers();
  await asModerator('setup', 'pairing', {
    channel: rig.ids.channels.general,
    frequency: 'weekly',
    weekday: 'monday',
    time: '18:00',
    timezone: 'UTC',
    group_size: 2,
  });
  const started = await asModerator('host', 'start-round');
  expect(started.content).toContain('3 conversations started for 6 members');
  return members;
}

describe('/host map', () => {
  it('sends the culture map as a PNG once three members stand behind a pair', async () => {
    await roundRun();
    const reply = await asModerator('host', 'map');
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('fewer than 3 members');
    expect(reply.allowedMentions).toEqual({ parse: [] });
    const attachments = reply.message?.attachments ?? [];
    expect(attachments.map((file) => file.filename)).toEqual(['culture-map.png']);
    expect(attachments[0]?.size).toBeGreaterThan(1000);
  });

  it('says why there is no map yet, and sends no image, before any pair may be shown', async () => {
    const reply = await asModerator('host', 'map');
    expect(reply.content).toContain('No pair of cultures has met often enough');
    expect(reply.message?.attachments ?? []).toEqual([]);
  });

  it('is refused to members without Manage Server, changing nothing', async () => {
    const reply = await rig.emulator.runCommand({
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.member,
      name: 'host',
      subcommand: 'map',
      force: true,
    });
    expect(reply.ephemeral).toBe(true);
    expect(reply.message?.attachments ?? []).toEqual([]);
    expect(reply.content ?? '').toContain('Manage Server');
  });
});

describe('/exchange me passport', () => {
  it('shows the cultures a member met through Bridges', async () => {
    const [japanese] = await roundRun();
    const me = await command(japanese ?? '', 'exchange', 'me');
    expect(description(me, 1)).toContain('**Passport (cultures you met):** Brazil (1 conversation)');
  });
});

describe('/host stats', () => {
  it('adds replies per prompt as Discord counts them, the meeting rate and no-shows, and exports them as CSV', async () => {
    const members = await roundRun();
    await asModerator('setup', 'prompts', { channel: rig.ids.channels.dailyPrompts, time: '09:00', timezone: 'UTC' });
    const posted = await asModerator('host', 'post-prompt');
    expect(posted.content).toContain('Posted');
    const thread = rig.emulator.threads(rig.ids.channels.dailyPrompts)[0];
    expect(thread).toBeDefined();
    rig.emulator.postUserMessage(thread?.id ?? '', members[0] ?? '', 'In my family we…');
    rig.emulator.postUserMessage(thread?.id ?? '', members[3] ?? '', 'Same here!');

    const stats = await asModerator('host', 'stats');
    const figures = description(stats);
    expect(figures).toMatch(/: 2$/m);
    expect(figures).toContain("met 0% (0 of 3) · can't make it: 0 · no answer: 6");
    expect(stats.allowedMentions).toEqual({ parse: [] });

    const exported = await asModerator('host', 'stats', { export: true });
    expect(exported.content).toContain('1 prompts and 1 rounds');
    expect((exported.message?.attachments ?? []).map((file) => file.filename)).toEqual(['bridges-prompts.csv', 'bridges-rounds.csv']);
  });
});
