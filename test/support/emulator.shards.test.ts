import { fileURLToPath } from 'node:url';
import { Client, GatewayIntentBits, ShardingManager, type ClientOptions } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DiscordEmulator, shardOf, type EmulatorOptions, type GatewaySessionInfo } from './emulator.ts';
import { IdentifyLimits } from './emulator/sharding.ts';

const clients: Client[] = [];
const emulators: DiscordEmulator[] = [];
const sockets: WebSocket[] = [];
const managers: ShardingManager[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  for (const manager of managers.splice(0)) for (const shard of manager.shards.values()) shard.kill();
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await Promise.all(emulators.splice(0).map((e) => e.stop()));
});

async function start(opts: EmulatorOptions = {}): Promise<DiscordEmulator> {
  const emu = await DiscordEmulator.start({ heartbeatIntervalMs: 2000, ...opts });
  emulators.push(emu);
  return emu;
}

function newClient(emu: DiscordEmulator, options: Partial<ClientOptions> = {}): Client {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emu.apiBaseUrl }, ...options });
  clients.push(client);
  return client;
}

async function connect(emu: DiscordEmulator, options: Partial<ClientOptions> = {}): Promise<Client<true>> {
  const client = newClient(emu, options);
  const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
  await client.login(emu.token);
  await ready;
  return client as Client<true>;
}

interface GatewayPacket {
  op: number;
  t?: string;
  d: unknown;
}

interface RawSession {
  send: (payload: unknown) => void;
  received: GatewayPacket[];
  closeCode: () => number | undefined;
  ready: () => Record<string, unknown> | undefined;
}

/** A bare gateway connection that sends `first` and waits for READY, RESUMED, opcode 9 or a close. */
async function openGateway(emu: DiscordEmulator, first: { op: number; d: Record<string, unknown> }): Promise<RawSession> {
  const socket = new WebSocket(`${emu.gatewayUrl}?v=10&encoding=json`);
  sockets.push(socket);
  const received: GatewayPacket[] = [];
  let closeCode: number | undefined;
  socket.on('close', (code) => {
    closeCode = code;
  });
  socket.on('message', (data) => received.push(JSON.parse(String(data)) as GatewayPacket));
  await new Promise<void>((resolve) => socket.once('open', () => resolve()));
  const send = (payload: unknown) => socket.send(JSON.stringify(payload));
  send(first);
  const ready = () => received.find((p) => p.t === 'READY')?.d as Record<string, unknown> | undefined;
  await emu.waitFor(() => received.some((p) => p.t === 'READY' || p.t === 'RESUMED' || p.op === 9) || closeCode !== undefined);
  return { send, received, closeCode: () => closeCode, ready };
}

/** IDENTIFY with `fields` (e.g. shard) on a new bare connection. */
function identify(emu: DiscordEmulator, fields: Record<string, unknown> = {}): Promise<RawSession> {
  const properties = { os: 'linux', browser: 'raw', device: 'raw' };
  return openGateway(emu, { op: 2, d: { token: emu.token, intents: GatewayIntentBits.Guilds, properties, ...fields } });
}

