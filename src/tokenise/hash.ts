// 32-bit hashing in exact integer arithmetic (Math.imul, >>> 0): identical on every machine.

/** Murmur3's finaliser: spreads every input bit over the whole word. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a's offset basis and prime (hashString's, and theirs who hash code units as they read them). */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units, finalised with fmix32. Each token is hashed once. */
export function hashString(s: string, seed = 0): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return fmix32(h);
}

/** Order-sensitive combination of token hashes into one shingle hash (no joined strings). */
export function combineHashes(hashes: ArrayLike<number>, start: number, length: number): number {
  let h = 0x9e3779b9 ^ length;
  for (let i = start; i < start + length; i++) {
    h = Math.imul((h << 5) | (h >>> 27), 0x165667b1) ^ (hashes[i] as number);
  }
  return fmix32(h);
}
