/**
 * Problems a member or moderator can fix, as codes with the values their message needs. The
 * services and the pure core return or throw these; the Discord edge turns them into text in the
 * reader's language (locales/<locale>/errors.json holds one message per code).
 */
import type { Failure } from './failure.ts';
import type { TakeawayProblemCode } from './takeawayProblems.ts';

export const PROBLEM_CODES = [
  'not-in-server',
  'command-unavailable',
  'missing-permission',
  'button-expired',
  'button-expired-run',
  'form-expired',
  'unknown-subcommand',
  'check-in-gone',
  'check-in-not-yours',
  'prompts-not-set-up',
  'pairing-not-set-up',
  'round-in-progress',
  'bad-frequency',
  'bad-weekday',
  'bad-group-size',
  'bad-check-in-days',
  'bad-time',
  'bad-time-zone',
  'unknown-theme',
  'ambiguous-theme',
  'bad-feature',
  'bad-language',
  'prompt-channel-wrong-type',
  'pairing-channel-wrong-type',
  'prompt-channel-missing-permissions',
  'pairing-channel-missing-permissions',
  'prompt-not-posted',
  'prompt-not-posted-retry',
  'profile-needed',
  'bad-pause-weeks',
  'not-in-exchange',
  'profile-markup',
  'profile-entry-too-long',
  'profile-too-many-entries',
  'profile-bad-time-zone',
  // Namespaced codes keep their texts in their own namespace (here locales/<locale>/weeks.json).
  'weeks:bad-days',
  'weeks:role-and-remove',
  'weeks:role-everyone',
  'weeks:role-not-mentionable',
] as const;

/**
 * Problems of server prompts and suggestions; their messages live in their own namespace
 * (locales/<locale>/suggestions.json, under `errors`).
 */
export const SUGGESTION_PROBLEM_CODES = [
  'packs-text-too-short',
  'packs-text-too-long',
  'packs-duplicate',
  'packs-full',
  'packs-unknown-prompt',
  'packs-already-off',
  'packs-not-off',
  'packs-file-unreadable',
  'suggestions-not-set-up',
  'suggestions-too-many-pending',
  'suggestions-channel-wrong-type',
  'suggestions-channel-missing-permissions',
  'suggestions-not-posted',
  'suggestion-gone',
  'suggestion-already-decided',
  'suggestions-review-not-allowed',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number] | (typeof SUGGESTION_PROBLEM_CODES)[number] | TakeawayProblemCode;

/**
 * A value a message is built from. Plain strings are shown as they are (what a person typed is
 * quoted by the message itself); the tagged kinds are rendered in the reader's language.
 */
export type ProblemValue =
  | string
  | number
  | { readonly typed: string }
  | { readonly permission: string }
  | { readonly permissions: readonly string[] }
  | { readonly failure: Failure }
  /** What a moderator can do about a prompt that failed this way. */
  | { readonly fix: Failure }
  | { readonly codes: readonly string[] };

export interface Problem {
  readonly code: ProblemCode;
  readonly values?: Readonly<Record<string, ProblemValue>>;
}

export function problem(code: ProblemCode, values?: Readonly<Record<string, ProblemValue>>): Problem {
  return values === undefined ? { code } : { code, values };
}
