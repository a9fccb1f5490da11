import { candidateProbability, chooseBands } from '../candidates/lsh.js';
import type { IndexedCluster } from '../cluster/cluster.js';
import { buildCorpus, clusterCorpus, sketchAll, type CorpusState } from '../core/analyse.js';
import { comparedShingles, documentLines } from '../core/document.js';
import type { AnalyseOptions } from '../core/options.js';
import { buildCorpusParallel } from '../core/parallel.js';
import type { SourceDocument } from '../input/read.js';
import { exactContainment, exactJaccard } from '../verify/jaccard.js';
import { describeDocument } from './describe.js';
import { compareBoilerplate } from './differences.js';
import { isDuplicate } from './duplicates.js';
import { SCHEMA_VERSION, type Cluster, type DocumentReport, type Pair, type Params, type Report, type Warning } from './types.js';

// The report step: the analysis (core) gives documents, clusters and pairs by index; this turns
// them into the report, describing each as the formats show it.

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
  /** Put each segment's full text in the report (for --show-boilerplate): a display choice, not an analysis option. */
  segmentText?: boolean;
  /** Documents already described, by index (those from a persistent index: their text is not at hand). */
  known?: ReadonlyArray<DocumentReport | undefined>;
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
    pairs: options.allPairs ? 'all' : 'spanning',
    sCurve: [t - 0.1, t, t + 0.05]
      .filter((s) => s >= 0 && s <= 1)
      .map((s) => ({ similarity: round(s), probability: round(candidateProbability(s, bandParams)) })),
  };
}

/** The whole pipeline on documents already read: data in, report out. */
export function analyseCorpus(sources: readonly SourceDocument[], options: AnalyseOptions, context: AnalyseContext): Report {
  return reportCorpus(buildCorpus(sources, sketchAll(sources, options, context.onProgress), options), context);
}

/** analyseCorpus, with the per-document work spread over worker threads when it pays. */
export async function analyseCorpusParallel(
  sources: readonly SourceDocument[],
  options: AnalyseOptions,
  context: AnalyseContext & { threads?: number },
): Promise<Report> {
  return reportCorpus(await buildCorpusParallel(sources, options, context), context);
}

/**
 * A cluster as the report shows it: paths and sides, each member's similarity to the
 * representative (rounded; below the threshold when it joined through others), and what the
 * members' boilerplate shares and where it differs.
 */
function describeCluster(state: CorpusState, cluster: IndexedCluster, id: number): Cluster {
  const { sources, options, exactGroup } = state;
  const { representative, members: ordered, similarity, exact } = cluster;
  const repGroup = exactGroup[representative] as number;
  const boilerplate = compareBoilerplate(state, representative, ordered.slice(1));
  return {
    id,
    representative: sources[representative]!.path,
    members: ordered.map((d, i) => {
      const side = sources[d]!.side;
      return {
        path: sources[d]!.path,
        ...(side ? { side } : {}),
        similarity: round(similarity[i] as number),
        belowThreshold: (similarity[i] as number) < options.threshold,
        exact: exact[i] as boolean,
      };
    }),
    sharedBoilerplate: boilerplate.shared,
    differences: boilerplate.differences,
    exact: ordered.every((d) => exactGroup[d] === repGroup),
  };
}

/** Verify and cluster a corpus whose documents are already sketched (core), and describe what was found: the report. */
export function reportCorpus(state: CorpusState, context: AnalyseContext): Report {
  const { sources, options } = state;
  // A run with a baseline (--against, --index) gives every document its side, even when no baseline document is at hand.
  const against = sources.some((s) => s.side !== undefined);
  const sideOf = (d: number) => (against ? { side: sources[d]!.side ?? ('incoming' as const) } : {});
  const documents = sources.map(
    (source, d) =>
      context.known?.[d] ?? {
        ...describeDocument(source, documentLines(source.text), state.sketches[d]!, context.segmentText ?? false),
        ...sideOf(d),
      },
  );
  context.onDocuments?.(documents);

  const { clusters: indexed, pairs: reported } = clusterCorpus(state);
  const clusters = indexed.map((c, index) => describeCluster(state, c, index + 1));

  // Both similarities for every reported pair; the text that was not compared is shingled on demand.
  const bodyCache = new Map<number, Uint32Array>();
  const fullCache = new Map<number, Uint32Array>();
  const setOf = (cache: Map<number, Uint32Array>, d: number, compare: AnalyseOptions['compare']) => {
    const sketch = state.sketches[d]!;
    if (sketch.compared === compare) return sketch.shingles;
    let set = cache.get(d);
    if (!set) {
      set = comparedShingles(sketch, sketch.segments, { ngram: options.ngram, compare });
      cache.set(d, set);
    }
    return set;
  };
  const comparedContainment = (a: number, b: number) => {
    const [sa, sb] = [state.sketches[a]!, state.sketches[b]!];
    return sa.compared === sb.compared ? exactContainment(sa.shingles, sb.shingles) : exactContainment(setOf(fullCache, a, 'full'), setOf(fullCache, b, 'full'));
  };
  const pairs: Pair[] = reported.map(({ a, b, similarity, exact }) => ({
    a: sources[a]!.path,
    b: sources[b]!.path,
    ...(against ? { aSide: sources[a]!.side ?? 'incoming', bSide: sources[b]!.side ?? 'incoming' } : {}),
    similarity: round(similarity),
    bodySimilarity: exact ? 1 : round(exactJaccard(setOf(bodyCache, a, 'body'), setOf(bodyCache, b, 'body'))),
    fullSimilarity: exact ? 1 : round(exactJaccard(setOf(fullCache, a, 'full'), setOf(fullCache, b, 'full'))),
    // On the sets `similarity` was measured on (both full texts when one document's body was too small to trust).
    containment: exact ? 1 : round(comparedContainment(a, b)),
    exact,
  }));
  context.onPairs?.(pairs);

  const inCluster = new Set<string>();
  for (const c of clusters) for (const m of c.members) inCluster.add(m.path);
  const duplicates = clusters.reduce((sum, c) => sum + c.members.filter((m) => isDuplicate(c, m)).length, 0);
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

