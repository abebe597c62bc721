import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKeyv } from '../../src/store/openStore.ts';
import type { InteractionResult } from '../support/emulator.ts';
import { botPosts, createRig, requestsTo, type Rig } from './rig.ts';

let rig: Rig;

beforeEach(async () => {
  rig = await createRig('2026-01-15T06:00:00Z');
  await rig.startBot();
});

afterEach(async () => {
  await rig.close();
});

function asModerator(subcommand: string, options: Record<string, string | boolean> = {}, name = 'setup', force = false) {
  return rig.emulator.runCommand({
    channelId: rig.ids.channels.general,
    userId: rig.ids.users.moderator,
    name,
    subcommand,
    options,
    force,
  });
}

function asMember(name: string, subcommand?: string, options: Record<string, string | boolean> = {}) {
  return rig.emulator.runCommand({
    channelId: rig.ids.channels.general,
    userId: rig.ids.users.member,
    name,
    ...(subcommand === undefined ? {} : { subcommand }),
    options,
    force: true,
  });
}

const berlinNine = { channel: '', time: '09:00', timezone: 'Europe/Berlin' };

/** `force` lets through what Discord's client would not offer, such as a voice channel. */
function setUpPrompts(overrides: Record<string, string | boolean> = {}, force = false) {
  return asModerator('prompts', { ...berlinNine, channel: rig.ids.channels.dailyPrompts, ...overrides }, 'setup', force);
}

function embedOf(
  result: InteractionResult | { embeds: unknown[] },
  index = 0,
): { title?: string; description?: string; footer?: { text: string } } {
  return result.embeds[index] as { title?: string; description?: string; footer?: { text: string } };
}

describe('/themes', () => {
  it('lists the eight themes with their descriptions and prompt counts, to anyone', async () => {
    const reply = await asMember('themes');
    expect(reply.ephemeral).toBe(false);
    const description = embedOf(reply).description ?? '';
    for (const title of [
      'Shared Experiences',
      'Mutual Respect',
      'Cross-Cultural Communication',
      'Challenging Stereotypes',
      'Building Bridges',
      'Self-Reflection',
      'Creating New Narratives',
      'Intercultural Dialogue',
    ]) {
      expect(description).toContain(title);
    }
    expect(description.match(/· \d+ prompts/g)).toHaveLength(8);
    expect(reply.allowedMentions).toEqual({ parse: [] });
  });
});

describe('/setup prompts', () => {
  it('turns daily prompts on and /setup show gives the configuration with Discord timestamps', async () => {
    const reply = await setUpPrompts();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain(`Daily prompts are on in <#${rig.ids.channels.dailyPrompts}>`);
    // 2026-01-15 09:00 in Berlin is 08:00 UTC.
    expect(reply.content).toContain(`<t:${Date.UTC(2026, 0, 15, 8) / 1000}:F>`);

    const show = await asModerator('show');
    expect(show.ephemeral).toBe(true);
    expect(show.content).toContain('**Daily prompts:** on');
    expect(show.content).toContain('09:00 in Europe/Berlin');
    expect(show.content).toContain(`Next prompt: <t:${Date.UTC(2026, 0, 15, 8) / 1000}:F>`);
    expect(show.content).toContain('Themes: all 8');
  });

  it('accepts an announcement channel, a theme list and threads off', async () => {
    const reply = await setUpPrompts({
      channel: rig.ids.channels.announcements,
      themes: 'mutual-respect, Self-Reflection',
      threads: false,
    });
    expect(reply.content).toContain('Themes: Mutual Respect and Self-Reflection. Answer threads: off.');
  });

  it('accepts a channel without Create Public Threads when threads are off', async () => {
    const reply = await setUpPrompts({ channel: rig.ids.channels.noPublicThreads, threads: false });
    expect(reply.content).toContain('Daily prompts are on');
  });

  it.each([
    ['a voice channel', { channel: 'voice' }, 'is not a text or announcement channel'],
    ['a time like 25:99', { time: '25:99' }, '`25:99` is not a time of day. Use 24-hour HH:MM'],
    ['a zone like Mars/Olympus', { timezone: 'Mars/Olympus' }, '`Mars/Olympus` is not a time zone'],
    ['an unknown theme', { themes: 'cooking' }, '`cooking` is not a theme'],
    ['a channel the bot cannot see', { channel: 'modOnly' }, 'missing **View Channel**'],
    ['a channel the bot cannot write in', { channel: 'readOnly' }, 'missing **Send Messages**'],
    ['a channel without Embed Links', { channel: 'noEmbeds' }, 'missing **Embed Links**'],
    ['a channel without Create Public Threads', { channel: 'noPublicThreads' }, 'missing **Create Public Threads**'],
  ] as const)('refuses %s with a message that names the problem, and changes nothing', async (_label, change, message) => {
    const options: Record<string, string | boolean> = { ...change };
    if ('channel' in change) options.channel = rig.ids.channels[change.channel];
    const reply = await setUpPrompts(options, true);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain(message);
    const show = await asModerator('show');
    expect(show.content).toContain('**Daily prompts:** not set up');
  });

  it('refuses a member without Manage Server, even if Discord let the command through', async () => {
    const reply = await asMember('setup', 'prompts', { ...berlinNine, channel: rig.ids.channels.dailyPrompts });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe('You need the **Manage Server** permission to use `/setup`.');
    expect((await asModerator('show')).content).toContain('not set up');
  });

  it('completes time zones and theme lists', async () => {
    const base = {
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.moderator,
      name: 'setup',
      subcommand: 'prompts',
      options: {},
    };
    const zones = (await rig.emulator.autocomplete({ ...base, focused: 'timezone', value: 'europe/be' })) as { value: string }[];
    expect(zones.map((choice) => choice.value)).toContain('Europe/Berlin');
    expect(zones.length).toBeLessThanOrEqual(25);
    const themes = (await rig.emulator.autocomplete({ ...base, focused: 'themes', value: 'mutual-respect, self' })) as { value: string }[];
    expect(themes.map((choice) => choice.value)).toEqual(['mutual-respect, self-reflection']);
  });
});

