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

/** Set bits of every 16-bit value: two lookups count a word, faster here than bit tricks. */
const POPCOUNT16 = new Uint8Array(1 << 16);
for (let i = 1; i < POPCOUNT16.length; i++) POPCOUNT16[i] = (POPCOUNT16[i >>> 1] as number) + (i & 1);

function popcount(x: number): number {
  return (POPCOUNT16[x & 0xffff] as number) + (POPCOUNT16[x >>> 16] as number);
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
 * Rejects by size and by `shareable` (a bound on the shared shingles, see shareableCounts), then by the bitmaps (a bit set in exactly one bitmap is at least one shingle
 * the other set lacks), then by a merge that stops once the threshold is out of reach.
 */
export function jaccardAtLeast(
  a: Uint32Array,
  b: Uint32Array,
  threshold: number,
  bitmaps?: { words: Uint32Array; a: number; b: number },
  shareable = Math.min(a.length, b.length),
): number {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) return -1;
  const need = sharedNeeded(na, nb, threshold);
  if (need > Math.min(na, nb, shareable)) return -1;
  if (bitmaps) {
    // |A Δ B| ≥ differing bits, and shared = (na + nb − |A Δ B|) / 2.
    const allowed = na + nb - 2 * need;
    const { words, a: oa, b: ob } = bitmaps;
    let differing = 0;
    // Four words between checks: measured faster than checking after every word.
    for (let w = 0; w < BITMAP_WORDS; w += 4) {
      differing +=
        popcount((words[oa + w] as number) ^ (words[ob + w] as number)) +
        popcount((words[oa + w + 1] as number) ^ (words[ob + w + 1] as number)) +
        popcount((words[oa + w + 2] as number) ^ (words[ob + w + 2] as number)) +
        popcount((words[oa + w + 3] as number) ^ (words[ob + w + 3] as number));
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

/**
 * For each listed document, how many of its shingles some other listed document also has: a
 * shingle found in one document only can never be shared, so min(shareable[a], shareable[b])
 * bounds the shingles a pair can share. `shareable[d]` for d in `docs`, 0 elsewhere. One pass
 * counts each shingle's documents (up to 2) in an open-addressing table; a second looks them up.
 * A shingle's hash stands for it, as everywhere in the comparison.
 */
export function shareableCounts(sets: readonly Uint32Array[], docs: readonly number[]): Int32Array {
  const shareable = new Int32Array(sets.length);
  // Sized by the distinct shingles (grown as they come), not by all of them: in a corpus of
  // documents alike most shingles repeat, and a small table stays in the CPU's caches.
  let size = 1 << 16;
  let mask = size - 1;
  let keys = new Uint32Array(size);
  let counts = new Uint8Array(size); // 0 = empty slot
  let used = 0;
  const slotOf = (value: number) => {
    // Shingle hashes are already well mixed: their low bits pick the slot.
    let slot = value & mask;
    while (counts[slot] !== 0 && keys[slot] !== value) slot = (slot + 1) & mask;
    return slot;
  };
  const grow = () => {
    const oldKeys = keys;
    const oldCounts = counts;
    size *= 2;
    mask = size - 1;
    keys = new Uint32Array(size);
    counts = new Uint8Array(size);
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldCounts[i] === 0) continue;
      const slot = slotOf(oldKeys[i] as number);
      keys[slot] = oldKeys[i] as number;
      counts[slot] = oldCounts[i] as number;
    }
  };
  for (const d of docs) {
    const set = sets[d]!;
    for (let i = 0; i < set.length; i++) {
      const value = set[i] as number;
      const slot = slotOf(value);
      if (counts[slot] !== 0) {
        counts[slot] = 2; // each set is duplicate-free: a second sighting is another document
      } else {
        keys[slot] = value;
        counts[slot] = 1;
        if (++used * 2 > size) grow();
      }
    }
  }
  for (const d of docs) {
    const set = sets[d]!;
    let count = 0;
    for (let i = 0; i < set.length; i++) if (counts[slotOf(set[i] as number)] === 2) count++;
    shareable[d] = count;
  }
  return shareable;
}
