import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import type { InteractionResult, OptionValue, StoredMessage } from '../support/emulator.ts';
import { Permissions } from '../support/emulator/permissions.ts';
import { botPosts, createRig, type Rig } from './rig.ts';

let rig: Rig;
let review: string;

beforeEach(async () => {
  rig = await createRig('2026-01-15T06:00:00Z');
  const { guildId } = rig.ids;
  review = rig.emulator.createChannel(guildId, {
    name: 'suggestion-review',
    permissionOverwrites: [
      { id: guildId, type: 'role', deny: Permissions.VIEW_CHANNEL },
      { id: rig.ids.roles.moderators, type: 'role', allow: Permissions.VIEW_CHANNEL },
      { id: rig.emulator.botUserId, type: 'member', allow: Permissions.VIEW_CHANNEL },
    ],
  });
  await rig.startBot();
});

afterEach(async () => {
  await rig.close();
});

function setup(options: Record<string, OptionValue>, userId = rig.ids.users.moderator, force = false) {
  return rig.emulator.runCommand({ channelId: rig.ids.channels.general, userId, name: 'setup', subcommand: 'suggestions', options, force });
}

function suggest(options: Record<string, OptionValue>, userId = rig.ids.users.member, extra: { force?: boolean; locale?: string } = {}) {
  return rig.emulator.runCommand({
    channelId: rig.ids.channels.general,
    userId,
    name: 'suggest',
    subcommand: 'prompt',
    options: { theme: 'shared-experiences', ...options },
    ...extra,
  });
}

function prompts(subcommand: string, options: Record<string, OptionValue> = {}) {
  return rig.emulator.runCommand({
    channelId: rig.ids.channels.general,
    userId: rig.ids.users.moderator,
    name: 'prompts',
    subcommand,
    options,
  });
}

function reviewPosts(): StoredMessage[] {
  return botPosts(rig, review);
}

function embed(message: { embeds: unknown[] } | undefined): {
  title?: string;
  description?: string;
  fields?: { name: string; value: string }[];
} {
  return (message?.embeds[0] ?? {}) as { title?: string; description?: string; fields?: { name: string; value: string }[] };
}

function buttons(message: { components: unknown[] } | undefined): string[] {
  return (message?.components ?? []).flatMap((row) =>
    (row as { components: { custom_id: string }[] }).components.map((button) => button.custom_id),
  );
}

function click(messageId: string, customId: string, userId = rig.ids.users.moderator) {
  return rig.emulator.clickButton({ channelId: review, messageId, customId, userId });
}

async function exported(): Promise<{ prompts: { theme: string; text: string; author?: string }[]; disabledBuiltIn: string[] }> {
  const reply = await prompts('export');
  const id = reply.message?.attachments[0]?.id ?? '';
  return JSON.parse(rig.emulator.attachmentContent(id)?.toString('utf8') ?? '{}') as {
    prompts: { theme: string; text: string; author?: string }[];
    disabledBuiltIn: string[];
  };
}

/** The private notice a member gets on the command after a decision. */
async function noticeOn(result: InteractionResult): Promise<StoredMessage> {
  await rig.emulator.waitFor(() => rig.emulator.interaction(result.interactionId).followUps.length > 0);
  const [notice, ...more] = rig.emulator.interaction(result.interactionId).followUps;
  expect(more).toEqual([]);
  if (!notice) throw new Error('no notice');
  return notice;
}

const TEXT = 'Which dish from your childhood would you cook for a new friend, and why that one?';

