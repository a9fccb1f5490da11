import { describe, expect, it } from 'vitest';
import { candidatePairs, candidateProbability, chooseBands, falsePositiveArea, forEachCandidate, orderByKey } from '../src/candidates/lsh.js';
import { MinHasher } from '../src/sketch/minhash.js';
import { seededRandom, setPair } from './helpers/random.js';

describe('candidateProbability', () => {
  it('reproduces the S-curve of datasketch’s 9 bands × 13 rows', () => {
    expect(candidateProbability(0.8, { bands: 9, rows: 13 })).toBeCloseTo(0.4, 2);
    expect(candidateProbability(0.85, { bands: 9, rows: 13 })).toBeCloseTo(0.69, 2);
  });
});

describe('chooseBands', () => {
  for (const [k, t] of [[128, 0.8], [128, 0.5], [256, 0.9], [64, 0.7]] as const) {
    it(`reaches the recall target at T=${t} with ${k} permutations, with the smallest false-positive area`, () => {
      const chosen = chooseBands(k, t, 0.99);
      expect(chosen.bands * chosen.rows).toBeLessThanOrEqual(k);
      expect(candidateProbability(t, chosen)).toBeGreaterThanOrEqual(0.99);
      const area = falsePositiveArea(t, chosen);
      for (let rows = 1; rows <= k; rows++) {
        for (let bands = 1; bands * rows <= k; bands++) {
          const p = { bands, rows };
          if (candidateProbability(t, p) >= 0.99) expect(falsePositiveArea(t, p)).toBeGreaterThanOrEqual(area - 1e-12);
        }
      }
    });
  }

  it('is far more likely than datasketch’s choice to catch a pair at 0.8', () => {
    const ours = chooseBands(128, 0.8, 0.99);
    expect(candidateProbability(0.8, ours)).toBeGreaterThan(candidateProbability(0.8, { bands: 9, rows: 13 }) + 0.5);
  });
});

describe('candidatePairs', () => {
  it('finds similar pairs and (almost) never dissimilar ones', () => {
    const k = 128;
    const hasher = new MinHasher(k, 3);
    const random = seededRandom(11);
    const sets: Uint32Array[] = [];
    for (let i = 0; i < 20; i++) {
      const [a, b] = setPair(random, 900, 50, 50); // J = 0.9
      sets.push(a, b);
    }
    const signatures = new Uint32Array(sets.length * k);
    sets.forEach((s, d) => hasher.sketchInto(s, signatures, d * k));
    const pairs = candidatePairs(signatures, k, sets.map((_, d) => d), chooseBands(k, 0.8, 0.99));
    const planted = pairs.filter(([a, b]) => a % 2 === 0 && b === a + 1);
    expect(planted.length).toBe(20);
    expect(pairs.length - planted.length).toBeLessThanOrEqual(1);
    for (const [a, b] of pairs) expect(a).toBeLessThan(b);
  });
});

describe('orderByKey', () => {
  it('sorts by key, then by index, as a comparison sort does', () => {
    const random = seededRandom(5);
    // Few distinct keys (many ties) plus keys near 2^32, where packing must stay exact.
    const keys = Uint32Array.from({ length: 5000 }, (_, i) =>
      i % 3 === 0 ? 0xffffffff - Math.floor(random() * 4) : Math.floor(random() * 50),
    );
    const packed = orderByKey(keys);
    const viaComparator = Array.from(keys, (_, i) => i).sort((x, y) => keys[x]! - keys[y]! || x - y);
    expect([...packed]).toEqual(viaComparator);
    // Into a given array, reused: the same order again.
    expect([...orderByKey(keys, new Uint32Array(keys.length).fill(7))]).toEqual(viaComparator);
    for (let i = 1; i < packed.length; i++) {
      const [x, y] = [packed[i - 1]!, packed[i]!];
      expect(keys[x]! < keys[y]! || (keys[x] === keys[y] && x < y)).toBe(true);
    }
  });
});

describe('forEachCandidate', () => {
  it('visits every pair that shares a band exactly once, as a < b, holding no set of pairs', () => {
    const k = 32;
    const random = seededRandom(21);
    const n = 60;
    // Few distinct slot values: many pairs collide, most of them in several bands.
    const signatures = Uint32Array.from({ length: n * k }, () => Math.floor(random() * 3));
    const params = { bands: 8, rows: 4 };
    const docs = Array.from({ length: n }, (_, d) => d).filter((d) => d % 7 !== 3);
    const visits: string[] = [];
    forEachCandidate(signatures, k, docs, params, (a, b) => {
      expect(a).toBeLessThan(b);
      visits.push(`${a},${b}`);
    });
    const expected = new Set<string>();
    for (const a of docs) {
      for (const b of docs) {
        if (a >= b) continue;
        for (let band = 0; band < params.bands; band++) {
          let same = true;
          for (let r = 0; r < params.rows; r++) same &&= signatures[a * k + band * params.rows + r] === signatures[b * k + band * params.rows + r];
          if (same) expected.add(`${a},${b}`);
        }
      }
    }
    expect(visits.length).toBe(new Set(visits).size);
    expect(new Set(visits)).toEqual(expected);
  });
});
