import { escapeMarkdown } from 'discord.js';

/**
 * Discord's limits on what a bot sends, in one place. Lengths are compared with JavaScript's
 * `length` (UTF-16 code units), which is never less than the count of code points Discord measures,
 * so text that fits here fits there whichever way it is counted.
 */
export const DISCORD_LIMITS = {
  messageContent: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthor: 256,
  /** Titles, descriptions, field names and values, footers and author names of all a message's embeds. */
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  threadName: 100,
  modalTitle: 45,
  modalComponents: 5,
  labelText: 45,
  labelDescription: 100,
  textInputPlaceholder: 100,
  textInputValue: 4000,
  /** Autocomplete answers and an option's fixed choices alike. */
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  commandName: 32,
  commandDescription: 100,
  optionName: 32,
  optionDescription: 100,
  commandOptions: 25,
  stringOptionLength: 6000,
} as const;

// What must stay whole when text is cut: Discord's <…> tokens (user, role and channel mentions,
// timestamps, custom emoji, command mentions) and a backslash with the character it escapes.
// Everything else is cut between graphemes, so neither a surrogate pair nor an emoji sequence splits.
const UNBREAKABLE = /<(?:@[!&]?\d+|#\d+|t:-?\d+(?::[a-zA-Z])?|a?:\w+:\d+|\/[^<>\n]+?:\d+)>|\\./gsu;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

function atomsOf(text: string): string[] {
  const atoms: string[] = [];
  const pushGraphemes = (part: string) => {
    for (const { segment } of graphemes.segment(part)) atoms.push(segment);
  };
  let at = 0;
  for (const match of text.matchAll(UNBREAKABLE)) {
    pushGraphemes(text.slice(at, match.index));
    atoms.push(match[0]);
    at = match.index + match[0].length;
  }
  pushGraphemes(text.slice(at));
  return atoms;
}

/**
 * `text` if it fits in `max`, else its longest beginning that does, followed by `ellipsis`. The cut
 * never splits a character, a mention, a timestamp or a Markdown escape, and drops the whitespace
 * before the ellipsis.
 */
export function fitText(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  const mark = ellipsis.length <= max ? ellipsis : '';
  const room = max - mark.length;
  const kept: string[] = [];
  let length = 0;
  for (const atom of atomsOf(text)) {
    if (length + atom.length > room) break;
    kept.push(atom);
    length += atom.length;
  }
  while (kept.length > 0 && /^\s+$/u.test(kept[kept.length - 1] ?? '')) kept.pop();
  return kept.join('') + mark;
}

// Characters that start Markdown, a mention or a timestamp wherever they stand.
const INLINE_SYNTAX = new Set(['*', '_', '~', '|', '`', '<', '@']);

/**
 * Member or moderator text made literal for a message or an embed: discord.js' escapeMarkdown,
 * with the line-start syntax it leaves alone by default (headings, lists, masked links), then a
 * pass for what it misses: characters it leaves bare in longer runs (`____` comes back as
 * `\_\_\__`, whose last `_` can still pair with another), `<` (mentions, timestamps, custom
 * emoji), `@` (@everyone renders highlighted even when it does not ping), block quotes and `-#`.
 */
export function escapeUserText(text: string): string {
  const escaped = escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
  let result = '';
  const characters = [...escaped];
  for (let index = 0; index < characters.length; index++) {
    const character = characters[index] ?? '';
    if (character === '\\') {
      // escapeMarkdown doubled every backslash that was typed, so each one here starts an escape.
      result += character + (characters[++index] ?? '');
    } else {
      result += INLINE_SYNTAX.has(character) ? `\\${character}` : character;
    }
  }
  return result.replace(/^([ \t]*)(>|-#)/gm, '$1\\$2');
}

/**
 * The longest text Bridges' own slash-command options and form fields accept, declared as their
 * `max_length` so Discord refuses more before Bridges sees it (the builders still handle more).
 */
export const INPUT_MAX_LENGTH = {
  /** The longest IANA name is about 30 characters. */
  timeZone: 64,
  /** Eight entries of 40 characters with their commas take 334; room for spaces around them. */
  profileList: 500,
  /** All eight theme titles with their commas take 173. */
  themeList: 300,
  /** `HH:MM`. */
  timeOfDay: 5,
} as const;

/**
 * Why Bridges turned a feature off is worded from Discord's errors, whose length Bridges does not
 * control; this much says it without crowding out the rest of a reply.
 */
export const REASON_MAX_LENGTH = 300;

/** The `max_length` of an option with fixed choices: its longest choice. */
export function longestChoice(choices: readonly { readonly value: string }[]): number {
  return Math.max(1, ...choices.map((choice) => choice.value.length));
}
