// Sketches: a fixed-length signature per shingle set whose slots agree between two sets with
// probability equal to their Jaccard similarity, so LSH banding can find candidate pairs.

import { MinHasher } from './minhash.js';
import { OnePermutationHasher } from './oph.js';

export { EMPTY_SLOT, estimateJaccard, MinHasher } from './minhash.js';
export { OnePermutationHasher } from './oph.js';

import type { SketchKind } from '../options/kinds.js';
export { SKETCH_KINDS, type SketchKind } from '../options/kinds.js';

export interface Sketcher {
  readonly numPerm: number;
  /** Write the signature of a sorted shingle set into `out[offset .. offset + numPerm)`. */
  sketchInto(shingles: Uint32Array, out: Uint32Array, offset: number): void;
  sketch(shingles: Uint32Array): Uint32Array;
}

const sketchers = new Map<string, Sketcher>();

/**
 * The sketcher for these parameters, made once per thread and kept: its keys are derived once,
 * and a sketcher made per run would let a full GC collect the object layout V8 built for it
 * between runs, discarding the optimised sketching code with it.
 */
export function sketcherFor(kind: SketchKind, numPerm: number, seed: number): Sketcher {
  const id = `${kind}:${numPerm}:${seed}`;
  let sketcher = sketchers.get(id);
  if (!sketcher) {
    sketcher = kind === 'oph' ? new OnePermutationHasher(numPerm, seed) : new MinHasher(numPerm, seed);
    sketchers.set(id, sketcher);
  }
  return sketcher;
}
