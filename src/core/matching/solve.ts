import { seededRandom } from '../random.ts';
import type { Random } from '../random.ts';
import { MAX_PAIR_SCORE } from './score.ts';
import { cachedScorer, createScorer, guidedScorer, memoScorer, PAIR_RANGE, subProblem } from './encode.ts';
import type { Encoded, Scorer } from './encode.ts';
import { findCrossLanguagePartners, findTopPartners, mergeTopLists } from './candidates.ts';
import type { TopLists } from './candidates.ts';
import { greedyMatching, groupCounts, pairsFromMatching, symmetricAdjacency, triosFromTriangles } from './construct.ts';
import { Groups } from './groups.ts';
import type { Adjacency } from './groups.ts';
import { chainSearch, iteratedSearch, localSearch, neighbourhoodSearch, ruinAndRecreate, sweepGroups, tripleSearch } from './improve.ts';
import { languageIndex, regionSearch, repairGroups, repairViolations, tabuSearch, violationSearch, violationSearch4 } from './repair.ts';
import type { LanguageIndex } from './repair.ts';
import { better, tallyGroups, violatingGroups, violationCount } from './tally.ts';
import { applyPlan, planLanguages } from './plan.ts';
import { MAX_REGION_GROUPS, RegionSolver, Repartitioner } from './repartition.ts';
import { violationLns } from './violationLns.ts';
import { rareLanguageRegions } from './rareRegions.ts';
import { maxWeightPerfectMatching } from './blossom.ts';
import { cyclicExchange } from './cycles.ts';
import { reassignMembers } from './reassign.ts';
import { annealRelaxations, annealSwaps, RELAXATION_ANNEAL_PER_MEMBER } from './anneal.ts';

/** Even rounds of pairs up to this many members are matched exactly (blossom, O(n³): 0.1 s at 100, about 1 s at 400). */
const EXACT_PAIRS = 400;
/** Up to this many groups, every three groups are re-partitioned exactly, then iterated local search. */
const SWEEP_ALL_GROUPS = 20;
/** Steps of the tabu search for a language plan (each weighs every move of every member it considers). */
const PLAN_STEPS = 60;
/** Up to this many members, or with at most this many relaxations left, those get the wider (slower) searches too. */
const THOROUGH = 2000;
const FEW_LEFT = 40;
/** Ruin-and-recreate attempts per group, and at most. */
const RUIN_PER_GROUP = 15;
const RUIN_MAX = 3000;
/** Up to this many members, every pair's weight is computed once into a matrix. */
const DENSE_CACHE = 1000;
/** Three-group re-partitions the small-server search may try (about a millisecond per thousand). */
const TRIPLE_BUDGET = 15_000;
/** …and about this many sweeps' worth of them on fewer groups. */
const TRIPLE_SWEEPS = 8;
/** Up to this many groups, a violating group is re-partitioned with every two others, not only graph neighbours. */
const VIOLATION_ALL_GROUPS = 200;
/** Three-group re-partitions the violation search may try. */
const VIOLATION_BUDGET = 200_000;

/**
 * Up to this many members, the hard constraints get several starts when relaxations are left: at
 * least three, at most eight, else as many as make about 1,200 members placed in all.
 */
const MULTI_START = 400;
const MIN_STARTS = 3;
const MAX_STARTS = 8;
const MEMBERS_PLACED = 1200;
/** Regions the violation search takes per violating group, at most in all, and the nodes it searches in each. */
const LNS_PER_GROUP = 40;
const LNS_MAX = 2000;
const LNS_NODES = 3000;

/**
 * Trio rounds of a few dozen to a few hundred members end in different local optima from different
 * starts: the search of the preferences runs this many times there, from the placements within the
 * hard constraints that the starts for them already made (the costly part), else again from the
 * chosen one with another random stream, and the best grouping is kept. Smaller rounds are solved
 * exactly or nearly; larger ones could not afford it.
 */
const RESTARTS = 3;
const RESTART_MIN = 60;
/**
 * Cyclic exchanges on trio rounds: groups per cycle (deeper found less per arc weighed at 10,000
 * members), arcs weighed per member (5,000 members converge within it), and the largest round
 * that runs them: beyond it they would cost about as much as the rest of the round (+1.8 s for
 * +2.3% at 10,000 members), above the time a round of that size may take.
 */
const CYCLE_DEPTH = 6;
const CYCLE_BUDGET = 5000;
const CYCLE_MAX = 5000;
/**
 * Rounds of reassignment on trio rounds (about 12 ms each at 10,000 members). Past
 * {@link CYCLE_MAX} members they replace the three-group re-partitions, which gained less in the
 * same time (10,000 members: 6,873,980 in 1.8 s against 6,822,706 with re-partitions and 25 rounds).
 */
