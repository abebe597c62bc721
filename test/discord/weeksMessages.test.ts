import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEEKDAYS } from '../../src/core/schedule.ts';
import type { ThemeCatalog } from '../../src/core/themes.ts';
import { SUPPORTED_LOCALES } from '../../src/core/locales.ts';
import { translator } from '../../src/discord/i18n.ts';
import { DISCORD_LIMITS } from '../../src/discord/limits.ts';
import { configurationReply } from '../../src/discord/setupMessages.ts';
import {
  promptDayChoices,
  promptDaysText,
  promptExtrasLines,
  promptExtrasShowLines,
  themedWeeksReply,
  themedWeeksShowLines,
  weekAnnouncementEmbeds,
} from '../../src/discord/weeksMessages.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import type { GuildConfig } from '../../src/store/guildConfigStore.ts';
import { anyLocale, anyTranslator, failure, RUNS, snowflake } from './arbitraries.ts';
import { expectDiscordAcceptsChoices, expectDiscordAcceptsMessage } from './discordRules.ts';

let catalog: ThemeCatalog;
beforeAll(async () => {
  catalog = await loadThemeCatalog();
});

const days = fc.option(fc.subarray([...WEEKDAYS]), { nil: undefined });
const themeOrder = () => fc.uniqueArray(fc.constantFrom(...catalog.themes.map((theme) => theme.id)), { maxLength: 8 });

/** A configuration with every scheduling choice, and failures with details of any length. */
function config(): fc.Arbitrary<GuildConfig> {
  return fc.record({
    prompts: fc.record({
      enabled: fc.boolean(),
      channelId: snowflake,
      time: fc.constant('23:59'),
      timeZone: fc.constant('America/Argentina/ComodRivadavia'),
      threads: fc.boolean(),
      themeIds: themeOrder(),
      updatedAt: fc.constant('2026-01-12T00:00:00.000Z'),
      updatedBy: snowflake,
      disabledReason: fc.constant('missing-permission'),
      days,
      roleId: snowflake,
      pin: fc.constant(true),
    }),
    themedWeeks: fc.record({
      enabled: fc.constant(true),
      themeIds: themeOrder(),
      anchorDate: fc.constant('2026-01-12'),
      updatedAt: fc.constant('2026-01-12T00:00:00.000Z'),
      updatedBy: snowflake,
    }),
    promptWeeks: fc.record({
      pinnedMessageIds: fc.array(snowflake, { maxLength: 3 }),
      pinFailure: fc.record({ date: fc.constant('2026-12-31'), step: fc.constantFrom('pin' as const, 'unpin' as const), failure }),
      announcements: fc.array(
        fc.record({
          week: fc.constant('2026-01-12'),
          themeId: fc.constantFrom(...catalog.themes.map((theme) => theme.id)),
          status: fc.constantFrom('claimed' as const, 'posted' as const, 'failed' as const),
          failure,
        }),
        { maxLength: 1 },
      ),
    }),
  });
}

describe('scheduling texts', () => {
  it('/setup show with every scheduling choice and failure fits Discord, in every language', () => {
    fc.assert(
      fc.property(config(), anyTranslator, (shown, tr) => {
        const order = shown.themedWeeks?.themeIds.length ? shown.themedWeeks.themeIds : catalog.themes.map((theme) => theme.id);
        const reply = configurationReply(
          {
            config: shown,
            nextPrompt: new Date('2026-01-12T08:00:00Z'),
            nextRound: undefined,
            locales: ['en-US', 'uk'],
            promptExtras: promptExtrasShowLines(shown, tr),
            sections: themedWeeksShowLines(shown, order, { week: '2026-01-12', themeId: order[0] }, catalog, tr),
          },
          catalog,
          tr,
        );
        expectDiscordAcceptsMessage(reply);
        expect(reply.content).toContain(promptDaysText(shown.prompts?.days, tr));
      }),
      RUNS,
    );
  });

  it('the /setup prompts and /setup themed-weeks replies fit, in every language', () => {
    fc.assert(
      fc.property(config(), fc.boolean(), anyTranslator, (shown, canPin, tr) => {
        const prompts = shown.prompts!;
        expectDiscordAcceptsMessage({ content: promptExtrasLines(prompts, canPin, tr).join('\n'), allowedMentions: { parse: [] } });
        const order = catalog.themes.map((theme) => theme.id);
        expectDiscordAcceptsMessage({
          content: themedWeeksReply(shown, order, order[7], catalog, tr),
          allowedMentions: { parse: [] },
        });
      }),
      RUNS,
    );
  });

  it('a week announcement fits for every theme in any two languages', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...catalog.themes.map((theme) => theme.id)),
        fc.uniqueArray(anyLocale, { minLength: 1, maxLength: 2 }),
        (themeId, locales) => {
          expectDiscordAcceptsMessage({
            embeds: weekAnnouncementEmbeds(catalog, { channelId: '1', nonce: 'n', themeId, week: '2026-12-28', locales }),
            allowedMentions: { parse: [] },
          });
        },
      ),
      RUNS,
    );
  });

  it('day choices are accepted for anything typed, in every language', () => {
    const typed = fc.oneof(
      fc.string({ maxLength: DISCORD_LIMITS.stringOptionLength, size: 'max' }),
      fc
        .array(fc.constantFrom('mon', 'Wednesday', 'x'.repeat(95), '😀'.repeat(30), ' ', ''), { maxLength: 12 })
        .map((parts) => parts.join(',')),
    );
    fc.assert(
      fc.property(typed, anyTranslator, (text, tr) => void expectDiscordAcceptsChoices(promptDayChoices(text, tr))),
      RUNS,
    );
  });

  it('names days in the reader’s language and offers them by their names there', () => {
    for (const locale of SUPPORTED_LOCALES) {
      const tr = translator(locale);
      expect(promptDaysText(['monday', 'wednesday'], tr)).not.toBe('');
      const offered = promptDayChoices('', tr).map((choice) => choice.value);
      expect(offered).toEqual(['every-day', 'weekdays', 'weekends', ...WEEKDAYS]);
    }
    expect(promptDaysText(['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], translator('de'))).toBe('Montag bis Freitag');
    expect(promptDaysText(undefined, translator('ja'))).toBe('毎日');
    expect(promptDaysText(['saturday', 'monday'], translator('en-GB'))).toBe('Monday and Saturday');
  });
});
