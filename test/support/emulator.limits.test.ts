import { Client, GatewayIntentBits, type Interaction, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordEmulator, type EmulatorOptions } from './emulator.ts';
import { SnowflakeGenerator, snowflakeTimestamp } from './emulator/util.ts';

const clients: Client[] = [];
const emulators: DiscordEmulator[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await Promise.all(emulators.splice(0).map((e) => e.stop()));
});

async function setup(opts: EmulatorOptions = {}) {
  const emu = await DiscordEmulator.start({ heartbeatIntervalMs: 2000, ...opts });
  emulators.push(emu);
  const ids = emu.seedCommunity();
  return { emu, ids };
}

async function connect(emu: DiscordEmulator, intents: GatewayIntentBits[] = [GatewayIntentBits.Guilds]): Promise<Client<true>> {
  const client = new Client({ intents, rest: { api: emu.apiBaseUrl, retries: 3 } });
  clients.push(client);
  const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
  await client.login(emu.token);
  await ready;
  return client as Client<true>;
}

function cached<T>(client: Client, id: string): T {
  const channel = client.channels.cache.get(id);
  if (!channel) throw new Error(`channel ${id} is not cached`);
  return channel as T;
}

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
