import { REST } from '@discordjs/rest';
import {
  ChannelType,
  Client,
  DiscordAPIError,
  GatewayIntentBits,
  PermissionFlagsBits,
  type AnyThreadChannel,
  type ForumChannel,
  type Interaction,
  type NewsChannel,
  type TextChannel,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DiscordEmulator, Permissions } from './emulator.ts';
import { emulatorClients } from './emulatorClients.ts';
import { RateLimitError, RateLimiter } from './emulator/rateLimits.ts';
import { SnowflakeGenerator, snowflakeTimestamp } from './emulator/util.ts';

const { setup, connect, emulators } = emulatorClients();
const sockets: WebSocket[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.terminate();
});

function cached<T>(client: Client, id: string): T {
  const channel = client.channels.cache.get(id);
  if (!channel) throw new Error(`channel ${id} is not cached`);
  return channel as T;
}

async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DiscordAPIError) return error;
    throw error;
  }
  throw new Error('expected a DiscordAPIError');
}

const errorOf = (error: DiscordAPIError) => ({ status: error.status, code: error.code, message: error.message });
const THREAD_LIMIT_ERROR = { status: 400, code: 160006, message: 'Maximum number of active threads reached' };

/** A bare gateway connection, for what discord.js would never send. */
async function rawGateway(emu: DiscordEmulator, intents = GatewayIntentBits.Guilds) {
  const socket = new WebSocket(`${emu.gatewayUrl}?v=10&encoding=json`);
  sockets.push(socket);
  const received: { op: number; t?: string; d: unknown }[] = [];
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  socket.on('message', (data) => received.push(JSON.parse(String(data)) as { op: number; t?: string; d: unknown }));
  await new Promise<void>((resolve) => socket.once('open', () => resolve()));
  const send = (payload: unknown) => socket.send(JSON.stringify(payload));
  send({ op: 2, d: { token: emu.token, intents, properties: { os: 'linux', browser: 'raw', device: 'raw' } } });
  await emu.waitFor(() => received.some((p) => p.t === 'READY'));
  return { send, received, closed, socket };
}

