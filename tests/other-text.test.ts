import { describe, expect, it } from 'vitest';
import { comparedShingles, otherDifference, prepareDocument, type DocumentSketch } from '../src/core/document.js';
import type { Segment } from '../src/segment/index.js';
import { seededRandom } from './helpers/random.js';

// A kept sketch holds the set of the text it is not compared on as a difference from its compared
// set (packSketches). For a document compared on its body that difference is worked out from the
// few windows where the texts differ: it must be exactly the difference of the two sets made whole.

/** A document of `lines` lines from a small vocabulary (so windows repeat across the body and the boilerplate), with random body runs. */
function randomDocument(seed: number, lines: number, vocabulary: number): Pick<DocumentSketch, 'units' | 'lineUnitStart' | 'lineCount' | 'segments'> {
  const random = seededRandom(seed);
  const word = () => `w${Math.floor(random() * vocabulary)}`;
  const text = Array.from({ length: lines }, () => {
    const r = random();
    // Blank lines and one-word lines: cuts that hold no units, and cuts shorter than a window.
    return r < 0.1 ? '' : Array.from({ length: r < 0.3 ? 1 : 1 + Math.floor(random() * 12) }, word).join(' ');
  }).join('\n');
  const doc = prepareDocument(text, 'word', false);
  const segments: Segment[] = [];
  for (let start = 1; start <= lines; ) {
    const end = Math.min(lines, start + Math.floor(random() * 4));
    segments.push({ startLine: start, endLine: end, kind: random() < 0.6 ? 'body' : 'boilerplate', confidence: 1, reasons: [] });
    start = end + 1;
  }
  return { units: doc.units, lineUnitStart: doc.lineUnitStart, lineCount: doc.lines.length, segments };
}

/** The two sets made whole, and their difference by a merge: what otherDifference must give. */
function expectedDifference(doc: ReturnType<typeof randomDocument>, ngram: number) {
  const body = comparedShingles(doc, doc.segments, { compare: 'body', ngram });
  const full = comparedShingles(doc, doc.segments, { compare: 'full', ngram });
  const bodySet = new Set(body);
  const fullSet = new Set(full);
  return { body, added: full.filter((h) => !bodySet.has(h)), removed: body.filter((h) => !fullSet.has(h)) };
}

describe("the other text's set, as a difference from the compared set", () => {
  it('is the difference of the full and body sets made whole, for random documents, body runs and n-gram sizes', () => {
    let withRemoved = 0;
    let withAdded = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const ngram = 1 + (seed % 6);
      const doc = randomDocument(seed, 2 + (seed % 30), seed % 3 === 0 ? 4 : 40);
      const { body, added, removed } = expectedDifference(doc, ngram);
      const got = otherDifference({ ...doc, shingles: body, compared: 'body' }, ngram);
      expect([...got.added]).toEqual([...added]);
      expect([...got.removed]).toEqual([...removed]);
      if (removed.length > 0) withRemoved++;
      if (added.length > 0) withAdded++;
      // And for a document compared on its full text (its other text the body), the other way round.
      const full = comparedShingles(doc, doc.segments, { compare: 'full', ngram });
      const back = otherDifference({ ...doc, shingles: full, compared: 'full' }, ngram);
      expect([[...back.added], [...back.removed]]).toEqual([[...removed], [...added]]);
    }
    // Both kinds of difference came up: windows across a cut, and windows with boilerplate in them.
    expect(withRemoved).toBeGreaterThan(20);
    expect(withAdded).toBeGreaterThan(200);
  });
});
