// Exact containment behind bounds that only reject pairs provably below the threshold, as
// jaccardAtLeast does for Jaccard: a pair at or above it is never lost.

import { BITMAP_WORDS } from './filter.js';

/** The fewest shared shingles a set of `smaller` shingles needs for shared / smaller ≥ threshold, by the same division. */
export function containedNeeded(smaller: number, threshold: number): number {
  let s = Math.max(0, Math.floor(threshold * smaller) - 1);
  while (s <= smaller && s / smaller < threshold) s++;
  return s;
}

/** Set bits of a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
}

/** The first position ≥ from in sorted `set` whose value is ≥ value (galloping, then binary search). */
export function gallop(set: Uint32Array, from: number, value: number): number {
  let step = 1;
  let hi = from;
  while (hi < set.length && (set[hi] as number) < value) {
    from = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = Math.min(hi, set.length);
  while (from < hi) {
    const mid = (from + hi) >>> 1;
    if ((set[mid] as number) < value) from = mid + 1;
    else hi = mid;
  }
  return from;
}

/**
 * The shingles two sorted, duplicate-free sets share, if they are at least `threshold` of the
 * smaller set (|A ∩ B| / min(|A|, |B|) ≥ threshold), else -1. Rejects by the bitmaps first (a
 * bit set in the smaller set's bitmap and not in the larger's is a shingle the larger lacks),
 * then walks the smaller set, finding each shingle in the larger by galloping (a short excerpt
 * of a long document costs about |A| log(|B| / |A|), not |A| + |B|), and stops once too few of
 * its shingles are left to reach the threshold.
 */
export function sharedIfContained(
  a: Uint32Array,
  b: Uint32Array,
  threshold: number,
  bitmaps?: { words: Uint32Array; a: number; b: number },
): number {
  const [small, large] = a.length <= b.length ? [a, b] : [b, a];
  const n = small.length;
  if (n === 0) return -1;
  const need = containedNeeded(n, threshold);
  if (bitmaps) {
    const { words } = bitmaps;
    const [os, ol] = a.length <= b.length ? [bitmaps.a, bitmaps.b] : [bitmaps.b, bitmaps.a];
    let missing = 0;
    for (let w = 0; w < BITMAP_WORDS; w++) missing += popcount((words[os + w] as number) & ~(words[ol + w] as number));
    if (n - missing < need) return -1;
  }
  let shared = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const x = small[i] as number;
    j = gallop(large, j, x);
    if (j < large.length && large[j] === x) {
      shared++;
      j++;
    }
    if (shared + (n - i - 1) < need) return -1;
    if (j >= large.length) break;
  }
  return shared >= need ? shared : -1;
}
