import type { BoilerplateCategory, Segment } from '../segment/index.js';
import { writeBandKeys, type BandParams } from '../candidates/lsh.js';
import { otherDifference, type DocumentSketch, type LayoutSummary } from './document.js';
import { writeUnitsDigest } from '../exact/exact.js';

// A batch of sketches crosses threads as a few buffers: every document's arrays packed into one,
// signatures (or band keys) in another, the units' digests (when the units were let go) in a
// third. Transferring seven small buffers per document cost the main thread more than the rest
// of the message (on 9,000 files: ~250 ms against ~100 ms packed); signatures have their own
// buffer because the corpus copies them out and lets them go (gatherSketches), which frees that
// buffer whole. Segments are numbers in the first buffer too (see packSegments).

const PACKED = ['lineKeys', 'templateKeys', 'units', 'lineUnitStart', 'lineWords', 'blankLines', 'shingles'] as const;
type PackedName = (typeof PACKED)[number];

/** A sketch without its typed arrays and segments, and their lengths in PACKED order (then the segments'). */
type SketchFields = Omit<DocumentSketch, PackedName | 'signature' | 'segments' | 'previews' | 'bandKeys' | 'otherAdded' | 'otherRemoved' | 'unitsDigest'> & {
  lengths: number[];
  signatureLength: number;
};

export interface PackedSketches {
  sketches: SketchFields[];
  /** False when the per-line arrays were left out (see packSketches). */
  lines: boolean;
  /** False when the units were let go: their places hold the other text's set difference (see packSketches). */
  units: boolean;
  arrays: Uint32Array;
  /** Each document's signature, or with `keys` its LSH band keys (see packSketches). */
  signatures: Uint32Array;
  /** Without units, each document's unitsDigest (DIGEST_WORDS numbers); else empty. */
  digests: Uint32Array;
  keys: boolean;
  /** The batch's distinct segment reasons: packed segments name them by index. */
  reasons: string[];
  /**
   * Every document's segment previews, one after another, as one string (each segment holds its
   * preview's length): 100,000 strings on 41,862 files were cloned one by one between threads,
   * and each was an object the young-generation collector copied.
   */
  previews: string;
}

// A segment as numbers: start line, end line, kind and category (CODE_OF), confidence (the bits of
// its double, low word first), its preview's length, reason count, then one reason index per
// reason. On 41,862 files the 100,000 segments as objects were 300,000 objects with their reason
// arrays and boxed confidences, all of them copied by the young-generation collector and cloned
// one by one between threads; with their previews, 30 MB of the main thread's heap.
// Every category has its code: a category added to BoilerplateCategory without one fails to compile.
type CodeName = BoilerplateCategory | 'body' | 'boilerplate';
const CODE_OF: Readonly<Record<CodeName, number>> = {
  body: 0,
  boilerplate: 1,
  promo: 2,
  newsletter: 3,
  bio: 4,
  legal: 5,
  credit: 6,
  navigation: 7,
  header: 8,
  quote: 9,
  signature: 10,
};
const CODES: CodeName[] = [];
for (const [name, code] of Object.entries(CODE_OF)) CODES[code] = name as CodeName;
const SEGMENT_WORDS = 7;
const bits = new Float64Array(1);
const bitWords = new Uint32Array(bits.buffer);

/** How many numbers packSegments writes for these segments. */
function segmentWords(segments: readonly Segment[]): number {
  let words = 0;
  for (const s of segments) words += SEGMENT_WORDS + s.reasons.length;
  return words;
}

/**
 * Write `segments` into `into` from `at`, each reason as its index from `reasonIndex`, and the
 * lengths of `previews` (one per segment, if given); returns the end.
 */
function packSegments(segments: readonly Segment[], into: Uint32Array, at: number, reasonIndex: (reason: string) => number, previews?: readonly string[]): number {
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    const code = CODE_OF[s.kind === 'body' ? 'body' : (s.category ?? 'boilerplate')];
    if (code === undefined) throw new Error(`unknown segment category: ${s.category}`);
    bits[0] = s.confidence;
    into[at++] = s.startLine;
    into[at++] = s.endLine;
    into[at++] = code;
    into[at++] = bitWords[0]!;
    into[at++] = bitWords[1]!;
    into[at++] = previews ? previews[i]!.length : 0;
    into[at++] = s.reasons.length;
    for (const reason of s.reasons) into[at++] = reasonIndex(reason);
  }
  return at;
}

