/**
 * Checks that the trio bound (bench/trioBound.ts) is a bound, run by hand after changing it:
 * `npx tsx bench/checkTrioBound.ts`; about 45 minutes on one core, most of it in the integer
 * programs of 3; exit code 1 on any failure. Not a test: it is far too slow, and the bench only
 * reads the bounds it caches.
 *
 * 1. The pruned search for the largest reduced cost of a trio against a brute-force maximum over
 *    every trio, for random duals (not LP duals, so nothing about them is assumed). Prints the
 *    number of duals tried and of mismatches, each mismatch on its own line.
 * 2. The bound against the exact optimum (the integer program of test/support) on rounds of 9 to 30
 *    members of every population kind: it must be at least the best score of a grouping that
 *    relaxes nothing, whenever one exists (the optimum then relaxes nothing). Prints one line per
 *    size: how many rounds could be compared, and how far the bound is above the optimum.
 * 3. The same on 100 to 400 members, where the integer program may stop at its time limit: its
 *    grouping is then only a lower bound on the optimum, and the bound is still checked against it.
 *    Prints one line per round (with how integral a vertex of the LP optimum is: compare the
 *    bound's gap with it) and per size.
 *
 * Ends with "all checks passed" or the number of failures; a bound below a grouping is printed as
 * BOUND BELOW THE OPTIMUM.
 */
import { matchMembers } from '../src/core/matching.ts';
import type { MatchOptions } from '../src/core/matching.ts';
import { createScorer, encode } from '../src/core/matching/encode.ts';
import { exactGroupingIp, loadHighsSolver } from '../test/support/exactGroupingIp.ts';
import { simulatedHistory } from './history.ts';
import { DEFAULT_LANGUAGE, POPULATION_KINDS, generatePopulation } from './population.ts';
import { seededRandom } from '../src/core/random.ts';
import { allowedWeights, priceTrios, trioUpperBound } from './trioBound.ts';

const highs = await loadHighsSolver();
let failures = 0;

function checkSearch(): void {
  let trials = 0;
  let positive = 0;
  for (const kind of POPULATION_KINDS) {
    for (const n of [12, 40, 90]) {
      const members = generatePopulation(n, `search-${kind}-${n}`, kind);
      const { recentPairs } = simulatedHistory(members, `search-${kind}-${n}`, 3);
      const scorer = createScorer(encode(members, { defaultLanguage: DEFAULT_LANGUAGE, recentPairs }));
      const weights = allowedWeights(scorer, n);
      const random = seededRandom(`duals-${kind}-${n}`);
      for (let t = 0; t < 20; t++) {
        // Duals around a typical share of a trio's score, spread widely, with a random trio-count dual.
        const spread = 50 + 1000 * random();
        const duals = Float64Array.from({ length: n }, () => 700 + spread * (random() - 0.5));
        const mu = 600 * (random() - 0.5);
        let brute = -Infinity;
        for (let a = 0; a < n; a++) {
          for (let b = a + 1; b < n; b++) {
            if (weights[a * n + b]! < 0) continue;
            for (let c = b + 1; c < n; c++) {
              if (weights[a * n + c]! < 0 || weights[b * n + c]! < 0 || !scorer.commonLanguage3(a, b, c)) continue;
              const rc = weights[a * n + b]! + weights[a * n + c]! + weights[b * n + c]! - duals[a]! - duals[b]! - duals[c]! - mu;
              if (rc > brute) brute = rc;
            }
          }
        }
        const found = priceTrios(scorer, weights, n, duals, mu, 2, []);
        trials++;
        if (brute > 0) positive++;
        // Exact when positive; otherwise it only has to be at most 0 (0 stands in for it).
        const ok = brute > 0 ? Math.abs(found - brute) < 1e-9 : found <= 1e-9;
        if (!ok) {
          failures++;
          console.log(`  search MISMATCH ${kind} n=${n}: pruned ${found}, brute force ${brute}`);
        }
      }
    }
  }
  console.log(`1. pruned search vs brute force: ${trials} duals (${positive} with a positive maximum), ${failures} mismatches`);
}

async function checkAgainstExact(
  sizes: readonly number[],
  historyRounds: readonly number[],
  timeLimit: number,
  detail: boolean,
): Promise<void> {
  const seeds = historyRounds.length;
  for (const n of sizes) {
    const gaps: number[] = [];
    let withoutRelaxation = 0;
    let unproven = 0;
    for (const kind of POPULATION_KINDS) {
      for (let s = 0; s < seeds; s++) {
        const seed = `check-${kind}-${n}-${s}`;
        const members = generatePopulation(n, seed, kind);
        // Six rounds of history leave few small rounds a grouping that relaxes nothing: fewer here.
        const { recentPairs } = simulatedHistory(members, seed, 3, historyRounds[s % historyRounds.length]!);
        const options: MatchOptions = { seed, groupSize: 3, defaultLanguage: DEFAULT_LANGUAGE, recentPairs };
        const ours = matchMembers(members, options).groups.map((g) => [...g.memberIds]);
        const exact = exactGroupingIp(highs, members, options, { incumbent: ours, timeLimit });
        // Without a grouping that relaxes nothing the bound bounds an empty set: nothing to compare.
        if (exact.value.languageless > 0 || exact.value.repeats > 0) continue;
        withoutRelaxation++;
        if (!exact.proven) unproven++;
        const { bound, integrality } = await trioUpperBound(members, options, ours);
        const gap = bound / exact.value.score - 1;
        gaps.push(gap);
        if (!(bound >= exact.value.score - 1e-6)) {
          failures++;
          console.log(`  BOUND BELOW THE OPTIMUM ${kind} n=${n}: bound ${bound}, grouping ${exact.value.score}`);
        }
        if (detail) {
          console.log(
            `   ${kind.padEnd(11)} ${n}: ${exact.proven ? 'optimum' : 'best found'} ${exact.value.score}, bound ${bound.toFixed(1)} (+${(100 * gap).toFixed(3)}%)` +
              (integrality === undefined
                ? ''
                : `; LP vertex ${integrality.integralGroups} of ${integrality.groups} groups at 1, ${integrality.fractionalColumns} columns fractional`),
          );
        }
      }
    }
    const mean = gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length);
    const worst = Math.max(0, ...gaps);
    const tight = gaps.filter((g) => g < 1e-9).length;
    console.log(
      `   N=${n}: ${withoutRelaxation} of ${POPULATION_KINDS.length * seeds} rounds relax nothing at the optimum` +
        `${unproven > 0 ? ` (${unproven} not proven optimal)` : ''}; bound equal to it in ${tight}, above by ${(100 * mean).toFixed(3)}% on average, at most ${(100 * worst).toFixed(3)}%`,
    );
  }
}

checkSearch();
console.log('2. bound vs the exact optimum, 9 to 30 members, every kind, with 0, 1, 2 and 6 rounds of history');
await checkAgainstExact([9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30], [0, 1, 2, 6], 30, false);
console.log('3. bound vs the integer program at 100 to 400 members, every kind, 2 rounds of history (time limit 60 s each)');
await checkAgainstExact([100, 200, 400], [2], 60, true);
console.log(failures === 0 ? 'all checks passed' : `${failures} FAILURES`);
process.exitCode = failures === 0 ? 0 : 1;
