import { describe, expect, it } from 'vitest';
import { MinHasher } from '../src/sketch/minhash.js';
import { exactJaccard } from '../src/verify/jaccard.js';
import { seededRandom, setPair } from './helpers/random.js';

const agreement = (x: Uint32Array, y: Uint32Array) => x.reduce((n, v, i) => n + (v === y[i] ? 1 : 0), 0) / x.length;

describe('MinHasher', () => {
  it('estimates Jaccard without bias, within 3 standard errors', () => {
    const K = 128;
    const hasher = new MinHasher(K, 42);
    const random = seededRandom(7);
    const standardised: number[] = [];
    let outside = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const total = 100 + Math.floor(random() * 1500);
      const target = 0.05 + 0.9 * random();
      const union = total;
      const shared = Math.max(1, Math.round(target * union));
      const onlyA = Math.floor((union - shared) * random());
      const [a, b] = setPair(random, shared, onlyA, union - shared - onlyA);
      const j = exactJaccard(a, b);
      const se = Math.sqrt((j * (1 - j)) / K);
      const z = (agreement(hasher.sketch(a), hasher.sketch(b)) - j) / se;
      standardised.push(z);
      if (Math.abs(z) > 3) outside++;
    }
    // |z| > 3 happens 0.27% of the time for a sound estimator; allow a little slack, not a bias.
    expect(outside / trials).toBeLessThan(0.015);
    const meanZ = standardised.reduce((s, z) => s + z, 0) / trials;
    expect(Math.abs(meanZ)).toBeLessThan(3 / Math.sqrt(trials));
    const variance = standardised.reduce((s, z) => s + (z - meanZ) ** 2, 0) / (trials - 1);
    expect(variance).toBeGreaterThan(0.7);
    expect(variance).toBeLessThan(1.3);
  });

  it('gives identical signatures for the same seed and different ones for another', () => {
    const [a] = setPair(seededRandom(1), 500, 0, 0);
    const one = new MinHasher(64, 9).sketch(a);
    expect(Array.from(new MinHasher(64, 9).sketch(a))).toEqual(Array.from(one));
    expect(agreement(new MinHasher(64, 10).sketch(a), one)).toBeLessThan(0.2);
  });

  it('matches a fixed signature, so a change of arithmetic cannot pass unnoticed across machines', () => {
    // Recomputed independently with BigInt: same xor/multiply/shift steps in exact 64-bit math, masked to 32 bits.
    const keys: bigint[] = [];
    let state = 5n;
    const mix = (h: bigint) => {
      h ^= h >> 16n; h = (h * 0x85ebca6bn) & 0xffffffffn; h ^= h >> 13n; h = (h * 0xc2b2ae35n) & 0xffffffffn; h ^= h >> 16n;
      return h;
    };
    for (let i = 0; i < 8; i++) {
      state = (state + 0x9e3779b9n) & 0xffffffffn;
      keys.push(mix(state));
    }
    // 11 shingles: two blocks of four and a tail of three, so both loops of sketchInto are covered.
    const shingles = Uint32Array.from([3, 1_000_000_007, 0xfffffffe, 17, 0x80000000, 123_456_789, 42, 0x7fffffff, 999, 65_536, 0xdeadbeef]).sort();
    const expected = keys.map((key) => {
      let min = 0xffffffffn;
      for (const h of shingles) {
        let v = ((BigInt(h) ^ key) * 0x85ebca6bn) & 0xffffffffn;
        v ^= v >> 13n;
        v = (v * 0xc2b2ae35n) & 0xffffffffn;
        v ^= v >> 16n;
        if (v < min) min = v;
      }
      return Number(min);
    });
    expect(Array.from(new MinHasher(8, 5).sketch(shingles))).toEqual(expected);
  });

  it('leaves the signature of an empty set at the sentinel', () => {
    expect(Array.from(new MinHasher(4, 1).sketch(new Uint32Array(0)))).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
  });
});
