import { candidatePairs, candidatePairsInvolving, candidateProbability, chooseBands, type BandParams } from '../candidates/lsh.js';
import { buildClusters } from '../cluster/cluster.js';
import { UnionFind } from '../cluster/union-find.js';
import type { SourceDocument } from '../input/read.js';
import { SCHEMA_VERSION, type DocumentReport, type Pair, type Params, type Report, type Warning } from '../report/types.js';
import { describeDocument } from '../report/describe.js';
import { findTemplateLines, segmentLines } from '../segment/index.js';
import { sketcherFor, type Sketcher } from '../sketch/index.js';
import { exactJaccard } from '../verify/jaccard.js';
import { bodyLineMask, chooseComparedText, comparedShingles, documentLines, shinglesFor, sketchDocument, type DocumentSketch } from './document.js';
import type { AnalyseOptions } from './options.js';

export interface AnalyseContext {
  tool: { name: string; version: string };
  /** Warnings from reading the input, carried into the report. */
  warnings?: Warning[];
  /** Files skipped before analysis (binary, unreadable). */
  skipped?: number;
  /** Called as documents are sketched, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** Called with each part of the report as soon as it is final, so output can stream. */
  onDocuments?: (documents: DocumentReport[]) => void;
  onPairs?: (pairs: Pair[]) => void;
}

/** A pair that passed exact verification, by document index (a < b). */
export interface VerifiedPair {
  a: number;
  b: number;
  similarity: number;
}

/**
 * The corpus as the pipeline sees it between stages. Everything per-shingle lives in typed
 * arrays: one sorted Uint32Array of shingle hashes per document, one flat signature array.
 */
export interface CorpusState {
  options: AnalyseOptions;
  bandParams: BandParams;
  sources: readonly SourceDocument[];
  sketches: DocumentSketch[];
  signatures: Uint32Array;
  hasher: Sketcher;
  /** Verified pairs of the template pass. */
  verifiedCache?: VerifiedPair[];
  /** Documents re-sketched since verifiedCache was made (1 = changed): only their pairs need verifying again. */
  resketched?: Uint8Array;
}

const NO_SIGNATURE = new Uint32Array(0);

/** Sketch every document on this thread (the parallel runner does the same on worker threads). */
export function sketchAll(
  sources: readonly SourceDocument[],
  options: AnalyseOptions,
  onProgress?: (done: number, total: number) => void,
): DocumentSketch[] {
  const hasher = sketcherFor(options.sketch, options.numPerm, options.seed);
  const n = sources.length;
  return sources.map((source, d) => {
    const sketch = sketchDocument(source.text, options, hasher);
    if (onProgress && (d % 64 === 63 || d === n - 1)) onProgress(d + 1, n);
    return sketch;
  });
}

/** Gather per-document sketches into the corpus, then refine segments with corpus evidence. */
export function buildCorpus(sources: readonly SourceDocument[], sketches: DocumentSketch[], options: AnalyseOptions): CorpusState {
  const k = options.numPerm;
  const signatures = new Uint32Array(sources.length * k);
  // Signatures live in one flat array from here on; each document's own copy is let go.
  sketches.forEach((sketch, d) => {
    signatures.set(sketch.signature, d * k);
    sketch.signature = NO_SIGNATURE;
  });
  const state: CorpusState = {
    options,
    bandParams: chooseBands(k, options.threshold, options.recall),
    sources,
    sketches,
    signatures,
    hasher: sketcherFor(options.sketch, k, options.seed),
  };
  applyTemplateEvidence(state);
  return state;
}

/**
 * A line that recurs in at least three documents that are not near-duplicates of each other is
 * the outlet's template. Near-duplicate groups come from a first verification pass on the
 * in-document segmentation, so copies of one article never vote for each other.
 */
