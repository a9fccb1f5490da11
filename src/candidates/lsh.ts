import { combineHashes } from '../tokenise/hash.js';

export interface BandParams {
  bands: number;
  rows: number;
}

/** Probability that a pair of Jaccard similarity `s` shares at least one band: 1 − (1 − s^r)^b. */
export function candidateProbability(s: number, { bands, rows }: BandParams): number {
  return 1 - Math.pow(1 - Math.pow(s, rows), bands);
}

/** ∫₀ᵘ f(x) dx by Simpson's rule over `steps` (even) intervals. */
export function simpsonArea(f: (x: number) => number, upper: number, steps: number): number {
  const h = upper / steps;
  let sum = f(0) + f(upper);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 0 ? 2 : 4) * f(i * h);
  return (sum * h) / 3;
}

/** ∫₀ᵀ P(s) ds: the expected share of dissimilar pairs we would verify in vain. */
export function falsePositiveArea(threshold: number, params: BandParams): number {
  return simpsonArea((s) => candidateProbability(s, params), threshold, 200);
}

/**
 * Choose bands × rows ≤ numPerm for recall: every candidate is verified exactly, so a missed
 * pair is lost for good while a wasted candidate costs one merge. Among the choices that make a
 * pair at exactly the threshold a candidate with probability ≥ `recall`, take the one with the
 * smallest false-positive area. If none reaches `recall`, take the one that comes closest.
 */
export function chooseBands(numPerm: number, threshold: number, recall: number): BandParams {
  return chooseBandsBy(
    numPerm,
    recall,
    (params) => candidateProbability(threshold, params),
    (params) => falsePositiveArea(threshold, params),
  );
}

/**
 * The search behind chooseBands, for any candidate curve: `probability` of a pair exactly at the
 * threshold becoming a candidate, `area` the false positives below it (containment uses it too).
 */
