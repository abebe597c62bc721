import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SupportedLocale } from '../../src/core/locales.ts';
import type { ThemeCatalog } from '../../src/core/themes.ts';
import { nativeLocaleName, translator } from '../../src/discord/i18n.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import type { InteractionResult, OptionValue } from '../support/emulator.ts';
import { botPosts, createRig, type Rig } from './rig.ts';

let rig: Rig;
let catalog: ThemeCatalog;

beforeAll(async () => {
  catalog = await loadThemeCatalog();
});

beforeEach(async () => {
  rig = await createRig('2026-01-15T06:00:00Z');
  await rig.startBot();
});

afterEach(async () => {
  await rig.close();
});

function run(userId: string, locale: string, name: string, subcommand: string, options: Record<string, OptionValue> = {}, force = false) {
  return rig.emulator.runCommand({
    channelId: rig.ids.channels.general,
    userId,
    name,
    ...(subcommand === '' ? {} : { subcommand }),
    options,
    locale,
    force,
  });
}

interface Embed {
  title?: string;
  description?: string;
  footer?: { text: string };
}
const embedsOf = (result: InteractionResult | { embeds: unknown[] }) => result.embeds as Embed[];

/** A text in a locale, checked to be a real translation and not English showing through. */
function translated(locale: SupportedLocale, key: string, values?: Record<string, unknown>): string {
  const text = translator(locale).t(key, values);
  expect(text).not.toBe(translator('en-US').t(key, values));
  return text;
}

async function setUpPrompts(locale = 'en-US') {
  const reply = await run(rig.ids.users.moderator, locale, 'setup', 'prompts', {
    channel: rig.ids.channels.dailyPrompts,
    time: '09:00',
    timezone: 'Europe/Berlin',
  });
  expect(reply.ephemeral).toBe(true);
  return reply;
}

describe('a member whose Discord is in Japanese', () => {
  it('sees the commands, options and choices in Japanese in the command picker', () => {
    const seen = rig.emulator.commandsSeenBy({ locale: 'ja', guildId: rig.ids.guildId, userId: rig.ids.users.member });
    const exchange = seen.find((command) => command.name === 'exchange');
    expect(exchange?.shownName).toBe(translated('ja', 'commands:exchange.name'));
    expect(exchange?.shownDescription).toBe(translated('ja', 'commands:exchange.description'));
    const pause = exchange?.options.find((option) => option.name === 'pause');
    expect(pause?.shownName).toBe(translated('ja', 'commands:exchange.pause.name'));
    expect(pause?.options?.[0]?.shownDescription).toBe(translated('ja', 'commands:exchange.pause.weeks.description'));
    // A member without Manage Server is not offered the moderator commands at all.
    expect(seen.map((command) => command.name).sort()).toEqual(['exchange', 'prompt', 'suggest', 'themes']);
    const moderator = rig.emulator.commandsSeenBy({ locale: 'ja', guildId: rig.ids.guildId, userId: rig.ids.users.moderator });
    const frequency = moderator
      .find((command) => command.name === 'setup')
      ?.options.find((option) => option.name === 'pairing')
      ?.options?.find((option) => option.name === 'frequency');
    expect(frequency?.choices?.map((choice) => choice.shownName)).toEqual(
      ['weekly', 'biweekly', 'monthly'].map((value) => translated('ja', `commands:setup.pairing.frequency.choices.${value}`)),
    );
  });

  it('gets Japanese replies, and Japanese refusals that change nothing', async () => {
    const me = await run(rig.ids.users.member, 'ja', 'exchange', 'me');
    expect(embedsOf(me)[0]?.title).toBe(translated('ja', 'exchange:me.title'));
    const themes = await run(rig.ids.users.member, 'ja', 'themes', '');
    expect(embedsOf(themes)[0]?.title).toBe(translated('ja', 'prompts:themes-title'));
    expect(embedsOf(themes)[0]?.description).toContain(catalog.themeText('mutual-respect', 'ja')?.title);

    const refused = await run(rig.ids.users.member, 'ja', 'exchange', 'pause', { weeks: 20 }, true);
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toBe(translated('ja', 'errors:bad-pause-weeks', { min: 1, max: 12 }));
    const after = await run(rig.ids.users.member, 'ja', 'exchange', 'me');
    expect(embedsOf(after)[0]?.description).toBe(embedsOf(me)[0]?.description);
  });

  it('sees the same reply in English when the client is English, and a server language for a locale Bridges does not speak', async () => {
    const english = await run(rig.ids.users.member, 'en-GB', 'exchange', 'me');
    expect(embedsOf(english)[0]?.title).toBe(translator('en-GB').t('exchange:me.title'));
    rig.emulator.updateGuild(rig.ids.guildId, { preferredLocale: 'de' });
    const polish = await run(rig.ids.users.member, 'pl', 'exchange', 'me');
    expect(embedsOf(polish)[0]?.title).toBe(translated('de', 'exchange:me.title'));
  });
});

