/**
 * Benchmark of the pairing round (`npm run bench`). Prints figures; asserts nothing.
 *
 * 1. Small rounds (9 to 30 members), trios and odd counts of pairs, against the exact optimum of
 *    an integer program (HiGHS): share of the optimum and avoidable relaxations.
 * 2. Each population kind at 50, 100, 200 and 400 members, pairs and trios, against the exact
 *    optimum (Edmonds' blossom for pairs, the integer program for trios; where HiGHS does not prove
 *    optimality within its time limit, against the LP bound, marked ≥). The matcher solves even
 *    rounds of pairs of up to 400 members with the same blossom, so for pairs this checks its
 *    encoding of the round and its penalties, weighed here from the profiles instead.
 * 3. Twenty successive rounds of a stable membership of 40 and 80: distinct partners and rounds
 *    until a member first meets someone again, with `lastMet` built as the service builds it.
 * 4. 10,000 and 50,000 members, pairs and trios: time on one core and share of an LP upper bound,
 *    for trios with how many groups a vertex of that LP's optimum takes whole
 *    (`npx tsx bench/matching.bench.ts --bounds` computes missing bounds into
 *    bench/upper-bounds.json, `--bounds=N` those up to N members; trio bounds only up to
 *    TRIO_BOUND_MAX_MEMBERS). `--only-large` runs this section alone.
 *
 * These options are this script's: `npm run bench -- --prove` would hand them to the last bench of
 * the chain. `--prove` gives HiGHS up to 400,000 columns and 300 s for each trio round of section 2
 * instead of 25,000 and 5 to 10 s, so that it proves more of them optimal (the run then takes an
 * hour or so).
 *
 * Section 2 also matches each of its rounds with five other seeds and counts what is avoidable there.
 *
 * "Avoidable" compares our relaxations with the optimum's: language-less groups first, then
 * repeated pairs, as the matcher ranks them. In section 2 the optimum's are the fewest known:
 * HiGHS's grouping, unless one of the other seeds' relaxes less (HiGHS proves its grouping only
 * within a time limit, and on rounds of 200 and 400 members it often does not). Sections 1 and 2 compare the preference objective, so
 * the rounds there get `recentPairs` only (with `lastMet` the matcher puts novelty first).
 */
import { loadavg, cpus } from 'node:os';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { haveCommonLanguage, matchMembers, pairKey } from '../src/core/matching.ts';
import type { MatchCandidate, MatchOptions } from '../src/core/matching.ts';
import { exactPairing, groupingValue } from '../test/support/exactGrouping.ts';
import type { GroupingValue } from '../test/support/exactGrouping.ts';
import { exactGroupingIp, loadHighsSolver } from '../test/support/exactGroupingIp.ts';
import type { Highs } from '../test/support/exactGroupingIp.ts';
import { historyOf, randomHistory, simulatedHistory } from './history.ts';
import { DEFAULT_LANGUAGE, POPULATION_KINDS, generatePopulation } from './population.ts';
import { trioUpperBound } from './trioBound.ts';
import type { LpIntegrality, TrioUpperBound } from './trioBound.ts';
import { upperBound } from './upperBound.ts';

/** Seeds besides the round's own that section 2 also matches each round with. */
const OTHER_SEEDS = 5;
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const pad = (s: string | number, width: number): string => String(s).padStart(width);
const row = (cells: readonly (string | number)[], widths: readonly number[]): string =>
  cells.map((c, i) => pad(c, widths[i] ?? 10)).join(' ');

interface Timed<T> {
  readonly value: T;
  readonly wallMs: number;
  readonly cpuMs: number;
}

function timed<T>(run: () => T): Timed<T> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = run();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

function ours(members: readonly MatchCandidate[], options: MatchOptions): Timed<string[][]> {
  return timed(() => matchMembers(members, options).groups.map((g) => [...g.memberIds]));
}

