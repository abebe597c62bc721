import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { SUGGESTION_PROBLEM_CODES } from '../../src/core/problem.ts';
import {
  cleanPromptText,
  MAX_SERVER_PROMPTS,
  SERVER_PROMPT_MAX_LENGTH,
  type PackProblem,
  type ServerPrompt,
} from '../../src/core/serverPrompts.ts';
import { THEME_IDS, type ThemeCatalog } from '../../src/core/themes.ts';
import { packRefusedReply, promptAddedReply, promptListReply } from '../../src/discord/packMessages.ts';
import { problemText } from '../../src/discord/problemText.ts';
import { localizedPromptEmbed } from '../../src/discord/promptMessages.ts';
import { editForm, outcomesNotice, rejectForm, reviewMessage, threadNote } from '../../src/discord/suggestionMessages.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import type { Suggestion } from '../../src/store/serverPromptStore.ts';
import { anyTranslator, runs, snowflake } from './arbitraries.ts';
import { expectDiscordAcceptsMessage, expectDiscordAcceptsModal } from './discordRules.ts';

let catalog: ThemeCatalog;
beforeAll(async () => {
  catalog = await loadThemeCatalog();
});

const RUNS = runs(40);

// Markdown, would-be mentions and tokens, characters that grow in UTF-16 or when escaped.
const HARD = ['*', '_', '~', '|', '`', '\\', '#', '>', '<', '@', ':', '/', 'é', 'e\u0301', '😀', '👩‍👩‍👧', ' ', '\n', 'a', '1'];

/** What someone may type, cleaned as Bridges stores it, at most `max` code points. */
const typed = (max: number) =>
  fc
    .array(fc.constantFrom(...HARD), { minLength: 10, maxLength: max, size: 'max' })
    .map((parts) => [...cleanPromptText(parts.join(''))].slice(0, max).join(''))
    .filter((text) => [...text].length >= 10);

const suggestion: fc.Arbitrary<Suggestion> = fc.record({
  number: fc.integer({ min: 1, max: 2 ** 31 }),
  authorId: snowflake,
  themeId: fc.constantFrom(...THEME_IDS),
  text: typed(SERVER_PROMPT_MAX_LENGTH),
  anonymous: fc.boolean(),
  status: fc.constantFrom('pending', 'approved', 'rejected'),
  createdAt: fc.constant('2026-01-15T06:00:00.000Z'),
  decidedBy: snowflake,
  promptId: fc.integer({ min: 1, max: 2 ** 31 }).map((n) => `s${n}`),
  reason: fc.option(typed(300), { nil: undefined }),
  authorNotified: fc.boolean(),
});

