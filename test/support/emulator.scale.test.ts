import { Client, GatewayIntentBits, PermissionFlagsBits, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordEmulator } from './emulator.ts';

const clients: Client[] = [];
const emulators: DiscordEmulator[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await Promise.all(emulators.splice(0).map((e) => e.stop()));
});

describe('the emulator with a bot in many guilds', () => {
  it('creates guilds in bulk and streams every one to discord.js after READY, ready to post in', async () => {
    const emu = await DiscordEmulator.start();
    emulators.push(emu);
    const guilds = emu.createGuilds({ count: 2000, membersPerGuild: 3, namePrefix: 'Community' });
    expect(new Set(guilds.map((g) => g.guildId)).size).toBe(2000);

    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emu.apiBaseUrl } });
    clients.push(client);
    const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
    await client.login(emu.token);
    await ready;
    expect(client.guilds.cache.size).toBe(2000);
    for (const created of guilds) {
      const guild = client.guilds.cache.get(created.guildId);
      expect(guild?.systemChannelId).toBe(created.channelId);
      expect(guild?.memberCount).toBe(5);
    }
    const first = guilds[0];
    const last = guilds.at(-1);
    if (!first || !last) throw new Error('no guilds');
    expect(client.guilds.cache.get(last.guildId)?.name).toBe('Community 2000');

    for (const created of [first, last]) {
      const channel = client.channels.cache.get(created.channelId) as TextChannel;
      expect(channel.permissionsFor(client.user ?? '')?.has(PermissionFlagsBits.SendMessages)).toBe(true);
      await channel.send('hello from the bench');
      expect(emu.messages(created.channelId).map((m) => m.content)).toEqual(['hello from the bench']);
      const members = await channel.guild.members.fetch({ user: created.memberIds });
      expect([...members.keys()].sort()).toEqual([...created.memberIds].sort());
    }
    // A guild made after READY still arrives, once.
    const joined = new Promise<string>((resolve) => client.once('guildCreate', (guild) => resolve(guild.id)));
    const [late] = emu.createGuilds({ count: 1 });
    expect(await joined).toBe(late?.guildId);
    expect(client.guilds.cache.size).toBe(2001);
  });
});
