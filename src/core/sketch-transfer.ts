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
  let total = 0;
  let signatureTotal = 0;
  for (const s of sketches) {
    for (const name of PACKED) total += s[name].length;
    signatureTotal += s.signature.length;
  }
  const arrays = new Uint32Array(total);
  const signatures = new Uint32Array(signatureTotal);
  let at = 0;
  let signatureAt = 0;
  const fields = sketches.map((sketch) => {
    const { lineKeys, templateKeys, units, lineUnitStart, lineWords, blankLines, shingles, signature, ...rest } = sketch;
    const lengths = [lineKeys, templateKeys, units, lineUnitStart, lineWords, blankLines, shingles].map((array) => {
      arrays.set(array, at);
      at += array.length;
      return array.length;
    });
    signatures.set(signature, signatureAt);
    signatureAt += signature.length;
    return { ...rest, lengths, signatureLength: signature.length };
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
