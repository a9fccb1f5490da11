// The pipelines under test, each from texts in memory to exactly verified pairs:
// - ours:        analyse (the library's entry point: segmentation, report and all), with
//                threads: 1 like the baseline; also with its default threads, as the CLI runs;
// - ours-noseg:  our core stages with segmentation skipped entirely (prepare → shingle → sketch →
//                LSH → verify → union-find), composed from dedupe/lowlevel;
// - minhash:     the npm `minhash` package used as its README shows, on the same tokens.

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// The library through its public entry and dedupe/lowlevel only (see ./dist.js).
let lib;
export async function loadLibrary() {
  const { api, lowlevel } = await import('./dist.js');
  lib ??= { ...lowlevel, ...api };
  return lib;
}

const require = createRequire(import.meta.url);
const { Minhash, LshIndex } = require(path.join(projectRoot, 'node_modules', 'minhash'));

/** Our library end to end. Returns the verified pairs as document indices. */
export async function runOurs(sources, options, allPairs = true) {
  // Recall is measured pair by pair: every verified pair, not the default spanning set (the
  // overhead timing asks for the default: what users run).
  return pairsOfReport(sources, await lib.analyse(sources, { ...options, allPairs, threads: 1 }));
}

function pairsOfReport(sources, report) {
  const index = new Map(sources.map((s, i) => [s.path, i]));
  const pairs = report.pairs.map((p) => {
    const a = index.get(p.a);
    const b = index.get(p.b);
    return a < b ? { a, b, similarity: p.similarity } : { a: b, b: a, similarity: p.similarity };
  });
  return { pairs, report, params: report.params };
}

/** The CLI's path: analyse with its default worker threads. */
export async function runOursParallel(sources, options) {
  const report = await lib.analyse(sources, { ...options, allPairs: true });
  return pairsOfReport(sources, report);
}

/**
 * Our core stages on the full text with no segmentation at all: what the run would cost if
 * boilerplate classification did not exist. Stage by stage, so the time of each can be reported.
 * Keeps shingles and signatures for the accuracy check.
 */
export function runOursNoSeg(sources, options) {
  const { prepareDocument, shingleHashes, sketcherFor, chooseBands, candidatePairs, exactJaccard } = lib;
  const clock = stageClock();
  const k = options.numPerm;
  const hasher = sketcherFor(options.sketch, k, options.seed);
  const bandParams = chooseBands(k, options.threshold, options.recall);
  const n = sources.length;
  const units = sources.map((s) => prepareDocument(s.text, options.shingle).units);
  clock('tokenise');
  const shingles = units.map((u) => shingleHashes(u, options.ngram));
  clock('shingle');
  const signatures = new Uint32Array(n * k);
  for (let d = 0; d < n; d++) hasher.sketchInto(shingles[d], signatures, d * k);
  clock('MinHash');
  const nonEmpty = [];
  for (let d = 0; d < n; d++) if (shingles[d].length > 0) nonEmpty.push(d);
  const candidates = candidatePairs(signatures, k, nonEmpty, bandParams);
  clock('LSH candidates');
  const pairs = [];
  for (const [a, b] of candidates) {
    const similarity = exactJaccard(shingles[a], shingles[b]);
    if (similarity >= options.threshold) pairs.push({ a, b, similarity });
  }
  clock('exact verify');
  const clusters = clustersOf(n, pairs);
  clock('cluster');
  return { pairs, clusters, shingles, signatures, params: bandParams, candidates: candidates.length, stages: clock.stages };
}

/** Seconds per named stage: call with the name of the stage that just ended. */
function stageClock() {
  let last = performance.now();
  const clock = (name) => {
    const now = performance.now();
    clock.stages[name] = (clock.stages[name] ?? 0) + (now - last) / 1000;
    last = now;
  };
  clock.stages = {};
  return clock;
}

/** Connected components of the verified pairs, as both pipelines' last step. */
function clustersOf(n, pairs) {
  const sets = new lib.UnionFind(n);
  for (const { a, b } of pairs) sets.union(a, b);
  const groups = new Map();
  for (const { a, b } of pairs) {
    for (const d of [a, b]) {
      const root = sets.find(d);
      if (!groups.has(root)) groups.set(root, new Set());
      groups.get(root).add(d);
    }
  }
  return [...groups.values()].map((s) => [...s].sort((x, y) => x - y));
}

/** Word tokens exactly as our prepareDocument sees them (line by line, normalised): the same shingle sets. */
function words(text) {
  const { normaliseText, splitLines, tokenise } = lib;
  const out = [];
  for (const line of splitLines(text)) for (const t of tokenise(normaliseText(line))) out.push(t);
  return out;
}

/** Word n-grams as strings joined by a space, as a user of the `minhash` package would build them. */
function stringShingles(tokens, n) {
  const set = new Set();
  for (let i = 0; i + n <= tokens.length; i++) set.add(tokens.slice(i, i + n).join(' '));
  return set;
}

function stringJaccard(x, y) {
  if (x.size === 0 && y.size === 0) return 0;
  const [small, large] = x.size <= y.size ? [x, y] : [y, x];
  let shared = 0;
  for (const s of small) if (large.has(s)) shared++;
  return shared / (x.size + y.size - shared);
}

/**
 * The `minhash` package pipeline with our band layout: its Minhash (numPerm slots; update() per
 * shingle string), its LshIndex with bandSize = rows over the first bands × rows slots (so both
 * pipelines band identically), every document inserted before any is queried (query throws on a
 * band it has never seen), then candidates verified by exact Jaccard of the shingle-string sets.
 */
export function runMinhash(sources, options, { bands, rows }) {
  const clock = stageClock();
  const n = sources.length;
  const tokens = sources.map((s) => words(s.text));
  clock('tokenise');
  const sets = tokens.map((t) => stringShingles(t, options.ngram));
  clock('shingle');
  const hashes = new Array(n);
  const views = new Array(n);
  for (let d = 0; d < n; d++) {
    const m = new Minhash({ numPerm: options.numPerm, seed: options.seed });
    for (const s of sets[d]) m.update(s);
    hashes[d] = m;
    // LshIndex bands all of hashvalues; give it the same bands × rows prefix ours uses. One view
    // object per document, because LshIndex caches the bands on the object it is given.
    views[d] = { hashvalues: m.hashvalues.slice(0, bands * rows) };
  }
  clock('MinHash');
  const index = new LshIndex({ bandSize: rows });
  for (let d = 0; d < n; d++) if (sets[d].size > 0) index.insert(String(d), views[d]);
  const candidates = [];
  for (let a = 0; a < n; a++) {
    if (sets[a].size === 0) continue;
    for (const key of index.query(views[a])) {
      const b = Number(key);
      if (b > a) candidates.push([a, b]);
    }
  }
  clock('LSH candidates');
  const pairs = [];
  for (const [a, b] of candidates) {
    const similarity = stringJaccard(sets[a], sets[b]);
    if (similarity >= options.threshold) pairs.push({ a, b, similarity });
  }
  pairs.sort((p, q) => p.a - q.a || p.b - q.b);
  clock('exact verify');
  const clusters = clustersOf(n, pairs);
  clock('cluster');
  return { pairs, clusters, sets, hashes, candidates: candidates.length, stages: clock.stages };
}

/** Estimated Jaccard of the package's two Minhash objects (its own jaccard()). */
export const minhashEstimate = (x, y) => x.jaccard(y);
export { stringJaccard };
