import { detectLayout, type Layout } from '../layout/index.js';
import { isSpace } from '../normalise/characters.js';
import { normaliseText, splitLines } from '../normalise/normalise.js';
import { mayBeTemplate, segmentLines, type Segment } from '../segment/index.js';
import { SetArena, shingleHashes, shingleHashesInto } from '../shingle/shingle.js';
import type { Sketcher } from '../sketch/index.js';
import { fullTextHash } from '../exact/exact.js';
import { combineHashes, fmix32, FNV_OFFSET, FNV_PRIME, hashString } from '../tokenise/hash.js';
import { hashWords, HashScratch, tokenise, tokeniseHashing } from '../tokenise/tokenise.js';
import type { CompareKind, ShingleKind } from '../options/kinds.js';
import type { AnalyseOptions } from './options.js';
import type { Warning } from '../types/warning.js';

export type { ShingleKind } from '../options/kinds.js';

/**
 * One document reduced to what the later stages need: the original lines (for the report), a key
 * per normalised line (for template detection; 0 for blank lines) and the hashed units that
 * shingles are built from, with each line's slice of them. Word units are token hashes; char units
 * are the characters of the line's words joined by single spaces, so punctuation and spacing
 * never matter.
 */
export interface PreparedDocument {
  lines: string[];
  /** Each line normalised, and its words: the segmenter reads these rather than redoing them. */
  normalised: string[];
  /** (With word units, made on first use: the segmenter reads the words' hashes and counts.) */
  tokens: string[][];
  /** Words per line. */
  lineWords: Uint32Array;
  lineKeys: Uint32Array;
  /**
   * Per layout block, at its first line: the key of the block's words, or 0 when the block cannot
   * be an outlet's template (too short, too long or quoted: see mayBeTemplate); 0 on every other
   * line. A footer wrapped at different widths in two files has one key.
   */
  templateKeys: Uint32Array;
  /** Paragraphs (blocks of physical lines) and mail structure, before any label. */
  layout: Layout;
  units: Uint32Array;
  /** Line i owns units[lineUnitStart[i] .. lineUnitStart[i + 1]). */
  lineUnitStart: Uint32Array;
}

const SPACE_UNIT = hashString(' ');
const NO_LAYOUT: Layout = { kind: 'lines', width: 0, blocks: [] };

