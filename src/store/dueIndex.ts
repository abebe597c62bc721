import { shardOf, type ShardSet } from '../core/shards.ts';
import type { StoreBackend } from './storeBackend.ts';

/** The kinds of scheduled work a server has; each is due on its own. */
export const LANES = ['prompts', 'pairing', 'lifecycle'] as const;
export type Lane = (typeof LANES)[number];

export interface DueWork {
  readonly lane: Lane;
  readonly guildId: string;
  readonly at: number;
}

/**
 * When each server's scheduled work is next due, sorted by time in the backend, so a scheduler tick
 * reads only what is due however many servers there are. One index per application and shard
 * (`<application>/<shard count>/<shard>`): two bots sharing a store never run each other's work,
 * and a process reads only the work of the shards it serves.
 */
export class DueIndex {
  constructor(
    private readonly backend: StoreBackend,
    private readonly applicationId: string,
    private readonly shards: ShardSet = { count: 1, ids: [0] },
  ) {}

  /** Schedules (or with undefined unschedules) a server's lane. */
  async set(lane: Lane, guildId: string, at: Date | number | undefined): Promise<void> {
    await this.backend.setDue(this.scopeOf(guildId), `${lane}:${guildId}`, at === undefined ? undefined : Number(at));
  }

  async at(lane: Lane, guildId: string): Promise<number | undefined> {
    return this.backend.dueAt(this.scopeOf(guildId), `${lane}:${guildId}`);
  }

  /** Work due at or before `now` on this process's shards, earliest first. */
  async due(now: Date | number, limit: number): Promise<DueWork[]> {
    const entries = (await Promise.all(this.shards.ids.map((shard) => this.backend.due(this.scope(shard), Number(now), limit))))
      .flat()
      .sort((a, b) => a.at - b.at)
      .slice(0, limit);
    return entries.flatMap(({ member, at }) => {
      const colon = member.indexOf(':');
      const lane = member.slice(0, colon) as Lane;
      return LANES.includes(lane) ? [{ lane, guildId: member.slice(colon + 1), at }] : [];
    });
  }

  async clearGuild(guildId: string): Promise<void> {
    for (const lane of LANES) await this.set(lane, guildId, undefined);
  }

  /**
   * Records the shard count this index is laid out for; true when it changed (or was never set), in
   * which case every server's work must be scheduled again under the new layout.
   */
  async adoptLayout(): Promise<boolean> {
    const layout = `due-layout:${this.applicationId}`;
    const recorded = await this.backend.setMembers(layout);
    if (recorded.length === 1 && recorded[0] === String(this.shards.count)) return false;
    await this.backend.deleteSet(layout);
    await this.backend.addToSet(layout, [String(this.shards.count)]);
    return true;
  }

  private scopeOf(guildId: string): string {
    return this.scope(this.shards.count === 1 ? 0 : shardOf(guildId, this.shards.count));
  }

  private scope(shard: number): string {
    return `${this.applicationId}/${this.shards.count}/${shard}`;
  }
}

/**
 * The servers this application has seen, and those it was removed from, to notice at start-up a
 * server it was removed from, or added back to, while it was offline (no event says so then).
 */
export class KnownGuilds {
  constructor(
    private readonly backend: StoreBackend,
    private readonly applicationId: string,
  ) {}

  private get known(): string {
    return `guilds:${this.applicationId}`;
  }

  private get removedSet(): string {
    return `removed-guilds:${this.applicationId}`;
  }

  async add(guildIds: readonly string[]): Promise<void> {
    await this.backend.addToSet(this.known, guildIds);
    await this.backend.removeFromSet(this.removedSet, guildIds);
  }

  async markRemoved(guildId: string): Promise<void> {
    await this.backend.addToSet(this.removedSet, [guildId]);
  }

  /** Forgets a server whose data is gone. */
  async remove(guildId: string): Promise<void> {
    await this.backend.removeFromSet(this.known, [guildId]);
    await this.backend.removeFromSet(this.removedSet, [guildId]);
  }

  async list(): Promise<string[]> {
    return this.backend.setMembers(this.known);
  }

  async removed(): Promise<string[]> {
    return this.backend.setMembers(this.removedSet);
  }
}
