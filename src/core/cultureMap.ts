/**
 * The culture map: which cultures have met which across a server's delivered conversations, as
 * aggregates only. A pair of cultures is shown by name only when at least `MIN_MEMBERS_PER_PAIR`
 * distinct members stand behind it; every other pair is merged into one "other" count, so the map
 * never points at one or two people. Pure: plain values in, plain values out.
 */

/** Fewer distinct members than this behind a pair of cultures and the pair is merged into "other". */
export const MIN_MEMBERS_PER_PAIR = 3;
/** Cultures named on the map at most; pairs with any culture beyond the busiest ones go to "other". */
export const MAX_MAP_CULTURES = 12;

/** One delivered conversation: its members and each member's cultures when it was planned. */
export interface ConversationCultures {
  readonly memberIds: readonly string[];
  readonly cultures: Readonly<Record<string, readonly string[]>>;
}

/** Two cultures (a < b) that met, in how many conversations, with how many distinct members behind it. */
export interface CulturePairCount {
  readonly a: string;
  readonly b: string;
  readonly conversations: number;
  readonly members: number;
}

export interface CultureMap {
  /** The cultures named on the map, busiest first (ties by code). */
  readonly cultures: readonly string[];
  /** Pairs between named cultures, each backed by at least MIN_MEMBERS_PER_PAIR members. */
  readonly pairs: readonly CulturePairCount[];
  /**
   * Everything merged: conversations counted once per merged pair (as the named pairs are), and
   * the distinct members behind them. Shown only when at least MIN_MEMBERS_PER_PAIR members stand
   * behind it too; otherwise `conversations` is 0.
   */
  readonly other: { readonly conversations: number; readonly members: number };
  /** Delivered conversations the map was drawn from (with at least two members whose cultures are known). */
  readonly conversations: number;
}

/**
 * Aggregates conversations into a culture map. Two different cultures "meet" in a conversation when
 * one member has the first and another member the second; a conversation counts once per pair of
 * cultures, whatever the number of members who brought them.
 */
export function cultureMap(conversations: readonly ConversationCultures[], maxCultures = MAX_MAP_CULTURES): CultureMap {
  const tallies = new Map<string, { a: string; b: string; conversations: number; members: Set<string> }>();
  let counted = 0;
  for (const conversation of conversations) {
    const known = conversation.memberIds.filter((id) => (conversation.cultures[id]?.length ?? 0) > 0);
    if (known.length < 2) continue;
    counted += 1;
    const inThis = new Map<string, Set<string>>();
    for (const [i, first] of known.entries()) {
      for (const second of known.slice(i + 1)) {
        for (const x of conversation.cultures[first] ?? []) {
          for (const y of conversation.cultures[second] ?? []) {
            if (x === y) continue;
            const [a, b] = x < y ? [x, y] : [y, x];
            const key = `${a}\u0000${b}`;
            const members = inThis.get(key) ?? new Set<string>();
            members.add(first).add(second);
            inThis.set(key, members);
          }
        }
      }
    }
    for (const [key, members] of inThis) {
      const [a = '', b = ''] = key.split('\u0000');
      const tally = tallies.get(key) ?? { a, b, conversations: 0, members: new Set<string>() };
      tally.conversations += 1;
      for (const id of members) tally.members.add(id);
      tallies.set(key, tally);
    }
  }

  const shown = [...tallies.values()].filter((tally) => tally.members.size >= MIN_MEMBERS_PER_PAIR);
  const weight = new Map<string, number>();
  for (const tally of shown) {
    weight.set(tally.a, (weight.get(tally.a) ?? 0) + tally.conversations);
    weight.set(tally.b, (weight.get(tally.b) ?? 0) + tally.conversations);
  }
  const cultures = [...weight.entries()]
    .sort(([x, wx], [y, wy]) => wy - wx || (x < y ? -1 : 1))
    .slice(0, maxCultures)
    .map(([code]) => code);
  const named = new Set(cultures);

  const pairs: CulturePairCount[] = [];
  const otherMembers = new Set<string>();
  let otherConversations = 0;
  for (const tally of [...tallies.values()].sort((x, y) => (x.a + x.b < y.a + y.b ? -1 : 1))) {
    if (tally.members.size >= MIN_MEMBERS_PER_PAIR && named.has(tally.a) && named.has(tally.b)) {
      pairs.push({ a: tally.a, b: tally.b, conversations: tally.conversations, members: tally.members.size });
    } else {
      otherConversations += tally.conversations;
      for (const id of tally.members) otherMembers.add(id);
    }
  }
  const otherShown = otherMembers.size >= MIN_MEMBERS_PER_PAIR;
  return {
    cultures,
    pairs,
    other: { conversations: otherShown ? otherConversations : 0, members: otherShown ? otherMembers.size : 0 },
    conversations: counted,
  };
}

/** The count drawn in a cell of the map (symmetric; 0 where the two cultures have not met, or are the same). */
export function pairCount(map: CultureMap, x: string, y: string): number {
  const [a, b] = x < y ? [x, y] : [y, x];
  return map.pairs.find((pair) => pair.a === a && pair.b === b)?.conversations ?? 0;
}

/** One conversation of a member: the cultures each partner had when it was planned. */
export interface MetPartners {
  readonly partnerCultures: Readonly<Record<string, readonly string[]>>;
}

/** A member's passport: each culture their partners brought, in how many conversations, most met first. */
export function passport(ownCultures: readonly string[], meetings: readonly MetPartners[]): { culture: string; conversations: number }[] {
  const own = new Set(ownCultures);
  const counts = new Map<string, number>();
  for (const meeting of meetings) {
    const met = new Set(Object.values(meeting.partnerCultures).flat());
    for (const culture of met) if (!own.has(culture)) counts.set(culture, (counts.get(culture) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([x, cx], [y, cy]) => cy - cx || (x < y ? -1 : 1))
    .map(([culture, conversations]) => ({ culture, conversations }));
}