/** The lines of a document as the report numbers them: an empty file has none, and a final newline ends the last line rather than starting one. */
export function documentLines(text: string): string[] {
  const lines = text === '' ? [] : splitLines(text);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

// The units of the document being prepared: prepareDocument hashes each line's words as it reads
// them, and copies the units out once.
const unitScratch = new HashScratch();

/**
 * Documents of more lines than this are not labelled: the whole text is body and compared as it
 * is, and the report says so (see unlabelledWarning). No article runs that long, and the labeller
 * holds a few hundred bytes per line while it works: a file of four million one-letter lines took
 * 1.5 GB and 9.5 s to label, 300 MB and 3 s without. A long book (Shakespeare's complete works,
 * 124,000 lines) is still labelled.
 */
export const MAX_LABELLED_LINES = 250_000;

/** Whether a document of `lineCount` lines is labelled under `options`. */
export const isLabelled = (lineCount: number, options: Pick<AnalyseOptions, 'boilerplate'>): boolean => options.boilerplate && lineCount <= MAX_LABELLED_LINES;

/** The report's warning for a document too long to label, or undefined. */
export function unlabelledWarning(lineCount: number, options: Pick<AnalyseOptions, 'boilerplate'>): string | undefined {
  if (!options.boilerplate || isLabelled(lineCount, options)) return undefined;
  return `${lineCount.toLocaleString('en-US')} lines, more than the ${MAX_LABELLED_LINES.toLocaleString('en-US')} the labeller reads: not labelled (the whole text is body and compared)`;
}

/** unlabelledWarning for each document by its sketch's line count, in order. */
export function unlabelledWarningsOfSketches(
  documents: ReadonlyArray<{ path: string }>,
  sketches: ReadonlyArray<Pick<DocumentSketch, 'lineCount'>>,
  options: Pick<AnalyseOptions, 'boilerplate'>,
): Warning[] {
  const warnings: Warning[] = [];
  sketches.forEach((sketch, d) => {
    const message = unlabelledWarning(sketch.lineCount, options);
    if (message) warnings.push({ path: documents[d]!.path, message });
  });
  return warnings;
}

/**
 * unlabelledWarning for each document whose text is at hand, in order (a text of no more
 * characters than the limit has no more lines, so only longer ones are split).
 */
export function unlabelledWarningsOf(documents: ReadonlyArray<{ path: string; text: string }>, options: Pick<AnalyseOptions, 'boilerplate'>): Warning[] {
  const warnings: Warning[] = [];
  for (const { path, text } of documents) {
    const message = text.length > MAX_LABELLED_LINES ? unlabelledWarning(documentLines(text).length, options) : undefined;
    if (message) warnings.push({ path, message });
  }
  return warnings;
}

/**
 * `withLayout: false` (boilerplate detection off, or a document too long to label): no layout,
 * no template keys, as nothing reads them.
 */
export function prepareDocument(text: string, shingle: ShingleKind, withLayout = true): PreparedDocument {
  const lines = documentLines(text);
  const lineKeys = new Uint32Array(lines.length);
  const templateKeys = new Uint32Array(lines.length);
  const lineUnitStart = new Uint32Array(lines.length + 1);
  const lineWords = new Uint32Array(lines.length);
  const normalisedLines: string[] = new Array(lines.length);
  // Char units are read off the words; word units are the words' hashes, written as the words are
  // read, without a string per word.
  const perLine: string[][] | undefined = shingle === 'word' ? undefined : new Array<string[]>(lines.length);
  let w = 0;
  for (let i = 0; i < lines.length; i++) {
    const normalised = normaliseText(lines[i] as string);
    const start = w;
    normalisedLines[i] = normalised;
    lineUnitStart[i] = w;
    if (perLine === undefined) {
      const count = hashWords(normalised, unitScratch.reserve(w, normalised.length), w);
      lineWords[i] = count;
      w += count;
    } else {
      const tokens = tokeniseHashing(normalised, undefined, 0);
      perLine[i] = tokens;
      lineWords[i] = tokens.length;
      for (let t = 0; t < tokens.length; t++) w = charUnits(tokens[t] as string, w);
    }
    // A line's key is the hash of its units: the same words give the same key, whatever the punctuation.
    if (w > start) lineKeys[i] = combineHashes(unitScratch.array, start, w - start) || 1;
  }
  lineUnitStart[lines.length] = w;
  const units = unitScratch.array.slice(0, w);
  const layout = isLabelled(lines.length, { boilerplate: withLayout }) ? detectLayout(lines) : NO_LAYOUT;
  for (const block of layout.blocks) {
    let words = 0;
    for (let i = block.start; i <= block.end; i++) words += lineWords[i] as number;
    if (!mayBeTemplate(block.role, words)) continue;
    const start = lineUnitStart[block.start] as number;
    const end = lineUnitStart[block.end + 1] as number;
    templateKeys[block.start] = block.start === block.end ? (lineKeys[block.start] as number) : combineHashes(units, start, end - start) || 1;
  }
  return new Prepared(lines, normalisedLines, perLine, lineWords, lineKeys, templateKeys, layout, units, lineUnitStart);
}

/** A PreparedDocument whose words are tokenised on first use (word units only need their hashes). */
class Prepared implements PreparedDocument {
  constructor(
    readonly lines: string[],
    readonly normalised: string[],
    private perLine: string[][] | undefined,
    readonly lineWords: Uint32Array,
    readonly lineKeys: Uint32Array,
    readonly templateKeys: Uint32Array,
    readonly layout: Layout,
    readonly units: Uint32Array,
    readonly lineUnitStart: Uint32Array,
  ) {}

  get tokens(): string[][] {
    return (this.perLine ??= this.normalised.map((line) => tokenise(line)));
  }
}

/**
 * Write a word's char units in unitScratch from w on: hashString of each code point (as `for (const ch
 * of token)` reads them: a surrogate pair is one, a lone surrogate one), then the space after the
 * word. The hashes are worked out from the code units, without a string per character. Returns
 * the index after them.
 */
function charUnits(token: string, w: number): number {
  const units = unitScratch.reserve(w, token.length + 1);
  const n = token.length;
  for (let j = 0; j < n; j++) {
    const c = token.charCodeAt(j);
    let h = Math.imul(FNV_OFFSET ^ c, FNV_PRIME);
    if (c >= 0xd800 && c <= 0xdbff && j + 1 < n) {
      const d = token.charCodeAt(j + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        h = Math.imul(h ^ d, FNV_PRIME);
        j++;
      }
    }
    units[w++] = fmix32(h);
  }
  units[w++] = SPACE_UNIT;
  return w;
}

/** The units of the lines selected by `keep`, in order: the text a comparison sees. */
export function selectUnits(
  doc: Pick<PreparedDocument, 'units' | 'lineUnitStart'>,
  keep: (line: number) => boolean,
): Uint32Array {
  // Each array read once: a kept sketch makes a view per read.
  const { units, lineUnitStart } = doc;
  let count = 0;
  const n = lineUnitStart.length - 1;
  for (let i = 0; i < n; i++) if (keep(i)) count += (lineUnitStart[i + 1] as number) - (lineUnitStart[i] as number);
  if (count === units.length) return units;
  const out = new Uint32Array(count);
  let w = 0;
  // Copied unit by unit: a line holds a few words, and a view per line cost more than the copy.
  for (let i = 0; i < n; i++) {
    if (!keep(i)) continue;
    const end = lineUnitStart[i + 1] as number;
    for (let u = lineUnitStart[i] as number; u < end; u++) out[w++] = units[u] as number;
  }
  return out;
}

/** No boilerplate segment: the body is the whole text (blank lines hold no units). */
function allBodySegments(segments: readonly Segment[]): boolean {
  for (const s of segments) if (s.kind !== 'body') return false;
  return true;
}

/**
 * True when the body holds every unit of the document (boilerplate lines, if any, hold none):
 * then the body's shingle set is the full text's, and one can stand for the other.
 */
export function bodyHoldsAllUnits(doc: Pick<DocumentSketch, 'units' | 'lineUnitStart' | 'lineCount' | 'segments'>): boolean {
  const { segments } = doc;
  if (allBodySegments(segments)) return true;
  const { lineUnitStart } = doc;
  const mask = scratchBodyMask(segments, doc.lineCount);
  for (let i = 0; i < doc.lineCount; i++) if (mask[i] === 0 && lineUnitStart[i + 1] !== lineUnitStart[i]) return false;
  return true;
}

/** Lines inside body segments: what `--compare body` shingles. */
export function bodyLineMask(segments: readonly Segment[], lineCount: number): Uint8Array {
  const mask = new Uint8Array(lineCount);
  for (const s of segments) if (s.kind === 'body') mask.fill(1, s.startLine - 1, s.endLine);
  return mask;
}

/** What the report says of a document's layout: hard-wrapped at `width` columns, or one paragraph per line. */
export interface LayoutSummary {
  kind: Layout['kind'];
  width?: number;
  /** Blocks (paragraphs) the lines were read as. */
  blocks: number;
}

/**
 * Everything the corpus stages need from one document, in typed arrays and a few segments: no
 * text and nothing per shingle on the JS heap. This is what a worker thread sends back.
 */
export interface DocumentSketch {
  lineCount: number;
  lineKeys: Uint32Array;
  templateKeys: Uint32Array;
  units: Uint32Array;
  lineUnitStart: Uint32Array;
  /** Words per line (what the body-size rule counts). */
  lineWords: Uint32Array;
  /** Segments from in-document evidence (the corpus pass may refine them). */
  segments: Segment[];
  /** Each segment's first words (see preview), so that the report needs no text to name it. */
  previews: string[];
  /** The blank lines (0-based, ascending): what the report's line counts leave out. */
  blankLines: Uint32Array;
  /** Which text `shingles` come from, and why (see chooseComparedText). */
  compared: CompareKind;
  comparedReason: string;
  /** The layout the segmenter read (omitted with boilerplate detection off). */
  layout?: LayoutSummary;
  /** Sorted shingle hashes of the compared text (body or full). */
  shingles: Uint32Array;
  signature: Uint32Array;
  /**
   * The signature's LSH band keys, where they were kept instead of it (a streaming build without
   * the containment search: see packSketches); the signature is then empty.
   */
  bandKeys?: Uint32Array | undefined;
  /**
   * Where the units were let go (see packSketches), the shingle set of the text not compared (see
   * otherTextOf) as its difference from `shingles`: the hashes only it has, and those only the
   * compared set has, both sorted. Both empty: the two sets are one. Read through otherShingles.
   */
  otherAdded?: Uint32Array | undefined;
  otherRemoved?: Uint32Array | undefined;
  /** unitsDigest of the units, where they were let go: what confirms two documents identical (exactGroups). */
  unitsDigest?: Uint32Array | undefined;
  /** Hash of the whole document's units (normalised full text), to find identical documents. */
  fullTextHash: [number, number];
}

export function comparedShingles(
  doc: Pick<DocumentSketch, 'units' | 'lineUnitStart' | 'lineCount'>,
  segments: readonly Segment[],
  options: Pick<AnalyseOptions, 'compare' | 'ngram'>,
): Uint32Array {
  if (options.compare === 'full' || allBodySegments(segments)) return shingleHashes(doc.units, options.ngram);
  const mask = bodyLineMask(segments, doc.lineCount);
  return shingleHashes(selectUnits(doc, (line) => mask[line] === 1), options.ngram);
}

// Scratch for the sets comparedShinglesInto makes: a body line mask and the body's units.
let maskScratch = new Uint8Array(1024);
let unitScratchForBody = new Uint32Array(4096);

/** bodyLineMask in scratch, valid for lines 0 .. lineCount - 1 until the next call. */
function scratchBodyMask(segments: readonly Segment[], lineCount: number): Uint8Array {
  if (maskScratch.length < lineCount) maskScratch = new Uint8Array(2 * lineCount);
  const mask = maskScratch.fill(0, 0, lineCount);
  for (const s of segments) if (s.kind === 'body') mask.fill(1, s.startLine - 1, Math.min(s.endLine, lineCount));
  return mask;
}

/** How many units a document's compared text (`compare`) has: its shingle set has at most that many, less ngram - 1. */
export function comparedUnitCount(doc: Pick<DocumentSketch, 'units' | 'lineUnitStart' | 'lineCount'>, segments: readonly Segment[], compare: CompareKind): number {
  if (compare === 'full' || allBodySegments(segments)) return doc.units.length;
  const mask = scratchBodyMask(segments, doc.lineCount);
  const { lineUnitStart } = doc;
  let count = 0;
  for (let i = 0; i < doc.lineCount; i++) if (mask[i] === 1) count += (lineUnitStart[i + 1] as number) - (lineUnitStart[i] as number);
  return count;
}

/**
 * comparedShingles appended to `arena` (see SetArena): returns where the set starts; it ends at
 * arena.used. Makes no array of its own (the body's units and mask go to scratch).
 */
export function comparedShinglesInto(
  doc: Pick<DocumentSketch, 'units' | 'lineUnitStart' | 'lineCount'>,
  segments: readonly Segment[],
  options: Pick<AnalyseOptions, 'compare' | 'ngram'>,
  arena: SetArena,
): number {
  const all = doc.units;
  if (options.compare === 'full' || allBodySegments(segments)) return shingleHashesInto(all, all.length, options.ngram, arena);
  const { lineUnitStart } = doc;
  const mask = scratchBodyMask(segments, doc.lineCount);
  if (unitScratchForBody.length < all.length) unitScratchForBody = new Uint32Array(2 * all.length);
  const units = unitScratchForBody;
  let w = 0;
  for (let i = 0; i < doc.lineCount; i++) {
    if (mask[i] !== 1) continue;
    for (let u = lineUnitStart[i] as number; u < (lineUnitStart[i + 1] as number); u++) units[w++] = all[u] as number;
  }
  return shingleHashesInto(units, w, options.ngram, arena);
}

/** The text a document is not compared on: its full text when compared on its body, else its body. */
export const otherTextOf = (sketch: Pick<DocumentSketch, 'compared'>): CompareKind => (sketch.compared === 'body' ? 'full' : 'body');

const NO_HASHES = new Uint32Array(0);

/** The hashes only `b` has and those only `a` has, of two sorted sets. */
function setDifferences(a: Uint32Array, b: Uint32Array): { added: Uint32Array; removed: Uint32Array } {
  let onlyA = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      i++;
      j++;
    } else if (x < y) {
      onlyA++;
      i++;
    } else j++;
  }
  onlyA += a.length - i;
  const onlyB = b.length - (a.length - onlyA);
  if (onlyA === 0 && onlyB === 0) return { added: NO_HASHES, removed: NO_HASHES };
  const added = new Uint32Array(onlyB);
  const removed = new Uint32Array(onlyA);
  let wa = 0;
  let wr = 0;
  for (i = 0, j = 0; i < a.length || j < b.length; ) {
    const x = i < a.length ? (a[i] as number) : Infinity;
    const y = j < b.length ? (b[j] as number) : Infinity;
    if (x === y) {
      i++;
      j++;
    } else if (x < y) {
      removed[wr++] = x;
      i++;
    } else {
      added[wa++] = y;
      j++;
    }
  }
  return { added, removed };
}

