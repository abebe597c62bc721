import type { Logger } from '../logger.ts';
import type { DueIndex, KnownGuilds, Lane } from '../store/dueIndex.ts';
import type { GuildConfigStore } from '../store/guildConfigStore.ts';
import type { MemberStore } from '../store/memberStore.ts';
import type { PromptLogStore } from '../store/promptLogStore.ts';
import type { RoundStore } from '../store/roundStore.ts';
import type { ServerPromptStore } from '../store/serverPromptStore.ts';
import type { Clock } from './clock.ts';
import type { Locks } from './keyedLock.ts';

export const DEFAULT_RETENTION_DAYS = 30;

export interface LifecycleServiceDeps {
  readonly configs: GuildConfigStore;
  readonly promptLogs: PromptLogStore;
  readonly members: MemberStore;
  readonly rounds: RoundStore;
  /** A server's own prompts and suggestions, deleted with the rest. */
  readonly serverPrompts?: ServerPromptStore;
  readonly index: DueIndex;
  readonly knownGuilds: KnownGuilds;
  readonly clock: Clock;
  readonly retentionDays: number;
  readonly locks: Locks;
  readonly roundLocks: Locks;
  /** Recomputes when a server's lane is due (the scheduler's refresh). */
  readonly refresh: (lane: Lane, guildId: string) => Promise<void>;
  readonly logger: Logger;
  /** Data other services keep per round (takeaways), deleted while the rounds are still known. */
  readonly deleteRoundData?: (guildId: string, rounds: readonly { readonly id: string; readonly groupCount: number }[]) => Promise<void>;
}

/**
 * A server's data from the day Bridges arrives to the day it is deleted: removed servers keep their
 * data for the retention period (so a moderator who re-adds Bridges finds everything as it was),
 * then everything is deleted; /setup forget-server deletes it at once.
 */
export class LifecycleService {
  constructor(private readonly deps: LifecycleServiceDeps) {}

  /** Bridges is in the server (it joined, came back, or started): its schedules are live again. */
  async guildAvailable(guildId: string): Promise<void> {
    await this.deps.knownGuilds.add([guildId]);
    const config = await this.deps.configs.get(guildId);
    if (config.prompts) await this.deps.refresh('prompts', guildId);
    if (config.pairing) await this.deps.refresh('pairing', guildId);
    if (config.removedAt === undefined) return;
    await this.deps.locks.run(guildId, () =>
      this.deps.configs.update(guildId, (current) => {
        const { removedAt: _back, ...rest } = current;
        return rest;
      }),
    );
    await this.deps.index.set('lifecycle', guildId, undefined);
    this.deps.logger.info('Bridges is back in a server it was removed from; its data was kept', { guildId });
  }

  /** Bridges was removed (not an outage): nothing runs for the server, and its data goes after the retention period. */
  async guildRemoved(guildId: string): Promise<void> {
    const now = this.deps.clock.now();
    const config = await this.deps.locks.run(guildId, () =>
      this.deps.configs.update(guildId, (current) =>
        current.removedAt === undefined ? { ...current, removedAt: now.toISOString() } : current,
      ),
    );
    await this.deps.knownGuilds.markRemoved(guildId);
    await this.deps.index.set('prompts', guildId, undefined);
    await this.deps.index.set('pairing', guildId, undefined);
    await this.deps.index.set('lifecycle', guildId, this.deletionAt(config.removedAt ?? now.toISOString()));
    this.deps.logger.info('Removed from a server; its data will be deleted after the retention period', {
      guildId,
      deleteAt: new Date(this.deletionAt(config.removedAt ?? now.toISOString())),
    });
  }

  /**
   * At start-up: servers Bridges is in but has not seen, or was removed from and is back in, are
   * scheduled again; known servers it is no longer in were removed while it was offline. With
   * `reschedule` (the index was laid out for another shard count), every server is scheduled anew.
   */
  async reconcile(presentGuildIds: readonly string[], isMine: (guildId: string) => boolean, reschedule = false): Promise<void> {
    const known = new Set(await this.deps.knownGuilds.list());
    const removed = new Set(await this.deps.knownGuilds.removed());
    const present = new Set(presentGuildIds);
    for (const guildId of presentGuildIds) {
      if (reschedule || !known.has(guildId) || removed.has(guildId)) await this.guildAvailable(guildId);
    }
    for (const guildId of known) {
      if (present.has(guildId) || !isMine(guildId)) continue;
      if (!removed.has(guildId)) await this.guildRemoved(guildId);
      else if (reschedule) await this.deps.refresh('lifecycle', guildId);
    }
  }

  /** The lifecycle lane: deletes a removed server's data once the retention period is over. */
  async runDue(guildId: string): Promise<Date | undefined> {
    const config = await this.deps.configs.get(guildId);
    if (config.removedAt === undefined) return undefined;
    const at = this.deletionAt(config.removedAt);
    if (at > this.deps.clock.now().getTime()) return new Date(at);
    await this.deleteServerData(guildId);
    await this.deps.knownGuilds.remove(guildId);
    this.deps.logger.info('Deleted the data of a server Bridges was removed from', { guildId, removedAt: config.removedAt });
    return undefined;
  }

  async nextDue(guildId: string): Promise<Date | undefined> {
    const config = await this.deps.configs.get(guildId);
    return config.removedAt === undefined ? undefined : new Date(this.deletionAt(config.removedAt));
  }

  /** Everything Bridges stores about a server (settings, prompts, members, rounds, schedules); /setup forget-server. */
  async deleteServerData(guildId: string): Promise<void> {
    await this.deps.roundLocks.run(guildId, () =>
      this.deps.locks.run(guildId, async () => {
        await this.deps.index.clearGuild(guildId);
        await this.deps.deleteRoundData?.(guildId, await this.deps.rounds.recentRounds(guildId));
        await this.deps.rounds.deleteAll(guildId);
        await this.deps.members.deleteAll(guildId);
        await this.deps.promptLogs.delete(guildId);
        await this.deps.serverPrompts?.deleteGuild(guildId);
        await this.deps.configs.delete(guildId);
      }),
    );
  }

  private deletionAt(removedAt: string): number {
    return Date.parse(removedAt) + this.deps.retentionDays * 86_400_000;
  }
}
