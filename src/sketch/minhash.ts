import { fmix32 } from '../tokenise/hash.js';

/** The largest 32-bit value: the signature slot of a document with no shingles. */
export const EMPTY_SLOT = 0xffffffff;

/** SplitMix32: a tiny seeded generator, so permutation parameters are the same everywhere. */
export function seededWords(seed: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    out[i] = fmix32(state);
  }
  return out;
}

const M1 = 0x85ebca6b;
const M2 = 0xc2b2ae35;

/** The i-th hash function: xor in its key, then two multiply/xorshift rounds (murmur3's constants). */
export function permute(h: number, key: number): number {
  let v = Math.imul(h ^ key, M1);
  v ^= v >>> 13;
  v = Math.imul(v, M2);
  return (v ^ (v >>> 16)) >>> 0;
}

/**
 * MinHash with K hash functions derived from one 32-bit shingle hash: each function xors in its
 * own seeded key and re-mixes with two multiply/xorshift rounds. All arithmetic is exact 32-bit
 * integer arithmetic (Math.imul, >>> 0), so signatures are identical across runs and machines.
 */
export class MinHasher {
  readonly numPerm: number;
  private readonly keys: Uint32Array;

  constructor(numPerm: number, seed: number) {
    if (!Number.isInteger(numPerm) || numPerm < 1) throw new RangeError(`numPerm must be a positive integer, got ${numPerm}`);
    this.numPerm = numPerm;
    this.keys = seededWords(seed, numPerm);
  }

  /** Write the signature of a shingle set into `out[offset .. offset + numPerm)`. */
  sketchInto(shingles: Uint32Array, out: Uint32Array, offset: number): void {
    const k = this.numPerm;
    const keys = this.keys;
    const len = shingles.length;
    out.fill(EMPTY_SLOT, offset, offset + k);
    // Four shingles per pass over the K slots: each slot's key and running minimum are loaded
    // and stored once per four shingles instead of once per shingle (about 1.7× faster in V8).
    let s = 0;
    for (; s + 4 <= len; s += 4) {
      const h0 = shingles[s] as number;
      const h1 = shingles[s + 1] as number;
      const h2 = shingles[s + 2] as number;
      const h3 = shingles[s + 3] as number;
      for (let i = 0; i < k; i++) {
        const key = keys[i] as number;
        let min = out[offset + i] as number;
        let v = Math.imul(h0 ^ key, M1);
        v ^= v >>> 13;
        v = Math.imul(v, M2);
        v = (v ^ (v >>> 16)) >>> 0;
        if (v < min) min = v;
        v = Math.imul(h1 ^ key, M1);
        v ^= v >>> 13;
        v = Math.imul(v, M2);
        v = (v ^ (v >>> 16)) >>> 0;
        if (v < min) min = v;
        v = Math.imul(h2 ^ key, M1);
        v ^= v >>> 13;
        v = Math.imul(v, M2);
        v = (v ^ (v >>> 16)) >>> 0;
        if (v < min) min = v;
        v = Math.imul(h3 ^ key, M1);
        v ^= v >>> 13;
        v = Math.imul(v, M2);
        v = (v ^ (v >>> 16)) >>> 0;
        if (v < min) min = v;
        out[offset + i] = min;
      }
    }
    for (; s < len; s++) {
      const h = shingles[s] as number;
      for (let i = 0; i < k; i++) {
        const v = permute(h, keys[i] as number);
        if (v < (out[offset + i] as number)) out[offset + i] = v;
      }
    }
  }

  sketch(shingles: Uint32Array): Uint32Array {
    const out = new Uint32Array(this.numPerm);
    this.sketchInto(shingles, out, 0);
    return out;
  }
}

/** Estimated Jaccard similarity: the share of slots on which two signatures agree. */
export function estimateJaccard(signatures: Uint32Array, k: number, a: number, b: number): number {
  let equal = 0;
  const ao = a * k;
  const bo = b * k;
  for (let i = 0; i < k; i++) if (signatures[ao + i] === signatures[bo + i]) equal++;
  return equal / k;
}
