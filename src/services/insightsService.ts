import { cultureMap, passport, type ConversationCultures, type CultureMap } from '../core/cultureMap.ts';
import { roundAttendance, type RoundAttendance } from '../core/roundAttendance.ts';
import type { Logger } from '../logger.ts';
import type { MemberStore } from '../store/memberStore.ts';
import type { PromptLogStore } from '../store/promptLogStore.ts';
import type { GroupRecord, RoundStore } from '../store/roundStore.ts';
import { isDiscordFailure, type ThreadActivity } from './discordPort.ts';

/** A posted prompt and the replies in its answer thread (undefined: no thread, or Discord could not say). */
export interface PromptAnswers {
  readonly date: string;
  readonly kind: 'daily' | 'manual';
  readonly themeId: string;
  readonly promptId: string;
  readonly replies: number | undefined;
}

export interface RoundInsight {
  readonly number: number;
  readonly date: string;
  readonly attendance: RoundAttendance;
}

export interface ServerInsights {
  /** Newest first. */
  readonly prompts: readonly PromptAnswers[];
  /** Newest first. */
  readonly rounds: readonly RoundInsight[];
}

export interface InsightsServiceDeps {
  readonly members: MemberStore;
  readonly rounds: RoundStore;
  readonly promptLogs: PromptLogStore;
  readonly threads: ThreadActivity;
  readonly logger: Logger;
}

/** The culture map, members' passports, and the per-prompt and per-round figures of /host stats. */
export class InsightsService {
  constructor(private readonly deps: InsightsServiceDeps) {}

  /** The map of the server's kept rounds, from their delivered conversations. */
  async cultureMap(guildId: string): Promise<CultureMap> {
    const delivered: GroupRecord[] = [];
    for (const round of await this.deps.rounds.recentRounds(guildId)) {
      const groups = await this.deps.rounds.groupRange(guildId, round.id, 0, round.groupCount);
      for (const group of groups) if (group?.status === 'delivered') delivered.push(group);
    }
    // Groups planned before cultures were kept on them are read with their members' current profiles.
    const unsnapshotted = [...new Set(delivered.filter((group) => !group.cultures).flatMap((group) => group.memberIds))];
    const records = await this.deps.members.getMany(guildId, unsnapshotted);
    const current = new Map(unsnapshotted.map((id, index) => [id, records[index]?.profile.cultures ?? []] as const));
    const conversations: ConversationCultures[] = delivered.map((group) => ({
      memberIds: group.memberIds,
      cultures: group.cultures ?? Object.fromEntries(group.memberIds.map((id) => [id, current.get(id) ?? []])),
    }));
    return cultureMap(conversations);
  }

  /** The cultures a member's partners brought, from the meetings the member's record keeps. */
  async passport(guildId: string, userId: string): Promise<{ culture: string; conversations: number }[]> {
    const record = await this.deps.members.get(guildId, userId);
    if (!record) return [];
    return passport(
      record.profile.cultures,
      record.meetings.map((meeting) => ({ partnerCultures: meeting.partnerCultures ?? {} })),
    );
  }

  async insights(guildId: string): Promise<ServerInsights> {
    const log = await this.deps.promptLogs.get(guildId);
    const prompts: PromptAnswers[] = [];
    for (const post of log.posts) {
      if (post.status !== 'posted') continue;
      prompts.push({
        date: post.date,
        kind: post.kind,
        themeId: post.themeId,
        promptId: post.promptId,
        replies: post.threadId === undefined ? undefined : await this.replyCount(guildId, post.threadId),
      });
    }
    const rounds: RoundInsight[] = [];
    for (const round of await this.deps.rounds.recentRounds(guildId)) {
      const groups = await this.deps.rounds.groupRange(guildId, round.id, 0, round.groupCount);
      const attendance = roundAttendance(
        groups.flatMap((group) =>
          group ? [{ delivered: group.status === 'delivered', memberIds: group.memberIds, answers: group.answers }] : [],
        ),
      );
      rounds.push({ number: round.number, date: round.date, attendance });
    }
    return { prompts, rounds };
  }

  private async replyCount(guildId: string, threadId: string): Promise<number | undefined> {
    try {
      return await this.deps.threads.replyCount(threadId);
    } catch (error) {
      // One thread Discord cannot tell about leaves a gap in the figures, not a failed command.
      if (!isDiscordFailure(error)) throw error;
      this.deps.logger.warn('Could not read an answer thread', { guildId, threadId, error });
      return undefined;
    }
  }
}
