import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Keyv from 'keyv';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ThemeCatalog } from '../../src/core/themes.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import { createLogger } from '../../src/logger.ts';
import { DiscordFailure } from '../../src/services/discordPort.ts';
import { KeyedLock } from '../../src/services/keyedLock.ts';
import { PromptService } from '../../src/services/promptService.ts';
import { SettingsService } from '../../src/services/settingsService.ts';
import { UserError } from '../../src/services/userError.ts';
import { GuildConfigStore } from '../../src/store/guildConfigStore.ts';
import { openKeyv } from '../../src/store/openStore.ts';
import { PromptLogStore } from '../../src/store/promptLogStore.ts';
import { FakeClock } from '../support/fakeClock.ts';
import { FakePromptChannel } from '../support/fakePromptChannel.ts';

let catalog: ThemeCatalog;
const opened: Keyv[] = [];

beforeAll(async () => {
  catalog = await loadThemeCatalog();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((keyv) => keyv.disconnect()));
});

const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';

/** One server's prompt service over a real SQLite file; a restart is a new rig on the same file. */
async function rig(start: string, databaseUrl = `sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-svc-')), 'db.sqlite')}`) {
  const keyv = await openKeyv(databaseUrl, () => undefined);
  opened.push(keyv);
  const clock = new FakeClock(start);
  const channel = new FakePromptChannel(() => clock.now());
  const configs = new GuildConfigStore(keyv);
  const locks = new KeyedLock();
  const logger = createLogger('error', () => undefined);
  const settings = new SettingsService({ configs, catalog, clock, locks, onScheduleChange: async () => undefined });
  const prompts = new PromptService({ configs, promptLogs: new PromptLogStore(keyv), catalog, channel, clock, locks, logger });
  return { keyv, clock, channel, settings, prompts, databaseUrl, configs };
}

type Rig = Awaited<ReturnType<typeof rig>>;

async function configure(r: Rig, overrides: Partial<{ time: string; timeZone: string; threads: boolean; themes: string }> = {}) {
  return r.settings.configurePrompts(GUILD, 'moderator', {
    channelId: CHANNEL,
    time: overrides.time ?? '09:00',
    timeZone: overrides.timeZone ?? 'Europe/Berlin',
    threads: overrides.threads ?? true,
    themes: overrides.themes,
  });
}

async function tickAt(r: Rig, at: string) {
  r.clock.set(at);
  await r.prompts.runDue(GUILD);
}

