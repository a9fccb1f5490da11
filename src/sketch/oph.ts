import { EMPTY_SLOT, permute, seededWords } from './minhash.js';

/** How many borrowing candidates per slot are precomputed; later ones are computed on demand. */
const PRECOMPUTED_TRIES = 32;
/** Candidates tried before the deterministic fallback. */
const MAX_TRIES = 65536;

/**
 * One-permutation hashing (Li, Owen and Zhang, NIPS 2012) with optimal densification
 * (Shrivastava, ICML 2017): each shingle is hashed once, the hash's top bits pick one of K slots,
 * and each slot keeps the smallest hash that falls into it. A slot no shingle fell into borrows
 * the value of another slot, chosen by a sequence of candidates that depends only on the slot and
 * the seed, never on the document, so two documents borrow alike. Two signatures agree on a slot
 * with probability equal to the sets' Jaccard similarity, as with K-permutation MinHash, at the
 * cost of one hash per shingle instead of K.
 *
 * A borrowed value keeps the top bits of the slot it came from, so it can never equal a value that
 * fell into the borrowing slot itself. Exact 32-bit integer arithmetic throughout, so signatures
 * are identical across runs and machines.
 */
export class OnePermutationHasher {
  readonly numPerm: number;
  private readonly key: number;
  private readonly borrowKey: number;
  /** Slot i's first PRECOMPUTED_TRIES candidates to borrow from, at [i * PRECOMPUTED_TRIES ..]. */
  private readonly candidates: Uint16Array;
  /** Which slots the current document filled (scratch, reused). */
  private readonly filled: Uint8Array;

  constructor(numPerm: number, seed: number) {
    if (!Number.isInteger(numPerm) || numPerm < 1 || numPerm > 65536) {
      throw new RangeError(`numPerm must be a whole number from 1 to 65536, got ${numPerm}`);
    }
    this.numPerm = numPerm;
    const keys = seededWords(seed, 2);
    this.key = keys[0] as number;
    this.borrowKey = keys[1] as number;
    this.candidates = new Uint16Array(numPerm * PRECOMPUTED_TRIES);
    for (let slot = 0; slot < numPerm; slot++) {
      for (let t = 0; t < PRECOMPUTED_TRIES; t++) this.candidates[slot * PRECOMPUTED_TRIES + t] = this.candidate(slot, t);
    }
    this.filled = new Uint8Array(numPerm);
  }

  /** The slot a 32-bit hash falls into: its top 16 bits scaled to [0, numPerm). */
  slotOf(hash: number): number {
    return ((hash >>> 16) * this.numPerm) >>> 16;
  }

  /** The `attempt`-th slot an empty `slot` tries to borrow from (the same for every document). */
  candidate(slot: number, attempt: number): number {
    return this.slotOf(permute((Math.imul(slot, 0x10000) + attempt) >>> 0, this.borrowKey));
  }

  /** Write the signature of a shingle set into `out[offset .. offset + numPerm)`. */
  sketchInto(shingles: Uint32Array, out: Uint32Array, offset: number): void {
    const k = this.numPerm;
    const key = this.key;
    const filled = this.filled;
    out.fill(EMPTY_SLOT, offset, offset + k);
    filled.fill(0);
    let taken = 0;
    for (let s = 0; s < shingles.length; s++) {
      const v = permute(shingles[s] as number, key);
      const slot = offset + (((v >>> 16) * k) >>> 16);
      if (filled[slot - offset] === 0) {
        filled[slot - offset] = 1;
        taken++;
        out[slot] = v;
      } else if (v < (out[slot] as number)) out[slot] = v;
    }
    if (taken === 0 || taken === k) return; // an empty set keeps EMPTY_SLOT everywhere
    for (let slot = 0; slot < k; slot++) {
      if (filled[slot] === 1) continue;
      let from = -1;
      for (let t = 0; t < PRECOMPUTED_TRIES && from < 0; t++) {
        const c = this.candidates[slot * PRECOMPUTED_TRIES + t] as number;
        if (filled[c] === 1) from = c;
      }
      for (let t = PRECOMPUTED_TRIES; from < 0 && t < MAX_TRIES; t++) {
        const c = this.candidate(slot, t);
        if (filled[c] === 1) from = c;
      }
      // Never reached in practice (one filled slot in 128 is missed 65,536 times in a row with
      // probability e^-512), but the loop must end: the next filled slot, by the same rule for all.
      for (let c = (slot + 1) % k; from < 0; c = (c + 1) % k) if (filled[c] === 1) from = c;
      out[offset + slot] = out[offset + from] as number;
    }
  }

  sketch(shingles: Uint32Array): Uint32Array {
    const out = new Uint32Array(this.numPerm);
    this.sketchInto(shingles, out, 0);
    return out;
  }
}
