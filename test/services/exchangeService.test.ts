import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { ExchangeService } from '../../src/services/exchangeService.ts';
import { KeyedLock } from '../../src/services/keyedLock.ts';
import { UserError } from '../../src/services/userError.ts';
import { GuildConfigStore } from '../../src/store/guildConfigStore.ts';
import { MemberStore } from '../../src/store/memberStore.ts';
import type { Store } from '../../src/store/openStore.ts';
import { EMPTY_PAIRING_STATE, RoundStore, type GroupRecord, type RoundRecord } from '../../src/store/roundStore.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import type { GroupIntro } from '../../src/services/discordPort.ts';
import { FakeClock } from '../support/fakeClock.ts';
import { tempStore } from '../support/tempStore.ts';

const opened: Store[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

const GUILD = '100000000000000001';
const ANA = '300000000000000001';
const BEN = '300000000000000002';
const CHO = '300000000000000003';

async function rig(start = '2026-01-15T06:00:00Z') {
  const store = await tempStore('bridges-exchange-');
  opened.push(store);
  const clock = new FakeClock(start);
  const configs = new GuildConfigStore(store.keyv);
  const members = new MemberStore(store.keyv, store.backend);
  const rounds = new RoundStore(store.keyv);
  const edited: { threadId: string; messageId: string; intro: GroupIntro }[] = [];
  const exchange = new ExchangeService({
    configs,
    members,
    rounds,
    clock,
    locks: new KeyedLock(),
    roundLocks: new KeyedLock(),
    discord: { editIntro: async (threadId, messageId, intro) => void edited.push({ threadId, messageId, intro }) },
    catalog: await loadThemeCatalog(),
    logger: createLogger('error', () => undefined),
  });
  return { clock, configs, members, rounds, exchange, edited };
}

function group(memberIds: string[], patch: Partial<GroupRecord> = {}): GroupRecord {
  return {
    memberIds,
    reasons: { sharedLanguages: ['english'], exchanges: [], differentCultures: true, sharedInterests: [] },
    relaxed: [],
    icebreakerPromptId: 'p-1',
    status: 'delivered',
    left: [],
    answers: {},
    attempts: 0,
    ...patch,
  };
}

/** Stores a round as the round service does: the round, then one record per group. */
async function storeRound(
  rounds: RoundStore,
  id: string,
  number: number,
  groups: GroupRecord[],
  unmatched: string[] = [],
): Promise<RoundRecord> {
  const round: RoundRecord = {
    id,
    number,
    date: '2026-01-08',
    trigger: 'schedule',
    channelId: '200000000000000001',
    createdAt: '2026-01-08T09:00:00Z',
    status: 'delivered',
    relaxed: [],
    groupCount: groups.length,
    cursor: groups.length,
    retry: [],
    unmatched,
    leftBeforePlanning: 0,
    checkInAt: '2026-01-11T09:00:00Z',
    checkInStatus: 'closed',
    checkInCursor: 0,
    checkInClosesAt: '2026-01-15T09:00:00Z',
  };
  await rounds.setRound(GUILD, round);
  for (const [index, group] of groups.entries()) await rounds.setGroup(GUILD, id, index, group);
  return round;
}

/** What a member record says about the rounds they were delivered into. */
function meeting(roundId: string, roundNumber: number, partnerIds: string[], answer?: 'met' | 'not-yet' | 'cant-make-it') {
  return { roundId, roundNumber, groupIndex: 0, partnerIds, ...(answer ? { answer } : {}) };
}

describe('ExchangeService', () => {
  it('joins with a profile, resets missed check-ins when coming back from a pause, and says when already in', async () => {
    const { exchange, members, clock } = await rig();
    expect(await exchange.needsProfile(GUILD, ANA)).toBe(true);
    expect((await exchange.joinWithProfile(GUILD, ANA, { languages: 'en' })).outcome).toBe('joined');
    expect(await exchange.needsProfile(GUILD, ANA)).toBe(false);

    const stored = await members.get(GUILD, ANA);
    await members.set(GUILD, ANA, { ...stored!, missedFollowUps: 2, pausedUntil: '2026-02-01T00:00:00Z', pauseReason: 'no-answers' });
    clock.set('2026-01-20T00:00:00Z');
    expect(await exchange.join(GUILD, ANA)).toBe('resumed');
    const resumed = await members.get(GUILD, ANA);
    expect(resumed).toMatchObject({ optedIn: true, missedFollowUps: 0, optedInAt: '2026-01-15T06:00:00.000Z' });
    expect(resumed?.pausedUntil).toBeUndefined();
    expect(resumed?.pauseReason).toBeUndefined();
    expect(await exchange.join(GUILD, ANA)).toBe('already-in');
  });

  it('refuses /exchange join without a saved profile rather than opting in a member it knows nothing about', async () => {
    const { exchange } = await rig();
    await expect(exchange.join(GUILD, ANA)).rejects.toBeInstanceOf(UserError);
  });

  it('counts rounds and check-in answers, and gives the next round when pairing is on', async () => {
    const { exchange, rounds, configs, members } = await rig();
    await exchange.joinWithProfile(GUILD, ANA, {});
    const joined = await members.get(GUILD, ANA);
    // Delivered in r1 and r3; r0 is no longer kept, so it doesn't count.
    await members.set(GUILD, ANA, {
      ...joined!,
      meetings: [meeting('r3', 3, [CHO], 'cant-make-it'), meeting('r1', 1, [BEN], 'met'), meeting('r0', 1, [CHO], 'met')],
    });
    await storeRound(rounds, 'r1', 1, [group([ANA, BEN], { answers: { [ANA]: 'met', [BEN]: 'met' } })]);
    await storeRound(rounds, 'r2', 2, [group([BEN, CHO])], [ANA]);
    await storeRound(rounds, 'r3', 3, [group([CHO, ANA], { answers: { [ANA]: 'cant-make-it' } })]);
    await rounds.setState(GUILD, { ...EMPTY_PAIRING_STATE, roundIds: ['r3', 'r2', 'r1'], lastScheduledDate: '2026-01-15' });
    await configs.update(GUILD, (config) => ({
      ...config,
      pairing: {
        enabled: true,
        channelId: '200000000000000009',
        frequency: 'weekly',
        weekday: 'thursday',
        time: '18:00',
        timeZone: 'UTC',
        groupSize: 2,
        anchorDate: '2026-01-01',
        followUpDays: 3,
        updatedAt: '2026-01-01T00:00:00Z',
        updatedBy: 'moderator',
      },
    }));

    const overview = await exchange.overview(GUILD, ANA);
    expect(overview.roundsKept).toBe(3);
    expect(overview.roundsPaired).toBe(2);
    expect(overview.answers).toEqual({ met: 1, 'not-yet': 0, 'cant-make-it': 1 });
    // Today's round (the 15th) already ran, so the next is a week later.
    expect(overview.pairing).toEqual({ state: 'on', channelId: '200000000000000009', nextRoundAt: new Date('2026-01-22T18:00:00Z') });
  });

  it('forgets a member everywhere: record, index, groups, answers, exchanges, left, unmatched, partners; counters stay', async () => {
    const { exchange, rounds, members, edited } = await rig();
    await exchange.joinWithProfile(GUILD, ANA, { languages: 'en' });
    await exchange.joinWithProfile(GUILD, BEN, { languages: 'en' });
    for (const [userId, partner] of [
      [ANA, BEN],
      [BEN, ANA],
    ] as const) {
      const record = await members.get(GUILD, userId);
      await members.set(GUILD, userId, { ...record!, meetings: [meeting('r1', 1, [partner], 'met')] });
    }
    const stats = { ...EMPTY_PAIRING_STATE.stats, roundsRun: 2, groupsDelivered: 2, membersPaired: 4 };
    await storeRound(rounds, 'r1', 1, [
      group([ANA, BEN], {
        threadId: '400000000000000001',
        messageId: '500000000000000001',
        answers: { [ANA]: 'met', [BEN]: 'not-yet' },
        reasons: {
          sharedLanguages: ['english'],
          exchanges: [
            { from: ANA, to: BEN, topics: ['brazil'] },
            { from: BEN, to: ANA, topics: ['japan'] },
          ],
          differentCultures: true,
          sharedInterests: ['chess'],
        },
      }),
    ]);
    await storeRound(rounds, 'r2', 2, [group([BEN, CHO], { left: [ANA] })], [ANA]);
    await rounds.setState(GUILD, { ...EMPTY_PAIRING_STATE, roundIds: ['r2', 'r1'], stats });

    expect(await exchange.forget(GUILD, ANA)).toBe(true);

    expect(await members.get(GUILD, ANA)).toBeUndefined();
    expect(await members.ids(GUILD)).toEqual([BEN]);
    expect(JSON.stringify(await members.get(GUILD, BEN))).not.toContain(ANA);
    const stored = JSON.stringify([
      await rounds.recentRounds(GUILD),
      await rounds.groupRange(GUILD, 'r1', 0, 1),
      await rounds.groupRange(GUILD, 'r2', 0, 1),
    ]);
    expect(stored).not.toContain(ANA);
    const [r1group] = await rounds.groupRange(GUILD, 'r1', 0, 1);
    expect(r1group).toMatchObject({ memberIds: [BEN], answers: { [BEN]: 'not-yet' } });
    expect(r1group?.reasons.exchanges).toEqual([]);
    const [r2group] = await rounds.groupRange(GUILD, 'r2', 0, 1);
    expect(r2group).toMatchObject({ memberIds: [BEN, CHO], left: [] });
    expect((await rounds.recentRounds(GUILD))[0]?.unmatched).toEqual([]);
    // The introduction no longer quotes what Ana's profile contributed, and still mentions both.
    expect(edited).toHaveLength(1);
    expect(edited[0]).toMatchObject({ threadId: '400000000000000001', messageId: '500000000000000001' });
    expect(edited[0]?.intro).toMatchObject({ sharedLanguages: [], exchanges: [], sharedInterests: [], overlaps: [] });
    expect([...(edited[0]?.intro.memberIds ?? [])].sort()).toEqual([ANA, BEN].sort());
    expect((await rounds.state(GUILD)).stats).toEqual(stats);
    expect(await exchange.hasData(GUILD, ANA)).toBe(false);
    expect(await exchange.forget(GUILD, ANA)).toBe(false);
  });

  it("forgets a member's cultures: the group's snapshot for the culture map and each partner's passport", async () => {
    const { exchange, rounds, members } = await rig();
    const cultures: Record<string, string[]> = { [ANA]: ['JP'], [BEN]: ['BR'], [CHO]: ['IN', 'UA'] };
    for (const userId of [ANA, BEN, CHO]) {
      await exchange.joinWithProfile(GUILD, userId, { languages: 'en' });
      const partners = [ANA, BEN, CHO].filter((id) => id !== userId);
      const record = await members.get(GUILD, userId);
      const partnerCultures = Object.fromEntries(partners.map((id) => [id, cultures[id]!]));
      await members.set(GUILD, userId, { ...record!, meetings: [{ ...meeting('r1', 1, partners, 'met'), partnerCultures }] });
    }
    await storeRound(rounds, 'r1', 1, [group([ANA, BEN, CHO], { cultures })]);
    await rounds.setState(GUILD, { ...EMPTY_PAIRING_STATE, roundIds: ['r1'] });

    expect(await exchange.forget(GUILD, ANA)).toBe(true);

    const [snapshot] = await rounds.groupRange(GUILD, 'r1', 0, 1);
    expect(snapshot?.cultures).toEqual({ [BEN]: ['BR'], [CHO]: ['IN', 'UA'] });
    expect((await members.get(GUILD, BEN))?.meetings[0]?.partnerCultures).toEqual({ [CHO]: ['IN', 'UA'] });
    expect((await members.get(GUILD, CHO))?.meetings[0]?.partnerCultures).toEqual({ [BEN]: ['BR'] });
    expect(await exchange.hasData(GUILD, ANA)).toBe(false);
  });

  it('leaves without losing the profile, and pause refuses a member who left', async () => {
    const { exchange, members } = await rig();
    await exchange.joinWithProfile(GUILD, ANA, { cultures: 'Brazil' });
    await exchange.pause(GUILD, ANA, 4);
    expect(await exchange.leave(GUILD, ANA)).toBe(true);
    const left = await members.get(GUILD, ANA);
    expect(left).toMatchObject({ optedIn: false, profile: { cultures: ['BR'] } });
    expect(left?.pausedUntil).toBeUndefined();
    await expect(exchange.pause(GUILD, ANA, 1)).rejects.toMatchObject({ problem: { code: 'not-in-exchange' } });
    expect(await exchange.leave(GUILD, ANA)).toBe(false);
  });

  it('does not lose a profile change made while a join is in flight', async () => {
    const { exchange, members } = await rig();
    await Promise.all([
      exchange.joinWithProfile(GUILD, ANA, { languages: 'en' }),
      exchange.updateProfile(GUILD, ANA, { interests: 'chess' }),
    ]);
    expect(await members.get(GUILD, ANA)).toMatchObject({ optedIn: true, profile: { languages: ['en'], interests: ['chess'] } });
  });
});
