import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InteractionResult, StoredThread } from '../support/emulator.ts';
import { openKeyv } from '../../src/store/openStore.ts';
import { botPosts, createRig, type Rig } from './rig.ts';

let rig: Rig;

// Monday 2026-01-12; rounds at 18:00 Berlin time (17:00 UTC), check-ins three days later.
const MONDAY_MORNING = '2026-01-12T08:00:00Z';
const FIRST_ROUND = '2026-01-12T17:00:00Z';
const FIRST_CHECK_IN = '2026-01-15T17:00:00Z';

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

function avoidCommand(userId: string, subcommand: 'add' | 'remove' | 'list', member?: string) {
  return rig.emulator.runCommand({
    channelId: rig.ids.channels.general,
    userId,
    name: 'exchange',
    subcommandGroup: 'avoid',
    subcommand,
    options: member === undefined ? {} : { member },
  });
}

async function setUpPairing() {
  const reply = await command(rig.ids.users.moderator, 'setup', 'pairing', {
    channel: rig.ids.channels.general,
    frequency: 'weekly',
    weekday: 'monday',
    time: '18:00',
    timezone: 'Europe/Berlin',
    follow_up_days: 3,
  });
  expect(reply.content).toContain('Pairing rounds are on');
}

async function setUpTakeaways(channel = rig.ids.channels.dailyPrompts) {
  return command(rig.ids.users.moderator, 'setup', 'takeaways', { channel });
}

async function joinedMember(name: string): Promise<string> {
  const userId = rig.emulator.createUser({ username: name.toLowerCase(), globalName: name });
  rig.emulator.addMember(rig.ids.guildId, userId);
  await command(userId, 'exchange', 'profile', { languages: 'English' });
  const joined = await command(userId, 'exchange', 'join');
  expect(joined.modal).toBeUndefined();
  return userId;
}

function pairingThreads(): StoredThread[] {
  return rig.emulator.threads(rig.ids.channels.general).filter((thread) => thread.type === 12);
}

/** Every stored key and value, as text. */
async function storedEntries(): Promise<string[]> {
  const keyv = await openKeyv(rig.databaseUrl, () => undefined);
  try {
    const stored: string[] = [];
    for await (const [key, value] of keyv.iterator!(undefined)) stored.push(`${String(key)} ${JSON.stringify(value)}`);
    return stored;
  } finally {
    await keyv.disconnect();
  }
}

function takeawayPosts() {
  return botPosts(rig, rig.ids.channels.dailyPrompts);
}

