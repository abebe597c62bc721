import { Client, GatewayIntentBits } from 'discord.js';
import { afterEach } from 'vitest';
import { DiscordEmulator, type EmulatorOptions } from './emulator.ts';

/**
 * Emulators seeded with the test community and real discord.js clients connected to them, each
 * stopped after every test of the file that calls this (at its top level).
 */
export function emulatorClients(defaults: { retries?: number } = {}) {
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
    const client = new Client({ intents, rest: { api: emu.apiBaseUrl, retries: defaults.retries ?? 3 } });
    clients.push(client);
    const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
    await client.login(emu.token);
    await ready;
    return client as Client<true>;
  }

  // The lists too, for a test that starts an emulator or a client of its own: they are stopped all the same.
  return { setup, connect, clients, emulators };
}
