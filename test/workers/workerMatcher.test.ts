import { describe, expect, it } from 'vitest';
import { matchMembers, type MatchCandidate, type MatchOptions } from '../../src/core/matching.ts';
import { workerMatcher } from '../../src/workers/workerMatcher.ts';

function population(size: number): MatchCandidate[] {
  const languages = ['english', 'spanish', 'portuguese', 'japanese', 'hindi'];
  return Array.from({ length: size }, (_, i) => ({
    userId: `u${String(i).padStart(5, '0')}`,
    languages: ['english', languages[i % languages.length] ?? 'english'],
    cultures: [`c${i % 41}`],
    curiousAbout: [`c${(i * 7) % 41}`],
    interests: [`i${i % 13}`],
    utcOffsetMinutes: ((i % 24) - 11) * 60,
  }));
}

const options: MatchOptions = { seed: 'worker', groupSize: 2, defaultLanguage: 'english', recentPairs: new Set(['u00000|u00001']) };

/** Awaits `matching` while counting the turns of the event loop it leaves free. */
async function countingTurns<T>(matching: Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let done = false;
  const spin = (): void => {
    if (done) return;
    turns += 1;
    setImmediate(spin);
  };
  setImmediate(spin);
  const result = await matching;
  done = true;
  return { result, turns };
}

describe('workerMatcher', () => {
  it('matches a large round in a worker thread, with the same groups as matching inline', async () => {
    const candidates = population(2_000);
    const fromWorker = await workerMatcher(100)(candidates, options);
    expect(fromWorker).toEqual(matchMembers(candidates, options));
  });

  it('leaves the event loop free while it matches', async () => {
    const { result, turns } = await countingTurns(workerMatcher(100)(population(5_000), options));
    expect(result.groups.length).toBe(2_500);
    // Matching inline would run as one synchronous call: no turn of the event loop until it returns.
    expect(turns).toBeGreaterThan(10);
  });

  it('matches a round of a few dozen members in a worker by default (trio rounds of that size can take seconds)', async () => {
    const { result, turns } = await countingTurns(workerMatcher()(population(30), { ...options, groupSize: 3 }));
    expect(result.groups.length).toBe(10);
    expect(turns).toBeGreaterThan(10);
  });

  it('matches small rounds inline', async () => {
    const candidates = population(10);
    expect(await workerMatcher(300)(candidates, options)).toEqual(matchMembers(candidates, options));
  });
});
