import { afterEach, describe, expect, it } from 'vitest';
import { AVOID_LIST_MAX } from '../../src/core/avoidedPairs.ts';
import { pairKey } from '../../src/core/matching.ts';
import type { SupportedLocale } from '../../src/core/locales.ts';
import { createLogger } from '../../src/logger.ts';
import { DiscordFailure } from '../../src/services/discordPort.ts';
import { KeyedLock } from '../../src/services/keyedLock.ts';
import type { ShownTakeaway, TakeawayChannel } from '../../src/services/takeawayPort.ts';
import { TakeawayService } from '../../src/services/takeawayService.ts';
import { UserError } from '../../src/services/userError.ts';
import type { Store } from '../../src/store/openStore.ts';
import { EMPTY_PAIRING_STATE, RoundStore, type GroupRecord, type RoundRecord } from '../../src/store/roundStore.ts';
import { TakeawayStore } from '../../src/store/takeawayStore.ts';
import { FakeClock } from '../support/fakeClock.ts';
import { tempStore } from '../support/tempStore.ts';

const GUILD = '100000000000000001';
const CHANNEL = '300000000000000001';
const ROUND = '2026-01-12-1';
const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

/** Discord as far as takeaways go: what was posted, edited, deleted and thanked, and failures on demand. */
class FakeTakeawayChannel implements TakeawayChannel {
  readonly messages = new Map<string, readonly ShownTakeaway[]>();
  readonly posts: { channelId: string; takeaways: readonly ShownTakeaway[]; nonce: string }[] = [];
  readonly deleted: string[] = [];
  readonly thanks: { threadId: string; fromId: string; partnerIds: readonly string[] }[] = [];
  failNextPost: DiscordFailure | undefined;
  /** When set, a post waits for it before it lands (to interleave a withdrawal). */
  postGate: Promise<void> | undefined;
  private next = 1;

  async postTakeaways(channelId: string, takeaways: readonly ShownTakeaway[], _locale: SupportedLocale, nonce: string) {
    await this.postGate;
    if (this.failNextPost) {
      const failure = this.failNextPost;
      this.failNextPost = undefined;
      throw failure;
    }
    const messageId = `m${this.next++}`;
    this.posts.push({ channelId, takeaways, nonce });
    this.messages.set(messageId, takeaways);
    return { messageId };
  }
  async editTakeaways(_channelId: string, messageId: string, takeaways: readonly ShownTakeaway[]) {
    this.messages.set(messageId, takeaways);
  }
  async deleteMessage(_channelId: string, messageId: string) {
    this.deleted.push(messageId);
    this.messages.delete(messageId);
  }
  failNextThanks = false;
  async sendThanks(threadId: string, fromId: string, partnerIds: readonly string[]) {
    if (this.failNextThanks) {
      this.failNextThanks = false;
      throw new DiscordFailure('transient', 'Sending thanks: Discord error 500');
    }
    this.thanks.push({ threadId, fromId, partnerIds });
  }
}

function group(memberIds: string[], answers: Record<string, 'met' | 'not-yet' | 'cant-make-it'>): GroupRecord {
  return {
    memberIds,
    reasons: { sharedLanguages: ['english'], exchanges: [], differentCultures: false, sharedInterests: [] },
    relaxed: [],
    icebreakerPromptId: 'p1',
    status: 'delivered',
    threadId: `thread-${memberIds.join('-')}`,
    left: [],
    attempts: 0,
    checkIn: 'posted',
    answers,
  };
}

const round: RoundRecord = {
  id: ROUND,
  number: 1,
  date: '2026-01-12',
  trigger: 'manual',
  channelId: '200000000000000001',
  locale: 'en-US',
  createdAt: '2026-01-12T18:00:00.000Z',
  status: 'delivered',
  relaxed: [],
  groupCount: 2,
  cursor: 2,
  retry: [],
  unmatched: [],
  leftBeforePlanning: 0,
  checkInAt: '2026-01-15T18:00:00.000Z',
  checkInStatus: 'posted',
  checkInCursor: 0,
  checkInClosesAt: '2026-01-19T18:00:00.000Z',
};

