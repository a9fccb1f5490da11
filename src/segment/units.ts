// The units the classifier labels: the layout's blocks, each with its text, words and word
// hashes gathered from its physical lines. In a one-paragraph-per-line document every block is
// one line and this only drops the blank lines; in a hard-wrapped one a block is a paragraph.

import { detectLayout, type Block, type BlockRole, type Layout } from '../layout/index.js';
import { normaliseText } from '../normalise/normalise.js';
import { tokenise } from '../tokenise/tokenise.js';
import type { TokenHashes } from './features.js';
import type { ClassifyOptions } from './types.js';

export interface Units {
  layout: Layout;
  /** Per unit (block): its lines joined by a space, their normalised texts, their words. */
  texts: string[];
  normalised: string[];
  tokens: (readonly string[])[];
  /** Word hashes per unit, when the caller gave them per line. */
  tokenHashes: TokenHashes | undefined;
  /** Per unit: the 0-based physical line it starts on, and its role. */
  blocks: readonly Block[];
  /** Number of physical lines (positions are measured against it). */
  lineCount: number;
}

const joinLines = (parts: string[]): string => parts.join(' ');

export function unitsOf(lines: readonly string[], options?: ClassifyOptions): Units {
  const layout = options?.layout ?? detectLayout(lines);
  const { blocks } = layout;
  const n = blocks.length;
  const texts: string[] = new Array(n);
  const normalised: string[] = new Array(n);
  const tokens: (readonly string[])[] = new Array(n);
  const givenNorm = options?.normalised;
  const givenTokens = givenNorm ? options?.tokens : undefined;
  const lineHashes = givenTokens ? options?.tokenHashes : undefined;
  const lineStart = lineHashes ? new Uint32Array(n + 1) : undefined;
  const normOf = (i: number): string => givenNorm?.[i] ?? normaliseText(lines[i] as string);
  for (let b = 0; b < n; b++) {
    const { start, end } = blocks[b] as Block;
    if (lineStart && lineHashes) lineStart[b] = lineHashes.lineStart[start] as number;
    if (start === end) {
      texts[b] = lines[start] as string;
      const norm = normOf(start);
      normalised[b] = norm;
      tokens[b] = givenTokens?.[start] ?? tokenise(norm);
      continue;
    }
    const raw: string[] = [];
    const norms: string[] = [];
    const words: string[] = [];
    for (let i = start; i <= end; i++) {
      raw.push((lines[i] as string).trim());
      const norm = normOf(i);
      if (norm !== '') norms.push(norm);
      for (const w of givenTokens?.[i] ?? tokenise(norm)) words.push(w);
    }
    texts[b] = joinLines(raw);
    normalised[b] = joinLines(norms);
    tokens[b] = words;
  }
  if (lineStart && lineHashes) lineStart[n] = n > 0 ? (lineHashes.lineStart[(blocks[n - 1] as Block).end + 1] as number) : 0;
  return {
    layout,
    texts,
    normalised,
    tokens,
    tokenHashes: lineStart && lineHashes ? { hashes: lineHashes.hashes, lineStart } : undefined,
    blocks,
    lineCount: lines.length,
  };
}

export type { BlockRole };
