import { Client, DiscordAPIError, GatewayIntentBits, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordEmulator, Permissions } from './emulator.ts';
import { MAX_PINS_PER_CHANNEL } from './emulator/pins.ts';

const clients: Client[] = [];
const emulators: DiscordEmulator[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await Promise.all(emulators.splice(0).map((e) => e.stop()));
});

async function setup(botPins = true) {
  const emu = await DiscordEmulator.start({ heartbeatIntervalMs: 2000 });
  emulators.push(emu);
  const ids = emu.seedCommunity();
  if (botPins) emu.setChannelOverwrite(ids.channels.dailyPrompts, { id: emu.botUserId, type: 'member', allow: Permissions.PIN_MESSAGES });
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emu.apiBaseUrl, retries: 0 } });
  clients.push(client);
  const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
  await client.login(emu.token);
  await ready;
  const channel = client.channels.cache.get(ids.channels.dailyPrompts) as TextChannel;
  return { emu, ids, client, channel };
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

describe('emulated pins', () => {
  it('pins and unpins through discord.js, lists pins in both shapes, and posts the system message', async () => {
    const { emu, ids, client, channel } = await setup();
    const first = await channel.send('first');
    const second = await channel.send('second');
    await channel.messages.pin(first.id);
    await channel.messages.pin(second.id);
    await channel.messages.pin(second.id);
    expect(
      emu
        .messages(ids.channels.dailyPrompts)
        .filter((m) => m.pinned)
        .map((m) => m.id),
    ).toEqual([first.id, second.id]);
    expect(emu.messages(ids.channels.dailyPrompts).filter((m) => m.type === 6)).toHaveLength(2);

    const old = (await client.rest.get(`/channels/${channel.id}/pins`)) as { id: string; pinned: boolean }[];
    expect(old.map((m) => m.id).sort()).toEqual([first.id, second.id].sort());
    expect(old.every((m) => m.pinned)).toBe(true);
    const { items } = await channel.messages.fetchPins();
    expect(items.map((pin) => pin.message.id).sort()).toEqual([first.id, second.id].sort());

    // Without Read Message History, Discord lists no pins.
    emu.setChannelOverwrite(ids.channels.dailyPrompts, {
      id: emu.botUserId,
      type: 'member',
      allow: Permissions.PIN_MESSAGES,
      deny: Permissions.READ_MESSAGE_HISTORY,
    });
    expect(await client.rest.get(`/channels/${channel.id}/pins`)).toEqual([]);
    expect((await channel.messages.fetchPins()).items).toEqual([]);

    await channel.messages.unpin(first.id);
    await client.rest.delete(`/channels/${channel.id}/pins/${second.id}`);
    expect(emu.messages(ids.channels.dailyPrompts).filter((m) => m.pinned)).toEqual([]);
  });

  it('refuses without Pin Messages (Manage Messages does not pin), a deleted message, and the 51st pin', async () => {
    const { emu, ids, channel } = await setup(false);
    const message = await channel.send('hello');
    expect((await apiError(channel.messages.pin(message.id))).code).toBe(50013);
    emu.setChannelOverwrite(ids.channels.dailyPrompts, { id: emu.botUserId, type: 'member', allow: Permissions.MANAGE_MESSAGES });
    expect((await apiError(channel.messages.pin(message.id))).code).toBe(50013);

    emu.setChannelOverwrite(ids.channels.dailyPrompts, { id: emu.botUserId, type: 'member', allow: Permissions.PIN_MESSAGES });
    await message.delete();
    expect((await apiError(channel.messages.pin(message.id))).code).toBe(10008);
    expect((await apiError(channel.messages.unpin(message.id))).code).toBe(10008);

    for (let i = 0; i < MAX_PINS_PER_CHANNEL; i++) await channel.messages.pin((await channel.send(`pin ${i}`)).id);
    const extra = await channel.send('one too many');
    const refused = await apiError(channel.messages.pin(extra.id));
    expect(refused.status).toBe(400);
    expect(refused.code).toBe(30003);
  });
});
