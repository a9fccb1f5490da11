import { chooseBands, type BandParams } from '../candidates/lsh.js';
import { BODY_TRUST, MAX_LABELLED_LINES, type DocumentSketch, type LayoutSummary } from '../core/document.js';
import type { AnalyseOptions } from '../core/options.js';
import { LAYOUT } from '../layout/params.js';
import { CONFIDENCE, DEFAULT_PARAMS, HEADLINE_SHAPE, HEADLINE_WEIGHTS, LABELLER_RULES } from '../segment/params.js';
import { TEMPLATE_MAX_WORDS, TEMPLATE_MIN_WORDS, TEMPLATE_ROLES, type Segment } from '../segment/index.js';
import { hashString } from '../tokenise/hash.js';

// What the index keeps of one document, and its parameters. Pure data and packing: the DuckDB
// side is store.ts.

/**
 * Bumped when what a row holds changes: an index of another format is refused (exit 2), never misread.
 * 3: the packed arrays hold each line's template key (what `dedupe index export` writes as template_keys).
 * 4: the wide columns (path, aliases, report, meta, arrays) live in the payloads file (payloads.ts).
 */
export const INDEX_FORMAT_VERSION = 4;

/**
 * The labeller's version: a hash of its weights, thresholds, template rule, rules revision
 * (LABELLER_RULES) and the longest document it labels (MAX_LABELLED_LINES). Segments are stored as labelled when a document was added, so an index made
 * with another labeller would give other reports.
 */
export const LABELLER_VERSION = (hashString(JSON.stringify([DEFAULT_PARAMS, HEADLINE_WEIGHTS, HEADLINE_SHAPE, CONFIDENCE, LAYOUT, BODY_TRUST, [TEMPLATE_MIN_WORDS, TEMPLATE_MAX_WORDS, [...TEMPLATE_ROLES]], LABELLER_RULES, MAX_LABELLED_LINES])) >>> 0)
  .toString(16)
  .padStart(8, '0');

/**
 * The parameters that decide what is stored (segments, shingles, band keys), in the order a
 * mismatch is reported. The threshold and recall matter only through bands × rows.
 */
export function indexParams(options: AnalyseOptions): Array<[string, string]> {
  const { bands, rows } = chooseBands(options.numPerm, options.threshold, options.recall);
  return [
    ['format', String(INDEX_FORMAT_VERSION)],
    ['shingle', options.shingle],
    ['ngram', String(options.ngram)],
    ['num-perm', String(options.numPerm)],
    ['sketch', options.sketch],
    ['seed', String(options.seed)],
    ['compare', options.compare],
    ['boilerplate', String(options.boilerplate)],
    ['bands', `${bands}x${rows}`],
    ['labeller', LABELLER_VERSION],
  ];
}

/** The differences between an index's parameters and a run's, in words ("--ngram is 5 in the index, 7 here"), or []. */
export function paramDifferences(stored: ReadonlyMap<string, string>, wanted: ReadonlyArray<readonly [string, string]>): string[] {
  const out: string[] = [];
  for (const [name, value] of wanted) {
    const have = stored.get(name);
    if (have === value) continue;
    if (name === 'boilerplate') {
      // A boolean said as the flag that sets it.
      const detection = (v: string | undefined) => (v === 'false' ? 'off (--no-boilerplate)' : v === 'true' ? 'on' : 'unset');
      out.push(`boilerplate detection is ${detection(have)} in the index, ${detection(value)} here`);
      continue;
    }
    const what = name === 'format' ? 'the index format' : name === 'labeller' ? 'the labeller (its weights)' : name === 'bands' ? 'bands × rows (from --threshold, --recall, --num-perm)' : `--${name}`;
    out.push(`${what} is ${have ?? 'unset'} in the index, ${value} here`);
  }
  return out;
}

/** One document as the index holds it. */
export interface IndexRecord {
  /** Absolute path. */
  path: string;
  size: number;
  /** Modification time, milliseconds. */
  mtime: number;
  /** SHA-1 of the decoded text. */
  contentHash: string;
  /** What the report shows of it (DocumentReport without path, aliases and side), as JSON. */
  report: string;
  /** Other absolute paths of the same file. */
  aliases: string[];
  words: number;
  sketch: StoredSketch;
  bandKeys: Uint32Array;
}

/** The part of a DocumentSketch the report stages read (the text itself is not kept). */
export type StoredSketch = Pick<
  DocumentSketch,
  'lineCount' | 'lineKeys' | 'templateKeys' | 'units' | 'lineUnitStart' | 'lineWords' | 'segments' | 'compared' | 'comparedReason' | 'layout' | 'shingles' | 'fullTextHash'
>;

const ARRAYS = ['shingles', 'units', 'lineUnitStart', 'lineKeys', 'lineWords', 'templateKeys'] as const;

/** The typed arrays of a sketch in one blob: a count per array, then the arrays (little-endian uint32). */
export function packArrays(sketch: Pick<StoredSketch, (typeof ARRAYS)[number]>): Uint8Array {
  const total = ARRAYS.reduce<number>((sum, name) => sum + sketch[name].length, ARRAYS.length);
  const out = new Uint32Array(total);
  let at = ARRAYS.length;
  ARRAYS.forEach((name, i) => {
    out[i] = sketch[name].length;
    out.set(sketch[name], at);
    at += sketch[name].length;
  });
  return new Uint8Array(out.buffer);
}

export function unpackArrays(blob: Uint8Array): Pick<StoredSketch, (typeof ARRAYS)[number]> {
  // A copy aligned for Uint32Array (the blob may sit at any offset of a larger buffer).
  const all = new Uint32Array(blob.byteLength / 4);
  new Uint8Array(all.buffer).set(blob);
  let at = ARRAYS.length;
  const take = (i: number) => {
    const part = all.subarray(at, at + (all[i] as number));
    at += all[i] as number;
    return part;
  };
  const [shingles, units, lineUnitStart, lineKeys, lineWords, templateKeys] = ARRAYS.map((_, i) => take(i)) as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  return { shingles, units, lineUnitStart, lineKeys, lineWords, templateKeys };
}

/** What store.ts keeps beside the arrays, as JSON. */
export interface SketchMeta {
  lineCount: number;
  segments: Segment[];
  compared: DocumentSketch['compared'];
  comparedReason: string;
  layout?: LayoutSummary;
  fullTextHash: [number, number];
}

export function sketchMeta(sketch: StoredSketch): SketchMeta {
  const { lineCount, segments, compared, comparedReason, layout, fullTextHash } = sketch;
  return { lineCount, segments, compared, comparedReason, ...(layout ? { layout } : {}), fullTextHash };
}

/**
 * A DocumentSketch again, from the index, without a signature (recomputed from the shingles).
 * A check gets no template keys: the index keeps no texts to re-segment on corpus evidence. The
 * export writes them (`templateKeys: true`), for `dedupe pairs --templates`.
 */
export function restoreSketch(meta: SketchMeta, blob: Uint8Array, { templateKeys = false } = {}): DocumentSketch {
  const arrays = unpackArrays(blob);
  return {
    ...meta,
    ...arrays,
    templateKeys: templateKeys ? arrays.templateKeys : new Uint32Array(meta.lineCount),
    // The report of an indexed document is stored whole (IndexRecord.report): never described again.
    previews: meta.segments.map(() => ''),
    blankLines: new Uint32Array(0),
    signature: new Uint32Array(0),
  };
}

export type { BandParams };
