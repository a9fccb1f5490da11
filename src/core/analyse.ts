import { candidatePairs, candidateProbability, chooseBands, type BandParams } from '../candidates/lsh.js';
import { buildClusters } from '../cluster/cluster.js';
import { UnionFind } from '../cluster/union-find.js';
import type { SourceDocument } from '../input/read.js';
import { SCHEMA_VERSION, type DocumentReport, type Pair, type Params, type Report, type Warning } from '../report/types.js';
import { describeDocument } from '../report/describe.js';
import { classifyLines, findTemplateLines, type LineLabel } from '../segment/index.js';
import { shingleHashes } from '../shingle/shingle.js';
import { MinHasher } from '../sketch/minhash.js';
import { exactJaccard } from '../verify/jaccard.js';
import { prepareDocument, selectUnits, type PreparedDocument } from './document.js';
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
  prepared: PreparedDocument[];
  labels: LineLabel[][];
  /** Shingles of the compared text (body or full). */
  shingles: Uint32Array[];
  signatures: Uint32Array;
  hasher: MinHasher;
}

const isBodyLine = (labels: readonly LineLabel[]) => (line: number) => labels[line]?.kind === 'body';

function comparedShingles(doc: PreparedDocument, labels: readonly LineLabel[], options: AnalyseOptions): Uint32Array {
  const units = options.compare === 'body' ? selectUnits(doc, isBodyLine(labels)) : doc.units;
  return shingleHashes(units, options.ngram);
}

/** Normalise → segment → shingle → sketch every document, then refine segments with corpus evidence. */
export function buildCorpus(
  sources: readonly SourceDocument[],
  options: AnalyseOptions,
  onProgress?: (done: number, total: number) => void,
): CorpusState {
  const k = options.numPerm;
  const hasher = new MinHasher(k, options.seed);
  const bandParams = chooseBands(k, options.threshold, options.recall);
  const n = sources.length;
  const prepared: PreparedDocument[] = new Array(n);
  const labels: LineLabel[][] = new Array(n);
  const shingles: Uint32Array[] = new Array(n);
  const signatures = new Uint32Array(n * k);
  for (let d = 0; d < n; d++) {
    const doc = prepareDocument((sources[d] as SourceDocument).text, options.shingle);
    prepared[d] = doc;
    labels[d] = classifyLines(doc.lines);
    const set = comparedShingles(doc, labels[d] as LineLabel[], options);
    shingles[d] = set;
    hasher.sketchInto(set, signatures, d * k);
    if (onProgress && (d % 64 === 63 || d === n - 1)) onProgress(d + 1, n);
  }
  const state: CorpusState = { options, bandParams, sources, prepared, labels, shingles, signatures, hasher };
  applyTemplateEvidence(state);
  return state;
}

/**
 * A line that recurs in at least three documents that are not near-duplicates of each other is
 * the outlet's template. Near-duplicate groups come from a first verification pass on the
 * in-document segmentation, so copies of one article never vote for each other.
 */
function applyTemplateEvidence(state: CorpusState): void {
  const { prepared, options } = state;
  const n = prepared.length;
  if (n < 3) return;
  const groups = groupsOf(n, findPairs(state));
  const templates = findTemplateLines(prepared.map((p) => p.lineKeys), groups);
  const k = options.numPerm;
  for (let d = 0; d < n; d++) {
    const templateCounts = templates[d];
    if (!templateCounts || templateCounts.size === 0) continue;
    const doc = prepared[d] as PreparedDocument;
    const before = state.labels[d] as LineLabel[];
    const after = classifyLines(doc.lines, { templateCounts });
    state.labels[d] = after;
    if (options.compare === 'body' && after.some((label, i) => (label.kind === 'body') !== (before[i]?.kind === 'body'))) {
      const set = comparedShingles(doc, after, options);
      state.shingles[d] = set;
      state.hasher.sketchInto(set, state.signatures, d * k);
    }
  }
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
  const { shingles, signatures, options, bandParams, sources } = state;
  const withShingles: number[] = [];
  for (let d = 0; d < shingles.length; d++) if ((shingles[d] as Uint32Array).length > 0) withShingles.push(d);
  const pairs: VerifiedPair[] = [];
  for (const [a, b] of candidatePairs(signatures, options.numPerm, withShingles, bandParams)) {
    if (skipBaselinePairs && sources[a]!.side === 'baseline' && sources[b]!.side === 'baseline') continue;
    const similarity = exactJaccard(shingles[a] as Uint32Array, shingles[b] as Uint32Array);
    if (similarity >= options.threshold) pairs.push({ a, b, similarity });
  }
  return pairs;
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
  const state = buildCorpus(sources, options, context.onProgress);
  const against = sources.some((s) => s.side === 'baseline');
  const sideOf = (d: number) => (against ? { side: sources[d]!.side ?? ('incoming' as const) } : {});
  const documents = sources.map((source, d) => ({
    ...describeDocument(source, state.prepared[d]!, state.labels[d]!, state.shingles[d]!.length, options.segmentText),
    ...sideOf(d),
  }));
  context.onDocuments?.(documents);

  const verified = findPairs(state, against);
  const similarityOf = (a: number, b: number) => exactJaccard(state.shingles[a]!, state.shingles[b]!);
  const clusters = buildClusters(state, verified, similarityOf);

  // Both similarities for every reported pair; the text that was not compared is shingled on demand.
  const bodyCache = new Map<number, Uint32Array>();
  const fullCache = new Map<number, Uint32Array>();
  const setOf = (cache: Map<number, Uint32Array>, d: number, compare: 'body' | 'full') => {
    if (options.compare === compare) return state.shingles[d]!;
    let set = cache.get(d);
    if (!set) {
      set = comparedShingles(state.prepared[d]!, state.labels[d]!, { ...options, compare });
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
  const state = buildCorpus(sources, options);
  return state.prepared.map((doc, d) => {
    const labels = state.labels[d] as LineLabel[];
    return doc.lines.filter((_, i) => labels[i]?.kind === 'body').join('\n');
  });
}