interface Comparison {
  readonly ours: GroupingValue;
  readonly exact: GroupingValue;
  /** Ours over the exact score, or over the LP bound (a lower bound on the share) when not proven. */
  readonly ratio: number;
  readonly proven: boolean;
  readonly avoidableLanguageless: number;
  readonly avoidableRepeats: number;
  readonly oursMs: number;
  readonly exactMs: number;
}

/** Columns HiGHS may generate for a round's integer program (more with `--prove`). */
const IP_COLUMNS = 25_000;
const PROVE = process.argv.includes('--prove');
const PROVE_COLUMNS = 400_000;
const PROVE_SECONDS = 300;

function compare(
  highs: Highs,
  members: readonly MatchCandidate[],
  options: MatchOptions,
  ipTimeLimit: number,
  maxColumns = IP_COLUMNS,
): Comparison {
  const run = ours(members, options);
  const mine = groupingValue(members, run.value, options);
  const started = performance.now();
  let exact: GroupingValue;
  let proven = true;
  let bound = Infinity;
  if (options.groupSize === 2 && members.length % 2 === 0) {
    exact = groupingValue(members, exactPairing(members, options), options);
  } else {
    const ip = exactGroupingIp(highs, members, options, { incumbent: run.value, timeLimit: ipTimeLimit, maxColumns });
    exact = ip.value;
    proven = ip.proven;
    bound = ip.scoreBound;
  }
  const exactMs = performance.now() - started;
  const sameRelaxations = mine.languageless === exact.languageless && mine.repeats === exact.repeats;
  const avoidableLanguageless = Math.max(0, mine.languageless - exact.languageless);
  const avoidableRepeats = mine.languageless === exact.languageless ? Math.max(0, mine.repeats - exact.repeats) : 0;
  // With the same relaxations the scores compare; otherwise the share is not meaningful (shown as -),
  // and neither is it when an LP stopped at its time limit and left no bound.
  const ratio =
    !sameRelaxations || (!proven && !Number.isFinite(bound))
      ? NaN
      : proven
        ? mine.score / exact.score
        : mine.score / Math.max(bound, exact.score);
  return { ours: mine, exact, ratio, proven, avoidableLanguageless, avoidableRepeats, oursMs: run.wallMs, exactMs };
}

async function smallRounds(highs: Highs): Promise<void> {
  console.log('\n1. Small rounds against the exact optimum (integer program, HiGHS); history: 6 rounds by the matcher');
  const widths = [5, 12, 6, 10, 10, 10, 10, 8, 10];
  console.log(row(['N', 'mode', 'rounds', 'mean', 'worst', 'avoid. lang', 'avoid. rep', 'proven', 'ours ms'], widths));
  for (const n of [9, 12, 15, 18, 21, 24, 27, 30]) {
    for (const mode of ['trios', 'odd pairs'] as const) {
      const size = mode === 'odd pairs' && n % 2 === 0 ? n + 1 : n;
      const groupSize = mode === 'trios' ? 3 : 2;
      const results: Comparison[] = [];
      for (let s = 0; s < 4; s++) {
        const kind = POPULATION_KINDS[s]!;
        const seed = `small-${kind}-${size}-${groupSize}-${s}`;
        const members = generatePopulation(size, seed, kind);
        const { recentPairs } = simulatedHistory(members, seed, groupSize);
        results.push(compare(highs, members, { seed, groupSize, defaultLanguage: DEFAULT_LANGUAGE, recentPairs }, 10));
      }
      printSummary([pad(size, widths[0]!), pad(mode, widths[1]!), pad(results.length, widths[2]!)], results, widths.slice(3));
    }
  }
}

