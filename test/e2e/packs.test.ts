import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ThemeCatalog } from '../../src/core/themes.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import type { InteractionResult, OptionValue } from '../support/emulator.ts';
import { botPosts, createRig, type Rig } from './rig.ts';

let rig: Rig;
let catalog: ThemeCatalog;

beforeAll(async () => {
  catalog = await loadThemeCatalog();
});

beforeEach(async () => {
  rig = await createRig('2026-01-15T06:00:00Z');
  await rig.startBot();
});

afterEach(async () => {
  await rig.close();
});

function prompts(subcommand: string, options: Record<string, OptionValue> = {}, userId = rig.ids.users.moderator, force = false) {
  return rig.emulator.runCommand({ channelId: rig.ids.channels.general, userId, name: 'prompts', subcommand, options, force });
}

function description(result: InteractionResult): string {
  return (result.embeds[0] as { description?: string } | undefined)?.description ?? '';
}

interface Pack {
  version: number;
  prompts: { theme: string; text: string; author?: string }[];
  disabledBuiltIn: string[];
}

async function exportedFile(): Promise<{ reply: InteractionResult; bytes: Buffer; pack: Pack }> {
  const reply = await prompts('export');
  const bytes = rig.emulator.attachmentContent(reply.message?.attachments[0]?.id ?? '') ?? Buffer.alloc(0);
  return { reply, bytes, pack: JSON.parse(bytes.toString('utf8')) as Pack };
}

function importFile(content: string | Uint8Array, filename = 'pack.json') {
  return prompts('import', { file: { filename, content, contentType: 'application/json' } });
}

const firstBuiltIn = () => catalog.themes[0]?.prompts[0]?.id ?? '';
const A = 'Which song always takes you back to a particular place?';
const B = 'What did you believe about another country before you visited it?';

describe('/prompts add, remove, restore and list', () => {
  it('adds a prompt to the theme and lists it; refusals change nothing', async () => {
    const added = await prompts('add', { theme: 'building-bridges', text: `  ${A}  ` });
    expect(added.ephemeral).toBe(true);
    expect(added.content).toBe(`Added \`s1\` to Building Bridges: ${A}`);

    const short = await prompts('add', { theme: 'building-bridges', text: 'Hi?' }, rig.ids.users.moderator, true);
    expect(short.content).toContain('at least 10 characters');
    const duplicate = await prompts('add', { theme: 'mutual-respect', text: A.toLowerCase().replace('?', '!') });
    expect(duplicate.content).toContain('nearly the same prompt');
    const member = await prompts('add', { theme: 'building-bridges', text: B }, rig.ids.users.member, true);
    expect(member.content).toContain('Manage Server');

    const listed = await prompts('list');
    expect(description(listed)).toBe(`\`s1\` · Building Bridges · ${A}`);
    expect((await prompts('list', { theme: 'mutual-respect' })).content).toContain('no prompts of its own');
  });

  it('remove deletes a server prompt or switches a built-in one off; restore switches it back on', async () => {
    await prompts('add', { theme: 'building-bridges', text: A });
    expect((await prompts('remove', { id: 's1' })).content).toBe("Deleted `s1` from this server's prompts.");

    const id = firstBuiltIn();
    expect((await prompts('remove', { id })).content).toContain(`Switched the built-in prompt \`${id}\` off`);
    expect(description(await prompts('list'))).toContain(`\`${id}\``);
    expect((await prompts('remove', { id })).content).toContain('is already off');
    expect((await prompts('remove', { id: 'no-such-prompt' })).content).toContain('is not a prompt id');

    expect((await prompts('restore', { id })).content).toContain('back on');
    expect((await prompts('restore', { id })).content).toContain('is on already');
    expect((await prompts('list')).content).toContain('no prompts of its own');
  });
});

