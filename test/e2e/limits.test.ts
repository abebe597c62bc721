import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ThemeCatalog } from '../../src/core/themes.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import type { InteractionResult, OptionValue } from '../support/emulator.ts';
import { createRig, type Rig } from './rig.ts';

let rig: Rig;
let catalog: ThemeCatalog;

beforeAll(async () => {
  catalog = await loadThemeCatalog();
});

beforeEach(async () => {
  // Monday 2026-01-12, 08:00 UTC.
  rig = await createRig('2026-01-12T08:00:00Z');
  await rig.startBot();
});

afterEach(async () => {
  await rig.close();
});

/**
 * Runs a command as Discord's client would send it. `force` lets through what a current client
 * would hold back (a value past an option's max_length, as an older registration still allowed).
 */
function command(userId: string, name: string, subcommand: string, options: Record<string, OptionValue> = {}, force = false) {
  return rig.emulator.runCommand({ channelId: rig.ids.channels.general, userId, name, subcommand, options, force });
}

function description(result: InteractionResult): string {
  return (result.embeds[0] as { description?: string } | undefined)?.description ?? '';
}

describe('a 2,500-character theme list in /setup prompts', () => {
  it('gets a private answer that says what was wrong, and changes nothing', async () => {
    const moderator = rig.ids.users.moderator;
    const base = { channel: rig.ids.channels.dailyPrompts, time: '09:00', timezone: 'Europe/Berlin' };
    await command(moderator, 'setup', 'prompts', { ...base, themes: 'Mutual Respect' });

    const pasted = `Shared experiences, ${'**Why** we `meet` <@123456789012345678> across cultures and languages. '.repeat(36)}`;
    expect(pasted.length).toBeGreaterThanOrEqual(2500);
    const reply = await command(moderator, 'setup', 'prompts', { ...base, time: '18:00', themes: pasted }, true);

    expect(reply.ephemeral).toBe(true);
    expect(reply.content?.length).toBeLessThanOrEqual(2000);
    expect(reply.content).toMatch(
      /^`\*\*Why\*\* we ˋmeetˋ <@123456789012345678> across[^`]*…` is not a theme\. Use theme names separated by commas, from: /,
    );
    const show = await command(moderator, 'setup', 'show');
    expect(show.content).toContain('- Time: 09:00 in Europe/Berlin');
    expect(show.content).toContain('- Themes: Mutual Respect');
  });
});

describe('a trio whose profiles sit at the limits', () => {
  /** Eight distinct entries of exactly 40 characters, with Markdown that escaping doubles. */
  function entries(label: string): string {
    return Array.from({ length: 8 }, (_, i) => `${label} ${i} `.padEnd(40, '_*')).join(', ');
  }

  async function member(name: string, cultures: string, curiousAbout: string): Promise<string> {
    const userId = rig.emulator.createUser({ username: name.toLowerCase(), globalName: name });
    rig.emulator.addMember(rig.ids.guildId, userId);
    const saved = await command(userId, 'exchange', 'profile', {
      languages: entries('language'),
      cultures,
      curious_about: curiousAbout,
      interests: entries('interest'),
      timezone: 'Europe/Berlin',
    });
    expect(saved.content).toContain('Profile saved.');
    await command(userId, 'exchange', 'join');
    return userId;
  }

  it('get an introduction Discord accepts, with all three mentions and the icebreaker, and the round ends', async () => {
    const moderator = rig.ids.users.moderator;
    await command(moderator, 'setup', 'pairing', {
      channel: rig.ids.channels.general,
      frequency: 'weekly',
      weekday: 'monday',
      time: '18:00',
      timezone: 'Europe/Berlin',
    });
    const [a, b, c] = [entries('culture a'), entries('culture b'), entries('culture c')];
    const ids = [await member('Ana', a, b), await member('Ben', b, c), await member('Cleo', c, a)];

    const started = await command(moderator, 'host', 'start-round');
    expect(started.content).toContain('Round 1: 1 conversation started for 3 members');

    const thread = rig.emulator.threads(rig.ids.channels.general).find((candidate) => candidate.type === 12)!;
    const [intro] = rig.emulator.messages(thread.id);
    const content = intro?.content ?? '';
    expect(content.length).toBeLessThanOrEqual(2000);
    for (const id of ids) expect(content).toContain(`<@${id}>`);
    expect(intro?.allowedMentions).toEqual({ parse: [], users: expect.arrayContaining(ids) });
    const icebreakers = catalog.themes.flatMap((theme) =>
      theme.prompts.filter((prompt) => prompt.icebreaker).map((prompt) => `**Icebreaker** (${theme.title}): ${prompt.text}`),
    );
    expect(icebreakers.some((line) => content.includes(line))).toBe(true);
    // Every exchange is there, its profile text escaped; the interests were shortened first.
    expect(content.match(/can share about Culture [ABC] 0 \\_\\\*/g)).toHaveLength(3);
    expect(content).toMatch(/you share an interest in interest 0 (\\[_*])+ and 7 more\./);

    const again = await command(moderator, 'host', 'start-round');
    expect(again.content).not.toContain('being delivered');
  });
});

describe('profile text with Markdown', () => {
  const member = () => rig.ids.users.member;

  it('is shown as typed in the profile reply and in /exchange me', async () => {
    const saved = await command(member(), 'exchange', 'profile', {
      cultures: '**bold**, __under__, `code`, ||spoiler||',
      interests: '- listed, # heading, ~~struck~~',
    });
    const shown = description(saved);
    expect(shown).toContain('**Cultures you can share about:** \\*\\*bold\\*\\*, \\_\\_under\\_\\_, \\`code\\`, and \\|\\|spoiler\\|\\|');
    expect(shown).toContain('**Interests:** \\- listed, \\# heading, and \\~\\~struck\\~\\~');
    expect(description(await command(member(), 'exchange', 'me'))).toContain('\\*\\*bold\\*\\*, \\_\\_under\\_\\_, \\`code\\`');
  });

  it('@everyone is refused by the profile parser, quoted inertly, and nothing changes', async () => {
    await command(member(), 'exchange', 'profile', { interests: 'jazz' });
    const refused = await command(member(), 'exchange', 'profile', { interests: '**loud** @everyone' });
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toContain("can't contain mentions, `@`, `<`, `>` or links (`**loud** @everyone`)");
    expect(refused.allowedMentions).toEqual({ parse: [] });
    expect(description(await command(member(), 'exchange', 'me'))).toContain('**Interests:** jazz');
  });
});
