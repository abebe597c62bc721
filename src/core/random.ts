/**
 * Deterministic randomness for the pure core.
 *
 * The core never calls `Math.random()`: callers pass a {@link Random} in, so the same seed
 * (for example `${guildId}:${localDate}`) always produces the same choices, which is what
 * lets a preview show exactly what will be posted.
 */

/** A source of uniformly distributed numbers in `[0, 1)`. */
export type Random = () => number;

/**
 * Hashes a string into four 32-bit words (cyrb128), used to seed {@link seededRandom}.
 * Four independent words matter because sfc32 degrades with an all-zero or low-entropy state.
 */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/**
 * A deterministic pseudo-random generator (sfc32 seeded by a cyrb128 hash of `seed`).
 * Equal seeds give equal sequences on every platform; it is not cryptographically secure.
 */
export function seededRandom(seed: string): Random {
  let [a, b, c, d] = cyrb128(seed);
  const next: Random = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // The first outputs of sfc32 still correlate with the seed hash; discarding a few is customary.
  for (let i = 0; i < 15; i++) next();
  return next;
}

/** An index in `[0, length)`; clamps so a misbehaving `random` returning 1 cannot overflow. */
function randomIndex(length: number, random: Random): number {
  const index = Math.floor(random() * length);
  return Math.min(length - 1, Math.max(0, index));
}

/** A new array with the items of `items` in a random order (Fisher–Yates); `items` is left untouched. */
export function shuffle<T>(items: readonly T[], random: Random): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1, random);
    const tmp = result[i] as T;
    result[i] = result[j] as T;
    result[j] = tmp;
  }
  return result;
}

/**
 * One item of `items`, chosen uniformly.
 * @throws RangeError when `items` is empty.
 */
export function pick<T>(items: readonly T[], random: Random): T {
  if (items.length === 0) throw new RangeError('pick() needs at least one item');
  return items[randomIndex(items.length, random)] as T;
}