/** The segments packSegments wrote in `from[start, end)`, as closeSegment makes them. */
function unpackSegments(from: Uint32Array, start: number, end: number, reasons: readonly string[]): Segment[] {
  const segments: Segment[] = [];
  for (let at = start; at < end; ) {
    const startLine = from[at++]!;
    const endLine = from[at++]!;
    const code = from[at++]!;
    bitWords[0] = from[at++]!;
    bitWords[1] = from[at++]!;
    at++; // the preview's length
    const count = from[at++]!;
    const segment: Segment = { startLine, endLine, kind: code === 0 ? 'body' : 'boilerplate', confidence: bits[0]!, reasons: new Array<string>(count) };
    for (let r = 0; r < count; r++) segment.reasons[r] = reasons[from[at++]!]!;
    if (code > 1) segment.category = CODES[code] as BoilerplateCategory;
    segments.push(segment);
  }
  return segments;
}

const DIGEST_WORDS = 4;
const NO_DIGESTS = new Uint32Array(0);

/** What packSketches keeps of each sketch. */
export interface PackOptions {
  /**
   * False: leave out the per-line arrays (line keys, template keys, word counts), which only
   * boilerplate detection's stages read (the corpus evidence, a cluster's boilerplate
   * differences): a run with it off holds 18 MB less on the benchmark corpus. Default true.
   */
  lines?: boolean;
  /**
   * Each signature's LSH band keys instead of the signature, which is all the pair search reads
   * of it (16 numbers a document where the signature is 128, at the defaults); the sketches come
   * back with `bandKeys` and no signature.
   */
  keysOf?: BandParams | undefined;
  /**
   * Let the units (and each line's share of them) go, keeping what the corpus stages read of them:
   * the other text's set as a difference from the compared set (otherDifference, with shingles of
   * `ngram` units) and the units' digest (exactGroups). The units were the largest arrays kept:
   * 46 MB on the benchmark corpus with each line's share, where the differences take 7.7 MB.
   */
  withoutUnits?: { ngram: number } | undefined;
}

/** PackOptions as they cross to a worker (flags), and back with the run's band parameters and n-gram size. */
export interface SentPacking {
  /** Keep the per-line arrays. */
  lines: boolean;
  /** Band keys instead of signatures. */
  keys: boolean;
  /** Keep the units. */
  units: boolean;
}

export const packOptionsOf = ({ lines, keys, units }: SentPacking, bands: BandParams, ngram: number): PackOptions => ({
  lines,
  keysOf: keys ? bands : undefined,
  withoutUnits: units ? undefined : { ngram },
});

/**
 * Sketches packed into two buffers, less what `options` leaves out: reading a part left out
 * is an error, never an empty array.
 */
export function packSketches(sketches: readonly DocumentSketch[], { lines = true, keysOf, withoutUnits }: PackOptions = {}): PackedSketches {
  // Each array by name, and the other fields listed: a loop over PACKED's names and an object
  // rest copy made this function megamorphic (on 42,000 files, about as slow as sketching's shingling).
  let total = 0;
  let signatureTotal = 0;
  const others = withoutUnits ? sketches.map((s) => otherDifference(s, withoutUnits.ngram)) : undefined;
  for (let d = 0; d < sketches.length; d++) {
    const s = sketches[d]!;
    total += s.blankLines.length + s.shingles.length;
    if (others) total += others[d]!.added.length + others[d]!.removed.length;
    else total += s.units.length + (lines ? s.lineUnitStart.length : 0);
    if (lines) total += s.lineKeys.length + s.templateKeys.length + s.lineWords.length;
    total += segmentWords(s.segments);
    signatureTotal += keysOf ? keysOf.bands : s.signature.length;
  }
  const arrays = new Uint32Array(total);
  const signatures = new Uint32Array(signatureTotal);
  const digests = others ? new Uint32Array(sketches.length * DIGEST_WORDS) : undefined;
  const reasons: string[] = [];
  const reasonIndex = new Map<string, number>();
  const indexOf = (reason: string) => {
    let index = reasonIndex.get(reason);
    if (index === undefined) reasonIndex.set(reason, (index = reasons.push(reason) - 1));
    return index;
  };
  const previews: string[] = [];
  let at = 0;
  const put = (array: Uint32Array) => {
    arrays.set(array, at);
    at += array.length;
    return array.length;
  };
  const perLine = (array: Uint32Array) => (lines ? put(array) : 0);
  let signatureAt = 0;
  const fields = sketches.map((s, d): SketchFields => {
    // In PACKED's order, then the segments. Without units, their places hold the other text's set difference.
    // The puts run in this order: it is the order of the buffer.
    const other = others?.[d];
    const lengths = [
      perLine(s.lineKeys),
      perLine(s.templateKeys),
      other ? put(other.added) : put(s.units),
      other ? put(other.removed) : perLine(s.lineUnitStart),
      perLine(s.lineWords),
      put(s.blankLines),
      put(s.shingles),
    ];
    const segmentsStart = at;
    const documentPreviews = s.previews;
    at = packSegments(s.segments, arrays, at, indexOf, documentPreviews);
    lengths.push(at - segmentsStart);
    for (const p of documentPreviews) previews.push(p);
    const signatureLength = keysOf ? keysOf.bands : s.signature.length;
    if (keysOf) writeBandKeys(s.signature, 0, keysOf, signatures, signatureAt);
    else signatures.set(s.signature, signatureAt);
    signatureAt += signatureLength;
    const { lineCount, compared, comparedReason, layout, fullTextHash } = s;
    if (digests) writeUnitsDigest(s.units, digests, d * DIGEST_WORDS);
    return { lineCount, compared, comparedReason, ...(layout ? { layout } : {}), fullTextHash, lengths, signatureLength };
  });
  return { sketches: fields, lines, units: !others, arrays, signatures, digests: digests ?? NO_DIGESTS, keys: keysOf !== undefined, reasons, previews: previews.join('') };
}

