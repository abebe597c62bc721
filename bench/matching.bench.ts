/**
 * Benchmark of the pairing round (`npm run bench`). Prints figures; asserts nothing.
 *
 * Small servers (N = 50, 100, 200, several seeds): our matcher and a seeded random pairing are
 * compared with the exact optimum (maximum-weight perfect matching, Edmonds' blossom) of the same
 * lexicographic problem: fewest language violations, then fewest repeats, then the largest
 * objective. N is even so that all three produce pairs only.
 * Large servers (10,000 and 50,000): time and heap of our matcher, objective against random.
 */
import { performance } from 'node:perf_hooks';
import { matchMembers, pairKey, preferenceScore, haveCommonLanguage, MAX_PAIR_SCORE } from '../src/core/matching.ts';
import type { MatchCandidate, MatchOptions } from '../src/core/matching.ts';
import { seededRandom, shuffle } from '../src/core/random.ts';
import { maxWeightPerfectMatching } from '../test/support/exactMatching.ts';
import { DEFAULT_LANGUAGE, generatePopulation } from './population.ts';

interface Evaluation {
  readonly objective: number;
  readonly repeats: number;
  readonly noLanguage: number;
  readonly crossCulture: number;
  readonly groups: number;
}

/** Recent pairs from 6 previous rounds, each matched by our matcher among ~85% of the members. */
function simulateHistory(members: readonly MatchCandidate[], seed: string, rounds = 6): Set<string> {
  const recent = new Set<string>();
  const random = seededRandom(`history:${seed}`);
  for (let r = 0; r < rounds; r++) {
    const active = members.filter(() => random() < 0.85);
    const result = matchMembers(active, {
      seed: `${seed}:round-${r}`,
      groupSize: 2,
      defaultLanguage: DEFAULT_LANGUAGE,
      recentPairs: recent,
    });
    for (const group of result.groups) {
      for (let a = 0; a < group.memberIds.length; a++) {
        for (let b = a + 1; b < group.memberIds.length; b++) recent.add(pairKey(group.memberIds[a]!, group.memberIds[b]!));
      }
    }
  }
  return recent;
}

function evaluate(groups: readonly (readonly MatchCandidate[])[], options: MatchOptions): Evaluation {
  let objective = 0;
  let repeats = 0;
  let noLanguage = 0;
  let crossCulture = 0;
  for (const group of groups) {
    let different = true;
    for (let a = 0; a < group.length; a++) {
      for (let b = a + 1; b < group.length; b++) {
        const x = group[a]!;
        const y = group[b]!;
        objective += preferenceScore(x, y);
        if (options.recentPairs.has(pairKey(x.userId, y.userId))) repeats++;
        if (!haveCommonLanguage(x, y, options.defaultLanguage)) noLanguage++;
        if (x.cultures.length === 0 || y.cultures.length === 0 || x.cultures.some((c) => y.cultures.includes(c))) different = false;
      }
    }
    if (different) crossCulture++;
  }
  return { objective, repeats, noLanguage, crossCulture: crossCulture / groups.length, groups: groups.length };
}

function ours(
  members: readonly MatchCandidate[],
  options: MatchOptions,
): { groups: MatchCandidate[][]; ms: number; cpuMs: number; heapMb: number } {
  const byId = new Map(members.map((m) => [m.userId, m]));
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = matchMembers(members, options);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  return { groups: result.groups.map((g) => g.memberIds.map((id) => byId.get(id)!)), ms, cpuMs: (used.user + used.system) / 1000, heapMb };
}

function randomPairs(members: readonly MatchCandidate[], seed: string): MatchCandidate[][] {
  const order = shuffle(members, seededRandom(`random:${seed}`));
  const groups: MatchCandidate[][] = [];
  for (let i = 0; i + 1 < order.length; i += 2) groups.push([order[i]!, order[i + 1]!]);
  if (order.length % 2 === 1) groups[groups.length - 1]!.push(order[order.length - 1]!);
  return groups;
}