function applyTemplateEvidence(state: CorpusState): void {
  const { sketches, options, sources } = state;
  const n = sketches.length;
  if (n < 3 || !options.boilerplate) return;
  state.verifiedCache = findPairs(state);
  const groups = groupsOf(n, state.verifiedCache);
  const templates = findTemplateLines(sketches.map((s) => s.templateKeys), groups);
  const k = options.numPerm;
  for (let d = 0; d < n; d++) {
    const templateCounts = templates[d];
    if (!templateCounts || templateCounts.size === 0) continue;
    const sketch = sketches[d]!;
    const before = bodyLineMask(sketch.segments, sketch.lineCount);
    const templateLines = outsideArticle(templateCounts, before, sketch.templateKeys);
    // Re-classifying costs as much as the first pass: only do it where the corpus disagrees
    // with the document, i.e. where a template line was read as body.
    if (![...templateLines.keys()].some((line) => before[line] === 1)) continue;
    sketch.segments = segmentLines(documentLines(sources[d]!.text), { templateCounts: templateLines });
    const after = bodyLineMask(sketch.segments, sketch.lineCount);
    if (options.compare === 'body' && after.some((v, i) => v !== before[i])) {
      Object.assign(sketch, chooseComparedText(sketch, sketch.segments, options));
      sketch.shingles = shinglesFor(sketch, sketch.segments, sketch.compared, options.ngram);
      (state.resketched ??= new Uint8Array(n))[d] = 1;
      state.hasher.sketchInto(sketch.shingles, state.signatures, d * k);
    }
  }
}

/**
 * Template lines that are not inside the article: a recurring line with other body text both
 * above and below it is a sentence several articles share (a quotation, a wire paragraph), not
 * the outlet's header or footer, so the corpus does not overrule the document there.
 */
function outsideArticle(templateCounts: ReadonlyMap<number, number>, body: Uint8Array, templateKeys: Uint32Array): Map<number, number> {
  // A short line ("Editor: J. Smith") is no evidence of article text around a recurring line.
  const isOwnBody = (line: number) => body[line] === 1 && templateKeys[line] !== 0 && !templateCounts.has(line);
  let first = -1;
  let last = -1;
  for (let line = 0; line < body.length; line++) {
    if (!isOwnBody(line)) continue;
    if (first < 0) first = line;
    last = line;
  }
  return new Map([...templateCounts].filter(([line]) => line < first || line > last));
}

function groupsOf(n: number, pairs: readonly VerifiedPair[]): number[] {
  const sets = new UnionFind(n);
  for (const { a, b } of pairs) sets.union(a, b);
  return Array.from({ length: n }, (_, i) => sets.find(i));
}

/**
 * Candidates by LSH banding, then exact Jaccard: only verified pairs come out. With
 * `skipBaselinePairs`, pairs of two baseline documents are not even verified (--against ignores them).
 */
export function findPairs(state: CorpusState, skipBaselinePairs = false): VerifiedPair[] {
  const { sketches, signatures, options, bandParams, sources } = state;
  const isBaselinePair = (a: number, b: number) => skipBaselinePairs && sources[a]!.side === 'baseline' && sources[b]!.side === 'baseline';
  const withShingles: number[] = [];
  for (let d = 0; d < sketches.length; d++) if (sketches[d]!.shingles.length > 0) withShingles.push(d);
  const similarityOf = comparedSimilarity(state);
  const verify = (candidates: Array<[number, number]>, skip: (a: number, b: number) => boolean): VerifiedPair[] => {
    const pairs: VerifiedPair[] = [];
    for (const [a, b] of candidates) {
      if (skip(a, b)) continue;
      const similarity = similarityOf(a, b);
      if (similarity >= options.threshold) pairs.push({ a, b, similarity });
    }
    return pairs;
  };
  const cache = state.verifiedCache;
  if (!cache) return verify(candidatePairs(signatures, options.numPerm, withShingles, bandParams), isBaselinePair);
  const changed = state.resketched;
  if (changed) {
    // Pairs of two unchanged documents keep their candidacy and similarity; only pairs with a
    // re-sketched document are found and verified again.
    const kept = cache.filter(({ a, b }) => changed[a] === 0 && changed[b] === 0);
    const fresh = verify(candidatePairsInvolving(signatures, options.numPerm, withShingles, bandParams, changed), () => false);
    state.verifiedCache = [...kept, ...fresh].sort((p, q) => p.a - q.a || p.b - q.b);
    state.resketched = undefined;
  }
  return state.verifiedCache!.filter(({ a, b }) => !isBaselinePair(a, b));
}

/**
 * Exact Jaccard of two documents' compared texts; when one is compared on its full text (its body
 * was too small to trust) and the other on its body, both are compared on their full texts.
 */
