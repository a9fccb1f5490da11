import { describe, expect, it } from 'vitest';
// Worker threads load compiled modules, so this test runs dist/, which the global setup (tests/global-setup.ts) keeps current.
import { buildCorpus, gatherSketches, sketchAll, templateJobs } from '../dist/core/analyse.js';
import { analyseCorpus, reportCorpus } from '../dist/report/build.js';
import { DEFAULT_OPTIONS } from '../dist/core/options.js';
import { buildCorpusParallel, sketchAllParallel } from '../dist/core/parallel.js';
import { sketchDocument, type DocumentSketch } from '../dist/core/document.js';
import { copySketch, packSketches, unpackSketches } from '../dist/core/sketch-transfer.js';
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
  fullTextHash: s.fullTextHash,
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
});