describe('daily posts', () => {
  it('posts an embed at the configured local time, with an answer thread and no mentions', async () => {
    await setUpPrompts();
    await rig.tickAt('2026-01-15T07:59:00Z');
    expect(botPosts(rig, rig.ids.channels.dailyPrompts)).toHaveLength(0);
    await rig.tickAt('2026-01-15T08:00:00Z');
    const posts = botPosts(rig, rig.ids.channels.dailyPrompts);
    expect(posts).toHaveLength(1);
    const embed = embedOf(posts[0]!);
    expect(embed.title).toBeTruthy();
    expect(embed.description?.endsWith('?')).toBe(true);
    expect(embed.footer?.text).toBe(`Theme: ${embed.title}`);
    expect(posts[0]?.allowedMentions).toEqual({ parse: [] });
    expect(posts[0]?.thread).toBeDefined();

    const today = await asMember('prompt', 'today');
    expect(today.ephemeral).toBe(true);
    expect(today.content).toContain(`Answer in <#${posts[0]?.thread?.id}>`);
    expect(embedOf(today).description).toBe(embed.description);
  });

  it('shows a preview of the next prompt before it is posted, and posts exactly that', async () => {
    await setUpPrompts();
    const preview = await asMember('prompt', 'today');
    expect(preview.content).toContain(
      `No prompt has been posted yet today. Next up in <#${rig.ids.channels.dailyPrompts}>, <t:${Date.UTC(2026, 0, 15, 8) / 1000}:F>`,
    );
    await rig.tickAt('2026-01-15T08:00:00Z');
    expect(embedOf(botPosts(rig, rig.ids.channels.dailyPrompts)[0]!).description).toBe(embedOf(preview).description);
  });

  it('tells members when prompts are not set up', async () => {
    const reply = await asMember('prompt', 'today');
    expect(reply.content).toContain('not set up in this server yet');
  });

  it('keeps the configuration across a restart and does not post twice', async () => {
    await setUpPrompts();
    await rig.tickAt('2026-01-15T08:00:00Z');
    await rig.stopBot();
    await rig.startBot();
    await rig.tickAt('2026-01-15T08:30:00Z');
    await rig.tickAt('2026-01-15T20:00:00Z');
    expect(botPosts(rig, rig.ids.channels.dailyPrompts)).toHaveLength(1);
    expect((await asModerator('show')).content).toContain('**Daily prompts:** on');
    await rig.tickAt('2026-01-16T08:00:00Z');
    expect(botPosts(rig, rig.ids.channels.dailyPrompts)).toHaveLength(2);
  });

  it('waits out a 429 on the post route and posts once', async () => {
    await setUpPrompts();
    rig.emulator.failNext({ route: 'POST /channels/:channel_id/messages', status: 429, retryAfter: 0.3 });
    await rig.tickAt('2026-01-15T08:00:00Z');
    expect(botPosts(rig, rig.ids.channels.dailyPrompts)).toHaveLength(1);
    expect(requestsTo(rig, 'POST /channels/:channel_id/messages').map((request) => request.status)).toEqual([429, 200]);
  });

  it('retries a 500 on the post route and posts once', async () => {
    await setUpPrompts();
    rig.emulator.failNext({ route: 'POST /channels/:channel_id/messages', status: 500 });
    await rig.tickAt('2026-01-15T08:00:00Z');
    expect(botPosts(rig, rig.ids.channels.dailyPrompts)).toHaveLength(1);
    expect(requestsTo(rig, 'POST /channels/:channel_id/messages').map((request) => request.status)).toEqual([500, 200]);
  });

  it('survives a Discord outage longer than the client retries: posts on a later wake-up, once', async () => {
    await setUpPrompts();
    rig.emulator.failNext({ route: 'POST /channels/:channel_id/messages', status: 503, times: 4 });
    await rig.tickAt('2026-01-15T08:00:00Z');
    expect(botPosts(rig, rig.ids.channels.dailyPrompts)).toHaveLength(0);
    await rig.tickAt('2026-01-15T08:00:20Z');
    await rig.tickAt('2026-01-15T08:00:40Z');
    expect(botPosts(rig, rig.ids.channels.dailyPrompts)).toHaveLength(1);
  });

  it('posts once when Discord created the message but every answer was lost', async () => {
    await setUpPrompts();
    rig.emulator.failNext({ route: 'POST /channels/:channel_id/messages', status: 502, afterHandling: true, times: 4 });
    await rig.tickAt('2026-01-15T08:00:00Z');
    // discord.js retried three times within the request; Bridges tries again after its own backoff.
    await rig.tickAt('2026-01-15T08:00:30Z');
    const posts = botPosts(rig, rig.ids.channels.dailyPrompts);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.thread).toBeDefined();
  });

  it('finds a prompt Discord created before the bot went down, once the nonce has expired, and posts no second one', async () => {
    await setUpPrompts();
    rig.emulator.failNext({ route: 'POST /channels/:channel_id/messages', status: 502, afterHandling: true, times: 4 });
    await rig.tickAt('2026-01-15T08:00:00Z');
    expect(botPosts(rig, rig.ids.channels.dailyPrompts)).toHaveLength(1);
    await rig.stopBot();
    // Back after Discord's nonce window (5 minutes, on the same clock as the bot): only looking tells.
    rig.clock.set('2026-01-15T08:20:00Z');
    await rig.startBot();
    await rig.tickAt('2026-01-15T08:20:20Z');
    const posts = botPosts(rig, rig.ids.channels.dailyPrompts);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.thread).toBeDefined();
  });

  it('keeps working after the gateway connection drops', async () => {
    rig.emulator.dropGatewayConnections();
    const reply = await setUpPrompts();
    expect(reply.content).toContain('Daily prompts are on');
    await rig.emulator.waitFor(() => rig.emulator.gatewaySessions.length > 0);
    await rig.tickAt('2026-01-15T08:00:00Z');
    expect(botPosts(rig, rig.ids.channels.dailyPrompts)).toHaveLength(1);
  });

  it('turns prompts off when their channel is deleted, and /setup show says why', async () => {
    await setUpPrompts();
    rig.emulator.deleteChannel(rig.ids.channels.dailyPrompts);
    await rig.emulator.waitFor(() => !rig.bot.client.channels.cache.has(rig.ids.channels.dailyPrompts));
    await rig.tickAt('2026-01-15T08:00:00Z');
    const show = await asModerator('show');
    expect(show.content).toContain('**Daily prompts:** off');
    expect(show.content).toContain('Turned off by Bridges because the prompt channel was deleted');
    expect(requestsTo(rig, 'POST /channels/:channel_id/messages')).toHaveLength(0);
  });

  it('turns prompts off when the channel vanished while the bot was away', async () => {
    await setUpPrompts();
    await rig.stopBot();
    rig.emulator.deleteChannel(rig.ids.channels.dailyPrompts);
    await rig.startBot();
    await rig.tickAt('2026-01-15T08:00:00Z');
    expect((await asModerator('show')).content).toMatch(
      /Turned off by Bridges because the prompt channel was deleted or Bridges can no longer see it/,
    );
  });

  it('stops after /setup off and keeps the settings', async () => {
    await setUpPrompts();
    const off = await asModerator('off', { feature: 'prompts' });
    expect(off.content).toContain('Daily prompts are off');
    await rig.tickAt('2026-01-15T08:00:00Z');
    expect(botPosts(rig, rig.ids.channels.dailyPrompts)).toHaveLength(0);
    const show = await asModerator('show');
    expect(show.content).toContain('**Daily prompts:** off');
    expect(show.content).toContain('09:00 in Europe/Berlin');
  });
});

