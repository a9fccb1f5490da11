import type { Segment } from '../segment/index.js';
import type { DocumentSketch, Labels } from './document.js';

// A batch of sketches crosses threads as two buffers: every document's arrays packed into one,
// signatures in another. Transferring seven small buffers per document cost the main thread
// more than the rest of the message (on 9,000 files: ~250 ms against ~100 ms packed); signatures
// have their own buffer because the corpus copies them out and lets them go (gatherSketches),
// which frees that buffer whole.

const PACKED = ['lineKeys', 'templateKeys', 'units', 'lineUnitStart', 'lineWords', 'blankLines', 'shingles'] as const;
type PackedName = (typeof PACKED)[number];

/** A sketch without its typed arrays, and their lengths in PACKED order. */
type SketchFields = Omit<DocumentSketch, PackedName | 'signature'> & { lengths: number[]; signatureLength: number };

export interface PackedSketches {
  sketches: SketchFields[];
  arrays: Uint32Array;
  signatures: Uint32Array;
}

export function packSketches(sketches: readonly DocumentSketch[]): PackedSketches {
  // Each array by name, and the other fields listed: a loop over PACKED's names and an object
  // rest copy made this function megamorphic (on 42,000 files, about as slow as sketching's shingling).
  let total = 0;
  let signatureTotal = 0;
  for (const s of sketches) {
    total += s.lineKeys.length + s.templateKeys.length + s.units.length + s.lineUnitStart.length + s.lineWords.length + s.blankLines.length + s.shingles.length;
    signatureTotal += s.signature.length;
  }
  const arrays = new Uint32Array(total);
  const signatures = new Uint32Array(signatureTotal);
  let at = 0;
  const put = (array: Uint32Array) => {
    arrays.set(array, at);
    at += array.length;
    return array.length;
  };
  let signatureAt = 0;
  const fields = sketches.map((s): SketchFields => {
    // In PACKED's order.
    const lengths = [put(s.lineKeys), put(s.templateKeys), put(s.units), put(s.lineUnitStart), put(s.lineWords), put(s.blankLines), put(s.shingles)];
    signatures.set(s.signature, signatureAt);
    signatureAt += s.signature.length;
    const { lineCount, segments, previews, compared, comparedReason, layout, fullTextHash } = s;
    return { lineCount, segments, previews, compared, comparedReason, ...(layout ? { layout } : {}), fullTextHash, lengths, signatureLength: s.signature.length };
  });
  return { sketches: fields, arrays, signatures };
}

/**
 * Strings the corpus holds many copies of (a segment's reasons: 390,000 on 42,000 files, about
 * 5,000 distinct; why a text is compared), kept once. A copy from another thread is a new string
 * each time, and one made here by a template literal a concatenation of pieces.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  get(s: string): string {
    const kept = this.strings.get(s);
    if (kept !== undefined) return kept;
    this.strings.set(s, s);
    return s;
  }
}

function keepReasonsOnce(segments: Segment[], pool: StringPool): Segment[] {
  for (const segment of segments) {
    const { reasons } = segment;
    for (let i = 0; i < reasons.length; i++) reasons[i] = pool.get(reasons[i] as string);
  }
  return segments;
}

/** Labels made on another thread or this one, their reasons kept once. */
export function keepLabelsOnce(labels: Labels, pool: StringPool): Labels {
  keepReasonsOnce(labels.segments, pool);
  return labels;
}

/**
 * A sketch held as its batch's buffer and where its arrays lie in it: the arrays are views made
 * when read. Seven views per document held for the whole run were the largest item of the heap
 * (on 41,862 files: 293,000 Uint32Arrays, 28 MB when the report is written). Replaced shingles
 * (the corpus evidence redid the body) are held as given. Copy one with copySketch: a spread
 * copies its fields, not its arrays.
 */
class KeptSketch implements DocumentSketch {
  private replacedShingles: Uint32Array | undefined = undefined;

  constructor(
    readonly lineCount: number,
    public segments: Segment[],
    public previews: string[],
    public compared: DocumentSketch['compared'],
    public comparedReason: string,
    readonly layout: DocumentSketch['layout'],
    readonly fullTextHash: [number, number],
    public signature: Uint32Array,
    private readonly arrays: Uint32Array,
    // Where each array ends in `arrays`, in PACKED order; the first starts at `start`.
    private readonly start: number,
    private readonly lineKeysEnd: number,
    private readonly templateKeysEnd: number,
    private readonly unitsEnd: number,
    private readonly lineUnitStartEnd: number,
    private readonly lineWordsEnd: number,
    private readonly blankLinesEnd: number,
    private readonly shinglesEnd: number,
  ) {}

  get lineKeys(): Uint32Array {
    return this.arrays.subarray(this.start, this.lineKeysEnd);
  }
  get templateKeys(): Uint32Array {
    return this.arrays.subarray(this.lineKeysEnd, this.templateKeysEnd);
  }
  get units(): Uint32Array {
    return this.arrays.subarray(this.templateKeysEnd, this.unitsEnd);
  }
  get lineUnitStart(): Uint32Array {
    return this.arrays.subarray(this.unitsEnd, this.lineUnitStartEnd);
  }
  get lineWords(): Uint32Array {
    return this.arrays.subarray(this.lineUnitStartEnd, this.lineWordsEnd);
  }
  get blankLines(): Uint32Array {
    return this.arrays.subarray(this.lineWordsEnd, this.blankLinesEnd);
  }
  get shingles(): Uint32Array {
    return this.replacedShingles ?? this.arrays.subarray(this.blankLinesEnd, this.shinglesEnd);
  }
  set shingles(shingles: Uint32Array) {
    this.replacedShingles = shingles;
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

/** The sketches again, their arrays ranges of the two buffers; `pool` keeps their repeated strings once. */
export function unpackSketches({ sketches, arrays, signatures }: PackedSketches, pool?: StringPool): DocumentSketch[] {
  let at = 0;
  let signatureAt = 0;
  return sketches.map((fields) => {
    const { lengths, signatureLength, lineCount, segments, previews, compared, comparedReason, layout, fullTextHash } = fields;
    const start = at;
    const ends = lengths.map((length) => (at += length));
    return new KeptSketch(
      lineCount,
      pool ? keepReasonsOnce(segments, pool) : segments,
      previews,
      compared,
      pool ? pool.get(comparedReason) : comparedReason,
      layout,
      fullTextHash,
      signatures.subarray(signatureAt, (signatureAt += signatureLength)),
      arrays,
      start,
      ends[0] as number,
      ends[1] as number,
      ends[2] as number,
      ends[3] as number,
      ends[4] as number,
      ends[5] as number,
      ends[6] as number,
    );
  });
}
