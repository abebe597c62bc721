import { matchMembers, type MatchCandidate, type MatchOptions, type MatchResult } from '../core/matching.ts';

/** Runs the matcher; the bot runs large rounds in a worker thread so interactions keep being answered. */
export type Matcher = (candidates: readonly MatchCandidate[], options: MatchOptions) => Promise<MatchResult>;

export const inlineMatcher: Matcher = async (candidates, options) => matchMembers(candidates, options);
