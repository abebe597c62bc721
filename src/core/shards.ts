/** The shard Discord gives a server's events: `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Which shards a process serves, out of how many. */
export interface ShardSet {
  readonly count: number;
  readonly ids: readonly number[];
}

export function servesGuild(shards: ShardSet, guildId: string): boolean {
  return shards.ids.includes(shardOf(guildId, shards.count));
}