const REASSIGN_ROUNDS = 40;
/** On rounds of up to {@link MULTI_START} members (about a millisecond each at 400): more, until this many in a row gain nothing. */
const REASSIGN_ROUNDS_SMALL = 400;
const REASSIGN_PATIENCE = 60;

/**
 * Simulated annealing at the end of each search of the preferences, on trio rounds of up to
 * {@link MULTI_START} members (the ones the bench holds to 99% of the exact optimum): swaps tried
 * per member (a swap costs about 0.13 µs there), and the temperatures it falls from and to (about
 * a curious pair's waking overlap, and a couple of shared interests). On the bench's realistic trio
 * round of 400, three random streams each: 97.97% of the proven optimum on average without it,
 * 98.72% with it, for about 1.3 s per search; at 1,000 members it gained 0.7% in 1.5 s.
 */
const ANNEAL_PER_MEMBER = 25_000;
const ANNEAL_HOT = 200;
const ANNEAL_COLD = 2;

/**
 * The noise on each pair's weight in the placements that restarts begin from when nothing is
 * relaxed: half the largest pair score, enough to change which bilinguals go where. On the bench's
 * islands trio round of 200 (six seeds), restarts from the same placement ended at 98.9 to 99.9%
 * of the proven optimum, two of them below 99%; from these, at 99.1 to 99.9%. Islands 400 and
 * monoculture rounds came out the same within 0.05%.
 */
const PERTURBATION = MAX_PAIR_SCORE / 2;

/**
 * Whether the searches of the preferences on trio rounds of up to {@link MULTI_START} members end
 * with {@link rareLanguageRegions} where relaxations are left. On the bench's rounds with their
 * history fixed, six seeds each: realistic 400 left 26, 25, 26, 26, 24 and 26 repeats without it,
 * 24, 25, 24, 24, 24 and 24 with it; realistic 200 left 20 on two seeds, 19 on all six with it;
 * half-empty 200 and 400 came out the same. It runs only there and then, so the placements, and the
 * starts they are chosen from, are what they were.
 */
const RARE_REGIONS = true;

/** A language with at most this many speakers in the round is rare (see {@link groupHardMembers}). */
const RARE_LANGUAGE = 40;
/** Trio rounds of more members than this, left with relaxations, start again from the trios of their rare-language speakers. */
const HARD_FIRST_MIN = 150;
/** The most members a round of rare-language speakers may have (more would cost a large round's time). */
const HARD_ROUND_MAX = 600;

/** Tuning knobs; the defaults are what {@link solve} uses in production. */
export interface SolveTuning {
  /** Partners kept per member in the candidate graph. */
  readonly k?: number;
  /** How many candidates the search draws from each index list, relative to the default. */
  readonly sampling?: number;
  /** Skip every improvement (for benchmarking the construction alone). */
  readonly skipLocalSearch?: boolean;
  /** Member visits per member of the two-group local search. */
  readonly localSearchBudget?: number;
  /** Look again with candidates ranked by weight minus what each side earns now (default true). */
  readonly priced?: boolean;
  /** Partners per member in those lists, and how many candidates their search draws. */
  readonly pricedK?: number;
  readonly pricedSampling?: number;
  /** Chains of pairs: pairs per chain, branches followed per step, and visits per member. */
  readonly chainDepth?: number;
  readonly chainBreadth?: number;
  readonly chainBudget?: number;
  /** Cyclic exchanges of trio rounds: groups per cycle (0: none; default {@link CYCLE_DEPTH} up to {@link CYCLE_MAX} members), and arcs weighed per member. */
  readonly cycleDepth?: number;
  readonly cycleBudget?: number;
  /** Rounds of reassignment (one member out of every trio, put back by an exact assignment). */
  readonly reassignRounds?: number;
  /** Swaps tried by simulated annealing per search of the preferences (trio rounds of up to {@link MULTI_START} members; 0: none). */
  readonly annealMoves?: number;
  /**
   * Swaps tried by {@link annealRelaxations} on each placement left with relaxations (rounds of
   * {@link SWEEP_ALL_GROUPS} groups to {@link MULTI_START} members; 0: none).
   */
  readonly relaxationAnnealMoves?: number;
  /** Member visits per member of the three-group re-partitioning search. */
  readonly neighbourhoodBudget?: number;
  /** Ruin-and-recreate attempts. */
  readonly ruin?: number;
  /** Three-group re-partitions and ruin-and-recreate for pairs too (always for trios). */
  readonly pairsLns?: boolean;
  /**
   * On trio rounds of more than {@link HARD_FIRST_MIN} members left with relaxations, start again
   * from the trios of the members who speak only rare languages, grouped as a round of their own
   * (default true; the nested round is solved without).
   */
  readonly hardMembersFirst?: boolean;
  /** Stop once the hard constraints are placed (for a round nested in another, which improves the whole). */
  readonly constraintsOnly?: boolean;
  /**
   * Exact re-splits of regions around the relaxations of rare-language speakers at the end of each
   * search of the preferences, on trio rounds of up to {@link MULTI_START} members (default true;
   * see {@link RARE_REGIONS}).
   */
  readonly rareRegions?: boolean;
  /** Restarts from placements of perturbed weights when nothing is relaxed (default true; see {@link PERTURBATION}). */
  readonly perturbedRestarts?: boolean;
  /** Searches of the preferences from the placement, each from its own random stream, the best kept (default: {@link RESTARTS} for trio rounds of {@link RESTART_MIN} to {@link MULTI_START} members, else 1). */
  readonly restarts?: number;
  /** Called after each phase with its name (for measuring where the time goes). */
  readonly trace?: (phase: string) => void;
}

