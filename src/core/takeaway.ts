/**
 * Takeaways: what a member learned in a conversation, shared in the server's takeaways channel only
 * when every member of the group agreed. Pure: the rule and the bounds, no storage, no Discord.
 */

/** Shortest and longest takeaway, in characters after trimming. */
export const TAKEAWAY_MIN_LENGTH = 10;
export const TAKEAWAY_MAX_LENGTH = 400;

/** What each member chose: share with their name, share without it, or keep the group's takeaways private. */
export const TAKEAWAY_CHOICES = ['credited', 'anonymous', 'declined'] as const;
export type TakeawayChoice = (typeof TAKEAWAY_CHOICES)[number];

export interface TakeawayEntry {
  readonly choice: TakeawayChoice;
  /** Absent when declined or withdrawn: the text is deleted, not hidden. */
  readonly text?: string | undefined;
  /** The member took their text back; their agreement to the group's post stands. */
  readonly withdrawn?: boolean | undefined;
}

/** What a group's choices allow: wait for someone, never post (someone declined), or post. */
export type GroupConsent = 'waiting' | 'declined' | 'ready';

/** One member declining means nothing of the group is ever posted; posting waits for every member. */
export function groupConsent(memberIds: readonly string[], entries: Readonly<Record<string, TakeawayEntry>>): GroupConsent {
  const chosen = memberIds.map((id) => entries[id]);
  if (chosen.some((entry) => entry?.choice === 'declined')) return 'declined';
  if (chosen.some((entry) => entry === undefined)) return 'waiting';
  return 'ready';
}

/** The takeaways that would be shown, in the group's member order: shared and not withdrawn. */
export function shownTakeaways(
  memberIds: readonly string[],
  entries: Readonly<Record<string, TakeawayEntry>>,
): { readonly text: string; readonly authorId?: string }[] {
  return memberIds.flatMap((id) => {
    const entry = entries[id];
    if (!entry || entry.choice === 'declined' || entry.withdrawn === true || entry.text === undefined) return [];
    return [entry.choice === 'credited' ? { text: entry.text, authorId: id } : { text: entry.text }];
  });
}

/**
 * A takeaway as typed, tidied (trimmed, at most one blank line in a row), or why it is refused.
 * Markdown and mentions are neutralised when the text is shown, not here, so what is stored is what
 * the member wrote.
 */
export function tidyTakeaway(typed: string): { ok: true; text: string } | { ok: false; length: number } {
  const text = typed
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const length = [...text].length;
  if (length < TAKEAWAY_MIN_LENGTH || length > TAKEAWAY_MAX_LENGTH) return { ok: false, length };
  return { ok: true, text };
}
