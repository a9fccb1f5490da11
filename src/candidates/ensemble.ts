// Containment candidates by LSH Ensemble (Zhu, Nargesian, Pu and Miller, "LSH Ensemble:
// Internet-scale domain search", VLDB 2016; datasketch's MinHashLSHEnsemble). Containment of a
// smaller set A in a larger set B, t = |A ∩ B| / |A|, is a Jaccard similarity that depends on the
// sizes: J = t / (1 + |B|/|A| − t). Banding for one Jaccard threshold would need the lowest one
// the largest document allows for every pair; instead the documents are split into partitions by
// size, and each query document is banded against each partition with the threshold that the
// partition's largest size gives: J ≥ T / (1 + u/|A| − T) for every B in it (|B| ≤ u).

import { combineHashes, fmix32 } from '../tokenise/hash.js';
import { candidateProbability, chooseBandsBy, simpsonArea, type BandParams } from './lsh.js';

/**
 * Partitions of the documents by size. Equal numbers of documents per partition ("equi-depth"):
 * Zhu et al. show it is close to the optimal partitioning when set sizes follow a power law, and
 * it needs no search over the size distribution. datasketch's default is 16.
 */
export const CONTAINMENT_PARTITIONS = 16;

/**
 * Size ratios u/|A| are rounded up to a step of 2^(1/8) (9%) before bands are chosen: a
 * larger ratio means a lower Jaccard threshold, so rounding up only adds candidates, never loses
 * one, and a run chooses bands for a few dozen ratios rather than one per pair of sizes.
 */
const RATIO_STEPS_PER_DOUBLING = 8;

/**
 * Probability that a pair whose smaller set has containment t in the larger, with size ratio
 * `ratio` = |B|/|A| ≥ 1, becomes a candidate: its Jaccard s = t / (1 + ratio − t), then the
 * banding's 1 − (1 − s^r)^b.
 */
export function containmentCandidateProbability(t: number, ratio: number, params: BandParams): number {
  return candidateProbability(t / (1 + ratio - t), params);
}

/** ∫₀ᵀ P(t) dt over containment, by Simpson's rule: the expected share of pairs below T made candidates (datasketch's false-positive integral). */
export function containmentFalsePositiveArea(threshold: number, ratio: number, params: BandParams): number {
  return simpsonArea((t) => containmentCandidateProbability(t, ratio, params), threshold, 100);
}

/**
 * Bands × rows ≤ numPerm for containment threshold T at size ratio `ratio`, over the signature's
 * existing slots. datasketch minimises the false-positive integral plus the false-negative one
 * (∫_T^1 of 1 − P) with equal weights; here, as for Jaccard (chooseBands), a false negative is
 * lost for good while a false positive costs one exact check, so the false negatives are bounded
 * instead: among the choices that make a pair exactly at containment T (with the largest size of
 * the partition) a candidate with probability ≥ `recall`, the one with the smallest false-positive
 * integral. When none reaches `recall` (a short excerpt of a very long document: about 35 times
 * longer at T = 0.8 and 128 slots), the one that comes closest.
 */
export function chooseContainmentBands(numPerm: number, threshold: number, ratio: number, recall: number): BandParams {
  return chooseBandsBy(
    numPerm,
    recall,
    (params) => containmentCandidateProbability(threshold, ratio, params),
    (params) => containmentFalsePositiveArea(threshold, ratio, params),
  );
}

// The same few dozen ratios come back in every run with the same options: choose once each.
const bandsCache = new Map<string, BandParams>();
function cachedContainmentBands(numPerm: number, threshold: number, ratio: number, recall: number): BandParams {
  const key = `${numPerm} ${threshold} ${ratio} ${recall}`;
  let params = bandsCache.get(key);
  if (!params) {
    if (bandsCache.size > 10_000) bandsCache.clear();
    bandsCache.set(key, (params = chooseContainmentBands(numPerm, threshold, ratio, recall)));
  }
  return params;
}

/** The size ratio rounded up to the next step (see RATIO_STEPS_PER_DOUBLING); never below 1. */
export function roundedRatio(ratio: number): number {
  if (ratio <= 1) return 1;
  return Math.pow(2, Math.ceil(Math.log2(ratio) * RATIO_STEPS_PER_DOUBLING - 1e-9) / RATIO_STEPS_PER_DOUBLING);
}

/** One partition: positions [start, end) in the documents sorted by size, and its largest size. */
export interface SizePartition {
  start: number;
  end: number;
  upper: number;
}

/** Equi-depth partitions of documents sorted by size (`sortedSizes` ascending). */
export function sizePartitions(sortedSizes: ArrayLike<number>, count = CONTAINMENT_PARTITIONS): SizePartition[] {
  const n = sortedSizes.length;
  const parts: SizePartition[] = [];
  const k = Math.max(1, Math.min(count, n));
  for (let p = 0; p < k; p++) {
    const start = Math.floor((p * n) / k);
    const end = Math.floor(((p + 1) * n) / k);
    if (end > start) parts.push({ start, end, upper: sortedSizes[end - 1] as number });
  }
  return parts;
}