describe('suggestion messages fit Discord in every language', () => {
  it('the review post, pending or decided, with the longest text and reason', () => {
    fc.assert(
      fc.property(suggestion, anyTranslator, (item, tr) => void expectDiscordAcceptsMessage(reviewMessage(item, catalog, tr))),
      RUNS,
    );
  });

  it('the edit and reject forms, prefilled with any stored text', () => {
    fc.assert(
      fc.property(suggestion, anyTranslator, (item, tr) => {
        expectDiscordAcceptsModal(editForm(item, tr));
        expectDiscordAcceptsModal(rejectForm(item, tr));
      }),
      RUNS,
    );
  });

  it('the note in the thread and the notice on the next command, however many decisions it gathers', () => {
    const decided = suggestion.filter((item) => item.status !== 'pending');
    fc.assert(
      fc.property(fc.array(decided, { minLength: 1, maxLength: 30 }), anyTranslator, (items, tr) => {
        expectDiscordAcceptsMessage(threadNote(items[0] as Suggestion, catalog, tr));
        expectDiscordAcceptsMessage(outcomesNotice(items, catalog, tr));
      }),
      RUNS,
    );
  });

  it('/prompts list with the most prompts a server may have, and the add reply', () => {
    const prompt: fc.Arbitrary<ServerPrompt> = fc.record({
      id: fc.integer({ min: 1, max: 2 ** 31 }).map((n) => `s${n}`),
      themeId: fc.constantFrom(...THEME_IDS),
      text: typed(SERVER_PROMPT_MAX_LENGTH),
    });
    fc.assert(
      fc.property(
        fc.array(prompt, { minLength: 0, maxLength: MAX_SERVER_PROMPTS, size: 'max' }),
        fc.subarray(catalog.themes.flatMap((theme) => theme.prompts.map((item) => ({ id: item.id, themeId: theme.id })))),
        anyTranslator,
        (prompts, disabledBuiltIns, tr) => {
          expectDiscordAcceptsMessage(promptListReply({ prompts, disabledBuiltIns }, catalog, tr));
          if (prompts[0]) expectDiscordAcceptsMessage(promptAddedReply(prompts[0], catalog, tr));
        },
      ),
      runs(15),
    );
  });

  it('the refusal of a pack, with every kind of problem many times', () => {
    // Typed text without '{', so that '{{' in the reply can only be a placeholder left unfilled.
    const long = fc.string({ maxLength: 2000 }).map((text) => text.replaceAll('{', '('));
    const index = fc.integer({ min: 1, max: 100_000 });
    const problem: fc.Arbitrary<PackProblem> = fc.oneof(
      fc.record({ kind: fc.constant('too-large' as const), bytes: fc.nat() }),
      fc.constant({ kind: 'not-json' as const }),
      fc.record({ kind: fc.constant('schema' as const), path: long, detail: long }),
      fc.record({ kind: fc.constant('too-many' as const), count: fc.nat() }),
      fc.record({ kind: fc.constant('unknown-theme' as const), index, theme: long }),
      fc.record({ kind: fc.constantFrom('too-short' as const, 'too-long' as const), index }),
      fc.record({ kind: fc.constant('duplicate-in-file' as const), index, of: index }),
      fc.record({
        kind: fc.constant('duplicate-built-in' as const),
        index,
        builtInId: fc.string({ maxLength: 60 }).map((text) => text.replaceAll('{', '(')),
      }),
      fc.record({ kind: fc.constant('unknown-built-in' as const), id: long }),
    );
    fc.assert(
      fc.property(fc.array(problem, { minLength: 1, maxLength: 600 }), anyTranslator, (problems, tr) => {
        const reply = packRefusedReply(problems, tr);
        expectDiscordAcceptsMessage(reply);
        expect(reply.content).not.toContain('{{');
      }),
      runs(20),
    );
  });

  it('a posted server prompt, credited, fits one embed', () => {
    fc.assert(
      fc.property(typed(SERVER_PROMPT_MAX_LENGTH), snowflake, anyTranslator, (text, authorId, tr) => {
        const embed = localizedPromptEmbed(catalog, { themeId: 'self-reflection', promptId: 's1', serverPrompt: { text, authorId } }, tr);
        expectDiscordAcceptsMessage({ embeds: [embed], allowedMentions: { parse: [] } });
      }),
      RUNS,
    );
  });

  it('every refusal of suggestions and packs is worded, quoting at most a short part of what was typed', () => {
    fc.assert(
      fc.property(typed(SERVER_PROMPT_MAX_LENGTH), anyTranslator, (existing, tr) => {
        for (const code of SUGGESTION_PROBLEM_CODES) {
          const text = problemText(
            {
              code,
              values: {
                existing: { typed: existing },
                typed: { typed: existing },
                min: 10,
                max: 300,
                length: 301,
                id: 'mutual-respect-06',
                number: 12,
                channel: '<#123456789012345678>',
                permission: { permission: 'ManageGuild' },
                permissions: { permissions: ['ViewChannel', 'SendMessages', 'EmbedLinks', 'CreatePublicThreads'] },
                count: 4,
              },
            },
            tr,
          );
          expect(text).not.toContain('{{');
          expect(text.length).toBeLessThan(1000);
        }
      }),
      runs(20),
    );
  });
});