describe('when something goes wrong', () => {
  it('identifies afresh when Discord forgets the session, and keeps answering', async () => {
    rig.emulator.invalidateSessions();
    rig.emulator.dropGatewayConnections();
    await rig.emulator.waitFor(() => rig.emulator.identifyPayloads.length === 2, { timeoutMs: 15_000 });
    expect(rig.emulator.identifyPayloads.map((payload) => payload.intents)).toEqual([1, 1]);
    const reply = await asMember('themes');
    expect(reply.embeds).toHaveLength(1);
  });

  it('answers a failing interaction with a short apology and carries on', async () => {
    const keyv = await openKeyv(rig.databaseUrl, () => undefined);
    await keyv.set(`guild-config:${rig.ids.guildId}`, { prompts: 'not a settings object' });
    await keyv.disconnect();

    const broken = await asModerator('show');
    expect(broken.ephemeral).toBe(true);
    expect(broken.content).toBe('Sorry, something went wrong on our side. It has been logged; please try again in a moment.');
    expect(rig.logs.some((line) => line.includes('Interaction failed') && line.includes('CorruptRecordError'))).toBe(true);
    await rig.tickAt('2026-01-15T08:00:00Z');
    const themes = await asMember('themes');
    expect(themes.embeds).toHaveLength(1);
  });
});

