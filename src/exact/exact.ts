// Identical documents: the same words in the same order once normalised (case, Unicode forms,
// punctuation and line breaks do not count). Found by hashing each document's units before any
// sketching, and confirmed by comparing the units (each word's 32-bit hash) one by one, or where
// a document's units were let go (the streaming build keeps none), their SHA-256: a collision of
// the 64-bit key alone, which input can be made to have, never joins two different documents.

import crypto from 'node:crypto';
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

// crypto.hash (Node 20.12 and later) makes no Hash object: 1.7 µs a document where createHash took 3.
const sha256: (bytes: Uint8Array) => Buffer =
  typeof crypto.hash === 'function' ? (bytes) => crypto.hash('sha256', bytes, 'buffer') : (bytes) => crypto.createHash('sha256').update(bytes).digest();

/** The first 128 bits of the SHA-256 of a unit sequence (as this machine lays the numbers out), into `out` at `at`. */
export function writeUnitsDigest(units: Uint32Array, out: Uint32Array, at: number): void {
  const digest = sha256(new Uint8Array(units.buffer, units.byteOffset, units.byteLength));
  for (let i = 0; i < 4; i++) out[at + i] = digest.readUInt32LE(4 * i);
}

/** writeUnitsDigest into an array of its own. */
export function unitsDigest(units: Uint32Array): Uint32Array {
  const digest = new Uint32Array(4);
  writeUnitsDigest(units, digest, 0);
  return digest;
}

export interface ExactInput {
  /** Read only to confirm a key two documents share, and only when neither has a digest. */
  readonly units: Uint32Array;
  fullTextHash: readonly [number, number];
  /** unitsDigest of the units, where they were let go. */
  readonly unitsDigest?: Uint32Array | undefined;
}

/** Whether two documents with one key have the same units. */
function sameText(a: ExactInput, b: ExactInput): boolean {
  if (a.unitsDigest === undefined && b.unitsDigest === undefined) return sameUnits(a.units, b.units);
  return sameUnits(a.unitsDigest ?? unitsDigest(a.units), b.unitsDigest ?? unitsDigest(b.units));
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
        if (other.fullTextHash[1] === h2 && sameText(other, doc)) {
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
