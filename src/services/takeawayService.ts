import { AVOID_LIST_MAX, avoidedPairKeys } from '../core/avoidedPairs.ts';
import type { Failure } from '../core/failure.ts';
import {
  groupConsent,
  type GroupConsent,
  shownTakeaways,
  tidyTakeaway,
  TAKEAWAY_MAX_LENGTH,
  TAKEAWAY_MIN_LENGTH,
} from '../core/takeaway.ts';
import type { Logger } from '../logger.ts';
import type { RoundStore, GroupRecord, RoundRecord } from '../store/roundStore.ts';
import type { GroupTakeaways, TakeawaySettings, TakeawayStore } from '../store/takeawayStore.ts';
import type { Clock } from './clock.ts';
import { DiscordFailure, failureOf } from './discordPort.ts';
import type { Locks } from './keyedLock.ts';
import { nonceFor } from './nonce.ts';
import { groupLocaleOf, roundLocale } from './roundLocale.ts';
import type { ShownTakeaway, TakeawayChannel } from './takeawayPort.ts';
import { UserError } from './userError.ts';

/** Discord's JSON error code for a message that no longer exists. */
const UNKNOWN_MESSAGE = 10008;

export interface TakeawayServiceDeps {
  readonly rounds: RoundStore;
  readonly takeaways: TakeawayStore;
  readonly discord: TakeawayChannel;
  readonly clock: Clock;
  readonly locks: Locks;
  readonly logger: Logger;
}

/** Where a group's takeaways stand after a member's choice. */
export type ShareOutcome =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'declined' }
  | { readonly kind: 'posted'; readonly channelId: string }
  | { readonly kind: 'post-failed'; readonly failure: Failure };

/** A takeaway the member shared and has not withdrawn, for /exchange takeaways. */
export interface OwnTakeaway {
  readonly roundId: string;
  readonly roundNumber: number;
  /** The server-local date of the round. */
  readonly roundDate: string;
  readonly groupIndex: number;
  readonly choice: 'credited' | 'anonymous';
  readonly text: string;
}

interface GroupRef {
  readonly guildId: string;
  readonly roundId: string;
  readonly groupIndex: number;
}

/**
 * After a conversation: takeaways shared only with every member's consent, withdrawn on request,
 * a thank-you to the partners, and members one never wants to be paired with again.
 */
export class TakeawayService {
  constructor(private readonly deps: TakeawayServiceDeps) {}

  async setChannel(guildId: string, userId: string, channelId: string): Promise<TakeawaySettings> {
    const settings = { channelId, setBy: userId, setAt: this.deps.clock.now().toISOString() };
    await this.deps.takeaways.setChannel(guildId, settings);
    return settings;
  }

  async channel(guildId: string): Promise<TakeawaySettings | undefined> {
    return this.deps.takeaways.channel(guildId);
  }

  /**
   * Before the takeaway form opens: refused unless the member said "We met" and has not chosen yet.
   * A member whose group agreed but whose post failed may press again: that tries the post again.
   */
  async startShare(ref: GroupRef, userId: string): Promise<'form' | ShareOutcome> {
    const { round, group } = await this.metGroup(ref, userId);
    if ((await this.deps.takeaways.channel(ref.guildId)) === undefined) throw new UserError('takeaways-not-set-up');
    const record = await this.deps.takeaways.group(ref.guildId, ref.roundId, ref.groupIndex);
    const entry = record.entries[userId];
    if (entry === undefined) return 'form';
    if (entry.choice !== 'declined' && record.post === undefined && groupConsent(group.memberIds, record.entries) === 'ready') {
      return this.postIfReady(ref, round, group);
    }
    throw new UserError('takeaway-already-chosen');
  }

  /** Records a shared takeaway (credited or anonymous); posts the group's takeaways once every member agreed. */
  async share(ref: GroupRef, userId: string, choice: 'credited' | 'anonymous', typed: string): Promise<ShareOutcome> {
    const tidy = tidyTakeaway(typed);
    if (!tidy.ok) {
      throw new UserError('takeaway-bad-length', { length: tidy.length, min: TAKEAWAY_MIN_LENGTH, max: TAKEAWAY_MAX_LENGTH });
    }
    const { round, group } = await this.metGroup(ref, userId);
    if ((await this.deps.takeaways.channel(ref.guildId)) === undefined) throw new UserError('takeaways-not-set-up');
    await this.change(ref, (record) => {
      if (record.entries[userId] !== undefined) throw new UserError('takeaway-already-chosen');
      return { ...record, entries: { ...record.entries, [userId]: { choice, text: tidy.text } } };
    });
    return this.postIfReady(ref, round, group);
  }