describe('/host post-prompt', () => {
  it('posts a prompt of the chosen theme now', async () => {
    await setUpPrompts();
    const reply = await asModerator('post-prompt', { theme: 'building-bridges' }, 'host');
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('Posted a **Building Bridges** prompt');
    const posts = botPosts(rig, rig.ids.channels.dailyPrompts);
    expect(posts).toHaveLength(1);
    expect(embedOf(posts[0]!).footer?.text).toBe('Theme: Building Bridges');
  });

  it('asks for setup first when prompts are not configured', async () => {
    const reply = await asModerator('post-prompt', {}, 'host');
    expect(reply.content).toContain('Choose a channel first with `/setup prompts`');
  });

  it('refuses a member without Manage Server', async () => {
    await setUpPrompts();
    const reply = await asMember('host', 'post-prompt');
    expect(reply.content).toBe('You need the **Manage Server** permission to use `/host`.');
    expect(botPosts(rig, rig.ids.channels.dailyPrompts)).toHaveLength(0);
  });
});

describe('every message the bot sends', () => {
  it('sets allowed mentions explicitly', async () => {
    await setUpPrompts();
    await asMember('themes');
    await asMember('prompt', 'today');
    await rig.tickAt('2026-01-15T08:00:00Z');
    await asModerator('post-prompt', {}, 'host');
    await setUpPrompts({ time: '99:99' });
    const sends = rig.emulator.requests.filter(
      (request) =>
        (request.method === 'POST' && request.route === '/channels/:channel_id/messages') ||
        (request.method === 'PATCH' && request.route?.startsWith('/webhooks/')) ||
        (request.method === 'POST' &&
          request.route === '/interactions/:interaction_id/:interaction_token/callback' &&
          (request.body as { type?: number }).type === 4),
    );
    // Replies to /setup (twice), /themes, /prompt today and /host, and the two posts.
    expect(sends).toHaveLength(7);
    for (const send of sends) {
      const body = send.body as { allowed_mentions?: unknown; data?: { allowed_mentions?: unknown } };
      expect(body.allowed_mentions ?? body.data?.allowed_mentions).toEqual({ parse: [] });
    }
  });
});