function comparedSimilarity(state: CorpusState): (a: number, b: number) => number {
  const full = new Map<number, Uint32Array>();
  const fullOf = (d: number) => {
    const sketch = state.sketches[d]!;
    if (sketch.compared === 'full') return sketch.shingles;
    let set = full.get(d);
    if (!set) full.set(d, (set = shinglesFor(sketch, sketch.segments, 'full', state.options.ngram)));
    return set;
  };
  return (a, b) => {
    const sa = state.sketches[a]!;
    const sb = state.sketches[b]!;
    return sa.compared === sb.compared ? exactJaccard(sa.shingles, sb.shingles) : exactJaccard(fullOf(a), fullOf(b));
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** The parameters a run will use, known before any file is read (NDJSON's `begin`). */
export function describeParams(options: AnalyseOptions): Params {
  const bandParams = chooseBands(options.numPerm, options.threshold, options.recall);
  const t = options.threshold;
  return {
    shingle: options.shingle,
    ngram: options.ngram,
    numPerm: options.numPerm,
    sketch: options.sketch,
    bands: bandParams.bands,
    rows: bandParams.rows,
    threshold: t,
    seed: options.seed,
    recall: options.recall,
    compare: options.compare,
    keep: options.keep,
    sCurve: [t - 0.1, t, t + 0.05]
      .filter((s) => s >= 0 && s <= 1)
      .map((s) => ({ similarity: round(s), probability: round(candidateProbability(s, bandParams)) })),
  };
}

/** The whole pipeline on documents already read: data in, report out. */
export function analyseCorpus(sources: readonly SourceDocument[], options: AnalyseOptions, context: AnalyseContext): Report {
  return reportCorpus(buildCorpus(sources, sketchAll(sources, options, context.onProgress), options), context);
}

/** Verify, cluster and describe a corpus whose documents are already sketched. */
export function reportCorpus(state: CorpusState, context: AnalyseContext): Report {
  const { sources, options } = state;
  const against = sources.some((s) => s.side === 'baseline');
  const sideOf = (d: number) => (against ? { side: sources[d]!.side ?? ('incoming' as const) } : {});
  const documents = sources.map((source, d) => ({
    ...describeDocument(source, documentLines(source.text), state.sketches[d]!, options.segmentText),
    ...sideOf(d),
  }));
  context.onDocuments?.(documents);

  const verified = findPairs(state, against);
  const similarityOf = comparedSimilarity(state);
  const clusters = buildClusters(state, verified, similarityOf);

  // Both similarities for every reported pair; the text that was not compared is shingled on demand.
  const bodyCache = new Map<number, Uint32Array>();
  const fullCache = new Map<number, Uint32Array>();
  const setOf = (cache: Map<number, Uint32Array>, d: number, compare: 'body' | 'full') => {
    const sketch = state.sketches[d]!;
    if (sketch.compared === compare) return sketch.shingles;
    let set = cache.get(d);
    if (!set) {
      set = comparedShingles(sketch, sketch.segments, { ngram: options.ngram, compare });
      cache.set(d, set);
    }
    return set;
  };
  const pairs: Pair[] = verified.map(({ a, b, similarity }) => ({
    a: sources[a]!.path,
    b: sources[b]!.path,
    ...(against ? { aSide: sources[a]!.side ?? 'incoming', bSide: sources[b]!.side ?? 'incoming' } : {}),
    similarity: round(similarity),
    bodySimilarity: round(exactJaccard(setOf(bodyCache, a, 'body'), setOf(bodyCache, b, 'body'))),
    fullSimilarity: round(exactJaccard(setOf(fullCache, a, 'full'), setOf(fullCache, b, 'full'))),
  }));
  context.onPairs?.(pairs);

  const inCluster = new Set<string>();
  for (const c of clusters) for (const m of c.members) inCluster.add(m.path);
  const duplicates = clusters.reduce(
    (sum, c) => sum + c.members.filter((m) => m.path !== c.representative && m.side !== 'baseline').length,
    0,
  );
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: context.tool,
    params: describeParams(options),
    documents,
    clusters,
    pairs,
    summary: {
      documents: sources.length,
      clusters: clusters.length,
      duplicates,
      unique: sources.length - inCluster.size,
      skipped: context.skipped ?? 0,
    },
    warnings: context.warnings ?? [],
  };
}

/** The body of each document (corpus evidence included), for `dedupe body`. */
export function extractBodies(sources: readonly SourceDocument[], options: AnalyseOptions): string[] {
  const state = buildCorpus(sources, sketchAll(sources, options), options);
  return sources.map((source, d) => {
    const lines = documentLines(source.text);
    const mask = bodyLineMask(state.sketches[d]!.segments, lines.length);
    // Blank lines inside the body keep its paragraphs apart; none lead or trail.
    return lines.filter((_, i) => mask[i] === 1).join('\n').replace(/^(?:[ \t]*\n)+|(?:\n[ \t]*)+$/g, '');
  });
}
