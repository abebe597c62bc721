import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ThemeCatalog } from '../../src/core/themes.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import { openKeyv } from '../../src/store/openStore.ts';
import type { OptionValue, StoredThread } from '../support/emulator.ts';
import { createRig, requestsTo, type Rig } from './rig.ts';

let rig: Rig;

// Monday 2026-01-12, 08:00 UTC (09:00 in Berlin).
const MONDAY_MORNING = '2026-01-12T08:00:00Z';
// Rounds at 18:00 Berlin time, 17:00 UTC in winter.
const FIRST_ROUND = '2026-01-12T17:00:00Z';

beforeEach(async () => {
  rig = await createRig(MONDAY_MORNING);
  await rig.startBot();
});

afterEach(async () => {
  await rig.close();
});

function command(userId: string, name: string, subcommand: string, options: Record<string, string | number | boolean> = {}, force = false) {
  return rig.emulator.runCommand({ channelId: rig.ids.channels.general, userId, name, subcommand, options, force });
}

function setUpPairing(overrides: Record<string, string | number | boolean> = {}, force = false) {
  return command(
    rig.ids.users.moderator,
    'setup',
    'pairing',
    { channel: rig.ids.channels.general, frequency: 'weekly', weekday: 'monday', time: '18:00', timezone: 'Europe/Berlin', ...overrides },
    force,
  );
}

interface Profile {
  languages?: string;
  cultures?: string;
  curious_about?: string;
  interests?: string;
  timezone?: string;
}

/** A new server member who fills in a profile and opts in, the way a member would. */
async function joinedMember(name: string, profile: Profile = { languages: 'English' }): Promise<string> {
  const userId = rig.emulator.createUser({ username: name.toLowerCase(), globalName: name });
  rig.emulator.addMember(rig.ids.guildId, userId);
  const saved = await command(userId, 'exchange', 'profile', { ...profile });
  expect(saved.ephemeral).toBe(true);
  const joined = await command(userId, 'exchange', 'join');
  expect(joined.modal).toBeUndefined();
  return userId;
}

function pairingThreads(): StoredThread[] {
  return rig.emulator.threads(rig.ids.channels.general).filter((thread) => thread.type === 12);
}

function groupsOf(threads: StoredThread[]): string[][] {
  return threads.map((thread) => thread.memberIds.filter((id) => id !== rig.emulator.botUserId).sort());
}

function pairsOf(groups: string[][]): string[] {
  return groups.flatMap((group) => group.flatMap((a, i) => group.slice(i + 1).map((b) => [a, b].sort().join('+'))));
}

describe('/setup pairing', () => {
  it('turns rounds on, posts the join button, and /setup show gives the next round as a timestamp', async () => {
    const reply = await setUpPairing();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain(
      `Pairing rounds are on in <#${rig.ids.channels.general}>: every week on Mondays at 18:00 (Europe/Berlin)`,
    );
    expect(reply.content).toContain(`Next round: <t:${Date.parse(FIRST_ROUND) / 1000}:F>`);
    const join = rig.emulator
      .messages(rig.ids.channels.general)
      .find((message) => message.authorId === rig.emulator.botUserId && message.interactionId === undefined);
    expect(JSON.stringify(join?.components)).toContain('"custom_id":"exchange-join"');
    expect(join?.allowedMentions).toEqual({ parse: [] });

    const show = await command(rig.ids.users.moderator, 'setup', 'show');
    expect(show.content).toContain('**Pairing rounds:** on');
    expect(show.content).toContain(`- Next round: <t:${Date.parse(FIRST_ROUND) / 1000}:F>`);

    await setUpPairing({ time: '19:00' });
    expect(rig.emulator.messages(rig.ids.channels.general).filter((message) => message.interactionId === undefined)).toHaveLength(1);
  });

  it.each([
    ['an announcement channel', { channel: 'announcements' }, 'is not a text channel'],
    ['a channel without Create Private Threads', { channel: 'noPrivateThreads' }, 'missing **Create Private Threads**'],
    ['a channel where the bot cannot write', { channel: 'readOnly' }, 'missing **Send Messages**'],
    ['a channel without Embed Links', { channel: 'noEmbeds' }, 'missing **Embed Links**'],
    ['a time like 24:00', { time: '24:00' }, '`24:00` is not a time of day'],
    ['a zone like Mars/Olympus', { timezone: 'Mars/Olympus' }, '`Mars/Olympus` is not a time zone'],
  ] as const)('refuses %s, naming the problem, and changes nothing', async (_label, change, message) => {
    const options: Record<string, string> = { ...change };
    if ('channel' in change) options.channel = rig.ids.channels[change.channel];
    const reply = await setUpPairing(options, true);
    expect(reply.content).toContain(message);
    expect((await command(rig.ids.users.moderator, 'setup', 'show')).content).toContain('**Pairing rounds:** not set up');
  });

  it('refuses a member without Manage Server', async () => {
    const reply = await command(
      rig.ids.users.member,
      'setup',
      'pairing',
      { channel: rig.ids.channels.general, frequency: 'weekly', weekday: 'monday', time: '18:00' },
      true,
    );
    expect(reply.content).toBe('You need the **Manage Server** permission to use `/setup`.');
  });
});