type DifferenceInput = Pick<DocumentSketch, 'units' | 'lineUnitStart' | 'lineCount' | 'segments' | 'shingles' | 'compared'>;

/**
 * The other text's set (see otherTextOf) as its difference from the compared set, worked out from
 * the units. (Made from only the windows where the two texts differ, it cost as much on the
 * benchmark corpus: there the boilerplate is a good part of the windows.)
 */
export function otherDifference(doc: DifferenceInput, ngram: number): { added: Uint32Array; removed: Uint32Array } {
  if (bodyHoldsAllUnits(doc)) return { added: NO_HASHES, removed: NO_HASHES };
  return setDifferences(doc.shingles, comparedShingles(doc, doc.segments, { compare: otherTextOf(doc), ngram }));
}

/** True when the other text's set (see otherTextOf) is the compared set: one stands for both. */
export function otherIsCompared(sketch: DocumentSketch): boolean {
  const { otherAdded, otherRemoved } = sketch;
  if (otherAdded && otherRemoved) return otherAdded.length === 0 && otherRemoved.length === 0;
  return bodyHoldsAllUnits(sketch);
}

/** At most how many hashes the other text's set has (the room otherShinglesInto takes). */
export function otherShinglesBound(sketch: DocumentSketch, ngram: number): number {
  const { otherAdded, otherRemoved } = sketch;
  if (otherAdded && otherRemoved) return sketch.shingles.length - otherRemoved.length + otherAdded.length;
  return Math.max(0, comparedUnitCount(sketch, sketch.segments, otherTextOf(sketch)) - ngram + 1);
}

