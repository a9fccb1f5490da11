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

/** The sketches again, their arrays views of the two buffers; `pool` keeps their repeated strings once. */
export function unpackSketches({ sketches, arrays, signatures }: PackedSketches, pool?: StringPool): DocumentSketch[] {
  let at = 0;
  let signatureAt = 0;
  return sketches.map((fields) => {
    const { lengths, signatureLength, lineCount, segments, previews, compared, comparedReason, layout, fullTextHash } = fields;
    const take = (i: number) => arrays.subarray(at, (at += lengths[i] as number));
    // Fields in sketchDocument's order: one object shape on every thread.
    return {
      lineCount,
      lineKeys: take(0),
      templateKeys: take(1),
      units: take(2),
      lineUnitStart: take(3),
      lineWords: take(4),
      segments: pool ? keepReasonsOnce(segments, pool) : segments,
      previews,
      blankLines: take(5),
      compared,
      comparedReason: pool ? pool.get(comparedReason) : comparedReason,
      ...(layout ? { layout } : {}),
      shingles: take(6),
      signature: signatures.subarray(signatureAt, (signatureAt += signatureLength)),
      fullTextHash,
    };
  });
}
