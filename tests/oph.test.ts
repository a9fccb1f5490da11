import { describe, expect, it } from 'vitest';
import { chooseBands } from '../src/candidates/lsh.js';
import { MinHasher, OnePermutationHasher, sketcherFor } from '../src/sketch/index.js';
import { exactJaccard } from '../src/verify/jaccard.js';
import { seededRandom, setPair } from './helpers/random.js';

const agreement = (x: Uint32Array, y: Uint32Array) => x.reduce((n, v, i) => n + (v === y[i] ? 1 : 0), 0) / x.length;

/** Whether two signatures share a whole band (what makes them an LSH candidate). */
function shareBand(x: Uint32Array, y: Uint32Array, bands: number, rows: number): boolean {
  for (let b = 0; b < bands; b++) {
    let equal = true;
    for (let r = 0; r < rows && equal; r++) equal = x[b * rows + r] === y[b * rows + r];
    if (equal) return true;
  }
  return false;
}

/** Pairs of sets whose union has between lo and hi elements, at Jaccard ≈ target. */
function pairs(seed: number, count: number, lo: number, hi: number, target: () => number): Array<[Uint32Array, Uint32Array]> {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const union = lo + Math.floor(random() * (hi - lo + 1));
    const shared = Math.max(1, Math.round(target() * union));
    const onlyA = Math.floor((union - shared) * random());
    return setPair(random, shared, onlyA, union - shared - onlyA);
  });
}

describe('OnePermutationHasher', () => {
  it('estimates Jaccard without bias, within 3 standard errors', () => {
    const K = 128;
    const hasher = new OnePermutationHasher(K, 42);
    const random = seededRandom(7);
    const zs = pairs(8, 400, 100, 1600, () => 0.05 + 0.9 * random()).map(([a, b]) => {
      const j = exactJaccard(a, b);
      return (agreement(hasher.sketch(a), hasher.sketch(b)) - j) / Math.sqrt((j * (1 - j)) / K);
    });
    const meanZ = zs.reduce((s, z) => s + z, 0) / zs.length;
    const variance = zs.reduce((s, z) => s + (z - meanZ) ** 2, 0) / (zs.length - 1);
    expect(zs.filter((z) => Math.abs(z) > 3).length / zs.length).toBeLessThan(0.015);
    expect(Math.abs(meanZ)).toBeLessThan(3 / Math.sqrt(zs.length));
    // One-permutation hashing samples slots without replacement: for sets larger than K its
    // variance is at most MinHash's.
    expect(variance).toBeGreaterThan(0.5);
    expect(variance).toBeLessThan(1.3);
  });

  it('makes short near-duplicates (10 to 60 shingles, mostly borrowed slots) candidates as often as MinHash does', () => {
    const { bands, rows } = chooseBands(128, 0.8, 0.99);
    const random = seededRandom(3);
    const atThreshold = pairs(4, 1500, 10, 60, () => 0.8 + 0.05 * random()).filter(([a, b]) => exactJaccard(a, b) >= 0.8);
    expect(atThreshold.length).toBeGreaterThan(1000);
    const rate = (hasher: { sketch(s: Uint32Array): Uint32Array }) =>
      atThreshold.filter(([a, b]) => shareBand(hasher.sketch(a), hasher.sketch(b), bands, rows)).length / atThreshold.length;
    const oph = rate(new OnePermutationHasher(128, 1));
    expect(oph).toBeGreaterThan(0.98);
    expect(oph).toBeGreaterThan(rate(new MinHasher(128, 1)) - 0.01);
  });

  it('matches an independent implementation of binning and optimal densification', () => {
    const K = 16;
    const seed = 5;
    // The same steps in BigInt: SplitMix32 keys, the xor/multiply/shift permutation, slot = top 16
    // bits scaled to K, the smallest value per slot, then each empty slot borrows from the first
    // filled slot in its own seeded sequence of candidates.
    const mask = 0xffffffffn;
    const fmix = (h: bigint) => {
      h ^= h >> 16n; h = (h * 0x85ebca6bn) & mask; h ^= h >> 13n; h = (h * 0xc2b2ae35n) & mask; h ^= h >> 16n;
      return h;
    };
    const key = fmix((BigInt(seed) + 0x9e3779b9n) & mask);
    const borrowKey = fmix((BigInt(seed) + 2n * 0x9e3779b9n) & mask);
    const permute = (h: bigint, k: bigint) => {
      let v = ((h ^ k) * 0x85ebca6bn) & mask;
      v ^= v >> 13n;
      v = (v * 0xc2b2ae35n) & mask;
      return v ^ (v >> 16n);
    };
    const slotOf = (v: bigint) => Number(((v >> 16n) * BigInt(K)) >> 16n);
    const shingles = Uint32Array.from([3, 1_000_000_007, 0xfffffffe, 17, 0x80000000, 123_456_789, 42]).sort();
    const mins: (bigint | undefined)[] = new Array(K).fill(undefined);
    for (const h of shingles) {
      const v = permute(BigInt(h), key);
      const s = slotOf(v);
      if (mins[s] === undefined || v < mins[s]!) mins[s] = v;
    }
    const expected = mins.map((v, slot) => {
      if (v !== undefined) return Number(v);
      for (let attempt = 0; ; attempt++) {
        const from = slotOf(permute(BigInt(slot * 0x10000 + attempt), borrowKey));
        if (mins[from] !== undefined) return Number(mins[from]);
      }
    });
    expect(mins.filter((v) => v === undefined).length).toBeGreaterThan(0); // densification is exercised
    expect(Array.from(new OnePermutationHasher(K, seed).sketch(shingles))).toEqual(expected);
  });

  it('leaves the signature of an empty set at the sentinel, and depends on the seed', () => {
    expect(Array.from(new OnePermutationHasher(4, 1).sketch(new Uint32Array(0)))).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
    const [a] = setPair(seededRandom(1), 500, 0, 0);
    const one = new OnePermutationHasher(64, 9).sketch(a);
    expect(Array.from(new OnePermutationHasher(64, 9).sketch(a))).toEqual(Array.from(one));
    expect(agreement(new OnePermutationHasher(64, 10).sketch(a), one)).toBeLessThan(0.2);
  });

  it('writes at an offset into a shared signature array without touching its neighbours', () => {
    const hasher = new OnePermutationHasher(8, 3);
    const [a] = setPair(seededRandom(2), 5, 0, 0);
    const flat = new Uint32Array(24).fill(7);
    hasher.sketchInto(a, flat, 8);
    expect(Array.from(flat.subarray(0, 8))).toEqual(new Array(8).fill(7));
    expect(Array.from(flat.subarray(16))).toEqual(new Array(8).fill(7));
    expect(Array.from(flat.subarray(8, 16))).toEqual(Array.from(hasher.sketch(a)));
  });
});

describe('sketcherFor', () => {
  it('gives one sketcher per kind and parameters', () => {
    expect(sketcherFor('oph', 128, 1)).toBe(sketcherFor('oph', 128, 1));
    expect(sketcherFor('oph', 128, 1)).toBeInstanceOf(OnePermutationHasher);
    expect(sketcherFor('minhash', 128, 1)).toBeInstanceOf(MinHasher);
    expect(sketcherFor('oph', 128, 2)).not.toBe(sketcherFor('oph', 128, 1));
  });
});