/** The other text's set (see otherTextOf) appended to `arena`, as comparedShinglesInto does: returns where it starts. */
export function otherShinglesInto(sketch: DocumentSketch, ngram: number, arena: SetArena): number {
  const { otherAdded: added, otherRemoved: removed } = sketch;
  if (!added || !removed) return comparedShinglesInto(sketch, sketch.segments, { ngram, compare: otherTextOf(sketch) }, arena);
  const compared = sketch.shingles;
  const start = arena.used;
  const out = arena.reserve(compared.length - removed.length + added.length);
  let w = start;
  // The compared set less `removed` (a subset of it, both sorted), merged with `added` (none of it in the compared set).
  let r = 0;
  let j = 0;
  for (let i = 0; i < compared.length; i++) {
    const x = compared[i] as number;
    if (r < removed.length && removed[r] === x) {
      r++;
      continue;
    }
    while (j < added.length && (added[j] as number) < x) out[w++] = added[j++] as number;
    out[w++] = x;
  }
  while (j < added.length) out[w++] = added[j++] as number;
  arena.used = w;
  return start;
}

/** The other text's set (see otherTextOf): from the difference where the units were let go, else from the units. */
export function otherShingles(sketch: DocumentSketch, ngram: number): Uint32Array {
  if (!sketch.otherAdded) return comparedShingles(sketch, sketch.segments, { compare: otherTextOf(sketch), ngram });
  const arena = new SetArena(otherShinglesBound(sketch, ngram));
  otherShinglesInto(sketch, ngram, arena);
  return arena.hashes.subarray(0, arena.used);
}