/**
 * Splits members `0 .. n-1` into groups that maximise the total penalised weight (so: fewest
 * language-less groups, then fewest repeats, then the highest weight), heuristically except on the
 * smallest rounds, which are solved exactly: a sparse candidate graph; a greedy start (a matching
 * for pairs, triangles for trios); the hard constraints first (alternating paths, cyclic
 * exchanges, a plan of who speaks which language in their group, exact re-partitions of regions
 * around what is left, a tabu search); then the preferences (swaps, candidate lists priced by what
 * members earn, chains of pairs, exact re-partitions of three related groups, ruin and recreate,
 * one member of every trio reassigned at once by an exact assignment, cyclic exchanges among trios),
 * none of which ever trades a hard constraint away. Deterministic for a given `random`.
 */
export function solve(problem: Encoded, uncached: Scorer, groupSize: 2 | 3, random: Random, tuning: SolveTuning = {}): number[][] {
  const n = problem.n;
  if (n < 2) return [];
  if (n === 2) return [[0, 1]];
  if (n === 3) return [[0, 1, 2]];
  if (groupSize === 2 && n % 2 === 0 && n <= EXACT_PAIRS && tuning.skipLocalSearch !== true) return exactPairs(uncached, n);
  const { trios, pairs } = groupCounts(n, groupSize);
  const trace = tuning.trace ?? ((): void => {});
  // A large round of pairs weighs few pairs twice (18% hits at 10,000 members): its cache would only
  // cost there (about a quarter of such a round's time).
  const scorer = n <= DENSE_CACHE ? cachedScorer(uncached, n) : groupSize === 2 ? uncached : memoScorer(uncached, n);

  // Reassignment on large trio rounds gains more from wider lists than it costs (10,000 members: +0.3%, +0.2 s).
  const k = tuning.k ?? (n <= 2000 ? 24 : groupSize === 3 && n > CYCLE_MAX ? 8 : 6);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  // Candidate search weighs mostly distinct pairs: a cache would only cost there.
  const searchScorer = n <= DENSE_CACHE ? scorer : uncached;
  const top = findTopPartners(problem, searchScorer, all, k, random, tuning.sampling ?? (n <= 2000 ? 1 : 0.6));
  trace('candidates');
  const adjacency = symmetricAdjacency(top, n, n <= 2000 ? n : 2 * k);

  if (tuning.skipLocalSearch === true) return construct(problem, scorer, top, adjacency, groupSize, random).toArrays();
  const speakers = languageIndex(problem);
  let placements = 0;
  const place = (preplaced: readonly (readonly number[])[] = []): Groups =>
    placeWithinConstraints(problem, scorer, top, adjacency, groupSize, speakers, random, tuning, placements++, preplaced);
  let groups = place();
  // On a small server the hard constraints are worth a few more starts: where relaxations are
  // left, the searches for them end in different places from different starting groupings.
  const starts = n <= MULTI_START ? Math.max(MIN_STARTS, Math.min(MAX_STARTS, Math.floor(MEMBERS_PLACED / n))) : 1;
  // (The smallest rounds are solved exactly at the end: one start is enough there.)
  const otherPlacements: Groups[] = [];
  for (let start = 1; start < starts && groups.count > MAX_REGION_GROUPS && violatingGroups(groups).length > 0; start++) {
    const other = place();
    if (better(tallyGroups(other), tallyGroups(groups))) {
      otherPlacements.push(groups);
      groups = other;
    } else otherPlacements.push(other);
  }
  // From a couple of hundred members: on the bench's half-empty trio round of 200, five of six seeds
  // left 3/8 (language-less groups/repeats) without these starts, all six 3/7 with them.
  if (groupSize === 3 && n > HARD_FIRST_MIN && (tuning.hardMembersFirst ?? true) && violatingGroups(groups).length > 0) {
    const hardTrios = groupHardMembers(problem, speakers, random);
    if (hardTrios.length > 0) {
      // Two starts from those trios, each the better on some rounds: built around by the round's
      // construction (whose searches may still move them), and next to the others grouped as a
      // round of their own.
      for (const other of [place(hardTrios), aroundHardTrios(problem, scorer, adjacency, speakers, hardTrios, random)]) {
        if (better(tallyGroups(other), tallyGroups(groups))) groups = other;
      }
    }
  }
  if (tuning.constraintsOnly === true) return groups.toArrays();
  // The preferences are searched from this placement; on trio rounds of a few dozen to a few
  // hundred members several times, from different random streams, keeping the best.
  const placedAdjacency = adjacency;
  const improvePreferences = (groups: Groups, random: Random): void => {
    let adjacency = placedAdjacency;
    const repartitioner = new Repartitioner(groups);
    const regionSolver = new RegionSolver(groups);
    const small = groups.count <= SWEEP_ALL_GROUPS;
    const maxVisit = Math.max(2000, Math.min(n, 20000));
    if (violationCount(groups, 'common-language') > 0) {
      adjacency = symmetricAdjacency(
        mergeTopLists(top, findCrossLanguagePartners(problem, scorer, 4, random)),
        n,
        n <= 2000 ? n : 2 * k + 8,
      );
    }

    trace('hard constraints');
    const lsBudget = tuning.localSearchBudget ?? (groupSize === 3 ? 6 : 20);
    localSearch(groups, adjacency, random, lsBudget, small);
    trace('local search');
    if (!small && (tuning.priced ?? true)) {
      // Partners that are good *and* in little demand: rank candidates by weight minus what each
      // side earns now (its share of its group's weight), a stand-in for LP duals. Popular members
      // crowd everyone's plain top lists; these lists find the pairings that free them.
      const earns = new Float64Array(n);
      for (let g = 0; g < groups.count; g++) {
        const share = groups.weight[g]! / (groups.size[g] === 3 ? 3 : 2);
        for (let r = 0; r < groups.size[g]!; r++) earns[groups.members[g * 3 + r]!] = share;
      }
      const reduced: Scorer = { ...searchScorer, weight: (i, j) => searchScorer.weight(i, j) - earns[i]! - earns[j]!, pairwise: false };
      const priced = findTopPartners(problem, reduced, all, tuning.pricedK ?? Math.max(6, k >> 1), random, tuning.pricedSampling ?? 0.5);
      // Keep the plain weights on the edges: the lists only choose which edges to look at.
      for (let i = 0; i < n; i++)
        for (let r = 0; r < priced.count[i]!; r++)
          priced.weight[i * priced.k + r]! += earns[i]! + earns[priced.partner[i * priced.k + r]!]!;
      adjacency = symmetricAdjacency(mergeTopLists(top, priced), n, n <= 2000 ? n : 2 * k);
      localSearch(groups, adjacency, random, lsBudget, small);
    }
    trace('priced candidates');
    if (pairs > 0 && !small) {
      // Chains of pairs (a Lin–Kernighan deepening of 2-opt) find what swaps between two pairs cannot.
      // Deeper and wider chains pay off on small servers; on the largest they would dominate the run time.
      const depth = tuning.chainDepth ?? (n <= THOROUGH ? 5 : 4);
      const breadth = tuning.chainBreadth ?? (n <= THOROUGH ? 6 : n <= 20_000 ? 5 : 4);
      chainSearch(groups, adjacency, depth, breadth, tuning.chainBudget ?? 10);
    }
    trace('chains');
    const reassignRounds = groupSize === 3 ? (tuning.reassignRounds ?? (n <= MULTI_START ? REASSIGN_ROUNDS_SMALL : REASSIGN_ROUNDS)) : 0;
    if (groups.count <= MAX_REGION_GROUPS) {
      // Few enough members to solve the whole round exactly.
      regionSolver.improve(
        Array.from({ length: groups.count }, (_, g) => g),
        groups.count,
      );
    } else if (small) {
      const everyGroup = Array.from({ length: groups.count }, (_, g) => g);
      const g = groups.count;
      tripleSearch(groups, repartitioner, everyGroup, Math.min(TRIPLE_BUDGET, (TRIPLE_SWEEPS * g * (g - 1) * (g - 2)) / 6));
      if (groups.count <= (trios > 1 ? 7 : 10)) sweepGroups(repartitioner, everyGroup, 4, 3);
      iteratedSearch(groups, repartitioner, random, Math.max(40, 4 * groups.count), TRIPLE_BUDGET);
    } else if (trios > 1 ? n <= CYCLE_MAX || reassignRounds === 0 : (tuning.pairsLns ?? n <= THOROUGH)) {
      neighbourhoodSearch(groups, adjacency, repartitioner, 5, tuning.neighbourhoodBudget ?? 3);
      ruinAndRecreate(
        groups,
        adjacency,
        repartitioner,
        random,
        tuning.ruin ?? Math.min(RUIN_MAX, (n <= THOROUGH ? 3 : 1) * RUIN_PER_GROUP * groups.count),
        speakers,
        problem,
      );
    }
    trace('re-partitioning');
    if (!small && reassignRounds > 0) {
      reassignMembers(groups, adjacency, random, reassignRounds, REASSIGN_PATIENCE);
      trace('reassignment');
    }
    const cycleDepth = tuning.cycleDepth ?? (n <= CYCLE_MAX ? CYCLE_DEPTH : 0);
    if (groupSize === 3 && !small && cycleDepth >= 2) {
      cyclicExchange(groups, adjacency, cycleDepth, tuning.cycleBudget ?? CYCLE_BUDGET);
      trace('cycles');
    }
    violationSearch(groups, adjacency, repartitioner, VIOLATION_ALL_GROUPS, VIOLATION_BUDGET);
    if (groupSize === 3 && n <= MULTI_START && (tuning.rareRegions ?? RARE_REGIONS) && violatingGroups(groups).length > 0)
      rareLanguageRegions(groups, problem, speakers);
    const still = groups.count <= MAX_REGION_GROUPS ? 0 : violatingGroups(groups).length;
    if (still > 0 && still <= FEW_LEFT) {
      // The improvements since may have opened a way out for the last relaxations: one more try.
      repairRepeats(groups, adjacency, speakers, problem, pairs > 0, maxVisit, random);
      tabuSearch(groups, adjacency, speakers, problem, random, 200);
    }
    localSearch(groups, adjacency, random, lsBudget / 2, small);
    trace('final');
    const annealMoves = groupSize === 3 && n <= MULTI_START ? (tuning.annealMoves ?? ANNEAL_PER_MEMBER * n) : 0;
    if (!small && annealMoves > 0) {
      // A stream of its own, so the searches before (and the restarts after) draw what they drew without it.
      const own = seededRandom(`anneal:${groups.total}`);
      annealSwaps(groups, adjacency, own, annealMoves, ANNEAL_HOT, ANNEAL_COLD);
      reassignMembers(groups, adjacency, own, reassignRounds, REASSIGN_PATIENCE);
      trace('annealing');
    }
  };
  const restarts = tuning.restarts ?? (groupSize === 3 && n >= RESTART_MIN && n <= MULTI_START ? RESTARTS : 1);
  /**
   * A placement built under weights with noise of up to {@link PERTURBATION} on every pair, scored
   * again with the true ones; or null if it relaxes anything. When no relaxation is left to tell
   * placements apart, every start of a round builds the same one, and the searches of the
   * preferences keep what it decided for them: which language each bilingual's group speaks, and
   * so how many groups each language has, or where a round's pair sits (moving either takes
   * several members between languages at once). A stream of its own, as for the annealing.
   */
  const perturbedPlacement = (restart: number): Groups | null => {
    const own = seededRandom(`perturbed-${restart}:${groups.total}`);
    const noisy = perturbedScorer(scorer, Math.floor(own() * 2 ** 32), PERTURBATION);
    const other = placeWithinConstraints(
      problem,
      noisy,
      top,
      adjacency,
      groupSize,
      speakers,
      own,
      { ...tuning, relaxationAnnealMoves: 0 },
      placements++,
      [],
    );
    other.rescore(scorer);
    return violatingGroups(other).length === 0 ? other : null;
  };
  // Restarts begin from the other starts' placements with as few relaxations, the heaviest first
  // (a different placement leads elsewhere); where there are none, from placements of perturbed
  // weights if this one relaxes nothing, else from this one again.
  const restartFrom: number[][][] = [];
  if (restarts > 1) {
    const chosen = tallyGroups(groups);
    const alike = otherPlacements
      .map((other) => ({ other, tally: tallyGroups(other) }))
      .filter(({ tally }) => tally.languageless === chosen.languageless && tally.repeats === chosen.repeats)
      .sort((x, y) => y.tally.value - x.tally.value);
    const clean = chosen.languageless === 0 && chosen.repeats === 0 && (tuning.perturbedRestarts ?? true);
    for (let restart = 1; restart < restarts; restart++) {
      const other = alike[restart - 1]?.other ?? (clean ? perturbedPlacement(restart) : null);
      restartFrom.push((other ?? groups).toArrays());
    }
  }
  improvePreferences(groups, random);
  let bestTally = tallyGroups(groups);
  for (let r = 0; r < restartFrom.length; r++) {
    const other = Groups.fromArrays(n, scorer, restartFrom[r]!);
    // Each restart draws from a stream of its own, seeded from the round's.
    improvePreferences(other, seededRandom(`restart-${r + 1}:${random()}`));
    const otherTally = tallyGroups(other);
    if (better(otherTally, bestTally)) {
      groups = other;
      bestTally = otherTally;
    }
  }
  return groups.toArrays();
}

