import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AVOID_LIST_MAX } from '../../src/core/avoidedPairs.ts';
import { TAKEAWAY_MAX_LENGTH, TAKEAWAY_MIN_LENGTH } from '../../src/core/takeaway.ts';
import {
  afterMeetingComponents,
  afterMeetingText,
  avoidListEmbed,
  avoidReply,
  OWN_TAKEAWAYS_LISTED,
  ownTakeawaysReply,
  shareOutcomeReply,
  takeawayForm,
  takeawaysMessage,
  thanksMessage,
} from '../../src/discord/takeawayMessages.ts';
import { translator } from '../../src/discord/i18n.ts';
import { anyTranslator, failure, RUNS, snowflake } from './arbitraries.ts';
import { expectDiscordAcceptsMessage, expectDiscordAcceptsModal } from './discordRules.ts';

const roundId = fc.constant('2026-01-12-9999');
const groupIndex = fc.integer({ min: 0, max: 99_999 });
/** Takeaway text at its bounds, heavy in what Markdown and mentions are made of. */
const takeawayText = fc
  .array(fc.constantFrom('a', '1', '2', '*', '_', '`', '~', '|', '>', '#', '@', '<', ':', '\\', '\n', 'é', '🙂', ' '), {
    minLength: TAKEAWAY_MIN_LENGTH,
    maxLength: TAKEAWAY_MAX_LENGTH,
  })
  .map((chars) => chars.join(''));

describe('takeaway messages', () => {
  it('fit Discord in every language: the offer with its buttons, the form and every confirmation', () => {
    fc.assert(
      fc.property(anyTranslator, roundId, groupIndex, failure, snowflake, (tr, round, index, reason, channelId) => {
        expectDiscordAcceptsMessage({ content: afterMeetingText(tr), components: afterMeetingComponents(round, index, tr) });
        expectDiscordAcceptsModal(takeawayForm(round, index, 'credited', tr));
        expectDiscordAcceptsModal(takeawayForm(round, index, 'anonymous', tr));
        for (const outcome of [
          { kind: 'waiting' as const },
          { kind: 'declined' as const },
          { kind: 'posted' as const, channelId },
          { kind: 'post-failed' as const, failure: reason },
        ]) {
          expectDiscordAcceptsMessage(shareOutcomeReply(outcome, { roundId: round, groupIndex: index }, tr));
        }
      }),
      RUNS,
    );
  });

  it('posts up to three takeaways in every language, pinging nobody, with no mention but the credited author', () => {
    fc.assert(
      fc.property(
        anyTranslator,
        fc.array(fc.record({ text: takeawayText, authorId: fc.option(snowflake, { nil: undefined }) }), { minLength: 1, maxLength: 3 }),
        (tr, takeaways) => {
          const shown = takeaways.map(({ text, authorId }) => (authorId === undefined ? { text } : { text, authorId }));
          const message = takeawaysMessage(shown, tr);
          expectDiscordAcceptsMessage(message);
          expect(message.allowedMentions).toEqual({ parse: [] });
          const mentions = [...message.content.matchAll(/<@!?&?(\d+)>/g)].map((match) => match[1]);
          const credited = shown.flatMap((takeaway) => (takeaway.authorId === undefined ? [] : [takeaway.authorId]));
          for (const mention of mentions) expect(credited).toContain(mention);
        },
      ),
      RUNS,
    );
  });

  it('fits three takeaways of pure Markdown at the longest, and turns typed mentions into plain text', () => {
    for (const tr of [translator('en-US'), translator('uk'), translator('hi')]) {
      const stars = '*'.repeat(TAKEAWAY_MAX_LENGTH);
      expectDiscordAcceptsMessage(
        takeawaysMessage([{ text: stars, authorId: '123456789012345678' }, { text: stars }, { text: stars }], tr),
      );
      const typed = takeawaysMessage([{ text: 'Hi <@123456789012345678> and <@&223456789012345678> and @everyone' }], tr).content;
      expect(typed).not.toMatch(/<@!?&?\d+>/);
      expect(typed).not.toMatch(/(^|[^\\])@everyone/);
    }
  });

  it('thanks mention exactly the partners, and the avoid list fits at its largest', () => {
    fc.assert(
      fc.property(anyTranslator, snowflake, fc.uniqueArray(snowflake, { minLength: 1, maxLength: 2 }), (tr, from, partners) => {
        const thanks = thanksMessage(from, partners, tr);
        expectDiscordAcceptsMessage(thanks);
        expect(thanks.allowedMentions).toEqual({ parse: [], users: partners });
      }),
      RUNS,
    );
    fc.assert(
      fc.property(anyTranslator, fc.uniqueArray(snowflake, { minLength: AVOID_LIST_MAX, maxLength: AVOID_LIST_MAX }), (tr, ids) => {
        expectDiscordAcceptsMessage({ embeds: [avoidListEmbed(ids, tr)] });
        expectDiscordAcceptsMessage({ embeds: [avoidListEmbed([], tr)] });
        expectDiscordAcceptsMessage({ content: avoidReply('added', ids[0]!, ids, tr) });
        expectDiscordAcceptsMessage({ content: avoidReply('removed', ids[0]!, [], tr) });
      }),
      RUNS,
    );
  });

  it('/exchange takeaways fits at its largest in every language, a withdraw button for each listed takeaway, pinging nobody', () => {
    fc.assert(
      fc.property(
        anyTranslator,
        fc.array(
          fc.record({
            roundNumber: fc.integer({ min: 1, max: 99_999 }),
            groupIndex,
            choice: fc.constantFrom('credited' as const, 'anonymous' as const),
            text: takeawayText,
          }),
          { minLength: 1, maxLength: OWN_TAKEAWAYS_LISTED + 3 },
        ),
        (tr, entries) => {
          const own = entries.map((entry) => ({ ...entry, roundId: `2026-01-12-${entry.roundNumber}`, roundDate: '2026-01-12' }));
          const reply = ownTakeawaysReply(own, tr);
          expectDiscordAcceptsMessage(reply);
          expect(reply.allowedMentions).toEqual({ parse: [] });
          const withdrawIds = JSON.stringify(reply.components).match(/takeaway:[^"]+:withdraw/g) ?? [];
          expect(withdrawIds).toEqual(
            own.slice(0, OWN_TAKEAWAYS_LISTED).map((entry) => `takeaway:${entry.roundId}:${entry.groupIndex}:withdraw`),
          );
        },
      ),
      RUNS,
    );
    for (const tr of [translator('en-US'), translator('uk'), translator('hi')]) {
      const stars = '*'.repeat(TAKEAWAY_MAX_LENGTH);
      const own = Array.from({ length: OWN_TAKEAWAYS_LISTED + 1 }, (_, index) => ({
        roundId: `2026-01-12-${index}`,
        roundNumber: 99_999,
        roundDate: '2026-01-12',
        groupIndex: 99_999,
        choice: 'credited' as const,
        text: stars,
      }));
      expectDiscordAcceptsMessage(ownTakeawaysReply(own, tr));
      expectDiscordAcceptsMessage(ownTakeawaysReply([], tr));
    }
  });
});