describe('daily prompts', () => {
  it('posts at 09:00 Berlin time in winter (08:00 UTC) and not a minute before', async () => {
    const r = await rig('2026-01-15T06:00:00Z');
    await configure(r);
    await tickAt(r, '2026-01-15T07:59:00Z');
    expect(r.channel.sent).toHaveLength(0);
    await tickAt(r, '2026-01-15T08:00:00Z');
    expect(r.channel.sent).toHaveLength(1);
    expect(r.channel.sent[0]?.threadId).toBeDefined();
  });

  it('posts at 09:00 Berlin time in summer (07:00 UTC)', async () => {
    const r = await rig('2026-07-15T05:00:00Z');
    await configure(r);
    await tickAt(r, '2026-07-15T06:59:00Z');
    expect(r.channel.sent).toHaveLength(0);
    await tickAt(r, '2026-07-15T07:00:00Z');
    expect(r.channel.sent).toHaveLength(1);
  });

  it('posts a time skipped by spring-forward at the first valid minute after it', async () => {
    // New York jumps from 02:00 to 03:00 on 2026-03-08; 02:30 does not exist that day.
    const r = await rig('2026-03-08T05:00:00Z');
    await configure(r, { time: '02:30', timeZone: 'America/New_York' });
    await tickAt(r, '2026-03-08T06:59:00Z'); // 01:59 EST
    expect(r.channel.sent).toHaveLength(0);
    await tickAt(r, '2026-03-08T07:00:00Z'); // 03:00 EDT
    expect(r.channel.sent).toHaveLength(1);
  });

  it('posts once on a fall-back day, although 01:30 happens twice', async () => {
    const r = await rig('2026-11-01T04:00:00Z');
    await configure(r, { time: '01:30', timeZone: 'America/New_York' });
    await tickAt(r, '2026-11-01T05:30:00Z'); // first 01:30 (EDT)
    await tickAt(r, '2026-11-01T06:30:00Z'); // second 01:30 (EST)
    expect(r.channel.sent).toHaveLength(1);
  });

  it('posts once per local day however often the scheduler wakes', async () => {
    const r = await rig('2026-01-15T08:00:00Z');
    await configure(r);
    for (let minute = 0; minute < 600; minute += 7) await tickAt(r, new Date(Date.UTC(2026, 0, 15, 8, minute)).toISOString());
    expect(r.channel.sent).toHaveLength(1);
    await tickAt(r, '2026-01-16T08:00:00Z');
    expect(r.channel.sent).toHaveLength(2);
  });

  it('uses the server-local date, not the UTC date', async () => {
    // 07:00 in Kiritimati (UTC+14) is 17:00 UTC the day before.
    const r = await rig('2026-05-01T16:00:00Z');
    await configure(r, { time: '07:00', timeZone: 'Pacific/Kiritimati' });
    await tickAt(r, '2026-05-01T17:00:00Z');
    await tickAt(r, '2026-05-01T23:59:00Z');
    expect(r.channel.sent).toHaveLength(1);
    await tickAt(r, '2026-05-02T17:00:00Z');
    expect(r.channel.sent).toHaveLength(2);
  });

  it('posts late when the bot was down at the due time, and skips a day it missed entirely', async () => {
    const r = await rig('2026-01-15T06:00:00Z');
    await configure(r);
    await tickAt(r, '2026-01-15T15:00:00Z'); // down at 09:00, back at 16:00 local
    expect(r.channel.sent).toHaveLength(1);
    await tickAt(r, '2026-01-18T10:00:00Z'); // 16 and 17 missed: only today's post
    expect(r.channel.sent).toHaveLength(2);
  });

  it('does not post twice across a restart on the same day', async () => {
    const first = await rig('2026-01-15T06:00:00Z');
    await configure(first);
    await tickAt(first, '2026-01-15T08:00:00Z');
    const restarted = await rig('2026-01-15T08:30:00Z', first.databaseUrl);
    await tickAt(restarted, '2026-01-15T09:00:00Z');
    expect(first.channel.sent.length + restarted.channel.sent.length).toBe(1);
  });

  it('retries a post Discord failed after a backoff, still once', async () => {
    const r = await rig('2026-01-15T06:00:00Z');
    await configure(r);
    r.channel.failures.send.push(new DiscordFailure('transient', '503'), new DiscordFailure('transient', '503'));
    await tickAt(r, '2026-01-15T08:00:00Z');
    expect(await r.prompts.nextDue(GUILD)).toEqual(new Date('2026-01-15T08:00:30Z'));
    await tickAt(r, '2026-01-15T08:00:20Z');
    expect(r.channel.failures.send).toHaveLength(1);
    await tickAt(r, '2026-01-15T08:00:30Z');
    // The second failure doubles the wait.
    expect(await r.prompts.nextDue(GUILD)).toEqual(new Date('2026-01-15T08:01:30Z'));
    await tickAt(r, '2026-01-15T08:01:30Z');
    expect(r.channel.sent).toHaveLength(1);
    expect(r.channel.sent[0]?.threadId).toBeDefined();
    expect(await r.prompts.nextDue(GUILD)).toEqual(new Date('2026-01-16T08:00:00Z'));
  });

  it('waits as long as a rate limit says before trying again', async () => {
    const r = await rig('2026-01-15T06:00:00Z');
    await configure(r);
    r.channel.failures.send.push(new DiscordFailure('rate-limited', '429', { retryAfterMs: 600_000 }));
    await tickAt(r, '2026-01-15T08:00:00Z');
    expect(await r.prompts.nextDue(GUILD)).toEqual(new Date('2026-01-15T08:10:00Z'));
    await tickAt(r, '2026-01-15T08:10:00Z');
    expect(r.channel.sent).toHaveLength(1);
  });

  it("stops that day's retries on a permanent refusal, says why, and posts again the next day", async () => {
    const r = await rig('2026-01-15T06:00:00Z');
    await configure(r);
    r.channel.failures.send.push(new DiscordFailure('rejected', '400 Invalid Form Body', { code: 50035, detail: 'too-long' }));
    await tickAt(r, '2026-01-15T08:00:00Z');
    expect(await r.prompts.lastDailyPost(GUILD)).toMatchObject({
      status: 'failed',
      failure: { kind: 'rejected', step: 'post', code: 50035, detail: 'too-long' },
    });
    expect(await r.prompts.nextDue(GUILD)).toEqual(new Date('2026-01-16T08:00:00Z'));
    await tickAt(r, '2026-01-15T12:00:00Z');
    expect(r.channel.sent).toHaveLength(0);
    expect((await r.configs.get(GUILD)).prompts?.enabled).toBe(true);
    await tickAt(r, '2026-01-16T08:00:00Z');
    expect(r.channel.sent).toHaveLength(1);
  });

  it('gives up on a day whose retries would run past its end, and says so', async () => {
    const r = await rig('2026-01-15T06:00:00Z');
    await configure(r, { time: '23:50' });
    for (let i = 0; i < 20; i++) r.channel.failures.send.push(new DiscordFailure('transient', '503'));
    // 23:50 Berlin is 22:50 UTC; retries at +30 s, +1, +2, +4 and +8 minutes, then the day is over.
    for (const at of ['22:50:00', '22:50:30', '22:51:30', '22:53:30', '22:57:30', '23:05:30']) await tickAt(r, `2026-01-15T${at}Z`);
    expect(await r.prompts.lastDailyPost(GUILD)).toMatchObject({ status: 'failed', failure: { kind: 'gave-up', step: 'post' } });
    expect(r.channel.failures.send.length).toBe(20 - 5);
    expect(await r.prompts.nextDue(GUILD)).toEqual(new Date('2026-01-16T22:50:00Z'));
  });

  it('does not post again when the message was created but the answer was lost', async () => {
    const r = await rig('2026-01-15T06:00:00Z');
    await configure(r);
    r.channel.loseNextResponse = true;
    await tickAt(r, '2026-01-15T08:00:00Z');
    await tickAt(r, '2026-01-15T08:00:30Z');
    expect(r.channel.sent).toHaveLength(1);
    expect(r.channel.sent[0]?.threadId).toBeDefined();
  });

  it('finishes an interrupted post after a restart: finds the message and only opens the thread', async () => {
    const first = await rig('2026-01-15T06:00:00Z');
    await configure(first);
    first.channel.failures.thread.push(new DiscordFailure('transient', 'crash before the thread'));
    await tickAt(first, '2026-01-15T08:00:00Z');
    expect(first.channel.sent).toHaveLength(1);
    expect(first.channel.sent[0]?.threadId).toBeUndefined();

    const restarted = await rig('2026-01-15T08:05:00Z', first.databaseUrl);
    // The same Discord: hand the restarted service the first one's messages.
    restarted.channel.sent.push(...first.channel.sent);
    await tickAt(restarted, '2026-01-15T08:05:00Z');
    expect(restarted.channel.sent).toHaveLength(1);
    expect(restarted.channel.sent[0]?.threadId).toBeDefined();
  });

  it('turns prompts off with a reason when the channel is gone', async () => {
    const r = await rig('2026-01-15T06:00:00Z');
    await configure(r);
    r.channel.failures.send.push(new DiscordFailure('channel-gone', 'Unknown Channel'));
    await tickAt(r, '2026-01-15T08:00:00Z');
    const prompts = (await r.configs.get(GUILD)).prompts;
    expect(prompts?.enabled).toBe(false);
    expect(prompts?.disabledReason).toBe('channel-gone');
    await tickAt(r, '2026-01-16T08:00:00Z');
    expect(r.channel.sent).toHaveLength(0);
  });

  it('keeps the post when only the answer thread is refused', async () => {
    const r = await rig('2026-01-15T06:00:00Z');
    await configure(r);
    r.channel.failures.thread.push(new DiscordFailure('missing-permission', 'Create Public Threads'));
    await tickAt(r, '2026-01-15T08:00:00Z');
    await tickAt(r, '2026-01-15T08:01:00Z');
    expect(r.channel.sent).toHaveLength(1);
    expect((await r.configs.get(GUILD)).prompts?.enabled).toBe(true);
  });

  it('opens no thread when threads are off', async () => {
    const r = await rig('2026-01-15T06:00:00Z');
    await configure(r, { threads: false });
    await tickAt(r, '2026-01-15T08:00:00Z');
    expect(r.channel.sent[0]?.threadId).toBeUndefined();
  });

  it('previews exactly the prompt that is posted next', async () => {
    const r = await rig('2026-01-15T06:00:00Z');
    await configure(r);
    const before = await r.prompts.today(GUILD);
    expect(before.posted).toBeUndefined();
    expect(before.next?.at.toISOString()).toBe('2026-01-15T08:00:00.000Z');
    await tickAt(r, '2026-01-15T08:00:00Z');
    expect(r.channel.sent[0]?.promptId).toBe(before.next?.prompt.id);
    const after = await r.prompts.today(GUILD);
    expect(after.posted?.prompt.text).toBe(before.next?.prompt.text);
    expect(after.next?.at.toISOString()).toBe('2026-01-16T08:00:00.000Z');
  });

  it('draws only from the enabled themes, never the same theme twice in a row', async () => {
    const r = await rig('2026-01-01T06:00:00Z');
    await configure(r, { themes: 'self-reflection, mutual-respect, dialogue' });
    for (let day = 1; day <= 30; day++) await tickAt(r, `2026-01-${String(day).padStart(2, '0')}T08:00:00Z`);
    const themes = r.channel.sent.map((sent) => sent.themeId);
    expect(themes).toHaveLength(30);
    expect(new Set(themes)).toEqual(new Set(['self-reflection', 'mutual-respect', 'intercultural-dialogue']));
    themes.slice(1).forEach((theme, index) => expect(theme).not.toBe(themes[index]));
    expect(new Set(r.channel.sent.map((sent) => sent.promptId)).size).toBe(30);
  });

  it('counts a moderator post in the rotation without replacing the daily one', async () => {
    const r = await rig('2026-01-15T06:00:00Z');
    await configure(r);
    const manual = await r.prompts.postNow(GUILD, 'interaction-1', 'building-bridges');
    expect(manual.themeId).toBe('building-bridges');
    await tickAt(r, '2026-01-15T08:00:00Z');
    expect(r.channel.sent).toHaveLength(2);
    expect(r.channel.sent[1]?.themeId).not.toBe(r.channel.sent[0]?.themeId);
  });

  it('refuses a moderator post before prompts are set up', async () => {
    const r = await rig('2026-01-15T06:00:00Z');
    await expect(r.prompts.postNow(GUILD, 'i', undefined)).rejects.toBeInstanceOf(UserError);
  });
});

describe('prompt settings', () => {
  it.each([
    [{ time: '25:99' }, { code: 'bad-time', values: { typed: { typed: '25:99' } } }],
    [{ timeZone: 'Mars/Olympus' }, { code: 'bad-time-zone', values: { typed: { typed: 'Mars/Olympus' } } }],
    [{ themes: 'cooking' }, { code: 'unknown-theme' }],
  ])('refuses %j and changes nothing', async (overrides, problem) => {
    const r = await rig('2026-01-15T06:00:00Z');
    await expect(configure(r, overrides)).rejects.toMatchObject({ problem });
    expect(await r.configs.get(GUILD)).toEqual({});
  });

  it('accepts a time zone in any letter case and stores its canonical name', async () => {
    const r = await rig('2026-01-15T06:00:00Z');
    const settings = await configure(r, { timeZone: 'europe/berlin', time: '7:05' });
    expect(settings).toMatchObject({ timeZone: 'Europe/Berlin', time: '07:05' });
  });
});