describe('/setup suggestions', () => {
  it('chooses the review channel; until then /suggest is refused and nothing is posted', async () => {
    const early = await suggest({ text: TEXT });
    expect(early.ephemeral).toBe(true);
    expect(early.content).toContain('Suggestions are not open in this server yet');
    expect(reviewPosts()).toEqual([]);

    const set = await setup({ channel: review });
    expect(set.ephemeral).toBe(true);
    expect(set.content).toContain(`<#${review}>`);
    expect(set.allowedMentions).toEqual({ parse: [] });
  });

  it('/setup show names the review channel and the takeaways channel once chosen, and neither before', async () => {
    const show = () =>
      rig.emulator.runCommand({ channelId: rig.ids.channels.general, userId: rig.ids.users.moderator, name: 'setup', subcommand: 'show' });
    const before = (await show()).content ?? '';
    expect(before).not.toContain('Member suggestions are reviewed in');
    expect(before).not.toContain('Takeaways are posted in');

    await setup({ channel: review });
    const withReview = (await show()).content ?? '';
    expect(withReview).toContain(`Member suggestions are reviewed in <#${review}>.`);
    expect(withReview).not.toContain('Takeaways are posted in');

    const takeaways = await rig.emulator.runCommand({
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.moderator,
      name: 'setup',
      subcommand: 'takeaways',
      options: { channel: rig.ids.channels.dailyPrompts },
    });
    expect(takeaways.content).toContain('Takeaways will be posted in');
    const shown = await show();
    expect(shown.content).toContain(`Member suggestions are reviewed in <#${review}>.`);
    expect(shown.content).toContain(
      `Takeaways are posted in <#${rig.ids.channels.dailyPrompts}>, only when every member of a conversation agrees.`,
    );
    expect(shown.allowedMentions).toEqual({ parse: [] });
  });

  it('refuses a voice channel, a channel Bridges cannot open threads in, and a member without Manage Server, changing nothing', async () => {
    const voice = await setup({ channel: rig.ids.channels.voice }, rig.ids.users.moderator, true);
    expect(voice.content).toContain('is not a text channel');
    const noThreads = await setup({ channel: rig.ids.channels.noPublicThreads });
    expect(noThreads.content).toContain('Create Public Threads');
    const member = await setup({ channel: review }, rig.ids.users.member, true);
    expect(member.content).toContain('Manage Server');
    expect((await suggest({ text: TEXT })).content).toContain('Suggestions are not open in this server yet');
  });
});

describe('/suggest prompt', () => {
  beforeEach(async () => {
    await setup({ channel: review });
  });

  it('posts the suggestion for review with Approve, Edit and Reject, its Markdown and mentions neutralised', async () => {
    const reply = await suggest({ text: 'What  **food** reminds you of home, @everyone <@123456789012345678>?' });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('#1');
    const [post] = reviewPosts();
    expect(embed(post).title).toBe('Suggestion #1 · Shared Experiences');
    expect(embed(post).description).toBe('What \\*\\*food\\*\\* reminds you of home, ＠everyone <＠123456789012345678>?');
    expect(embed(post).fields?.[0]?.value).toBe(`<@${rig.ids.users.member}>`);
    expect(post?.allowedMentions).toEqual({ parse: [] });
    expect(buttons(post)).toEqual(['suggestion:approve:1', 'suggestion:edit:1', 'suggestion:reject:1']);
  });

  it('refuses a text too short or too long, posting nothing', async () => {
    const short = await suggest({ text: '  Why   ?   ' }, rig.ids.users.member, { force: true });
    expect(short.content).toContain('at least 10 characters');
    const long = await suggest({ text: 'a'.repeat(301) }, rig.ids.users.member, { force: true });
    expect(long.content).toContain('at most 300 characters');
    expect(reviewPosts()).toEqual([]);
  });

  it('refuses a near duplicate of a built-in prompt, in English or in the server’s other language, and of a pending suggestion', async () => {
    const catalog = await loadThemeCatalog();
    const builtIn = catalog.themes[0]?.prompts[0];
    if (!builtIn) throw new Error('no prompt');
    const english = await suggest({ text: builtIn.text.toUpperCase().replace(/[?.!]/g, '') + ' !!' });
    expect(english.content).toContain('nearly the same prompt');

    const spanish = catalog.promptText(builtIn.id, 'es-ES') ?? '';
    const inSpanish = await suggest({ text: spanish.normalize('NFD').replace(/\p{M}/gu, '') }, rig.ids.users.member, { locale: 'es-ES' });
    expect(inSpanish.content).toContain(spanish.slice(0, 20));

    await suggest({ text: TEXT });
    const again = await suggest({ text: TEXT.replace('dish', 'dishes') }, rig.ids.users.owner);
    expect(again.content).toContain('nearly the same prompt');
    expect(reviewPosts()).toHaveLength(1);
  });

  it('a suggestion that cannot be posted for review is refused and not kept', async () => {
    rig.emulator.deleteChannel(review);
    await rig.emulator.waitFor(() => !rig.bot.client.channels.cache.has(review));
    for (let i = 0; i < 4; i++) {
      const refused = await suggest({ text: `${TEXT} (${i})` });
      expect(refused.content).toContain('could not post your suggestion');
    }
    // None of them counted towards the limit of three: the next one is refused for the same reason only.
    expect((await suggest({ text: 'Which word in your language has no translation?' })).content).toContain('could not post');
  });

  it('allows at most three pending suggestions per member', async () => {
    for (const topic of ['a song', 'a festival', 'a proverb']) {
      expect((await suggest({ text: `Tell us about ${topic} that your grandparents loved.` })).content).toContain('waiting');
    }
    const fourth = await suggest({ text: 'Which word in your language has no translation?' });
    expect(fourth.content).toContain('3 suggestions waiting');
    expect(reviewPosts()).toHaveLength(3);
    // Another member is not held back by them.
    expect((await suggest({ text: 'Which word in your language has no translation?' }, rig.ids.users.owner)).content).toContain('waiting');
  });
});