function printSummary(head: readonly string[], results: readonly Comparison[], widths: readonly number[]): void {
  const ratios = results.map((r) => r.ratio).filter((r) => !Number.isNaN(r));
  const mean = ratios.length > 0 ? ratios.reduce((a, b) => a + b, 0) / ratios.length : NaN;
  const worst = ratios.length > 0 ? Math.min(...ratios) : NaN;
  const unproven = results.some((r) => !r.proven);
  const mark = unproven ? '≥' : '';
  console.log(
    [
      ...head,
      pad(Number.isNaN(mean) ? '-' : mark + pct(mean), widths[0]!),
      pad(Number.isNaN(worst) ? '-' : mark + pct(worst), widths[1]!),
      pad(
        results.reduce((a, r) => a + r.avoidableLanguageless, 0),
        widths[2]!,
      ),
      pad(
        results.reduce((a, r) => a + r.avoidableRepeats, 0),
        widths[3]!,
      ),
      pad(`${results.filter((r) => r.proven).length}/${results.length}`, widths[4]!),
      pad((results.reduce((a, r) => a + r.oursMs, 0) / results.length).toFixed(0), widths[5]!),
    ].join(' '),
  );
}

async function populationKinds(highs: Highs): Promise<void> {
  console.log('\n2. Each population kind against the exact optimum (blossom for pairs, integer program for trios)');
  console.log(
    `   ≥: HiGHS did not prove optimality within its limit (${PROVE ? `--prove: ${PROVE_COLUMNS.toLocaleString('en')} columns, ${PROVE_SECONDS} s` : `${IP_COLUMNS.toLocaleString('en')} columns, 5 to 10 s; --prove for more`}); the share is then of the LP bound, a lower bound on the true share (-, if even the LP ran out of time)`,
  );
  console.log(
    `   lang, rep: ours / the fewest known (HiGHS's grouping or, where fewer, one of ${OTHER_SEEDS} other seeds' of the matcher); avoid.: ours beyond that`,
  );
  const widths = [12, 5, 6, 10, 10, 8, 8, 10, 10, 10];
  console.log(row(['kind', 'N', 'mode', 'share', 'lang', 'avoid.', 'rep', 'avoid.', 'ours ms', 'exact ms'], widths));
  const totals = { avoidableLanguageless: 0, avoidableRepeats: 0, worst: Infinity, count: 0 };
  // The matcher is seeded per round: the same rounds with other seeds show how often a relaxation is left that another grouping avoids.
  const otherSeeds = { runs: 0, languageless: 0, languagelessRuns: 0, repeats: 0, repeatRuns: 0 };
  for (const kind of POPULATION_KINDS) {
    for (const n of [50, 100, 200, 400]) {
      for (const groupSize of [2, 3] as const) {
        const seed = `kind-${kind}-${n}-${groupSize}`;
        const members = generatePopulation(n, seed, kind);
        const { recentPairs } = simulatedHistory(members, seed, groupSize);
        const [ipSeconds, ipColumns] = PROVE ? [PROVE_SECONDS, PROVE_COLUMNS] : [n >= 200 ? 5 : 10, IP_COLUMNS];
        const r = compare(highs, members, { seed, groupSize, defaultLanguage: DEFAULT_LANGUAGE, recentPairs }, ipSeconds, ipColumns);
        const others = Array.from({ length: OTHER_SEEDS }, (_, s) => {
          const options: MatchOptions = { seed: `${seed}#${s + 1}`, groupSize, defaultLanguage: DEFAULT_LANGUAGE, recentPairs };
          return groupingValue(members, ours(members, options).value, options);
        });
        // Where HiGHS does not prove its grouping optimal, another seed's may relax less: the fewest
        // relaxations known are the yardstick.
        const fewest = [r.exact, ...others].reduce((best, v) =>
          v.languageless < best.languageless || (v.languageless === best.languageless && v.repeats < best.repeats) ? v : best,
        );
        const avoidable = (value: GroupingValue): { languageless: number; repeats: number } => ({
          languageless: Math.max(0, value.languageless - fewest.languageless),
          repeats: value.languageless === fewest.languageless ? Math.max(0, value.repeats - fewest.repeats) : 0,
        });
        const main = avoidable(r.ours);
        // A share of HiGHS's score level means nothing once a grouping with fewer relaxations is known.
        const ratio = fewest.languageless === r.exact.languageless && fewest.repeats === r.exact.repeats ? r.ratio : NaN;
        totals.avoidableLanguageless += main.languageless;
        totals.avoidableRepeats += main.repeats;
        if (!Number.isNaN(ratio)) totals.worst = Math.min(totals.worst, ratio);
        totals.count++;
        for (const value of others) {
          const { languageless, repeats } = avoidable(value);
          otherSeeds.runs++;
          otherSeeds.languageless += languageless;
          otherSeeds.languagelessRuns += languageless > 0 ? 1 : 0;
          otherSeeds.repeats += repeats;
          otherSeeds.repeatRuns += repeats > 0 ? 1 : 0;
        }
        console.log(
          row(
            [
              kind,
              n,
              groupSize === 2 ? 'pairs' : 'trios',
              Number.isNaN(ratio) ? '-' : (r.proven ? '' : '≥') + pct(ratio),
              `${r.ours.languageless}/${fewest.languageless}`,
              main.languageless,
              `${r.ours.repeats}/${fewest.repeats}`,
              main.repeats,
              r.oursMs.toFixed(0),
              r.exactMs.toFixed(0),
            ],
            widths,
          ),
        );
      }
    }
  }
  console.log(
    `   ${totals.count} rounds: worst share ${pct(totals.worst)}, avoidable language-less groups ${totals.avoidableLanguageless}, avoidable repeats ${totals.avoidableRepeats}`,
  );
  console.log(
    `   the same rounds with ${OTHER_SEEDS} other seeds each (${otherSeeds.runs} runs): avoidable language-less groups ${otherSeeds.languageless} (in ${otherSeeds.languagelessRuns} runs), avoidable repeats ${otherSeeds.repeats} (in ${otherSeeds.repeatRuns} runs)`,
  );
}

