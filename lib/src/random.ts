/**
 * Seeded random streams. Every record's stream derives from (seed, record index) alone, so a
 * dataset is the same whatever the number of workers or shards that made it.
 */

/** A 32-bit avalanche hash (the finaliser of MurmurHash3). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A generator of uniform doubles in [0, 1) with 53 random bits: xoshiro128** (Blackman & Vigna)
 * seeded from (seed, stream, index) through fmix32.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = Number.NaN;

  constructor(seed: number, stream = 0, index = 0) {
    const a = fmix32((seed >>> 0) ^ 0x9e3779b9);
    const b = fmix32(a ^ Math.imul(stream + 1, 0x85ebca6b));
    const lo = index % 2 ** 32, hi = Math.floor(index / 2 ** 32);
    this.s0 = fmix32(b ^ lo ^ 0x243f6a88) | 1;
    this.s1 = fmix32(this.s0 ^ hi ^ 0x85a308d3);
    this.s2 = fmix32(this.s1 ^ 0x13198a2e ^ lo);
    this.s3 = fmix32(this.s2 ^ 0x03707344 ^ b);
    for (let i = 0; i < 8; i++) this.nextUint32(); // decorrelate nearby seeds
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform double in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** A standard normal deviate (Marsaglia's polar method; the second of each pair is kept). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = Number.NaN;
      return s;
    }
    for (;;) {
      const u = 2 * this.next() - 1, v = 2 * this.next() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }

  /** An integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A permutation of 0..n-1 (Fisher-Yates) from the stream (seed, stream). */
export function permutation(n: number, seed: number, stream: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const rng = new Rng(seed, stream, 0);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
