import { afterEach, describe, expect, it } from 'vitest';
import { DueIndex } from '../../src/store/dueIndex.ts';
import { openStore } from '../../src/store/openStore.ts';
import type { EmulatorOptions, StoredThread } from '../support/emulator.ts';
import { createRig, requestsTo, type Rig } from './rig.ts';

let rig: Rig;

// Monday 2026-01-12, 08:00 UTC. Rounds at 18:00 UTC.
const MONDAY_MORNING = '2026-01-12T08:00:00Z';
const FIRST_ROUND = '2026-01-12T18:00:00Z';

async function start(options: EmulatorOptions = {}, env: Record<string, string> = {}) {
  rig = await createRig(MONDAY_MORNING, options);
  await rig.startBot(env);
}

afterEach(async () => {
  await rig.close();
});

function command(userId: string, name: string, subcommand: string, options: Record<string, string | number | boolean> = {}, force = false) {
  return rig.emulator.runCommand({ channelId: rig.ids.channels.general, userId, name, subcommand, options, force });
}

const asModerator = (name: string, subcommand: string, options: Record<string, string | number | boolean> = {}) =>
  command(rig.ids.users.moderator, name, subcommand, options);

function setUpPairing(overrides: Record<string, string | number | boolean> = {}) {
  return asModerator('setup', 'pairing', {
    channel: rig.ids.channels.general,
    frequency: 'weekly',
    weekday: 'monday',
    time: '18:00',
    timezone: 'UTC',
    ...overrides,
  });
}

async function joinedMembers(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const userId = rig.emulator.createUser({ username: `member${i}` });
    rig.emulator.addMember(rig.ids.guildId, userId);
    await command(userId, 'exchange', 'profile', { languages: 'English' });
    const joined = await command(userId, 'exchange', 'join');
    expect(joined.content).toContain("You're in the exchange");
    ids.push(userId);
  }
  return ids;
}

function pairingThreads(): StoredThread[] {
  return rig.emulator.threads(rig.ids.channels.general).filter((thread) => thread.type === 12);
}

/** Removes Bridges from the server and waits until the bot has scheduled the deletion of its data. */
async function removeBot(): Promise<void> {
  rig.emulator.removeBotFromGuild(rig.ids.guildId);
  await until(async () => (await storedText()).includes(`due lifecycle:${rig.ids.guildId}`));
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not met');
}

/** Every key and value in the bot's store, as text. */
async function storedText(): Promise<string[]> {
  const store = await openStore(rig.databaseUrl, () => undefined);
  try {
    const entries: string[] = [];
    for await (const [key, value] of store.keyv.iterator!(undefined)) entries.push(`${String(key)} ${JSON.stringify(value)}`);
    entries.push(...(await store.backend.setMembers(`members:${rig.ids.guildId}`)).map((id) => `members:${rig.ids.guildId} ${id}`));
    for (const entry of await new DueIndex(store.backend, rig.emulator.applicationId).due(Number.MAX_SAFE_INTEGER, 10_000)) {
      entries.push(`due ${entry.lane}:${entry.guildId}`);
    }
    return entries;
  } finally {
    await store.close();
  }
}

