import { describe, expect, it } from 'vitest';
import { BITMAP_WORDS, jaccardAtLeast, shareableCounts, sharedNeeded, writeBitmap } from '../src/verify/filter.js';
import { containmentOfJaccard, exactContainment, exactJaccard, exactJaccardOfRanges } from '../src/verify/jaccard.js';
import { seededRandom, setPair } from './helpers/random.js';

describe('jaccardAtLeast', () => {
  it('agrees with exactJaccard: the same value at or above the threshold, -1 below, with or without bitmaps', () => {
    const random = seededRandom(17);
    for (let trial = 0; trial < 400; trial++) {
      const shared = Math.floor(random() * 300);
      const [a, b] = setPair(random, shared, Math.floor(random() * 80), Math.floor(random() * 80));
      const threshold = [0.5, 0.8, 0.9, 1, 0.3 + random() * 0.7][trial % 5]!;
      const words = new Uint32Array(2 * BITMAP_WORDS);
      writeBitmap(a, words, 0);
      writeBitmap(b, words, BITMAP_WORDS);
      const exact = exactJaccard(a, b);
      const expected = a.length && b.length && exact >= threshold ? exact : -1;
      expect(jaccardAtLeast(a, b, threshold)).toBe(expected);
      expect(jaccardAtLeast(a, b, threshold, { words, a: 0, b: BITMAP_WORDS })).toBe(expected);
    }
  });

  it('needs the fewest shared shingles that reach the threshold', () => {
    for (const [na, nb, t] of [[100, 100, 0.8], [305, 305, 0.8], [10, 40, 0.25], [7, 7, 1]] as const) {
      const s = sharedNeeded(na, nb, t);
      expect(s / (na + nb - s)).toBeGreaterThanOrEqual(t);
      if (s > 0) expect((s - 1) / (na + nb - s + 1)).toBeLessThan(t);
    }
  });
});

describe('shareableCounts', () => {
  it('counts, per listed document, the shingles another listed document also has', () => {
    const random = seededRandom(23);
    const sets = Array.from({ length: 30 }, () => {
      const values = new Set<number>();
      const n = Math.floor(random() * 40);
      while (values.size < n) values.add(Math.floor(random() * 150));
      return Uint32Array.from(values).sort();
    });
    const docs = sets.map((_, d) => d).filter((d) => d % 4 !== 1);
    const counts = shareableCounts(sets, docs);
    sets.forEach((set, d) => {
      const expected = docs.includes(d) ? [...set].filter((v) => docs.some((o) => o !== d && sets[o]!.includes(v))).length : 0;
      expect(counts[d]).toBe(expected);
    });
  });
});

describe('exactContainment', () => {
  it('is the shared shingles over the smaller set, for sets of any overlap', () => {
    const random = seededRandom(11);
    for (const [shared, onlyA, onlyB] of [[0, 5, 5], [10, 0, 40], [37, 3, 90], [1, 200, 0], [50, 50, 50]] as const) {
      const [a, b] = setPair(random, shared, onlyA, onlyB);
      expect(exactContainment(a, b)).toBeCloseTo(shared / Math.min(shared + onlyA, shared + onlyB), 12);
    }
    expect(exactContainment(new Uint32Array(0), Uint32Array.of(1))).toBe(0);
  });
});

describe('exactJaccardOfRanges and containmentOfJaccard', () => {
  it('give exactly what exactJaccard and exactContainment give on the sets themselves', () => {
    const random = seededRandom(29);
    for (let trial = 0; trial < 200; trial++) {
      const [a, b] = setPair(random, Math.floor(random() * 40), Math.floor(random() * 40), Math.floor(random() * 40));
      // The sets inside larger arrays, at different offsets.
      const big = new Uint32Array(a.length + b.length + 7);
      big.set(a, 3);
      big.set(b, a.length + 5);
      const j = exactJaccardOfRanges(big, 3, 3 + a.length, big, a.length + 5, a.length + 5 + b.length);
      expect(j).toBe(exactJaccard(a, b));
      expect(containmentOfJaccard(j, a.length, b.length)).toBe(exactContainment(a, b));
    }
  });
});