/**
 * A partition's band keys for bands 0..bands-1, as an open-addressing table on (band, key) with
 * the members of each bucket chained: one probe per lookup. Entry e is member e % members of
 * band floor(e / members).
 */
class BandTable {
  private readonly heads: Int32Array;
  private readonly next: Int32Array;
  private readonly keys: Uint32Array;
  private readonly mask: number;

  constructor(
    private readonly members: number,
    bands: number,
    keyOf: (band: number, member: number) => number,
  ) {
    const entries = members * bands;
    let size = 16;
    while (size < entries * 2) size *= 2;
    this.mask = size - 1;
    this.heads = new Int32Array(size).fill(-1);
    this.next = new Int32Array(entries);
    this.keys = new Uint32Array(entries);
    // Inserted from the last entry down, so each chain lists members in order.
    for (let e = entries - 1; e >= 0; e--) {
      const band = Math.floor(e / members);
      const key = keyOf(band, e - band * members);
      this.keys[e] = key;
      const slot = this.slotOf(band, key);
      this.next[e] = this.heads[slot] as number;
      this.heads[slot] = e;
    }
  }

  private slotOf(band: number, key: number): number {
    const members = this.members;
    let slot = fmix32(key ^ Math.imul(band + 1, 0x9e3779b1)) & this.mask;
    for (;;) {
      const e = this.heads[slot] as number;
      if (e < 0 || (this.keys[e] === key && Math.floor(e / members) === band)) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The first entry of the bucket of (band, key), or -1; then nextOf(entry) until -1. */
  first(band: number, key: number): number {
    return this.heads[this.slotOf(band, key)] as number;
  }

  nextOf(entry: number): number {
    return this.next[entry] as number;
  }
}

export interface ContainmentCandidateOptions {
  numPerm: number;
  threshold: number;
  recall: number;
  partitions?: number;
}

/**
 * Stream the containment candidates among `docs` (document indices; each with sizes[d] > 0
 * shingles): visit(small, large) for pairs where `small` is the smaller set (ties: the earlier
 * in `docs`), each pair once. Query documents are taken in order of size; each partition of
 * larger or equal sizes is searched with the bands chosen for its largest size. `visit`
 * returning true means `small` wants no more candidates (a cap reached): its search ends.
 * Memory: one partition's band tables at a time, O(documents × bands) at most.
 */
export function forEachContainmentCandidate(
  signatures: Uint32Array,
  docs: readonly number[],
  sizes: ArrayLike<number>,
  { numPerm, threshold, recall, partitions: partitionCount = CONTAINMENT_PARTITIONS }: ContainmentCandidateOptions,
  visit: (small: number, large: number) => boolean | void,
): { partitions: SizePartition[] } {
  const n = docs.length;
  // By size, ties in the order of docs: a stable sort of the positions.
  const order = Array.from(docs.keys())
    .sort((x, y) => (sizes[docs[x] as number] as number) - (sizes[docs[y] as number] as number) || x - y)
    .map((i) => docs[i] as number);
  const sortedSizes = order.map((d) => sizes[d] as number);
  const parts = sizePartitions(sortedSizes, partitionCount);
  const finished = new Uint8Array(n); // by rank: the query asked to stop
  const seen = new Int32Array(n).fill(-1); // by rank: the last query that visited it
  const paramsFor = (ratio: number) => cachedContainmentBands(numPerm, threshold, roundedRatio(ratio), recall);
  const queryBands = new Int32Array(n); // by rank: the bands of its search in the current partition
  for (const part of parts) {
    const members = part.end - part.start;
    // Queries: every document of smaller or equal rank than the partition's last one, by rows.
    const byRows = new Map<number, number[]>();
    for (let q = 0; q < part.end - 1; q++) {
      if (finished[q] === 1) continue;
      const { rows, bands } = paramsFor(part.upper / (sortedSizes[q] as number));
      queryBands[q] = bands;
      const list = byRows.get(rows);
      if (list) list.push(q);
      else byRows.set(rows, [q]);
    }
    for (const [rows, queries] of byRows) {
      let maxBands = 0;
      for (const q of queries) maxBands = Math.max(maxBands, queryBands[q] as number);
      const table = new BandTable(members, maxBands, (band, i) => combineHashes(signatures, (order[part.start + i] as number) * numPerm + band * rows, rows));
      for (const q of queries) {
        if (finished[q] === 1) continue;
        const small = order[q] as number;
        const bands = queryBands[q] as number;
        search: for (let band = 0; band < bands; band++) {
          const key = combineHashes(signatures, small * numPerm + band * rows, rows);
          for (let e = table.first(band, key); e >= 0; e = table.nextOf(e)) {
            const rank = part.start + (e - band * members);
            if (rank <= q || seen[rank] === q) continue;
            seen[rank] = q;
            if (visit(small, order[rank] as number) === true) {
              finished[q] = 1;
              break search;
            }
          }
        }
      }
    }
  }
  return { partitions: parts };
}
