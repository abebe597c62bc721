import {
  ButtonStyle,
  ComponentType,
  Locale,
  Routes,
  TextInputStyle,
  type ApplicationCommandOptionChoiceData,
  type Interaction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody as ChatInputBody,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DISCORD_LOCALES, DiscordEmulator, Permissions } from './emulator.ts';
import { emulatorClients } from './emulatorClients.ts';

const { setup, connect } = emulatorClients({ retries: 0 });

async function rawRest(emu: DiscordEmulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${emu.apiBaseUrl}/v10${path}`, {
    method,
    headers: {
      authorization: `Bot ${emu.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

type Json = Record<string, unknown>;

/** The `_errors` codes Discord reports at one path of a 50035 error tree. */
function codesAt(body: unknown, path: (string | number)[]): string[] {
  let node: unknown = (body as { errors?: unknown }).errors;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[String(key)];
  const list = (node as { _errors?: { code: string }[] } | undefined)?._errors ?? [];
  return list.map((e) => e.code);
}

/** Every path of a 50035 error tree that carries `_errors`, joined with dots. */
function errorPaths(body: unknown): string[] {
  const paths: string[] = [];
  const walk = (node: unknown, at: string[]): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '_errors') paths.push(at.join('.'));
      else walk(value, [...at, key]);
    }
  };
  walk((body as { errors?: unknown }).errors, []);
  return paths.sort();
}

