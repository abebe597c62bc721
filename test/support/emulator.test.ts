import {
  ButtonStyle,
  ChannelType,
  Client,
  ComponentType,
  DiscordAPIError,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
  type GuildTextBasedChannel,
  type Interaction,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DiscordEmulator, Permissions } from './emulator.ts';
import { emulatorClients } from './emulatorClients.ts';

const { setup, connect, clients, emulators } = emulatorClients();

function textChannel(client: Client, id: string): GuildTextBasedChannel {
  const channel = client.channels.cache.get(id);
  if (!channel || !channel.isTextBased() || channel.isDMBased()) throw new Error(`no text channel ${id}`);
  return channel;
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

describe('DiscordEmulator with the real discord.js client', () => {
  it('logs in, delivers guilds with channels and the bot member, and permissions match', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    expect(client.user.id).toBe(emu.botUserId);
    expect(emu.identifyPayloads[0]?.intents).toBe(GatewayIntentBits.Guilds);
    const guild = client.guilds.cache.get(ids.guildId);
    expect(guild?.name).toBe('Bridges Test Community');
    expect(guild?.systemChannelId).toBe(ids.channels.welcome);
    const me = guild?.members.me;
    expect(me?.id).toBe(emu.botUserId);
    if (!guild || !me) throw new Error('guild not cached');
    expect(guild.channels.cache.get(ids.channels.announcements)?.type).toBe(ChannelType.GuildAnnouncement);
    const perms = (id: string) => guild.channels.cache.get(id)?.permissionsFor(me);
    expect(perms(ids.channels.general)?.has([PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks])).toBe(true);
    expect(perms(ids.channels.modOnly)?.has(PermissionFlagsBits.ViewChannel)).toBe(false);
    expect(perms(ids.channels.readOnly)?.has(PermissionFlagsBits.SendMessages)).toBe(false);
    expect(perms(ids.channels.noEmbeds)?.has(PermissionFlagsBits.EmbedLinks)).toBe(false);
    expect(perms(ids.channels.noPublicThreads)?.has(PermissionFlagsBits.CreatePublicThreads)).toBe(false);
    expect(perms(ids.channels.noPrivateThreads)?.has(PermissionFlagsBits.CreatePrivateThreads)).toBe(false);
    for (const id of Object.values(ids.channels)) {
      const djs = perms(id)?.bitfield ?? 0n;
      const ours = emu.permissionsFor(id, emu.botUserId);
      // discord.js does not zero permissions without VIEW_CHANNEL; compare where the bot can see.
      if ((ours & Permissions.VIEW_CHANNEL) !== 0n) expect(ours).toBe(djs);
    }
    // A guild added after READY arrives as GUILD_CREATE.
    const joined = new Promise<string>((resolve) => client.once('guildCreate', (g) => resolve(g.id)));
    const second = emu.createGuild({ name: 'Second' });
    expect(await joined).toBe(second);
  });

  it('registers commands with validation like Discord', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    const created = await client.application.commands.set(
      [
        { name: 'ping', description: 'Ping' },
        {
          name: 'tz',
          description: 'Set timezone',
          options: [{ type: 3, name: 'zone', description: 'Zone', required: true, autocomplete: true }],
        },
      ],
      ids.guildId,
    );
    expect(created.size).toBe(2);
    expect(emu.registeredCommands(ids.guildId).map((c) => c.name)).toEqual(['ping', 'tz']);
    const error = await apiError(
      client.application.commands.set(
        [
          {
            name: 'Bad Name',
            description: 'x',
            options: [
              { type: 3, name: 'opt', description: 'optional' },
              { type: 3, name: 'req', description: 'required', required: true },
            ],
          },
        ],
        ids.guildId,
      ),
    );
    expect(error.code).toBe(50035);
    expect(error.rawError).toMatchObject({
      errors: {
        '0': {
          name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] },
          options: { '1': { required: { _errors: [{ code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID' }] } } },
        },
      },
    });
    expect(emu.registeredCommands(ids.guildId)).toHaveLength(2);
  });

  it('delivers interactions and captures replies, deferrals, components, modals and autocomplete', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    await client.application.commands.set(
      [
        { name: 'ping', description: 'Ping' },
        { name: 'slow', description: 'Deferred' },
        { name: 'tz', description: 'Timezone', options: [{ type: 3, name: 'zone', description: 'Zone', autocomplete: true }] },
        { name: 'who', description: 'Mention', options: [{ type: 7, name: 'where', description: 'Channel', required: true }] },
      ],
      ids.guildId,
    );
    const seen: ChatInputCommandInteraction[] = [];
    let secondReplyCode: unknown;
    client.on('interactionCreate', (i: Interaction) => {
      void (async () => {
        if (i.isAutocomplete()) {
          await i.respond([{ name: 'Europe/Berlin', value: 'Europe/Berlin' }]);
        } else if (i.isChatInputCommand()) {
          seen.push(i);
          if (i.commandName === 'ping') {
            await i.reply({
              content: 'pong',
              flags: MessageFlags.Ephemeral,
              components: [
                {
                  type: ComponentType.ActionRow,
                  components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, customId: 'again', label: 'Again' }],
                },
              ],
            });
            secondReplyCode = await i.reply({ content: 'twice' }).catch((e: unknown) => (e instanceof DiscordAPIError ? e.code : e));
          } else if (i.commandName === 'slow') {
            await i.deferReply();
            await i.editReply({ content: 'done', allowedMentions: { parse: [] } });
          } else if (i.commandName === 'who') {
            await i.showModal({
              customId: 'intro',
              title: 'Introduce yourself',
              components: [
                { type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, customId: 'bio', label: 'Bio', style: 1 }] },
              ],
            });
          }
        } else if (i.isButton()) {
          await i.update({ content: 'clicked', components: [] });
        } else if (i.isModalSubmit()) {
          await i.reply({ content: `bio: ${i.fields.getTextInputValue('bio')}` });
        }
      })();
    });

    const ping = await emu.runCommand({ guildId: ids.guildId, channelId: ids.channels.general, userId: ids.users.member, name: 'ping' });
    expect(ping).toMatchObject({ ephemeral: true, deferred: false, content: 'pong', callbackType: 4 });
    await emu.waitFor(() => secondReplyCode !== undefined);
    // discord.js refuses a second reply locally; the emulator rejects one that reaches it with 40060.
    expect(secondReplyCode).toBeDefined();
    const interaction = seen[0];
    expect(interaction?.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(false);
    expect(interaction?.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(true);

    const clicked = await emu.clickButton({
      channelId: ids.channels.general,
      userId: ids.users.member,
      messageId: ping.message?.id ?? '',
      customId: 'again',
    });
    expect(clicked).toMatchObject({ callbackType: 7, content: 'clicked', components: [] });

    const slow = await emu.runCommand({ channelId: ids.channels.general, userId: ids.users.moderator, name: 'slow' });
    expect(slow).toMatchObject({ deferred: true, ephemeral: false, content: 'done', allowedMentions: { parse: [] } });
    expect(seen[1]?.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);

    expect(
      await emu.autocomplete({
        channelId: ids.channels.general,
        userId: ids.users.member,
        name: 'tz',
        focused: 'zone',
        value: 'Europe/Be',
      }),
    ).toEqual([{ name: 'Europe/Berlin', value: 'Europe/Berlin' }]);

    const modal = await emu.runCommand({
      channelId: ids.channels.general,
      userId: ids.users.member,
      name: 'who',
      options: { where: ids.channels.modOnly },
    });
    expect(modal.modal).toMatchObject({ custom_id: 'intro', title: 'Introduce yourself' });
    const resolved = emu.interaction(modal.interactionId).payload.data as {
      resolved: { channels: Record<string, { permissions: string }> };
    };
    // Resolved channels carry the invoking member's permissions: a plain member cannot view mod-only.
    expect(resolved.resolved.channels[ids.channels.modOnly]?.permissions).toBe('0');
    const submitted = await emu.submitModal({
      channelId: ids.channels.general,
      userId: ids.users.member,
      customId: 'intro',
      fields: { bio: 'Hi from Lisbon' },
    });
    expect(submitted.content).toBe('bio: Hi from Lisbon');

    await expect(emu.runCommand({ channelId: ids.channels.general, userId: ids.users.member, name: 'nope' })).rejects.toThrow(
      /not registered/,
    );
  });

  it('rejects a second callback with 40060 and late callbacks with 10062', async () => {
    const { emu, ids } = await setup({ interactionAckDeadlineMs: 100 });
    const client = await connect(emu);
    await client.application.commands.set(
      [
        { name: 'late', description: 'Late' },
        { name: 'twice', description: 'Twice' },
      ],
      ids.guildId,
    );
    const codes: unknown[] = [];
    client.on('interactionCreate', (i: Interaction) => {
      if (!i.isChatInputCommand()) return;
      void (async () => {
        if (i.commandName === 'late') await new Promise((r) => setTimeout(r, 200));
        const route = `/interactions/${i.id}/${i.token}/callback` as const;
        const send = () => client.rest.post(route, { body: { type: 4, data: { content: 'hi' } }, auth: false });
        codes.push(
          await send().then(
            () => 'ok',
            (e: unknown) => (e instanceof DiscordAPIError ? e.code : e),
          ),
        );
        if (i.commandName === 'twice')
          codes.push(
            await send().then(
              () => 'ok',
              (e: unknown) => (e instanceof DiscordAPIError ? e.code : e),
            ),
          );
      })();
    });
    await emu.runCommand({ channelId: ids.channels.general, userId: ids.users.member, name: 'twice' });
    await emu.waitFor(() => codes.length === 2);
    expect(codes).toEqual(['ok', 40060]);
    await expect(
      emu.runCommand({ channelId: ids.channels.general, userId: ids.users.member, name: 'late', timeoutMs: 1000 }),
    ).rejects.toThrow(/10062/);
    await emu.waitFor(() => codes.length === 3);
    expect(codes[2]).toBe(10062);
  });

  it('enforces message limits, permissions and thread rules', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    const general = textChannel(client, ids.channels.general);
    const tooLong = await apiError(general.send({ embeds: [{ title: 't'.repeat(257), description: 'd' }] }));
    expect(tooLong.code).toBe(50035);
    expect(tooLong.rawError).toMatchObject({ errors: { embeds: { '0': { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } });
    const total = await apiError(general.send({ embeds: [{ description: 'a'.repeat(4000) }, { description: 'b'.repeat(2500) }] }));
    expect(total.code).toBe(50035);
    expect((await apiError(general.send({ content: 'x'.repeat(2001) }))).code).toBe(50035);
    expect((await apiError(client.rest.post(`/channels/${ids.channels.general}/messages`, { body: {} }))).code).toBe(50006);
    expect((await apiError(general.send({ content: 'hi', allowedMentions: { parse: ['users'], users: [ids.users.member] } }))).code).toBe(
      50035,
    );
    expect((await apiError(textChannel(client, ids.channels.readOnly).send('hi'))).code).toBe(50013);
    expect((await apiError(client.rest.post(`/channels/${ids.channels.modOnly}/messages`, { body: { content: 'x' } }))).code).toBe(50001);
    expect((await apiError(textChannel(client, ids.channels.noEmbeds).send({ embeds: [{ title: 'x' }] }))).code).toBe(50013);
    await textChannel(client, ids.channels.noEmbeds).send('plain text is fine');

    const sent = await general.send({ content: 'Prompt of the day', allowedMentions: { parse: [] } });
    expect(emu.messages(ids.channels.general).at(-1)).toMatchObject({ id: sent.id, allowedMentions: { parse: [] } });
    const thread = await sent.startThread({ name: 'Discussion' });
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(emu.message(sent.id)?.thread?.id).toBe(thread.id);
    await thread.send('inside');
    if (general.type !== ChannelType.GuildText) throw new Error('general should be text');
    const priv = await general.threads.create({ name: 'Pair', type: ChannelType.PrivateThread, invitable: false });
    await priv.members.add(ids.users.member);
    expect(emu.threads(ids.channels.general).find((t) => t.id === priv.id)).toMatchObject({
      type: 12,
      invitable: false,
      memberIds: [emu.botUserId, ids.users.member],
    });
    emu.removeMember(ids.guildId, ids.users.moderator);
    expect((await apiError(priv.members.add(ids.users.moderator))).code).toBe(10007);
    expect((await apiError(client.rest.get(`/guilds/${ids.guildId}/members/${ids.users.moderator}`))).code).toBe(10007);
    const noPublic = textChannel(client, ids.channels.noPublicThreads);
    if (noPublic.type !== ChannelType.GuildText) throw new Error('text');
    expect((await apiError(noPublic.threads.create({ name: 'x', type: ChannelType.PublicThread }))).code).toBe(50013);
    const noPrivate = textChannel(client, ids.channels.noPrivateThreads);
    if (noPrivate.type !== ChannelType.GuildText) throw new Error('text');
    expect((await apiError(noPrivate.threads.create({ name: 'x', type: ChannelType.PrivateThread }))).code).toBe(50013);
    expect((await apiError(client.rest.get(`/channels/${ids.channels.general}/messages/123`))).code).toBe(10008);
    expect((await apiError(client.rest.get('/channels/123'))).code).toBe(10003);
    expect((await apiError(client.rest.get('/nope'))).status).toBe(404);
  });

  it('de-duplicates enforce_nonce sends', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    const general = textChannel(client, ids.channels.general);
    const a = await general.send({ content: 'once', nonce: 'job-1', enforceNonce: true });
    const b = await general.send({ content: 'once', nonce: 'job-1', enforceNonce: true });
    expect(b.id).toBe(a.id);
    expect(emu.messages(ids.channels.general).filter((m) => m.nonce === 'job-1')).toHaveLength(1);
  });

  it('keeps the bytes of uploaded files for tests, and never sends them back to the bot', async () => {
    const { emu, ids } = await setup();
    emu.setChannelOverwrite(ids.channels.general, { id: emu.botUserId, type: 'member', allow: Permissions.ATTACH_FILES });
    const client = await connect(emu);
    const general = textChannel(client, ids.channels.general);
    const sent = await general.send({ content: 'files', files: [{ attachment: Buffer.from('a,b\r\n1,2\r\n'), name: 'figures.csv' }] });
    const [attachment] = [...sent.attachments.values()];
    expect(attachment?.name).toBe('figures.csv');
    expect(emu.attachmentBytes(attachment!.id)?.toString('utf8')).toBe('a,b\r\n1,2\r\n');
    const edited = await sent.edit({ files: [{ attachment: Buffer.from([0, 1, 2, 255]), name: 'raw.bin' }] });
    const added = [...edited.attachments.values()].find((file) => file.name === 'raw.bin');
    expect(emu.attachmentBytes(added!.id)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(emu.attachmentBytes('1')).toBeUndefined();
    // The edit replaced the first file: discord.js lists only the files it sends as the ones to keep.
    const raw = (await client.rest.get(`/channels/${general.id}/messages/${sent.id}`)) as { attachments: Record<string, unknown>[] };
    expect(raw.attachments.map((file) => file.filename)).toEqual(['raw.bin']);
    expect(raw.attachments.every((file) => !('data' in file))).toBe(true);
    const created = emu.requests.find((entry) => entry.method === 'POST' && entry.path.endsWith('/messages'));
    expect(JSON.stringify(created)).not.toContain('"data"');
  });

  it('lets discord.js retry injected 429s and 5xx', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    const route = 'POST /channels/:channel_id/messages';
    emu.failNext({ route, status: 429, retryAfter: 0.1 });
    emu.failNext({ route, status: 502 });
    const message = await textChannel(client, ids.channels.general).send('persistent');
    const statuses = emu.requests.filter((r) => r.route === '/channels/:channel_id/messages' && r.method === 'POST').map((r) => r.status);
    expect(statuses).toEqual([429, 502, 200]);
    expect(emu.messages(ids.channels.general).map((m) => m.id)).toEqual([message.id]);
    let stopped = 0;
    emu.stopAfter({ route, count: 2, then: () => stopped++ });
    await textChannel(client, ids.channels.general).send('one');
    expect(stopped).toBe(0);
    await textChannel(client, ids.channels.general).send('two');
    await emu.waitFor(() => stopped === 1);
  });

  it('resumes after dropped gateway connections and replays missed events', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    await client.application.commands.set([{ name: 'ping', description: 'Ping' }], ids.guildId);
    client.on('interactionCreate', (i: Interaction) => {
      if (i.isChatInputCommand()) void i.reply('pong');
    });
    expect(emu.dropGatewayConnections()).toBe(1);
    // Dispatched while disconnected: buffered and replayed on RESUME.
    const channelCreated = new Promise<string>((resolve) => client.once('channelCreate', (c) => resolve(c.id)));
    const newChannel = emu.createChannel(ids.guildId, { name: 'late-arrival' });
    const reply = await emu.runCommand({ channelId: ids.channels.general, userId: ids.users.member, name: 'ping' });
    expect(reply.content).toBe('pong');
    expect(await channelCreated).toBe(newChannel);
    expect(emu.gatewaySessions).toHaveLength(1);
    expect(emu.gatewaySessions[0]?.resumes).toBe(1);
  });

  it('refuses privileged intents with close code 4014', async () => {
    const { emu } = await setup();
    const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers], rest: { api: emu.apiBaseUrl } });
    clients.push(client);
    await expect(client.login(emu.token)).rejects.toThrow(/disallowed intents|4014/i);
    expect(emu.identifyPayloads[0]?.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMembers);

    const allowed = await DiscordEmulator.start({ allowedPrivilegedIntents: GatewayIntentBits.GuildMembers });
    emulators.push(allowed);
    allowed.createGuild({ name: 'Allowed' });
    await connect(allowed, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers]);
  });

  it('requires the bot token on REST', async () => {
    const { emu } = await setup();
    const res = await fetch(`${emu.apiBaseUrl}/v10/users/@me`, { headers: { authorization: 'Bot wrong' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: '401: Unauthorized', code: 0 });
  });
});
