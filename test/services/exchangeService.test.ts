import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Keyv from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { ExchangeService } from '../../src/services/exchangeService.ts';
import { KeyedLock } from '../../src/services/keyedLock.ts';
import { UserError } from '../../src/services/userError.ts';
import { GuildConfigStore } from '../../src/store/guildConfigStore.ts';
import { MemberStore } from '../../src/store/memberStore.ts';
import { openKeyv } from '../../src/store/openKeyv.ts';
import { EMPTY_PAIRING_STATE, RoundStore, type GroupRecord, type RoundRecord } from '../../src/store/roundStore.ts';
import { FakeClock } from '../support/fakeClock.ts';

const opened: Keyv[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((keyv) => keyv.disconnect()));
});

const GUILD = '100000000000000001';
const ANA = '300000000000000001';
const BEN = '300000000000000002';
const CHO = '300000000000000003';

async function rig(start = '2026-01-15T06:00:00Z') {
  const keyv = await openKeyv(`sqlite://${join(mkdtempSync(join(tmpdir(), 'bridges-exchange-')), 'db.sqlite')}`, () => undefined);
  opened.push(keyv);
  const clock = new FakeClock(start);
  const configs = new GuildConfigStore(keyv);
  const members = new MemberStore(keyv);
  const rounds = new RoundStore(keyv);
  const exchange = new ExchangeService({
    configs,
    members,
    rounds,
    clock,
    locks: new KeyedLock(),
    roundLocks: new KeyedLock(),
    logger: createLogger('error', () => undefined),
  });
  return { clock, configs, members, rounds, exchange };
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
    ...patch,
  };
}

function round(id: string, number: number, groups: GroupRecord[], unmatched: string[] = []): RoundRecord {
  return {
    id,
    number,
    date: '2026-01-08',
    trigger: 'schedule',
    channelId: '200000000000000001',
    createdAt: '2026-01-08T09:00:00Z',
    status: 'delivered',
    relaxed: [],
    groups,
    unmatched,
    checkInAt: '2026-01-11T09:00:00Z',
    checkInStatus: 'closed',
  };
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
    const { exchange, rounds, configs } = await rig();
    await exchange.joinWithProfile(GUILD, ANA, {});
    await rounds.setRound(GUILD, round('r1', 1, [group([ANA, BEN], { answers: { [ANA]: 'met', [BEN]: 'met' } })]));
    await rounds.setRound(GUILD, round('r2', 2, [group([BEN, CHO])], [ANA]));
    await rounds.setRound(GUILD, round('r3', 3, [group([CHO, ANA], { answers: { [ANA]: 'cant-make-it' } })]));
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

  it('forgets a member everywhere: record, index, groups, answers, exchanges, left and unmatched; counters stay', async () => {
    const { exchange, rounds, members } = await rig();
    await exchange.joinWithProfile(GUILD, ANA, { languages: 'en' });
    await exchange.joinWithProfile(GUILD, BEN, { languages: 'en' });
    const stats = { ...EMPTY_PAIRING_STATE.stats, roundsRun: 2, groupsDelivered: 2, membersPaired: 4 };
    await rounds.setRound(
      GUILD,
      round('r1', 1, [
        group([ANA, BEN], {
          answers: { [ANA]: 'met', [BEN]: 'not-yet' },
          reasons: {
            sharedLanguages: ['english'],
            exchanges: [
              { from: ANA, to: BEN, topics: ['brazil'] },
              { from: BEN, to: ANA, topics: ['japan'] },
            ],
            differentCultures: true,
            sharedInterests: [],
          },
        }),
      ]),
    );
    await rounds.setRound(GUILD, round('r2', 2, [group([BEN, CHO], { left: [ANA] })], [ANA]));
    await rounds.setState(GUILD, { ...EMPTY_PAIRING_STATE, roundIds: ['r2', 'r1'], stats });

    expect(await exchange.forget(GUILD, ANA)).toBe(true);

    expect(await members.get(GUILD, ANA)).toBeUndefined();
    expect(await members.ids(GUILD)).toEqual([BEN]);
    const stored = JSON.stringify(await rounds.recentRounds(GUILD));
    expect(stored).not.toContain(ANA);
    const [r2, r1] = await rounds.recentRounds(GUILD);
    expect(r1?.groups[0]).toMatchObject({ memberIds: [BEN], answers: { [BEN]: 'not-yet' } });
    expect(r1?.groups[0]?.reasons.exchanges).toEqual([]);
    expect(r2?.groups[0]).toMatchObject({ memberIds: [BEN, CHO], left: [] });
    expect(r2?.unmatched).toEqual([]);
    expect((await rounds.state(GUILD)).stats).toEqual(stats);
    expect(await exchange.hasData(GUILD, ANA)).toBe(false);
    expect(await exchange.forget(GUILD, ANA)).toBe(false);
  });

  it('leaves without losing the profile, and pause refuses a member who left', async () => {
    const { exchange, members } = await rig();
    await exchange.joinWithProfile(GUILD, ANA, { cultures: 'Brazil' });
    await exchange.pause(GUILD, ANA, 4);
    expect(await exchange.leave(GUILD, ANA)).toBe(true);
    const left = await members.get(GUILD, ANA);
    expect(left).toMatchObject({ optedIn: false, profile: { cultures: ['brazil'] } });
    expect(left?.pausedUntil).toBeUndefined();
    await expect(exchange.pause(GUILD, ANA, 1)).rejects.toThrow('/exchange join');
    expect(await exchange.leave(GUILD, ANA)).toBe(false);
  });

  it('does not lose a profile change made while a join is in flight', async () => {
    const { exchange, members } = await rig();
    await Promise.all([
      exchange.joinWithProfile(GUILD, ANA, { languages: 'en' }),
      exchange.updateProfile(GUILD, ANA, { interests: 'chess' }),
    ]);
    expect(await members.get(GUILD, ANA)).toMatchObject({ optedIn: true, profile: { languages: ['english'], interests: ['chess'] } });
  });
});
