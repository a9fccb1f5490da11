/**
 * Exact containment of two sorted, duplicate-free hash sets: |A ∩ B| / min(|A|, |B|), by one
 * linear merge (0 when either is empty). 1 when the smaller set lies wholly inside the larger.
 */
export function exactContainment(a: Uint32Array, b: Uint32Array): number {
  return containmentOfJaccard(exactJaccard(a, b), a.length, b.length);
}

/** exactContainment of two sets of sizes na and nb whose exact Jaccard `j` is known: no merge. */
export function containmentOfJaccard(j: number, na: number, nb: number): number {
  if (na === 0 || nb === 0) return 0;
  // J = s / (|A| + |B| − s) for s shared shingles, so s comes back exactly from J.
  const shared = Math.round((j * (na + nb)) / (1 + j));
  return shared / Math.min(na, nb);
}

/** Exact Jaccard similarity of two sorted, duplicate-free hash sets, by one linear merge (0 when either is empty). */
export function exactJaccard(a: Uint32Array, b: Uint32Array): number {
  return exactJaccardOfRanges(a, 0, a.length, b, 0, b.length);
}

/**
 * exactJaccard of the sets a[a0 .. a1) and b[b0 .. b1): also for sets kept as ranges of a larger
 * array (see SetArena). jaccardAtLeast's merge and division, so the same number.
 */
export function exactJaccardOfRanges(a: Uint32Array, a0: number, a1: number, b: Uint32Array, b0: number, b1: number): number {
  const na = a1 - a0;
  const nb = b1 - b0;
  if (na === 0 || nb === 0) return 0;
  let i = a0;
  let j = b0;
  let shared = 0;
  while (i < a1 && j < b1) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared / (na + nb - shared);
}
