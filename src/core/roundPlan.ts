/**
 * Planning a pairing round around the matcher: who met whom before, who waited longest, which
 * icebreaker each group gets and what its thread is called. Pure: the round service loads the
 * members, runs the matcher and stores the plan.
 */
import { pairKey, type MatchGroup } from './matching.ts';
import { seededRandom } from './random.ts';
import { pickIcebreaker } from './rotation.ts';
import type { ThemeCatalog } from './themes.ts';

/** Pairs that met in this many most recent rounds are not paired again while avoidable. */
export const REPEAT_WINDOW_ROUNDS = 6;
/** How long after the check-in members may still answer; then the threads are archived. */
export const CHECK_IN_WINDOW_DAYS = 4;

/** A conversation a member was delivered into, as kept on the member. */
export interface PastMeeting {
  readonly roundNumber: number;
  readonly partnerIds: readonly string[];
}

export interface PairHistory {
  /** Pairs that met in the last {@link REPEAT_WINDOW_ROUNDS} rounds before `roundNumber`. */
  readonly recentPairs: Set<string>;
  /** Every remembered pair, with how many rounds ago it last met (1 = the previous round). */
  readonly lastMet: Map<string, number>;
}

/** Who met whom before round `roundNumber`, from the meetings each member keeps. */
export function pairHistory(
  members: readonly { readonly userId: string; readonly meetings: readonly PastMeeting[] }[],
  roundNumber: number,
): PairHistory {
  const recentPairs = new Set<string>();
  const lastMet = new Map<string, number>();
  for (const { userId, meetings } of members) {
    for (const meeting of meetings) {
      const ago = roundNumber - meeting.roundNumber;
      if (ago < 1) continue;
      for (const partnerId of meeting.partnerIds) {
        if (partnerId === userId) continue;
        const key = pairKey(userId, partnerId);
        const known = lastMet.get(key);
        if (known === undefined || ago < known) lastMet.set(key, ago);
        if (ago <= REPEAT_WINDOW_ROUNDS) recentPairs.add(key);
      }
    }
  }
  return { recentPairs, lastMet };
}

/**
 * The groups in delivery order: groups with the longest-waiting member first (members whose group
 * could not be delivered in an earlier round, by that round's number), the rest as the matcher
 * gave them. When a server runs out of room for threads, the groups at the end wait.
 */
export function orderByWaiting<G extends Pick<MatchGroup, 'memberIds'>>(
  groups: readonly G[],
  waitingSince: ReadonlyMap<string, number>,
): G[] {
  const rank = (group: G) => Math.min(...group.memberIds.map((id) => waitingSince.get(id) ?? Number.POSITIVE_INFINITY));
  return groups
    .map((group, index) => ({ group, index, rank: rank(group) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ group }) => group);
}

/**
 * One icebreaker per group, none twice in a round while others remain: from `themeIds` (a themed
 * week's theme) when given, else from every theme.
 */
export function assignIcebreakers(catalog: ThemeCatalog, groupCount: number, seed: string, themeIds?: readonly string[]): string[] {
  const random = seededRandom(seed);
  const used = new Set<string>();
  const from = themeIds ?? catalog.themes.map((theme) => theme.id);
  return Array.from({ length: groupCount }, () => {
    const icebreaker = pickIcebreaker(catalog, from, random, used);
    used.add(icebreaker.prompt.id);
    return icebreaker.prompt.id;
  });
}

/** Deterministic, so a resumed round finds the thread it may already have made. */
export function threadName(round: { readonly number: number; readonly date: string }, index: number): string {
  return `Bridges round ${round.number} · ${round.date} · ${index + 1}`;
}
