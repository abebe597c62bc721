/**
 * Pairing rounds: who meets whom. Pure: the same candidates, options and seed always give the
 * same groups, whatever order the candidates come in and whatever order the entries of each
 * member's lists are in.
 *
 * Hard constraints (a common language in every group, no pair that met in the last 6 rounds) hold
 * whenever some grouping satisfies them; otherwise they are relaxed in {@link RELAXATION_ORDER}
 * and each group reports what it relaxed. The matcher aims for the fewest relaxations in that
 * order (fewest groups without a common language, then fewest repeated pairs), then for the
 * highest total {@link pairWeight} over every pair inside every group: novelty first (see
 * {@link MatchOptions.lastMet}), then {@link preferenceScore}.
 */
import { seededRandom, shuffle } from './random.ts';
import { createScorer, encode } from './matching/encode.ts';
import { explainGroup, pairKey, preferenceScore } from './matching/score.ts';
import { solve } from './matching/solve.ts';
import type { SolveTuning } from './matching/solve.ts';
import { RELAXATION_ORDER } from './matching/types.ts';
import type { MatchCandidate, MatchGroup, MatchOptions, MatchResult, Relaxation } from './matching/types.ts';

export type {
  MatchCandidate,
  MatchGroup,
  MatchOptions,
  MatchReasons,
  MatchResult,
  PairOptions,
  Relaxation,
  UtcWindow,
} from './matching/types.ts';
export { NOVELTY_HORIZON, RELAXATION_ORDER } from './matching/types.ts';
export {
  MAX_PAIR_SCORE,
  NOVELTY_STEP,
  WEIGHTS,
  effectiveLanguages,
  explainGroup,
  explainPair,
  haveCommonLanguage,
  noveltyDeficit,
  pairKey,
  pairScore,
  pairWeight,
  preferenceScore,
} from './matching/score.ts';

/**
 * Splits the candidates into conversation groups for one round.
 *
 * Everyone is placed exactly once: with `groupSize` 2 in pairs plus one trio when the count is
 * odd; with 3 in trios, the remainder as one or two pairs. Only a lone candidate comes back in
 * `unmatched`.
 *
 * @throws RangeError when two candidates share a `userId`.
 */
export function matchMembers(candidates: readonly MatchCandidate[], options: MatchOptions, tuning?: SolveTuning): MatchResult {
  const ids = new Set<string>();
  for (const candidate of candidates) {
    if (ids.has(candidate.userId)) throw new RangeError(`duplicate candidate ${candidate.userId}`);
    ids.add(candidate.userId);
  }
  if (candidates.length < 2) {
    return { groups: [], relaxed: [], objective: 0, unmatched: candidates.map((c) => c.userId) };
  }

  // Sorting first makes the outcome independent of the order the caller happened to load members
  // in, and of the order of the entries in each member's lists.
  const sorted = candidates.map(canonical).sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const random = seededRandom(options.seed);
  const order = shuffle(sorted, random);
  const problem = encode(order, options);
  const indexGroups = solve(problem, createScorer(problem), options.groupSize, random, tuning);

  const groups = indexGroups.map((indices) =>
    describeGroup(
      indices.map((i) => order[i]!),
      options,
    ),
  );
  const relaxed = RELAXATION_ORDER.filter((kind) => groups.some((group) => group.relaxed.includes(kind)));
  const objective = groups.reduce((sum, group) => sum + group.score, 0);
  return { groups, relaxed, objective, unmatched: [] };
}

/** The candidate with each list sorted and without duplicates. */
function canonical(candidate: MatchCandidate): MatchCandidate {
  // A list already sorted without duplicates (short lists often are) is kept as it is: no copy.
  const tidy = (list: readonly string[]): readonly string[] => (strictlyAscending(list) ? list : [...new Set(list)].sort());
  return {
    userId: candidate.userId,
    languages: tidy(candidate.languages),
    cultures: tidy(candidate.cultures),
    curiousAbout: tidy(candidate.curiousAbout),
    interests: tidy(candidate.interests),
    utcOffsetMinutes: candidate.utcOffsetMinutes,
  };
}

function strictlyAscending(list: readonly string[]): boolean {
  for (let i = 1; i < list.length; i++) if (!(list[i - 1]! < list[i]!)) return false;
  return true;
}

function describeGroup(members: readonly MatchCandidate[], options: MatchOptions): MatchGroup {
  let score = 0;
  let repeat = false;
  for (let a = 0; a < members.length; a++) {
    for (let b = a + 1; b < members.length; b++) {
      const x = members[a]!;
      const y = members[b]!;
      score += preferenceScore(x, y);
      if (options.recentPairs.has(pairKey(x.userId, y.userId))) repeat = true;
    }
  }
  const reasons = explainGroup(members, options);
  const relaxed: Relaxation[] = [];
  if (repeat) relaxed.push('repeat-avoidance');
  if (reasons.sharedLanguages.length === 0) relaxed.push('common-language');
  return { memberIds: members.map((m) => m.userId), score, reasons, relaxed };
}