/** One command in Bridges' shape, localized into the locales Bridges ships and the rest of Discord's. */
function localizedSetup(): Json {
  return {
    name: 'setup',
    description: 'Set Bridges up',
    name_localizations: {
      'en-GB': 'setup',
      'es-ES': 'configurar',
      'es-419': 'ajustes',
      'pt-BR': 'configurar',
      fr: 'configurer',
      de: 'einrichten',
      ja: '設定',
      ko: '설정',
      'zh-CN': '设置',
      hi: 'समायोजन',
      id: 'atur',
      tr: 'kurulum',
      vi: 'thiết-lập',
      uk: 'налаштування',
      th: 'ตั้งค่า',
      el: 'ρύθμιση',
      ar: 'إعداد',
      he: 'הגדרה',
      // U+02BC, the apostrophe Discord allows in names.
      it: 'impostaʼ',
    },
    description_localizations: {
      ja: 'Bridges を設定する',
      de: 'Bridges einrichten',
      'es-ES': 'Configurar Bridges',
      'en-GB': 'Set Bridges up, colour and all',
    },
    options: [
      {
        type: 2,
        name: 'feature',
        description: 'A feature',
        name_localizations: { ja: '機能', fr: 'fonction' },
        description_localizations: null,
        options: [
          {
            type: 1,
            name: 'prompts',
            description: 'Daily prompts',
            name_localizations: { ja: 'お題', de: 'impulse' },
            description_localizations: { ja: '毎日のお題' },
            options: [
              {
                type: 3,
                name: 'time',
                description: 'Local time',
                required: true,
                name_localizations: { ja: '時刻', de: 'uhrzeit', tr: 'saat' },
                description_localizations: { ja: '現地時刻' },
                min_length: 5,
                max_length: 5,
              },
              {
                type: 4,
                name: 'weeks',
                description: 'Weeks',
                name_localizations: null,
                min_value: 1,
                max_value: 12,
              },
              {
                type: 3,
                name: 'frequency',
                description: 'How often',
                name_localizations: { ja: '頻度' },
                choices: [
                  { name: 'Weekly', value: 'weekly', name_localizations: { ja: '毎週', de: 'Wöchentlich', 'es-ES': 'Semanal' } },
                  { name: 'Monthly', value: 'monthly', name_localizations: null },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

const commandsPath = (emu: DiscordEmulator, guildId?: string) =>
  guildId === undefined ? `/applications/${emu.applicationId}/commands` : `/applications/${emu.applicationId}/guilds/${guildId}/commands`;

describe('command localizations at registration', () => {
  it('accepts names and descriptions in every Discord locale, null maps, and scripts with combining marks', async () => {
    const { emu, ids } = await setup();
    const everyLocale = Object.fromEntries(DISCORD_LOCALES.map((locale) => [locale, `ping-${locale.toLowerCase()}`]));
    const ping = { name: 'ping', description: 'Ping', name_localizations: everyLocale, description_localizations: null };
    const put = await rawRest(emu, 'PUT', commandsPath(emu, ids.guildId), [localizedSetup(), ping]);
    expect(put.status).toBe(200);
    const [registered] = emu.registeredCommands(ids.guildId);
    expect(registered?.name_localizations).toEqual(localizedSetup().name_localizations);
    expect(DISCORD_LOCALES).toHaveLength(34);
    expect((await rawRest(emu, 'PUT', commandsPath(emu), [ping])).status).toBe(200);
  });

  it('refuses keys that are not Discord locales on commands, options and choices, under the key', async () => {
    const { emu, ids } = await setup();
    const command = localizedSetup() as { name_localizations: Json; description_localizations: Json; options: Json[] };
    command.name_localizations.en = 'setup';
    command.description_localizations.pt_BR = 'Configurar';
    const group = command.options[0] as { options: Json[] };
    const sub = group.options[0] as { name_localizations: Json; options: Json[] };
    sub.name_localizations['es-MX'] = 'ajustes';
    const time = sub.options[0] as { description_localizations: Json };
    time.description_localizations.JA = '現地時刻';
    const frequency = sub.options[2] as { choices: { name_localizations: Json | null }[] };
    frequency.choices[1] = { ...frequency.choices[1], name_localizations: { 'zh-HK': '每月' } };

    const refused = await rawRest(emu, 'PUT', commandsPath(emu, ids.guildId), [command]);
    expect(refused.status).toBe(400);
    expect((refused.body as Json).code).toBe(50035);
    const sub0 = [0, 'options', 0, 'options', 0];
    expect(errorPaths(refused.body)).toEqual(
      [
        '0.name_localizations.en',
        '0.description_localizations.pt_BR',
        `${sub0.join('.')}.name_localizations.es-MX`,
        `${sub0.join('.')}.options.0.description_localizations.JA`,
        `${sub0.join('.')}.options.2.choices.1.name_localizations.zh-HK`,
      ].sort(),
    );
    expect(codesAt(refused.body, [0, 'name_localizations', 'en'])).toEqual(['BASE_TYPE_CHOICES']);
    const message = (refused.body as { errors: { 0: { name_localizations: { en: { _errors: { message: string }[] } } } } }).errors[0]
      .name_localizations.en._errors[0]?.message;
    expect(message).toContain("'es-419'");
    expect(emu.registeredCommands(ids.guildId)).toEqual([]);
  });

  it('holds localized names to the CHAT_INPUT naming rule, per locale on options and on the whole map on the command', async () => {
    const { emu, ids } = await setup();
    const command = localizedSetup() as { name_localizations: Json; options: Json[] };
    command.name_localizations.de = 'Einrichten';
    const sub = (command.options[0] as { options: Json[] }).options[0] as { options: Json[] };
    (sub.options[0] as { name_localizations: Json }).name_localizations = {
      de: 'Uhr zeit',
      fr: "l'heure",
      it: 'ora!',
      tr: 'SAAT',
      ja: '時刻',
    };
    (sub.options[2] as { name_localizations: Json }).name_localizations = { tr: 'İzin' };

    const refused = await rawRest(emu, 'PUT', commandsPath(emu, ids.guildId), [command]);
    expect(refused.status).toBe(400);
    const option = [0, 'options', 0, 'options', 0, 'options'];
    expect(errorPaths(refused.body)).toEqual(
      [
        '0.name_localizations',
        `${option.join('.')}.0.name_localizations.de`,
        `${option.join('.')}.0.name_localizations.fr`,
        `${option.join('.')}.0.name_localizations.it`,
        `${option.join('.')}.0.name_localizations.tr`,
        `${option.join('.')}.2.name_localizations.tr`,
      ].sort(),
    );
    expect(codesAt(refused.body, [0, 'name_localizations'])).toEqual(['APPLICATION_COMMAND_INVALID_NAME']);
    expect(codesAt(refused.body, [...option, 0, 'name_localizations', 'tr'])).toEqual(['APPLICATION_COMMAND_INVALID_NAME']);

    // Context-menu commands may be mixed case with spaces, in every language.
    const contextMenu = { type: 2, name: 'Pair With', name_localizations: { de: 'Paaren Mit', ja: 'ペアにする' } };
    expect((await rawRest(emu, 'PUT', commandsPath(emu, ids.guildId), [contextMenu])).status).toBe(200);
  });

  it('refuses localized names over 32 characters and descriptions or choice names outside 1 to 100, as the spec says', async () => {
    const { emu, ids } = await setup();
    const command = localizedSetup() as { name_localizations: Json; description_localizations: Json; options: Json[] };
    command.name_localizations.ja = '設'.repeat(33);
    command.description_localizations.de = 'x'.repeat(101);
    const sub = (command.options[0] as { options: Json[] }).options[0] as { options: Json[] };
    (sub.options[0] as { description_localizations: Json }).description_localizations = { ja: '' };
    (sub.options[2] as { choices: Json[] }).choices[0] = { name: 'Weekly', value: 'weekly', name_localizations: { ja: '週'.repeat(101) } };
    const refused = await rawRest(emu, 'PUT', commandsPath(emu, ids.guildId), [command]);
    expect(refused.status).toBe(400);
    const option = [0, 'options', 0, 'options', 0, 'options'];
    expect(codesAt(refused.body, [0, 'name_localizations', 'ja'])).toEqual(['BASE_TYPE_MAX_LENGTH']);
    expect(codesAt(refused.body, [0, 'description_localizations', 'de'])).toEqual(['BASE_TYPE_MAX_LENGTH']);
    expect(codesAt(refused.body, [...option, 0, 'description_localizations', 'ja'])).toEqual(['BASE_TYPE_MIN_LENGTH']);
    expect(codesAt(refused.body, [...option, 2, 'choices', 0, 'name_localizations', 'ja'])).toEqual(['BASE_TYPE_MAX_LENGTH']);
    // Exactly 32 and 100 are fine.
    command.name_localizations.ja = '設'.repeat(32);
    command.description_localizations.de = 'x'.repeat(100);
    (sub.options[0] as { description_localizations: Json }).description_localizations = { ja: '現' };
    (sub.options[2] as { choices: Json[] }).choices[0] = { name: 'Weekly', value: 'weekly', name_localizations: { ja: '週'.repeat(100) } };
    expect((await rawRest(emu, 'PUT', commandsPath(emu, ids.guildId), [command])).status).toBe(200);
  });

  it('refuses a localized option name that another option of the same level already has in that locale or by default', async () => {
    const { emu, ids } = await setup();
    const option = (name: string, names: Json | null) => ({ type: 3, name, description: name, name_localizations: names });
    const command = (options: Json[]) => ({ name: 'profile', description: 'Profile', options });
    const put = (options: Json[]) => rawRest(emu, 'PUT', commandsPath(emu, ids.guildId), [command(options)]);

    const clashes = await put([
      option('languages', { fr: 'langues', ja: '言語' }),
      option('cultures', { ja: '言語' }),
      option('interests', { fr: 'languages' }),
      option('timezone', null),
    ]);
    expect(clashes.status).toBe(400);
    expect(errorPaths(clashes.body)).toEqual(
      ['0.options.0.name_localizations.ja', '0.options.1.name_localizations.ja', '0.options.2.name_localizations.fr'].sort(),
    );
    expect(codesAt(clashes.body, [0, 'options', 2, 'name_localizations', 'fr'])).toEqual([
      'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
    ]);

    // The same text in two locales, a localization equal to its own default, and the same
    // localized name under two different subcommands are all fine.
    expect(
      (await put([option('languages', { fr: 'langues', de: 'langues', 'en-GB': 'languages' }), option('cultures', null)])).status,
    ).toBe(200);
    // A localization equal to its own default is ignored, so only the other option is at fault.
    const echo = await put([option('languages', { fr: 'languages' }), option('tongues', { fr: 'languages' })]);
    expect(errorPaths(echo.body)).toEqual(['0.options.1.name_localizations.fr']);
    const sub = (name: string) => ({
      type: 1,
      name,
      description: name,
      options: [option('time', { ja: '時刻' })],
    });
    expect((await put([sub('prompts'), sub('pairing')])).status).toBe(200);
    // Subcommands are options too: two may not share a localized name.
    const twins = await put([
      { ...sub('prompts'), name_localizations: { ja: '開始' } },
      { ...sub('pairing'), name_localizations: { ja: '開始' } },
    ]);
    expect(errorPaths(twins.body)).toEqual(['0.options.0.name_localizations.ja', '0.options.1.name_localizations.ja']);
  });

  it('checks localizations on POST and PATCH of global and guild commands, reporting from the body root', async () => {
    const { emu, ids } = await setup();
    for (const guildId of [undefined, ids.guildId]) {
      const path = commandsPath(emu, guildId);
      const badPost = await rawRest(emu, 'POST', path, { ...localizedSetup(), name_localizations: { xx: 'setup' } });
      expect(badPost.status).toBe(400);
      expect(errorPaths(badPost.body)).toEqual(['name_localizations.xx']);

      const created = await rawRest(emu, 'POST', path, localizedSetup());
      expect(created.status).toBe(201);
      const id = (created.body as { id: string }).id;

      const badPatch = await rawRest(emu, 'PATCH', `${path}/${id}`, {
        name_localizations: { ja: '設 定' },
        description_localizations: { nope: 'x' },
      });
      expect(badPatch.status).toBe(400);
      expect(errorPaths(badPatch.body)).toEqual(['description_localizations.nope', 'name_localizations']);

      const clash = await rawRest(emu, 'PATCH', `${path}/${id}`, {
        options: [
          { type: 3, name: 'time', description: 'Time', name_localizations: { ko: '시간' } },
          { type: 3, name: 'zone', description: 'Zone', name_localizations: { ko: '시간' } },
        ],
      });
      expect(errorPaths(clash.body)).toEqual(['options.0.name_localizations.ko', 'options.1.name_localizations.ko']);

      const patched = await rawRest(emu, 'PATCH', `${path}/${id}`, {
        name_localizations: { ja: '設定する' },
        description_localizations: null,
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        id,
        name: 'setup',
        description: 'Set Bridges up',
        name_localizations: { ja: '設定する' },
        description_localizations: null,
      });
      const fetched = await rawRest(emu, 'GET', `${path}/${id}`);
      expect(fetched.body).toMatchObject({ name_localizations: { ja: '設定する' }, options: localizedSetup().options });

      // Renaming onto another command of the same type would leave two commands with one name.
      expect((await rawRest(emu, 'POST', path, { name: 'themes', description: 'Themes' })).status).toBe(201);
      const renamed = await rawRest(emu, 'PATCH', `${path}/${id}`, { name: 'themes' });
      expect(codesAt(renamed.body, ['name'])).toEqual(['APPLICATION_COMMANDS_DUPLICATE_NAME']);
    }
  });
});

describe('reading localized commands back', () => {
  it('returns the full maps with with_localizations=true and the requester-locale fields without it', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    await client.application.commands.set([localizedSetup() as unknown as ChatInputBody], ids.guildId);

    const full = await rawRest(emu, 'GET', `${commandsPath(emu, ids.guildId)}?with_localizations=true`);
    expect(full.body).toMatchObject([{ name_localizations: localizedSetup().name_localizations, options: localizedSetup().options }]);

    const japanese = await rawRest(emu, 'GET', commandsPath(emu, ids.guildId), undefined, { 'X-Discord-Locale': 'ja' });
    const [command] = japanese.body as Json[];
    expect(command).not.toHaveProperty('name_localizations');
    expect(command).not.toHaveProperty('description_localizations');
    expect(command).toMatchObject({ name: 'setup', name_localized: '設定', description_localized: 'Bridges を設定する' });
    const group = (command?.options as Json[])[0];
    expect(group).toMatchObject({ name: 'feature', name_localized: '機能' });
    expect(group).not.toHaveProperty('description_localized');
    expect(group).not.toHaveProperty('description_localizations');
    const sub = (group?.options as Json[])[0];
    expect(sub).toMatchObject({ name: 'prompts', name_localized: 'お題', description_localized: '毎日のお題' });
    const [time, weeks, frequency] = sub?.options as Json[];
    expect(time).toMatchObject({ name: 'time', name_localized: '時刻', description_localized: '現地時刻', min_length: 5 });
    expect(weeks).not.toHaveProperty('name_localized');
    expect(weeks).not.toHaveProperty('name_localizations');
    expect(frequency?.choices).toEqual([
      { name: 'Weekly', value: 'weekly', name_localized: '毎週' },
      { name: 'Monthly', value: 'monthly' },
    ]);

    // Accept-Language is read when X-Discord-Locale is absent; a locale without a localization gets none.
    const german = await rawRest(emu, 'GET', commandsPath(emu, ids.guildId), undefined, { 'Accept-Language': 'de;q=0.9, en;q=0.8' });
    expect((german.body as Json[])[0]).toMatchObject({ name_localized: 'einrichten', description_localized: 'Bridges einrichten' });
    const danish = await rawRest(emu, 'GET', commandsPath(emu, ids.guildId), undefined, { 'X-Discord-Locale': 'da' });
    expect((danish.body as Json[])[0]).not.toHaveProperty('name_localized');

    // Through discord.js, as the bot would read them.
    const withMaps = await client.application.commands.fetch({ guildId: ids.guildId, withLocalizations: true });
    expect(withMaps.first()?.nameLocalizations).toMatchObject({ ja: '設定', ko: '설정' });
    const asJapanese = await client.application.commands.fetch({ guildId: ids.guildId, locale: Locale.Japanese });
    expect(asJapanese.first()?.nameLocalized).toBe('設定');
    expect(asJapanese.first()?.descriptionLocalized).toBe('Bridges を設定する');
  });

  it('shows a member the commands in their own language, with the clients’ fallbacks', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    await client.application.commands.set([localizedSetup() as unknown as ChatInputBody], ids.guildId);
    await client.application.commands.set([
      { name: 'themes', description: 'The themes', name_localizations: { ja: 'テーマ' }, description_localizations: { ja: 'テーマ一覧' } },
    ]);

    const japanese = emu.commandsSeenBy({ locale: 'ja', guildId: ids.guildId });
    expect(japanese.map((c) => [c.name, c.shownName, c.shownDescription])).toEqual([
      ['setup', '設定', 'Bridges を設定する'],
      ['themes', 'テーマ', 'テーマ一覧'],
    ]);
    const sub = japanese[0]?.options[0]?.options?.[0];
    expect(sub).toMatchObject({ name: 'prompts', shownName: 'お題', shownDescription: '毎日のお題' });
    expect(sub?.options?.map((o) => o.shownName)).toEqual(['時刻', 'weeks', '頻度']);
    expect(sub?.options?.[2]?.choices).toEqual([
      { name: 'Weekly', shownName: '毎週', value: 'weekly' },
      { name: 'Monthly', shownName: 'Monthly', value: 'monthly' },
    ]);

    // en-US falls back to en-GB and es-419 to es-ES when their own key is missing.
    const american = emu.commandsSeenBy({ locale: 'en-US', guildId: ids.guildId })[0];
    expect(american?.shownDescription).toBe('Set Bridges up, colour and all');
    const latinAmerican = emu.commandsSeenBy({ locale: 'es-419', guildId: ids.guildId })[0];
    expect([latinAmerican?.shownName, latinAmerican?.shownDescription]).toEqual(['ajustes', 'Configurar Bridges']);
    // Outside the guild only global commands are listed.
    expect(emu.commandsSeenBy({ locale: 'ko' }).map((c) => c.shownName)).toEqual(['themes']);
    expect(() => emu.commandsSeenBy({ locale: 'jp', guildId: ids.guildId })).toThrow(/"jp" is not a Discord locale/);
  });

  it('hides from a member the commands whose default_member_permissions they lack', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    await client.application.commands.set(
      [
        { ...localizedSetup(), default_member_permissions: Permissions.MANAGE_GUILD.toString() } as unknown as ChatInputBody,
        { name: 'themes', description: 'The themes' },
      ],
      ids.guildId,
    );
    const names = (userId: string) => emu.commandsSeenBy({ locale: 'fr', guildId: ids.guildId, userId }).map((c) => c.shownName);
    expect(names(ids.users.member)).toEqual(['themes']);
    expect(names(ids.users.moderator)).toEqual(['configurer', 'themes']);
  });
});

describe('invoking with option limits', () => {
  async function withSetupCommand() {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    await client.application.commands.set([localizedSetup() as unknown as ChatInputBody], ids.guildId);
    const received: unknown[] = [];
    client.on('interactionCreate', (i: Interaction) => {
      if (!i.isChatInputCommand()) return;
      received.push(i.options.data);
      void i.reply({ content: 'ok' });
    });
    const run = (options: Record<string, string | number>, force?: boolean) =>
      emu.runCommand({
        channelId: ids.channels.general,
        userId: ids.users.moderator,
        name: 'setup',
        subcommandGroup: 'feature',
        subcommand: 'prompts',
        options: { time: '09:00', ...options },
        force,
      });
    return { emu, ids, run, received };
  }

  it('refuses values outside min_length, max_length, min_value, max_value or the choices, naming the option', async () => {
    const { run } = await withSetupCommand();
    await expect(run({ time: '9:00' })).rejects.toThrow(
      'Option "time" of /setup feature prompts must be at least 5 characters long (min_length), got "9:00"',
    );
    await expect(run({ time: '09:00:00' })).rejects.toThrow(/Option "time" .* at most 5 characters long \(max_length\)/);
    await expect(run({ weeks: 0 })).rejects.toThrow(/Option "weeks" .* at least 1 \(min_value\), got 0/);
    await expect(run({ weeks: 13 })).rejects.toThrow(/Option "weeks" .* at most 12 \(max_value\), got 13/);
    await expect(run({ frequency: 'daily' })).rejects.toThrow(
      /Option "frequency" .* one of its choices \["weekly","monthly"\], got "daily"/,
    );
    expect((await run({ time: '23:59', weeks: 12, frequency: 'monthly' })).content).toBe('ok');
  });

  it('lets force: true send them anyway, as a stale registration could', async () => {
    const { run, received } = await withSetupCommand();
    expect((await run({ time: '9:00', weeks: 13, frequency: 'daily' }, true)).content).toBe('ok');
    expect(JSON.stringify(received.at(-1))).toContain('"value":"9:00"');
    expect(JSON.stringify(received.at(-1))).toContain('"value":13');
    expect(JSON.stringify(received.at(-1))).toContain('"value":"daily"');
  });
});

describe('autocomplete and modal responses', () => {
  it('refuses an autocomplete answer with a choice value over 100 characters, a name over 100 or more than 25 choices', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    await client.application.commands.set(
      [{ name: 'tz', description: 'Time zone', options: [{ type: 3, name: 'zone', description: 'Zone', autocomplete: true }] }],
      ids.guildId,
    );
    const answers: Record<string, ApplicationCommandOptionChoiceData<string>[]> = {
      long_value: [{ name: 'Long', value: 'v'.repeat(101) }],
      long_name: [{ name: 'n'.repeat(101), value: 'v' }],
      too_many: Array.from({ length: 26 }, (_, i) => ({ name: `Zone ${i}`, value: `zone-${i}` })),
      at_limits: [
        { name: 'n'.repeat(100), value: 'v'.repeat(100) },
        ...Array.from({ length: 24 }, (_, i) => ({ name: `Zone ${i}`, value: `zone-${i}` })),
      ],
    };
    client.on('interactionCreate', (i: Interaction) => {
      if (i.isAutocomplete()) void i.respond(answers[i.options.getFocused()] ?? []).catch(() => undefined);
    });
    const ask = (value: string) =>
      emu.autocomplete({ channelId: ids.channels.general, userId: ids.users.member, name: 'tz', focused: 'zone', value });
    await expect(ask('long_value')).rejects.toThrow(/400 50035 .*"choices":\{"0":\{"value":\{"_errors":\[\{"code":"BASE_TYPE_MAX_LENGTH"/);
    await expect(ask('long_name')).rejects.toThrow(/400 50035 .*"choices":\{"0":\{"name":\{"_errors":\[\{"code":"BASE_TYPE_MAX_LENGTH"/);
    await expect(ask('too_many')).rejects.toThrow(/400 50035 .*"choices":\{"_errors":\[\{"code":"BASE_TYPE_MAX_LENGTH"/);
    expect(await ask('at_limits')).toHaveLength(25);
  });

  it('refuses a modal whose text input is prefilled beyond its max_length or 4000 characters', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    await client.application.commands.set(
      [{ name: 'bio', description: 'Bio', options: [{ type: 3, name: 'form', description: 'Form', required: true }] }],
      ids.guildId,
    );
    const prefill: Record<string, { value: string; maxLength?: number; label: boolean }> = {
      over_max: { value: 'x'.repeat(41), maxLength: 40, label: false },
      over_max_in_label: { value: 'x'.repeat(41), maxLength: 40, label: true },
      over_4000: { value: 'x'.repeat(4001), label: true },
      at_max: { value: 'x'.repeat(40), maxLength: 40, label: true },
    };
    client.on('interactionCreate', (i: Interaction) => {
      if (!i.isChatInputCommand()) return;
      const form = prefill[i.options.getString('form', true)];
      if (!form) return;
      const input = {
        type: ComponentType.TextInput,
        custom_id: 'about',
        style: TextInputStyle.Paragraph,
        value: form.value,
        ...(form.maxLength === undefined ? {} : { max_length: form.maxLength }),
      };
      const components = form.label
        ? [{ type: ComponentType.Label, label: 'About you', component: input }]
        : [{ type: ComponentType.ActionRow, components: [{ ...input, label: 'About you' }] }];
      // Raw, so that the emulator, not discord.js's builders, judges the modal.
      const body = { type: 9, data: { custom_id: 'bio-form', title: 'About you', components } };
      void client.rest.post(Routes.interactionCallback(i.id, i.token), { body, auth: false }).catch(() => undefined);
    });
    const open = (form: string) =>
      emu.runCommand({ channelId: ids.channels.general, userId: ids.users.member, name: 'bio', options: { form } });
    await expect(open('over_max')).rejects.toThrow(/400 50035 .*"components":\{"0":\{"components":\{"0":\{"value"/);
    await expect(open('over_max_in_label')).rejects.toThrow(
      /"components":\{"0":\{"component":\{"value":\{"_errors":\[\{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 40 or fewer/,
    );
    await expect(open('over_4000')).rejects.toThrow(
      /"value":\{"_errors":\[\{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 4000 or fewer/,
    );
    expect((await open('at_max')).modal).toMatchObject({ custom_id: 'bio-form' });
  });
});

describe('the locale of interactions', () => {
  it("carries the member's locale and the guild's preferred locale in every kind of interaction", async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    await client.application.commands.set(
      [{ name: 'hello', description: 'Hello', options: [{ type: 3, name: 'zone', description: 'Zone', autocomplete: true }] }],
      ids.guildId,
    );
    const guildUpdated = new Promise<string>((resolve) => client.once('guildUpdate', (_old, guild) => resolve(guild.preferredLocale)));
    emu.updateGuild(ids.guildId, { preferredLocale: 'pt-BR' });
    expect(await guildUpdated).toBe('pt-BR');

    const seen: { kind: string; locale: string; guildLocale: string | null }[] = [];
    client.on('interactionCreate', (i: Interaction) => {
      seen.push({ kind: i.type.toString(), locale: i.locale, guildLocale: i.guildLocale });
      void (async () => {
        if (i.isAutocomplete()) await i.respond([]);
        else if (i.isChatInputCommand())
          await i.reply({
            content: 'hi',
            components: [
              {
                type: ComponentType.ActionRow,
                components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, customId: 'again', label: 'Again' }],
              },
              {
                type: ComponentType.ActionRow,
                components: [{ type: ComponentType.StringSelect, customId: 'pick', options: [{ label: 'A', value: 'a' }] }],
              },
            ],
          });
        else if (i.isButton())
          await i.showModal({
            customId: 'form',
            title: 'Form',
            components: [
              {
                type: ComponentType.Label,
                label: 'Name',
                component: { type: ComponentType.TextInput, customId: 'n', style: TextInputStyle.Short, label: 'Name' },
              },
            ],
          });
        else if (i.isStringSelectMenu()) await i.update({ content: 'picked' });
        else if (i.isModalSubmit()) await i.reply({ content: 'thanks' });
      })();
    });

    const where = { channelId: ids.channels.general, userId: ids.users.member };
    const reply = await emu.runCommand({ ...where, name: 'hello', locale: 'ja' });
    await emu.autocomplete({ ...where, name: 'hello', focused: 'zone', value: 'x', locale: 'hi' });
    const messageId = reply.message?.id ?? '';
    await emu.clickButton({ ...where, messageId, customId: 'again', locale: 'uk' });
    await emu.submitModal({ ...where, customId: 'form', fields: { n: 'Ana' }, locale: 'vi' });
    await emu.selectMenu({ ...where, messageId, customId: 'pick', values: ['a'], locale: 'es-419' });
    await emu.runCommand({ ...where, name: 'hello' });

    expect(seen.map((s) => [s.locale, s.guildLocale])).toEqual([
      ['ja', 'pt-BR'],
      ['hi', 'pt-BR'],
      ['uk', 'pt-BR'],
      ['vi', 'pt-BR'],
      ['es-419', 'pt-BR'],
      ['en-US', 'pt-BR'],
    ]);
    expect(seen.map((s) => s.kind)).toEqual(['2', '4', '3', '5', '3', '2']);
  });

  it('refuses locales Discord does not have, for a member or a guild', async () => {
    const { emu, ids } = await setup();
    const client = await connect(emu);
    await client.application.commands.set([{ name: 'hello', description: 'Hello' }], ids.guildId);
    await expect(
      emu.runCommand({ channelId: ids.channels.general, userId: ids.users.member, name: 'hello', locale: 'pt' }),
    ).rejects.toThrow('Invocation locale "pt" is not a Discord locale');
    expect(() => emu.updateGuild(ids.guildId, { preferredLocale: 'en_GB' })).toThrow(
      'Guild preferred locale "en_GB" is not a Discord locale',
    );
    expect(() => emu.createGuild({ name: 'Elsewhere', preferredLocale: 'zh' })).toThrow(/"zh" is not a Discord locale/);
    const other = emu.createGuild({ name: 'Tokyo', preferredLocale: 'ja' });
    expect((await client.guilds.fetch(other)).preferredLocale).toBe('ja');
  });
});