/**
 * The best pairing of an even round: a maximum-weight perfect matching whose penalties are scaled
 * to the whole round (a repeat outweighs every pair's score and novelty together, a language-less
 * pair every repeat), so the fewest language-less pairs, then the fewest repeats, then the weight.
 * The scorer's own penalties only need to outweigh what a move of a few groups can change.
 */
function exactPairs(scorer: Scorer, n: number): number[][] {
  const repeatPenalty = (n / 2) * PAIR_RANGE + 1;
  const languagePenalty = (n / 2 + 1) * repeatPenalty;
  const mate = maxWeightPerfectMatching(n, (i, j) => {
    let w = scorer.score(i, j) - scorer.deficit(i, j);
    if (scorer.recent(i, j)) w -= repeatPenalty;
    if (!scorer.commonLanguage(i, j)) w -= languagePenalty;
    return w;
  });
  const groups: number[][] = [];
  mate.forEach((j, i) => {
    if (i < j) groups.push([i, j]);
  });
  return groups;
}

/** `scorer` with a fixed pseudo-random amount in `[0, amplitude)` added to each pair's weight (the same for a given `salt`). */
function perturbedScorer(scorer: Scorer, salt: number, amplitude: number): Scorer {
  const noise = (i: number, j: number): number => {
    let h = Math.imul((i < j ? i : j) ^ salt, 0x85ebca6b) ^ Math.imul((i < j ? j : i) + 0x632be5ab, 0xc2b2ae35);
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    return ((h >>> 0) / 2 ** 32) * amplitude;
  };
  return {
    ...scorer,
    pairwise: false,
    weight: (i, j) => scorer.weight(i, j) + noise(i, j),
    weight3: (i, j, k) => scorer.weight3(i, j, k) + noise(i, j) + noise(i, k) + noise(j, k),
  };
}