/**
 * Strings the corpus holds many copies of (a segment's reasons: 390,000 on 42,000 files, about
 * 5,000 distinct; why a text is compared), kept once. A copy from another thread is a new string
 * each time, and one made here by a template literal a concatenation of pieces. Packed segments
 * name their reasons by their index here.
 */
export class StringPool {
  private readonly ids = new Map<string, number>();
  /** Every string kept, by index. */
  readonly strings: string[] = [];

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) this.ids.set(s, (id = this.strings.push(s) - 1));
    return id;
  }

  get(s: string): string {
    return this.strings[this.id(s)]!;
  }

  private readonly layouts = new Map<string, LayoutSummary>();

  /** One object per distinct layout summary: each sketch's own copy was 48 bytes (10 MB on 200,000 records). */
  layout(layout: LayoutSummary | undefined): LayoutSummary | undefined {
    if (!layout) return undefined;
    const key = `${layout.kind} ${layout.width ?? ''} ${layout.blocks}`;
    let kept = this.layouts.get(key);
    if (!kept) this.layouts.set(key, (kept = layout));
    return kept;
  }
}

// Where a kept sketch's parts lie, one row of its batch's table each (numbers, not fields: the
// sketch object holds its batch and its row). Ends are in PACKED order, then the segments'.
const T_START = 0;
const T_LINE_KEYS_END = 1;
const T_TEMPLATE_KEYS_END = 2;
const T_UNITS_END = 3;
const T_LINE_UNIT_START_END = 4;
const T_LINE_WORDS_END = 5;
const T_BLANK_LINES_END = 6;
const T_SHINGLES_END = 7;
const T_SEGMENTS_END = 8;
const T_PREVIEWS_START = 9;
const T_LINE_COUNT = 10;
const T_HASH_1 = 11;
const T_HASH_2 = 12;
const TABLE_WIDTH = 13;

/**
 * What the sketches of one batch share: its buffer, its previews, the run's string pool, and the
 * table of where each sketch's parts lie. Not the signatures' buffer: each sketch holds a view of
 * its own, which the corpus takes and lets go (gatherSketches), and the buffer with them.
 */
class KeptBatch {
  constructor(
    readonly arrays: Uint32Array,
    readonly table: Uint32Array,
    /** The batch's previews, one after another: their lengths are in the segments. */
    readonly previews: string,
    readonly strings: StringPool,
    /** False when the per-line arrays were not kept (packSketches). */
    readonly lines: boolean,
    /** False when the units were let go: their places hold the other text's set difference (packSketches). */
    readonly units: boolean,
    /** Without units, each sketch's unitsDigest, in the order of the table's rows. */
    readonly digests: Uint32Array,
  ) {}
}