/** Two members in one conversation, both answered "We met"; the buttons each saw with their answer. */
async function conversationThatMet() {
  await setUpPairing();
  const a = await joinedMember('Amara');
  const b = await joinedMember('Bo');
  await rig.tickAt(FIRST_ROUND);
  await rig.tickAt(FIRST_CHECK_IN);
  const thread = pairingThreads()[0]!;
  const checkIn = rig.emulator.messages(thread.id).find((message) => message.components.length > 0)!;
  const met = JSON.stringify(checkIn.components).match(/checkin:[^"]+:met/)![0];
  const answers = new Map<string, InteractionResult>();
  for (const userId of [a, b]) {
    answers.set(userId, await rig.emulator.clickButton({ channelId: thread.id, userId, messageId: checkIn.id, customId: met }));
  }
  return { a, b, thread, answers };
}

function customIdOf(result: InteractionResult, pattern: RegExp): string {
  const found = JSON.stringify(result.components).match(pattern)?.[0];
  expect(found, `no component matching ${pattern}`).toBeDefined();
  return found!;
}

async function press(result: InteractionResult, userId: string, channelId: string, pattern: RegExp) {
  return rig.emulator.clickButton({ channelId, userId, messageId: result.message!.id, customId: customIdOf(result, pattern) });
}

/** Presses a share button and submits the form it opens. */
async function share(answer: InteractionResult, userId: string, threadId: string, how: 'credited' | 'anonymous', text: string) {
  const opened = await press(answer, userId, threadId, new RegExp(`takeaway:[^"]+:${how}`));
  expect(opened.modal, opened.content).toBeDefined();
  const formId = String(opened.modal!.custom_id);
  return rig.emulator.submitModal({ channelId: threadId, userId, customId: formId, fields: { text } });
}

describe('after "We met"', () => {
  it('offers a takeaway and thanks, and posts the takeaways once both agreed, with Markdown and mentions made harmless', async () => {
    expect((await setUpTakeaways()).content).toContain(`Takeaways will be posted in <#${rig.ids.channels.dailyPrompts}>`);
    const { a, b, thread, answers } = await conversationThatMet();
    const answer = answers.get(a)!;
    expect(answer.content).toContain('Would you like to share a takeaway?');
    expect(JSON.stringify(answer.components)).toMatch(/takeaway:[^"]+:thanks/);

    const first = await share(answer, a, thread.id, 'credited', '**Bold** claims @everyone <@123456789012345678> about tea');
    expect(first.ephemeral).toBe(true);
    expect(first.content).toContain('will be posted once everyone in your conversation has agreed');
    expect(takeawayPosts()).toHaveLength(0);

    const second = await share(answers.get(b)!, b, thread.id, 'anonymous', 'Bo learned how to say thank you in Yoruba.');
    expect(second.content).toContain(`posted in <#${rig.ids.channels.dailyPrompts}>`);
    const posts = takeawayPosts();
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.content).toContain('\\*\\*Bold\\*\\*');
    expect(post.content).not.toContain('<@123456789012345678>');
    expect(post.content).toContain(`— <@${a}>`);
    expect(post.content).toContain('Bo learned how to say thank you in Yoruba.');
    expect(post.content).toContain('— a member, anonymously');
    expect(post.content).not.toContain(`<@${b}>`);
    expect(post.allowedMentions).toEqual({ parse: [] });
  });

  it('posts nothing when one member declines', async () => {
    await setUpTakeaways();
    const { a, b, thread, answers } = await conversationThatMet();
    await share(answers.get(a)!, a, thread.id, 'credited', 'We compared our grandmothers’ recipes.');
    const declined = await press(answers.get(b)!, b, thread.id, /takeaway:[^"]+:decline/);
    expect(declined.content).toBe('Understood: nothing from your conversation will be posted.');
    const again = await press(answers.get(b)!, b, thread.id, /takeaway:[^"]+:anonymous/);
    expect(again.content).toContain('You already chose for this conversation');
    expect(takeawayPosts()).toHaveLength(0);
  });

  it('withdraws: the post is edited without the text, then deleted when nothing is left', async () => {
    await setUpTakeaways();
    const { a, b, thread, answers } = await conversationThatMet();
    const mine = await share(answers.get(a)!, a, thread.id, 'credited', 'Amara’s takeaway about lullabies.');
    const theirs = await share(answers.get(b)!, b, thread.id, 'credited', 'Bo’s takeaway about festivals.');
    const post = takeawayPosts()[0]!;

    const withdrawn = await press(mine, a, thread.id, /takeaway:[^"]+:withdraw/);
    expect(withdrawn.content).toContain('Your takeaway is withdrawn');
    const edited = rig.emulator.message(post.id)!;
    expect(edited.content).not.toContain('lullabies');
    expect(edited.content).toContain('festivals');

    await press(theirs, b, thread.id, /takeaway:[^"]+:withdraw/);
    expect(takeawayPosts()).toHaveLength(0);
    const nothingLeft = await press(theirs, b, thread.id, /takeaway:[^"]+:withdraw/);
    expect(nothingLeft.content).toContain('Your takeaway is withdrawn');
  });

  it('/exchange takeaways withdraws later, without the confirmation, and lists only what is still shared', async () => {
    await setUpTakeaways();
    const { a, b, thread, answers } = await conversationThatMet();
    // The confirmations these return are dismissed: nothing below presses a button on them.
    await share(answers.get(a)!, a, thread.id, 'credited', 'Amara’s takeaway about lullabies.');
    await share(answers.get(b)!, b, thread.id, 'anonymous', 'Bo’s takeaway about festivals.');
    const post = takeawayPosts()[0]!;

    const listed = await command(a, 'exchange', 'takeaways');
    expect(listed.ephemeral).toBe(true);
    expect(JSON.stringify(listed.embeds)).toContain('Round 1');
    expect(JSON.stringify(listed.embeds)).toContain('lullabies');
    expect(JSON.stringify(listed.embeds)).not.toContain('festivals');
    const withdrawn = await press(listed, a, rig.ids.channels.general, /takeaway:[^"]+:withdraw/);
    expect(withdrawn.content).toContain('Your takeaway is withdrawn');
    const edited = rig.emulator.message(post.id)!;
    expect(edited.content).not.toContain('lullabies');
    expect(edited.content).toContain('festivals');
    expect(JSON.stringify(await storedEntries())).not.toContain('lullabies');

    const afterwards = await command(a, 'exchange', 'takeaways');
    expect(afterwards.content).toContain('You have no shared takeaways in this server to withdraw');
    expect(afterwards.components).toHaveLength(0);
    expect(JSON.stringify((await command(b, 'exchange', 'takeaways')).embeds)).toContain('festivals');
  });

  it('/exchange takeaways with nothing to withdraw says so and changes nothing', async () => {
    await setUpTakeaways();
    const { a, b, thread, answers } = await conversationThatMet();
    await press(answers.get(a)!, a, thread.id, /takeaway:[^"]+:decline/);
    const before = await storedEntries();
    const postsBefore = rig.emulator.messages(rig.ids.channels.dailyPrompts).length;

    for (const userId of [a, b]) {
      const reply = await command(userId, 'exchange', 'takeaways');
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toContain('You have no shared takeaways in this server to withdraw');
      expect(reply.components).toHaveLength(0);
      expect(reply.embeds).toHaveLength(0);
    }
    expect(await storedEntries()).toEqual(before);
    expect(rig.emulator.messages(rig.ids.channels.dailyPrompts)).toHaveLength(postsBefore);
  });

  it('never posts twice: a form submitted twice and a share button pressed again', async () => {
    await setUpTakeaways();
    const { a, b, thread, answers } = await conversationThatMet();
    await share(answers.get(a)!, a, thread.id, 'credited', 'A takeaway about rivers.');
    const opened = await press(answers.get(b)!, b, thread.id, /takeaway:[^"]+:anonymous/);
    const formId = String(opened.modal!.custom_id);
    const submissions = await Promise.all([
      rig.emulator.submitModal({ channelId: thread.id, userId: b, customId: formId, fields: { text: 'A takeaway about bridges.' } }),
      rig.emulator.submitModal({ channelId: thread.id, userId: b, customId: formId, fields: { text: 'A takeaway about bridges.' } }),
    ]);
    expect(submissions.filter((reply) => reply.content?.includes('You already chose'))).toHaveLength(1);
    const again = await press(answers.get(a)!, a, thread.id, /takeaway:[^"]+:credited/);
    expect(again.content).toContain('You already chose');
    expect(takeawayPosts()).toHaveLength(1);
  });

  it('refuses a takeaway outside the bounds, storing nothing', async () => {
    await setUpTakeaways();
    const { a, b, thread, answers } = await conversationThatMet();
    const opened = await press(answers.get(a)!, a, thread.id, /takeaway:[^"]+:credited/);
    const tooShort = await rig.emulator.submitModal({
      channelId: thread.id,
      userId: a,
      customId: String(opened.modal!.custom_id),
      fields: { text: '   tiny   ' },
    });
    expect(tooShort.content).toBe('A takeaway has 10 to 400 characters; yours has 4. Please write it again.');
    // Nothing was stored: a's share button still opens the form, and b sharing posts nothing yet.
    expect((await press(answers.get(a)!, a, thread.id, /takeaway:[^"]+:credited/)).modal).toBeDefined();
    await share(answers.get(b)!, b, thread.id, 'credited', 'Something long enough.');
    expect(takeawayPosts()).toHaveLength(0);
  });

  it('refuses to share before a moderator chose a takeaways channel', async () => {
    const { a, thread, answers } = await conversationThatMet();
    const refused = await press(answers.get(a)!, a, thread.id, /takeaway:[^"]+:credited/);
    expect(refused.modal).toBeUndefined();
    expect(refused.content).toContain('`/setup takeaways`');
  });

  it('sends thanks once, mentioning exactly the partner', async () => {
    const { a, b, thread, answers } = await conversationThatMet();
    const before = rig.emulator.messages(thread.id).length;
    const sent = await press(answers.get(a)!, a, thread.id, /takeaway:[^"]+:thanks/);
    expect(sent.content).toContain('Your thanks are posted');
    const again = await press(answers.get(a)!, a, thread.id, /takeaway:[^"]+:thanks/);
    expect(again.content).toBe('You already sent your thanks for this conversation.');
    const posted = rig.emulator.messages(thread.id).slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.content).toBe(`<@${a}> says thank you to <@${b}> for the conversation!`);
    expect(posted[0]!.allowedMentions).toEqual({ parse: [], users: [b] });
  });

  it('answers a malformed or stale takeaway id with "expired", changing nothing', async () => {
    const { a, thread } = await conversationThatMet();
    for (const customId of [
      'takeaway:2026-01-12-1:0:bogus',
      'takeaway:2026-01-12-1:x:form-credited',
      'takeaway:2026-01-12-1:-1:form-credited',
    ]) {
      const reply = await rig.emulator.submitModal({
        channelId: thread.id,
        userId: a,
        customId,
        fields: { text: 'A takeaway about rivers.' },
      });
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toBe('This button has expired. Run the command again.');
    }
    expect(takeawayPosts()).toHaveLength(0);
  });

  it('does not offer takeaways with "Not yet"', async () => {
    await setUpPairing();
    const a = await joinedMember('Amara');
    await joinedMember('Bo');
    await rig.tickAt(FIRST_ROUND);
    await rig.tickAt(FIRST_CHECK_IN);
    const thread = pairingThreads()[0]!;
    const checkIn = rig.emulator.messages(thread.id).find((message) => message.components.length > 0)!;
    const notYet = JSON.stringify(checkIn.components).match(/checkin:[^"]+:not-yet/)![0];
    const answer = await rig.emulator.clickButton({ channelId: thread.id, userId: a, messageId: checkIn.id, customId: notYet });
    expect(JSON.stringify(answer.components)).not.toContain('takeaway:');
  });
});

describe('/setup takeaways', () => {
  it.each([
    ['an announcement channel', 'announcements', 'is not a text channel'],
    ['a channel where Bridges cannot write', 'readOnly', 'missing **Send Messages**'],
  ] as const)('refuses %s, and changes nothing', async (_label, channel, message) => {
    const reply = await command(rig.ids.users.moderator, 'setup', 'takeaways', { channel: rig.ids.channels[channel] }, true);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain(message);
    const { a, thread, answers } = await conversationThatMet();
    expect((await press(answers.get(a)!, a, thread.id, /takeaway:[^"]+:credited/)).content).toContain('no takeaways channel yet');
  });

  it('refuses a member without Manage Server', async () => {
    const reply = await command(rig.ids.users.member, 'setup', 'takeaways', { channel: rig.ids.channels.dailyPrompts }, true);
    expect(reply.content).toBe('You need the **Manage Server** permission to use `/setup`.');
  });
});

describe('/exchange avoid', () => {
  it('adds, lists (also in /exchange me) and removes, privately', async () => {
    const a = await joinedMember('Amara');
    const b = await joinedMember('Bo');
    const added = await avoidCommand(a, 'add', b);
    expect(added.ephemeral).toBe(true);
    expect(added.content).toBe(`You will never be paired with <@${b}> again. You avoid 1 member (at most 25).`);
    expect(added.allowedMentions).toEqual({ parse: [] });
    expect(JSON.stringify((await avoidCommand(a, 'list')).embeds)).toContain(`<@${b}>`);
    expect(JSON.stringify((await command(a, 'exchange', 'me')).embeds)).toContain(`<@${b}>`);
    const removed = await avoidCommand(a, 'remove', b);
    expect(removed.content).toBe(`<@${b}> can be paired with you again. You avoid 0 members.`);
    expect(JSON.stringify((await avoidCommand(a, 'list')).embeds)).toContain('You avoid nobody.');
  });

  it('refuses oneself, a bot, someone already avoided and someone not listed, changing nothing', async () => {
    const a = await joinedMember('Amara');
    const b = await joinedMember('Bo');
    expect((await avoidCommand(a, 'add', a)).content).toBe('You cannot avoid yourself.');
    expect((await avoidCommand(a, 'add', rig.emulator.botUserId)).content).toContain('Bots never take part');
    expect((await avoidCommand(a, 'remove', b)).content).toContain('is not on your list');
    await avoidCommand(a, 'add', b);
    expect((await avoidCommand(a, 'add', b)).content).toBe(`You already avoid <@${b}>.`);
    const list = JSON.stringify((await avoidCommand(a, 'list')).embeds);
    expect(list).toContain(`<@${b}>`);
    expect(list).not.toContain(`<@${a}>`);
    expect(list).not.toContain(rig.emulator.botUserId);
  });

  it('is never relaxed: two members who avoid each other are never paired, round after round', async () => {
    await setUpPairing();
    const a = await joinedMember('Amara');
    const b = await joinedMember('Bo');
    const c = await joinedMember('Chen');
    const d = await joinedMember('Dana');
    await avoidCommand(b, 'add', a);
    const mondays = ['2026-01-12', '2026-01-19', '2026-01-26', '2026-02-02', '2026-02-09'];
    for (const monday of mondays) await rig.tickAt(`${monday}T17:00:00Z`);
    const groups = pairingThreads().map((thread) => thread.memberIds);
    expect(groups.length).toBeGreaterThanOrEqual(mondays.length);
    for (const group of groups) expect(group.includes(a) && group.includes(b)).toBe(false);
    // Everyone else kept meeting: c and d each met both a and b at some point.
    for (const other of [c, d]) {
      expect(groups.some((group) => group.includes(other) && group.includes(a))).toBe(true);
      expect(groups.some((group) => group.includes(other) && group.includes(b))).toBe(true);
    }
  });

  it('leaves a pair who avoid each other unpaired rather than pair them', async () => {
    await setUpPairing();
    const a = await joinedMember('Amara');
    const b = await joinedMember('Bo');
    await avoidCommand(a, 'add', b);
    await rig.tickAt(FIRST_ROUND);
    await rig.tickAt('2026-01-19T17:00:00Z');
    expect(pairingThreads()).toHaveLength(0);
  });
});

describe('forgetting', () => {
  it("/exchange forget deletes a member's takeaway, thanks and avoid list, and takes the text out of the post", async () => {
    await setUpTakeaways();
    const { a, b, thread, answers } = await conversationThatMet();
    const c = await joinedMember('Chen');
    await avoidCommand(a, 'add', c);
    await share(answers.get(a)!, a, thread.id, 'credited', 'Amara’s takeaway about lullabies.');
    await share(answers.get(b)!, b, thread.id, 'credited', 'Bo’s takeaway about festivals.');
    await press(answers.get(a)!, a, thread.id, /takeaway:[^"]+:thanks/);
    const post = takeawayPosts()[0]!;

    const ask = await command(a, 'exchange', 'forget');
    const confirm = JSON.stringify(ask.components).match(/exchange-forget:confirm/)![0];
    await rig.emulator.clickButton({ channelId: rig.ids.channels.general, userId: a, messageId: ask.message!.id, customId: confirm });

    expect(rig.emulator.message(post.id)!.content).not.toContain('lullabies');
    expect(rig.emulator.message(post.id)!.content).toContain('festivals');
    const stored = await storedEntries();
    expect(stored.filter((entry) => entry.startsWith('takeaways:') || entry.startsWith('avoid-lists:'))).not.toEqual([]);
    expect(stored.filter((entry) => entry.includes(a) || entry.includes('lullabies'))).toEqual([]);
  });

  it('/exchange forget is offered to a member whose only data is their avoid list', async () => {
    const a = rig.emulator.createUser({ username: 'amara', globalName: 'Amara' });
    rig.emulator.addMember(rig.ids.guildId, a);
    const b = await joinedMember('Bo');
    await avoidCommand(a, 'add', b);
    const ask = await command(a, 'exchange', 'forget');
    expect(JSON.stringify(ask.components)).toContain('exchange-forget:confirm');
  });

  it('deletes the takeaways of a round when it leaves the kept history', async () => {
    await setUpTakeaways();
    const { a, thread, answers } = await conversationThatMet();
    await share(answers.get(a)!, a, thread.id, 'credited', 'Amara’s takeaway about lullabies.');
    expect((await storedEntries()).filter((entry) => entry.includes('lullabies'))).toHaveLength(1);
    const mondays = ['2026-01-19', '2026-01-26', '2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23', '2026-03-02', '2026-03-09'];
    for (const monday of mondays) await rig.tickAt(`${monday}T17:00:00Z`);
    const stored = await storedEntries();
    expect(stored.filter((entry) => entry.startsWith('round:'))).toHaveLength(8);
    expect(stored.filter((entry) => entry.includes('lullabies'))).toEqual([]);
  });

  it('/setup forget-server deletes the takeaways, the channel and the avoid lists', async () => {
    await setUpTakeaways();
    const { a, b, thread, answers } = await conversationThatMet();
    await avoidCommand(a, 'add', b);
    await share(answers.get(a)!, a, thread.id, 'credited', 'Amara’s takeaway about lullabies.');
    const ask = await command(rig.ids.users.moderator, 'setup', 'forget-server');
    const confirm = JSON.stringify(ask.components).match(/setup-forget-server:confirm/)![0];
    await rig.emulator.clickButton({
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.moderator,
      messageId: ask.message!.id,
      customId: confirm,
    });
    const stored = await storedEntries();
    expect(stored.filter((entry) => /^(takeaways|takeaway-settings|avoid-lists):/.test(entry))).toEqual([]);
  });
});
