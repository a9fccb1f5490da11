import { mulberry32 } from '../../src/types/numbers.js';

/** A seeded generator (mulberry32), so test data is the same on every run. */
export const seededRandom = mulberry32;

/** Two sorted hash sets with a chosen overlap: exact Jaccard = shared / (shared + onlyA + onlyB). */
export function setPair(random: () => number, shared: number, onlyA: number, onlyB: number): [Uint32Array, Uint32Array] {
  const pool = new Set<number>();
  while (pool.size < shared + onlyA + onlyB) pool.add(Math.floor(random() * 0x100000000));
  const values = [...pool];
  const common = values.slice(0, shared);
  const a = Uint32Array.from([...common, ...values.slice(shared, shared + onlyA)]).sort();
  const b = Uint32Array.from([...common, ...values.slice(shared + onlyA)]).sort();
  return [a, b];
}