/**
 * When a detected body is too small to trust, the full text is compared instead: a labeller that
 * misreads a layout leaves a sliver of "body", and comparing slivers loses duplicates. On the
 * labelled dev pages the smallest body the labeller found was 78 words and 9% of its page (BBC:
 * 139 words and 100%), so a body under these limits is a failure, not an article.
 */
export const BODY_TRUST = {
  /** Fewer body words than this (and fewer than the document has) ... */
  minWords: 30,
  /** ... or less than this share of the document's words, and the full text is compared. */
  minShare: 0.05,
} as const;

/** Which text a document is compared on, and why (the report says both). */
export interface ComparedText {
  compared: CompareKind;
  comparedReason: string;
}

export function chooseComparedText(
  doc: Pick<DocumentSketch, 'lineWords' | 'lineCount'>,
  segments: readonly Segment[],
  options: Pick<AnalyseOptions, 'compare' | 'boilerplate'>,
): ComparedText {
  if (options.compare === 'full') return { compared: 'full', comparedReason: 'the run compares full texts' };
  if (!options.boilerplate) return { compared: 'full', comparedReason: 'boilerplate detection is off: every line is body' };
  const { lineWords } = doc;
  let total = 0;
  for (let i = 0; i < doc.lineCount; i++) total += lineWords[i] as number;
  let body = 0;
  for (const s of segments) if (s.kind === 'body') for (let i = s.startLine - 1; i < s.endLine; i++) body += lineWords[i] as number;
  const counted = `${body} of ${total} words`;
  if (body === total) return { compared: 'body', comparedReason: `the whole text is body (${counted})` };
  if (body < BODY_TRUST.minWords || body < BODY_TRUST.minShare * total) {
    return { compared: 'full', comparedReason: `the detected body is too small to trust (${counted}): full text compared` };
  }
  return { compared: 'body', comparedReason: `article body (${counted})` };
}

