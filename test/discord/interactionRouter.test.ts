import fc from 'fast-check';
import Keyv from 'keyv';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_LIST_FIELDS, parseProfileList, parseProfileTimeZone } from '../../src/core/profile.ts';
import type { ThemeCatalog } from '../../src/core/themes.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import { translator, type Translator } from '../../src/discord/i18n.ts';
import { errorReply } from '../../src/discord/interactionRouter.ts';
import { problemText } from '../../src/discord/problemText.ts';
import { DISCORD_LIMITS } from '../../src/discord/limits.ts';
import { KeyedLock } from '../../src/services/keyedLock.ts';
import { SettingsService, parseThemeList, requireTimeZone } from '../../src/services/settingsService.ts';
import { UserError } from '../../src/services/userError.ts';
import { GuildConfigStore } from '../../src/store/guildConfigStore.ts';
import { FakeClock } from '../support/fakeClock.ts';
import { anyTranslator, RUNS, runs } from './arbitraries.ts';
import { expectDiscordAcceptsMessage } from './discordRules.ts';

let catalog: ThemeCatalog;
beforeAll(async () => {
  catalog = await loadThemeCatalog();
});

// Anything a person can type into a string option or a form field, up to Discord's own 6,000.
const typed = fc.oneof(
  fc.string({ maxLength: DISCORD_LIMITS.stringOptionLength, size: 'max' }),
  fc.string({ unit: 'binary', maxLength: 3000, size: 'max' }),
  fc.constantFrom('`'.repeat(2500), '**bold** `code` <@123456789012345678> @everyone'.repeat(60), `${'x'.repeat(2499)},`),
);

/** The message a refusal carries in a locale, or '' if the input was accepted. */
function refusal(run: () => unknown, tr: Translator = translator('en-US')): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return problemText(error.problem, tr);
    throw error;
  }
  return '';
}

/** An error text fits by itself, without the router's last-line clamp, and the reply Discord gets is accepted. */
function expectFittingRefusal(message: string): void {
  if (message === '') return;
  expect(message.length).toBeLessThanOrEqual(DISCORD_LIMITS.messageContent);
  expect(errorReply(message).content).toBe(message);
  expectDiscordAcceptsMessage({ ...errorReply(message), flags: 64 });
}

describe('error replies', () => {
  it('the router fits any message into a reply Discord accepts, as a last line of defence', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 6000, size: 'max' }), (message) => {
        fc.pre(message.length > 0);
        expectDiscordAcceptsMessage({ ...errorReply(message), flags: 64 });
      }),
      RUNS,
    );
  });

  it('refusing a profile list quotes what was typed briefly, whatever was typed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROFILE_LIST_FIELDS), typed, anyTranslator, (field, text, tr) => {
        const parsed = parseProfileList(field, text);
        if (!parsed.ok) expectFittingRefusal(problemText(parsed.problem, tr));
      }),
      RUNS,
    );
  });

  it('refusing a time zone quotes what was typed briefly, in the profile and in /setup', () => {
    fc.assert(
      fc.property(typed, anyTranslator, (text, tr) => {
        const parsed = parseProfileTimeZone(text);
        if (!parsed.ok) expectFittingRefusal(problemText(parsed.problem, tr));
        expectFittingRefusal(refusal(() => requireTimeZone(text), tr));
      }),
      RUNS,
    );
  });

  it('refusing a theme list quotes the wrong theme briefly, however long the list', () => {
    fc.assert(
      fc.property(typed, anyTranslator, (text, tr) => expectFittingRefusal(refusal(() => parseThemeList(catalog, text), tr))),
      RUNS,
    );
  });

  it('refusing a pairing schedule quotes the wrong time, frequency or weekday briefly', async () => {
    const settings = new SettingsService({
      configs: new GuildConfigStore(new Keyv()),
      catalog,
      clock: new FakeClock('2026-01-12T08:00:00Z'),
      locks: new KeyedLock(),
      onScheduleChange: async () => undefined,
    });
    const request = {
      channelId: '1',
      frequency: 'weekly',
      weekday: 'monday',
      time: '18:00',
      timeZone: 'UTC',
      groupSize: 2,
      followUpDays: 3,
    };
    await fc.assert(
      fc.asyncProperty(typed, fc.constantFrom('frequency', 'weekday', 'time'), anyTranslator, async (text, field, tr) => {
        const message = await settings.configurePairing('g', 'u', { ...request, [field]: text }).then(
          () => '',
          (error: unknown) => (error instanceof UserError ? problemText(error.problem, tr) : Promise.reject(error)),
        );
        expectFittingRefusal(message);
      }),
      runs(30),
    );
  });

  it('quotes a 2,500-character theme list in a code span of at most 50 characters', () => {
    const message = refusal(() => parseThemeList(catalog, `Shared experiences, ${'**x** '.repeat(415)}`));
    const quoted = /^`([^`]*)` is not a theme\. Use theme names separated by commas, from: /.exec(message)?.[1] ?? '';
    expect(quoted).toMatch(/^\*\*x\*\* .*…$/);
    expect([...quoted].length).toBeLessThanOrEqual(50);
  });
});
