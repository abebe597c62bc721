import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeUserText, fitText } from '../../src/discord/limits.ts';
import { RUNS, runs } from './arbitraries.ts';
import { isWellFormed } from './discordRules.ts';

// Pieces that must stay whole, and plain characters that may be cut between.
const WHOLE_PIECES = [
  '<@123456789012345678>',
  '<@&987654321098765432>',
  '<#111111111111111111>',
  '<t:1768226400:R>',
  '<t:1768226400>',
  '\\*',
  '\\_',
  '\\\\',
  '😀',
  '🇧🇷',
  '👩‍👩‍👧',
  'é',
];
const piece = fc.oneof(fc.constantFrom(...WHOLE_PIECES), fc.constantFrom('a', 'b', ' ', '*', '_', '.'));

describe('fitText', () => {
  it('returns text that fits unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200, size: 'max' }), (text) => {
        expect(fitText(text, text.length)).toBe(text);
      }),
      RUNS,
    );
  });

  it('fits, ends with the ellipsis, and keeps a beginning made of whole mentions, timestamps, escapes and characters', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 120, size: 'max' }), fc.integer({ min: 1, max: 300 }), (pieces, max) => {
        const text = pieces.join('');
        const fitted = fitText(text, max);
        expect(fitted.length).toBeLessThanOrEqual(max);
        expect(isWellFormed(fitted)).toBe(true);
        if (text.length <= max) return void expect(fitted).toBe(text);
        expect(fitted.endsWith('…')).toBe(true);
        const kept = fitted.slice(0, -1);
        const beginnings = pieces.map((_, k) => pieces.slice(0, k).join('').trimEnd());
        expect(beginnings).toContain(kept);
      }),
      runs(200),
    );
  });

  it('cuts without an ellipsis when not even the ellipsis fits', () => {
    expect(fitText('abc', 0)).toBe('');
    expect(fitText('abc', 2, '...')).toBe('ab');
  });

  it('keeps a mention whole', () => {
    expect(fitText('Hello <@123456789012345678> there', 20)).toBe('Hello…');
  });
});

describe('escapeUserText', () => {
  it.each([
    ['**bold**', '\\*\\*bold\\*\\*'],
    ['__under__', '\\_\\_under\\_\\_'],
    ['`code`', '\\`code\\`'],
    ['||spoiler||', '\\|\\|spoiler\\|\\|'],
    ['~~struck~~', '\\~\\~struck\\~\\~'],
    ['____', '\\_\\_\\_\\_'],
    ['****', '\\*\\*\\*\\*'],
    ['<@123456789012345678>', '\\<\\@123456789012345678>'],
    ['<t:1768226400:R>', '\\<t:1768226400:R>'],
    ['@everyone', '\\@everyone'],
    ['> quoted', '\\> quoted'],
    ['# heading', '\\# heading'],
    ['-# subtext', '\\-# subtext'],
    ['- item', '\\- item'],
    ['1. item', '1\\. item'],
    ['[link](https://example.com)', '\\[link](https://example.com)'],
    ['back\\slash', 'back\\\\slash'],
    ['plain words', 'plain words'],
  ])('shows %j as typed', (typed, escaped) => {
    expect(escapeUserText(typed)).toBe(escaped);
  });

  it('only adds backslashes: removing each escape gives back what was typed', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('*', '_', '~', '|', '`', '\\', '<', '@', '>', '#', '-', '[', ']', '(', ')', '1', '.', 'a', ' ', '\n'),
        }),
        (text) => {
          expect(escapeUserText(text).replace(/\\(.)/gsu, '$1')).toBe(text);
        },
      ),
      runs(300),
    );
  });

  it('leaves no Markdown, mention or timestamp character bare, however the characters are arranged', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('*', '_', '~', '|', '`', '\\', '<', '@', 'a', ' ') }), (text) => {
        const bare = escapeUserText(text).replace(/\\./gsu, '');
        expect(bare).not.toMatch(/[*_~|`<@\\]/);
      }),
      runs(300),
    );
  });

  it('at most doubles the length', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100, size: 'max' }), (text) => {
        expect(escapeUserText(text).length).toBeLessThanOrEqual(2 * text.length);
      }),
      RUNS,
    );
  });
});