async function rig(options: { channel?: boolean } = {}) {
  const store = await tempStore('bridges-takeaways-');
  opened.push(store);
  const rounds = new RoundStore(store.keyv);
  const takeawayStore = new TakeawayStore(store.keyv);
  const discord = new FakeTakeawayChannel();
  const service = new TakeawayService({
    rounds,
    takeaways: takeawayStore,
    discord,
    clock: new FakeClock('2026-01-15T19:00:00Z'),
    locks: new KeyedLock(),
    logger: createLogger('error', () => undefined),
  });
  await rounds.setRound(GUILD, round);
  await rounds.setState(GUILD, { ...EMPTY_PAIRING_STATE, roundsStarted: 1, roundIds: [ROUND] });
  await rounds.setGroup(GUILD, ROUND, 0, group(['a', 'b'], { a: 'met', b: 'met' }));
  await rounds.setGroup(GUILD, ROUND, 1, group(['c', 'd', 'e'], { c: 'met', d: 'met', e: 'not-yet' }));
  if (options.channel !== false) await service.setChannel(GUILD, 'moderator', CHANNEL);
  const stored = () => takeawayStore.group(GUILD, ROUND, 0);
  return { service, discord, stored, takeawayStore };
}

const PAIR = { guildId: GUILD, roundId: ROUND, groupIndex: 0 };
const TRIO = { guildId: GUILD, roundId: ROUND, groupIndex: 1 };
const TEXT = 'We both grew up near the sea.';

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as UserError).problem.code;
}

describe('sharing takeaways', () => {
  it('posts once every member agreed, crediting only who asked', async () => {
    const { service, discord } = await rig();
    expect(await service.startShare(PAIR, 'a')).toBe('form');
    expect(await service.share(PAIR, 'a', 'credited', `  ${TEXT}  `)).toEqual({ kind: 'waiting' });
    expect(discord.posts).toHaveLength(0);
    expect(await service.share(PAIR, 'b', 'anonymous', 'Tea is a whole ceremony.')).toEqual({ kind: 'posted', channelId: CHANNEL });
    expect(discord.posts).toEqual([
      { channelId: CHANNEL, takeaways: [{ text: TEXT, authorId: 'a' }, { text: 'Tea is a whole ceremony.' }], nonce: expect.any(String) },
    ]);
  });

  it('posts nothing of a group when one member declines, whatever the others do before or after', async () => {
    const { service, discord, stored } = await rig();
    await service.share(PAIR, 'a', 'credited', TEXT);
    expect(await service.decline(PAIR, 'b')).toEqual({ kind: 'declined' });
    expect(discord.posts).toHaveLength(0);
    expect(await refusal(service.startShare(PAIR, 'a'))).toBe('takeaway-already-chosen');
    expect(discord.posts).toHaveLength(0);
    expect((await stored()).post).toBeUndefined();
  });

  it('refuses to turn a shared takeaway into a refusal afterwards, changing nothing', async () => {
    const { service, discord, stored } = await rig();
    await service.share(PAIR, 'a', 'credited', TEXT);
    expect(await refusal(service.decline(PAIR, 'a'))).toBe('takeaway-already-chosen');
    expect((await stored()).entries).toEqual({ a: { choice: 'credited', text: TEXT } });
    await service.share(PAIR, 'b', 'credited', TEXT);
    expect(discord.posts).toHaveLength(1);
  });

  it('posts once when every member of a group shares at the same moment, and a double click adds nothing', async () => {
    const { service, discord } = await rig();
    await service.share(TRIO, 'c', 'credited', TEXT);
    await service.share(TRIO, 'd', 'credited', TEXT);
    // e answered "Not yet": they cannot share, so the trio's takeaways wait.
    expect(await refusal(service.share(TRIO, 'e', 'credited', TEXT))).toBe('takeaway-needs-met');
    expect(discord.posts).toHaveLength(0);

    const outcomes = await Promise.allSettled([
      service.share(PAIR, 'a', 'credited', TEXT),
      service.share(PAIR, 'b', 'credited', TEXT),
      service.share(PAIR, 'b', 'anonymous', TEXT),
    ]);
    expect(discord.posts).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(1);
    expect(await refusal(service.startShare(PAIR, 'a'))).toBe('takeaway-already-chosen');
    expect(discord.posts).toHaveLength(1);
  });

  it.each([
    ['a member outside the group', 'z', TEXT, 'check-in-not-yours'],
    ['a takeaway that is too short', 'a', 'short', 'takeaway-bad-length'],
    ['a takeaway that is too long', 'a', 'x'.repeat(401), 'takeaway-bad-length'],
  ])('refuses %s and stores nothing', async (_label, userId, text, code) => {
    const { service, discord, stored } = await rig();
    expect(await refusal(service.share(PAIR, userId, 'credited', text))).toBe(code);
    expect(await stored()).toEqual({ entries: {}, thanked: [] });
    expect(discord.posts).toHaveLength(0);
  });

  it('refuses to share before a moderator chose a takeaways channel', async () => {
    const { service, stored } = await rig({ channel: false });
    expect(await refusal(service.startShare(PAIR, 'a'))).toBe('takeaways-not-set-up');
    expect(await refusal(service.share(PAIR, 'a', 'credited', TEXT))).toBe('takeaways-not-set-up');
    expect(await stored()).toEqual({ entries: {}, thanked: [] });
  });

  it('after a failed post, releases the claim so pressing Share again posts, once', async () => {
    const { service, discord, stored } = await rig();
    await service.share(PAIR, 'a', 'credited', TEXT);
    discord.failNextPost = new DiscordFailure('missing-permission', 'Posting takeaways: missing permission');
    expect(await service.share(PAIR, 'b', 'credited', TEXT)).toMatchObject({ kind: 'post-failed' });
    expect((await stored()).post).toBeUndefined();
    expect(await service.startShare(PAIR, 'b')).toEqual({ kind: 'posted', channelId: CHANNEL });
    expect(await refusal(service.startShare(PAIR, 'a'))).toBe('takeaway-already-chosen');
    expect(discord.posts).toHaveLength(1);
  });
});