describe('/prompts export and import', () => {
  it('round trip: an exported file imported back restores exactly what was exported', async () => {
    await prompts('add', { theme: 'building-bridges', text: A });
    await prompts('add', { theme: 'self-reflection', text: B });
    await prompts('remove', { id: firstBuiltIn() });
    const before = await exportedFile();
    expect(before.reply.message?.attachments[0]?.filename).toBe(`bridges-prompts-${rig.ids.guildId}.json`);
    expect(before.reply.content).toContain('2 of its own, 1 built-in switched off');
    expect(before.pack).toEqual({
      version: 1,
      prompts: [
        { theme: 'building-bridges', text: A },
        { theme: 'self-reflection', text: B },
      ],
      disabledBuiltIn: [firstBuiltIn()],
    });

    await prompts('remove', { id: 's1' });
    await prompts('restore', { id: firstBuiltIn() });
    await prompts('add', { theme: 'mutual-respect', text: 'How do people show respect to elders where you live?' });

    const imported = await importFile(before.bytes);
    expect(imported.content).toContain('2 prompts of its own and 1 built-in');
    expect((await exportedFile()).pack).toEqual(before.pack);
  });

  it('refuses a file with problems, listing every one, and imports nothing of it', async () => {
    await prompts('add', { theme: 'building-bridges', text: A });
    const before = (await exportedFile()).bytes.toString('utf8');
    const bad: Pack = {
      version: 1,
      prompts: [
        { theme: 'building-bridges', text: B },
        { theme: 'cooking', text: 'What do you cook when you miss home?' },
        { theme: 'self-reflection', text: 'Why?' },
        { theme: 'self-reflection', text: B.toUpperCase() },
        { theme: 'self-reflection', text: catalog.themes[0]?.prompts[1]?.text ?? '' },
      ],
      disabledBuiltIn: ['not-a-prompt'],
    };
    const refused = await importFile(JSON.stringify(bad));
    expect(refused.ephemeral).toBe(true);
    expect(refused.content?.split('\n')).toEqual([
      'Nothing was imported: the file has 5 problems.',
      '- `not-a-prompt` is not a built-in prompt id.',
      '- Prompt 2: `cooking` is not a theme.',
      '- Prompt 3 is shorter than 10 characters.',
      '- Prompt 4 repeats prompt 1.',
      `- Prompt 5 repeats the built-in prompt \`${catalog.themes[0]?.prompts[1]?.id ?? ''}\`.`,
    ]);
    expect((await exportedFile()).bytes.toString('utf8')).toBe(before);
  });

  it('refuses a file that is not JSON, of another version, or too large, changing nothing', async () => {
    await prompts('add', { theme: 'building-bridges', text: A });
    const before = (await exportedFile()).bytes.toString('utf8');
    expect((await importFile('not json at all')).content).toContain('is not JSON text');
    expect((await importFile(JSON.stringify({ version: 2, prompts: [] }))).content).toContain('At .version: invalid_value');
    expect((await importFile(JSON.stringify({ version: 1, prompts: [{ theme: 'self-reflection' }] }))).content).toContain(
      'At .prompts[1].text',
    );
    const huge = await importFile(Buffer.alloc(300 * 1024, 0x20));
    expect(huge.content).toContain('The file is 300 KB; the limit is 256 KB.');
    expect((await exportedFile()).bytes.toString('utf8')).toBe(before);
  });
});

describe('the rotation', () => {
  it('draws server prompts like built-in ones: no repeat until the theme is used up, credited when approved with a name', async () => {
    const theme = catalog.theme('self-reflection');
    const pack: Pack = {
      version: 1,
      prompts: [
        { theme: 'self-reflection', text: A, author: rig.ids.users.member },
        { theme: 'self-reflection', text: B },
      ],
      disabledBuiltIn: (theme?.prompts ?? []).map((prompt) => prompt.id),
    };
    expect((await importFile(JSON.stringify(pack))).content).toContain('Imported');
    await rig.emulator.runCommand({
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.moderator,
      name: 'setup',
      subcommand: 'prompts',
      options: { channel: rig.ids.channels.dailyPrompts, time: '09:00', timezone: 'Europe/Berlin', themes: 'self-reflection' },
    });
    const host = () =>
      rig.emulator.runCommand({
        channelId: rig.ids.channels.general,
        userId: rig.ids.users.moderator,
        name: 'host',
        subcommand: 'post-prompt',
      });
    for (let i = 0; i < 4; i++) await host();
    const posted = botPosts(rig, rig.ids.channels.dailyPrompts).map(
      (message) => (message.embeds[0] as { description?: string } | undefined)?.description ?? '',
    );
    expect(posted).toHaveLength(4);
    const credited = `${A}\n\nSuggested by <@${rig.ids.users.member}>`;
    expect(new Set(posted.slice(0, 2))).toEqual(new Set([credited, B]));
    expect(new Set(posted.slice(2, 4))).toEqual(new Set([credited, B]));
    expect(
      botPosts(rig, rig.ids.channels.dailyPrompts).every((message) => JSON.stringify(message.allowedMentions) === '{"parse":[]}'),
    ).toBe(true);
  });
});

describe('/setup forget-server', () => {
  it('deletes the server’s own prompts, its switched-off built-ins and its suggestions too', async () => {
    await prompts('add', { theme: 'building-bridges', text: A });
    await prompts('remove', { id: firstBuiltIn() });
    const member = (name: string, subcommand: string, options: Record<string, OptionValue>) =>
      rig.emulator.runCommand({ channelId: rig.ids.channels.general, userId: rig.ids.users.member, name, subcommand, options });
    await rig.emulator.runCommand({
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.moderator,
      name: 'setup',
      subcommand: 'suggestions',
      options: { channel: rig.ids.channels.general },
    });
    expect((await member('suggest', 'prompt', { theme: 'self-reflection', text: B })).content).toContain('waiting');
    const asked = await rig.emulator.runCommand({
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.moderator,
      name: 'setup',
      subcommand: 'forget-server',
    });
    await rig.emulator.clickButton({
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.moderator,
      messageId: asked.message?.id ?? '',
      customId: 'setup-forget-server:confirm',
    });
    expect((await prompts('list')).content).toContain('no prompts of its own');
    expect((await member('suggest', 'prompt', { theme: 'self-reflection', text: B })).content).toContain(
      'Suggestions are not open in this server yet',
    );
  });
});
