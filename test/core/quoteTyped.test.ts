import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteTyped, TYPED_QUOTE_MAX } from '../../src/core/quoteTyped.ts';

describe('quoteTyped', () => {
  it('quotes what was typed in a code span', () => {
    expect(quoteTyped('Mars/Olympus')).toBe('`Mars/Olympus`');
    expect(quoteTyped('**bold** <@123> @everyone')).toBe('`**bold** <@123> @everyone`');
  });

  it('shortens a long paste to the limit, with an ellipsis, on one line', () => {
    const quoted = quoteTyped(`${'a'.repeat(2500)}\n${'b'.repeat(10)}`);
    expect(quoted).toBe(`\`${'a'.repeat(TYPED_QUOTE_MAX - 1)}…\``);
    expect(quoteTyped('one\ntwo')).toBe('`one two`');
  });

  it('keeps the code span closed whatever was typed, and never cuts a character in half', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (typed) => {
        const quoted = quoteTyped(typed);
        const inside = quoted.slice(1, -1);
        expect(quoted.startsWith('`') && quoted.endsWith('`')).toBe(true);
        expect(inside).not.toContain('`');
        expect(inside).not.toBe('');
        expect([...inside].length).toBeLessThanOrEqual(TYPED_QUOTE_MAX);
        expect(/[\uD800-\uDFFF]/u.test(quoted)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
