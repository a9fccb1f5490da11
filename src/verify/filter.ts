// Exact verification that gives up early. Every filter here is a proof that a pair is below the
// threshold (a bound, never an estimate), so a pair at or above it is never lost, and the
// similarity of a pair that passes is exactly exactJaccard's.

/** Bits per document in a shingle bitmap (32 words). */
export const BITMAP_BITS = 1024;
export const BITMAP_WORDS = BITMAP_BITS / 32;

/** Write the bitmap of a shingle set (bit h mod 1024 for each hash h) at words[offset…]. */
export function writeBitmap(shingles: Uint32Array, words: Uint32Array, offset: number): void {
  for (let i = 0; i < shingles.length; i++) {
    const bit = (shingles[i] as number) & (BITMAP_BITS - 1);
    words[offset + (bit >>> 5)] = ((words[offset + (bit >>> 5)] as number) | (1 << (bit & 31))) >>> 0;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * The fewest shared shingles two sets of sizes na and nb need for Jaccard ≥ threshold, computed
 * with the same division as exactJaccard, so the test agrees with it to the last bit. Above
 * min(na, nb) no pair of those sizes can reach the threshold.
 */
export function sharedNeeded(na: number, nb: number, threshold: number): number {
  const total = na + nb;
  let s = Math.max(0, Math.floor((threshold * total) / (1 + threshold)) - 2);
  while (s <= Math.min(na, nb) && s / (total - s) < threshold) s++;
  return s;
}

/**
 * Exact Jaccard of two sorted, duplicate-free sets if it is at least `threshold`, else -1.
 * Rejects by size, then by the bitmaps (a bit set in exactly one bitmap is at least one shingle
 * the other set lacks), then by a merge that stops once the threshold is out of reach.
 */
export function jaccardAtLeast(
  a: Uint32Array,
  b: Uint32Array,
  threshold: number,
  bitmaps?: { words: Uint32Array; a: number; b: number },
): number {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) return -1;
  const need = sharedNeeded(na, nb, threshold);
  if (need > Math.min(na, nb)) return -1;
  if (bitmaps) {
    // |A Δ B| ≥ differing bits, and shared = (na + nb − |A Δ B|) / 2.
    const allowed = na + nb - 2 * need;
    const { words, a: oa, b: ob } = bitmaps;
    let differing = 0;
    for (let w = 0; w < BITMAP_WORDS; w++) {
      differing += popcount((words[oa + w] as number) ^ (words[ob + w] as number));
      if (differing > allowed) return -1;
    }
  }
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < na && j < nb) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else {
      if (x < y) i++;
      else j++;
      if (shared + Math.min(na - i, nb - j) < need) return -1;
    }
  }
  if (shared < need) return -1;
  return shared / (na + nb - shared);
}
