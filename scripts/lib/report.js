// Plain-text tables for the benchmark's stdout.

/** Render rows (arrays of cells) under a header, numbers right-aligned, text left-aligned. */
export function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map((c) => (c === undefined || c === null ? '–' : String(c))));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.every((r) => r[i] === undefined || r[i] === null || /^[-+]?[\d.,]+[×%]?$|^–$/.test(String(r[i]))));
  const line = (r) => r.map((c, i) => (numeric[i] && i > 0 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export const fixed = (x, digits = 1) => (x === undefined || x === null || Number.isNaN(x) ? undefined : x.toFixed(digits));
export const thousands = (x) => (x === undefined ? undefined : Math.round(x).toLocaleString('en-US'));
export const pct = (x, digits = 1) => (x === undefined || Number.isNaN(x) ? undefined : `${(x * 100).toFixed(digits)}%`);
export const signedPct = (x) => (x === undefined ? undefined : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