/** Twenty rounds of the same members, each round fed the history of the ones before, as the service does. */
function novelty(): void {
  console.log('\n3. Twenty successive rounds of the same members (realistic kind)');
  console.log(
    '   distinct: partners met over all partner slots, capped at N - 1; first repeat: the round in which a member first meets someone again',
  );
  console.log("   most recycled: the largest share of one round's pairs that had all formed together in one earlier round");
  const widths = [5, 6, 12, 10, 10, 12, 12, 8, 14, 10];
  console.log(
    row(['N', 'mode', 'history', 'distinct', 'same lang', 'worst member', 'first repeat', 'median', 'never (of N)', 'recycled'], widths),
  );
  for (const n of [40, 80]) {
    const members = generatePopulation(n, `novelty-${n}`);
    for (const groupSize of [2, 3] as const) {
      for (const withLastMet of [true, false]) {
        const stats = successiveRounds(members, groupSize, 20, withLastMet);
        console.log(
          row(
            [
              n,
              groupSize === 2 ? 'pairs' : 'trios',
              withLastMet ? 'lastMet' : 'recent only',
              pct(stats.distinct),
              pct(stats.distinctReachable),
              pct(stats.worstMember),
              stats.firstRepeat === Infinity ? '>20' : stats.firstRepeat,
              stats.medianFirstRepeat === Infinity ? '>20' : stats.medianFirstRepeat,
              stats.never,
              pct(stats.mostRecycled),
            ],
            widths,
          ),
        );
      }
    }
  }
}

