// The units the classifier labels: the layout's blocks, each with its text, words and word
// hashes gathered from its physical lines. In a one-paragraph-per-line document every block is
// one line and this only drops the blank lines; in a hard-wrapped one a block is a paragraph.

import { detectLayout, type Block, type BlockRole, type Layout } from '../layout/index.js';
import { normaliseText } from '../normalise/normalise.js';
import { hashString } from '../tokenise/hash.js';
import { asciiWordLengths, hashWords, HashScratch, tokenise } from '../tokenise/tokenise.js';
import type { ClassifyOptions } from './types.js';

/** hashString of every token, line i's at hashes[lineStart[i] ..] (prepareDocument's word units). */
export interface TokenHashes {
  hashes: Uint32Array;
  lineStart: Uint32Array;
}

export interface Units {
  layout: Layout;
  /** Per unit (block): its lines joined by a space, their normalised texts, their words. */
  texts: string[];
  normalised: string[];
  tokens: (readonly string[])[];
  /** Word hashes per unit. */
  tokenHashes: TokenHashes | undefined;
  /** Per unit: the 0-based physical line it starts on, and its role. */
  blocks: readonly Block[];
  /** Number of physical lines (positions are measured against it). */
  lineCount: number;
}

/**
 * The units as the classifier reads them, without a string or an array per unit that only gets
 * measured: a unit's text is read from its physical lines (see unitText in features.ts), its
 * words and their hashes per physical line. Only the normalised text, which the cue and link
 * expressions run on, is joined.
 */
export interface UnitView {
  layout: Layout;
  blocks: readonly Block[];
  /** The physical lines. */
  lines: readonly string[];
  /** Per unit: its lines' non-empty normalised texts joined by a space. */
  normalised: string[];
  /** Per physical line: its normalised text, and its words when the caller gave them. */
  lineNormalised: readonly string[];
  lineTokens: readonly (readonly string[])[] | undefined;
  /** Per physical line: its words, tokenised on first use (made on first use). */
  tokenised: (readonly string[] | undefined)[] | undefined;
  /** hashString of every word, physical line i's at hashes[lineStart[i] .. lineStart[i + 1]). */
  hashes: Uint32Array;
  lineStart: Uint32Array;
}

const joinLines = (parts: string[]): string => parts.join(' ');

// The word hashes of a document whose caller gave none (a view is read before the next one is made).
const hashScratch = new HashScratch();
// One block's non-empty normalised lines, before they are joined.
const normParts: string[] = [];

export function unitView(lines: readonly string[], options?: ClassifyOptions): UnitView {
  const layout = options?.layout ?? detectLayout(lines);
  const { blocks } = layout;
  const n = blocks.length;
  const givenNorm = options?.normalised;
  const givenTokens = givenNorm ? options?.tokens : undefined;
  const givenHashes = givenNorm ? options?.tokenHashes : undefined;
  const normOf = (i: number): string => givenNorm?.[i] ?? normaliseText(lines[i] as string);
  let lineNorms: readonly string[];
  let hashes: Uint32Array;
  let lineStart: Uint32Array;
  if (givenNorm && givenHashes) {
    lineNorms = givenNorm;
    hashes = givenHashes.hashes;
    lineStart = givenHashes.lineStart;
  } else {
    // Every line's word hashes (words the caller gave are hashed; otherwise the words are hashed
    // as they are read, and tokenised only if the headline phase needs them).
    const norms: string[] = new Array(lines.length);
    lineStart = new Uint32Array(lines.length + 1);
    let w = 0;
    for (let i = 0; i < lines.length; i++) {
      const norm = normOf(i);
      norms[i] = norm;
      lineStart[i] = w;
      const given = givenTokens?.[i];
      if (given) {
        const out = hashScratch.reserve(w, given.length);
        for (let t = 0; t < given.length; t++) out[w + t] = hashString(given[t] as string);
        w += given.length;
      } else {
        w += hashWords(norm, hashScratch.reserve(w, norm.length), w);
      }
    }
    lineStart[lines.length] = w;
    hashes = hashScratch.array;
    lineNorms = norms;
  }
  const normalised: string[] = new Array(n);
  for (let b = 0; b < n; b++) {
    const { start, end } = blocks[b] as Block;
    if (start === end) {
      normalised[b] = lineNorms[start] ?? normOf(start);
      continue;
    }
    normParts.length = 0;
    for (let i = start; i <= end; i++) {
      const norm = lineNorms[i] ?? normOf(i);
      if (norm !== '') normParts.push(norm);
    }
    normalised[b] = joinLines(normParts);
  }
  return { layout, blocks, lines, normalised, lineNormalised: lineNorms, lineTokens: givenTokens, tokenised: undefined, hashes, lineStart };
}

