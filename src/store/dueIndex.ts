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
 * reads only what is due however many servers there are. One index per application (`scope`), so
 * two bots sharing a store never run each other's work.
 */
export class DueIndex {
  constructor(
    private readonly backend: StoreBackend,
    private readonly scope: string,
  ) {}

  /** Schedules (or with undefined unschedules) a server's lane. */
  async set(lane: Lane, guildId: string, at: Date | number | undefined): Promise<void> {
    await this.backend.setDue(this.scope, `${lane}:${guildId}`, at === undefined ? undefined : Number(at));
  }

  async at(lane: Lane, guildId: string): Promise<number | undefined> {
    return this.backend.dueAt(this.scope, `${lane}:${guildId}`);
  }

  /** Work due at or before `now`, earliest first. */
  async due(now: Date | number, limit: number): Promise<DueWork[]> {
    const entries = await this.backend.due(this.scope, Number(now), limit);
    return entries.flatMap(({ member, at }) => {
      const colon = member.indexOf(':');
      const lane = member.slice(0, colon) as Lane;
      return LANES.includes(lane) ? [{ lane, guildId: member.slice(colon + 1), at }] : [];
    });
  }

  async clearGuild(guildId: string): Promise<void> {
    for (const lane of LANES) await this.set(lane, guildId, undefined);
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
