import { describe, expect, it } from 'vitest';
// Worker threads load compiled modules, so this test runs dist/, which the global setup (tests/global-setup.ts) keeps current.
import { buildCorpus } from '../dist/core/analyse.js';
import { analyseCorpus, reportCorpus } from '../dist/report/build.js';
import { DEFAULT_OPTIONS } from '../dist/core/options.js';
import { sketchAllParallel } from '../dist/core/parallel.js';
import { seededRandom } from './helpers/random.js';

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
    const parallel = reportCorpus(buildCorpus(sources, sketches, DEFAULT_OPTIONS), { tool });
    expect(single.clusters.length).toBeGreaterThan(0);
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(single));
  });
});
