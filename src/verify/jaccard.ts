import { jaccardAtLeast } from './filter.js';

/** Exact Jaccard similarity of two sorted, duplicate-free hash sets, by one linear merge (0 when either is empty). */
export function exactJaccard(a: Uint32Array, b: Uint32Array): number {
  return Math.max(0, jaccardAtLeast(a, b, 0));
}