  /** "Don't share": nothing of this group is ever posted. */
  async decline(ref: GroupRef, userId: string): Promise<ShareOutcome> {
    await this.metGroup(ref, userId);
    await this.change(ref, (record) => {
      if (record.entries[userId] !== undefined) throw new UserError('takeaway-already-chosen');
      return { ...record, entries: { ...record.entries, [userId]: { choice: 'declined' } } };
    });
    return { kind: 'declined' };
  }

  /**
   * Deletes the member's text from the store, then from the posted message (edited, or deleted when
   * nothing else is left in it). Pressing again re-applies the edit, so a failed edit can be retried.
   */
  async withdraw(ref: GroupRef, userId: string): Promise<void> {
    const round = await this.deps.rounds.round(ref.guildId, ref.roundId);
    const group = await this.memberGroup(ref, userId);
    const record = await this.change(ref, (current) => {
      const entry = current.entries[userId];
      if (entry === undefined || entry.choice === 'declined') throw new UserError('takeaway-nothing-to-withdraw');
      return { ...current, entries: { ...current.entries, [userId]: { choice: entry.choice, withdrawn: true } } };
    });
    if (record.post?.status === 'posted') await this.applyPost(ref, record, group.memberIds, roundLocale(round ?? {}));
  }

  /** The member's shared takeaways still shown or waiting to be, newest round first, so any can be withdrawn later. */
  async ownTakeaways(guildId: string, userId: string): Promise<OwnTakeaway[]> {
    const own: OwnTakeaway[] = [];
    // A withdrawn takeaway keeps its entry (the member's agreement stands) but not its text.
    for await (const { round, ref, record } of this.groupsOf(guildId)) {
      const entry = record.entries[userId];
      if (entry === undefined || entry.choice === 'declined' || entry.text === undefined) continue;
      own.push({
        roundId: round.id,
        roundNumber: round.number,
        roundDate: round.date,
        groupIndex: ref.groupIndex,
        choice: entry.choice,
        text: entry.text,
      });
    }
    return own.sort((first, second) => second.roundNumber - first.roundNumber || first.groupIndex - second.groupIndex);
  }

  /** One thank-you per member per group, recorded before it is sent. */
  async thank(ref: GroupRef, userId: string): Promise<void> {
    const { round, group } = await this.metGroup(ref, userId);
    await this.change(ref, (record) => {
      if (record.thanked.includes(userId)) throw new UserError('thanks-already-sent');
      return { ...record, thanked: [...record.thanked, userId] };
    });
    try {
      await this.deps.discord.sendThanks(
        group.threadId ?? '',
        userId,
        group.memberIds.filter((id) => id !== userId),
        groupLocaleOf(round, group),
        nonceFor(`thanks:${ref.guildId}:${ref.roundId}:${ref.groupIndex}:${userId}`),
      );
    } catch (error) {
      // Not sent: the member may press again (the nonce keeps a resend from doubling one that arrived).
      if (error instanceof DiscordFailure)
        await this.change(ref, (record) => ({ ...record, thanked: record.thanked.filter((id) => id !== userId) }));
      throw error;
    }
  }

  // ---- avoided members -------------------------------------------------------------------------

  async avoid(guildId: string, userId: string, target: { readonly id: string; readonly bot: boolean }): Promise<readonly string[]> {
    if (target.id === userId) throw new UserError('avoid-self');
    if (target.bot) throw new UserError('avoid-bot');
    return this.deps.locks.run(guildId, async () => {
      const lists = await this.deps.takeaways.avoidLists(guildId);
      const mine = lists[userId] ?? [];
      if (mine.includes(target.id)) throw new UserError('avoid-already', { member: `<@${target.id}>` });
      if (mine.length >= AVOID_LIST_MAX) throw new UserError('avoid-list-full', { max: AVOID_LIST_MAX });
      const updated = [...mine, target.id];
      await this.deps.takeaways.setAvoidLists(guildId, { ...lists, [userId]: updated });
      return updated;
    });
  }

  async unavoid(guildId: string, userId: string, targetId: string): Promise<readonly string[]> {
    return this.deps.locks.run(guildId, async () => {
      const lists = await this.deps.takeaways.avoidLists(guildId);
      const mine = lists[userId] ?? [];
      if (!mine.includes(targetId)) throw new UserError('avoid-not-listed', { member: `<@${targetId}>` });
      const updated = mine.filter((id) => id !== targetId);
      const { [userId]: _old, ...others } = lists;
      await this.deps.takeaways.setAvoidLists(guildId, updated.length === 0 ? others : { ...others, [userId]: updated });
      return updated;
    });
  }

