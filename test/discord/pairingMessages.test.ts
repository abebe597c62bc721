import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROMPT_MAX_LENGTH, THEME_TITLE_MAX_LENGTH } from '../../src/core/themes.ts';
import { checkInMessage, introMessage } from '../../src/discord/pairingMessages.ts';
import type { GroupIntro } from '../../src/services/discordPort.ts';
import { expectDiscordAcceptsMessage } from './discordRules.ts';
import { anyLocale, anyTranslator, RUNS, runs, instant, oversizedList, snowflake, storedList } from './arbitraries.ts';
import { translator } from '../../src/discord/i18n.ts';

const icebreaker = fc.record({
  themeTitle: fc.oneof(
    fc.string({ minLength: 1, maxLength: THEME_TITLE_MAX_LENGTH, size: 'max' }),
    fc.constant('T'.repeat(THEME_TITLE_MAX_LENGTH)),
  ),
  text: fc.oneof(
    fc.string({ minLength: 1, maxLength: PROMPT_MAX_LENGTH, size: 'max' }),
    fc.constant(`${'Q'.repeat(PROMPT_MAX_LENGTH - 1)}?`),
  ),
});

const window = fc.record({ start: instant, end: instant });

/** A group intro as the round service builds it from profiles the commands accept. */
function groupIntro(list: (field: 'languages' | 'cultures' | 'interests') => fc.Arbitrary<string[]>, maxExchanges: number) {
  return fc.uniqueArray(snowflake, { minLength: 2, maxLength: 3 }).chain((memberIds) =>
    fc.record({
      memberIds: fc.constant(memberIds),
      sharedLanguages: list('languages'),
      exchanges: fc.array(
        fc.record({
          from: fc.constantFrom(...memberIds),
          to: fc.constantFrom(...memberIds),
          topics: list('cultures'),
        }),
        { maxLength: maxExchanges },
      ),
      differentCultures: fc.boolean(),
      overlaps: fc.array(window, { maxLength: 4 }),
      sharedInterests: list('interests'),
      icebreaker,
      followUpAt: instant,
      locale: anyLocale,
    }),
  );
}

const acceptedIntro = groupIntro((field) => fc.oneof(storedList(field), storedList(field, true)), 3);
const intoAtLimits = groupIntro((field) => storedList(field, true), 3);
const oversizedIntro = groupIntro(() => oversizedList(), 6);

function expectAcceptedIntro(intro: GroupIntro): string {
  const message = introMessage(intro);
  const body = expectDiscordAcceptsMessage(message);
  const content = String(body.content);
  for (const id of intro.memberIds) expect(content).toContain(`<@${id}>`);
  const icebreaker = intro.icebreaker ?? { themeTitle: '', text: '' };
  expect(content).toContain(
    translator(intro.locale).t('pairing:intro.icebreaker', { theme: icebreaker.themeTitle, text: icebreaker.text }),
  );
  expect(body.allowed_mentions).toEqual({ parse: [], users: [...intro.memberIds] });
  return content;
}

