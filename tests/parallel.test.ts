import { describe, expect, it } from 'vitest';
// Worker threads load compiled modules, so this test runs dist/, which the global setup (tests/global-setup.ts) keeps current.
import { buildCorpus, gatherSketches, sketchAll, templateJobs } from '../dist/core/analyse.js';
import { chooseBands } from '../dist/candidates/lsh.js';
import { analyseCorpus, reportCorpus } from '../dist/report/build.js';
import { DEFAULT_OPTIONS } from '../dist/core/options.js';
import { buildCorpusParallel, SketchSession, sketchAllParallel } from '../dist/core/parallel.js';
import { otherIsCompared, otherShingles, otherShinglesBound, sketchDocument, type DocumentSketch } from '../dist/core/document.js';
import { unitsDigest } from '../dist/exact/exact.js';
import { copySketch, packSketches, StringPool, unpackSketches } from '../dist/core/sketch-transfer.js';
import { readdirSync, readFileSync } from 'node:fs';
import { sketcherFor } from '../dist/sketch/index.js';
import { seededRandom } from './helpers/random.js';

// More re-segmented documents than one batch (32), so that the worker takes some.
const BATCH_SIZE_AT_LEAST = 32;

/** Every field of a sketch, as read (a kept sketch's arrays are views made when read). */
const fieldsOf = (s: DocumentSketch): Record<keyof DocumentSketch, unknown> => ({
  lineCount: s.lineCount,
  lineKeys: s.lineKeys,
  templateKeys: s.templateKeys,
  units: s.units,
  lineUnitStart: s.lineUnitStart,
  lineWords: s.lineWords,
  segments: s.segments,
  previews: s.previews,
  blankLines: s.blankLines,
  compared: s.compared,
  comparedReason: s.comparedReason,
  layout: s.layout,
  shingles: s.shingles,
  signature: s.signature,
  bandKeys: s.bandKeys,
  fullTextHash: s.fullTextHash,
  otherAdded: s.otherAdded,
  otherRemoved: s.otherRemoved,
  unitsDigest: s.unitsDigest,
});

