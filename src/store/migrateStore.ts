import { z } from 'zod';
import type { Failure } from '../core/failure.ts';
import type { Logger } from '../logger.ts';
import { CHECK_IN_WINDOW_DAYS } from '../core/roundPlan.ts';
import { indexName, MAX_KEPT_MEETINGS, upgradeMemberRecord, type Meeting } from './memberStore.ts';
import type { Store } from './openStore.ts';
import { upgradePromptLog } from './promptLogStore.ts';
import { STORE_FORMAT, unwrap } from './recordStore.ts';

const FORMAT_KEY = 'meta:store-format';

/** Format 1's round: one record holding every group. */
const legacyRoundSchema = z.looseObject({
  id: z.string(),
  number: z.number(),
  status: z.enum(['delivering', 'delivered']),
  checkInAt: z.string(),
  groups: z.array(
    z.looseObject({
      memberIds: z.array(z.string()),
      status: z.enum(['planned', 'creating', 'delivered', 'failed']),
      failure: z.string().optional(),
      checkInMessageId: z.string().optional(),
      answers: z.record(z.string(), z.enum(['met', 'not-yet', 'cant-make-it'])),
    }),
  ),
});

type LegacyRound = z.output<typeof legacyRoundSchema>;

/**
 * Brings a store written by an older Bridges to the current format, once, at start-up. From format
 * 1: every record gets its format version; member indexes move into the backend's sets; a round's
 * groups become one record each; each member's meetings are rebuilt from the kept rounds. From
 * format 2: members' profiles store languages and regions as codes; other records are read as they
 * are. Records already in the current format are left alone, so a migration interrupted halfway
 * simply runs again.
 */
export async function migrateStore(store: Store, now: Date, logger: Logger): Promise<void> {
  const { keyv, backend } = store;
  const format = unwrap(await keyv.get(FORMAT_KEY));
  if (format.data !== undefined && typeof format.data === 'object' && format.data !== null && 'format' in format.data) {
    if (Number(format.data.format) >= STORE_FORMAT) return;
  }
  const iterate = keyv.iterator?.bind(keyv);
  if (!iterate) throw new Error('This store cannot list its records, so it cannot be migrated');

  const legacy: [string, unknown][] = [];
  let oldest = STORE_FORMAT;
  for await (const [key, value] of iterate(undefined)) {
    if (typeof key !== 'string' || key === FORMAT_KEY) continue;
    const { version, data } = unwrap(value);
    if (version === 1) {
      legacy.push([key, value]);
      oldest = 1;
    } else if (version < STORE_FORMAT && key.startsWith('member:')) {
      await keyv.set(key, { v: STORE_FORMAT, data: upgradeMemberRecord(data, version) });
      oldest = Math.min(oldest, version);
    }
  }
  if (legacy.length === 0 && format.data === undefined && oldest === STORE_FORMAT) {
    await keyv.set(FORMAT_KEY, { v: STORE_FORMAT, data: { format: STORE_FORMAT, migratedAt: now.toISOString() } });
    return;
  }

  const wrap = (data: unknown) => ({ v: STORE_FORMAT, data });
  const meetings = new Map<string, Meeting[]>();
  const indexes: string[] = [];
  const members: [string, Record<string, unknown>][] = [];
  for (const [key, value] of legacy) {
    const kind = key.slice(0, key.indexOf(':'));
    const id = key.slice(kind.length + 1);
    switch (kind) {
      case 'member-index': {
        const ids = z.array(z.string()).parse(value);
        await backend.addToSet(indexName(id), ids);
        indexes.push(key);
        break;
      }
      case 'member':
        members.push([key, z.record(z.string(), z.unknown()).parse(value)]);
        break;
      case 'prompt-log':
        await keyv.set(key, wrap(upgradePromptLog(value)));
        break;
      case 'round':
        await migrateRound(store, id, legacyRoundSchema.parse(value), meetings);
        break;
      case 'command-registration':
        // Commands are now compared with what Discord has, not with a fingerprint kept here.
        await keyv.delete(key);
        break;
      default:
        await keyv.set(key, wrap(value));
    }
  }
  for (const [key, record] of members) {
    const [guildId = '', userId = ''] = key.slice('member:'.length).split(':');
    await backend.addToSet(indexName(guildId), [userId]);
    const kept = (meetings.get(`${guildId}:${userId}`) ?? []).sort((a, b) => b.roundNumber - a.roundNumber).slice(0, MAX_KEPT_MEETINGS);
    await keyv.set(key, wrap({ ...(upgradeMemberRecord(record, 1) as Record<string, unknown>), meetings: kept }));
  }
  for (const key of indexes) await keyv.delete(key);
  await keyv.set(FORMAT_KEY, wrap({ format: STORE_FORMAT, migratedAt: now.toISOString() }));
  logger.info('Store migrated to the current format', { from: oldest, to: STORE_FORMAT });
}

async function migrateRound(store: Store, key: string, round: LegacyRound, meetings: Map<string, Meeting[]>): Promise<void> {
  const guildId = key.slice(0, key.indexOf(':'));
  const { groups, ...header } = round;
  const final = new Set(['delivered', 'failed']);
  const firstOpen = groups.findIndex((group) => !final.has(group.status));
  for (const [index, group] of groups.entries()) {
    const { checkInMessageId, failure, ...rest } = group;
    await store.keyv.set(`round-group:${key}:${index}`, {
      v: STORE_FORMAT,
      data: {
        ...rest,
        attempts: 0,
        ...(failure === undefined ? {} : { failure: legacyGroupFailure(failure) }),
        ...(checkInMessageId === undefined
          ? {}
          : checkInMessageId === 'unavailable'
            ? { checkIn: 'unavailable' }
            : { checkIn: 'posted', checkInMessageId }),
      },
    });
    if (group.status !== 'delivered') continue;
    for (const userId of group.memberIds) {
      const list = meetings.get(`${guildId}:${userId}`) ?? [];
      const answer = group.answers[userId];
      list.push({
        roundNumber: round.number,
        roundId: round.id,
        groupIndex: index,
        partnerIds: group.memberIds.filter((id) => id !== userId),
        ...(answer === undefined ? {} : { answer }),
      });
      meetings.set(`${guildId}:${userId}`, list);
    }
  }
  await store.keyv.set(`round:${key}`, {
    v: STORE_FORMAT,
    data: {
      ...header,
      groupCount: groups.length,
      cursor: firstOpen === -1 ? groups.length : firstOpen,
      retry: [],
      leftBeforePlanning: 0,
      checkInCursor: 0,
      checkInClosesAt: new Date(Date.parse(round.checkInAt) + CHECK_IN_WINDOW_DAYS * 86_400_000).toISOString(),
    },
  });
}

function legacyGroupFailure(text: string): Failure {
  if (text === 'members left the server') return { kind: 'members-left' };
  return { kind: 'gave-up', detail: text };
}