export function chooseBandsBy(
  numPerm: number,
  recall: number,
  probability: (params: BandParams) => number,
  area: (params: BandParams) => number,
): BandParams {
  let best: BandParams | undefined;
  let bestArea = Infinity;
  let fallback: BandParams = { bands: numPerm, rows: 1 };
  let fallbackP = -1;
  for (let rows = 1; rows <= numPerm; rows++) {
    // Fewer bands than fit can be the better choice: each band only ever adds false positives.
    for (let bands = 1; bands * rows <= numPerm; bands++) {
      const params = { bands, rows };
      const p = probability(params);
      if (p >= recall) {
        const falsePositives = area(params);
        if (falsePositives < bestArea) {
          best = params;
          bestArea = falsePositives;
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

/** The band keys of the signature at `offset` into `out` at `at`: what forEachCandidate buckets by, and what a persistent index stores. */
export function writeBandKeys(signatures: Uint32Array, offset: number, { bands, rows }: BandParams, out: Uint32Array, at: number): void {
  for (let band = 0; band < bands; band++) out[at + band] = combineHashes(signatures, offset + band * rows, rows);
}

/** Digits of the radix sort in orderByKey: three passes of 11 bits cover a 32-bit key. */
const DIGIT_BITS = 11;
const DIGITS = 1 << DIGIT_BITS;
const DIGIT_MASK = DIGITS - 1;
// The radix sort's buckets (one run per pass) and its second buffer, reused from one call to the next.
const digitCounts = new Int32Array(3 * DIGITS);
let radixScratch = new Uint32Array(1024);

/** counts[b] += 1; returns what it was. */
function bump(counts: Int32Array, b: number): number {
  const at = counts[b] as number;
  counts[b] = at + 1;
  return at;
}

/**
 * Indices 0..n-1 sorted by keys[i], then by i, into `order` (a new array unless given, of at
 * least n): a stable least-significant-digit radix sort, three linear passes where a comparison
 * sort of packed (key, index) numbers took several times as long on every band of the search.
 */
export function orderByKey(keys: Uint32Array, order = new Uint32Array(keys.length)): Uint32Array {
  const n = keys.length;
  if (radixScratch.length < n) radixScratch = new Uint32Array(n);
  const scratch = radixScratch;
  const counts = digitCounts;
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const key = keys[i] as number;
    bump(counts, key & DIGIT_MASK);
    bump(counts, DIGITS + ((key >>> DIGIT_BITS) & DIGIT_MASK));
    bump(counts, 2 * DIGITS + (key >>> (2 * DIGIT_BITS)));
  }
  // Each digit's count becomes where its bucket starts.
  for (let pass = 0; pass < 3; pass++) {
    let start = 0;
    for (let b = pass * DIGITS; b < (pass + 1) * DIGITS; b++) {
      const count = counts[b] as number;
      counts[b] = start;
      start += count;
    }
  }
  // Lowest digit first, each pass stable: indices come out in order within equal keys.
  for (let i = 0; i < n; i++) order[bump(counts, (keys[i] as number) & DIGIT_MASK)] = i;
  for (let x = 0; x < n; x++) {
    const i = order[x] as number;
    scratch[bump(counts, DIGITS + (((keys[i] as number) >>> DIGIT_BITS) & DIGIT_MASK))] = i;
  }
  for (let x = 0; x < n; x++) {
    const i = scratch[x] as number;
    order[bump(counts, 2 * DIGITS + ((keys[i] as number) >>> (2 * DIGIT_BITS)))] = i;
  }
  return order;
}

export interface CandidateFilters {
  /**
   * Skip a whole bucket (e.g. when its members are already one cluster), or the rest of it after a
   * visit that returned true; `members` is reused.
   */
  skipBucket?: (members: readonly number[]) => boolean;
  /**
   * Leave out of a bucket the members that can pair with none of the others: set keep[k] to 0
   * for members[k] (keep starts all 1). Runs once per bucket, before its pairs.
   */
  narrowBucket?: (members: readonly number[], keep: Uint8Array) => void;
  /**
   * Drop a pair (a < b) before the check for an earlier shared band: for a test cheaper than that
   * check, whose answer is the same in every band. Dropped pairs are never visited.
   */
  reject?: (a: number, b: number) => boolean;
}

/**
 * Stream the candidate pairs of LSH banding over flat signatures (`numPerm` slots per document),
 * bucket by bucket, never holding them all. For each band, documents are sorted by the hash of
 * their band; runs of equal hashes are buckets. A pair is visited once, in the first band where
 * it collides (checked against the band keys, not a set of pairs seen), as `visit(a, b)` with
 * a < b when `docs` is ascending. Memory is O(bands × documents) whatever the number of pairs.
 * `filters` may skip a whole bucket or a pair before that check (see CandidateFilters); when
 * `visit` returns true, `skipBucket` is asked again after the current row of the bucket.
 * Sorting rather than hashing into maps keeps the order, and so the output, deterministic.
 */
export function forEachCandidate(
  signatures: Uint32Array,
  numPerm: number,
  docs: readonly number[],
  { bands, rows }: BandParams,
  visit: (a: number, b: number) => boolean | void,
  filters: CandidateFilters = {},
): void {
  const keys = new Uint32Array(docs.length * bands);
  for (let i = 0; i < docs.length; i++) writeBandKeys(signatures, (docs[i] as number) * numPerm, { bands, rows }, keys, i * bands);
  candidatesOfKeys(keys, docs, bands, visit, filters);
}

/**
 * forEachCandidate from band keys already made (writeBandKeys): `bandKeys` holds `bands` keys per
 * document, document d's at d * bands. What the pipeline keeps of each signature once it is made
 * (64 bytes a document at 16 bands, where the signature is 512).
 */
export function forEachCandidateOfBandKeys(
  bandKeys: Uint32Array,
  docs: readonly number[],
  bands: number,
  visit: (a: number, b: number) => boolean | void,
  filters: CandidateFilters = {},
): void {
  const keys = new Uint32Array(docs.length * bands);
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i] as number;
    keys.set(bandKeys.subarray(d * bands, (d + 1) * bands), i * bands);
  }
  candidatesOfKeys(keys, docs, bands, visit, filters);
}

/** The candidate search itself: keys[i * bands + band] is the band's key for docs[i]. */
function candidatesOfKeys(
  keys: Uint32Array,
  docs: readonly number[],
  bands: number,
  visit: (a: number, b: number) => boolean | void,
  { skipBucket, narrowBucket, reject }: CandidateFilters,
): void {
  const n = docs.length;
  // One document's keys sit together, so the check for an earlier shared band reads two short
  // contiguous runs.
  const collidedBefore = (band: number, i: number, j: number) => {
    const oi = i * bands;
    const oj = j * bands;
    for (let earlier = 0; earlier < band; earlier++) if (keys[oi + earlier] === keys[oj + earlier]) return true;
    return false;
  };
  const members: number[] = [];
  const kept: number[] = []; // positions in docs of the bucket's members worth pairing
  const keep = new Uint8Array(n);
  const bandKeys = new Uint32Array(n);
  const order = new Uint32Array(n);
  for (let band = 0; band < bands; band++) {
    for (let i = 0; i < n; i++) bandKeys[i] = keys[i * bands + band] as number;
    orderByKey(bandKeys, order);
    let start = 0;
    while (start < n) {
      const key = bandKeys[order[start] as number];
      let end = start + 1;
      while (end < n && bandKeys[order[end] as number] === key) end++;
      if (end - start > 1) {
        members.length = 0;
        for (let x = start; x < end; x++) members.push(docs[order[x] as number] as number);
        if (!skipBucket?.(members)) {
          keep.fill(1, 0, end - start);
          narrowBucket?.(members, keep);
          kept.length = 0;
          for (let x = start; x < end; x++) if (keep[x - start] === 1) kept.push(order[x] as number);
          for (let x = 0; x < kept.length; x++) {
            const i = kept[x] as number;
            let changed = false;
            for (let y = x + 1; y < kept.length; y++) {
              const j = kept[y] as number;
              let a = docs[i] as number;
              let b = docs[j] as number;
              if (a > b) [a, b] = [b, a];
              if (reject?.(a, b)) continue;
              if (band > 0 && collidedBefore(band, i, j)) continue;
              if (visit(a, b) === true) changed = true;
            }
            // A row that changed something may have left nothing else to do in this bucket.
            if (changed && skipBucket?.(members)) break;
          }
        }
      }
      start = end;
    }
  }
}

/**
 * Every candidate pair as [a, b] with a < b, sorted. This holds all pairs in memory: for tests
 * and benchmarks on small inputs; the pipeline streams them with forEachCandidate.
 */
export function candidatePairs(
  signatures: Uint32Array,
  numPerm: number,
  docs: readonly number[],
  params: BandParams,
): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  forEachCandidate(signatures, numPerm, docs, params, (a, b) => {
    pairs.push([a, b]);
  });
  pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  return pairs;
}