describe('a round always reaches an end', () => {
  it('delivers the other groups when Discord refuses one introduction for good, and says why in /host stats and /setup show', async () => {
    await start();
    await setUpPairing();
    await joinedMembers(6);
    rig.emulator.failNext({ route: 'POST /channels/:channel_id/messages', status: 400, code: 50035, message: 'Invalid Form Body' });
    await rig.tickAt(FIRST_ROUND);
    const threads = pairingThreads();
    expect(threads).toHaveLength(3);
    expect(threads.filter((thread) => rig.emulator.messages(thread.id).length === 1)).toHaveLength(2);
    // Refused for good: never sent again, however often the scheduler wakes.
    await rig.tickAt('2026-01-12T19:00:00Z');
    const threadIds = new Set(threads.map((thread) => thread.id));
    const intros = requestsTo(rig, 'POST /channels/:channel_id/messages').filter((request) =>
      threadIds.has(request.path.split('/')[2] ?? ''),
    );
    expect(intros.map((request) => request.status).sort()).toEqual([200, 200, 400]);
    const stats = await asModerator('host', 'stats');
    expect(stats.content).toContain(
      '- Last round (1, Jan 12, 2026): delivered 2 of 3 groups; 1 failed: Discord refused the introduction (error 50035)',
    );
    const show = await asModerator('setup', 'show');
    expect(show.content).toContain('delivered 2 of 3 groups; 1 failed');
    expect((await asModerator('host', 'start-round')).content).toContain('Round 2');
  });

  it('stops the rest of a round when pairing is turned off, and accepts the next /host start-round', async () => {
    await start();
    await setUpPairing();
    await joinedMembers(12);
    rig.emulator.stopAfter({
      route: 'POST /channels/:channel_id/threads',
      count: 2,
      then: () => void asModerator('setup', 'off', { feature: 'pairing' }),
    });
    await rig.tickAt(FIRST_ROUND);
    const delivered = pairingThreads().length;
    expect(delivered).toBeGreaterThanOrEqual(2);
    expect(delivered).toBeLessThan(6);
    const stats = await asModerator('host', 'stats');
    expect(stats.content).toContain(
      `- Last round (1, Jan 12, 2026): delivered ${delivered} of 6 groups; ${6 - delivered} cancelled: pairing was turned off during the round`,
    );
    await rig.tickAt('2026-01-12T18:10:00Z');
    expect(pairingThreads()).toHaveLength(delivered);
    const next = await asModerator('host', 'start-round');
    expect(next.content).toContain('Round 2: 6 conversations started for 12 members');
  });

  it("never asks for more threads than the server has room for, and delivers the rest when the first round's threads are archived", async () => {
    await start();
    await setUpPairing({ follow_up_days: 1 });
    await joinedMembers(10);
    // Other threads of the server leave room for three more under Discord's limit of 1,000.
    for (let i = 0; i < 997; i++) rig.emulator.createThread(rig.ids.channels.dailyPrompts, { name: `chat ${i}` });
    const report = await asModerator('host', 'start-round');
    expect(report.content).toContain('Round 1: 3 conversations started');
    expect(report.content).toContain('2 groups are waiting for room for a thread');
    expect(requestsTo(rig, 'POST /channels/:channel_id/threads').filter((request) => request.status === 400)).toEqual([]);
    const stats = await asModerator('host', 'stats');
    expect(stats.content).toContain('delivered 3 of 5 groups; 2 groups waiting for room for a thread');
    // The check-in a day later, then the window closes four days after it: threads archived, room for the rest.
    await rig.tickAt('2026-01-13T08:00:00Z');
    await rig.tickAt('2026-01-17T08:00:00Z');
    expect(pairingThreads()).toHaveLength(5);
    expect(pairingThreads().filter((thread) => thread.archived)).toHaveLength(3);
    expect((await asModerator('host', 'stats')).content).toContain('- Last round (1, Jan 12, 2026): delivered 5 of 5 groups');
  });

  it('treats the thread limit met mid-round (160006) as no room: the group waits, nothing fails', async () => {
    await start({ maxActiveThreads: 3 });
    await setUpPairing({ follow_up_days: 1 });
    await joinedMembers(10);
    const report = await asModerator('host', 'start-round');
    expect(report.content).toContain('Round 1: 3 conversations started');
    expect(requestsTo(rig, 'POST /channels/:channel_id/threads').map((request) => request.status)).toEqual([201, 201, 201, 400]);
    expect((await asModerator('host', 'stats')).content).toContain('delivered 3 of 5 groups; 2 groups waiting for room for a thread');
  });
});