function successiveRounds(
  members: readonly MatchCandidate[],
  groupSize: 2 | 3,
  rounds: number,
  withLastMet: boolean,
): {
  distinct: number;
  distinctReachable: number;
  worstMember: number;
  firstRepeat: number;
  medianFirstRepeat: number;
  never: number;
  mostRecycled: number;
} {
  const previous: string[][][] = [];
  const met = new Map<string, Set<string>>(members.map((m) => [m.userId, new Set<string>()]));
  const slots = new Map<string, number>(members.map((m) => [m.userId, 0]));
  const firstRepeat = new Map<string, number>();
  const earlier: Set<string>[] = [];
  let mostRecycled = 0;
  for (let r = 1; r <= rounds; r++) {
    const { recentPairs, lastMet } = historyOf(previous);
    const result = matchMembers(members, {
      seed: `guild:${r}`,
      groupSize,
      defaultLanguage: DEFAULT_LANGUAGE,
      recentPairs,
      lastMet: withLastMet ? lastMet : undefined,
    });
    const groups = result.groups.map((g) => [...g.memberIds]);
    const pairs = new Set<string>();
    for (const group of groups) {
      for (const x of group) {
        slots.set(x, slots.get(x)! + group.length - 1);
        for (const y of group) {
          if (x === y) continue;
          if (met.get(x)!.has(y) && !firstRepeat.has(x)) firstRepeat.set(x, r);
          met.get(x)!.add(y);
          if (x < y) pairs.add(pairKey(x, y));
        }
      }
    }
    for (const before of earlier) {
      let shared = 0;
      for (const key of pairs) if (before.has(key)) shared++;
      mostRecycled = Math.max(mostRecycled, shared / pairs.size);
    }
    earlier.push(pairs);
    previous.push(groups);
  }
  let distinct = 0;
  let possible = 0;
  let worstMember = 1;
  let distinctReachable = 0;
  let reachable = 0;
  const byId = new Map(members.map((m) => [m.userId, m]));
  for (const m of members) {
    const mine = met.get(m.userId)!;
    const most = Math.min(slots.get(m.userId)!, members.length - 1);
    distinct += mine.size;
    possible += most;
    worstMember = Math.min(worstMember, mine.size / most);
    // Against the partners one shares a language with: those a round may give them without relaxing.
    const speakers = members.filter((o) => o !== m && haveCommonLanguage(m, o, DEFAULT_LANGUAGE)).length;
    reachable += Math.min(slots.get(m.userId)!, speakers);
    distinctReachable += [...mine].filter((id) => haveCommonLanguage(m, byId.get(id)!, DEFAULT_LANGUAGE)).length;
  }
  const firsts = members.map((m) => firstRepeat.get(m.userId) ?? Infinity).sort((a, b) => a - b);
  return {
    distinct: distinct / possible,
    distinctReachable: distinctReachable / reachable,
    worstMember,
    firstRepeat: firsts[0]!,
    medianFirstRepeat: firsts[Math.floor(firsts.length / 2)]!,
    never: firsts.filter((f) => f === Infinity).length,
    mostRecycled,
  };
}

interface CachedBound {
  readonly key: string;
  readonly bound: number;
  readonly lp: number;
  readonly seconds: number;
  /** Trios only, and only once their LP converged (entries from before it was recorded have none). */
  readonly integrality?: LpIntegrality;
}

const BOUNDS_FILE = new URL('./upper-bounds.json', import.meta.url);
/** The trio bound's LP at 50,000 members would take hours (see bench/trioBound.ts); none is computed beyond this. */
const TRIO_BOUND_MAX_MEMBERS = 10_000;

function readBounds(): CachedBound[] {
  return existsSync(BOUNDS_FILE) ? (JSON.parse(readFileSync(BOUNDS_FILE, 'utf8')) as CachedBound[]) : [];
}

/** A fingerprint of an instance (members, history, group size), so a cached bound is only used for the very same round. */
function instanceKey(members: readonly MatchCandidate[], options: MatchOptions): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const feed = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      h1 = Math.imul(h1 ^ text.charCodeAt(i), 16777619);
      h2 = Math.imul(h2 + text.charCodeAt(i), 2246822519) ^ (h2 >>> 13);
    }
  };
  feed(String(options.groupSize));
  for (const m of members) feed(JSON.stringify(m));
  for (const key of [...options.recentPairs].sort()) feed(key);
  return `${members.length}-${options.groupSize}-${(h1 >>> 0).toString(16)}${(h2 >>> 0).toString(16)}`;
}

/** Under a trio row: how far the LP optimum behind its bound is from a grouping, and so what its share means. */
function printIntegrality(integrality: LpIntegrality | undefined): void {
  const count = (x: number): string => x.toLocaleString('en');
  console.log(
    integrality === undefined
      ? '          LP optimum: its integrality was not recorded with this cached bound (remove the entry and compute it again)'
      : `          LP optimum (a vertex, after crossover): ${count(integrality.integralGroups)} of the round's ${count(integrality.groups)} groups at 1, ` +
          `carrying ${pct(integrality.integralShare)} of the LP value; ${count(integrality.fractionalColumns)} columns fractional`,
  );
  console.log(
    "          The bound is an LP relaxation and its optimum is far from a grouping; how far the best grouping lies below it is not known, so this share is a floor on the matcher's quality, not an estimate of it",
  );
}