/** Unlabelled (boilerplate detection off, or too many lines): one body segment from the first to the last non-blank line. */
function allBody(lines: readonly string[], reason: string): Segment[] {
  let first = -1;
  let last = -1;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (first < 0) first = i;
    last = i;
  });
  return first < 0 ? [] : [{ startLine: first + 1, endLine: last + 1, kind: 'body', confidence: 1, reasons: [reason] }];
}

function summariseLayout(layout: Layout): LayoutSummary {
  return { kind: layout.kind, ...(layout.kind === 'wrapped' ? { width: layout.width } : {}), blocks: layout.blocks.length };
}

const PREVIEW_WORDS = 8;
const PREVIEW_CHARS = 60;

/**
 * The first words of a segment, to recognise it by in a report: its first PREVIEW_WORDS runs of
 * non-space (\S+), one space between, cut at PREVIEW_CHARS, with … when the line goes on. Read
 * by character: a match object per word was a twentieth of the labelling pass's allocations.
 */
export function preview(line: string): string {
  // Only the first PREVIEW_WORDS words are looked at: the line may be a whole paragraph.
  const n = line.length;
  let text = '';
  let i = 0;
  for (let words = 0; words < PREVIEW_WORDS; words++) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i === n) break;
    const start = i;
    while (i < n && !isSpace(line.charCodeAt(i))) i++;
    text = words === 0 ? line.slice(start, i) : `${text} ${line.slice(start, i)}`;
  }
  if (text.length > PREVIEW_CHARS) text = text.slice(0, PREVIEW_CHARS - 1).trimEnd();
  return text.length < trimmedLength(line) ? `${text}…` : text;
}

/** line.trim().length, without the copy. */
function trimmedLength(line: string): number {
  let start = 0;
  let end = line.length;
  while (start < end && isSpace(line.charCodeAt(start))) start++;
  while (end > start && isSpace(line.charCodeAt(end - 1))) end--;
  return end - start;
}

/** A document's segments, and what the report shows of each without the text. */
export interface Labels {
  segments: Segment[];
  previews: string[];
}

export function labelsOf(lines: readonly string[], segments: Segment[]): Labels {
  return { segments, previews: segments.map((s) => preview(lines[s.startLine - 1] ?? '')) };
}

const NOT_BLANK = /\S/;

/** The blank lines of a document (nothing but white space), 0-based. */
function blankLinesOf(lines: readonly string[]): Uint32Array {
  let n = 0;
  for (const line of lines) if (!NOT_BLANK.test(line)) n++;
  const blank = new Uint32Array(n);
  let w = 0;
  lines.forEach((line, i) => {
    if (!NOT_BLANK.test(line)) blank[w++] = i;
  });
  return blank;
}

