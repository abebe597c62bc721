import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../src/core/locales.ts';
import type { Profile } from '../../src/core/profile.ts';
import { translator } from '../../src/discord/i18n.ts';
import { profileEntryLabel } from '../../src/discord/profileText.ts';
import {
  forgetConfirmation,
  joinExchangeMessage,
  joinedText,
  meReply,
  overviewEmbed,
  profileEmbed,
  profileForm,
} from '../../src/discord/exchangeMessages.ts';
import type { MemberOverview } from '../../src/services/exchangeService.ts';
import { passport } from '../../src/core/cultureMap.ts';
import { passportEmbed } from '../../src/discord/mapMessages.ts';
import { AVOID_LIST_MAX } from '../../src/core/avoidedPairs.ts';
import { MAX_KEPT_MEETINGS } from '../../src/store/memberStore.ts';
import { anyTranslator, RUNS, runs, instant, oversizedList, snowflake, storedList, storedProfile } from './arbitraries.ts';
import { expectDiscordAcceptsMessage, expectDiscordAcceptsModal } from './discordRules.ts';
import { DISCORD_LOCALES } from '../support/emulator/locales.ts';

const anyProfile = fc.oneof(storedProfile(), storedProfile(true));

const overview: fc.Arbitrary<MemberOverview> = fc.record({
  record: fc.option(
    fc.record({
      optedIn: fc.boolean(),
      optedInAt: fc.option(
        instant.map((at) => at.toISOString()),
        { nil: undefined },
      ),
      pausedUntil: fc.option(
        instant.map((at) => at.toISOString()),
        { nil: undefined },
      ),
      pauseReason: fc.constantFrom(undefined, 'member' as const, 'cant-make-it' as const, 'no-answers' as const),
      profile: anyProfile.map((profile) => ({
        ...profile,
        languages: [...profile.languages],
        cultures: [...profile.cultures],
        curiousAbout: [...profile.curiousAbout],
        interests: [...profile.interests],
      })),
      profileSavedAt: fc.option(
        instant.map((at) => at.toISOString()),
        { nil: undefined },
      ),
      missedFollowUps: fc.nat({ max: 1000 }),
      meetings: fc.constant([]),
      updatedAt: instant.map((at) => at.toISOString()),
    }),
    { nil: undefined },
  ),
  active: fc.boolean(),
  paused: fc.boolean(),
  roundsKept: fc.nat({ max: 1_000_000 }),
  roundsPaired: fc.nat({ max: 1_000_000 }),
  answers: fc.record({ met: fc.nat(), 'not-yet': fc.nat(), 'cant-make-it': fc.nat() }),
  pairing: fc.oneof(
    fc.constant({ state: 'not-set-up' as const }),
    fc.record({ state: fc.constant('off' as const), reason: fc.option(fc.string({ maxLength: 5000, size: 'max' }), { nil: undefined }) }),
    fc.record({ state: fc.constant('on' as const), channelId: snowflake, nextRoundAt: instant }),
  ),
});

describe('profileEmbed', () => {
  it('fits as the /exchange profile and join-form replies, for every profile the commands accept', () => {
    fc.assert(
      fc.property(anyProfile, anyTranslator, (profile, tr) => {
        expectDiscordAcceptsMessage({
          content: tr.t('exchange:profile-saved', { joined: joinedText('joined', tr) }),
          embeds: [profileEmbed(tr.t('exchange:your-profile'), profile, tr)],
        });
      }),
      RUNS,
    );
  });

  it('fits for lists past what the commands accept', () => {
    const oversized = fc.record({
      languages: oversizedList(),
      cultures: oversizedList(),
      curiousAbout: oversizedList(),
      interests: oversizedList(),
    });
    fc.assert(
      fc.property(
        oversized,
        anyTranslator,
        (profile: Profile, tr) => void expectDiscordAcceptsMessage({ embeds: [profileEmbed(tr.t('exchange:your-profile'), profile, tr)] }),
      ),
      runs(30),
    );
  });

  it('shows profile text as typed, never as Markdown', () => {
    const description = profileEmbed(
      'Your profile',
      {
        languages: ['english'],
        cultures: ['**bold**'],
        curiousAbout: ['__under__'],
        interests: ['`code`', '||spoiler||'],
      },
      translator('en-US'),
    ).toJSON().description;
    expect(description).toContain('**Cultures you can share about:** \\*\\*bold\\*\\*');
    expect(description).toContain('**Curious about:** \\_\\_under\\_\\_');
    expect(description).toContain('**Interests:** \\`code\\` and \\|\\|spoiler\\|\\|');
  });
});

describe('overviewEmbed', () => {
  it('fits as the /exchange me reply for every member record, with a reason of any length', () => {
    fc.assert(
      fc.property(overview, anyTranslator, (view, tr) => void expectDiscordAcceptsMessage({ embeds: [overviewEmbed(view, tr)] })),
      RUNS,
    );
  });

  it('fits with the passport and the longest avoid list under it, for the longest passports a member can collect', () => {
    // Every kept meeting a trio, each partner with a full list of cultures: the most a passport can name.
    const meetings = fc.array(
      fc.record({ partnerCultures: fc.record({ first: storedList('cultures', true), second: storedList('cultures', true) }) }),
      { minLength: MAX_KEPT_MEETINGS, maxLength: MAX_KEPT_MEETINGS },
    );
    const member = overview.filter((view) => view.record !== undefined);
    const longestAvoidList = fc.uniqueArray(snowflake, { minLength: AVOID_LIST_MAX, maxLength: AVOID_LIST_MAX });
    fc.assert(
      fc.property(member, meetings, anyTranslator, longestAvoidList, (view, met, tr, avoided) => {
        const entries = passport(view.record?.profile.cultures ?? [], met);
        expectDiscordAcceptsMessage({ embeds: [overviewEmbed(view, tr), passportEmbed(entries, tr)], allowedMentions: { parse: [] } });
        expectDiscordAcceptsMessage(meReply(view, entries, avoided, tr));
      }),
      runs(30),
    );
  });
});

describe('fixed messages', () => {
  it.each(SUPPORTED_LOCALES)('the join message, the forget confirmation and every joined text fit in %s', (locale) => {
    const tr = translator(locale);
    expectDiscordAcceptsMessage(joinExchangeMessage(tr));
    expectDiscordAcceptsMessage(forgetConfirmation(tr));
    for (const outcome of ['joined', 'resumed', 'already-in'] as const) expectDiscordAcceptsMessage({ content: joinedText(outcome, tr) });
  });
});

describe('profileForm', () => {
  it('is a form Discord accepts for every locale Discord sends', () => {
    for (const locale of DISCORD_LOCALES) {
      for (const reader of SUPPORTED_LOCALES) {
        expectDiscordAcceptsModal(profileForm(profileEntryLabel('languages', locale.split('-')[0] ?? locale, reader), translator(reader)));
      }
    }
    for (const reader of SUPPORTED_LOCALES) expectDiscordAcceptsModal(profileForm(undefined, translator(reader)));
  });

  it('is still accepted when the suggested language is longer than the field allows', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 5000, size: 'max' }),
        anyTranslator,
        (suggested, tr) => void expectDiscordAcceptsModal(profileForm(suggested, tr)),
      ),
      RUNS,
    );
  });
});
