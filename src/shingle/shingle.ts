// Scratch for shingleHashes, reused from one call to the next (grown when a document needs more):
// the window hashes, the same hashes grouped by bucket, and the bucket bounds.
let windows = new Uint32Array(1024);
let grouped = new Uint32Array(1024);
let bucketEnd = new Int32Array(1025);

/** Below this many windows a plain sort is as fast as bucketing. */
const BUCKET_MIN = 32;
/** A bucket up to this size is sorted by insertion; a larger one (repeated text) by TypedArray sort. */
const INSERTION_MAX = 16;

/**
 * Shingle hashes of a unit sequence (word hashes, or character hashes for `--shingle char`):
 * every window of `n` consecutive units, combined into one 32-bit hash, sorted and deduplicated
 * so that two documents compare by a linear merge. Fewer than `n` units give no shingles.
 *
 * Each hash is combineHashes(units, i, n), written out here. The hashes are uniform, so they are
 * sorted by spreading them over about one bucket per two hashes by their top bits and sorting
 * each small bucket by insertion: linear time, where a comparison sort was most of the cost.
 */
export function shingleHashes(units: Uint32Array, n: number): Uint32Array {
  const count = units.length - n + 1;
  if (count <= 0) return new Uint32Array(0);
  const sorted = sortedWindows(units, n, count);
  return sorted.slice(0, uniqueInPlace(sorted, count));
}

/**
 * Shingle sets laid one after another in one array, each set a range of it: where many sets are
 * made and kept together (the report's sets of the texts not compared), one array sized once
 * instead of thousands. On a main thread that holds every document's sketch a new typed array
 * is dear: timed inside a realcorpus run at report time, 15,000 `slice`s of 350 hashes took
 * 567 ms, as many subarrays 49 ms, as many plain objects 15 ms.
 */
export class SetArena {
  hashes: Uint32Array;
  used = 0;
  /** `capacity`: room for this many hashes, at least (see shingleHashesInto); grown if it falls short. */
  constructor(capacity: number) {
    this.hashes = new Uint32Array(Math.max(1, capacity));
  }

  /** Room for `count` more hashes after `used`, growing the array if it falls short: returns it. */
  reserve(count: number): Uint32Array {
    if (this.hashes.length < this.used + count) {
      const grown = new Uint32Array(Math.max(2 * this.hashes.length, this.used + count));
      grown.set(this.hashes);
      this.hashes = grown;
    }
    return this.hashes;
  }
}

/**
 * shingleHashes of units[0 .. length) appended to `arena`: returns where the set starts; it ends
 * at arena.used. It takes at most max(0, length - n + 1) hashes of room.
 */
export function shingleHashesInto(units: Uint32Array, length: number, n: number, arena: SetArena): number {
  const start = arena.used;
  const count = length - n + 1;
  if (count <= 0) return start;
  const sorted = sortedWindows(units, n, count);
  const w = uniqueInPlace(sorted, count);
  const hashes = arena.reserve(w);
  for (let i = 0; i < w; i++) hashes[start + i] = sorted[i] as number;
  arena.used = start + w;
  return start;
}

/** The `count` window hashes of `units` (its first count + n - 1 units), sorted, in scratch (valid until the next call). */
function sortedWindows(units: Uint32Array, n: number, count: number): Uint32Array {
  if (windows.length < count) {
    windows = new Uint32Array(2 * count);
    grouped = new Uint32Array(2 * count);
  }
  const h0 = 0x9e3779b9 ^ n;
  for (let i = 0; i < count; i++) {
    let h = h0;
    for (let j = i; j < i + n; j++) h = Math.imul((h << 5) | (h >>> 27), 0x165667b1) ^ (units[j] as number);
    // fmix32, as combineHashes ends.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    windows[i] = h >>> 0;
  }
  if (count < BUCKET_MIN) return windows.subarray(0, count).sort();
  return bucketSort(count);
}

/** Sort windows[0 .. count) into grouped[0 .. count) by bucket, each bucket sorted; returns grouped. */
function bucketSort(count: number): Uint32Array {
  const bits = 31 - Math.clz32(count); // 2^bits buckets: one or two hashes in each
  const buckets = 1 << bits;
  const shift = 32 - bits;
  if (bucketEnd.length < buckets + 1) bucketEnd = new Int32Array(2 * buckets + 1);
  const ends = bucketEnd;
  ends.fill(0, 0, buckets + 1);
  for (let i = 0; i < count; i++) {
    const b = ((windows[i] as number) >>> shift) + 1;
    ends[b] = (ends[b] as number) + 1;
  }
  for (let b = 1; b <= buckets; b++) ends[b] = (ends[b] as number) + (ends[b - 1] as number);
  // After the scatter ends[b] is the end of bucket b (and the start of bucket b + 1).
  for (let i = 0; i < count; i++) {
    const v = windows[i] as number;
    const b = v >>> shift;
    grouped[ends[b] as number] = v;
    ends[b] = (ends[b] as number) + 1;
  }
  let start = 0;
  for (let b = 0; b < buckets; b++) {
    const end = ends[b] as number;
    if (end - start > INSERTION_MAX) grouped.subarray(start, end).sort();
    else {
      for (let i = start + 1; i < end; i++) {
        const v = grouped[i] as number;
        let j = i - 1;
        for (; j >= start && (grouped[j] as number) > v; j--) grouped[j + 1] = grouped[j] as number;
        grouped[j + 1] = v;
      }
    }
    start = end;
  }
  return grouped;
}

/** The distinct values of sorted[0 .. count) moved to its front; returns how many. */
function uniqueInPlace(sorted: Uint32Array, count: number): number {
  let w = 1;
  for (let r = 1; r < count; r++) if (sorted[r] !== sorted[w - 1]) sorted[w++] = sorted[r] as number;
  return w;
}