describe('the language of posts', () => {
  it('a server whose Discord language is Portuguese gets its daily prompt, and its thread, in Portuguese', async () => {
    rig.emulator.updateGuild(rig.ids.guildId, { preferredLocale: 'pt-BR' });
    await setUpPrompts();
    await rig.tickAt('2026-01-15T08:00:00Z');
    const [post, ...others] = botPosts(rig, rig.ids.channels.dailyPrompts);
    expect(others).toEqual([]);
    const [embed, second] = embedsOf(post!);
    expect(second).toBeUndefined();
    const prompt = catalog.themes
      .flatMap((theme) => theme.prompts)
      .find((candidate) => catalog.promptText(candidate.id, 'pt-BR') === embed?.description);
    expect(prompt, 'the post is a Portuguese prompt of the catalog').toBeDefined();
    expect(embed?.description).not.toBe(prompt?.text);
    const theme = catalog.themes.find((candidate) => candidate.prompts.includes(prompt!));
    const title = catalog.themeText(theme!.id, 'pt-BR')?.title;
    expect(embed?.title).toBe(title);
    expect(embed?.footer?.text).toBe(translated('pt-BR', 'prompts:footer', { theme: title }));
    const thread = rig.emulator.threads(rig.ids.channels.dailyPrompts)[0];
    expect(thread?.name).toBe(`${title} · 2026-01-15`);
  });

  it('a bilingual server gets each daily prompt in both languages, in one message', async () => {
    const chosen = await run(rig.ids.users.moderator, 'en-US', 'setup', 'language', { primary: 'es-ES', secondary: 'en-US' });
    expect(chosen.content).toBe(
      translator('en-US').t('setup:language.set-bilingual', { primary: nativeLocaleName('es-ES'), secondary: nativeLocaleName('en-US') }),
    );
    await setUpPrompts();
    await rig.tickAt('2026-01-15T08:00:00Z');
    const posts = botPosts(rig, rig.ids.channels.dailyPrompts);
    expect(posts).toHaveLength(1);
    const [spanish, english] = embedsOf(posts[0]!);
    const prompt = catalog.themes.flatMap((theme) => theme.prompts).find((candidate) => candidate.text === english?.description);
    expect(prompt, 'the second embed is the English prompt').toBeDefined();
    expect(spanish?.description).toBe(catalog.promptText(prompt!.id, 'es-ES'));
    expect(spanish?.description).not.toBe(english?.description);

    const show = await run(rig.ids.users.moderator, 'en-US', 'setup', 'show');
    expect(show.content).toContain(`${nativeLocaleName('es-ES')} and ${nativeLocaleName('en-US')}`);
  });

  it('the hello is in the server language of a server Bridges joins', async () => {
    const guildId = rig.emulator.createGuild({ name: 'Comunidade', preferredLocale: 'pt-BR', withBot: false });
    const welcome = rig.emulator.createChannel(guildId, { name: 'boas-vindas' });
    rig.emulator.updateGuild(guildId, { systemChannelId: welcome });
    rig.emulator.addBotToGuild(guildId);
    await expect.poll(() => botPosts(rig, welcome).length).toBe(1);
    expect(botPosts(rig, welcome)[0]?.content).toContain(translated('pt-BR', 'welcome:hello'));
  });

  it('refuses a language Bridges does not speak and changes nothing', async () => {
    const refused = await run(rig.ids.users.moderator, 'fr', 'setup', 'language', { primary: 'pl' }, true);
    expect(refused.content).toBe(translated('fr', 'errors:bad-language', { typed: '`pl`' }));
    const show = await run(rig.ids.users.moderator, 'en-US', 'setup', 'show');
    expect(show.content).toContain("(the server's Discord language; change it with `/setup language`)");
  });
});