describe("a server's data", () => {
  async function serverWithData() {
    await asModerator('setup', 'prompts', { channel: rig.ids.channels.dailyPrompts, time: '09:00', timezone: 'UTC' });
    await setUpPairing();
    const members = await joinedMembers(4);
    await asModerator('host', 'start-round');
    return members;
  }

  it('is deleted after the grace period once Bridges is removed, and kept when it is added back in time', async () => {
    await start({}, { DATA_RETENTION_DAYS: '30' });
    await serverWithData();
    await removeBot();
    await rig.tickAt('2026-02-10T08:00:00Z');
    expect((await storedText()).filter((entry) => entry.includes(rig.ids.guildId)).length).toBeGreaterThan(0);
    await rig.tickAt('2026-02-11T08:00:01Z');
    expect((await storedText()).filter((entry) => entry.includes(rig.ids.guildId))).toEqual([]);
  });

  it('is kept, with its schedules, when Bridges is added back within the grace period', async () => {
    await start({}, { DATA_RETENTION_DAYS: '30' });
    await serverWithData();
    await removeBot();
    await rig.tickAt('2026-01-20T08:00:00Z');
    rig.emulator.addBotToGuild(rig.ids.guildId);
    // The bot hears of it from the gateway: its work is scheduled again, then the deletion is cancelled.
    await until(async () => {
      const stored = await storedText();
      return stored.includes(`due prompts:${rig.ids.guildId}`) && !stored.includes(`due lifecycle:${rig.ids.guildId}`);
    });
    await rig.tickAt('2026-02-12T09:00:00Z');
    const show = await asModerator('setup', 'show');
    expect(show.content).toContain('**Daily prompts:** on');
    expect(show.content).toContain('**Pairing rounds:** on');
    const posts = rig.emulator.messages(rig.ids.channels.dailyPrompts).filter((message) => message.interactionId === undefined);
    expect(posts.length).toBeGreaterThan(0);
  });

  it('is kept when Bridges is added back while it was offline: noticed at start-up, schedules resumed', async () => {
    await start({}, { DATA_RETENTION_DAYS: '30' });
    await serverWithData();
    await removeBot();
    await rig.stopBot();
    rig.emulator.addBotToGuild(rig.ids.guildId);
    await rig.startBot({ DATA_RETENTION_DAYS: '30' });
    await rig.tickAt('2026-02-12T09:00:00Z');
    expect((await asModerator('setup', 'show')).content).toContain('**Pairing rounds:** on');
    expect(
      rig.emulator.messages(rig.ids.channels.dailyPrompts).filter((message) => message.interactionId === undefined).length,
    ).toBeGreaterThan(0);
  });

  it('is removed while Bridges was offline too: noticed at start-up, deleted after the grace period', async () => {
    await start({}, { DATA_RETENTION_DAYS: '30' });
    await serverWithData();
    await rig.stopBot();
    rig.emulator.removeBotFromGuild(rig.ids.guildId);
    await rig.startBot({ DATA_RETENTION_DAYS: '30' });
    await rig.tickAt('2026-02-11T08:00:01Z');
    expect((await storedText()).filter((entry) => entry.includes(rig.ids.guildId))).toEqual([]);
  });

  it('is deleted at once by /setup forget-server after its confirm button, which only Manage Server can press', async () => {
    await start();
    const members = await serverWithData();
    const ask = await asModerator('setup', 'forget-server');
    expect(ask.ephemeral).toBe(true);
    const confirm = JSON.stringify(ask.components).match(/setup-forget-server:confirm/)![0];
    // The permission is checked again when the button is pressed: a moderator who lost it meanwhile is refused.
    rig.emulator.setMemberRoles(rig.ids.guildId, rig.ids.users.moderator, []);
    const refused = await rig.emulator.clickButton({
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.moderator,
      messageId: ask.message!.id,
      customId: confirm,
    });
    expect(refused.content).toContain('You need the **Manage Server** permission');
    expect((await storedText()).filter((entry) => entry.includes(rig.ids.guildId)).length).toBeGreaterThan(0);
    expect(members).toHaveLength(4);

    rig.emulator.setMemberRoles(rig.ids.guildId, rig.ids.users.moderator, [rig.ids.roles.moderators]);
    const done = await rig.emulator.clickButton({
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.moderator,
      messageId: ask.message!.id,
      customId: confirm,
    });
    expect(done.content).toContain('everything Bridges stored about this server is deleted');
    expect((await storedText()).filter((entry) => entry.includes(rig.ids.guildId))).toEqual([]);
    expect((await asModerator('setup', 'show')).content).toContain('**Daily prompts:** not set up');
  });
});

describe('big servers', () => {
  it('asks the gateway who is still in the server, 100 members at a time, and never one REST call per member', async () => {
    await start();
    await setUpPairing();
    const members = await joinedMembers(230);
    for (const userId of members.slice(0, 3)) rig.emulator.removeMember(rig.ids.guildId, userId);
    const report = await asModerator('host', 'start-round');
    expect(report.content).toContain('3 members had left the server');
    expect(report.content).toContain('still being delivered');
    await rig.tickAt('2026-01-12T08:00:20Z');
    expect(pairingThreads()).toHaveLength(113);
    expect(requestsTo(rig, 'GET /guilds/:guild_id/members/:user_id')).toEqual([]);
    const requests = rig.emulator.memberRequests.filter((request) => request.guildId === rig.ids.guildId);
    expect(requests.map((request) => request.userIds?.length)).toEqual([100, 100, 30]);
    expect(pairingThreads().flatMap((thread) => thread.memberIds)).not.toContain(members[0]);
  }, 60_000);
});
