import { Image } from '@napi-rs/canvas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cultureMap } from '../../src/core/cultureMap.ts';
import { translator } from '../../src/discord/i18n.ts';
import { cultureMapImage } from '../../src/discord/mapMessages.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import { openStore } from '../../src/store/openStore.ts';
import { PromptLogStore } from '../../src/store/promptLogStore.ts';
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

/** The bytes of each file the reply carried, by file name, as the emulator received them. */
function uploaded(result: InteractionResult): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const attachment of result.message?.attachments ?? []) {
    const bytes = rig.emulator.attachmentBytes(attachment.id);
    expect(bytes?.length, attachment.filename).toBe(attachment.size);
    files.set(attachment.filename, bytes ?? Buffer.alloc(0));
  }
  return files;
}

/** The bot's record of posted prompts, newest first. */
async function promptLog() {
  const store = await openStore(rig.databaseUrl, () => undefined);
  try {
    return await new PromptLogStore(store.keyv).get(rig.ids.guildId);
  } finally {
    await store.close();
  }
}

/** A text field as RFC 4180 writes it: quoted (quotes doubled) when it holds a comma, quote or line break. */
function csvText(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

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

    const png = uploaded(reply).get('culture-map.png') ?? Buffer.alloc(0);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const image = new Image();
    image.src = png;
    // The size the PNG header states, and the size the renderer gives the map of this history:
    // three conversations, each a member from Japan with one from Brazil, six members behind the pair.
    const stated = [png.readUInt32BE(16), png.readUInt32BE(20)];
    const history = [0, 1, 2].map((i) => ({ memberIds: [`jp${i}`, `br${i}`], cultures: { [`jp${i}`]: ['JP'], [`br${i}`]: ['BR'] } }));
    const expected = cultureMapImage(cultureMap(history), translator('en-US'));
    expect([image.width, image.height]).toEqual(stated);
    expect([image.width, image.height]).toEqual([expected.width, expected.height]);
    // Drawing is deterministic, so the same counts give the same pixels: the bot drew this history.
    expect(png.equals(expected.png)).toBe(true);
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

    const catalog = await loadThemeCatalog();
    const post = (await promptLog()).posts[0]!;
    const files = uploaded(exported);
    const promptsCsv = files.get('bridges-prompts.csv')?.toString('utf8') ?? '';
    const [header, row] = promptsCsv.split('\r\n');
    expect(header).toBe('date,kind,theme,prompt,replies');
    expect(row).toBe(
      [
        post.date,
        'manual',
        csvText(catalog.themeText(post.themeId, 'en-US')!.title),
        csvText(catalog.promptText(post.promptId, 'en-US')!),
        '2',
      ].join(','),
    );
    expect(promptsCsv.endsWith('\r\n')).toBe(true);
    expect(files.get('bridges-rounds.csv')?.toString('utf8')).toBe(
      "round,date,conversations,met,meeting rate,can't make it,no answer\r\n1,2026-01-12,3,0,0,0,6\r\n",
    );
  });

  it('quotes CSV fields as RFC 4180 says and never lets a text cell start a formula', async () => {
    await asModerator('setup', 'prompts', { channel: rig.ids.channels.dailyPrompts, time: '09:00', timezone: 'UTC' });
    expect((await asModerator('host', 'post-prompt')).content).toContain('Posted');
    // A post kept from an older catalog: its theme and prompt are no longer known, so their ids are
    // exported as they are stored, and an id is text that could start a formula in a spreadsheet.
    const store = await openStore(rig.databaseUrl, () => undefined);
    try {
      const log = new PromptLogStore(store.keyv);
      const kept = await log.get(rig.ids.guildId);
      const [posted] = kept.posts;
      expect(posted).toBeDefined();
      const older = { ...posted!, date: '2026-01-05', themeId: '=cmd|calc', promptId: '=HYPERLINK("https://example.com","Who, me?")' };
      await log.set(rig.ids.guildId, { ...kept, posts: [...kept.posts, { ...older, threadId: undefined, messageId: undefined }] });
    } finally {
      await store.close();
    }

    const exported = await asModerator('host', 'stats', { export: true });
    expect(exported.content).toContain('2 prompts and 0 rounds');
    const lines = (uploaded(exported).get('bridges-prompts.csv')?.toString('utf8') ?? '').split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(`2026-01-05,manual,'=cmd|calc,"'=HYPERLINK(""https://example.com"",""Who, me?"")",`);
    expect(lines[3]).toBe('');
  });
});