/** A greedy start: a matching for pairs, triangles for trios. */
function construct(
  problem: Encoded,
  scorer: Scorer,
  top: TopLists,
  adjacency: Adjacency,
  groupSize: 2 | 3,
  random: Random,
  preplaced: readonly (readonly number[])[] = [],
): Groups {
  const { trios, pairs } = groupCounts(problem.n, groupSize);
  const groups = new Groups(problem.n, scorer);
  if (trios <= 1 && groupSize === 2) pairsFromMatching(groups, greedyMatching(problem, scorer, top, random), adjacency, random);
  else triosFromTriangles(problem, scorer, groups, top, trios, pairs, random, preplaced);
  return groups;
}

/**
 * A start, then the hard constraints: alternating paths, cyclic exchanges, a plan of who speaks
 * which language in their group, exact re-partitions of regions around what is left, a tabu
 * search and a large-neighbourhood search on the relaxations alone; then, where some are left,
 * annealing at the repeat penalty's temperature.
 */
function placeWithinConstraints(
  problem: Encoded,
  scorer: Scorer,
  top: TopLists,
  adjacency: Adjacency,
  groupSize: 2 | 3,
  speakers: LanguageIndex,
  random: Random,
  tuning: SolveTuning,
  placement: number,
  preplaced: readonly (readonly number[])[],
): Groups {
  const groups = construct(problem, scorer, top, adjacency, groupSize, random, preplaced);
  enforceConstraints(problem, groups, adjacency, groupSize, speakers, random);
  const moves = tuning.relaxationAnnealMoves ?? RELAXATION_ANNEAL_PER_MEMBER * problem.n;
  if (problem.n <= MULTI_START && groups.count > SWEEP_ALL_GROUPS && moves > 0 && violatingGroups(groups).length > 0) {
    // A stream of its own, so the starts after this one draw what they drew without it; and one for
    // each placement, since placements often end at the same grouping and would make the same walk.
    annealRelaxations(groups, adjacency, seededRandom(`relaxations:${placement}:${groups.total}`), moves);
  }
  return groups;
}