describe('withdrawing', () => {
  it('edits the post without the text, deletes it when nothing is left, and keeps no text in the store', async () => {
    const { service, discord, stored } = await rig();
    await service.share(PAIR, 'a', 'credited', TEXT);
    await service.share(PAIR, 'b', 'anonymous', 'Tea is a whole ceremony.');
    const messageId = [...discord.messages.keys()][0]!;
    await service.withdraw(PAIR, 'a');
    expect(discord.messages.get(messageId)).toEqual([{ text: 'Tea is a whole ceremony.' }]);
    expect(JSON.stringify(await stored())).not.toContain(TEXT);
    await service.withdraw(PAIR, 'b');
    expect(discord.deleted).toEqual([messageId]);
    expect((await stored()).post?.status).toBe('removed');
    expect(JSON.stringify(await stored())).not.toContain('Tea');
  });

  it('brings a post that was on its way in line with a withdrawal made meanwhile', async () => {
    const { service, discord } = await rig();
    await service.share(PAIR, 'a', 'credited', TEXT);
    let land = () => undefined as void;
    discord.postGate = new Promise<void>((resolve) => (land = resolve));
    const posting = service.share(PAIR, 'b', 'credited', 'Tea is a whole ceremony.');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await service.withdraw(PAIR, 'a');
    land();
    await posting;
    expect([...discord.messages.values()]).toEqual([[{ text: 'Tea is a whole ceremony.', authorId: 'b' }]]);
  });

  it('refuses a member with nothing shared, changing nothing', async () => {
    const { service, stored } = await rig();
    expect(await refusal(service.withdraw(PAIR, 'a'))).toBe('takeaway-nothing-to-withdraw');
    await service.decline(PAIR, 'b');
    expect(await refusal(service.withdraw(PAIR, 'b'))).toBe('takeaway-nothing-to-withdraw');
    expect(await stored()).toEqual({ entries: { b: { choice: 'declined' } }, thanked: [] });
  });
});

describe('thanks', () => {
  it('sends one thank-you per member per group, to the partners only', async () => {
    const { service, discord, stored } = await rig();
    await service.thank(PAIR, 'a');
    expect(await refusal(service.thank(PAIR, 'a'))).toBe('thanks-already-sent');
    expect(discord.thanks).toEqual([{ threadId: 'thread-a-b', fromId: 'a', partnerIds: ['b'] }]);
    expect((await stored()).thanked).toEqual(['a']);
  });

  it('lets a member press again when Discord did not take the thank-you', async () => {
    const { service, discord } = await rig();
    discord.failNextThanks = true;
    await expect(service.thank(PAIR, 'a')).rejects.toBeInstanceOf(DiscordFailure);
    await service.thank(PAIR, 'a');
    expect(discord.thanks).toHaveLength(1);
  });

  it('refuses a member who did not say "We met"', async () => {
    const { service, discord } = await rig();
    expect(await refusal(service.thank(TRIO, 'e'))).toBe('takeaway-needs-met');
    expect(discord.thanks).toEqual([]);
  });
});

