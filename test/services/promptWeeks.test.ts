import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assignIcebreakers } from '../../src/core/roundPlan.ts';
import type { ThemeCatalog } from '../../src/core/themes.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import { createLogger } from '../../src/logger.ts';
import { DiscordFailure } from '../../src/services/discordPort.ts';
import { ExchangeService } from '../../src/services/exchangeService.ts';
import { KeyedLock } from '../../src/services/keyedLock.ts';
import { inlineMatcher } from '../../src/services/matcher.ts';
import { PromptService } from '../../src/services/promptService.ts';
import { PromptWeeks } from '../../src/services/promptWeeks.ts';
import { RoundService } from '../../src/services/roundService.ts';
import { parseThemeOrder, SettingsService, type PromptSetupRequest } from '../../src/services/settingsService.ts';
import { UserError } from '../../src/services/userError.ts';
import { GuildConfigStore } from '../../src/store/guildConfigStore.ts';
import { MemberStore } from '../../src/store/memberStore.ts';
import type { Store } from '../../src/store/openStore.ts';
import { PromptLogStore } from '../../src/store/promptLogStore.ts';
import { RoundStore } from '../../src/store/roundStore.ts';
import { FakeClock } from '../support/fakeClock.ts';
import { FakePairingChannel } from '../support/fakePairingChannel.ts';
import { FakePromptChannel } from '../support/fakePromptChannel.ts';
import { FakeWeeksChannel } from '../support/fakeWeeksChannel.ts';
import { tempStore } from '../support/tempStore.ts';

const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';
const ROLE = '300000000000000001';
let catalog: ThemeCatalog;
const opened: Store[] = [];

