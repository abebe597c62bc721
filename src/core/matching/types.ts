/** A member who opted in to this round, as the matcher sees them. */
export interface MatchCandidate {
  readonly userId: string;
  /** Normalized lowercase language names; empty means the server's {@link MatchOptions.defaultLanguage}. */
  readonly languages: readonly string[];
  /** Cultures the member can share, lowercase. */
  readonly cultures: readonly string[];
  /** Cultures the member is curious about, lowercase (same vocabulary as `cultures`). */
  readonly curiousAbout: readonly string[];
  /** Free interests, lowercase. */
  readonly interests: readonly string[];
  /**
   * The member's current UTC offset in minutes (the caller derives it from their IANA zone at round
   * time, so daylight saving is already applied); `undefined` means neutral on waking-hour overlap.
   */
  readonly utcOffsetMinutes?: number | undefined;
}

/** Everything a round needs besides the candidates. */
export interface MatchOptions {
  /** Same seed and inputs give the same groups, e.g. `${guildId}:${roundNumber}`. */
  readonly seed: string;
  /** 2: pairs, plus one trio when the count is odd. 3: trios, with leftovers as pairs (never a group of one). */
  readonly groupSize: 2 | 3;
  /** Language assumed for members who listed none, from the server's preferred locale, e.g. `'english'`. */
  readonly defaultLanguage: string;
  /**
   * {@link pairKey} of every pair that met in the last 6 rounds of this server. A hard constraint:
   * such a pair is grouped again only when no grouping avoids it.
   */
  readonly recentPairs: ReadonlySet<string>;
  /**
   * How many rounds ago each pair last met, by {@link pairKey}: 1 is the previous round. Optional;
   * the service builds it from the rounds it keeps (the longer the better, up to
   * {@link NOVELTY_HORIZON} rounds). It drives the first preference: among partners the hard
   * constraints allow, a member meets someone they have never met (a pair absent from this map)
   * before anyone they have met, and among those the one they met longest ago. It only ranks
   * partners; repeat avoidance still comes from `recentPairs` alone. Without it every allowed pair
   * counts as new, and only the seeded tie-breaking varies the groups from round to round.
   */
  readonly lastMet?: ReadonlyMap<string, number> | undefined;
}

/** The options {@link pairScore} needs. */
export type PairOptions = Pick<MatchOptions, 'defaultLanguage' | 'recentPairs'>;

/**
 * Rounds of history the novelty preference tells apart: pairs that met this many rounds ago or
 * longer rank alike, just below pairs that never met.
 */
export const NOVELTY_HORIZON = 52;

/**
 * A hard constraint the round had to give up for some group, in the order they are given up:
 * a repeat partner you can talk to beats a stranger you cannot, so repeat avoidance goes first
 * and a common language is relaxed only when some member shares no language with anyone left.
 */
export type Relaxation = 'repeat-avoidance' | 'common-language';

/** The order in which hard constraints are relaxed (first is given up first). */
export const RELAXATION_ORDER: readonly Relaxation[] = ['repeat-avoidance', 'common-language'];

/** A window in UTC minutes of the day; `endMinute` exceeds 1440 when it runs past midnight UTC. */
export interface UtcWindow {
  readonly startMinute: number;
  readonly endMinute: number;
}

/** What a group has going for it, for the message that introduces its members. */
export interface MatchReasons {
  /** Languages every member of the group speaks (after applying the default language). */
  readonly sharedLanguages: readonly string[];
  /** Member `from` can share `topics` (their cultures) that member `to` is curious about. */
  readonly exchanges: readonly { readonly from: string; readonly to: string; readonly topics: readonly string[] }[];
  /** True when every member stated cultures and no two members share one. */
  readonly differentCultures: boolean;
  /**
   * Where the 08:00–22:00 local windows of the members with a known offset overlap, in UTC;
   * `undefined` when no member has a known offset.
   */
  readonly overlapHoursUtc?: readonly UtcWindow[] | undefined;
  /** Interests at least two members of the group share. */
  readonly sharedInterests: readonly string[];
}

/** One conversation group of the round. */
export interface MatchGroup {
  readonly memberIds: readonly string[];
  /** Sum of {@link preferenceScore} over every pair inside the group. */
  readonly score: number;
  readonly reasons: MatchReasons;
  /** Hard constraints this group violates, in {@link RELAXATION_ORDER}. */
  readonly relaxed: readonly Relaxation[];
}

/** The outcome of a round. */
export interface MatchResult {
  readonly groups: readonly MatchGroup[];
  /** Every relaxation any group needed, in {@link RELAXATION_ORDER}; empty when all constraints held. */
  readonly relaxed: readonly Relaxation[];
  /**
   * Sum of the group scores (preferences only). Once relaxations are minimised the matcher
   * maximises this sum minus the novelty deficit of every pair (see {@link pairWeight}); without
   * `lastMet` the two are the same.
   */
  readonly objective: number;
  /** Members who could not be placed: only ever a lone candidate (fewer than two in total). */
  readonly unmatched: readonly string[];
}