/** The hard-constraint searches of {@link placeWithinConstraints}, from the grouping `groups` holds. */
function enforceConstraints(
  problem: Encoded,
  groups: Groups,
  adjacency: Adjacency,
  groupSize: 2 | 3,
  speakers: LanguageIndex,
  random: Random,
): void {
  const n = problem.n;
  const { trios, pairs } = groupCounts(n, groupSize);
  const repartitioner = new Repartitioner(groups);
  const regionSolver = new RegionSolver(groups);
  const small = groups.count <= SWEEP_ALL_GROUPS;
  const maxVisit = Math.max(2000, Math.min(n, 20000));
  if (violationCount(groups, 'common-language') > 0) {
    mendLanguages(problem, groups, adjacency, speakers, repartitioner, pairs > 0, small, maxVisit, random);
  }
  repairRepeats(groups, adjacency, speakers, problem, pairs > 0, maxVisit, random);
  violationSearch(groups, adjacency, repartitioner, VIOLATION_ALL_GROUPS, VIOLATION_BUDGET);
  const languageless = violationCount(groups, 'common-language');
  if (languageless > 0) {
    // Fewer language-less groups may need bilinguals moved between languages: plan that by language.
    const plan = planLanguages(problem, groups, trios, pairs, random, n <= THOROUGH ? 4 * PLAN_STEPS : PLAN_STEPS);
    if (plan.languageless < languageless) {
      const before = tallyGroups(groups);
      groups.begin();
      if (applyPlan(problem, groups, plan)) {
        repairRepeats(groups, adjacency, speakers, problem, pairs > 0, maxVisit, random);
        violationSearch(groups, adjacency, repartitioner, VIOLATION_ALL_GROUPS, VIOLATION_BUDGET);
      }
      if (better(before, tallyGroups(groups))) groups.rollback();
      else groups.commit();
    }
  }
  const left = groups.count <= MAX_REGION_GROUPS ? 0 : violatingGroups(groups).length;
  if (left > 0 && (n <= THOROUGH || left <= FEW_LEFT)) {
    // Relaxations left: try the wider moves that can still trade one away.
    violationSearch4(groups, adjacency, repartitioner, 12, 20_000);
    regionSearch(groups, regionSolver, speakers, problem, random, 4);
    tabuSearch(groups, adjacency, speakers, problem, random, 200);
    violationLns(groups, speakers, problem, random, Math.min(LNS_MAX, LNS_PER_GROUP * violatingGroups(groups).length), LNS_NODES);
  }
}