beforeAll(async () => {
  catalog = await loadThemeCatalog();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

/** One server's prompts over a real SQLite file; a restart is a new rig on the same store (and the same Discord). */
async function rig(start: string, reuse?: { store: Store; channel: FakePromptChannel; weeksChannel: FakeWeeksChannel }) {
  const store = reuse?.store ?? (await tempStore('bridges-weeks-'));
  if (!reuse) opened.push(store);
  const clock = new FakeClock(start);
  const channel = reuse?.channel ?? new FakePromptChannel(() => clock.now());
  const weeksChannel = reuse?.weeksChannel ?? new FakeWeeksChannel();
  const configs = new GuildConfigStore(store.keyv);
  const locks = new KeyedLock();
  const logger = createLogger('error', () => undefined);
  const settings = new SettingsService({ configs, catalog, clock, locks, onScheduleChange: async () => undefined });
  const weeks = new PromptWeeks({ configs, catalog, channel: weeksChannel, logger });
  const promptLogs = new PromptLogStore(store.keyv);
  const prompts = new PromptService({ configs, promptLogs, catalog, channel, clock, locks, logger, weeks });
  const tickAt = async (at: string) => {
    clock.set(at);
    await prompts.runDue(GUILD);
  };
  return { store, clock, channel, weeksChannel, configs, settings, prompts, promptLogs, tickAt };
}

type Rig = Awaited<ReturnType<typeof rig>>;

function configure(r: Rig, request: Partial<PromptSetupRequest> = {}) {
  return r.settings.configurePrompts(GUILD, 'moderator', {
    channelId: CHANNEL,
    time: '09:00',
    timeZone: 'Europe/Berlin',
    threads: false,
    themes: undefined,
    ...request,
  });
}

/** Ticks at 09:00 Berlin (08:00 UTC in January) on each date. */
async function postOn(r: Rig, dates: readonly string[]) {
  for (const date of dates) await r.tickAt(`${date}T08:00:00Z`);
}

// 2026-01-12 is a Monday.
const WEEK = ['2026-01-12', '2026-01-13', '2026-01-14', '2026-01-15', '2026-01-16', '2026-01-17', '2026-01-18'];
const NEXT_WEEK = ['2026-01-19', '2026-01-20', '2026-01-21', '2026-01-22', '2026-01-23', '2026-01-24', '2026-01-25'];

async function refused(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return error.problem.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('prompt days', () => {
  it('posts only on the chosen days, once each, and says when the next one is due', async () => {
    const r = await rig('2026-01-12T06:00:00Z');
    await configure(r, { days: 'mon,wed,fri' });
    for (const date of WEEK) {
      await r.tickAt(`${date}T08:00:00Z`);
      await r.tickAt(`${date}T20:00:00Z`);
    }
    expect(r.channel.sent.map((sent) => sent.at.toISOString().slice(0, 10))).toEqual(['2026-01-12', '2026-01-14', '2026-01-16']);
    // After Friday, no chosen day is left this week: next Monday.
    expect(await r.prompts.nextDue(GUILD)).toEqual(new Date('2026-01-19T08:00:00Z'));
  });

  it('keeps the days when /setup prompts is run again without them, and every-day clears them', async () => {
    const r = await rig('2026-01-12T06:00:00Z');
    await configure(r, { days: 'weekends' });
    expect((await configure(r, { time: '10:00' })).days).toEqual(['saturday', 'sunday']);
    expect((await configure(r, { days: 'every-day' })).days).toBeUndefined();
  });

  it('refuses days it cannot read and changes nothing', async () => {
    const r = await rig('2026-01-12T06:00:00Z');
    await configure(r, { days: 'mon' });
    const before = await r.configs.get(GUILD);
    expect(await refused(configure(r, { days: 'mon,someday', time: '11:00' }))).toBe('weeks:bad-days');
    expect(await r.configs.get(GUILD)).toEqual(before);
  });
});

describe('role to mention', () => {
  it('mentions the role with each prompt, keeps it when not given, and removes it on request', async () => {
    const r = await rig('2026-01-12T06:00:00Z');
    await configure(r, { roleId: ROLE });
    expect((await configure(r, { time: '09:00' })).roleId).toBe(ROLE);
    await postOn(r, ['2026-01-12']);
    expect(r.channel.sent[0]?.roleId).toBe(ROLE);
    expect((await configure(r, { removeRole: true })).roleId).toBeUndefined();
    await postOn(r, ['2026-01-13']);
    expect(r.channel.sent[1]?.roleId).toBeUndefined();
  });

  it('refuses a role and its removal at once, and changes nothing', async () => {
    const r = await rig('2026-01-12T06:00:00Z');
    await configure(r, { roleId: ROLE });
    const before = await r.configs.get(GUILD);
    expect(await refused(configure(r, { roleId: '300000000000000002', removeRole: true }))).toBe('weeks:role-and-remove');
    expect(await r.configs.get(GUILD)).toEqual(before);
  });
});

describe('pins', () => {
  it('pins the newest prompt and unpins the previous one', async () => {
    const r = await rig('2026-01-12T06:00:00Z');
    await configure(r, { pin: true });
    await postOn(r, ['2026-01-12']);
    expect([...r.weeksChannel.pinned]).toEqual(['m1']);
    await postOn(r, ['2026-01-13']);
    expect([...r.weeksChannel.pinned]).toEqual(['m2']);
    expect((await r.configs.get(GUILD)).promptWeeks?.pinnedMessageIds).toEqual(['m2']);
  });

  it('does not pin when pin is off', async () => {
    const r = await rig('2026-01-12T06:00:00Z');
    await configure(r);
    await postOn(r, ['2026-01-12']);
    expect(r.channel.sent).toHaveLength(1);
    expect(r.weeksChannel.pinned.size).toBe(0);
  });

  it('a refused pin leaves the post standing and the previous pin in place, keeps why, and the next pin that works clears it', async () => {
    const r = await rig('2026-01-12T06:00:00Z');
    await configure(r, { pin: true });
    await postOn(r, ['2026-01-12']);
    r.weeksChannel.failures.pin.push(new DiscordFailure('missing-permission', 'Missing Permissions', { code: 50013 }));
    await postOn(r, ['2026-01-13']);
    expect(r.channel.sent).toHaveLength(2);
    expect((await r.prompts.lastDailyPost(GUILD))?.status).toBe('posted');
    expect([...r.weeksChannel.pinned]).toEqual(['m1']);
    expect((await r.configs.get(GUILD)).promptWeeks).toMatchObject({
      pinnedMessageIds: ['m1'],
      pinFailure: { date: '2026-01-13', step: 'pin', failure: { kind: 'missing-permission' } },
    });
    await postOn(r, ['2026-01-14']);
    expect([...r.weeksChannel.pinned]).toEqual(['m3']);
    expect((await r.configs.get(GUILD)).promptWeeks?.pinFailure).toBeUndefined();
  });

  it('a previous prompt deleted meanwhile counts as unpinned', async () => {
    const r = await rig('2026-01-12T06:00:00Z');
    await configure(r, { pin: true });
    await postOn(r, ['2026-01-12']);
    r.weeksChannel.failures.unpin.push(new DiscordFailure('rejected', 'Unknown Message', { code: 10008 }));
    await postOn(r, ['2026-01-13']);
    expect((await r.configs.get(GUILD)).promptWeeks).toEqual({ pinnedMessageIds: ['m2'], announcements: [] });
  });

  it('an unpin refused for a missing permission is kept to try again and shown', async () => {
    const r = await rig('2026-01-12T06:00:00Z');
    await configure(r, { pin: true });
    await postOn(r, ['2026-01-12']);
    r.weeksChannel.failures.unpin.push(new DiscordFailure('missing-permission', 'Missing Permissions', { code: 50013 }));
    await postOn(r, ['2026-01-13']);
    expect((await r.configs.get(GUILD)).promptWeeks).toMatchObject({
      pinnedMessageIds: ['m1', 'm2'],
      pinFailure: { step: 'unpin', failure: { kind: 'missing-permission' } },
    });
    await postOn(r, ['2026-01-14']);
    expect([...r.weeksChannel.pinned]).toEqual(['m3']);
    expect((await r.configs.get(GUILD)).promptWeeks?.pinnedMessageIds).toEqual(['m3']);
  });
});

describe('themed weeks', () => {
  it('refuses themed weeks before daily prompts are set up, and unknown themes, changing nothing', async () => {
    const r = await rig('2026-01-14T06:00:00Z');
    expect(await refused(r.settings.configureThemedWeeks(GUILD, 'moderator', { enabled: true, order: undefined }))).toBe(
      'prompts-not-set-up',
    );
    expect(await r.configs.get(GUILD)).toEqual({});
    await configure(r);
    const before = await r.configs.get(GUILD);
    expect(await refused(r.settings.configureThemedWeeks(GUILD, 'moderator', { enabled: true, order: 'mutual-respect, cooking' }))).toBe(
      'unknown-theme',
    );
    expect(await r.configs.get(GUILD)).toEqual(before);
  });

  it("announces each week's theme once, before its first prompt, and takes that week's prompts from it", async () => {
    const r = await rig('2026-01-14T06:00:00Z');
    await configure(r);
    await r.settings.configureThemedWeeks(GUILD, 'moderator', { enabled: true, order: 'self-reflection, mutual-respect' });
    await postOn(r, WEEK.slice(2));
    expect(r.weeksChannel.announcements.map(({ week, themeId }) => ({ week, themeId }))).toEqual([
      { week: '2026-01-12', themeId: 'self-reflection' },
    ]);
    expect(r.channel.sent.map((sent) => sent.themeId)).toEqual(Array(5).fill('self-reflection'));
    expect(r.weeksChannel.announcements[0]?.channelId).toBe(CHANNEL);

    await postOn(r, NEXT_WEEK);
    expect(r.weeksChannel.announcements.map(({ themeId }) => themeId)).toEqual(['self-reflection', 'mutual-respect']);
    expect(r.channel.sent.slice(5).map((sent) => sent.themeId)).toEqual(Array(7).fill('mutual-respect'));
    // Within a theme, prompts still do not repeat.
    expect(new Set(r.channel.sent.map((sent) => sent.promptId)).size).toBe(12);
  });

  it('announces a week at most once across restarts, even when the first attempt was refused', async () => {
    const first = await rig('2026-01-12T06:00:00Z');
    await configure(first);
    await first.settings.configureThemedWeeks(GUILD, 'moderator', { enabled: true, order: undefined });
    first.weeksChannel.failures.announce.push(new DiscordFailure('missing-permission', 'Missing Permissions', { code: 50013 }));
    await postOn(first, ['2026-01-12']);
    expect(first.channel.sent).toHaveLength(1);
    expect((await first.configs.get(GUILD)).promptWeeks?.announcements).toMatchObject([
      { week: '2026-01-12', status: 'failed', failure: { kind: 'missing-permission' } },
    ]);
    const restarted = await rig('2026-01-13T06:00:00Z', first);
    await postOn(restarted, ['2026-01-13', '2026-01-14']);
    expect(restarted.weeksChannel.announcements).toHaveLength(0);
    // Default order: the server's themes in catalog order, starting this week.
    expect(restarted.channel.sent.every((sent) => sent.themeId === catalog.themes[0]?.id)).toBe(true);
  });

  it('follows only the prompt themes by default, and stops when turned off', async () => {
    const r = await rig('2026-01-12T06:00:00Z');
    await configure(r, { themes: 'building-bridges, intercultural-dialogue' });
    await r.settings.configureThemedWeeks(GUILD, 'moderator', { enabled: true, order: undefined });
    await postOn(r, WEEK);
    expect(new Set(r.channel.sent.map((sent) => sent.themeId))).toEqual(new Set(['building-bridges']));
    await r.settings.configureThemedWeeks(GUILD, 'moderator', { enabled: false, order: undefined });
    await postOn(r, NEXT_WEEK.slice(0, 2));
    expect(r.weeksChannel.announcements).toHaveLength(1);
    expect(r.channel.sent.slice(7).map((sent) => sent.themeId)).toEqual(['intercultural-dialogue', 'building-bridges']);
  });

  it("gives a round's icebreakers from the week's theme", async () => {
    const store = await tempStore('bridges-weeks-rounds-');
    opened.push(store);
    const clock = new FakeClock('2026-01-12T08:00:00Z');
    const discord = new FakePairingChannel();
    const configs = new GuildConfigStore(store.keyv);
    const members = new MemberStore(store.keyv, store.backend);
    const roundStore = new RoundStore(store.keyv);
    const locks = new KeyedLock();
    const roundLocks = new KeyedLock();
    const logger = createLogger('error', () => undefined);
    const settings = new SettingsService({ configs, catalog, clock, locks, onScheduleChange: async () => undefined });
    const exchange = new ExchangeService({ configs, members, rounds: roundStore, clock, locks, roundLocks, discord, catalog, logger });
    const rounds = new RoundService({
      ...{ configs, members, rounds: roundStore, catalog, discord, clock, locks, roundLocks, logger },
      match: inlineMatcher,
      onScheduleChange: async () => undefined,
    });
    await settings.configurePrompts(GUILD, 'moderator', {
      channelId: CHANNEL,
      time: '09:00',
      timeZone: 'UTC',
      threads: true,
      themes: undefined,
    });
    await settings.configurePairing(GUILD, 'moderator', {
      ...{ channelId: CHANNEL, frequency: 'weekly', weekday: 'monday', time: '18:00', timeZone: 'UTC' },
      ...{ groupSize: 2, followUpDays: 3 },
    });
    await settings.configureThemedWeeks(GUILD, 'moderator', { enabled: true, order: 'challenging-stereotypes' });
    for (let i = 0; i < 12; i++) await exchange.joinWithProfile(GUILD, `u${i}`, { languages: 'en' });
    await rounds.startNow(GUILD);
    const title = catalog.theme('challenging-stereotypes')?.title;
    const intros = discord.threads.flatMap((thread) => thread.messages.flatMap((message) => (message.intro ? [message.intro] : [])));
    expect(intros).toHaveLength(6);
    expect(intros.every((intro) => intro.icebreaker?.themeTitle === title)).toBe(true);
  });
});

describe('assignIcebreakers', () => {
  it('takes every icebreaker from the given themes, none twice while others remain', () => {
    const theme = catalog.themes.find((candidate) => candidate.prompts.filter((prompt) => prompt.icebreaker).length >= 3);
    expect(theme).toBeDefined();
    const ids = assignIcebreakers(catalog, 3, 'seed', [theme?.id ?? '']);
    expect(ids.every((id) => catalog.prompt(id)?.theme.id === theme?.id)).toBe(true);
    expect(new Set(ids).size).toBe(3);
  });
});

describe('settings kept and read', () => {
  it('keeps pin and the theme order when the commands are run again without them', async () => {
    const r = await rig('2026-01-12T06:00:00Z');
    await configure(r, { pin: true });
    expect((await configure(r, { time: '10:00' })).pin).toBe(true);
    expect((await configure(r, { pin: false })).pin).toBe(false);
    await r.settings.configureThemedWeeks(GUILD, 'moderator', { enabled: true, order: 'mutual-respect, self-reflection' });
    await r.settings.configureThemedWeeks(GUILD, 'moderator', { enabled: false, order: undefined });
    const again = await r.settings.configureThemedWeeks(GUILD, 'moderator', { enabled: true, order: undefined });
    expect(again.themedWeeks?.themeIds).toEqual(['mutual-respect', 'self-reflection']);
  });

  it('reads a theme order as typed, each theme once', () => {
    expect(parseThemeOrder(catalog, 'Self-Reflection, mutual-respect, self-reflection')).toEqual(['self-reflection', 'mutual-respect']);
    expect(parseThemeOrder(catalog, 'all')).toEqual([]);
  });
});