async function rawRest(emu: DiscordEmulator, method: string, path: string, body?: unknown, auth = true) {
  const res = await fetch(`${emu.apiBaseUrl}/v10${path}`, {
    method,
    headers: {
      ...(auth ? { authorization: `Bot ${emu.token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe('the active thread limit', () => {
  it('refuses a thread of any kind past the limit with 160006, and archiving its own thread makes room', async () => {
    const { emu, ids } = await setup({ maxActiveThreads: 3 });
    const client = await connect(emu);
    const general = cached<TextChannel>(client, ids.channels.general);
    const forum = cached<ForumChannel>(client, ids.channels.forum);
    const announcements = cached<NewsChannel>(client, ids.channels.announcements);
    const fromMessage = await (await general.send('starter')).startThread({ name: 'from a message' });
    await general.threads.create({ name: 'private', type: ChannelType.PrivateThread });
    await forum.threads.create({ name: 'forum post', message: { content: 'hello' } });
    expect(emu.activeThreadCount(ids.guildId)).toBe(3);

    const another = await general.send('another starter');
    const refused = [
      await apiError(general.threads.create({ name: 'public', type: ChannelType.PublicThread })),
      await apiError(general.threads.create({ name: 'private', type: ChannelType.PrivateThread })),
      await apiError(another.startThread({ name: 'from a message' })),
      await apiError(forum.threads.create({ name: 'forum post', message: { content: 'hi' } })),
      await apiError(announcements.threads.create({ name: 'announcement thread' })),
    ];
    expect(refused.map(errorOf)).toEqual(Array(5).fill(THREAD_LIMIT_ERROR));
    expect(() => emu.createThread(ids.channels.general, { name: 'by a member', ownerId: ids.users.member })).toThrow(
      'Maximum number of active threads reached',
    );
    expect(emu.threads()).toHaveLength(3);
    // A refused forum post leaves no message behind.
    expect(emu.messages(ids.channels.forum)).toEqual([]);

    // The bot archives its own thread without MANAGE_THREADS; connected clients hear THREAD_UPDATE.
    const heard = new Promise<boolean | null>((resolve) => client.once('threadUpdate', (_, thread) => resolve(thread.archived)));
    await fromMessage.setArchived(true);
    expect(await heard).toBe(true);
    expect(emu.activeThreadCount(ids.guildId)).toBe(2);
    await general.threads.create({ name: 'fits now', type: ChannelType.PublicThread });
    expect(emu.activeThreadCount(ids.guildId)).toBe(3);
  });

  it('refuses to reopen an archived thread when the guild is full, by PATCH, by the bot posting or by a member posting', async () => {
    const { emu, ids } = await setup({ maxActiveThreads: 2 });
    const client = await connect(emu);
    const general = cached<TextChannel>(client, ids.channels.general);
    const archived = await general.threads.create({ name: 'archived', type: ChannelType.PublicThread });
    await archived.members.add(ids.users.member);
    await archived.setArchived(true);
    await general.threads.create({ name: 'one', type: ChannelType.PublicThread });
    await general.threads.create({ name: 'two', type: ChannelType.PublicThread });

    expect(errorOf(await apiError(archived.setArchived(false)))).toEqual(THREAD_LIMIT_ERROR);
    expect(errorOf(await apiError(archived.send('anyone there?')))).toEqual(THREAD_LIMIT_ERROR);
    expect(() => emu.postUserMessage(archived.id, ids.users.member, 'hello?')).toThrow('Maximum number of active threads reached');
    expect(emu.threads(ids.channels.general).find((t) => t.id === archived.id)?.archived).toBe(true);
    expect(emu.messages(archived.id)).toEqual([]);
  });

  it('reopens an archived thread when a member posts in it, as Discord does, unless it is locked', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    const general = cached<TextChannel>(client, ids.channels.general);
    const thread = await general.threads.create({ name: 'check-in', type: ChannelType.PrivateThread });
    await thread.members.add(ids.users.member);
    await thread.setArchived(true);
    expect(emu.activeThreadCount(ids.guildId)).toBe(0);

    const reopened = new Promise<boolean | null>((resolve) =>
      client.on('threadUpdate', (_, updated: AnyThreadChannel) => {
        if (updated.id === thread.id && updated.archived === false) resolve(updated.archived);
      }),
    );
    const posted = emu.postUserMessage(thread.id, ids.users.member, 'still here!');
    expect(await reopened).toBe(false);
    expect(emu.activeThreadCount(ids.guildId)).toBe(1);
    expect(emu.messages(thread.id).map((m) => m.id)).toEqual([posted.id]);

    // Locking needs MANAGE_THREADS; a locked archived thread stays shut to members without it.
    emu.setRolePermissions(ids.roles.bot, Permissions.MANAGE_THREADS);
    await emu.waitFor(() => client.guilds.cache.get(ids.guildId)?.members.me?.permissions.has(PermissionFlagsBits.ManageThreads));
    await thread.edit({ locked: true, archived: true });
    expect(() => emu.postUserMessage(thread.id, ids.users.member, 'let me in')).toThrow(/locked/);
    expect(emu.threads().find((t) => t.id === thread.id)).toMatchObject({ archived: true, locked: true });
    // The owner has every permission, MANAGE_THREADS included, so may post and reopen it.
    emu.postUserMessage(thread.id, ids.users.owner, 'reopening');
    expect(emu.threads().find((t) => t.id === thread.id)?.archived).toBe(false);
  });

  it('lets the bot archive only its own threads without MANAGE_THREADS, and touch an archived thread only to reopen it', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    const general = cached<TextChannel>(client, ids.channels.general);
    const membersThread = emu.createThread(ids.channels.general, { name: 'a member made this', ownerId: ids.users.member });
    await emu.waitFor(() => client.channels.cache.has(membersThread));
    const theirs = cached<AnyThreadChannel>(client, membersThread);
    expect(errorOf(await apiError(theirs.setArchived(true)))).toMatchObject({ status: 403, code: 50013 });

    const own = await general.threads.create({ name: 'ours', type: ChannelType.PublicThread });
    await own.setArchived(true);
    // Renaming or re-archiving an archived thread without reopening it is refused.
    expect(errorOf(await apiError(own.setName('renamed')))).toMatchObject({ status: 400, code: 50083 });
    expect(errorOf(await apiError(client.rest.patch(`/channels/${own.id}`, { body: { archived: true } })))).toMatchObject({
      status: 400,
      code: 50083,
    });
    // Nobody joins an archived thread.
    expect(errorOf(await apiError(own.members.add(ids.users.member)))).toMatchObject({ code: 50083 });
    await own.edit({ archived: false, name: 'ours again' });
    expect(emu.threads().find((t) => t.id === own.id)).toMatchObject({ archived: false, name: 'ours again' });

    emu.setRolePermissions(ids.roles.bot, Permissions.MANAGE_THREADS);
    await theirs.setArchived(true);
    expect(emu.threads().find((t) => t.id === membersThread)?.archived).toBe(true);
  });

  it('allows 1000 active threads per guild by default', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    for (let i = 0; i < 1000; i++) emu.createThread(ids.channels.general, { name: `thread ${i}`, ownerId: ids.users.member });
    expect(emu.activeThreadCount(ids.guildId)).toBe(1000);
    const general = cached<TextChannel>(client, ids.channels.general);
    expect(errorOf(await apiError(general.threads.create({ name: 'one too many' })))).toEqual(THREAD_LIMIT_ERROR);
    // Another guild has its own count.
    const other = emu.createGuilds({ count: 1 })[0];
    if (!other) throw new Error('no guild');
    await emu.waitFor(() => client.channels.cache.has(other.channelId));
    await cached<TextChannel>(client, other.channelId).threads.create({ name: 'elsewhere' });
  });
});

describe('Request Guild Members (opcode 8)', () => {
  it('answers by user ids without a privileged intent, with exactly the members still in the guild', async () => {
    const { emu, ids } = await setup();
    const stayed = [1, 2].map((n) => emu.createUser({ username: `stayed_${n}` }));
    const left = emu.createUser({ username: 'left_already' });
    const stranger = emu.createUser({ username: 'never_joined' });
    for (const id of [...stayed, left]) emu.addMember(ids.guildId, id);
    emu.removeMember(ids.guildId, left);
    const client = await connect(emu);
    const chunks: Record<string, unknown>[] = [];
    client.on('raw', (packet: { t?: string; d: Record<string, unknown> }) => {
      if (packet.t === 'GUILD_MEMBERS_CHUNK') chunks.push(packet.d);
    });
    const guild = client.guilds.cache.get(ids.guildId);
    if (!guild) throw new Error('guild not cached');

    const unknownId = '123456789012345678';
    const asked = [ids.users.member, ids.users.moderator, ...stayed, left, stranger, unknownId];
    const fetched = await guild.members.fetch({ user: asked });
    expect([...fetched.keys()].sort()).toEqual([ids.users.member, ids.users.moderator, ...stayed].sort());
    expect(fetched.get(stayed[0] ?? '')?.user.username).toBe('stayed_1');
    expect(chunks).toEqual([
      expect.objectContaining({ guild_id: ids.guildId, chunk_index: 0, chunk_count: 1, not_found: [left, stranger, unknownId] }),
    ]);
    expect(chunks[0]?.nonce).toEqual(expect.any(String));
    expect(chunks[0]).not.toHaveProperty('presences');
    expect(emu.memberRequests).toEqual([expect.objectContaining({ guildId: ids.guildId, userIds: asked, outcome: 'answered', chunks: 1 })]);
    expect(emu.identifyPayloads[0]?.intents).toBe(GatewayIntentBits.Guilds);
  });

  it('answers up to 100 user ids and sends nothing back for more, as Discord does', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    const guild = client.guilds.cache.get(ids.guildId);
    if (!guild) throw new Error('guild not cached');
    const hundred = [ids.users.member, ...Array.from({ length: 99 }, (_, i) => String(200000000000000000n + BigInt(i)))];
    expect([...(await guild.members.fetch({ user: hundred })).keys()]).toEqual([ids.users.member]);
    const tooMany = [...hundred, String(300000000000000000n)];
    await expect(guild.members.fetch({ user: tooMany, time: 300 })).rejects.toThrow(/didn't arrive in time/);
    expect(emu.memberRequests.map((r) => r.outcome)).toEqual(['answered', 'ignored-too-many-user-ids']);
  });

  it('searches by username prefix without a privileged intent but sends the whole list only with GUILD_MEMBERS', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    const guild = client.guilds.cache.get(ids.guildId);
    if (!guild) throw new Error('guild not cached');
    expect([...(await guild.members.fetch({ query: 'SOF', limit: 10 })).keys()]).toEqual([ids.users.member]);
    await expect(guild.members.fetch({ time: 300 })).rejects.toThrow(/didn't arrive in time/);
    expect(emu.memberRequests.map((r) => r.outcome)).toEqual(['answered', 'ignored-missing-intent']);
  });

  it('sends the whole list with GUILD_MEMBERS once per guild every 30 seconds, answering RATE_LIMITED in between', async () => {
    const emu = await DiscordEmulator.start({ allowedPrivilegedIntents: GatewayIntentBits.GuildMembers });
    emulators.push(emu);
    const ids = emu.seedCommunity();
    const [other] = emu.createGuilds({ count: 1, membersPerGuild: 1500 });
    if (!other) throw new Error('no guild');
    const client = await connect(emu, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers]);
    const guild = client.guilds.cache.get(ids.guildId);
    const big = client.guilds.cache.get(other.guildId);
    if (!guild || !big) throw new Error('guilds not cached');
    expect((await guild.members.fetch()).size).toBe(4);
    await expect(guild.members.fetch()).rejects.toMatchObject({ name: 'GatewayRateLimitError' });
    // Another guild has its own allowance; 1502 members arrive in two chunks of at most 1000.
    expect((await big.members.fetch()).size).toBe(1502);
    expect(emu.memberRequests.map((r) => [r.outcome, r.chunks])).toEqual([
      ['answered', 1],
      ['rate-limited', 0],
      ['answered', 2],
    ]);
  });

  it('lists presences only with GUILD_PRESENCES, drops a nonce over 32 bytes, and lets a query win over user ids', async () => {
    const emu = await DiscordEmulator.start({ allowedPrivilegedIntents: GatewayIntentBits.GuildPresences });
    emulators.push(emu);
    const ids = emu.seedCommunity();
    const chunks = (gateway: Awaited<ReturnType<typeof rawGateway>>) =>
      gateway.received.filter((p) => p.t === 'GUILD_MEMBERS_CHUNK').map((p) => p.d as Record<string, unknown>);

    const plain = await rawGateway(emu);
    plain.send({ op: 8, d: { guild_id: ids.guildId, user_ids: ids.users.member, presences: true, nonce: 'n'.repeat(33) } });
    plain.send({ op: 8, d: { guild_id: ids.guildId, user_ids: [ids.users.member], query: 'kenji', limit: 5, nonce: 'both' } });
    await emu.waitFor(() => chunks(plain).length === 2);
    const [idsChunk, queryChunk] = chunks(plain);
    expect(idsChunk).not.toHaveProperty('presences');
    expect(idsChunk).not.toHaveProperty('nonce');
    expect(queryChunk).toMatchObject({ nonce: 'both', members: [{ user: { id: ids.users.moderator } }] });
    expect(queryChunk).not.toHaveProperty('not_found');

    const watching = await rawGateway(emu, GatewayIntentBits.Guilds | GatewayIntentBits.GuildPresences);
    watching.send({ op: 8, d: { guild_id: ids.guildId, user_ids: [ids.users.member], presences: true, nonce: 'p' } });
    await emu.waitFor(() => chunks(watching).length === 1);
    expect(chunks(watching)[0]).toMatchObject({ nonce: 'p', presences: [] });
  });

  it('closes a connection that sends more than 120 commands a minute (4008) or a payload over 4096 bytes (4002)', async () => {
    const { emu, ids } = await setup();
    const chatty = await rawGateway(emu);
    // Heartbeats are not counted.
    for (let i = 0; i < 150; i++) chatty.send({ op: 1, d: null });
    // IDENTIFY was the first command; 119 more are allowed.
    for (let i = 0; i < 119; i++) chatty.send({ op: 8, d: { guild_id: ids.guildId, user_ids: [ids.users.member], nonce: `n${i}` } });
    const count = (match: (p: { op: number; t?: string }) => boolean) => chatty.received.filter(match).length;
    await emu.waitFor(() => count((p) => p.t === 'GUILD_MEMBERS_CHUNK') === 119 && count((p) => p.op === 11) === 150);
    expect(chatty.socket.readyState).toBe(WebSocket.OPEN);
    chatty.send({ op: 8, d: { guild_id: ids.guildId, user_ids: [ids.users.member] } });
    expect(await chatty.closed).toBe(4008);

    const wordy = await rawGateway(emu);
    wordy.send({ op: 8, d: { guild_id: ids.guildId, query: 'x'.repeat(4100), limit: 1 } });
    expect(await wordy.closed).toBe(4002);
  });
});

describe('rate limits', () => {
  it('lets a discord.js REST client that keeps the global limit get 150 requests through', async () => {
    const { emu, ids } = await setup();
    const channelIds = Array.from({ length: 150 }, (_, i) => emu.createChannel(ids.guildId, { name: `room-${i}` }));
    const rest = new REST({ api: emu.apiBaseUrl }).setToken(emu.token);
    // One route bucket per channel, so only the global limit holds them back.
    const answers = await Promise.all(channelIds.map((id) => rest.get(`/channels/${id}`) as Promise<{ id: string }>));
    expect(answers.map((a) => a.id)).toEqual(channelIds);
    expect(emu.requests.filter((r) => r.status === 200)).toHaveLength(150);
    // discord.js paces itself; a rare global 429 (a stalled event loop bunching arrivals) it retries.
    console.log(`discord.js REST, 150 requests: ${emu.rateLimitStats.global} global 429s`);
    expect(emu.rateLimitStats.global).toBeLessThan(10);
  });

  it('does not refuse a client pacing itself as discord.js does when its first burst arrives late', () => {
    let now = 0;
    const limiter = new RateLimiter(
      { globalLimit: 50, globalWindowMs: 1000, defaultRouteLimit: { limit: 50, windowMs: 1000 }, routes: {} },
      () => now,
    );
    const refusedAt = (arrivals: number[]) =>
      arrivals.filter((at) => {
        now = at;
        try {
          limiter.takeGlobal();
          return false;
        } catch (error) {
          if (error instanceof RateLimitError) return true;
          throw error;
        }
      });
    // discord.js opens its window at its first send (t=0) and sends the next 50 at 1050 ms; the first
    // 50 took 80 ms to arrive (new connections), the next ones arrive at once.
    const burst = (start: number) => Array.from({ length: 50 }, (_, i) => start + i);
    expect(refusedAt([...burst(80), ...burst(1050), ...burst(2100)])).toEqual([]);
    // Beyond 50 a second it refuses.
    expect(refusedAt(Array.from({ length: 60 }, () => 3200))).toHaveLength(10);
  });

  it('answers a client that ignores the limit with global 429s carrying Discord headers', async () => {
    // 50 at once, then one more every 1.2 s: the burst cannot outlast the limit however slow the machine is.
    const { emu, ids } = await setup({ globalRateLimitWindowMs: 60_000 });
    // Different channels, so no route bucket runs out before the global limit.
    const channelIds = Array.from({ length: 120 }, (_, i) => emu.createChannel(ids.guildId, { name: `room-${i}` }));
    const answers = await Promise.all(channelIds.map((id) => rawRest(emu, 'GET', `/channels/${id}`)));
    const refused = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(55);
    expect(refused.length).toBeGreaterThanOrEqual(65);
    const first = refused[0];
    if (!first) throw new Error('no 429');
    expect(first.body).toEqual({ message: 'You are being rate limited.', retry_after: expect.any(Number), global: true });
    const retryAfter = Number(first.body?.retry_after);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(1.2);
    expect(first.headers.get('x-ratelimit-global')).toBe('true');
    expect(first.headers.get('x-ratelimit-scope')).toBe('global');
    // Whole seconds, rounded up.
    expect(first.headers.get('retry-after')).toBe(String(Math.ceil(retryAfter)));
    expect(emu.rateLimitStats).toEqual({ global: refused.length, route: 0, injected: 0 });
  });

  it('exempts interaction callbacks and follow-ups from the global limit, with or without the bot token', async () => {
    // Ten requests, then one more every minute: nothing refills while the test runs.
    const { emu, ids } = await setup({ globalRateLimit: 10, globalRateLimitWindowMs: 600_000 });
    const client = await connect(emu);
    await client.application.commands.set(
      [
        { name: 'ping', description: 'Answered by discord.js, which sends no token' },
        { name: 'raw', description: 'Answered by a client that sends its bot token anyway' },
      ],
      ids.guildId,
    );
    let spent = 0;
    while ((await rawRest(emu, 'GET', '/users/@me')).status !== 429) spent++;
    expect(spent).toBeLessThan(10);
    const refusedBefore = emu.rateLimitStats.global;

    const statuses: number[] = [];
    client.on('interactionCreate', (interaction: Interaction) => {
      if (!interaction.isChatInputCommand()) return;
      void (async () => {
        if (interaction.commandName === 'ping') {
          await interaction.reply('first');
          await interaction.followUp('second');
          await interaction.editReply('first, edited');
          statuses.push(0);
          return;
        }
        const webhook = `/webhooks/${emu.applicationId}/${interaction.token}`;
        statuses.push(
          (
            await rawRest(emu, 'POST', `/interactions/${interaction.id}/${interaction.token}/callback`, {
              type: 4,
              data: { content: 'first' },
            })
          ).status,
          (await rawRest(emu, 'POST', webhook, { content: 'second' })).status,
          (await rawRest(emu, 'PATCH', `${webhook}/messages/@original`, { content: 'first, edited' })).status,
        );
      })();
    });
    for (const name of ['ping', 'raw']) {
      const result = await emu.runCommand({ channelId: ids.channels.general, userId: ids.users.member, name });
      expect(result.content).toBe('first');
      await emu.waitFor(() => statuses.length === (name === 'ping' ? 1 : 4));
      const after = emu.interaction(result.interactionId);
      expect([after.content, ...after.followUps.map((m) => m.content)]).toEqual(['first, edited', 'second']);
    }
    expect(statuses).toEqual([0, 204, 200, 200]);
    expect(emu.rateLimitStats.global).toBe(refusedBefore);
    // The window is still spent for everything else.
    expect((await rawRest(emu, 'GET', '/users/@me')).status).toBe(429);
  });

  it('answers 60 interactions at once without a 429: callbacks have no shared route bucket', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    await client.application.commands.set([{ name: 'ping', description: 'Ping' }], ids.guildId);
    client.on('interactionCreate', (interaction: Interaction) => {
      if (interaction.isChatInputCommand()) void interaction.reply('pong');
    });
    const results = await Promise.all(
      Array.from({ length: 60 }, () => emu.runCommand({ channelId: ids.channels.general, userId: ids.users.member, name: 'ping' })),
    );
    expect(results.map((r) => r.content)).toEqual(Array(60).fill('pong'));
    expect(emu.rateLimitStats).toEqual({ global: 0, route: 0, injected: 0 });
  });

  it('keeps a bucket per route and channel, with its headers and a user-scoped 429', async () => {
    const { emu, ids } = await setup({ routeRateLimits: { 'POST /channels/:channel_id/messages': { limit: 2, windowMs: 60_000 } } });
    const post = (channelId: string) => rawRest(emu, 'POST', `/channels/${channelId}/messages`, { content: 'hi' });
    const [a, b, c] = [await post(ids.channels.general), await post(ids.channels.general), await post(ids.channels.general)];
    expect([a.status, b.status, c.status]).toEqual([200, 200, 429]);
    expect([a.headers.get('x-ratelimit-limit'), a.headers.get('x-ratelimit-remaining'), b.headers.get('x-ratelimit-remaining')]).toEqual([
      '2',
      '1',
      '0',
    ]);
    expect(Number(b.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(50);
    expect(c.body).toEqual({ message: 'You are being rate limited.', retry_after: expect.any(Number), global: false });
    expect(c.headers.get('x-ratelimit-scope')).toBe('user');
    expect(c.headers.get('x-ratelimit-global')).toBeNull();
    // Another channel has its own count in the same bucket.
    const elsewhere = await post(ids.channels.dailyPrompts);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.headers.get('x-ratelimit-bucket')).toBe(a.headers.get('x-ratelimit-bucket'));
    expect(emu.messages(ids.channels.general)).toHaveLength(2);
    expect(emu.rateLimitStats).toEqual({ global: 0, route: 1, injected: 0 });
  });
});

describe('an injected clock', () => {
  it('stamps messages and snowflakes with the emulated time, which discord.js reads back', async () => {
    let now = Date.parse('2030-01-01T00:00:00.000Z');
    const { emu, ids } = await setup({ now: () => now });
    const client = await connect(emu);
    const general = cached<TextChannel>(client, ids.channels.general);
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await general.send(`standing still ${i}`));
    now += 3 * 24 * 60 * 60 * 1000;
    sent.push(await general.send('three days later'));
    now -= 24 * 60 * 60 * 1000;
    sent.push(await general.send('the clock went back a day'));

    const ids_ = sent.map((m) => BigInt(m.id));
    expect(ids_.every((id, i) => i === 0 || id > (ids_[i - 1] ?? 0n))).toBe(true);
    expect(sent.slice(0, 5).map((m) => m.createdTimestamp)).toEqual(Array(5).fill(Date.parse('2030-01-01T00:00:00.000Z')));
    expect(sent[5]?.createdTimestamp).toBe(Date.parse('2030-01-04T00:00:00.000Z'));
    expect(emu.message(sent[5]?.id ?? '')?.timestamp).toBe('2030-01-04T00:00:00.000Z');
    // Ids never go back with the clock.
    expect(sent[6]?.createdTimestamp).toBe(Date.parse('2030-01-04T00:00:00.000Z'));
  });

  it('keeps snowflakes unique and increasing past 4096 ids in one millisecond', () => {
    const generator = new SnowflakeGenerator(() => 1_900_000_000_000);
    const made = Array.from({ length: 10_000 }, () => BigInt(generator.next()));
    expect(made.every((id, i) => i === 0 || id > (made[i - 1] ?? 0n))).toBe(true);
    expect(snowflakeTimestamp(String(made[0]))).toBe(1_900_000_000_000);
    expect(snowflakeTimestamp(String(made.at(-1)))).toBe(1_900_000_000_002);
  });

  it("runs the enforce_nonce window on the emulated clock, not the machine's", async () => {
    let now = Date.parse('2030-01-01T00:00:00.000Z');
    const { emu, ids } = await setup({ now: () => now, nonceWindowMs: 5 * 60_000 });
    const client = await connect(emu);
    const general = cached<TextChannel>(client, ids.channels.general);
    const first = await general.send({ content: 'once', nonce: 'job-1', enforceNonce: true });
    now += 4 * 60_000;
    expect((await general.send({ content: 'once', nonce: 'job-1', enforceNonce: true })).id).toBe(first.id);
    now += 2 * 60_000;
    const later = await general.send({ content: 'once', nonce: 'job-1', enforceNonce: true });
    expect(later.id).not.toBe(first.id);
    expect(emu.messages(ids.channels.general).filter((m) => m.nonce === 'job-1')).toHaveLength(2);
  });

  it('keeps the interaction deadline on real time when the emulated clock jumps', async () => {
    let now = Date.parse('2030-01-01T00:00:00.000Z');
    const { emu, ids } = await setup({ now: () => now });
    const client = await connect(emu);
    await client.application.commands.set([{ name: 'ping', description: 'Ping' }], ids.guildId);
    client.on('interactionCreate', (interaction: Interaction) => {
      if (!interaction.isChatInputCommand()) return;
      now += 24 * 60 * 60 * 1000;
      void interaction.reply('pong');
    });
    const result = await emu.runCommand({ channelId: ids.channels.general, userId: ids.users.member, name: 'ping' });
    expect(result.content).toBe('pong');
  });
});