describe('profiles that match across languages', () => {
  /** A new member, whose Discord is in `locale`, who fills in a profile and opts in. */
  async function member(name: string, locale: string, profile: Record<string, string>): Promise<string> {
    const userId = rig.emulator.createUser({ username: name.toLowerCase(), globalName: name });
    rig.emulator.addMember(rig.ids.guildId, userId);
    const saved = await run(userId, locale, 'exchange', 'profile', profile);
    expect(saved.ephemeral).toBe(true);
    const joined = await run(userId, locale, 'exchange', 'join');
    expect(joined.modal).toBeUndefined();
    return userId;
  }

  it('offers languages by their name in the member’s language, found by their English name, and stores the code', async () => {
    const base = { channelId: rig.ids.channels.general, userId: rig.ids.users.member, name: 'exchange', subcommand: 'profile' };
    const choices = (await rig.emulator.autocomplete({ ...base, locale: 'ja', focused: 'languages', value: 'English, Spani' })) as {
      name: string;
      value: string;
    }[];
    expect(choices[0]).toEqual({ name: 'English, スペイン語 (español)', value: 'English, es' });
    const regions = (await rig.emulator.autocomplete({ ...base, locale: 'fr', focused: 'cultures', value: 'Brazil' })) as {
      name: string;
      value: string;
    }[];
    expect(regions).toEqual([{ name: 'Brésil (Brasil)', value: 'BR' }]);

    await run(rig.ids.users.member, 'ja', 'exchange', 'profile', { languages: choices[0]!.value, cultures: regions[0]!.value });
    const shown = await run(rig.ids.users.member, 'fr', 'exchange', 'profile');
    expect(JSON.stringify(shown.embeds)).toContain('espagnol');
    expect(JSON.stringify(shown.embeds)).toContain('Brésil');
  });

  it('pairs "Spanish" with "español" and "English" with "inglés", and introduces the Spanish speakers in Spanish', async () => {
    const setUp = await run(rig.ids.users.moderator, 'en-US', 'setup', 'pairing', {
      channel: rig.ids.channels.general,
      frequency: 'weekly',
      weekday: 'monday',
      time: '18:00',
      timezone: 'UTC',
    });
    expect(setUp.ephemeral).toBe(true);
    const ana = await member('Ana', 'en-US', { languages: 'Spanish', cultures: 'Argentina', curious_about: 'Spain' });
    const bea = await member('Bea', 'es-ES', { languages: 'español', cultures: 'España', curious_about: 'Argentina' });
    const carl = await member('Carl', 'en-US', { languages: 'English', cultures: 'Canada', curious_about: 'Ghana' });
    const dede = await member('Dede', 'es-419', { languages: 'inglés', cultures: 'Ghana', curious_about: 'Canadá' });

    const report = await run(rig.ids.users.moderator, 'en-US', 'host', 'start-round');
    expect(report.content).not.toContain(translator('en-US').t('host:relaxed.common-language'));
    const threads = rig.emulator.threads(rig.ids.channels.general).filter((thread) => thread.type === 12);
    const groups = threads.map((thread) => thread.memberIds.filter((id) => id !== rig.emulator.botUserId).sort());
    expect(groups.sort()).toEqual([[ana, bea].sort(), [carl, dede].sort()].sort());

    const spanishThread = threads.find((thread) => thread.memberIds.includes(ana))!;
    const intro = rig.emulator.messages(spanishThread.id)[0]!.content;
    expect(intro).toContain(translated('es-ES', 'pairing:intro.speak-pair', { languages: 'español' }));
    const englishThread = threads.find((thread) => thread.memberIds.includes(carl))!;
    expect(rig.emulator.messages(englishThread.id)[0]!.content).toContain(
      translator('en-US').t('pairing:intro.speak-pair', { languages: 'English' }),
    );
  });
});
