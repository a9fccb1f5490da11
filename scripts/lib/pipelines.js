// The pipelines under test, each from texts in memory to exactly verified pairs:
// - ours:        analyseCorpus (the real library entry point: segmentation, report and all),
//                on one thread like the baseline; also analyseCorpusParallel as the CLI runs it;
// - ours-noseg:  our core stages with segmentation skipped entirely (prepare → shingle → sketch →
//                LSH → verify → union-find), composed from the same compiled modules;
// - minhash:     the npm `minhash` package used as its README shows, on the same tokens.

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = (p) => new URL(`../../dist/${p}`, import.meta.url).href;

// The compiled library. Loaded lazily so that a dist broken by a mid-edit source file is reported
// as such by bench.js instead of as an import crash.
let lib;
export async function loadLibrary() {
  if (lib) return lib;
  const [analyse, options, document, lsh, minhash, shingle, jaccard, normalise, tokenise, sketch, build] = await Promise.all([
    import(dist('core/analyse.js')),
    import(dist('core/options.js')),
    import(dist('core/document.js')),
    import(dist('candidates/lsh.js')),
    import(dist('sketch/minhash.js')),
    import(dist('shingle/shingle.js')),
    import(dist('verify/jaccard.js')),
    import(dist('normalise/normalise.js')),
    import(dist('tokenise/tokenise.js')),
    import(dist('sketch/index.js')),
    import(dist('report/build.js')),
  ]);
  // The worker-thread count the CLI uses, where this build has one.
  const parallel = await import(dist('core/parallel.js')).catch(() => undefined);
  lib = {
    analyseCorpusParallel: build.analyseCorpusParallel,
    defaultThreads: parallel?.defaultThreads,
    analyseCorpus: build.analyseCorpus,
    extractBodies: analyse.extractBodies,
    DEFAULT_OPTIONS: options.DEFAULT_OPTIONS,
    prepareDocument: document.prepareDocument,
    chooseBands: lsh.chooseBands,
    candidatePairs: lsh.candidatePairs,
    MinHasher: minhash.MinHasher,
    sketcherFor: sketch.sketcherFor,
    estimateJaccard: minhash.estimateJaccard,
    shingleHashes: shingle.shingleHashes,
    exactJaccard: jaccard.exactJaccard,
    normaliseText: normalise.normaliseText,
    splitLines: normalise.splitLines,
    tokenise: tokenise.tokenise,
  };
  return lib;
}

const require = createRequire(import.meta.url);
const { Minhash, LshIndex } = require(path.join(projectRoot, 'node_modules', 'minhash'));

const TOOL = { name: 'dedupe-bench', version: '0' };

/** Our library end to end. Returns the verified pairs as document indices. */
export function runOurs(sources, options) {
  const { analyseCorpus } = lib;
  // Recall is measured pair by pair: ask for every verified pair, not the default spanning set.
  return pairsOfReport(sources, analyseCorpus(sources, { ...options, allPairs: true }, { tool: TOOL }));
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

/** The CLI's path: analyseCorpusParallel with its default worker threads. */
export async function runOursParallel(sources, options) {
  const report = await lib.analyseCorpusParallel(sources, { ...options, allPairs: true }, { tool: TOOL });
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
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x) => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const { a, b } of pairs) parent[find(a)] = find(b);
  const groups = new Map();
  for (const { a, b } of pairs) {
    for (const d of [a, b]) {
      const root = find(d);
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