describe('avoided members', () => {
  it('adds, lists and removes, binding the pair both ways for rounds', async () => {
    const { service } = await rig();
    expect(await service.avoid(GUILD, 'a', { id: 'b', bot: false })).toEqual(['b']);
    expect(await service.avoidedPairs(GUILD)).toEqual(new Set([pairKey('a', 'b')]));
    expect(await service.avoided(GUILD, 'b')).toEqual([]);
    expect(await service.unavoid(GUILD, 'a', 'b')).toEqual([]);
    expect(await service.avoidedPairs(GUILD)).toEqual(new Set());
  });

  it.each([
    ['oneself', { id: 'a', bot: false }, 'avoid-self'],
    ['a bot', { id: 'bot', bot: true }, 'avoid-bot'],
  ])('refuses to avoid %s, changing nothing', async (_label, target, code) => {
    const { service } = await rig();
    expect(await refusal(service.avoid(GUILD, 'a', target))).toBe(code);
    expect(await service.avoided(GUILD, 'a')).toEqual([]);
  });

  it(`refuses a duplicate, a removal of someone not listed, and more than ${AVOID_LIST_MAX}`, async () => {
    const { service } = await rig();
    for (let i = 0; i < AVOID_LIST_MAX; i++) await service.avoid(GUILD, 'a', { id: `x${i}`, bot: false });
    expect(await refusal(service.avoid(GUILD, 'a', { id: 'x0', bot: false }))).toBe('avoid-already');
    expect(await refusal(service.avoid(GUILD, 'a', { id: 'one-more', bot: false }))).toBe('avoid-list-full');
    expect(await refusal(service.unavoid(GUILD, 'a', 'nobody'))).toBe('avoid-not-listed');
    expect(await service.avoided(GUILD, 'a')).toHaveLength(AVOID_LIST_MAX);
  });
});

describe('forgetting', () => {
  it("deletes the member's avoid list, takeaways and thanks, and takes their text out of a posted message", async () => {
    const { service, discord, stored, takeawayStore } = await rig();
    await service.avoid(GUILD, 'a', { id: 'c', bot: false });
    await service.share(PAIR, 'a', 'credited', TEXT);
    await service.share(PAIR, 'b', 'credited', 'Tea is a whole ceremony.');
    await service.thank(PAIR, 'a');
    expect(await service.hasData(GUILD, 'a')).toBe(true);

    await service.forgetMember(GUILD, 'a');
    expect(await service.hasData(GUILD, 'a')).toBe(false);
    expect(JSON.stringify(await stored())).not.toContain('"a"');
    expect(JSON.stringify(await stored())).not.toContain(TEXT);
    expect(await takeawayStore.avoidLists(GUILD)).toEqual({});
    expect([...discord.messages.values()]).toEqual([[{ text: 'Tea is a whole ceremony.', authorId: 'b' }]]);
  });

  it('closes a group whose takeaways were not posted yet: nothing of it is ever posted', async () => {
    const { service, discord, stored } = await rig();
    await service.share(PAIR, 'b', 'credited', TEXT);
    await service.thank(PAIR, 'a');
    await service.forgetMember(GUILD, 'a');
    expect((await stored()).closed).toBe(true);
    // a shares again as if a new member (the group still names them in this test): nothing is posted.
    expect(await service.share(PAIR, 'a', 'credited', TEXT)).toEqual({ kind: 'declined' });
    expect(discord.posts).toHaveLength(0);
  });

  it("deletes a server's takeaways, channel and avoid lists, and a dropped round's takeaways", async () => {
    const { service, takeawayStore } = await rig();
    await service.avoid(GUILD, 'a', { id: 'c', bot: false });
    await service.share(PAIR, 'a', 'credited', TEXT);
    await service.share(TRIO, 'c', 'credited', TEXT);
    await service.roundDropped(GUILD, { id: ROUND, groupCount: 1 });
    expect(await takeawayStore.group(GUILD, ROUND, 0)).toEqual({ entries: {}, thanked: [] });
    expect((await takeawayStore.group(GUILD, ROUND, 1)).entries.c).toBeDefined();
    await service.deleteServerData(GUILD, [{ id: ROUND, groupCount: 2 }]);
    expect(await takeawayStore.group(GUILD, ROUND, 1)).toEqual({ entries: {}, thanked: [] });
    expect(await takeawayStore.avoidLists(GUILD)).toEqual({});
    expect(await service.channel(GUILD)).toBeUndefined();
  });
});
