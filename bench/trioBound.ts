/**
 * An upper bound on the preference objective of a round of trios too large for an exact optimum:
 * the LP relaxation of set partitioning over groups (every member in exactly one group, the
 * round's number of trios), solved with HiGHS by column generation over every trio and pair that
 * may meet without relaxing a hard constraint (a language common to the whole group, no recent
 * pair inside it), so it bounds every grouping that relaxes nothing.
 *
 * The bound comes from weak duality, so it holds whatever duals HiGHS returns. With a dual π_i per
 * member and μ for the trio count, every group g has a reduced cost rc(g) = score(g) − Σ_{i∈g} π_i
 * (− μ for a trio), and a grouping into T trios and P pairs scores
 *   Σ_g score(g) = Σ_i π_i + T·μ + Σ_g rc(g) ≤ Σ_i π_i + T·μ + T·max_trios rc + P·max_pairs rc.
 * Both maxima are taken over every allowed group, exactly: pairs by a full scan; trios by a
 * pruned search (see {@link priceTrios}) that is exact for positive maxima, a non-positive one
 * being replaced by 0, which only loosens the bound.
 *
 * Once the LP has converged it is solved once more with crossover, for a vertex of its optimum,
 * to report how integral that optimum is ({@link LpIntegrality}). At 10,000 members about a
 * quarter of the groups are whole there; but vertices as fractional come with bounds within 1% of
 * the optimum at 100 to 400 members (bench/checkTrioBound.ts), so the figures show that the LP
 * optimum is not a grouping, not how far above the best grouping it lies.
 *
 * Pair scores are kept in a dense n × n Int16Array (200 MB at 10,000 members, 5 GB at 50,000).
 */
import { loadHighsSolver } from '../test/support/exactGroupingIp.ts';
import { createScorer, encode } from '../src/core/matching/encode.ts';
import type { Scorer } from '../src/core/matching/encode.ts';
import { MAX_PAIR_SCORE } from '../src/core/matching.ts';
import type { MatchCandidate, MatchOptions } from '../src/core/matching.ts';
import { addUnitColumns } from './upperBound.ts';
import type { UpperBound } from './upperBound.ts';

/** Trios kept per member as the apex of the search in each pricing round. */
const TRIOS_PER_APEX = 2;
/** Trios per member, as apex, that improve on the initial grouping, to seed the first LP. */
const SEED_TRIOS_PER_APEX = 4;
/** Partners per member whose trios seed the first LP. */
const SEED_PARTNERS = 4;
/** Objective of the columns that keep the LP feasible before real columns cover everyone: worse than any group. */
const ARTIFICIAL_COST = -4 * MAX_PAIR_SCORE;
/** Added to the bound per group, for the rounding of sums of floating-point duals. */
const ROUNDING_SLACK = 1e-6;
/** A column within this of 1 counts as a group of the LP's vertex, within this of 0 as absent. */
const INTEGRAL_TOLERANCE = 1e-6;

/** How far a vertex of the converged LP optimum is from a grouping into trios (and pairs). */
export interface LpIntegrality {
  /** Groups at 1. */
  readonly integralGroups: number;
  /** Groups in any grouping of the round (trios and pairs), for comparison. */
  readonly groups: number;
  /** Share of the LP value carried by the groups at 1. */
  readonly integralShare: number;
  /** Columns strictly between 0 and 1. */
  readonly fractionalColumns: number;
  /** Seconds of the solve with crossover that finds the vertex. */
  readonly seconds: number;
}

export interface TrioUpperBound extends UpperBound {
  /** Absent when column generation stopped before convergence (then the LP value is not the relaxation's optimum). */
  readonly integrality?: LpIntegrality;
}

export interface TrioBoundLimits {
  /** Stop once the bound is within this fraction of the LP value. */
  readonly gap?: number;
  readonly maxRounds?: number;
  readonly maxSeconds?: number;
}

/**
 * The LP bound for a round of trios of `candidates` (in any order); `initial` groups (user ids),
 * e.g. the matcher's, seed the first columns where they are allowed groups. The bound does not
 * depend on them for its validity.
 */
