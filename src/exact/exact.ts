// Identical documents: the same words in the same order once normalised (case, Unicode forms,
// punctuation and line breaks do not count). Found by hashing each document's units before any
// sketching, and confirmed by comparing the units (each word's 32-bit hash) one by one, so a
// collision of the 64-bit key alone never joins two different documents.

import { fmix32 } from '../tokenise/hash.js';

/** Two independent 32-bit hashes of a unit sequence (a 64-bit key), in exact integer arithmetic. */
export function fullTextHash(units: Uint32Array): [number, number] {
  let h1 = 0x243f6a88 ^ units.length;
  let h2 = 0x85a308d3 ^ Math.imul(units.length, 0x9e3779b1);
  for (let i = 0; i < units.length; i++) {
    const u = units[i] as number;
    h1 = Math.imul((h1 << 5) | (h1 >>> 27), 0x165667b1) ^ u;
    h2 = Math.imul((h2 << 13) | (h2 >>> 19), 0x27d4eb2f) + (u ^ (u >>> 15));
  }
  return [fmix32(h1), fmix32(h2 ^ 0x5bd1e995)];
}

function sameUnits(a: Uint32Array, b: Uint32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface ExactInput {
  units: Uint32Array;
  fullTextHash: readonly [number, number];
}

/**
 * Exact groups: `group[d]` is the first document (lowest index) whose units equal document d's,
 * so `group[d] === d` for the first copy of each text. Empty and whitespace-only documents (no
 * units) form one group. Linear in the total number of units.
 */
export function exactGroups(docs: readonly ExactInput[]): Int32Array {
  const group = new Int32Array(docs.length);
  const firsts = new Map<number, number[]>();
  for (let d = 0; d < docs.length; d++) {
    const doc = docs[d]!;
    const [h1, h2] = doc.fullTextHash;
    const candidates = firsts.get(h1);
    let found = -1;
    if (candidates) {
      for (const c of candidates) {
        const other = docs[c]!;
        if (other.fullTextHash[1] === h2 && sameUnits(other.units, doc.units)) {
          found = c;
          break;
        }
      }
    }
    if (found >= 0) group[d] = found;
    else {
      group[d] = d;
      if (candidates) candidates.push(d);
      else firsts.set(h1, [d]);
    }
  }
  return group;
}