/**
 * Mends language-less groups under {@link guidedScorer}, where progress towards a common language
 * (and gathering the members who cannot have one into the same groups) counts as improvement:
 * alternating paths, cyclic exchanges, swaps and three-group re-partitions around the violating
 * groups. The whole phase is kept only if it leaves the grouping lexicographically no worse.
 */
function mendLanguages(
  problem: Encoded,
  groups: Groups,
  adjacency: Adjacency,
  speakers: LanguageIndex,
  repartitioner: Repartitioner,
  hasPairs: boolean,
  small: boolean,
  maxVisit: number,
  random: Random,
): void {
  const scorer = groups.scorer;
  const n = problem.n;
  const hopeless2 = new Uint8Array(n);
  const hopeless3 = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let most = 0;
    for (let p = problem.languages.start[i]!; p < problem.languages.start[i + 1]!; p++) {
      const l = problem.languages.data[p]!;
      most = Math.max(most, speakers.start[l + 1]! - speakers.start[l]!);
    }
    hopeless2[i] = most < 2 ? 1 : 0;
    hopeless3[i] = most < 3 ? 1 : 0;
  }
  const before = tallyGroups(groups);
  groups.begin();
  groups.rescore(guidedScorer(scorer, hopeless2, hopeless3));
  for (let pass = 0; pass < 3; pass++) {
    const count = violationCount(groups, 'common-language');
    if (count === 0) break;
    if (hasPairs) repairViolations(groups, adjacency, 'common-language', maxVisit);
    repairGroups(groups, adjacency, speakers, problem, 'common-language', Math.min(maxVisit, 1500), random);
    violationSearch(groups, adjacency, repartitioner, VIOLATION_ALL_GROUPS, VIOLATION_BUDGET);
    const violating: number[] = [];
    for (const g of violatingGroups(groups)) for (let r = 0; r < groups.size[g]!; r++) violating.push(groups.members[g * 3 + r]!);
    localSearch(groups, adjacency, random, 4, false, violating);
    if (small && violationCount(groups, 'common-language') > 0) {
      tripleSearch(
        groups,
        repartitioner,
        Array.from({ length: groups.count }, (_, g) => g),
        TRIPLE_BUDGET,
      );
    }
    if (violationCount(groups, 'common-language') >= count) break;
  }
  groups.rescore(scorer);
  if (better(before, tallyGroups(groups))) {
    groups.rollback();
    groups.rescore(scorer);
  } else {
    groups.commit();
  }
}

/**
 * Trios for the members whose every language has at most {@link RARE_LANGUAGE} speakers: the ones
 * relaxations fall on, since a group with a common language must be drawn from
 * their few fellow speakers, and the ones a large round's searches (which follow its best edges)
 * place worst. They are grouped with every speaker of their languages as small rounds of their own
 * (one per set of rare languages linked by members who speak two of them), where the searches of
 * small servers reach far fewer relaxations; the trios holding at least one of them are kept.
 */