export async function trioUpperBound(
  candidates: readonly MatchCandidate[],
  options: Pick<MatchOptions, 'defaultLanguage' | 'recentPairs'>,
  initial: readonly (readonly string[])[],
  log: (line: string) => void = () => {},
  limits: TrioBoundLimits = {},
): Promise<TrioUpperBound> {
  const started = performance.now();
  const gap = limits.gap ?? 1e-4;
  const maxRounds = limits.maxRounds ?? 200;
  const maxSeconds = limits.maxSeconds ?? 3600;
  const highs = await loadHighsSolver();
  const n = candidates.length;
  const pairs = [0, 2, 1][n % 3]!;
  const trios = (n - 2 * pairs) / 3;
  const scorer = createScorer(encode(candidates, { defaultLanguage: options.defaultLanguage, recentPairs: options.recentPairs }));
  const weights = allowedWeights(scorer, n);
  log(`    weights of the allowed pairs: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const hasTrioRow = pairs > 0 && trios > 0;
  const rows = n + (hasTrioRow ? 1 : 0);

  const model = highs.createModel();
  try {
    // The interior-point solver's duals are central, not a vertex's: at 2,000 members column generation
    // converged in 11 rounds of 2 to 3 s each with them, and the simplex took 20 to 60 s per round
    // on this degenerate LP and still had a 1.5% gap after 10. Crossover would only find a vertex.
    model.options.set({ output_flag: false, solver: 'ipm', run_crossover: 'off' });
    // One column per member row (and one for the trio count) scoring worse than any group, so the
    // LP is feasible before the generated groups can cover everyone; they bound the duals from below.
    const artificial = n + (hasTrioRow ? 1 : 0);
    const artificialStarts = new Int32Array(artificial + 1);
    const artificialRows = new Int32Array(artificial);
    for (let c = 0; c < artificial; c++) {
      artificialRows[c] = c;
      artificialStarts[c + 1] = c + 1;
    }
    const rowBounds = new Float64Array(rows).fill(1);
    if (hasTrioRow) rowBounds[n] = trios;
    model.passModel({
      numCols: artificial,
      numRows: rows,
      sense: highs.constants.objectiveSense.maximize,
      colCost: new Float64Array(artificial).fill(ARTIFICIAL_COST),
      colLower: new Float64Array(artificial),
      colUpper: new Float64Array(artificial).fill(highs.infinity),
      rowLower: rowBounds,
      rowUpper: rowBounds,
      matrix: {
        format: 'csc',
        numRows: rows,
        numCols: artificial,
        starts: artificialStarts,
        indices: artificialRows,
        values: new Float64Array(artificial).fill(1),
      },
    });

    const known = new Set<number>();
    let columns = 0;
    /** Score of each generated column, in the order of the LP's columns after the artificial ones. */
    const columnScores: number[] = [];
    /** Adds the allowed groups among `groups` (member triples, the third -1 for a pair) not yet in the LP. */
    const addColumns = (groups: readonly number[]): number => {
      const cost: number[] = [];
      const indices: number[] = [];
      const starts = [0];
      for (let g = 0; g < groups.length; g += 3) {
        const members = [groups[g]!, groups[g + 1]!, groups[g + 2]!].filter((m) => m >= 0).sort((x, y) => x - y);
        const [a, b, c] = members as [number, number, number | undefined];
        if (c === undefined ? pairs === 0 : trios === 0) continue;
        const score = groupScore(weights, n, a, b, c);
        if (score < 0 || (c !== undefined && !scorer.commonLanguage3(a, b, c))) continue;
        const key = c === undefined ? a * n + b : ((a + 1) * n + b) * n + c;
        if (known.has(key)) continue;
        known.add(key);
        cost.push(score);
        columnScores.push(score);
        indices.push(...members);
        if (hasTrioRow && c !== undefined) indices.push(n);
        starts.push(indices.length);
      }
      if (cost.length === 0) return 0;
      // No upper bounds (the member rows imply them), which keeps reduced costs free of their duals.
      addUnitColumns(model, rows, cost, starts, indices, highs.infinity);
      columns += cost.length;
      return cost.length;
    };
    const byId = new Map(candidates.map((c, i) => [c.userId, i]));
    const seed: number[] = [];
    for (const group of initial) {
      const ids = group.map((id) => byId.get(id)!);
      seed.push(ids[0]!, ids[1]!, ids[2] ?? -1);
    }
    addColumns(seed);
    addColumns(seedGroups(weights, n, pairs > 0));
    if (trios > 0) {
      // Each member's best trios against its share of the initial grouping (or of an average
      // group without one): the trios that would improve on it, a better start than scores alone.
      const shares = new Float64Array(rows);
      const grouped = new Uint8Array(n);
      let total = 0;
      for (let g = 0; g < seed.length; g += 3) {
        const members = [seed[g]!, seed[g + 1]!, seed[g + 2]!].filter((m) => m >= 0);
        const score = groupScore(weights, n, members[0]!, members[1]!, members[2]);
        if (score < 0) continue;
        for (const m of members) {
          shares[m] = score / members.length;
          grouped[m] = 1;
        }
        total += score;
      }
      const count = grouped.reduce((sum, g) => sum + g, 0);
      const typical = count > 0 ? total / count : 0;
      for (let i = 0; i < n; i++) if (grouped[i] === 0) shares[i] = typical;
      const found: number[] = [];
      priceTrios(scorer, weights, n, shares, 0, SEED_TRIOS_PER_APEX, found);
      addColumns(found);
    }

    let lp = 0;
    let bound = Infinity;
    let rounds = 0;
    for (; rounds < maxRounds; rounds++) {
      const solveStarted = performance.now();
      model.run();
      const status = model.getModelStatus();
      if (status !== highs.constants.modelStatus.optimal) log(`    LP status ${status}`);
      lp = model.getObjectiveValue();
      const duals = model.getSolution().rowDual;
      // HiGHS's simplex returns the duals of this maximisation with rc = c − Aᵀy; its interior-point
      // solver without crossover returned their negatives (seen at 2,000 members). The dual objective
      // equals the LP value only with the right sign; any sign gives a valid bound, so the check
      // only chooses the tighter one.
      let dualObjective = hasTrioRow ? trios * duals[n]! : 0;
      for (let i = 0; i < n; i++) dualObjective += duals[i]!;
      if (Math.abs(dualObjective + lp) < Math.abs(dualObjective - lp)) {
        for (let r = 0; r < rows; r++) duals[r] = -duals[r]!;
        dualObjective = -dualObjective;
      }
      const solveSeconds = (performance.now() - solveStarted) / 1000;
      const priceStarted = performance.now();
      const priced = price(scorer, weights, n, duals, hasTrioRow, pairs > 0, trios > 0);
      const roundBound =
        dualObjective + trios * Math.max(0, priced.maxTrio) + (pairs > 0 ? pairs * priced.maxPair : 0) + (trios + pairs) * ROUNDING_SLACK;
      bound = Math.min(bound, roundBound);
      const before = columns;
      const added = addColumns(priced.groups);
      log(
        `    round ${rounds}: LP ${lp.toFixed(1)} (dual ${dualObjective.toFixed(1)}), bound ${roundBound.toFixed(1)}, best ${bound.toFixed(1)}, ` +
          `max rc trio ${priced.maxTrio.toFixed(2)} pair ${priced.maxPair.toFixed(2)}, columns ${before} (+${added}), ` +
          `LP ${solveSeconds.toFixed(1)} s, pricing ${((performance.now() - priceStarted) / 1000).toFixed(1)} s`,
      );
      if (bound - lp <= gap * lp || added === 0) break;
      if ((performance.now() - started) / 1000 > maxSeconds) break;
    }
    const seconds = (performance.now() - started) / 1000;
    if (bound - lp > gap * lp) return { bound, lp, rounds: rounds + 1, columns, seconds };

    // The interior point's optimum is the centre of the optimal face, fractional wherever the face
    // is; only a vertex says how many groups the LP can take whole. Without crossover HiGHS gives
    // no primal solution at all.
    const crossoverStarted = performance.now();
    model.options.set({ run_crossover: 'on' });
    model.run();
    const vertexStatus = model.getModelStatus();
    if (vertexStatus !== highs.constants.modelStatus.optimal) {
      log(`    LP status ${vertexStatus} after crossover: no vertex, so no integrality figures`);
      return { bound, lp, rounds: rounds + 1, columns, seconds };
    }
    const vertex = model.getSolution().colValue;
    const vertexLp = model.getObjectiveValue();
    let integralGroups = 0;
    let integralScore = 0;
    let fractionalColumns = 0;
    for (let k = 0; k < columns; k++) {
      const x = vertex[artificial + k]!;
      if (x >= 1 - INTEGRAL_TOLERANCE) {
        integralGroups++;
        integralScore += columnScores[k]!;
      } else if (x > INTEGRAL_TOLERANCE) fractionalColumns++;
    }
    const integrality: LpIntegrality = {
      integralGroups,
      groups: trios + pairs,
      integralShare: integralScore / vertexLp,
      fractionalColumns,
      seconds: (performance.now() - crossoverStarted) / 1000,
    };
    log(
      `    vertex of the LP optimum (crossover, ${integrality.seconds.toFixed(1)} s): LP ${vertexLp.toFixed(1)}, ${integralGroups} of ${trios + pairs} groups at 1 ` +
        `carrying ${(100 * integrality.integralShare).toFixed(1)}% of it, ${fractionalColumns} fractional columns`,
    );
    return { bound, lp, rounds: rounds + 1, columns, seconds, integrality };
  } finally {
    model.dispose();
  }
}

/** Every pair's preference score, or -1 where the pair may not meet (no common language, or recent), as a dense n × n matrix. */
export function allowedWeights(scorer: Scorer, n: number): Int16Array {
  const weights = new Int16Array(n * n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (!scorer.commonLanguage(i, j) || scorer.recent(i, j)) continue;
      weights[i * n + j] = weights[j * n + i] = scorer.score(i, j);
    }
  }
  return weights;
}

/** The score of a pair (c undefined) or trio, or -1 when one of its pairs may not meet. */
function groupScore(weights: Int16Array, n: number, a: number, b: number, c: number | undefined): number {
  const ab = weights[a * n + b]!;
  if (c === undefined || ab < 0) return ab;
  const ac = weights[a * n + c]!;
  const bc = weights[b * n + c]!;
  return ac < 0 || bc < 0 ? -1 : ab + ac + bc;
}

/** Each member's trios among its best partners by score (and its best pairs), so the first duals mean something. */
function seedGroups(weights: Int16Array, n: number, withPairs: boolean): number[] {
  const groups: number[] = [];
  const partners = new Int32Array(SEED_PARTNERS);
  const scores = new Int32Array(SEED_PARTNERS);
  for (let a = 0; a < n; a++) {
    partners.fill(-1);
    scores.fill(-1);
    const row = a * n;
    for (let b = 0; b < n; b++) {
      const w = weights[row + b]!;
      if (b === a || w <= scores[SEED_PARTNERS - 1]!) continue;
      let at = SEED_PARTNERS - 1;
      while (at > 0 && scores[at - 1]! < w) {
        scores[at] = scores[at - 1]!;
        partners[at] = partners[at - 1]!;
        at--;
      }
      scores[at] = w;
      partners[at] = b;
    }
    for (let x = 0; x < SEED_PARTNERS && partners[x]! >= 0; x++) {
      if (withPairs) groups.push(a, partners[x]!, -1);
      for (let y = x + 1; y < SEED_PARTNERS && partners[y]! >= 0; y++) groups.push(a, partners[x]!, partners[y]!);
    }
  }
  return groups;
}

interface Priced {
  /** The largest reduced cost of an allowed trio if positive; otherwise some value ≤ 0 (then 0 stands in for it). */
  readonly maxTrio: number;
  /** The largest reduced cost of an allowed pair (-Infinity when the round has no pairs). */
  readonly maxPair: number;
  /** Groups with a positive reduced cost, as member triples (third -1 for a pair). */
  readonly groups: number[];
}

/** Reduced costs of every allowed group against `duals`: the two maxima of the bound, and columns to add. */
function price(
  scorer: Scorer,
  weights: Int16Array,
  n: number,
  duals: Float64Array,
  hasTrioRow: boolean,
  withPairs: boolean,
  withTrios: boolean,
): Priced {
  const groups: number[] = [];
  let maxPair = -Infinity;
  if (withPairs) {
    for (let a = 0; a < n; a++) {
      const row = a * n;
      const pa = duals[a]!;
      let best = 0;
      let partner = -1;
      for (let b = a + 1; b < n; b++) {
        const w = weights[row + b]!;
        if (w < 0) continue;
        const rc = w - pa - duals[b]!;
        if (rc > maxPair) maxPair = rc;
        if (rc > best) {
          best = rc;
          partner = b;
        }
      }
      if (partner >= 0) groups.push(a, partner, -1);
    }
  }
  const maxTrio = withTrios ? priceTrios(scorer, weights, n, duals, hasTrioRow ? duals[n]! : 0, TRIOS_PER_APEX, groups) : -Infinity;
  return { maxTrio, maxPair, groups };
}

/**
 * The largest reduced cost of an allowed trio when it is positive (else a value ≤ 0), and each
 * apex's best trios of positive reduced cost appended to `groups`.
 *
 * A trio's reduced cost splits over its edges: r_ab = w_ab − π_a/2 − π_b/2 − μ/3, so
 * rc(a, b, c) = r_ab + r_ac + r_bc. Of a triangle's three edges the two largest share a member,
 * the apex a, and the third is at most the smaller of them: rc ≤ r_ab + 2·r_ac when r_ab ≥ r_ac.
 * So each apex lists its partners by r, largest first, and pairs (b, c) in that order are
 * enumerated until r_ab + 2·r_ac (or 3·r_ab for the outer loop) no longer exceeds the apex's floor,
 * the perApex-th best found, at least 0. Every trio of positive reduced cost is seen from its
 * apex unless its bound, hence itself, is within the apex's floor; so the largest of the apexes'
 * bests is the exact maximum when positive. Partners with r_ac ≤ −max_b r_ab / 2 cannot complete a
 * positive trio at that apex, so they are not even listed.
 */
export function priceTrios(
  scorer: Scorer,
  weights: Int16Array,
  n: number,
  duals: Float64Array,
  mu: number,
  perApex: number,
  groups: number[],
): number {
  const half = new Float64Array(n);
  for (let i = 0; i < n; i++) half[i] = duals[i]! / 2 + mu / 6;
  const maxEdge = new Float64Array(n).fill(-Infinity);
  for (let a = 0; a < n; a++) {
    const row = a * n;
    let best = -Infinity;
    for (let b = 0; b < n; b++) {
      const w = weights[row + b]!;
      if (w < 0) continue;
      const r = w - half[b]!;
      if (r > best) best = r;
    }
    maxEdge[a] = best - half[a]!;
  }
  const partner = new Int32Array(n);
  const value = new Float64Array(n);
  const order = new Int32Array(n);
  const topRc = new Float64Array(perApex);
  const topB = new Int32Array(perApex);
  const topC = new Int32Array(perApex);
  let maxTrio = -Infinity;
  for (let a = 0; a < n; a++) {
    if (maxEdge[a]! <= 0) continue;
    const row = a * n;
    const ha = half[a]!;
    const listed = -maxEdge[a]! / 2;
    let m = 0;
    for (let b = 0; b < n; b++) {
      const w = weights[row + b]!;
      if (w < 0) continue;
      const r = w - ha - half[b]!;
      if (r <= listed) continue;
      partner[m] = b;
      value[m] = r;
      m++;
    }
    for (let t = 0; t < m; t++) order[t] = t;
    const sorted = order.subarray(0, m).sort((x, y) => value[y]! - value[x]!);
    const byRank = new Int32Array(m);
    const valueByRank = new Float64Array(m);
    for (let t = 0; t < m; t++) {
      byRank[t] = partner[sorted[t]!]!;
      valueByRank[t] = value[sorted[t]!]!;
    }
    topRc.fill(0);
    topB.fill(-1);
    let floor = 0;
    for (let p = 0; p < m; p++) {
      const rab = valueByRank[p]!;
      if (3 * rab <= floor) break;
      const b = byRank[p]!;
      const rowB = b * n;
      const hb = half[b]!;
      for (let q = p + 1; q < m; q++) {
        const rac = valueByRank[q]!;
        if (rab + 2 * rac <= floor) break;
        const c = byRank[q]!;
        const wbc = weights[rowB + c]!;
        if (wbc < 0) continue;
        const rc = rab + rac + wbc - hb - half[c]!;
        if (rc <= floor || !scorer.commonLanguage3(a, b, c)) continue;
        let at = perApex - 1;
        while (at > 0 && topRc[at - 1]! < rc) {
          topRc[at] = topRc[at - 1]!;
          topB[at] = topB[at - 1]!;
          topC[at] = topC[at - 1]!;
          at--;
        }
        topRc[at] = rc;
        topB[at] = b;
        topC[at] = c;
        floor = topRc[perApex - 1]!;
      }
    }
    for (let t = 0; t < perApex && topB[t]! >= 0; t++) groups.push(a, topB[t]!, topC[t]!);
    if (topB[0]! >= 0 && topRc[0]! > maxTrio) maxTrio = topRc[0]!;
  }
  return maxTrio;
}
