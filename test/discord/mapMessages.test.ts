import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../src/core/locales.ts';
import type { ThemeCatalog } from '../../src/core/themes.ts';
import { statsReply } from '../../src/discord/hostMessages.ts';
import { translator, type Translator } from '../../src/discord/i18n.ts';
import { insightsEmbed, insightsExport } from '../../src/discord/mapMessages.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import type { ServerInsights } from '../../src/services/insightsService.ts';
import { anyTranslator, instant, runs, storedRound } from './arbitraries.ts';
import { expectDiscordAcceptsMessage } from './discordRules.ts';

let catalog: ThemeCatalog;

beforeAll(async () => {
  catalog = await loadThemeCatalog();
});

/** The theme whose title is longest in the reader's language. */
function longestTheme(tr: Translator): string {
  const titled = catalog.themes.map((theme) => ({ id: theme.id, title: catalog.themeText(theme.id, tr.locale)?.title ?? '' }));
  return titled.reduce((longest, theme) => (theme.title.length > longest.title.length ? theme : longest)).id;
}

const count = fc.nat({ max: Number.MAX_SAFE_INTEGER });
const localDate = instant.map((at) => at.toISOString().slice(0, 10));

/**
 * Far more prompts and rounds than the store keeps (20 posts, 8 rounds), every theme the longest in
 * the reader's language or an id no longer in the catalog, and figures up to the largest safe integer.
 */
function largestInsights(tr: Translator): fc.Arbitrary<ServerInsights> {
  const themeId = fc.oneof(
    { weight: 3, arbitrary: fc.constant(longestTheme(tr)) },
    { weight: 1, arbitrary: fc.string({ minLength: 100, maxLength: 100, unit: 'binary' }) },
  );
  const prompt = fc.record({
    date: localDate,
    kind: fc.constantFrom('daily' as const, 'manual' as const),
    themeId,
    promptId: fc.constantFrom(...catalog.themes.flatMap((theme) => theme.prompts.map((p) => p.id))),
    replies: fc.option(count, { nil: undefined }),
  });
  const round = fc.record({
    number: count,
    date: localDate,
    attendance: fc.record({ conversations: count, met: count, cantMakeIt: count, noAnswer: count }),
  });
  return fc.record({
    prompts: fc.array(prompt, { minLength: 100, maxLength: 200 }),
    rounds: fc.array(round, { minLength: 50, maxLength: 100 }),
  });
}

const statsView = fc.record({
  state: fc.record({
    roundsStarted: count,
    roundIds: fc.constant<string[]>([]),
    stats: fc.record({
      roundsRun: count,
      groupsDelivered: count,
      membersPaired: count,
      crossCultureGroups: count,
      groupsCheckedIn: count,
      groupsReportedMet: count,
      groupsFailed: count,
    }),
  }),
  optedIn: count,
  paused: count,
  active: count,
  lastRound: fc.option(storedRound, { nil: undefined }),
});

const readerAndInsights = anyTranslator.chain((tr) => fc.tuple(fc.constant(tr), largestInsights(tr)));

describe('/host stats with answers per prompt, meeting rate and no-shows', () => {
  it('fits in one reply with the pairing figures, for the most prompts and rounds, longest theme names and every locale', () => {
    fc.assert(
      fc.property(readerAndInsights, statsView, ([tr, insights], view) => {
        // As commands/host.ts sends it: the pairing figures as text, the new figures as an embed.
        expectDiscordAcceptsMessage({ ...statsReply(view, tr), embeds: [insightsEmbed(insights, catalog, tr)] });
      }),
      runs(30),
    );
  });

  it.each(SUPPORTED_LOCALES)('fits at the largest inputs in %s', (locale) => {
    const tr = translator(locale);
    fc.assert(
      fc.property(largestInsights(tr), statsView, (insights, view) => {
        expectDiscordAcceptsMessage({ ...statsReply(view, tr), embeds: [insightsEmbed(insights, catalog, tr)] });
      }),
      runs(3),
    );
  });

  it('the export reply fits as well', () => {
    fc.assert(
      fc.property(readerAndInsights, ([tr, insights]) => {
        const reply = insightsExport(insights, catalog, tr);
        expectDiscordAcceptsMessage({ content: reply.content, embeds: reply.embeds, allowedMentions: reply.allowedMentions });
      }),
      runs(30),
    );
  });
});
