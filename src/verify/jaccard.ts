import { jaccardAtLeast } from './filter.js';

/**
 * Exact containment of two sorted, duplicate-free hash sets: |A ∩ B| / min(|A|, |B|), by one
 * linear merge (0 when either is empty). 1 when the smaller set lies wholly inside the larger.
 */
export function exactContainment(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared / Math.min(a.length, b.length);
}

/** Exact Jaccard similarity of two sorted, duplicate-free hash sets, by one linear merge (0 when either is empty). */
export function exactJaccard(a: Uint32Array, b: Uint32Array): number {
  return Math.max(0, jaccardAtLeast(a, b, 0));
}