describe('reviewing', () => {
  beforeEach(async () => {
    await setup({ channel: review });
  });

  it('Approve adds the prompt credited to its author, tells them in a thread and once on their next command', async () => {
    await suggest({ text: TEXT });
    const [post] = reviewPosts();
    const approved = await click(post?.id ?? '', 'suggestion:approve:1');
    expect(approved.callbackType).toBe(7);
    expect(buttons(approved)).toEqual([]);
    expect(embed(approved).fields?.[1]?.value).toBe(`Approved by <@${rig.ids.users.moderator}> as \`s1\``);

    // The thread follows the answer to the click.
    const note = await rig.emulator.waitFor(() => rig.emulator.threads(review).flatMap((thread) => botPosts(rig, thread.id))[0]);
    expect(rig.emulator.threads(review).map((thread) => thread.name)).toEqual(['Suggestion #1']);
    expect(note?.content).toContain(`<@${rig.ids.users.member}> Your suggestion #1`);
    expect(note?.allowedMentions).toEqual({ parse: [], users: [rig.ids.users.member] });

    const next = await rig.emulator.runCommand({ channelId: rig.ids.channels.general, userId: rig.ids.users.member, name: 'themes' });
    const notice = await noticeOn(next);
    expect(notice.ephemeral).toBe(true);
    expect(notice.content).toContain('was approved');
    expect(notice.content).toContain('credited to you');

    // A second suggestion decided later: the next notice names only it.
    await suggest({ text: 'What is a small gesture that means a lot where you grew up?' });
    await click(reviewPosts()[1]?.id ?? '', 'suggestion:approve:2');
    const later = await rig.emulator.runCommand({ channelId: rig.ids.channels.general, userId: rig.ids.users.member, name: 'themes' });
    const second = await noticeOn(later);
    expect(second.content).toContain('#2');
    expect(second.content).not.toContain('#1');

    const listed = (await prompts('list')).embeds[0] as { description?: string };
    expect(listed.description).toContain(`\`s1\` · Shared Experiences · ${TEXT} · Suggested by <@${rig.ids.users.member}>`);

    expect((await exported()).prompts).toEqual([
      { theme: 'shared-experiences', text: TEXT, author: rig.ids.users.member },
      { theme: 'shared-experiences', text: 'What is a small gesture that means a lot where you grew up?', author: rig.ids.users.member },
    ]);
  });

  it('an anonymous suggestion is approved without its author', async () => {
    await suggest({ text: TEXT, anonymous: true });
    expect(embed(reviewPosts()[0]).fields?.[0]?.value).toContain('asked not to be credited');
    await click(reviewPosts()[0]?.id ?? '', 'suggestion:approve:1');
    expect((await exported()).prompts).toEqual([{ theme: 'shared-experiences', text: TEXT }]);
  });

  it('a member without Manage Server pressing Approve is refused and nothing changes', async () => {
    await suggest({ text: TEXT });
    const [post] = reviewPosts();
    const refused = await click(post?.id ?? '', 'suggestion:approve:1', rig.ids.users.member);
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toContain('Only members with the **Manage Server** permission');
    expect(buttons(rig.emulator.message(post?.id ?? ''))).toHaveLength(3);
    expect(rig.emulator.threads(review)).toEqual([]);
    expect((await exported()).prompts).toEqual([]);
  });

  it('two moderators approving at once: one approval, the other is refused', async () => {
    await suggest({ text: TEXT });
    const [post] = reviewPosts();
    const [first, second] = await Promise.all([
      click(post?.id ?? '', 'suggestion:approve:1'),
      click(post?.id ?? '', 'suggestion:approve:1', rig.ids.users.owner),
    ]);
    const outcomes = [first, second].map((result) => (result.ephemeral ? result.content : 'approved'));
    expect(outcomes.sort()).toEqual(['Suggestion #1 was already decided by a moderator. Nothing changed.', 'approved']);
    expect((await exported()).prompts).toHaveLength(1);
    await rig.emulator.waitFor(() => rig.emulator.threads(review).length > 0);
    expect(rig.emulator.threads(review)).toHaveLength(1);
  });

  it('Reject asks for an optional reason, which the author reads', async () => {
    await suggest({ text: TEXT });
    const [post] = reviewPosts();
    const form = await click(post?.id ?? '', 'suggestion:reject:1');
    expect(form.callbackType).toBe(9);
    const rejected = await rig.emulator.submitModal({
      channelId: review,
      userId: rig.ids.users.moderator,
      customId: 'suggestion:rejected:1',
      messageId: post?.id ?? '',
      fields: { reason: 'We already have a **food** week.' },
    });
    expect(buttons(rejected)).toEqual([]);
    expect(embed(rejected).fields?.[1]?.value).toContain('We already have a \\*\\*food\\*\\* week.');
    const notice = await noticeOn(
      await rig.emulator.runCommand({ channelId: rig.ids.channels.general, userId: rig.ids.users.member, name: 'themes' }),
    );
    expect(notice.content).toContain('was not accepted');
    expect(notice.content).toContain('The moderators said: We already have a \\*\\*food\\*\\* week.');
    expect((await exported()).prompts).toEqual([]);
  });

  it('Edit opens the text prefilled; saving approves the edited text, and a too-short edit changes nothing', async () => {
    await suggest({ text: TEXT });
    const [post] = reviewPosts();
    const form = await click(post?.id ?? '', 'suggestion:edit:1');
    expect(form.callbackType).toBe(9);
    const input = (form.modal?.components as { component: { custom_id: string; value?: string } }[])[0]?.component;
    expect(input).toMatchObject({ custom_id: 'text', value: TEXT });

    const submit = (text: string) =>
      rig.emulator.submitModal({
        channelId: review,
        userId: rig.ids.users.moderator,
        customId: 'suggestion:edited:1',
        messageId: post?.id ?? '',
        fields: { text },
      });
    const tooShort = await submit('Food?');
    expect(tooShort.ephemeral).toBe(true);
    expect(tooShort.content).toContain('at least 10 characters');
    expect(buttons(rig.emulator.message(post?.id ?? ''))).toHaveLength(3);

    const edited = await submit('Which dish from your childhood would you cook for a new friend?');
    expect(embed(edited).description).toBe('Which dish from your childhood would you cook for a new friend?');
    expect((await exported()).prompts.map((prompt) => prompt.text)).toEqual([
      'Which dish from your childhood would you cook for a new friend?',
    ]);
  });

  it('Edit or Reject on a suggestion already decided is refused', async () => {
    await suggest({ text: TEXT });
    const [post] = reviewPosts();
    const messageId = post?.id ?? '';
    // The buttons are gone once decided, but a client that had them open can still press them.
    await rig.emulator.clickButton({ channelId: review, messageId, customId: 'suggestion:reject:1', userId: rig.ids.users.moderator });
    await rig.emulator.submitModal({
      channelId: review,
      userId: rig.ids.users.moderator,
      customId: 'suggestion:rejected:1',
      messageId,
      fields: {},
    });
    const late = await rig.emulator.submitModal({
      channelId: review,
      userId: rig.ids.users.owner,
      customId: 'suggestion:edited:1',
      messageId,
      fields: { text: TEXT },
    });
    expect(late.content).toBe('Suggestion #1 was already decided by a moderator. Nothing changed.');
    expect((await exported()).prompts).toEqual([]);
  });
});