/** A prepared document's segments, with the corpus evidence's template lines (line → documents) when given. */
function labelPrepared(doc: PreparedDocument, options: AnalyseOptions, templateCounts?: ReadonlyMap<number, number>): Segment[] {
  if (!isLabelled(doc.lines.length, options)) {
    return allBody(doc.lines, options.boilerplate ? `not labelled: more than ${MAX_LABELLED_LINES.toLocaleString('en-US')} lines` : 'boilerplate detection off');
  }
  return segmentLines(doc.lines, {
    normalised: doc.normalised,
    // Word units are the words' hashes (the segmenter tokenises the few lines it needs the
    // words of); char units are not (the segmenter hashes the words).
    ...(options.shingle === 'word' ? { tokenHashes: { hashes: doc.units, lineStart: doc.lineUnitStart } } : { tokens: doc.tokens }),
    layout: doc.layout,
    ...(templateCounts ? { templateCounts } : {}),
  });
}

/** What a document is compared on, with its sets: what a new body changes (see takeSegments). */
export interface Comparison extends ComparedText {
  shingles: Uint32Array;
  otherAdded: Uint32Array;
  otherRemoved: Uint32Array;
}

/**
 * A document labelled again with the corpus evidence: its new labels and, when its body changed,
 * what it is then compared on, worked out where the text is, so that the thread that holds the
 * corpus needs no units.
 */
export interface Relabelled extends Labels {
  comparison?: Comparison;
}

/** A document's body lines as [first, last] ranges (1-based, as segments number them): what relabel compares new labels with. */
export const bodyRanges = (segments: readonly Segment[]): Array<[number, number]> => segments.filter((s) => s.kind === 'body').map((s) => [s.startLine, s.endLine]);

/**
 * The document labelled with the template lines (line → documents) the corpus found, and, unless
 * its body is still `bodyBefore` (see bodyRanges; 44% of the documents the benchmark corpus's
 * evidence labels again), compared as sketchDocument does: a pure function of the text.
 */
export function relabel(text: string, templateLines: ReadonlyMap<number, number>, options: AnalyseOptions, bodyBefore?: ReadonlyArray<readonly [number, number]>): Relabelled {
  const doc = prepareDocument(text, options.shingle, options.boilerplate);
  const segments = labelPrepared(doc, options, templateLines);
  const lineCount = doc.lines.length;
  const labels = labelsOf(doc.lines, segments);
  if (bodyBefore) {
    const before = new Uint8Array(lineCount);
    for (const [first, last] of bodyBefore) before.fill(1, first - 1, last);
    const after = bodyLineMask(segments, lineCount);
    if (after.every((v, i) => v === before[i])) return labels;
  }
  const comparison = compareDocument(doc, segments, options);
  const { units, lineUnitStart } = doc;
  const { added, removed } = otherDifference({ units, lineUnitStart, lineCount, segments, shingles: comparison.shingles, compared: comparison.compared }, options.ngram);
  return { ...labels, comparison: { ...comparison, otherAdded: added, otherRemoved: removed } };
}

/** What a labelled document is compared on, and that text's shingle set. */
function compareDocument(doc: PreparedDocument, segments: readonly Segment[], options: AnalyseOptions): ComparedText & { shingles: Uint32Array } {
  const lineCount = doc.lines.length;
  const { compared, comparedReason } = chooseComparedText({ lineWords: doc.lineWords, lineCount }, segments, options);
  const shingles = comparedShingles({ units: doc.units, lineUnitStart: doc.lineUnitStart, lineCount }, segments, { compare: compared, ngram: options.ngram });
  return { compared, comparedReason, shingles };
}

/** Normalise, segment, shingle and sketch one document: the per-document half of the pipeline. */
export function sketchDocument(text: string, options: AnalyseOptions, hasher: Sketcher): DocumentSketch {
  const doc = prepareDocument(text, options.shingle, options.boilerplate);
  const segments = labelPrepared(doc, options);
  const lineCount = doc.lines.length;
  const { lineWords } = doc;
  const { compared, comparedReason, shingles } = compareDocument(doc, segments, options);
  return {
    lineCount,
    lineKeys: doc.lineKeys,
    templateKeys: doc.templateKeys,
    units: doc.units,
    lineUnitStart: doc.lineUnitStart,
    lineWords,
    segments,
    previews: labelsOf(doc.lines, segments).previews,
    blankLines: blankLinesOf(doc.lines),
    compared,
    comparedReason,
    ...(options.boilerplate ? { layout: summariseLayout(doc.layout) } : {}),
    shingles,
    signature: hasher.sketch(shingles),
    fullTextHash: fullTextHash(doc.units),
  };
}
