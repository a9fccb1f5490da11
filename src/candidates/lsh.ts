import { combineHashes } from '../tokenise/hash.js';

export interface BandParams {
  bands: number;
  rows: number;
}

/** Probability that a pair of Jaccard similarity `s` shares at least one band: 1 − (1 − s^r)^b. */
export function candidateProbability(s: number, { bands, rows }: BandParams): number {
  return 1 - Math.pow(1 - Math.pow(s, rows), bands);
}

/** ∫₀ᵀ P(s) ds by Simpson's rule: the expected share of dissimilar pairs we would verify in vain. */
export function falsePositiveArea(threshold: number, params: BandParams): number {
  const steps = 200;
  const h = threshold / steps;
  let sum = candidateProbability(0, params) + candidateProbability(threshold, params);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 0 ? 2 : 4) * candidateProbability(i * h, params);
  return (sum * h) / 3;
}

/**
 * Choose bands × rows ≤ numPerm for recall: every candidate is verified exactly, so a missed
 * pair is lost for good while a wasted candidate costs one merge. Among the choices that make a
 * pair at exactly the threshold a candidate with probability ≥ `recall`, take the one with the
 * smallest false-positive area. If none reaches `recall`, take the one that comes closest.
 */
export function chooseBands(numPerm: number, threshold: number, recall: number): BandParams {
  let best: BandParams | undefined;
  let bestArea = Infinity;
  let fallback: BandParams = { bands: numPerm, rows: 1 };
  let fallbackP = -1;
  for (let rows = 1; rows <= numPerm; rows++) {
    // Fewer bands than fit can be the better choice: each band only ever adds false positives.
    for (let bands = 1; bands * rows <= numPerm; bands++) {
      const params = { bands, rows };
      const p = candidateProbability(threshold, params);
      if (p >= recall) {
        const area = falsePositiveArea(threshold, params);
        if (area < bestArea) {
          best = params;
          bestArea = area;
        }
        break; // more bands only raise the area further
      } else if (p > fallbackP) {
        fallback = params;
        fallbackP = p;
      }
    }
  }
  return best ?? fallback;
}

/** Below this many documents, a band's (hash, index) pairs fit exactly in one float64 sort key. */
const PACKED_SORT_LIMIT = 2 ** 21;

/**
 * The candidate pairs (as candidatePairs finds them) that involve at least one document with
 * `involved[d] === 1`: the pairs to look at again after those documents' signatures changed.
 * Each band hashes only the involved documents into a map and looks every document up in it.
 */
export function candidatePairsInvolving(
  signatures: Uint32Array,
  numPerm: number,
  docs: readonly number[],
  { bands, rows }: BandParams,
  involved: Uint8Array,
): Array<[number, number]> {
  const changed = docs.filter((d) => involved[d] === 1);
  if (changed.length === 0) return [];
  const total = Math.floor(signatures.length / numPerm);
  const seen = new Set<number>();
  const pairs: Array<[number, number]> = [];
  for (let band = 0; band < bands; band++) {
    const buckets = new Map<number, number[]>();
    for (const d of changed) {
      const key = combineHashes(signatures, d * numPerm + band * rows, rows);
      const bucket = buckets.get(key);
      if (bucket) bucket.push(d);
      else buckets.set(key, [d]);
    }
    for (const d of docs) {
      const bucket = buckets.get(combineHashes(signatures, d * numPerm + band * rows, rows));
      if (!bucket) continue;
      for (const c of bucket) {
        if (c === d) continue;
        const [a, b] = c < d ? [c, d] : [d, c];
        const id = a * total + b;
        if (!seen.has(id)) {
          seen.add(id);
          pairs.push([a, b]);
        }
      }
    }
  }
  pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  return pairs;
}

/**
 * Indices 0..n-1 sorted by keys[i], then by i. Below `packedLimit` documents the key and the
 * index share one float64 (key * 2^21 + i, exact below 2^53), so a native numeric sort does the
 * work with no comparator call per comparison: several times faster than sorting by a callback.
 */
export function orderByKey(keys: Uint32Array, packedLimit = PACKED_SORT_LIMIT): Uint32Array {
  const n = keys.length;
  const order = new Uint32Array(n);
  if (n < Math.min(packedLimit, PACKED_SORT_LIMIT)) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = (keys[i] as number) * PACKED_SORT_LIMIT + i;
    packed.sort();
    for (let i = 0; i < n; i++) order[i] = (packed[i] as number) % PACKED_SORT_LIMIT;
  } else {
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((x, y) => (keys[x] as number) - (keys[y] as number) || x - y);
  }
  return order;
}

/**
 * Candidate pairs by LSH banding over flat signatures (`numPerm` slots per document). For each
 * band, documents are sorted by the hash of their band; runs of equal hashes are buckets. Sorting
 * rather than hashing into maps keeps the order, and so the output, deterministic.
 * Returns pairs as [a, b] with a < b, sorted.
 */
export function candidatePairs(
  signatures: Uint32Array,
  numPerm: number,
  docs: readonly number[],
  { bands, rows }: BandParams,
): Array<[number, number]> {
  const seen = new Set<number>();
  const pairs: Array<[number, number]> = [];
  const n = docs.length;
  const total = Math.floor(signatures.length / numPerm); // pair ids a * total + b are exact below 2^53
  const keys = new Uint32Array(n);
  for (let band = 0; band < bands; band++) {
    for (let i = 0; i < n; i++) keys[i] = combineHashes(signatures, (docs[i] as number) * numPerm + band * rows, rows);
    const order = orderByKey(keys);
    let start = 0;
    while (start < n) {
      const key = keys[order[start] as number];
      let end = start + 1;
      while (end < n && keys[order[end] as number] === key) end++;
      for (let x = start; x < end; x++) {
        for (let y = x + 1; y < end; y++) {
          let a = docs[order[x] as number] as number;
          let b = docs[order[y] as number] as number;
          if (a > b) [a, b] = [b, a];
          const id = a * total + b;
          if (!seen.has(id)) {
            seen.add(id);
            pairs.push([a, b]);
          }
        }
      }
      start = end;
    }
  }
  pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  return pairs;
}
