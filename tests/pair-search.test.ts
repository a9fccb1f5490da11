import { describe, expect, it } from 'vitest';
import { candidatePairs } from '../src/candidates/lsh.js';
import { UnionFind } from '../src/cluster/union-find.js';
import { buildCorpus, sketchAll } from '../src/core/analyse.js';
import { reportCorpus } from '../src/report/build.js';
import { DEFAULT_OPTIONS, type AnalyseOptions } from '../src/core/options.js';
import type { SourceDocument } from '../src/input/read.js';
import { exactJaccard } from '../src/verify/jaccard.js';
import { seededRandom } from './helpers/random.js';

const tool = { name: 'dedupe', version: 'test' };

/**
 * A dense corpus: every document is one shared text with a few different words inserted (0 to
 * 12), so some pairs are near-duplicates, many are alike but below the threshold, some are
 * identical; plus a few unrelated documents and empty ones.
 */
function denseCorpus(seed: number, count: number): SourceDocument[] {
  const random = seededRandom(seed);
  const word = () => Array.from({ length: 3 + Math.floor(random() * 5) }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)]).join('');
  const shared = Array.from({ length: 120 }, word);
  return Array.from({ length: count }, (_, i) => {
    let words: string[];
    if (i % 17 === 16) words = Array.from({ length: 60 }, word);
    else if (i % 23 === 22) words = [];
    else {
      words = [...shared];
      const inserts = i % 5 === 0 ? 0 : Math.floor(random() * 13);
      for (let k = 0; k < inserts; k++) words.splice(Math.floor(random() * words.length), 0, `${word()}${i}`);
    }
    const text = words.join(' ');
    return { path: `d${String(i).padStart(3, '0')}.txt`, bytes: text.length, text };
  });
}

describe('the streamed, filtered pair search', () => {
  for (const threshold of [0.6, 0.8, 0.9]) {
    it(`finds what verifying every candidate finds, at threshold ${threshold}`, () => {
      const docs = denseCorpus(Math.round(threshold * 100), 180);
      const options: AnalyseOptions = { ...DEFAULT_OPTIONS, compare: 'full', boilerplate: false, threshold };
      const state = buildCorpus(docs, sketchAll(docs, options), options);
      // Reference: every candidate over every document (copies included) verified by a full merge,
      // plus every pair of identical texts.
      const sets = state.sketches.map((s) => s.shingles);
      const withShingles = sets.map((_, d) => d).filter((d) => sets[d]!.length > 0);
      // The signatures made again from the sets (the corpus state keeps only their band keys).
      const signatures = new Uint32Array(sets.length * options.numPerm);
      sets.forEach((set, d) => state.hasher.sketchInto(set, signatures, d * options.numPerm));
      const expected = new Set<string>();
      for (const [a, b] of candidatePairs(signatures, options.numPerm, withShingles, state.bandParams)) {
        if (exactJaccard(sets[a]!, sets[b]!) >= threshold) expected.add(`${docs[a]!.path}|${docs[b]!.path}`);
      }
      const words = docs.map((d) => d.text.split(' ').filter(Boolean).join(' '));
      for (let a = 0; a < docs.length; a++) for (let b = a + 1; b < docs.length; b++) if (words[a] === words[b]) expected.add(`${docs[a]!.path}|${docs[b]!.path}`);
      expect(expected.size).toBeGreaterThan(50);

      const all = reportCorpus(buildCorpus(docs, sketchAll(docs, { ...options, allPairs: true }), { ...options, allPairs: true }), { tool });
      expect(new Set(all.pairs.map((p) => `${p.a}|${p.b}`))).toEqual(expected);

      const reference = new UnionFind(docs.length);
      const index = new Map(docs.map((d, i) => [d.path, i]));
      for (const key of expected) {
        const [a, b] = key.split('|') as [string, string];
        reference.union(index.get(a)!, index.get(b)!);
      }
      const groups = (find: (d: number) => number) => {
        const byRoot = new Map<number, string[]>();
        docs.forEach((d, i) => byRoot.set(find(i), [...(byRoot.get(find(i)) ?? []), d.path]));
        return [...byRoot.values()].filter((g) => g.length > 1).map((g) => g.join(' ')).sort();
      };
      const spanning = reportCorpus(state, { tool });
      expect(spanning.clusters.map((c) => c.members.map((m) => m.path).sort().join(' ')).sort()).toEqual(groups((d) => reference.find(d)));
      for (const p of spanning.pairs) expect(expected.has(`${p.a}|${p.b}`)).toBe(true);
    });
  }
});