  async avoided(guildId: string, userId: string): Promise<readonly string[]> {
    return (await this.deps.takeaways.avoidLists(guildId))[userId] ?? [];
  }

  /** Every avoided pair of the server, for planning a round. */
  async avoidedPairs(guildId: string): Promise<Set<string>> {
    return avoidedPairKeys(await this.deps.takeaways.avoidLists(guildId));
  }

  // ---- forgetting -----------------------------------------------------------------------------

  /** Whether anything of the member is kept here: their avoid list, a takeaway or a thank-you. */
  async hasData(guildId: string, userId: string): Promise<boolean> {
    if ((await this.avoided(guildId, userId)).length > 0) return true;
    for await (const { record } of this.groupsOf(guildId)) if (mentionsMember(record, userId)) return true;
    return false;
  }

  /**
   * /exchange forget: the member's avoid list and every takeaway and thank-you of theirs are
   * deleted, and a posted takeaway of theirs taken out of its message. Their id stays only in
   * other members' avoid lists, which are those members' choice, not the forgotten member's data.
   * A group whose takeaways were not posted yet closes: the member can no longer agree.
   */
  async forgetMember(guildId: string, userId: string): Promise<void> {
    await this.deps.locks.run(guildId, async () => {
      const lists = await this.deps.takeaways.avoidLists(guildId);
      if (lists[userId] === undefined) return;
      const { [userId]: _forgotten, ...others } = lists;
      await this.deps.takeaways.setAvoidLists(guildId, others);
    });
    for await (const { round, ref, record } of this.groupsOf(guildId)) {
      if (!mentionsMember(record, userId)) continue;
      const entry = record.entries[userId];
      const updated = await this.change(ref, (current) => {
        const { [userId]: _entry, ...entries } = current.entries;
        return {
          ...current,
          entries,
          thanked: current.thanked.filter((id) => id !== userId),
          ...(current.post === undefined ? { closed: true } : {}),
        };
      });
      const shared = entry !== undefined && entry.choice !== 'declined' && entry.withdrawn !== true;
      if (shared && updated.post?.status === 'posted') {
        const group = await this.deps.rounds.group(guildId, round.id, ref.groupIndex);
        // The group's members were scrubbed of the forgotten member already; their entry is gone from the record too.
        await this.applyPost(
          ref,
          updated,
          [...new Set([...(group?.memberIds ?? []), ...Object.keys(updated.entries)])],
          roundLocale(round),
        );
      }
    }
  }

  /** Everything of a server, before its rounds are deleted (/setup forget-server, retention). */
  async deleteServerData(guildId: string, rounds: readonly { readonly id: string; readonly groupCount: number }[]): Promise<void> {
    await this.deps.takeaways.deleteGuild(guildId, rounds);
  }

  /** The takeaways of a round that is dropped from the kept history. */
  async roundDropped(guildId: string, round: { readonly id: string; readonly groupCount: number }): Promise<void> {
    await this.deps.takeaways.deleteGroups(guildId, round.id, round.groupCount);
  }

  private async *groupsOf(guildId: string): AsyncGenerator<{ round: RoundRecord; ref: GroupRef; record: GroupTakeaways }> {
    for (const round of await this.deps.rounds.recentRounds(guildId)) {
      for (let groupIndex = 0; groupIndex < round.groupCount; groupIndex++) {
        const ref = { guildId, roundId: round.id, groupIndex };
        yield { round, ref, record: await this.deps.takeaways.group(guildId, round.id, groupIndex) };
      }
    }
  }

  // ---- internals -------------------------------------------------------------------------------

  private async memberGroup(ref: GroupRef, userId: string): Promise<GroupRecord> {
    const group = await this.deps.rounds.group(ref.guildId, ref.roundId, ref.groupIndex);
    if (!group) throw new UserError('check-in-gone');
    if (!group.memberIds.includes(userId)) throw new UserError('check-in-not-yours');
    return group;
  }

  private async metGroup(ref: GroupRef, userId: string): Promise<{ round: RoundRecord; group: GroupRecord }> {
    const round = await this.deps.rounds.round(ref.guildId, ref.roundId);
    if (!round) throw new UserError('check-in-gone');
    const group = await this.memberGroup(ref, userId);
    if (group.answers[userId] !== 'met') throw new UserError('takeaway-needs-met');
    return { round, group };
  }

  private lockKey(ref: GroupRef): string {
    return `takeaways:${ref.guildId}:${ref.roundId}:${ref.groupIndex}`;
  }

