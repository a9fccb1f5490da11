import { combineHashes } from '../tokenise/hash.js';

/**
 * Shingle hashes of a unit sequence (word hashes, or character hashes for `--shingle char`):
 * every window of `n` consecutive units, combined into one 32-bit hash, sorted and deduplicated
 * so that two documents compare by a linear merge. Fewer than `n` units give no shingles.
 */
export function shingleHashes(units: Uint32Array, n: number): Uint32Array {
  const count = units.length - n + 1;
  if (count <= 0) return new Uint32Array(0);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = combineHashes(units, i, n);
  out.sort();
  return uniqueSorted(out);
}

/** Drop repeats from a sorted array, in place; returns the unique prefix (a copy when repeats were dropped). */
export function uniqueSorted(sorted: Uint32Array): Uint32Array {
  if (sorted.length < 2) return sorted;
  let w = 1;
  for (let r = 1; r < sorted.length; r++) {
    if (sorted[r] !== sorted[w - 1]) sorted[w++] = sorted[r] as number;
  }
  return w === sorted.length ? sorted : sorted.slice(0, w);
}
