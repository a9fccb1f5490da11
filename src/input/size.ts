/** Sizes in bytes, as people write them: `1048576`, `64K`, `64M`, `1G`, `1.5GiB` (K, M, G, T are powers of 1024). */

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Parse a size; undefined when the text is not one. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!match) return undefined;
  const bytes = Math.floor(Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] as number));
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A size for people: `512 bytes`, `64 KiB`, `8.0 MiB`, `1.5 GiB`. */
export function formatSize(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes;
  let unit = 'bytes';
  for (const u of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = u;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}
