import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Permissions, type InteractionResult, type StoredMessage } from '../support/emulator.ts';
import { botPosts, createRig, type Rig } from './rig.ts';

let rig: Rig;
let fansRole: string;
let quietRole: string;

// 2026-01-12 is a Monday; 09:00 in Berlin is 08:00 UTC in January.
const WEEK = ['2026-01-12', '2026-01-13', '2026-01-14', '2026-01-15', '2026-01-16', '2026-01-17', '2026-01-18'];

beforeEach(async () => {
  rig = await createRig('2026-01-12T06:00:00Z');
  fansRole = rig.emulator.createRole(rig.ids.guildId, { name: 'Prompt fans', mentionable: true });
  quietRole = rig.emulator.createRole(rig.ids.guildId, { name: 'Quiet', mentionable: false });
  await rig.startBot();
});

afterEach(async () => {
  await rig.close();
});

function asModerator(subcommand: string, options: Record<string, string | boolean> = {}) {
  return rig.emulator.runCommand({
    channelId: rig.ids.channels.general,
    userId: rig.ids.users.moderator,
    name: 'setup',
    subcommand,
    options,
  });
}

function setUpPrompts(options: Record<string, string | boolean> = {}) {
  return asModerator('prompts', { channel: rig.ids.channels.dailyPrompts, time: '09:00', timezone: 'Europe/Berlin', ...options });
}

/** The daily prompts and announcements, without Discord's "pinned a message" notices. */
function posts(): StoredMessage[] {
  return botPosts(rig, rig.ids.channels.dailyPrompts).filter((message) => message.type === 0);
}

function titleOf(message: StoredMessage | InteractionResult): string | undefined {
  return (message.embeds[0] as { title?: string } | undefined)?.title;
}

async function tickDays(dates: readonly string[]) {
  for (const date of dates) await rig.tickAt(`${date}T08:00:00Z`);
}

async function expectUnchanged(run: () => Promise<InteractionResult>, message: string) {
  const before = (await asModerator('show')).content;
  const reply = await run();
  expect(reply.ephemeral).toBe(true);
  expect(reply.content).toContain(message);
  expect((await asModerator('show')).content).toBe(before);
}

describe('prompt days', () => {
  it('posts only on the chosen days, and /setup show says which', async () => {
    const reply = await setUpPrompts({ days: 'mon,wed,fri' });
    expect(reply.content).toContain('Days: Monday, Wednesday, and Friday.');
    for (const date of WEEK) {
      await rig.tickAt(`${date}T08:00:00Z`);
      await rig.tickAt(`${date}T21:00:00Z`);
    }
    expect(posts().map((post) => post.timestamp.slice(0, 10))).toEqual(['2026-01-12', '2026-01-14', '2026-01-16']);
    const show = await asModerator('show');
    expect(show.content).toContain('- Days: Monday, Wednesday, and Friday');
    // Friday was the week's last chosen day: next Monday.
    expect(show.content).toContain(`Next prompt: <t:${Date.UTC(2026, 0, 19, 8) / 1000}:F>`);
  });

  it('completes days in the reader’s language', async () => {
    const base = {
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.moderator,
      name: 'setup',
      subcommand: 'prompts',
      options: {},
    };
    const empty = (await rig.emulator.autocomplete({ ...base, focused: 'days', value: '' })) as { name: string; value: string }[];
    expect(empty.slice(0, 3).map((choice) => choice.value)).toEqual(['every-day', 'weekdays', 'weekends']);
    const more = (await rig.emulator.autocomplete({ ...base, focused: 'days', value: 'monday, we' })) as { value: string }[];
    expect(more.map((choice) => choice.value)).toEqual(['monday,wednesday']);
    const french = (await rig.emulator.autocomplete({ ...base, focused: 'days', value: 'mer', locale: 'fr' })) as {
      name: string;
      value: string;
    }[];
    expect(french).toEqual([{ name: 'Mercredi', value: 'wednesday' }]);
  });

  it('refuses days it cannot read, saying how to write them, and changes nothing', async () => {
    await setUpPrompts();
    await expectUnchanged(() => setUpPrompts({ days: 'mon,funday', time: '10:00' }), '`funday` is not a day of the week');
  });
});

describe('role to mention', () => {
  it('mentions exactly the chosen role with each prompt, and no role once removed', async () => {
    const reply = await setUpPrompts({ role: fansRole });
    expect(reply.content).toContain(`Role mentioned: <@&${fansRole}>`);
    await tickDays(['2026-01-12']);
    const [first] = posts();
    expect(first?.content).toBe(`<@&${fansRole}>`);
    expect(first?.allowedMentions).toEqual({ parse: [], roles: [fansRole] });
    expect((await asModerator('show')).content).toContain(`- Role mentioned: <@&${fansRole}>`);

    await setUpPrompts({ remove_role: true });
    await tickDays(['2026-01-13']);
    expect(posts()[1]?.content).toBe('');
    expect(posts()[1]?.allowedMentions).toEqual({ parse: [] });
    expect((await asModerator('show')).content).toContain('- Role mentioned: none');
  });

  it('refuses @everyone, a role it cannot mention, and a role with its removal, changing nothing', async () => {
    await setUpPrompts({ role: fansRole });
    await expectUnchanged(() => setUpPrompts({ role: rig.ids.roles.everyone }), 'Bridges does not mention everyone');
    await expectUnchanged(() => setUpPrompts({ role: quietRole }), `Bridges cannot mention <@&${quietRole}>. Make the role mentionable`);
    await expectUnchanged(
      () => setUpPrompts({ role: fansRole, remove_role: true }),
      'Choose a role to mention or remove the role, not both.',
    );
  });
});