function groupHardMembers(problem: Encoded, speakers: LanguageIndex, random: Random): number[][] {
  const n = problem.n;
  const { start, data } = problem.languages;
  const spokenBy = (l: number): number => speakers.start[l + 1]! - speakers.start[l]!;
  const hard = new Uint8Array(n);
  // Rare languages joined by a member who speaks two of them form one round: union-find over languages.
  const parent = new Int32Array(speakers.start.length - 1).map((_, l) => l);
  const root = (l: number): number => {
    while (parent[l] !== l) l = parent[l] = parent[parent[l]!]!;
    return l;
  };
  const rare = new Uint8Array(parent.length);
  for (let i = 0; i < n; i++) {
    let every = true;
    for (let p = start[i]!; p < start[i + 1]!; p++) if (spokenBy(data[p]!) > RARE_LANGUAGE) every = false;
    if (!every) continue;
    hard[i] = 1;
    for (let p = start[i]!; p < start[i + 1]!; p++) rare[data[p]!] = 1;
  }
  for (let i = 0; i < n; i++) {
    let first = -1;
    for (let p = start[i]!; p < start[i + 1]!; p++) {
      const l = data[p]!;
      if (rare[l] === 0) continue;
      if (first < 0) first = l;
      else parent[root(l)] = root(first);
    }
  }
  const rounds = new Map<number, number[]>();
  const inRound = new Uint8Array(n);
  for (let l = 0; l < parent.length; l++) {
    if (rare[l] === 0) continue;
    const round = rounds.get(root(l)) ?? [];
    rounds.set(root(l), round);
    for (let p = speakers.start[l]!; p < speakers.start[l + 1]!; p++) {
      const i = speakers.members[p]!;
      if (inRound[i] === 0) {
        inRound[i] = 1;
        round.push(i);
      }
    }
  }
  const kept: number[][] = [];
  for (const round of rounds.values()) {
    // Trios only, so the round's own pairs stay where they were: leave out one or two who speak a common language too.
    for (let drop = round.length % 3, t = round.length - 1; drop > 0 && t >= 0; t--) {
      if (hard[round[t]!] === 0) {
        round.splice(t, 1);
        drop--;
      }
    }
    if (round.length % 3 !== 0 || round.length < 3 || round.length > HARD_ROUND_MAX) continue;
    const sub = subProblem(problem, round);
    const grouped = solve(sub, createScorer(sub), 3, random, { hardMembersFirst: false, restarts: 1 });
    for (const group of grouped) if (group.some((t) => hard[round[t]!] === 1)) kept.push(group.map((t) => round[t]!));
  }
  return kept;
}

/**
 * `hardTrios`, and the other members grouped within the hard constraints as a round of their own:
 * built around the trios, the large round's construction would leave relaxations elsewhere that
 * its searches then move onto the rare-language speakers. The hard-constraint searches then run
 * on the whole.
 */
function aroundHardTrios(
  problem: Encoded,
  scorer: Scorer,
  adjacency: Adjacency,
  speakers: LanguageIndex,
  hardTrios: readonly (readonly number[])[],
  random: Random,
): Groups {
  const placed = new Uint8Array(problem.n);
  for (const trio of hardTrios) for (const i of trio) placed[i] = 1;
  const rest: number[] = [];
  for (let i = 0; i < problem.n; i++) if (placed[i] === 0) rest.push(i);
  const sub = subProblem(problem, rest);
  const grouped = solve(sub, createScorer(sub), 3, random, { hardMembersFirst: false, constraintsOnly: true });
  const groups = new Groups(problem.n, scorer);
  for (const trio of hardTrios) groups.add(trio[0]!, trio[1]!, trio[2]!);
  for (const group of grouped) groups.add(rest[group[0]!]!, rest[group[1]!]!, group.length > 2 ? rest[group[2]!]! : -1);
  // Searches that never add a relaxation: they may trade the trios' repeats for fewer, not their languages.
  enforceConstraints(problem, groups, adjacency, 3, speakers, random);
  return groups;
}

/** Alternating paths (pairs) and cyclic exchanges that mend repeats without costing a common language. */
function repairRepeats(
  groups: Groups,
  adjacency: Adjacency,
  speakers: LanguageIndex,
  problem: Encoded,
  hasPairs: boolean,
  maxVisit: number,
  random: Random,
): void {
  // Each pass can open paths for the next; a few passes reach a fixed point in practice.
  for (let pass = 0; pass < 3; pass++) {
    const before = violationCount(groups, 'repeat-avoidance');
    if (before === 0) break;
    if (hasPairs) repairViolations(groups, adjacency, 'repeat-avoidance', maxVisit);
    repairGroups(groups, adjacency, speakers, problem, 'repeat-avoidance', Math.min(maxVisit, 1500), random);
    if (violationCount(groups, 'repeat-avoidance') >= before) break;
  }
}