describe('introMessage', () => {
  it('fits, with every mention and the whole icebreaker, for any group of profiles the commands accept', () => {
    fc.assert(
      fc.property(acceptedIntro, (intro) => void expectAcceptedIntro(intro)),
      RUNS,
    );
  });

  it('fits when every list of every member is at the limits', () => {
    fc.assert(
      fc.property(intoAtLimits, (intro) => void expectAcceptedIntro(intro)),
      RUNS,
    );
  });

  it('still fits, with every mention and the icebreaker, for lists longer than the commands accept', () => {
    fc.assert(
      fc.property(oversizedIntro, (intro) => void expectAcceptedIntro(intro)),
      runs(30),
    );
  });

  const TRIO = ['10000000000000000001', '10000000000000000002', '10000000000000000003'];

  /**
   * The trio of the issue: eight 40-character entries in every list, the same languages and
   * interests, each curious about the next one's cultures. `entry` spells the i-th entry of a list.
   */
  function maximalTrio(
    entry: (label: string, i: number) => string = (label, i) => `${label} ${i} `.padEnd(40, label.charAt(0)),
  ): GroupIntro {
    const entries = (label: string) => Array.from({ length: 8 }, (_, i) => entry(label, i));
    return {
      memberIds: TRIO,
      sharedLanguages: entries('language'),
      exchanges: TRIO.map((from, i) => ({ from, to: TRIO[(i + 2) % 3] ?? '', topics: entries(`culture${i}`) })),
      differentCultures: true,
      overlaps: [{ start: new Date('2026-01-12T14:00:00Z'), end: new Date('2026-01-12T16:00:00Z') }],
      sharedInterests: entries('interest'),
      icebreaker: { themeTitle: 'Shared experiences', text: 'What is a small ritual from your childhood that you still keep?' },
      followUpAt: new Date('2026-01-15T17:00:00Z'),
      locale: 'en-US',
    };
  }

  it('shortens the shared interests first, then the languages, and no more than it must, for the maximal trio', () => {
    const content = expectAcceptedIntro(maximalTrio());
    expect(content).toMatch(/you share an interest in interest 0 i+ and 7 more\./);
    expect(content).toMatch(/you all speak Language 0 Ll+, .*, and [1-6] more;/);
    // The topic lists are kept whole: shortening the first two lists was enough.
    const title = (text: string) => text.replace(/(^|\s)(\p{Ll})/gu, (_m, before: string, letter: string) => before + letter.toUpperCase());
    for (const i of [0, 1, 2]) {
      const topics = Array.from({ length: 8 }, (_, j) => title(`culture${i} ${j} `.padEnd(40, 'c')));
      expect(content).toContain(`<@${TRIO[i]}> can share about ${topics.slice(0, 7).join(', ')}, and ${topics[7]}, which`);
    }
  });

  it('then shortens the topics of every exchange, keeping all three, when escaping doubles every entry', () => {
    const content = expectAcceptedIntro(maximalTrio((label, i) => `${label.slice(0, 3)}${i}`.padEnd(40, '_')));
    expect(content).toMatch(/you share an interest in int0(\\_)+ and 7 more\./);
    expect(content).toMatch(/you all speak Lan0(\\_)+ and 7 more;/);
    for (const i of [0, 1, 2]) {
      expect(content).toMatch(
        new RegExp(
          `<@${TRIO[i]}> can share about Cul0(\\\\_)+(, Cul\\d(\\\\_)+)*,? and [1-7] more, which <@${TRIO[(i + 2) % 3]}> is curious about`,
        ),
      );
    }
  });

  it('keeps every entry when the sentence fits', () => {
    const small: GroupIntro = {
      ...maximalTrio(),
      sharedInterests: ['jazz', 'hiking'],
      exchanges: [],
      sharedLanguages: ['english', 'spanish'],
    };
    const content = expectAcceptedIntro(small);
    expect(content).toContain('you all speak English and Spanish');
    expect(content).toContain('you share an interest in jazz and hiking.');
    expect(content).not.toContain('more');
  });

  it('shows profile text as typed, never as Markdown', () => {
    const intro: GroupIntro = {
      ...maximalTrio(),
      overlaps: [],
      sharedLanguages: ['**bold**'],
      sharedInterests: ['__under__', '`code`', '||spoiler||', '# heading'],
      exchanges: [{ from: TRIO[0] ?? '', to: TRIO[1] ?? '', topics: ['~~struck~~'] }],
    };
    const content = expectAcceptedIntro(intro);
    expect(content).toContain('speak \\*\\*bold\\*\\*;');
    expect(content).toContain('\\_\\_under\\_\\_, \\`code\\`, \\|\\|spoiler\\|\\|, and \\# heading');
    expect(content).toContain('can share about \\~\\~struck\\~\\~');
  });
});

describe('checkInMessage', () => {
  it('fits for any round id the store makes and any group index', () => {
    const roundId = fc.tuple(instant, fc.integer({ min: 1, max: 10 ** 9 })).map(([date, n]) => `${date.toISOString().slice(0, 10)}-${n}`);
    fc.assert(
      fc.property(
        roundId,
        fc.integer({ min: 0, max: 99_999 }),
        anyTranslator,
        (id, index, tr) => void expectDiscordAcceptsMessage(checkInMessage(id, index, tr)),
      ),
      RUNS,
    );
  });
});