describe('a pairing round', () => {
  it('opens one private thread per pair on schedule, introduces them and mentions exactly them', async () => {
    await setUpPairing();
    const ana = await joinedMember('Ana', {
      languages: 'Portuguese, English',
      cultures: 'Brazil',
      curious_about: 'Japan',
      timezone: 'America/Sao_Paulo',
    });
    const kenta = await joinedMember('Kenta', {
      languages: 'Japanese, English',
      cultures: 'Japan',
      curious_about: 'Brazil',
      timezone: 'Asia/Tokyo',
    });
    const lea = await joinedMember('Lea', {
      languages: 'German, English',
      cultures: 'Germany',
      curious_about: 'Nigeria',
      timezone: 'Europe/Berlin',
    });
    const tunde = await joinedMember('Tunde', {
      languages: 'Yoruba, English',
      cultures: 'Nigeria',
      curious_about: 'Germany',
      timezone: 'Africa/Lagos',
    });

    await rig.tickAt('2026-01-12T16:59:00Z');
    expect(pairingThreads()).toHaveLength(0);
    await rig.tickAt(FIRST_ROUND);

    const threads = pairingThreads();
    expect(threads).toHaveLength(2);
    expect(threads.every((thread) => thread.invitable === false)).toBe(true);
    expect(groupsOf(threads).sort()).toEqual([[ana, kenta].sort(), [lea, tunde].sort()].sort());
    for (const thread of threads) {
      const messages = rig.emulator.messages(thread.id);
      expect(messages).toHaveLength(1);
      const intro = messages[0]!;
      const members = thread.memberIds.filter((id) => id !== rig.emulator.botUserId);
      expect(intro.allowedMentions).toEqual({ parse: [], users: members });
      expect(intro.content).toContain('you both speak English');
      expect(intro.content).toContain('is curious about');
      expect(intro.content).toMatch(/awake between <t:\d+:t> and <t:\d+:t>/);
      expect(intro.content).toContain('**Icebreaker**');
    }
    const anaThread = threads.find((thread) => thread.memberIds.includes(ana))!;
    expect(rig.emulator.messages(anaThread.id)[0]?.content).toContain(
      `<@${ana}> can share about Brazil, which <@${kenta}> is curious about`,
    );

    await rig.tickAt('2026-01-12T20:00:00Z');
    expect(pairingThreads()).toHaveLength(2);
  });

  it('makes one group of three when the count is odd', async () => {
    await setUpPairing();
    for (const name of ['A', 'B', 'C', 'D', 'E']) await joinedMember(name);
    const reply = await command(rig.ids.users.moderator, 'host', 'start-round');
    expect(reply.content).toContain('Round 1: 2 conversations started for 5 members');
    expect(
      groupsOf(pairingThreads())
        .map((group) => group.length)
        .sort(),
    ).toEqual([2, 3]);
  });

  it('says in the round report which constraint it had to relax', async () => {
    await setUpPairing();
    await joinedMember('Mei', { languages: 'Mandarin' });
    await joinedMember('Aarav', { languages: 'Hindi' });
    const first = await command(rig.ids.users.moderator, 'host', 'start-round');
    expect(first.content).toContain('Relaxed: some groups share no language listed in their profiles.');
    const second = await command(rig.ids.users.moderator, 'host', 'start-round');
    expect(second.content).toContain('Relaxed: some members met someone from the last six rounds again.');
  });

  it('repeats no pair in the next round', async () => {
    await setUpPairing();
    for (const name of ['A', 'B', 'C', 'D', 'E', 'F']) await joinedMember(name);
    await command(rig.ids.users.moderator, 'host', 'start-round');
    const first = pairsOf(groupsOf(pairingThreads()));
    await command(rig.ids.users.moderator, 'host', 'start-round');
    const all = pairsOf(groupsOf(pairingThreads()));
    const second = all.filter((pair) => !first.includes(pair));
    expect(first).toHaveLength(3);
    expect(second).toHaveLength(3);
  });

  it('skips a member who left the server and re-forms their group', async () => {
    await setUpPairing();
    const ids = [];
    for (const name of ['A', 'B', 'C', 'D']) ids.push(await joinedMember(name));
    rig.emulator.removeMember(rig.ids.guildId, ids[1]!);
    const reply = await command(rig.ids.users.moderator, 'host', 'start-round');
    expect(reply.content).toContain('1 member had left the server');
    const groups = groupsOf(pairingThreads());
    expect(groups.flat().sort()).toEqual([ids[0]!, ids[2]!, ids[3]!].sort());
    expect(groups).toHaveLength(1);
  });

  it('treats 10007 Unknown Member when adding to the thread as "left", and moves the partner', async () => {
    await setUpPairing();
    for (const name of ['A', 'B', 'C', 'D']) await joinedMember(name);
    rig.emulator.failNext({
      route: 'PUT /channels/:channel_id/thread-members/:user_id',
      status: 404,
      code: 10007,
      message: 'Unknown Member',
    });
    const reply = await command(rig.ids.users.moderator, 'host', 'start-round');
    expect(reply.content).toContain('1 member had left the server');
    const [first, second] = pairingThreads();
    const gone = requestsTo(rig, 'PUT /channels/:channel_id/thread-members/:user_id')[0]!.path.split('/').at(-1)!;
    const stranded = groupsOf([first!]).flat();
    expect(stranded).not.toContain(gone);
    for (const userId of stranded) {
      const note = rig.emulator.messages(first!.id).at(-1)!;
      expect(note.content).toContain(`<@${userId}>, your partner left the server before this conversation began`);
    }
    const joined = groupsOf([second!])[0]!;
    expect(joined).toHaveLength(3);
    expect(joined).not.toContain(gone);
    expect(rig.emulator.messages(second!.id)).toHaveLength(1);
  });

  it('waits out a 429 on thread creation and opens each thread once', async () => {
    await setUpPairing();
    for (const name of ['A', 'B', 'C', 'D']) await joinedMember(name);
    rig.emulator.failNext({ route: 'POST /channels/:channel_id/threads', status: 429, retryAfter: 0.2 });
    await command(rig.ids.users.moderator, 'host', 'start-round');
    expect(pairingThreads()).toHaveLength(2);
    expect(requestsTo(rig, 'POST /channels/:channel_id/threads').map((request) => request.status)).toEqual([429, 201, 201]);
  });

  it('finishes a round interrupted by a crash after two threads, without a second thread for any group', async () => {
    await setUpPairing();
    for (const name of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']) await joinedMember(name);
    // After the second thread, Discord stops answering, and the bot is stopped mid-round.
    rig.emulator.stopAfter({
      route: 'POST /channels/:channel_id/threads',
      count: 2,
      then: () => rig.emulator.failNext({ route: /./, status: 503, times: 1_000 }),
    });
    await rig.tickAt(FIRST_ROUND);
    expect(pairingThreads().length).toBe(2);
    await rig.stopBot();
    rig.emulator.clearFaults();

    await rig.startBot();
    await rig.tickAt('2026-01-12T17:01:00Z');
    const threads = pairingThreads();
    expect(threads).toHaveLength(4);
    expect(new Set(threads.map((thread) => thread.name)).size).toBe(4);
    expect(groupsOf(threads).flat()).toHaveLength(8);
    for (const thread of threads) expect(rig.emulator.messages(thread.id)).toHaveLength(1);
  });

  it('opens no second thread when Discord created one but its answer was lost', async () => {
    await setUpPairing();
    for (const name of ['A', 'B', 'C', 'D']) await joinedMember(name);
    rig.emulator.failNext({ route: 'POST /channels/:channel_id/threads', status: 502, afterHandling: true });
    await rig.tickAt(FIRST_ROUND);
    await rig.tickAt('2026-01-12T17:00:30Z');
    const threads = pairingThreads();
    expect(threads).toHaveLength(2);
    expect(groupsOf(threads).flat()).toHaveLength(4);
    for (const thread of threads) expect(rig.emulator.messages(thread.id)).toHaveLength(1);
  });

  it('introduces each group once when Discord created the introduction but its answer was lost', async () => {
    await setUpPairing();
    for (const name of ['A', 'B', 'C', 'D']) await joinedMember(name);
    // The first introduction is created, but Discord's answer is lost once; discord.js sends it again.
    rig.emulator.failNext({ route: 'POST /channels/:channel_id/messages', status: 502, afterHandling: true });
    await command(rig.ids.users.moderator, 'host', 'start-round');
    for (const thread of pairingThreads()) expect(rig.emulator.messages(thread.id)).toHaveLength(1);
  });

  it('finds an introduction sent before a long outage instead of sending it again', async () => {
    await setUpPairing();
    for (const name of ['A', 'B']) await joinedMember(name);
    // Created, but every answer lost: the group is retried later, after Discord's nonce window.
    rig.emulator.failNext({ route: 'POST /channels/:channel_id/messages', status: 502, afterHandling: true, times: 4 });
    await rig.tickAt(FIRST_ROUND);
    expect(pairingThreads()).toHaveLength(1);
    await rig.stopBot();
    rig.clock.set('2026-01-12T17:30:00Z');
    await rig.startBot();
    await rig.tickAt('2026-01-12T17:30:20Z');
    const [thread] = pairingThreads();
    expect(rig.emulator.messages(thread!.id)).toHaveLength(1);
    expect((await command(rig.ids.users.moderator, 'host', 'stats')).content).toContain('delivered 1 of 1 group');
  });

  it('refuses /host start-round while a round is being delivered', async () => {
    await setUpPairing();
    for (const name of ['A', 'B']) await joinedMember(name);
    rig.emulator.failNext({ route: 'POST /channels/:channel_id/threads', status: 429, retryAfter: 1.5 });
    const first = command(rig.ids.users.moderator, 'host', 'start-round');
    await rig.emulator.waitFor(() => requestsTo(rig, 'POST /channels/:channel_id/threads').length > 0);
    const second = await command(rig.ids.users.moderator, 'host', 'start-round');
    expect(second.content).toBe('A round is being delivered right now. Wait for it to finish, then try again.');
    expect((await first).content).toContain('Round 1: 1 conversation started');
  });
});

describe("icebreakers from the server's bank", () => {
  let catalog: ThemeCatalog;

  beforeEach(async () => {
    catalog = await loadThemeCatalog();
  });

  function moderator(name: string, subcommand: string, options: Record<string, OptionValue>) {
    return rig.emulator.runCommand({ channelId: rig.ids.channels.general, userId: rig.ids.users.moderator, name, subcommand, options });
  }

  /** Switches built-in prompts off and adds the server's own, through /prompts import, the way a moderator would. */
  async function importBank(promptIds: readonly string[], own: readonly { theme: string; text: string }[] = []) {
    const pack = JSON.stringify({ version: 1, prompts: own, disabledBuiltIn: promptIds });
    const imported = await moderator('prompts', 'import', {
      file: { filename: 'pack.json', content: pack, contentType: 'application/json' },
    });
    expect(imported.content).toContain(`${promptIds.length} built-in`);
  }

  const icebreakersOf = (themeIds?: readonly string[]) =>
    catalog.themes
      .filter((theme) => themeIds === undefined || themeIds.includes(theme.id))
      .flatMap((theme) => theme.prompts.filter((prompt) => prompt.icebreaker).map((prompt) => ({ theme, prompt })));

  async function introsOfFirstRound(): Promise<string[]> {
    await setUpPairing();
    await joinedMember('Ana');
    await joinedMember('Kenta');
    await rig.tickAt(FIRST_ROUND);
    const threads = pairingThreads();
    expect(threads).toHaveLength(1);
    return threads.map((thread) => rig.emulator.messages(thread.id)[0]?.content ?? '');
  }

  it('never uses a built-in icebreaker the server switched off', async () => {
    const all = icebreakersOf();
    const kept = all.find(({ theme }) => theme.id === 'intercultural-dialogue')!;
    await importBank(all.filter(({ prompt }) => prompt.id !== kept.prompt.id).map(({ prompt }) => prompt.id));
    const [intro] = await introsOfFirstRound();
    expect(intro).toContain(`**Icebreaker** (${kept.theme.title}): ${kept.prompt.text}`);
  });

  it("keeps a themed week's icebreakers in its theme, from the server's own prompts when it switched off the built-in ones", async () => {
    await moderator('setup', 'prompts', { channel: rig.ids.channels.dailyPrompts, time: '09:00', timezone: 'Europe/Berlin' });
    const themed = await moderator('setup', 'themed-weeks', { enabled: true, order: 'Self-Reflection' });
    expect(themed.content).toContain('This week: **Self-Reflection**');
    const own = 'Which habit of yours would surprise someone from another culture?';
    const switchedOff = catalog.theme('self-reflection')!.prompts;
    await importBank(
      switchedOff.map((prompt) => prompt.id),
      [{ theme: 'self-reflection', text: own }],
    );
    const [intro] = await introsOfFirstRound();
    expect(intro).toContain(`**Icebreaker** (Self-Reflection): ${own}`);
    for (const prompt of switchedOff) expect(intro).not.toContain(prompt.text);

    // A member who forgets their data gets the introduction redrawn: with the same icebreaker.
    const thread = pairingThreads()[0]!;
    const leaving = thread.memberIds.find((id) => id !== rig.emulator.botUserId)!;
    const asked = await command(leaving, 'exchange', 'forget');
    await rig.emulator.clickButton({
      channelId: rig.ids.channels.general,
      userId: leaving,
      messageId: asked.message!.id,
      customId: 'exchange-forget:confirm',
    });
    const redrawn = rig.emulator.messages(thread.id)[0]?.content ?? '';
    expect(redrawn).not.toBe(intro);
    expect(redrawn).toContain(`**Icebreaker** (Self-Reflection): ${own}`);
  });
});

describe('/host start-round', () => {
  it('asks for /setup pairing first when pairing is not set up', async () => {
    const reply = await command(rig.ids.users.moderator, 'host', 'start-round');
    expect(reply.content).toBe('Pairing rounds are not set up yet. Choose a channel first with `/setup pairing`.');
  });

  it('tells the channel, not silently, when only one member is available', async () => {
    await setUpPairing();
    await joinedMember('Solo');
    const reply = await command(rig.ids.users.moderator, 'host', 'start-round');
    expect(reply.content).toContain('not enough active members to pair (1)');
    const note = rig.emulator.messages(rig.ids.channels.general).at(-1);
    expect(note?.content).toContain('Only one member was available for this round');
    expect(pairingThreads()).toHaveLength(0);
    expect((await command(rig.ids.users.moderator, 'host', 'stats')).content).toContain('- Rounds run: 0');
  });
});

describe('check-ins', () => {
  async function roundWithTwo() {
    await setUpPairing({ follow_up_days: 3 });
    const a = await joinedMember('A');
    const b = await joinedMember('B');
    await rig.tickAt(FIRST_ROUND);
    const thread = pairingThreads()[0]!;
    return { a, b, thread };
  }

  it('asks each group how it went three days later and records each answer once', async () => {
    const { a, b, thread } = await roundWithTwo();
    await rig.tickAt('2026-01-15T16:59:00Z');
    expect(rig.emulator.messages(thread.id)).toHaveLength(1);
    await rig.tickAt('2026-01-15T17:00:00Z');
    const checkIn = rig.emulator.messages(thread.id)[1]!;
    expect(checkIn.content).toContain('How did it go?');
    const customIds = JSON.stringify(checkIn.components).match(/checkin:[^"]+/g) ?? [];
    expect(customIds).toHaveLength(3);
    const met = customIds.find((id) => id.endsWith(':met'))!;

    const first = await rig.emulator.clickButton({ channelId: thread.id, userId: a, messageId: checkIn.id, customId: met });
    expect(first.ephemeral).toBe(true);
    expect(first.content).toContain('Wonderful');
    const again = await rig.emulator.clickButton({
      channelId: thread.id,
      userId: a,
      messageId: checkIn.id,
      customId: customIds.find((id) => id.endsWith(':not-yet'))!,
    });
    expect(again.content).toContain('You already answered: **We met**');
    await rig.emulator.clickButton({ channelId: thread.id, userId: b, messageId: checkIn.id, customId: met });

    const stats = await command(rig.ids.users.moderator, 'host', 'stats');
    expect(stats.content).toContain('- Rounds run: 1');
    expect(stats.content).toContain('- Members paired: 2 (in 1 conversations)');
    expect(stats.content).toContain('- Reported meeting: 100% of 1 checked-in conversations');
    expect(stats.content).toContain('- Opted in now: 2 (2 active, 0 paused)');

    await rig.tickAt('2026-01-16T17:00:00Z');
    expect(rig.emulator.messages(thread.id)).toHaveLength(2);
  });

  it('pauses a member after three rounds in a row without an answer, and tells them how to come back', async () => {
    await setUpPairing({ follow_up_days: 3 });
    const a = await joinedMember('A');
    const b = await joinedMember('B');
    const mondays = ['2026-01-12', '2026-01-19', '2026-01-26', '2026-02-02'];
    for (const [index, monday] of mondays.entries()) {
      await rig.tickAt(`${monday}T17:00:00Z`);
      if (index < 3) {
        await rig.tickAt(`${monday.slice(0, 8)}${String(Number(monday.slice(8)) + 3).padStart(2, '0')}T17:00:00Z`);
        const thread = pairingThreads()[index]!;
        const checkIn = rig.emulator.messages(thread.id).find((message) => message.components.length > 0)!;
        const met = JSON.stringify(checkIn.components).match(/checkin:[^"]+:met/)![0];
        // B answers every time; A never does.
        await rig.emulator.clickButton({ channelId: thread.id, userId: b, messageId: checkIn.id, customId: met });
      }
    }
    const threads = pairingThreads();
    expect(threads).toHaveLength(3);
    const notice = rig.emulator.messages(threads[2]!.id).at(-1)!;
    expect(notice.content).toContain(`<@${a}>, you couldn't make it or didn't answer the last 3 check-ins`);
    expect(notice.content).toContain('/exchange join');
    expect(notice.allowedMentions).toEqual({ parse: [], users: [a] });
    const stats = await command(rig.ids.users.moderator, 'host', 'stats');
    expect(stats.content).toContain('- Opted in now: 2 (1 active, 1 paused)');
  });
});

describe('/exchange forget after rounds', () => {
  it('leaves no trace of the member in the store, only the anonymous counts', async () => {
    await setUpPairing();
    const a = await joinedMember('A', { languages: 'English', cultures: 'Chile', curious_about: 'Korea' });
    await joinedMember('B', { languages: 'English', cultures: 'Korea', curious_about: 'Chile' });
    await rig.tickAt(FIRST_ROUND);
    await rig.tickAt('2026-01-15T17:00:00Z');

    const ask = await command(a, 'exchange', 'forget');
    const confirm = JSON.stringify(ask.components).match(/exchange-forget:confirm/)![0];
    const done = await rig.emulator.clickButton({
      channelId: rig.ids.channels.general,
      userId: a,
      messageId: ask.message!.id,
      customId: confirm,
    });
    expect(done.content).toMatch(/deleted|forgot/i);

    const keyv = await openKeyv(rig.databaseUrl, () => undefined);
    try {
      const stored: string[] = [];
      const iterate = keyv.iterator?.bind(keyv);
      expect(iterate).toBeDefined();
      for await (const [key, value] of iterate!(undefined)) stored.push(`${String(key)} ${JSON.stringify(value)}`);
      expect(stored.some((entry) => entry.startsWith('round:'))).toBe(true);
      expect(stored.filter((entry) => entry.includes(a))).toEqual([]);
    } finally {
      await keyv.disconnect();
    }
    const stats = await command(rig.ids.users.moderator, 'host', 'stats');
    expect(stats.content).toContain('- Members paired: 2 (in 1 conversations)');
  });
});

describe('/setup off feature:pairing', () => {
  it('stops scheduled rounds', async () => {
    await setUpPairing();
    for (const name of ['A', 'B']) await joinedMember(name);
    const off = await command(rig.ids.users.moderator, 'setup', 'off', { feature: 'pairing' });
    expect(off.content).toContain('Pairing rounds are off');
    await rig.tickAt(FIRST_ROUND);
    expect(pairingThreads()).toHaveLength(0);
  });
});
