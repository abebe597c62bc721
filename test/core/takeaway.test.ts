import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  groupConsent,
  shownTakeaways,
  tidyTakeaway,
  TAKEAWAY_MAX_LENGTH,
  TAKEAWAY_MIN_LENGTH,
  type TakeawayEntry,
} from '../../src/core/takeaway.ts';

const choice = fc.constantFrom<TakeawayEntry | undefined>(
  undefined,
  { choice: 'credited', text: 'learned a lot' },
  { choice: 'anonymous', text: 'learned a lot' },
  { choice: 'credited', withdrawn: true },
  { choice: 'declined' },
);

describe('groupConsent', () => {
  it('is ready only when every member agreed, and declined as soon as one member declined', () => {
    fc.assert(
      fc.property(fc.array(choice, { minLength: 2, maxLength: 3 }), (chosen) => {
        const memberIds = chosen.map((_, i) => `m${i}`);
        const entries: Record<string, TakeawayEntry> = {};
        chosen.forEach((entry, i) => {
          if (entry) entries[`m${i}`] = entry;
        });
        const consent = groupConsent(memberIds, entries);
        if (chosen.some((entry) => entry?.choice === 'declined')) expect(consent).toBe('declined');
        else if (chosen.some((entry) => entry === undefined)) expect(consent).toBe('waiting');
        else expect(consent).toBe('ready');
      }),
    );
  });

  it('ignores entries of people outside the group', () => {
    expect(groupConsent(['a', 'b'], { a: { choice: 'credited', text: 'x' }, z: { choice: 'declined' } })).toBe('waiting');
  });
});

describe('shownTakeaways', () => {
  it('shows shared texts in member order, credits only who asked, and never a withdrawn or declined one', () => {
    expect(
      shownTakeaways(['a', 'b', 'c', 'd'], {
        d: { choice: 'credited', text: 'from d' },
        a: { choice: 'anonymous', text: 'from a' },
        b: { choice: 'credited', withdrawn: true },
        c: { choice: 'declined' },
      }),
    ).toEqual([{ text: 'from a' }, { text: 'from d', authorId: 'd' }]);
  });
});

describe('tidyTakeaway', () => {
  it(`accepts ${TAKEAWAY_MIN_LENGTH} to ${TAKEAWAY_MAX_LENGTH} characters after trimming, counting code points`, () => {
    expect(tidyTakeaway('  short  ')).toEqual({ ok: false, length: 5 });
    expect(tidyTakeaway('x'.repeat(TAKEAWAY_MAX_LENGTH + 1))).toEqual({ ok: false, length: TAKEAWAY_MAX_LENGTH + 1 });
    expect(tidyTakeaway('🙂'.repeat(TAKEAWAY_MAX_LENGTH))).toEqual({ ok: true, text: '🙂'.repeat(TAKEAWAY_MAX_LENGTH) });
    expect(tidyTakeaway('  ten chars!  ')).toEqual({ ok: true, text: 'ten chars!' });
  });

  it('keeps at most one blank line in a row', () => {
    expect(tidyTakeaway('first line\r\n\r\n\r\n\nsecond line')).toEqual({ ok: true, text: 'first line\n\nsecond line' });
  });
});
