import { fmix32 } from '../tokenise/hash.js';

/** The largest 32-bit value: the signature slot of a document with no shingles. */
export const EMPTY_SLOT = 0xffffffff;

/** SplitMix32: a tiny seeded generator, so permutation parameters are the same everywhere. */
function seededWords(seed: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    out[i] = fmix32(state);
  }
  return out;
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
    out.fill(EMPTY_SLOT, offset, offset + k);
    for (let s = 0; s < shingles.length; s++) {
      const h = shingles[s] as number;
      for (let i = 0; i < k; i++) {
        let v = Math.imul(h ^ (keys[i] as number), 0x85ebca6b);
        v ^= v >>> 13;
        v = Math.imul(v, 0xc2b2ae35);
        v = (v ^ (v >>> 16)) >>> 0;
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
