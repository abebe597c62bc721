/** Longest quotation of typed text in a reply, in code points: enough to recognise what was typed. */
export const TYPED_QUOTE_MAX = 50;

/**
 * What someone typed, quoted in a reply that tells them what was wrong with it: in a code span, so
 * nothing in it renders as Markdown, a mention or a timestamp; on one line; and at most `max` code
 * points, ending in an ellipsis when shortened, so a pasted essay can never push the reply past
 * Discord's 2,000 characters. A code span cannot contain its own delimiter, so backticks are shown
 * as the look-alike `ˋ`.
 */
export function quoteTyped(typed: string, max = TYPED_QUOTE_MAX): string {
  const oneLine = typed.replace(/\s+/g, ' ').trim().replaceAll('`', 'ˋ');
  const codePoints = [...oneLine];
  const shown =
    codePoints.length <= max
      ? oneLine
      : `${codePoints
          .slice(0, Math.max(0, max - 1))
          .join('')
          .trimEnd()}…`;
  // An empty code span would show its two backticks; a space keeps it a (blank) span.
  return `\`${shown === '' ? ' ' : shown}\``;
}
