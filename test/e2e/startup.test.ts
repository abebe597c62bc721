import { afterEach, describe, expect, it } from 'vitest';
import { createRig, requestsTo, type Rig } from './rig.ts';
import { commands } from '../../commands/index.ts';

let rig: Rig;

afterEach(async () => {
  await rig.close();
});

describe('starting the bot', () => {
  it('identifies with the Guilds intent only and registers its commands with one bulk overwrite', async () => {
    rig = await createRig();
    await rig.startBot();
    expect(rig.emulator.identifyPayloads.map((payload) => payload.intents)).toEqual([1]);

    const puts = requestsTo(rig, 'PUT /applications/:application_id/commands');
    expect(puts).toHaveLength(1);
    expect(puts[0]?.path).toBe(`/applications/${rig.emulator.applicationId}/commands`);
    const registered = rig.emulator.registeredCommands();
    expect(registered.map((command) => command.name).sort()).toEqual([
      'exchange',
      'host',
      'prompt',
      'prompts',
      'setup',
      'suggest',
      'themes',
    ]);
    for (const name of ['setup', 'host']) {
      expect(registered.find((command) => command.name === name)?.default_member_permissions).toBe('32');
    }
    // Guild-only everywhere (interaction context 0).
    expect(registered.map((command) => command.contexts)).toEqual(registered.map(() => [0]));
  });

  it('does not register again after a restart when the definitions are unchanged', async () => {
    rig = await createRig();
    await rig.startBot();
    await rig.stopBot();
    await rig.startBot();
    expect(requestsTo(rig, 'PUT /applications/:application_id/commands')).toHaveLength(1);
    expect(rig.emulator.identifyPayloads).toHaveLength(2);
  });

  it('registers again at start-up when what Discord has differs, whatever the store remembers', async () => {
    rig = await createRig();
    await rig.startBot();
    await rig.stopBot();
    // Someone (an older version, another deploy) left Discord with other definitions.
    const registered = rig.emulator.registeredCommands();
    await fetch(`${rig.emulator.apiBaseUrl}/v10/applications/${rig.emulator.applicationId}/commands`, {
      method: 'PUT',
      headers: { authorization: `Bot ${rig.emulator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ name: 'themes', description: 'An older description', type: 1 }]),
    });
    expect(rig.emulator.registeredCommands()).toHaveLength(1);
    await rig.startBot();
    expect(rig.emulator.registeredCommands().map((command) => command.name)).toEqual(registered.map((command) => command.name));
    // The bot's first registration, the older one above, and the bot's again.
    expect(requestsTo(rig, 'PUT /applications/:application_id/commands')).toHaveLength(3);
  });

  it('registers in one server when DISCORD_GUILD_ID is set', async () => {
    rig = await createRig();
    await rig.startBot({ DISCORD_GUILD_ID: rig.ids.guildId });
    expect(rig.emulator.registeredCommands(rig.ids.guildId)).toHaveLength(commands.length);
    expect(rig.emulator.registeredCommands()).toHaveLength(0);
  });

  it('says hello once when it joins a server, in the system channel', async () => {
    rig = await createRig();
    await rig.startBot();
    const { emulator } = rig;
    const owner = emulator.createUser({ username: 'new_owner' });
    const guildId = emulator.createGuild({ name: 'New Friends', ownerId: owner, withBot: false });
    const lobby = emulator.createChannel(guildId, { name: 'lobby' });
    emulator.updateGuild(guildId, { systemChannelId: lobby });
    emulator.addBotToGuild(guildId);
    const hello = await emulator.waitForMessage(lobby);
    expect(hello.content).toContain('/setup prompts');
    expect(hello.content).toContain('/setup show');
    expect(hello.allowedMentions).toEqual({ parse: [] });

    emulator.removeBotFromGuild(guildId);
    emulator.addBotToGuild(guildId);
    await rig.stopBot();
    await rig.startBot();
    await emulator.waitFor(() => rig.bot.client.guilds.cache.has(guildId));
    expect(emulator.messages(lobby)).toHaveLength(1);
  });

  it('stays quiet when it may not write in the system channel', async () => {
    rig = await createRig();
    await rig.startBot();
    const { emulator } = rig;
    const guildId = emulator.createGuild({ name: 'Quiet', withBot: false });
    emulator.updateGuild(guildId, {
      systemChannelId: emulator.createChannel(guildId, {
        name: 'rules',
        permissionOverwrites: [{ id: emulator.botUserId, type: 'member', deny: 1n << 11n }],
      }),
    });
    emulator.addBotToGuild(guildId);
    await emulator.waitFor(() => rig.bot.client.guilds.cache.has(guildId));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requestsTo(rig, 'POST /channels/:channel_id/messages')).toHaveLength(0);
  });
});
