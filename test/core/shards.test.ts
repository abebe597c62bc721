import { describe, expect, it } from 'vitest';
import { servesGuild, shardOf } from '../../src/core/shards.ts';

/** A snowflake whose timestamp part (the bits above 22) is `high`. */
const snowflake = (high: bigint, low: bigint) => ((high << 22n) | low).toString();

describe('shardOf', () => {
  it("follows Discord's formula (guild_id >> 22) % shard_count: only the timestamp bits count", () => {
    for (const count of [1, 2, 3, 16]) {
      for (const high of [0n, 1n, 5n, 9_959_216_934n]) {
        expect(shardOf(snowflake(high, 0n), count)).toBe(Number(high % BigInt(count)));
        expect(shardOf(snowflake(high, (1n << 22n) - 1n), count)).toBe(Number(high % BigInt(count)));
      }
    }
  });

  it('tells whether a process serves a server', () => {
    const guild = snowflake(9_959_216_934n, 7n);
    expect(servesGuild({ count: 4, ids: [2] }, guild)).toBe(true);
    expect(servesGuild({ count: 4, ids: [0, 1, 3] }, guild)).toBe(false);
  });
});