/**
 * A sketch held as its batch's buffer and where its arrays lie in it: the arrays are views made
 * when read, and the segments objects made when read (a reader takes them once: read them into a
 * variable). Seven views per document held for the whole run were the largest item of the heap
 * (on 41,862 files: 293,000 Uint32Arrays, 28 MB when the report is written), and then the
 * segments (see CODES). Where the parts lie, the line count and the full-text hash are numbers in
 * the batch's table, not fields (on 200,000 short records, 23 fields and a hash array a sketch
 * were 60 MB of heap). Replaced shingles (the corpus evidence redid the body) are held as given,
 * replaced segments packed on their own. Copy one with copySketch: a spread copies its fields,
 * not its arrays.
 */
const NO_SIGNATURE = new Uint32Array(0);

class KeptSketch implements DocumentSketch {
  /** The signature's band keys, when they came instead of it (packSketches). */
  bandKeys: Uint32Array | undefined = undefined;
  private replacedShingles: Uint32Array | undefined = undefined;
  private replacedOther: { added: Uint32Array | undefined; removed: Uint32Array | undefined } | undefined = undefined;
  private replacedSegments: Uint32Array | undefined = undefined;
  /** Replaced previews, joined by line breaks. */
  private replacedPreviews: { joined: string; count: number } | undefined = undefined;

  constructor(
    public compared: DocumentSketch['compared'],
    public comparedReason: string,
    readonly layout: DocumentSketch['layout'],
    public signature: Uint32Array,
    private readonly batch: KeptBatch,
    /** This sketch's row in the batch's table, times TABLE_WIDTH. */
    private readonly at: number,
  ) {}

  /** Column `column` of this sketch's row. */
  private cell(column: number): number {
    return this.batch.table[this.at + column]!;
  }

  /** A range of the batch's buffer, between two columns of this sketch's row. */
  private range(from: number, to: number): Uint32Array {
    return this.batch.arrays.subarray(this.cell(from), this.cell(to));
  }

  /** Reading the units or each line's share of them: they must have been kept. */
  private keptUnits(name: string): void {
    if (!this.batch.units) throw new Error(`internal error: ${name} read from a sketch packed without its units`);
  }

  /** A per-line array, which must have been kept. */
  private perLine(from: number, to: number, name: string): Uint32Array {
    if (!this.batch.lines) throw new Error(`internal error: ${name} read from a sketch packed without its per-line arrays`);
    return this.range(from, to);
  }

  get lineCount(): number {
    return this.cell(T_LINE_COUNT);
  }
  get fullTextHash(): [number, number] {
    return [this.cell(T_HASH_1), this.cell(T_HASH_2)];
  }
  get lineKeys(): Uint32Array {
    return this.perLine(T_START, T_LINE_KEYS_END, 'lineKeys');
  }
  get templateKeys(): Uint32Array {
    return this.perLine(T_LINE_KEYS_END, T_TEMPLATE_KEYS_END, 'templateKeys');
  }
  get units(): Uint32Array {
    this.keptUnits('units');
    return this.range(T_TEMPLATE_KEYS_END, T_UNITS_END);
  }
  get lineUnitStart(): Uint32Array {
    this.keptUnits('lineUnitStart');
    return this.perLine(T_UNITS_END, T_LINE_UNIT_START_END, 'lineUnitStart');
  }
  get otherAdded(): Uint32Array | undefined {
    if (this.replacedOther) return this.replacedOther.added;
    return this.batch.units ? undefined : this.range(T_TEMPLATE_KEYS_END, T_UNITS_END);
  }
  set otherAdded(added: Uint32Array | undefined) {
    this.replacedOther = { added, removed: this.otherRemoved };
  }
  get otherRemoved(): Uint32Array | undefined {
    if (this.replacedOther) return this.replacedOther.removed;
    return this.batch.units ? undefined : this.range(T_UNITS_END, T_LINE_UNIT_START_END);
  }
  set otherRemoved(removed: Uint32Array | undefined) {
    this.replacedOther = { added: this.otherAdded, removed };
  }
  get unitsDigest(): Uint32Array | undefined {
    const row = this.at / TABLE_WIDTH;
    return this.batch.units ? undefined : this.batch.digests.subarray(row * DIGEST_WORDS, (row + 1) * DIGEST_WORDS);
  }
  get lineWords(): Uint32Array {
    return this.perLine(T_LINE_UNIT_START_END, T_LINE_WORDS_END, 'lineWords');
  }
  get blankLines(): Uint32Array {
    return this.range(T_LINE_WORDS_END, T_BLANK_LINES_END);
  }
  get shingles(): Uint32Array {
    return this.replacedShingles ?? this.range(T_BLANK_LINES_END, T_SHINGLES_END);
  }
  set shingles(shingles: Uint32Array) {
    this.replacedShingles = shingles;
  }
  get segments(): Segment[] {
    const own = this.replacedSegments;
    const { strings } = this.batch.strings;
    return own ? unpackSegments(own, 0, own.length, strings) : unpackSegments(this.batch.arrays, this.cell(T_SHINGLES_END), this.cell(T_SEGMENTS_END), strings);
  }
  set segments(segments: Segment[]) {
    const packed = new Uint32Array(segmentWords(segments));
    packSegments(segments, packed, 0, (reason) => this.batch.strings.id(reason));
    this.replacedSegments = packed;
  }
  get previews(): string[] {
    const replaced = this.replacedPreviews;
    if (replaced) return replaced.joined.split('\n', replaced.count);
    const previews: string[] = [];
    const { arrays } = this.batch;
    let from = this.cell(T_PREVIEWS_START);
    for (let at = this.cell(T_SHINGLES_END); at < this.cell(T_SEGMENTS_END); at += SEGMENT_WORDS + arrays[at + SEGMENT_WORDS - 1]!) {
      const length = arrays[at + SEGMENT_WORDS - 2]!;
      previews.push(this.batch.previews.slice(from, from + length));
      from += length;
    }
    return previews;
  }
  set previews(previews: string[]) {
    // Copied into a string of their own: a preview made here is slices of its line, which are
    // slices of the whole text (on the benchmark corpus, 2,000 texts read again for the corpus
    // evidence were held to the end by their previews). A join of one string is that string, so
    // an empty one is added. A preview holds no line break.
    this.replacedPreviews = { joined: [...previews, ''].join('\n'), count: previews.length };
  }