function exact(members: readonly MatchCandidate[], options: MatchOptions): { groups: MatchCandidate[][]; ms: number } {
  const n = members.length;
  // Penalties large enough that the optimum is lexicographic over the whole matching.
  const repeatPenalty = (n / 2) * MAX_PAIR_SCORE + 1;
  const languagePenalty = repeatPenalty * (n / 2 + 1);
  const started = performance.now();
  const mate = maxWeightPerfectMatching(n, (i, j) => {
    const a = members[i]!;
    const b = members[j]!;
    let w = preferenceScore(a, b);
    if (options.recentPairs.has(pairKey(a.userId, b.userId))) w -= repeatPenalty;
    if (!haveCommonLanguage(a, b, options.defaultLanguage)) w -= languagePenalty;
    return w;
  });
  const ms = performance.now() - started;
  const groups: MatchCandidate[][] = [];
  mate.forEach((j, i) => {
    if (i < j) groups.push([members[i]!, members[j]!]);
  });
  return { groups, ms };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const pad = (s: string | number, width: number): string => String(s).padStart(width);

function smallServers(): void {
  console.log('Small servers: share of the exact optimum (pairs; N even), 5 seeds each');
  console.log(
    [
      'N',
      'seed',
      'ours/exact',
      'random/exact',
      'repeats ours',
      'avoidable',
      'repeats random',
      'no-lang ours/exact',
      'cross-culture ours',
      'random',
      'exact',
      'ms ours',
      'ms exact',
    ]
      .map((h, i) => pad(h, i < 2 ? 4 : 12))
      .join(' '),
  );
  for (const n of [50, 100, 200]) {
    let worst = Infinity;
    let sum = 0;
    let avoidable = 0;
    for (let s = 1; s <= 5; s++) {
      const seed = `bench-${n}-${s}`;
      const members = generatePopulation(n, seed);
      const options: MatchOptions = { seed, groupSize: 2, defaultLanguage: DEFAULT_LANGUAGE, recentPairs: simulateHistory(members, seed) };
      const o = ours(members, options);
      const e = exact(members, options);
      const ev = evaluate(o.groups, options);
      const ex = evaluate(e.groups, options);
      const rv = evaluate(randomPairs(members, seed), options);
      const ratio = ev.objective / ex.objective;
      const avoid = Math.max(0, ev.repeats - ex.repeats) + (ev.noLanguage > ex.noLanguage ? ev.noLanguage - ex.noLanguage : 0);
      worst = Math.min(worst, ratio);
      sum += ratio;
      avoidable += avoid;
      console.log(
        [
          pad(n, 4),
          pad(s, 4),
          pad(pct(ratio), 12),
          pad(pct(rv.objective / ex.objective), 12),
          pad(ev.repeats, 12),
          pad(avoid, 12),
          pad(rv.repeats, 12),
          pad(`${ev.noLanguage}/${ex.noLanguage}`, 12),
          pad(pct(ev.crossCulture), 12),
          pad(pct(rv.crossCulture), 12),
          pad(pct(ex.crossCulture), 12),
          pad(o.ms.toFixed(1), 12),
          pad(e.ms.toFixed(0), 12),
        ].join(' '),
      );
    }
    console.log(`  N=${n}: mean ${pct(sum / 5)} of exact, worst ${pct(worst)}, avoidable repeats/violations ${avoidable}`);
  }
}

function largeServers(): void {
  console.log('\nLarge servers (one core): our matcher vs random pairing');
  console.log(
    [
      'N',
      'size',
      'wall ms',
      'cpu ms',
      'heap MB',
      'objective',
      'random obj',
      'ours/random',
      'repeats',
      'rand repeats',
      'no-lang',
      'cross-culture',
      'random',
    ]
      .map((h) => pad(h, 12))
      .join(' '),
  );
  for (const [n, groupSize, historyRounds] of [
    [10_000, 2, 6],
    [10_000, 3, 6],
    [50_000, 2, 6],
  ] as const) {
    const seed = `bench-large-${n}`;
    const members = generatePopulation(n, seed);
    const options: MatchOptions = {
      seed,
      groupSize,
      defaultLanguage: DEFAULT_LANGUAGE,
      recentPairs: simulateHistory(members, seed, historyRounds),
    };
    const o = ours(members, options);
    const ev = evaluate(o.groups, options);
    const rv = evaluate(randomPairs(members, seed), options);
    console.log(
      [
        pad(n, 12),
        pad(groupSize, 12),
        pad(o.ms.toFixed(0), 12),
        pad(o.cpuMs.toFixed(0), 12),
        pad(o.heapMb.toFixed(0), 12),
        pad(ev.objective, 12),
        pad(rv.objective, 12),
        pad((ev.objective / rv.objective).toFixed(2), 12),
        pad(ev.repeats, 12),
        pad(rv.repeats, 12),
        pad(ev.noLanguage, 12),
        pad(pct(ev.crossCulture), 12),
        pad(pct(rv.crossCulture), 12),
      ].join(' '),
    );
  }
  console.log('(cpu ms includes GC threads; heap MB: whole-process heap used right after the round, population and history included)');
}

const started = performance.now();
smallServers();
largeServers();
console.log(`\nTotal bench time ${((performance.now() - started) / 1000).toFixed(1)} s`);
