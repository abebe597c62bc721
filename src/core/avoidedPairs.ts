/**
 * "Never pair me with this member again": a hard constraint that is never relaxed. The matcher is
 * given avoided pairs as recent pairs, which it avoids whenever it can; this post-check makes the
 * rule absolute by splitting any group that still holds an avoided pair and re-forming groups from
 * the members it frees where that is possible. Pure.
 */
import {
  explainGroup,
  pairKey,
  preferenceScore,
  type MatchCandidate,
  type MatchGroup,
  type MatchOptions,
  type Relaxation,
} from './matching.ts';

/** Most members one member may avoid in a server. */
export const AVOID_LIST_MAX = 25;

/** Largest group a re-formed member may join (a pair becomes a trio). */
const LARGEST_GROUP = 3;

/** Every avoided pair, by {@link pairKey}, from each member's own list; avoiding is one-sided but binds both. */
export function avoidedPairKeys(lists: Readonly<Record<string, readonly string[]>>): Set<string> {
  const keys = new Set<string>();
  for (const [userId, avoided] of Object.entries(lists)) {
    for (const other of avoided) if (other !== userId) keys.add(pairKey(userId, other));
  }
  return keys;
}

function holdsAvoidedPair(memberIds: readonly string[], avoided: ReadonlySet<string>): boolean {
  return memberIds.some((a, i) => memberIds.slice(i + 1).some((b) => avoided.has(pairKey(a, b))));
}

function fitsWith(memberIds: readonly string[], candidate: string, avoided: ReadonlySet<string>): boolean {
  return memberIds.every((id) => !avoided.has(pairKey(id, candidate)));
}

/**
 * Groups in which no two members avoid each other. Groups without an avoided pair come back as
 * they were (except that a freed member may join a pair of them, making a trio); the members of the
 * others are freed, paired among themselves where no avoided pair stands in the way, else added to
 * a pair they may join. Whoever fits nowhere comes back in `unmatched` (they go first next round).
 *
 * @param form builds a group for members who were not grouped by the matcher (its reasons, its score).
 */
export function separateAvoidedPairs<G extends { readonly memberIds: readonly string[] }>(
  groups: readonly G[],
  avoided: ReadonlySet<string>,
  form: (memberIds: readonly string[]) => G,
): { groups: G[]; unmatched: string[] } {
  if (avoided.size === 0) return { groups: [...groups], unmatched: [] };
  const kept: G[] = [];
  const freed: string[] = [];
  for (const group of groups) {
    if (holdsAvoidedPair(group.memberIds, avoided)) freed.push(...group.memberIds);
    else kept.push(group);
  }
  if (freed.length === 0) return { groups: kept, unmatched: [] };

  const reformed: string[][] = [];
  const alone: string[] = [];
  const waiting = [...freed];
  while (waiting.length > 0) {
    const member = waiting.shift()!;
    const partnerAt = waiting.findIndex((other) => !avoided.has(pairKey(member, other)));
    if (partnerAt === -1) alone.push(member);
    else reformed.push([member, ...waiting.splice(partnerAt, 1)]);
  }

  const result: G[] = [...kept];
  const grown = new Set<number>();
  // Two freed members who may not meet each other can each take one member of a kept pair.
  const stillAlone: string[] = [];
  while (alone.length > 0) {
    const first = alone.shift()!;
    const swap = findPairSwap(first, alone, result, grown, avoided);
    if (swap === undefined) {
      stillAlone.push(first);
      continue;
    }
    const [second] = alone.splice(swap.partnerAt, 1);
    const [c, d] = result[swap.groupIndex]!.memberIds;
    result.splice(swap.groupIndex, 1);
    reformed.push([first, swap.firstWith === 'c' ? c! : d!], [second!, swap.firstWith === 'c' ? d! : c!]);
  }
  const unmatched: string[] = [];
  for (const member of stillAlone) {
    const newGroup = reformed.findIndex((ids) => ids.length < LARGEST_GROUP && fitsWith(ids, member, avoided));
    if (newGroup !== -1) {
      reformed[newGroup]!.push(member);
      continue;
    }
    const keptGroup = result.findIndex(
      (group, index) => !grown.has(index) && group.memberIds.length < LARGEST_GROUP && fitsWith(group.memberIds, member, avoided),
    );
    if (keptGroup !== -1) {
      result[keptGroup] = form([...result[keptGroup]!.memberIds, member]);
      grown.add(keptGroup);
      continue;
    }
    unmatched.push(member);
  }
  for (const ids of reformed) result.push(form(ids));
  return { groups: result, unmatched };
}

function findPairSwap(
  first: string,
  others: readonly string[],
  groups: readonly { readonly memberIds: readonly string[] }[],
  grown: ReadonlySet<number>,
  avoided: ReadonlySet<string>,
): { partnerAt: number; groupIndex: number; firstWith: 'c' | 'd' } | undefined {
  const allowed = (a: string, b: string) => !avoided.has(pairKey(a, b));
  for (const [groupIndex, group] of groups.entries()) {
    if (grown.has(groupIndex) || group.memberIds.length !== 2) continue;
    const [c = '', d = ''] = group.memberIds;
    for (const [partnerAt, second] of others.entries()) {
      if (allowed(first, c) && allowed(second, d)) return { partnerAt, groupIndex, firstWith: 'c' };
      if (allowed(first, d) && allowed(second, c)) return { partnerAt, groupIndex, firstWith: 'd' };
    }
  }
  return undefined;
}

/**
 * A group the post-check formed itself, described the way the matcher describes its own: the
 * reasons for the introduction, the preference score, and which hard constraints it gives up.
 */
export function describeFormedGroup(
  members: readonly MatchCandidate[],
  options: Pick<MatchOptions, 'defaultLanguage' | 'recentPairs'>,
): MatchGroup {
  const reasons = explainGroup(members, options);
  let score = 0;
  let repeats = false;
  for (const [i, a] of members.entries()) {
    for (const b of members.slice(i + 1)) {
      score += preferenceScore(a, b);
      if (options.recentPairs.has(pairKey(a.userId, b.userId))) repeats = true;
    }
  }
  const relaxed: Relaxation[] = [];
  if (repeats) relaxed.push('repeat-avoidance');
  if (reasons.sharedLanguages.length === 0) relaxed.push('common-language');
  return { memberIds: members.map((member) => member.userId), score, reasons, relaxed };
}