  /** Another sketch with the same fields (its own afterwards: replacing one leaves this one's alone). */
  copy(): KeptSketch {
    return Object.assign(Object.create(KeptSketch.prototype) as KeptSketch, this);
  }
}

/** A copy of a sketch whose fields a later stage may replace without touching the original's. */
export function copySketch(sketch: DocumentSketch): DocumentSketch {
  return sketch instanceof KeptSketch ? sketch.copy() : { ...sketch };
}

/**
 * The sketches again, their arrays ranges of the two buffers; `pool` keeps their repeated strings
 * once (the segments' reasons are renumbered to its indices, in the buffer).
 */
export function unpackSketches({ sketches, lines, units, arrays, signatures, digests, keys, reasons, previews }: PackedSketches, pool = new StringPool()): DocumentSketch[] {
  const ids = reasons.map((reason) => pool.id(reason));
  const table = new Uint32Array(sketches.length * TABLE_WIDTH);
  const batch = new KeptBatch(arrays, table, previews, pool, lines, units, digests);
  let at = 0;
  let signatureAt = 0;
  let previewAt = 0;
  return sketches.map((fields, k) => {
    const { lengths, signatureLength, lineCount, compared, comparedReason, layout, fullTextHash } = fields;
    const row = k * TABLE_WIDTH;
    table[row + T_START] = at;
    lengths.forEach((length, i) => (table[row + T_LINE_KEYS_END + i] = at += length));
    const segmentsStart = table[row + T_SHINGLES_END]!;
    table[row + T_PREVIEWS_START] = previewAt;
    for (let s = segmentsStart; s < at; ) {
      previewAt += arrays[s + SEGMENT_WORDS - 2]!;
      const count = arrays[s + SEGMENT_WORDS - 1]!;
      for (let r = s + SEGMENT_WORDS; r < s + SEGMENT_WORDS + count; r++) arrays[r] = ids[arrays[r]!]!;
      s += SEGMENT_WORDS + count;
    }
    table[row + T_LINE_COUNT] = lineCount;
    table[row + T_HASH_1] = fullTextHash[0];
    table[row + T_HASH_2] = fullTextHash[1];
    const view = signatures.subarray(signatureAt, (signatureAt += signatureLength));
    const sketch = new KeptSketch(compared, pool.get(comparedReason), pool.layout(layout), keys ? NO_SIGNATURE : view, batch, row);
    if (keys) sketch.bandKeys = view;
    return sketch;
  });
}