async function gatewayBot(emu: DiscordEmulator): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${emu.apiBaseUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${emu.token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const readyGuildIds = (ready: Record<string, unknown> | undefined): string[] =>
  ((ready?.guilds ?? []) as { id: string }[]).map((g) => g.id).sort();

/** The sessions that were sent a dispatch matching `match`, by shard id. */
function shardsThatGot(emu: DiscordEmulator, match: (d: GatewaySessionInfo['dispatches'][number]) => boolean): number[] {
  return emu.gatewaySessions.filter((s) => s.dispatches.some(match)).map((s) => s.shard?.[0] ?? 0);
}

const sortShards = (shards: (readonly [number, number] | null | undefined)[]) =>
  shards.map((s) => (s ? [...s] : s)).sort((a, b) => (a?.[0] ?? -1) - (b?.[0] ?? -1));

describe('shardOf', () => {
  it("is Discord's formula, (guild_id >> 22) % num_shards", () => {
    expect(shardOf(((5n << 22n) | 123n).toString(), 3)).toBe(2);
    expect(shardOf(((10n << 22n) | 0x3fffffn).toString(), 5)).toBe(0);
    expect(shardOf('4194303', 7)).toBe(0);
    expect(shardOf('175928847299117063', 1)).toBe(0);
    expect(() => shardOf('1', 0)).toThrow(RangeError);
  });

  it('deals guilds created one after another out to the shards in turn', async () => {
    const emu = await start();
    const guildIds = emu.createGuilds({ count: 12 }).map((g) => g.guildId);
    guildIds.push(emu.createGuild({ name: 'One more' }));
    for (const count of [2, 3, 4]) {
      const perShard = new Map<number, number>();
      for (const id of guildIds.slice(0, 12)) perShard.set(shardOf(id, count), (perShard.get(shardOf(id, count)) ?? 0) + 1);
      expect([...perShard.values()]).toEqual(Array.from({ length: count }, () => 12 / count));
    }
    expect(shardOf(guildIds[12] ?? '', 4)).toBe((shardOf(guildIds[11] ?? '', 4) + 1) % 4);
  });
});

describe('GET /gateway/bot', () => {
  it('recommends a shard per 1000 guilds and reports the session start limit, which IDENTIFY uses and RESUME does not', async () => {
    const emu = await start();
    expect((await gatewayBot(emu)).body).toEqual({
      url: emu.gatewayUrl,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 },
    });
    emu.createGuilds({ count: 1000 });
    expect((await gatewayBot(emu)).body.shards).toBe(1);
    emu.createGuilds({ count: 1 });
    expect((await gatewayBot(emu)).body.shards).toBe(2);
    expect(emu.recommendedShards).toBe(2);

    const client = await connect(emu);
    const limit = (await gatewayBot(emu)).body.session_start_limit as Record<string, number>;
    expect(limit.remaining).toBe(999);
    expect(limit.reset_after).toBeGreaterThan(86_000_000);
    expect(limit.reset_after).toBeLessThanOrEqual(86_400_000);
    expect(emu.dropGatewayConnections()).toBe(1);
    await emu.waitFor(() => emu.gatewaySessions[0]?.resumes === 1 && emu.gatewaySessions[0].connected);
    expect(client.ws.shards.size).toBe(1);
    expect(emu.sessionStartLimit.remaining).toBe(999);
  });

  it('reports the configured shard count, session starts and max_concurrency', async () => {
    const emu = await start({ recommendedShards: 3, sessionStartLimit: 50, maxConcurrency: 4 });
    emu.createGuilds({ count: 2 });
    expect((await gatewayBot(emu)).body).toMatchObject({
      shards: 3,
      session_start_limit: { total: 50, remaining: 50, max_concurrency: 4 },
    });
  });
});

describe('sharded sessions', () => {
  it("runs the recommended shards for a discord.js client with shards: 'auto', and each guild arrives exactly once, on its shard", async () => {
    const emu = await start({ recommendedShards: 3, maxConcurrency: 3 });
    const guildIds = emu.createGuilds({ count: 9 }).map((g) => g.guildId);
    const client = await connect(emu, { shards: 'auto' });

    expect(sortShards(emu.identifyPayloads.map((p) => p.shard as [number, number]))).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    expect(sortShards(emu.gatewaySessions.map((s) => s.shard))).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    expect([...client.guilds.cache.keys()].sort()).toEqual([...guildIds].sort());
    for (const session of emu.gatewaySessions) {
      const ready = session.dispatches.find((d) => d.t === 'READY')?.d as Record<string, unknown>;
      const shardId = session.shard?.[0];
      expect(ready.shard).toEqual(session.shard);
      expect(readyGuildIds(ready)).toEqual(guildIds.filter((id) => shardOf(id, 3) === shardId).sort());
      expect(readyGuildIds(ready)).toHaveLength(3);
    }
    for (const id of guildIds) {
      expect(client.guilds.cache.get(id)?.shardId).toBe(shardOf(id, 3));
      expect(shardsThatGot(emu, (d) => d.t === 'GUILD_CREATE' && (d.d as { id: string }).id === id)).toEqual([shardOf(id, 3)]);
    }

    // A guild that adds the bot later reaches its own shard only.
    const joined = new Promise<string>((resolve) => client.once('guildCreate', (guild) => resolve(guild.id)));
    const late = emu.createGuild({ name: 'Late' });
    expect(await joined).toBe(late);
    expect(shardsThatGot(emu, (d) => d.t === 'GUILD_CREATE' && (d.d as { id: string }).id === late)).toEqual([shardOf(late, 3)]);
  });

  it("splits the guilds between two clients on shards [0] and [1] of 2: each guild's events and interactions reach only its shard, DMs shard 0", async () => {
    const emu = await start();
    const guilds = emu.createGuilds({ count: 4, membersPerGuild: 1 });
    const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
    const handled: string[] = [];
    const zero = await connect(emu, { shards: [0], shardCount: 2, intents });
    const one = await connect(emu, { shards: [1], shardCount: 2, intents });
    for (const [label, client] of [
      ['zero', zero],
      ['one', one],
    ] as const) {
      client.on('interactionCreate', (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        handled.push(`${label}:${interaction.guildId ?? 'dm'}`);
        void interaction.reply(label);
      });
    }
    await zero.application.commands.set([{ name: 'ping', description: 'Which shard answers' }]);

    const onShard = (shard: number) => guilds.filter((g) => shardOf(g.guildId, 2) === shard).map((g) => g.guildId);
    expect(onShard(0)).toHaveLength(2);
    expect([...zero.guilds.cache.keys()].sort()).toEqual(onShard(0).sort());
    expect([...one.guilds.cache.keys()].sort()).toEqual(onShard(1).sort());
    expect(emu.gatewaySessions.map((s) => s.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);

    for (const guild of guilds) {
      const memberId = guild.memberIds[0] ?? '';
      const owner = shardOf(guild.guildId, 2) === 0 ? 'zero' : 'one';
      const result = await emu.runCommand({ channelId: guild.channelId, userId: memberId, name: 'ping' });
      expect(result.content).toBe(owner);
      const message = emu.postUserMessage(guild.channelId, memberId, 'hello');
      expect(shardsThatGot(emu, (d) => d.t === 'MESSAGE_CREATE' && (d.d as { id: string }).id === message.id)).toEqual([
        shardOf(guild.guildId, 2),
      ]);
    }
    expect(handled.sort()).toEqual(guilds.map((g) => `${shardOf(g.guildId, 2) === 0 ? 'zero' : 'one'}:${g.guildId}`).sort());

    // Events without a guild go to shard 0 only.
    const userId = guilds[1]?.memberIds[0] ?? '';
    const dm = await one.users.createDM(userId);
    const dmResult = await emu.runCommand({ channelId: dm.id, userId, name: 'ping' });
    expect(dmResult.content).toBe('zero');
    expect(handled).toContain('zero:dm');
    expect(handled).not.toContain('one:dm');
    const dmMessage = emu.postUserMessage(dm.id, userId, 'hi bot');
    expect(shardsThatGot(emu, (d) => d.t === 'MESSAGE_CREATE' && (d.d as { id: string }).id === dmMessage.id)).toEqual([0]);
  });

  it('refuses an IDENTIFY with an invalid shard (4010) and echoes a valid one in READY, none when none was sent', async () => {
    const emu = await start();
    emu.createGuilds({ count: 2 });
    for (const shard of [[2, 2], [-1, 2], [0, 0], [1.5, 2], ['0', 1], [0], [0, 1, 2], 'x', { id: 0, count: 1 }]) {
      const session = await identify(emu, { shard });
      expect({ shard, closeCode: session.closeCode() }).toEqual({ shard, closeCode: 4010 });
    }
    const sharded = await identify(emu, { shard: [1, 2] });
    expect(sharded.ready()?.shard).toEqual([1, 2]);
    const plain = await identify(emu);
    expect(plain.ready()).not.toHaveProperty('shard');
    expect(readyGuildIds(plain.ready())).toHaveLength(2);
    expect(emu.gatewaySessions.map((s) => s.shard)).toEqual([[1, 2], null]);
    // Refused IDENTIFYs start no session.
    expect(emu.sessionStartLimit.remaining).toBe(998);
  });

  it('closes with 4011 (Sharding required) a session that would handle more guilds than a shard may, and more shards carry them', async () => {
    const emu = await start({ maxGuildsPerShard: 2 });
    const guildIds = emu.createGuilds({ count: 4 }).map((g) => g.guildId);
    expect((await identify(emu)).closeCode()).toBe(4011);
    expect((await identify(emu, { shard: [0, 1] })).closeCode()).toBe(4011);
    const first = await identify(emu, { shard: [0, 2] });
    const second = await identify(emu, { shard: [1, 2] });
    expect([...readyGuildIds(first.ready()), ...readyGuildIds(second.ready())].sort()).toEqual([...guildIds].sort());
    expect(readyGuildIds(first.ready())).toHaveLength(2);
    expect(emu.sessionStartLimit.remaining).toBe(998);
  });

  it("applies Discord's limit of 2500 guilds per session by default", async () => {
    const emu = await start();
    const guildIds = emu.createGuilds({ count: 2500 }).map((g) => g.guildId);
    expect(readyGuildIds((await identify(emu)).ready())).toHaveLength(2500);
    guildIds.push(...emu.createGuilds({ count: 1 }).map((g) => g.guildId));
    expect((await identify(emu)).closeCode()).toBe(4011);
    expect(readyGuildIds((await identify(emu, { shard: [1, 2] })).ready())).toEqual(guildIds.filter((id) => shardOf(id, 2) === 1).sort());
  });

  it('answers Request Guild Members (opcode 8) only for guilds of the shard it came on', async () => {
    const emu = await start();
    const [first, second] = emu.createGuilds({ count: 2, membersPerGuild: 1 });
    if (!first || !second) throw new Error('no guilds');
    const [own, other] = shardOf(first.guildId, 2) === 0 ? [first, second] : [second, first];
    const session = await identify(emu, { shard: [0, 2] });
    session.send({ op: 8, d: { guild_id: other.guildId, user_ids: other.memberIds, nonce: 'other' } });
    session.send({ op: 8, d: { guild_id: own.guildId, user_ids: own.memberIds, nonce: 'own' } });
    await emu.waitFor(() => emu.memberRequests.length === 2 && session.received.some((p) => p.t === 'GUILD_MEMBERS_CHUNK'));
    expect(emu.memberRequests.map((r) => [r.guildId, r.outcome])).toEqual([
      [other.guildId, 'ignored-other-shard'],
      [own.guildId, 'answered'],
    ]);
    expect(session.received.filter((p) => p.t === 'GUILD_MEMBERS_CHUNK').map((p) => (p.d as { nonce: string }).nonce)).toEqual(['own']);
  });

  it('drops the connection of one shard only, and that shard resumes', async () => {
    const emu = await start({ recommendedShards: 2, maxConcurrency: 2 });
    const guildIds = emu.createGuilds({ count: 4 }).map((g) => g.guildId);
    const client = await connect(emu, { shards: 'auto' });
    expect(emu.dropGatewayConnections({ shardId: 1 })).toBe(1);
    const sessionOf = (shard: number) => emu.gatewaySessions.find((s) => s.shard?.[0] === shard);
    await emu.waitFor(() => sessionOf(1)?.resumes === 1 && sessionOf(1)?.connected);
    expect(sessionOf(0)?.resumes).toBe(0);
    expect(emu.gatewaySessions).toHaveLength(2);
    const late = emu.createGuild({ name: 'After the drop' });
    await emu.waitFor(() => client.guilds.cache.has(late));
    expect(client.guilds.cache.size).toBe(guildIds.length + 1);
  });
});

describe('session start limits', () => {
  it('resets the token once the session starts are spent: every session ends, the gateway says 4004 and REST 401', async () => {
    const emu = await start({ sessionStartLimit: 2 });
    emu.createGuilds({ count: 1 });
    const first = await identify(emu);
    const second = await identify(emu);
    expect(first.ready() && second.ready()).toBeTruthy();
    expect(emu.sessionStartLimit.remaining).toBe(0);
    // discord.js reads session_start_limit and will not even try.
    await expect(newClient(emu).login(emu.token)).rejects.toThrow(/Not enough sessions remaining to spawn 1 shards; only 0 remaining/);
    expect(emu.identifyPayloads).toHaveLength(2);

    const third = await identify(emu);
    expect(third.closeCode()).toBe(4004);
    await emu.waitFor(() => first.closeCode() !== undefined && second.closeCode() !== undefined);
    expect([first.closeCode(), second.closeCode()]).toEqual([4004, 4004]);
    expect(emu.tokenWasReset).toBe(true);
    expect((await gatewayBot(emu)).status).toBe(401);
    expect((await identify(emu)).closeCode()).toBe(4004);
    const resume = await openGateway(emu, { op: 6, d: { token: emu.token, session_id: first.ready()?.session_id, seq: 1 } });
    expect(resume.closeCode()).toBe(4004);
  });

  it('with identifyIntervalMs, answers a second IDENTIFY in the same max_concurrency bucket with opcode 9', async () => {
    const emu = await start({ maxConcurrency: 2, identifyIntervalMs: 60_000 });
    emu.createGuilds({ count: 4 });
    const outcome = (session: RawSession) =>
      session.ready() ? 'ready' : session.received.some((p) => p.op === 9 && p.d === false) ? 'invalid session' : session.closeCode();
    // Buckets are shard_id % max_concurrency: shards 0 and 2 share one, 1 and 3 the other.
    expect(outcome(await identify(emu, { shard: [0, 4] }))).toBe('ready');
    expect(outcome(await identify(emu, { shard: [2, 4] }))).toBe('invalid session');
    expect(outcome(await identify(emu, { shard: [1, 4] }))).toBe('ready');
    expect(outcome(await identify(emu, { shard: [3, 4] }))).toBe('invalid session');
    expect(outcome(await identify(emu))).toBe('invalid session');
    expect(emu.sessionStartLimit.remaining).toBe(998);
  });

  it('gives the session starts back when the day is over, and lets a bucket identify again after its interval', () => {
    let now = 1_000;
    const limits = new IdentifyLimits({ total: 2, windowMs: 86_400_000, maxConcurrency: 2, bucketIntervalMs: 5000, now: () => now });
    limits.record(0);
    now += 1000;
    expect(limits.check(2)).toBe('too-fast');
    expect(limits.check(1)).toBe('allowed');
    limits.record(1);
    expect(limits.snapshot()).toEqual({ total: 2, remaining: 0, reset_after: 86_399_000, max_concurrency: 2 });
    now += 4000;
    expect(limits.check(2)).toBe('limit-exhausted');
    now += 86_400_000 - 5000 - 1;
    expect(limits.snapshot().reset_after).toBe(1);
    now += 1;
    expect(limits.check(2)).toBe('allowed');
    expect(limits.snapshot()).toEqual({ total: 2, remaining: 2, reset_after: 86_400_000, max_concurrency: 2 });
  });

  it('without identifyIntervalMs, lets one bucket identify again at once', async () => {
    const emu = await start();
    expect((await identify(emu, { shard: [0, 2] })).ready()).toBeDefined();
    expect((await identify(emu, { shard: [1, 2] })).ready()).toBeDefined();
    expect((await identify(emu, { shard: [0, 2] })).ready()).toBeDefined();
  });
});

describe("discord.js's ShardingManager", () => {
  it('runs one process per shard, and the processes split the guilds', async () => {
    const emu = await start({ maxConcurrency: 2, identifyIntervalMs: 5000 });
    const guildIds = emu.createGuilds({ count: 6 }).map((g) => g.guildId);
    const manager = new ShardingManager(fileURLToPath(new URL('./emulator/shardClient.ts', import.meta.url)), {
      token: emu.token,
      totalShards: 2,
      respawn: false,
      execArgv: ['--import', 'tsx'],
      shardArgs: [emu.apiBaseUrl],
    });
    managers.push(manager);
    await manager.spawn({ delay: 0, timeout: 15_000 });

    const seen = await manager.broadcastEval((client) => ({ shards: client.shard?.ids ?? [], guildIds: [...client.guilds.cache.keys()] }));
    expect(seen.map((s) => s.shards)).toEqual([[0], [1]]);
    for (const [shard, { guildIds: ids }] of seen.entries())
      expect([...ids].sort()).toEqual(guildIds.filter((id) => shardOf(id, 2) === shard).sort());
    expect(seen.flatMap((s) => s.guildIds).sort()).toEqual([...guildIds].sort());
    expect(emu.gatewaySessions.map((s) => s.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
  }, 30_000);
});
