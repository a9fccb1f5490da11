import { jaccardAtLeast } from './filter.js';

/**
 * Exact containment of two sorted, duplicate-free hash sets: |A ∩ B| / min(|A|, |B|), by one
 * linear merge (0 when either is empty). 1 when the smaller set lies wholly inside the larger.
 */
export function exactContainment(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  // J = s / (|A| + |B| − s) for s shared shingles, so s comes back exactly from J (one merge, the same one).
  const j = exactJaccard(a, b);
  const shared = Math.round((j * (a.length + b.length)) / (1 + j));
  return shared / Math.min(a.length, b.length);
}

/** Exact Jaccard similarity of two sorted, duplicate-free hash sets, by one linear merge (0 when either is empty). */
export function exactJaccard(a: Uint32Array, b: Uint32Array): number {
  return Math.max(0, jaccardAtLeast(a, b, 0));
}