describe('pins', () => {
  it('pins the newest prompt and unpins the previous one', async () => {
    rig.emulator.setChannelOverwrite(rig.ids.channels.dailyPrompts, {
      id: rig.ids.users.bot,
      type: 'member',
      allow: Permissions.PIN_MESSAGES,
    });
    const reply = await setUpPrompts({ pin: true });
    expect(reply.content).toContain('Pin the newest prompt: yes.');
    expect(reply.content).not.toContain('cannot pin');
    await tickDays(['2026-01-12']);
    expect(posts().map((post) => post.pinned)).toEqual([true]);
    await tickDays(['2026-01-13']);
    expect(posts().map((post) => post.pinned)).toEqual([false, true]);
    expect(botPosts(rig, rig.ids.channels.dailyPrompts).filter((message) => message.type === 6)).toHaveLength(2);
    expect((await asModerator('show')).content).not.toContain('not pinned');
  });

  it('without Pin Messages the prompt is still posted, and /setup show says what to fix', async () => {
    const reply = await setUpPrompts({ pin: true });
    expect(reply.content).toContain(`Bridges cannot pin in <#${rig.ids.channels.dailyPrompts}> yet: give it **Pin Messages** there.`);
    await tickDays(['2026-01-12']);
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.pinned).toBe(false);
    expect((await asModerator('show')).content).toContain(
      '- The prompt of Jan 12, 2026 was posted but not pinned: Bridges lacks **Pin Messages** in the prompt channel. Give it that permission there.',
    );
    // Once the permission is given, the next prompt is pinned and the note goes away.
    rig.emulator.setChannelOverwrite(rig.ids.channels.dailyPrompts, {
      id: rig.ids.users.bot,
      type: 'member',
      allow: Permissions.PIN_MESSAGES,
    });
    await tickDays(['2026-01-13']);
    expect(posts().map((post) => post.pinned)).toEqual([false, true]);
    expect((await asModerator('show')).content).not.toContain('not pinned');
  });

  it('a previous prompt deleted by a moderator does not stop the next pin', async () => {
    rig.emulator.setChannelOverwrite(rig.ids.channels.dailyPrompts, {
      id: rig.ids.users.bot,
      type: 'member',
      allow: Permissions.PIN_MESSAGES,
    });
    await setUpPrompts({ pin: true });
    await tickDays(['2026-01-12']);
    rig.emulator.deleteMessage(rig.ids.channels.dailyPrompts, posts()[0]!.id);
    await tickDays(['2026-01-13']);
    expect(posts().map((post) => post.pinned)).toEqual([true]);
    expect((await asModerator('show')).content).not.toContain('unpin');
  });
});

describe('themed weeks', () => {
  it("announces the week's theme once, before its first prompt, whatever restarts happen, and the week's prompts come from it", async () => {
    await setUpPrompts();
    // Wednesday: this week takes the first theme of the order.
    rig.clock.set('2026-01-14T06:00:00Z');
    const reply = await asModerator('themed-weeks', { enabled: true, order: 'Self-Reflection, mutual-respect' });
    expect(reply.content).toContain('in this order: Self-Reflection and Mutual Respect. This week: **Self-Reflection**.');
    await tickDays(['2026-01-14']);
    await rig.stopBot();
    await rig.startBot();
    await tickDays(['2026-01-15', '2026-01-16']);
    await rig.stopBot();
    await rig.startBot();
    await tickDays(['2026-01-17', '2026-01-18']);

    const [announcement, ...prompts] = posts();
    expect(titleOf(announcement!)).toBe("This week's theme: Self-Reflection");
    expect(announcement?.allowedMentions).toEqual({ parse: [] });
    expect(prompts).toHaveLength(5);
    expect(prompts.every((prompt) => titleOf(prompt) === 'Self-Reflection')).toBe(true);
    const show = await asModerator('show');
    expect(show.content).toContain('**Themed weeks:** on, in this order: Self-Reflection and Mutual Respect');
    expect(show.content).toContain("- This week's theme has been announced.");

    await tickDays(['2026-01-19', '2026-01-20']);
    const next = posts().slice(6);
    expect(next.map(titleOf)).toEqual(["This week's theme: Mutual Respect", 'Mutual Respect', 'Mutual Respect']);
  });

  it('refuses themed weeks before daily prompts, and an unknown theme, changing nothing', async () => {
    const before = await asModerator('themed-weeks', { enabled: true });
    expect(before.content).toContain('Daily prompts are not set up yet');
    await setUpPrompts();
    await expectUnchanged(
      () => asModerator('themed-weeks', { enabled: true, order: 'mutual-respect, cooking' }),
      '`cooking` is not a theme',
    );
    expect((await asModerator('show')).content).toContain('**Themed weeks:** off');
  });

  it('refuses a member without Manage Server, even if Discord let the command through, and changes nothing', async () => {
    await setUpPrompts();
    await expectUnchanged(
      () =>
        rig.emulator.runCommand({
          channelId: rig.ids.channels.general,
          userId: rig.ids.users.member,
          name: 'setup',
          subcommand: 'themed-weeks',
          options: { enabled: true },
          force: true,
        }),
      'You need the **Manage Server** permission to use `/setup`.',
    );
  });
});