describe('worker threads', () => {
  it('give exactly the report of the single-threaded pipeline', async () => {
    const random = seededRandom(5);
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
    const sources = Array.from({ length: 150 }, (_, d) => {
      const text = Array.from({ length: 12 }, () => Array.from({ length: 15 }, () => words[Math.floor(random() * words.length)]).join(' ') + '.').join('\n');
      return { path: `doc${d}.txt`, bytes: text.length, text };
    });
    // Plant near-duplicates so the comparison covers clusters and pairs too.
    for (let d = 0; d < 20; d++) sources.push({ ...sources[d]!, path: `copy${d}.txt`, text: sources[d]!.text.replace(/word1\b/g, 'other') });
    const tool = { name: 'dedupe', version: 'test' };
    const single = analyseCorpus(sources, DEFAULT_OPTIONS, { tool });
    const sketches = await sketchAllParallel(sources, DEFAULT_OPTIONS, { threads: 2, minBytes: 0 });
    // Sketches from a worker arrive packed in two buffers and are held as ranges of them: every
    // field and array reads back whole.
    const here = sketchAll(sources, DEFAULT_OPTIONS);
    expect(sketches.map(fieldsOf)).toEqual(here.map(fieldsOf));
    const parallel = reportCorpus(buildCorpus(sources, sketches, DEFAULT_OPTIONS), { tool });
    expect(single.clusters.length).toBeGreaterThan(0);
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(single));
  });

  it('serve a run that sketches in many calls from one pool: started by the first call that pays for it, kept for the rest', async () => {
    const random = seededRandom(8);
    const words = Array.from({ length: 300 }, (_, i) => `term${i}`);
    const call = (documents: number, prefix: string) =>
      Array.from({ length: documents }, (_, d) => {
        const text = Array.from({ length: 6 }, () => Array.from({ length: 14 }, () => words[Math.floor(random() * words.length)]).join(' ') + '.').join('\n');
        return { path: `${prefix}${d}.txt`, bytes: text.length, text };
      });
    // As the index adds chunks: a small one (no workers pay for it), large ones, then a small one again.
    const calls = [call(5, 'a'), call(120, 'b'), call(90, 'c'), call(5, 'd')];
    const minBytes = calls[1]!.reduce((sum, s) => sum + s.bytes, 0) / 2;
    const session = new SketchSession(DEFAULT_OPTIONS, 2, minBytes);
    const started: number[] = [];
    try {
      for (const sources of calls) {
        const sketches = await session.sketch(sources);
        started.push(session.threadsStarted);
        expect(sketches.map(fieldsOf)).toEqual(sketchAll(sources, DEFAULT_OPTIONS).map(fieldsOf));
      }
    } finally {
      await session.close();
    }
    expect(started).toEqual([1, 2, 2, 2]);
    expect(session.threadsStarted).toBe(1);
  });

  it('re-segment with the corpus evidence exactly as the single-threaded pipeline does', async () => {
    const random = seededRandom(7);
    const words = Array.from({ length: 300 }, (_, i) => `w${i}`);
    const sentence = () => `${Array.from({ length: 14 }, () => words[Math.floor(random() * words.length)]).join(' ')}.`;
    // Every article ends with the same line of prose: in one document it reads as body, across
    // documents that are not near-duplicates it is the outlet's template.
    const footer = 'This report was written for the weekly bulletin of the society and may be shared with its members.';
    const sources = Array.from({ length: 120 }, (_, d) => {
      const text = [sentence(), '', ...Array.from({ length: 6 }, sentence), footer].join('\n');
      return { path: `doc${d}.txt`, bytes: text.length, text };
    });
    const jobs = templateJobs(gatherSketches(sources, sketchAll(sources, DEFAULT_OPTIONS), DEFAULT_OPTIONS));
    expect(jobs.length).toBeGreaterThan(BATCH_SIZE_AT_LEAST);
    const tool = { name: 'dedupe', version: 'test' };
    const single = reportCorpus(buildCorpus(sources, sketchAll(sources, DEFAULT_OPTIONS), DEFAULT_OPTIONS), { tool });
    const parallel = reportCorpus(await buildCorpusParallel(sources, DEFAULT_OPTIONS, { threads: 2, minBytes: 0 }), { tool });
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(single));
  });

  it('hold a sketch as ranges of its batch: it reads back whole, and a copy whose shingles are replaced leaves the original alone', () => {
    const texts = ['First article line one.\n\nA second paragraph of the first article.', 'Another text entirely, with its own words.\nAnd a second line.'];
    const hasher = sketcherFor(DEFAULT_OPTIONS.sketch, DEFAULT_OPTIONS.numPerm, DEFAULT_OPTIONS.seed);
    const made = texts.map((text) => sketchDocument(text, DEFAULT_OPTIONS, hasher));
    const kept = unpackSketches(packSketches(made));
    expect(kept.map(fieldsOf)).toEqual(made.map(fieldsOf));
    const copy = copySketch(kept[0]!);
    copy.shingles = new Uint32Array([1, 2, 3]);
    expect([...copy.shingles]).toEqual([1, 2, 3]);
    expect(kept[0]!.shingles).toEqual(made[0]!.shingles);
    expect(copy.units).toEqual(made[0]!.units);
  });

  it('without boilerplate detection, keep no per-line arrays: the rest reads back whole, and reading one is an error, never an empty array', () => {
    const options = { ...DEFAULT_OPTIONS, boilerplate: false };
    const hasher = sketcherFor(options.sketch, options.numPerm, options.seed);
    const made = readdirSync('fixtures/seeds').sort().map((name) => readFileSync(`fixtures/seeds/${name}`, 'utf8')).map((text) => sketchDocument(text, options, hasher));
    const full = packSketches(made);
    const lean = packSketches(made, { lines: false });
    expect(lean.arrays.length).toBeLessThan(full.arrays.length);
    const kept = unpackSketches(lean);
    kept.forEach((sketch, i) => {
      expect([sketch.units, sketch.shingles, sketch.blankLines, sketch.segments, sketch.previews]).toEqual([made[i]!.units, made[i]!.shingles, made[i]!.blankLines, made[i]!.segments, made[i]!.previews]);
      expect(sketch.signature).toEqual(made[i]!.signature);
      for (const read of [() => sketch.lineKeys, () => sketch.templateKeys, () => sketch.lineUnitStart, () => sketch.lineWords]) expect(read).toThrow(/per-line arrays/);
    });
  });

  it('hold segments as numbers: every category, reason, confidence and preview reads back, across batches sharing one pool and after a replacement', () => {
    // The seed articles have body, promo, bio and legal segments with several reasons each.
    const seeds = readdirSync('fixtures/seeds').sort().map((name) => readFileSync(`fixtures/seeds/${name}`, 'utf8'));
    const hasher = sketcherFor(DEFAULT_OPTIONS.sketch, DEFAULT_OPTIONS.numPerm, DEFAULT_OPTIONS.seed);
    const made = seeds.map((text) => sketchDocument(text, DEFAULT_OPTIONS, hasher));
    expect(new Set(made.flatMap((s) => s.segments.map((segment) => segment.category ?? segment.kind))).size).toBeGreaterThan(3);
    // Two batches in opposite orders: each numbers its reasons its own way, the pool one way.
    const pool = new StringPool();
    const first = unpackSketches(packSketches(made), pool);
    const second = unpackSketches(packSketches([...made].reverse()), pool).reverse();
    for (const kept of [first, second]) {
      expect(kept.map((s) => s.segments)).toEqual(made.map((s) => s.segments));
      expect(kept.map((s) => s.previews)).toEqual(made.map((s) => s.previews));
      // JSON writes a segment's keys in the order they were made: category last, and only when set.
      expect(kept.map((s) => JSON.stringify(s.segments))).toEqual(made.map((s) => JSON.stringify(s.segments)));
    }
    // New labels (the corpus evidence) replace the segments and previews of this sketch only.
    const copy = copySketch(first[0]!);
    copy.segments = made[1]!.segments;
    copy.previews = made[1]!.previews;
    expect(copy.segments).toEqual(made[1]!.segments);
    expect(copy.previews).toEqual(made[1]!.previews);
    expect(first[0]!.segments).toEqual(made[0]!.segments);
    // Replaced previews are held joined: one preview, an empty one, and none read back as given.
    for (const previews of [['One preview'], [''], ['', 'Two', ''], []]) {
      copy.previews = previews;
      expect(copy.previews).toEqual(previews);
    }
  });

  it('let the units go when asked: the other text\'s set, identical documents and the report come out as from the units', () => {
    const seeds = readdirSync('fixtures/seeds').sort().map((name) => readFileSync(`fixtures/seeds/${name}`, 'utf8'));
    // A copy (an exact group), and a text that is body throughout (its other set is its compared one).
    const texts = [...seeds, seeds[0]!, 'A short note with one line of words that is body throughout and nothing else at all.'];
    const hasher = sketcherFor(DEFAULT_OPTIONS.sketch, DEFAULT_OPTIONS.numPerm, DEFAULT_OPTIONS.seed);
    const made = texts.map((text) => sketchDocument(text, DEFAULT_OPTIONS, hasher));
    const packed = packSketches(made, { withoutUnits: { ngram: DEFAULT_OPTIONS.ngram } });
    expect(packed.arrays.length).toBeLessThan(packSketches(made).arrays.length);
    const kept = unpackSketches(packed);
    // The seeds have boilerplate with words: their other sets differ from their compared ones.
    expect(made.filter((s) => !otherIsCompared(s)).length).toBeGreaterThan(1);
    kept.forEach((sketch, i) => {
      const plain = made[i]!;
      expect(otherIsCompared(sketch)).toBe(otherIsCompared(plain));
      expect(otherShingles(sketch, DEFAULT_OPTIONS.ngram)).toEqual(otherShingles(plain, DEFAULT_OPTIONS.ngram));
      expect(otherShinglesBound(sketch, DEFAULT_OPTIONS.ngram)).toBe(otherShingles(plain, DEFAULT_OPTIONS.ngram).length);
      expect(sketch.unitsDigest).toEqual(unitsDigest(plain.units));
      expect(() => sketch.units).toThrow(/without its units/);
      expect(() => sketch.lineUnitStart).toThrow(/without its units/);
      expect([sketch.shingles, sketch.segments, sketch.lineKeys, sketch.templateKeys]).toEqual([plain.shingles, plain.segments, plain.lineKeys, plain.templateKeys]);
    });
    const sources = texts.map((text, i) => ({ path: `doc-${i}.txt`, bytes: text.length, text }));
    const fromUnits = buildCorpus(sources, made.map(copySketch), DEFAULT_OPTIONS);
    const fromKept = buildCorpus(sources, kept, DEFAULT_OPTIONS);
    expect(fromKept.exactGroup).toEqual(fromUnits.exactGroup);
    expect(fromKept.exactGroup[seeds.length]).toBe(0);
    const context = { tool: { name: 'dedupe', version: 'test' }, warnings: [] };
    const report = (state: typeof fromUnits) => JSON.stringify(reportCorpus(state, context));
    expect(report(fromKept)).toBe(report(fromUnits));
    expect(reportCorpus(fromKept, context).pairs.some((p) => p.fullSimilarity !== p.bodySimilarity)).toBe(true);
  });

  it('send band keys instead of signatures when asked: the corpus gets the band keys the signatures give, and no signature', () => {
    const seeds = readdirSync('fixtures/seeds').sort().map((name) => readFileSync(`fixtures/seeds/${name}`, 'utf8'));
    const hasher = sketcherFor(DEFAULT_OPTIONS.sketch, DEFAULT_OPTIONS.numPerm, DEFAULT_OPTIONS.seed);
    const made = seeds.map((text) => sketchDocument(text, DEFAULT_OPTIONS, hasher));
    const bands = chooseBands(DEFAULT_OPTIONS.numPerm, DEFAULT_OPTIONS.threshold, DEFAULT_OPTIONS.recall);
    const full = packSketches(made);
    const keyed = packSketches(made, { keysOf: bands });
    expect(keyed.signatures.length).toBe(made.length * bands.bands);
    expect(keyed.signatures.length).toBeLessThan(full.signatures.length);
    const kept = unpackSketches(keyed);
    for (const sketch of kept) expect([sketch.signature.length, sketch.bandKeys?.length]).toEqual([0, bands.bands]);
    const sources = seeds.map((text, i) => ({ path: `seed-${i}.txt`, text }));
    const fromSignatures = gatherSketches(sources, made.map(copySketch), DEFAULT_OPTIONS);
    const fromKeys = gatherSketches(sources, kept, DEFAULT_OPTIONS);
    expect(fromKeys.bandKeys).toEqual(fromSignatures.bandKeys);
    expect(fromKeys.exactGroup).toEqual(fromSignatures.exactGroup);
    // The containment search bands whole signatures: band keys alone cannot serve it.
    expect(() => gatherSketches(sources, unpackSketches(packSketches(made, { keysOf: bands })), { ...DEFAULT_OPTIONS, containment: 0.8 })).toThrow(/without its signature/);
  });
});
