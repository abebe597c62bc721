import { Intents } from './gateway.ts';
import { sessionReceives, type ShardTuple } from './sharding.ts';
import type { EmulatorState, MemberRecord } from './state.ts';
import { isRecord } from './util.ts';

/** What the emulator did with one Request Guild Members (opcode 8), as Discord would. */
export type MemberRequestOutcome =
  | 'answered'
  /** A whole-list request for the same guild within 30 s on this session: RATE_LIMITED was sent. */
  | 'rate-limited'
  /** More than 100 user_ids: Discord sends nothing back (discord.js then times out). */
  | 'ignored-too-many-user-ids'
  /** The whole member list without the GUILD_MEMBERS intent: Discord sends nothing back. */
  | 'ignored-missing-intent'
  /** A guild the bot is not in. */
  | 'ignored-unknown-guild'
  /** A guild of another shard: the session is not subscribed to it, so it is as unknown to it. */
  | 'ignored-other-shard';

export interface MemberRequestRecord {
  sessionId: string;
  guildId: string;
  userIds?: string[];
  query?: string;
  limit?: number;
  nonce?: string;
  presences: boolean;
  outcome: MemberRequestOutcome;
  /** GUILD_MEMBERS_CHUNK dispatches sent in answer. */
  chunks: number;
}

export interface MemberRequestAnswer {
  record: MemberRequestRecord;
  dispatches: { t: string; d: Record<string, unknown> }[];
}

export const MAX_USER_IDS_PER_REQUEST = 100;
const MAX_QUERY_RESULTS = 100;
const MEMBERS_PER_CHUNK = 1000;
/** Discord's limit on whole-list requests: one per guild per session every 30 seconds. */
export const WHOLE_LIST_INTERVAL_MS = 30_000;

export interface MemberRequestSession {
  id: string;
  intents: number;
  shard: ShardTuple | null;
  /** realNow() of the last whole-list request per guild, for the 30 s limit. */
  lastWholeListRequest: Map<string, number>;
}

/**
 * Answers opcode 8 the way Discord's gateway does: by user ids (at most 100, no privileged intent),
 * by username prefix (at most 100 results), or the whole list (GUILD_MEMBERS intent, one request
 * per guild per session every 30 s), in GUILD_MEMBERS_CHUNK dispatches of up to 1000 members.
 * Returns undefined for a payload Discord could not decode (the gateway then closes with 4002).
 */
export function answerMemberRequest(
  state: EmulatorState,
  session: MemberRequestSession,
  d: unknown,
  now: number,
): MemberRequestAnswer | undefined {
  if (!isRecord(d)) return undefined;
  // With intents Discord answers only the first guild of a list.
  const guildId = Array.isArray(d.guild_id) ? d.guild_id[0] : d.guild_id;
  if (typeof guildId !== 'string') return undefined;
  const query = typeof d.query === 'string' ? d.query : undefined;
  const rawIds = d.user_ids;
  const userIds =
    typeof rawIds === 'string'
      ? [rawIds]
      : Array.isArray(rawIds)
        ? rawIds.map((id) => (typeof id === 'string' ? id : String(id)))
        : undefined;
  if (query === undefined && userIds === undefined) return undefined;
  const limit = typeof d.limit === 'number' ? d.limit : undefined;
  // Discord ignores a nonce over 32 bytes and answers without one.
  const nonce = typeof d.nonce === 'string' && Buffer.byteLength(d.nonce) <= 32 ? d.nonce : undefined;
  // Presences are only sent with the GUILD_PRESENCES intent; otherwise the flag counts as false.
  const presences = d.presences === true && (session.intents & Intents.GUILD_PRESENCES) !== 0;
  const record: MemberRequestRecord = {
    sessionId: session.id,
    guildId,
    ...(query !== undefined ? { query, limit } : { userIds }),
    nonce,
    presences,
    outcome: 'answered',
    chunks: 0,
  };
  const ignore = (outcome: MemberRequestOutcome): MemberRequestAnswer => ({ record: { ...record, outcome }, dispatches: [] });

  if (!state.guilds.get(guildId)?.botJoined) return ignore('ignored-unknown-guild');
  if (!sessionReceives(session.shard, guildId)) return ignore('ignored-other-shard');
  let members: MemberRecord[];
  let notFound: string[] | undefined;
  if (query !== undefined) {
    // Discord ignores user_ids when a query is present.
    if (query === '') {
      if ((session.intents & Intents.GUILD_MEMBERS) === 0) return ignore('ignored-missing-intent');
      const all = state.guildMembers(guildId);
      if (!limit) {
        const last = session.lastWholeListRequest.get(guildId);
        if (last !== undefined && now - last < WHOLE_LIST_INTERVAL_MS) {
          return {
            record: { ...record, outcome: 'rate-limited' },
            dispatches: [
              {
                t: 'RATE_LIMITED',
                d: {
                  opcode: 8,
                  retry_after: Math.ceil(WHOLE_LIST_INTERVAL_MS - (now - last)) / 1000,
                  meta: { guild_id: guildId, ...(nonce !== undefined ? { nonce } : {}) },
                },
              },
            ],
          };
        }
        session.lastWholeListRequest.set(guildId, now);
        members = all;
      } else {
        members = all.slice(0, limit);
      }
    } else {
      const prefix = query.toLowerCase();
      members = state
        .guildMembers(guildId)
        .filter((m) => {
          const user = state.users.get(m.userId);
          return [user?.username, user?.globalName, m.nick].some((name) => name?.toLowerCase().startsWith(prefix));
        })
        .slice(0, Math.min(limit || MAX_QUERY_RESULTS, MAX_QUERY_RESULTS));
    }
  } else {
    const ids = userIds ?? [];
    if (ids.length > MAX_USER_IDS_PER_REQUEST) return ignore('ignored-too-many-user-ids');
    const unique = [...new Set(ids)];
    members = unique.map((id) => state.member(guildId, id)).filter((m) => m !== undefined);
    notFound = unique.filter((id) => !state.member(guildId, id));
  }

  const chunkCount = Math.max(1, Math.ceil(members.length / MEMBERS_PER_CHUNK));
  const dispatches = Array.from({ length: chunkCount }, (_, index) => {
    const slice = members.slice(index * MEMBERS_PER_CHUNK, (index + 1) * MEMBERS_PER_CHUNK);
    return {
      t: 'GUILD_MEMBERS_CHUNK',
      d: {
        guild_id: guildId,
        members: slice.map((m) => state.memberJson(m)),
        chunk_index: index,
        chunk_count: chunkCount,
        ...(notFound !== undefined && index === 0 ? { not_found: notFound } : {}),
        ...(presences ? { presences: [] } : {}),
        ...(nonce !== undefined ? { nonce } : {}),
      },
    };
  });
  return { record: { ...record, chunks: chunkCount }, dispatches };
}
