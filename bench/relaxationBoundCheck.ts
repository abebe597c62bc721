/**
 * The matcher's relaxations on large rounds next to a lower bound on them (bench/relaxationBound.ts):
 * `npx tsx bench/relaxationBoundCheck.ts [maxSpeakers]`. Realistic populations of 1,000 to 10,000
 * members in trios, three seeds each, and two rounds of pairs; history from `randomHistory`, as in
 * section 4 of the matching benchmark. Where the two agree the matcher's relaxations are forced.
 *
 * "Extended" is an actual grouping of the round: the bound's sub-problem solution (the groups it
 * formed around the hard members) completed by the matcher on everyone else. It is an upper bound
 * on the optimum, so the optimum lies between "bound" and the better of "matcher" and "extended";
 * where "extended" meets the bound, that is the optimum. Prints; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { matchMembers } from '../src/core/matching.ts';
import type { MatchOptions } from '../src/core/matching.ts';
import { groupSizes, groupingValue } from '../test/support/exactGrouping.ts';
import { randomHistory } from './history.ts';
import { DEFAULT_LANGUAGE, generatePopulation } from './population.ts';
import { DEFAULT_MAX_SPEAKERS, relaxationLowerBound } from './relaxationBound.ts';

const ROUNDS: readonly { readonly n: number; readonly groupSize: 2 | 3 }[] = [
  ...[1000, 2000, 3000, 4000, 6000, 10000].map((n) => ({ n, groupSize: 3 as const })),
  ...[1000, 4000].map((n) => ({ n, groupSize: 2 as const })),
];
const SEEDS = (n: number): string[] => [`large-${n}`, `large-${n}-1`, `large-${n}-2`];

type Relaxations = { readonly languageless: number; readonly repeats: number };
const compare = (a: Relaxations, b: Relaxations): number => a.languageless - b.languageless || a.repeats - b.repeats;
const maxSpeakers = Number(process.argv[2] ?? DEFAULT_MAX_SPEAKERS);
const widths = [6, 6, 14, 9, 8, 9, 7, 6, 8, 8, 9, 10];
const row = (cells: readonly (string | number)[]): string => cells.map((c, i) => String(c).padStart(widths[i] ?? 8)).join(' ');

console.log(
  `Relaxations (language-less/repeats): matcher against a lower bound; hard members speak only languages of ≤ ${maxSpeakers} speakers`,
);
console.log(row(['N', 'mode', 'seed', 'matcher', 'match s', 'bound', 'proven', 'hard', 'columns', 'bound s', 'extended', 'optimum']));
for (const { n, groupSize } of ROUNDS) {
  for (const seed of SEEDS(n)) {
    const members = generatePopulation(n, seed);
    const { recentPairs } = randomHistory(members, seed);
    const options: MatchOptions = { seed, groupSize, defaultLanguage: DEFAULT_LANGUAGE, recentPairs };
    const started = performance.now();
    const groups = matchMembers(members, options).groups.map((g) => [...g.memberIds]);
    const matchSeconds = (performance.now() - started) / 1000;
    const ours = groupingValue(members, groups, options);
    const bound = await relaxationLowerBound(members, options, { maxSpeakers });
    const fixed = new Set(bound.groups.flat());
    const rest = members.filter((m) => !fixed.has(m.userId));
    const extendedGroups = [...bound.groups, ...matchMembers(rest, options).groups.map((g) => [...g.memberIds])];
    const sizes = groupSizes(n, groupSize);
    if (extendedGroups.flat().length !== n || extendedGroups.filter((g) => g.length === 3).length !== sizes.trios)
      throw new Error(`the extended grouping of ${seed} does not have the round's sizes`);
    const extended = groupingValue(members, extendedGroups, options);
    if (compare(bound, ours) > 0 || compare(bound, extended) > 0) throw new Error(`bound above a grouping on ${seed}`);
    const best = compare(extended, ours) < 0 ? extended : ours;
    const optimum =
      compare(bound, best) === 0
        ? `${best.languageless}/${best.repeats}`
        : `${bound.languageless}/${bound.repeats}..${best.languageless}/${best.repeats}`;
    console.log(
      row([
        n,
        groupSize === 2 ? 'pairs' : 'trios',
        seed,
        `${ours.languageless}/${ours.repeats}`,
        matchSeconds.toFixed(1),
        `${bound.languageless}/${bound.repeats}`,
        bound.proven ? 'yes' : 'no',
        bound.hardMembers,
        bound.columns,
        bound.seconds.toFixed(1),
        `${extended.languageless}/${extended.repeats}`,
        optimum,
      ]),
    );
  }
}