  /** A read-modify-write of one group's takeaways, one at a time per group (across processes too). */
  private change(ref: GroupRef, update: (record: GroupTakeaways) => GroupTakeaways): Promise<GroupTakeaways> {
    return this.deps.locks.run(this.lockKey(ref), async () => {
      const updated = update(await this.deps.takeaways.group(ref.guildId, ref.roundId, ref.groupIndex));
      await this.deps.takeaways.setGroup(ref.guildId, ref.roundId, ref.groupIndex, updated);
      return updated;
    });
  }

  /**
   * Posts the group's takeaways when every member agreed. The post is claimed in the store first,
   * so a double click, a second member at the same moment or another process never sends twice.
   */
  private async postIfReady(ref: GroupRef, round: RoundRecord, group: GroupRecord): Promise<ShareOutcome> {
    const locale = roundLocale(round);
    const settings = await this.deps.takeaways.channel(ref.guildId);
    let claimed: { record: GroupTakeaways; takeaways: ShownTakeaway[] } | undefined;
    const seen: { consent: GroupConsent; alreadyIn?: string } = { consent: 'waiting' };
    await this.deps.locks.run(this.lockKey(ref), async () => {
      const record = await this.deps.takeaways.group(ref.guildId, ref.roundId, ref.groupIndex);
      seen.consent = record.closed === true ? 'declined' : groupConsent(group.memberIds, record.entries);
      if (seen.consent !== 'ready' || settings === undefined) return;
      if (record.post !== undefined) {
        seen.alreadyIn = record.post.channelId;
        return;
      }
      const takeaways = shownTakeaways(group.memberIds, record.entries);
      if (takeaways.length === 0) return;
      const updated: GroupTakeaways = { ...record, post: { status: 'claimed', channelId: settings.channelId } };
      await this.deps.takeaways.setGroup(ref.guildId, ref.roundId, ref.groupIndex, updated);
      claimed = { record: updated, takeaways };
    });
    if (seen.consent === 'declined') return { kind: 'declined' };
    if (seen.alreadyIn !== undefined) return { kind: 'posted', channelId: seen.alreadyIn };
    if (claimed === undefined || settings === undefined) return { kind: 'waiting' };
    const sent = claimed.takeaways;
    let messageId: string;
    try {
      ({ messageId } = await this.deps.discord.postTakeaways(
        settings.channelId,
        sent,
        locale,
        nonceFor(`takeaways:${ref.guildId}:${ref.roundId}:${ref.groupIndex}`),
      ));
    } catch (error) {
      if (!(error instanceof DiscordFailure)) throw error;
      this.deps.logger.warn('Could not post takeaways', { guildId: ref.guildId, round: ref.roundId, group: ref.groupIndex, error });
      // Released so that pressing Share again tries once more; the nonce keeps a resend from doubling a post that did arrive.
      await this.change(ref, ({ post: _claim, ...rest }) => rest);
      return { kind: 'post-failed', failure: failureOf(error, 'post') };
    }
    const posted = await this.change(ref, (record) => ({
      ...record,
      post: { status: 'posted', channelId: settings.channelId, messageId },
    }));
    // Someone withdrew while the message was on its way: bring it in line with the store.
    if (JSON.stringify(shownTakeaways(group.memberIds, posted.entries)) !== JSON.stringify(sent)) {
      await this.applyPost(ref, posted, group.memberIds, locale);
    }
    return { kind: 'posted', channelId: settings.channelId };
  }

  /** Makes the posted message show what the store holds: edited, or deleted when nothing is left. */
  private async applyPost(
    ref: GroupRef,
    record: GroupTakeaways,
    memberIds: readonly string[],
    locale: ReturnType<typeof roundLocale>,
  ): Promise<void> {
    const post = record.post;
    if (post?.messageId === undefined) return;
    const takeaways = shownTakeaways(memberIds, record.entries);
    try {
      if (takeaways.length > 0) {
        await this.deps.discord.editTakeaways(post.channelId, post.messageId, takeaways, locale);
        return;
      }
      await this.change(ref, (current) => ({ ...current, post: { ...post, status: 'removed' } }));
      await this.deps.discord.deleteMessage(post.channelId, post.messageId);
    } catch (error) {
      // A message or channel a moderator already deleted holds no text to take back.
      if (error instanceof DiscordFailure && (error.kind === 'channel-gone' || error.code === UNKNOWN_MESSAGE)) return;
      throw error;
    }
  }
}

function mentionsMember(record: GroupTakeaways, userId: string): boolean {
  return record.entries[userId] !== undefined || record.thanked.includes(userId);
}
