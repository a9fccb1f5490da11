/** x rounded to `places` decimal places (the report's similarities: 4; confidences: 3). */
export const round = (x: number, places: number): number => {
  const scale = 10 ** places;
  return Math.round(x * scale) / scale;
};

/** mulberry32: a small, fast, seeded generator of numbers in [0, 1), the same on every run and machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
