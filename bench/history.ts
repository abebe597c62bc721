/**
 * Previous rounds for benchmark instances, built the way the round service builds its inputs:
 * `recentPairs` from the last 6 rounds and `lastMet` (how many rounds ago each pair last met).
 */
import { effectiveLanguages, matchMembers, pairKey } from '../src/core/matching.ts';
import type { MatchCandidate } from '../src/core/matching.ts';
import { seededRandom, shuffle } from '../src/core/random.ts';
import { DEFAULT_LANGUAGE } from './population.ts';

/** The window of rounds in which a pair counts as recent (the service's REPEAT_WINDOW_ROUNDS). */
export const REPEAT_WINDOW = 6;

export interface History {
  readonly recentPairs: Set<string>;
  readonly lastMet: Map<string, number>;
}

/** The inputs a service derives from previous rounds, newest last. */
export function historyOf(rounds: readonly (readonly (readonly string[])[])[]): History {
  const recentPairs = new Set<string>();
  const lastMet = new Map<string, number>();
  rounds.forEach((groups, index) => {
    const ago = rounds.length - index;
    for (const group of groups) {
      for (let a = 0; a < group.length; a++) {
        for (let b = a + 1; b < group.length; b++) {
          const key = pairKey(group[a]!, group[b]!);
          if (ago <= REPEAT_WINDOW) recentPairs.add(key);
          lastMet.set(key, ago);
        }
      }
    }
  });
  return { recentPairs, lastMet };
}

/**
 * Six previous rounds matched by the matcher itself among about 85% of the members each (some
 * always skip a round), so the recent pairs are the pairs it likes best: the realistic case.
 */
export function simulatedHistory(members: readonly MatchCandidate[], seed: string, groupSize: 2 | 3, rounds = REPEAT_WINDOW): History {
  const random = seededRandom(`history:${seed}`);
  const previous: string[][][] = [];
  for (let r = 0; r < rounds; r++) {
    const active = members.filter(() => random() < 0.85);
    const { recentPairs, lastMet } = historyOf(previous);
    const result = matchMembers(active, { seed: `${seed}:round-${r}`, groupSize, defaultLanguage: DEFAULT_LANGUAGE, recentPairs, lastMet });
    previous.push(result.groups.map((g) => [...g.memberIds]));
  }
  return historyOf(previous);
}

/**
 * Six previous rounds of random pairs within each language, among about 85% of the members: for
 * large servers, where replaying the matcher six times would dominate the benchmark, and where the
 * instance must not change when the matcher does (its upper bound is computed once and cached).
 */
export function randomHistory(members: readonly MatchCandidate[], seed: string, rounds = REPEAT_WINDOW): History {
  const random = seededRandom(`random-history:${seed}`);
  const previous: string[][][] = [];
  for (let r = 0; r < rounds; r++) {
    const byLanguage = new Map<string, string[]>();
    for (const member of shuffle(members, random)) {
      if (random() > 0.85) continue;
      const language = effectiveLanguages(member, DEFAULT_LANGUAGE)[0]!;
      const list = byLanguage.get(language) ?? [];
      list.push(member.userId);
      byLanguage.set(language, list);
    }
    const groups: string[][] = [];
    for (const list of byLanguage.values()) for (let i = 0; i + 1 < list.length; i += 2) groups.push([list[i]!, list[i + 1]!]);
    previous.push(groups);
  }
  return historyOf(previous);
}
