import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { bodyRanges, comparedShingles, otherDifference, prepareDocument, relabel, sketchDocument, type DocumentSketch } from '../src/core/document.js';
import { DEFAULT_OPTIONS } from '../src/core/options.js';
import { sketcherFor } from '../src/sketch/index.js';
import type { Segment } from '../src/segment/index.js';
import { seededRandom } from './helpers/random.js';

// A kept sketch holds the set of the text it is not compared on as a difference from its compared
// set (packSketches): it must be exactly the difference of the two sets, for any body runs, cuts
// and repeated windows, and give back the other set whole (otherShingles).

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

describe('labelling again with the corpus evidence', () => {
  const hasher = sketcherFor(DEFAULT_OPTIONS.sketch, DEFAULT_OPTIONS.numPerm, DEFAULT_OPTIONS.seed);
  const seeds = readdirSync('fixtures/seeds').sort().map((name) => readFileSync(`fixtures/seeds/${name}`, 'utf8'));

  it('compares a document whose body changed as sketching does, and leaves one whose body did not as it is', () => {
    for (const text of seeds) {
      const sketch = sketchDocument(text, DEFAULT_OPTIONS, hasher);
      // No template lines: the labels are sketching's, and so is the body.
      const same = relabel(text, new Map(), DEFAULT_OPTIONS, bodyRanges(sketch.segments));
      expect(same.segments).toEqual(sketch.segments);
      expect(same.comparison).toBeUndefined();
      // Told the body was another (none at all), it gives the comparison sketching made.
      const { comparison } = relabel(text, new Map(), DEFAULT_OPTIONS, []);
      const other = otherDifference(sketch, DEFAULT_OPTIONS.ngram);
      expect(comparison).toEqual({ compared: sketch.compared, comparedReason: sketch.comparedReason, shingles: sketch.shingles, otherAdded: other.added, otherRemoved: other.removed });
    }
  });
});
