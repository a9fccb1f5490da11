/** mulberry32: a small seeded generator, so test data is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
