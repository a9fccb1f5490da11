// Keys for findTemplateLines: one 32-bit key per line, 0 for lines that must never count.

import { normaliseText } from '../normalise/normalise.js';
import { hashString } from '../tokenise/hash.js';
import { tokenise } from '../tokenise/tokenise.js';

/**
 * Lines shorter than this many words never count as template: short lines ("Why It Matters",
 * "Comments") recur across a site's articles as in-article headings as often as menu items, and
 * the in-document classifier handles them on its own.
 */
export const TEMPLATE_MIN_WORDS = 5;

/** hashString of the normalised line, or 0 for blank and short lines. */
export function templateLineKey(line: string): number {
  const norm = normaliseText(line);
  if (norm.length === 0 || tokenise(norm).length < TEMPLATE_MIN_WORDS) return 0;
  return hashString(norm) || 1;
}

/** templateLineKey of every line. */
export function templateLineKeys(lines: readonly string[]): Uint32Array {
  const keys = new Uint32Array(lines.length);
  for (let i = 0; i < lines.length; i++) keys[i] = templateLineKey(lines[i] as string);
  return keys;
}