/** Physical line i's words. */
export function lineTokensOf(view: UnitView, i: number): readonly string[] {
  const given = view.lineTokens?.[i];
  if (given) return given;
  const tokenised = (view.tokenised ??= new Array<readonly string[] | undefined>(view.lines.length));
  return (tokenised[i] ??= tokenise(view.lineNormalised[i] ?? normaliseText(view.lines[i] as string)));
}

/**
 * Physical line i's word lengths, in the order of its hashes: wordLengths.array[0 .. n) after
 * `n = wordLengths.of(view, i)`, until the next call. An ASCII line is measured without a string per
 * word (the headline phase's words were a tenth of the labelling pass's allocations).
 */
class WordLengths {
  array = new Uint32Array(1024);

  of(view: UnitView, i: number): number {
    const given = view.lineTokens?.[i];
    if (given === undefined) {
      const norm = view.lineNormalised[i] ?? normaliseText(view.lines[i] as string);
      this.room(norm.length);
      const n = asciiWordLengths(norm, this.array);
      if (n >= 0) return n;
    }
    const words = lineTokensOf(view, i);
    this.room(words.length);
    for (let j = 0; j < words.length; j++) this.array[j] = (words[j] as string).length;
    return words.length;
  }

  private room(n: number): void {
    if (n > this.array.length) this.array = new Uint32Array(Math.max(n, 2 * this.array.length));
  }
}

export const wordLengths = new WordLengths();

/** Unit b's words: its physical lines' words in order. */
export function unitTokens(view: UnitView, b: number): readonly string[] {
  const { start, end } = view.blocks[b] as Block;
  if (start === end) return lineTokensOf(view, start);
  const words: string[] = [];
  for (let i = start; i <= end; i++) for (const w of lineTokensOf(view, i)) words.push(w);
  return words;
}

/** The units with every text, word list and hash range spelled out per unit. */
export function unitsOf(lines: readonly string[], options?: ClassifyOptions): Units {
  const view = unitView(lines, options);
  const { blocks } = view;
  const n = blocks.length;
  const texts: string[] = new Array(n);
  const tokens: (readonly string[])[] = new Array(n);
  const lineStart = new Uint32Array(n + 1);
  for (let b = 0; b < n; b++) {
    const { start, end } = blocks[b] as Block;
    lineStart[b] = view.lineStart[start] as number;
    const raw: string[] = [];
    for (let i = start; i <= end; i++) raw.push((lines[i] as string).trim());
    texts[b] = start === end ? (lines[start] as string) : joinLines(raw);
    tokens[b] = unitTokens(view, b);
  }
  lineStart[n] = n > 0 ? (view.lineStart[(blocks[n - 1] as Block).end + 1] as number) : 0;
  return {
    layout: view.layout,
    texts,
    normalised: view.normalised,
    tokens,
    tokenHashes: { hashes: view.hashes.slice(0, view.lineStart[lines.length]), lineStart },
    blocks,
    lineCount: lines.length,
  };
}

export type { BlockRole };
