/** Brute-force optimum over all perfect matchings (n ≤ 12), to check `maxWeightPerfectMatching` (src/core/matching/blossom.ts). */
export function bruteForcePerfectMatching(n: number, weight: (i: number, j: number) => number): number {
  const used = new Array<boolean>(n).fill(false);
  const go = (): number => {
    const i = used.indexOf(false);
    if (i === -1) return 0;
    used[i] = true;
    let best = -Infinity;
    for (let j = i + 1; j < n; j++) {
      if (used[j]) continue;
      used[j] = true;
      best = Math.max(best, weight(i, j) + go());
      used[j] = false;
    }
    used[i] = false;
    return best;
  };
  return go();
}
