/**
 * Seeded random numbers of the estimator: weight initialisation, the shuffle of each epoch and
 * the input noise. Each stream derives from (seed, stream, index) alone, so the shuffle of epoch
 * e or the noise of record i is the same whatever came before it (what makes --resume exact).
 */

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Streams of the estimator (second argument of {@link Stream}). */
export const STREAM = { init: 1, shuffle: 2, noise: 3 } as const;

/** xoshiro128** seeded through fmix32 from (seed, stream, index). */
export class Stream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = Number.NaN;

  constructor(seed: number, stream: number, index = 0) {
    const a = fmix32((seed >>> 0) ^ 0x6a09e667);
    const b = fmix32(a ^ Math.imul(stream + 1, 0x9e3779b9));
    const lo = index >>> 0, hi = Math.floor(index / 2 ** 32) >>> 0;
    this.s0 = fmix32(b ^ lo ^ 0x243f6a88) | 1;
    this.s1 = fmix32(this.s0 ^ hi ^ 0x85a308d3);
    this.s2 = fmix32(this.s1 ^ lo ^ 0x13198a2e);
    this.s3 = fmix32(this.s2 ^ b ^ 0x03707344);
    for (let i = 0; i < 8; i++) this.uint32();
  }

  /** 32 random bits. */
  uint32(): number {
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

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    return ((this.uint32() >>> 5) * 67108864 + (this.uint32() >>> 6)) / 9007199254740992;
  }

  /** Standard normal (Marsaglia's polar method; the second value of each pair is kept). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = Number.NaN;
      return s;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1, v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }
}

/** A permutation of `indices` (Fisher-Yates, in place) drawn from (seed, shuffle stream, epoch). */
export function shuffleForEpoch(indices: Int32Array, seed: number, epoch: number): Int32Array {
  const r = new Stream(seed, STREAM.shuffle, epoch);
  for (let i = indices.length - 1; i > 0; i--) {
    const j = r.below(i + 1);
    const t = indices[i];
    indices[i] = indices[j];
    indices[j] = t;
  }
  return indices;
}