async function largeServers(boundsUpTo: number): Promise<void> {
  console.log('\n4. Large servers (realistic kind; history: 6 rounds of random pairs within a language)');
  console.log(
    '   cpu: process CPU time (one thread does the matching; GC threads add a little); bound: LP relaxation over groupings that relax nothing',
  );
  const widths = [7, 6, 9, 9, 9, 11, 8, 8, 12, 9];
  console.log(row(['N', 'mode', 'wall ms', 'cpu ms', 'heap MB', 'objective', 'lang', 'repeats', 'bound', 'share'], widths));
  const cache = readBounds();
  for (const n of [10_000, 50_000]) {
    const members = generatePopulation(n, `large-${n}`);
    const history = randomHistory(members, `large-${n}`);
    for (const groupSize of [2, 3] as const) {
      const options: MatchOptions = { seed: `large-${n}`, groupSize, defaultLanguage: DEFAULT_LANGUAGE, recentPairs: history.recentPairs };
      const run = ours(members, options);
      const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
      const value = groupingValue(members, run.value, options);
      const key = instanceKey(members, options);
      let cached = cache.find((c) => c.key === key);
      if (cached === undefined && n <= boundsUpTo && (groupSize === 2 || n <= TRIO_BOUND_MAX_MEMBERS)) {
        console.log(`   computing the bound for ${n} ${groupSize === 2 ? 'pairs' : 'trios'} …`);
        const log = (line: string): void => console.log(line);
        const ub: TrioUpperBound =
          groupSize === 2 ? await upperBound(members, options, run.value, log) : await trioUpperBound(members, options, run.value, log);
        cached = { key, bound: ub.bound, lp: ub.lp, seconds: Math.round(ub.seconds), integrality: ub.integrality };
        cache.push(cached);
        writeFileSync(BOUNDS_FILE, `${JSON.stringify(cache, null, 2)}\n`);
      }
      console.log(
        row(
          [
            n,
            groupSize === 2 ? 'pairs' : 'trios',
            run.wallMs.toFixed(0),
            run.cpuMs.toFixed(0),
            heapMb.toFixed(0),
            value.score,
            value.languageless,
            value.repeats,
            cached === undefined ? '-' : cached.bound.toFixed(0),
            cached === undefined ? '-' : pct(value.score / cached.bound),
          ],
          widths,
        ),
      );
      if (groupSize === 3 && cached !== undefined) printIntegrality(cached.integrality);
    }
  }
  if (cache.length === 0)
    console.log('   (no cached bounds: npx tsx bench/matching.bench.ts --bounds computes them, which takes a long while at 50,000)');
  console.log(
    `   trio bound: the set-partitioning LP over every trio that relaxes nothing, by column generation (bench/trioBound.ts); up to ${TRIO_BOUND_MAX_MEMBERS.toLocaleString('en')} members, beyond which its LP takes hours`,
  );
}

const started = performance.now();
// --bounds computes every missing bound, --bounds=N only those of rounds of at most N members.
const boundsArg = process.argv.find((arg) => arg === '--bounds' || arg.startsWith('--bounds='));
const boundsUpTo = boundsArg === undefined ? 0 : boundsArg === '--bounds' ? Infinity : Number(boundsArg.slice('--bounds='.length));
console.log(
  `Matching benchmark on ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
if (!process.argv.includes('--only-large')) {
  const highs = await loadHighsSolver();
  await smallRounds(highs);
  await populationKinds(highs);
  novelty();
}
await largeServers(boundsUpTo);
console.log(
  `\nTotal bench time ${((performance.now() - started) / 1000).toFixed(1)} s; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
