import { chooseContainmentBands, containmentCandidateProbability } from '../candidates/ensemble.js';
import { candidateProbability, chooseBands } from '../candidates/lsh.js';
import type { IndexedCluster, ReportedPair } from '../cluster/cluster.js';
import { buildCorpus, clusterCorpus, sketchAll, type CorpusClusters, type CorpusState } from '../core/analyse.js';
import { MAX_CANDIDATES_PER_DOCUMENT, MAX_CONTAINERS_PER_DOCUMENT, type ContainmentSearchResult } from '../core/containment.js';
import { documentLines, otherIsCompared, otherShinglesInto, unlabelledWarningsOfSketches } from '../core/document.js';
import type { AnalyseOptions } from '../core/options.js';
import { buildCorpusParallel } from '../core/parallel.js';
import { rereadTexts, type SourceDocument } from '../input/read.js';
import { SetArena } from '../shingle/shingle.js';
import type { RecordOptions } from '../input/records.js';
import type { ProgressCallback } from '../types/progress.js';
import { containmentOfJaccard, exactJaccardOfRanges } from '../verify/jaccard.js';
import { describeDocument } from './describe.js';
import { compareBoilerplate } from './differences.js';
import { duplicatesOf, isDuplicate } from './duplicates.js';
import { containmentFinding } from './contained.js';
import { comparedText, diffTexts, identicalDiff, type ComparedText } from './word-diff.js';
import { SCHEMA_VERSION, type Cluster, type Containment, type DocumentReport, type MemberDiff, type Pair, type Params, type Report, type Warning } from './types.js';

// The report step: the analysis (core) gives documents, clusters and pairs by index; this turns
// them into the report, describing each as the formats show it.

export interface AnalyseContext {
  tool: { name: string; version: string };
  /** Warnings from reading the input, carried into the report. */
  warnings?: Warning[];
  /** Files skipped before analysis (binary, unreadable). */
  skipped?: number;
  /** Called as documents are labelled and sketched, and as verification starts and ends, for a progress bar. */
  onProgress?: ProgressCallback;
  /** Called with each part of the report as soon as it is final, so output can stream. */
  onDocuments?: (documents: DocumentReport[]) => void;
  onPairs?: (pairs: Pair[]) => void;
  /** Put each segment's full text in the report (for --show-boilerplate): a display choice, not an analysis option. */
  segmentText?: boolean;
  /** Diff each cluster member against its representative (--diff, the HTML report): a display choice too. */
  diff?: boolean;
  /**
   * Called once every document is described: the texts are not read again, so a caller that
   * owns them may let them go (the CLI does: from there on memory holds sketches, not texts).
   */
  onTextsRead?: () => void;
  /** Documents already described, by index (those from a persistent index: their text is not at hand). */
  known?: ReadonlyArray<DocumentReport | undefined>;
}

/**
 * A document's text where the report shows words (--diff, --show-boilerplate, HTML): undefined
 * when it is not at hand (its file changed or went since it was sketched).
 */
type TextOf = (d: number) => string | undefined;

const textsInMemory = (state: CorpusState): TextOf => (d) => state.sources[d]!.text;

/** The warning for a document whose words the report wanted and could not have. */
const missingText = (path: string): Warning => ({ path, message: 'changed or gone while dedupe ran: reported as first read, without what needed its text again' });

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
    ...(options.containment > 0 ? containmentParams(options) : {}),
  };
}

/** The containment threshold, and the bands the search uses at a few size ratios (see Params.containmentCurve). */
function containmentParams(options: AnalyseOptions): Pick<Params, 'containment' | 'containmentCurve'> {
  const c = options.containment;
  return {
    containment: c,
    containmentCurve: [1, 2, 4, 8, 16, 32].map((ratio) => {
      const bands = chooseContainmentBands(options.numPerm, c, ratio, options.recall);
      return { ratio, ...bands, probability: round(containmentCandidateProbability(c, ratio, bands)) };
    }),
  };
}

/** Containments as the report shows them, and a warning for each document whose search stopped at a cap. */
function describeContainments(state: CorpusState, found: ContainmentSearchResult): { containments: Containment[]; warnings: Warning[] } {
  const { sources } = state;
  const against = sources.some((s) => s.side === 'baseline');
  const containments = found.pairs.map(({ contained, container, containment, similarity }) => ({
    contained: sources[contained]!.path,
    container: sources[container]!.path,
    ...(against ? { containedSide: sources[contained]!.side ?? 'incoming', containerSide: sources[container]!.side ?? 'incoming' } : {}),
    containment: round(containment),
    similarity: round(similarity),
  }));
  const warnings = found.capped.map(({ document, reason }) => ({
    path: sources[document]!.path,
    message:
      reason === 'containers'
        ? `contained in more than ${MAX_CONTAINERS_PER_DOCUMENT} documents: only the first ${MAX_CONTAINERS_PER_DOCUMENT} found are listed`
        : `containment search stopped after ${MAX_CANDIDATES_PER_DOCUMENT} candidates (it overlaps a great many documents): its containers may be incomplete`,
  }));
  return { containments, warnings };
}

/** The whole pipeline on documents already read: data in, report out. */
export function analyseCorpus(sources: readonly SourceDocument[], options: AnalyseOptions, context: AnalyseContext): Report {
  return reportCorpus(buildCorpus(sources, sketchAll(sources, options, context.onProgress), options, context.onProgress), context);
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
function describeCluster(state: CorpusState, cluster: IndexedCluster, id: number, textOf: TextOf | undefined): Cluster {
  const { sources, options, exactGroup } = state;
  const { representative, members: ordered, similarity, exact } = cluster;
  const repGroup = exactGroup[representative] as number;
  const boilerplate = compareBoilerplate(state, representative, ordered.slice(1));
  const diffOf = textOf ? memberDiffer(state, representative, textOf) : undefined;
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
        ...(diffOf && i > 0 ? withDiff(diffOf(d, exact[i] as boolean)) : {}),
      };
    }),
    sharedBoilerplate: boilerplate.shared,
    differences: boilerplate.differences,
    exact: ordered.every((d) => exactGroup[d] === repGroup),
  };
}

const withDiff = (diff: MemberDiff | undefined) => (diff ? { diff } : {});

/**
 * Diffs members against one representative, on the text both were compared on (see
 * MemberDiff.compared); undefined where a text is not at hand.
 */
function memberDiffer(state: CorpusState, representative: number, documentText: TextOf) {
  const texts = new Map<string, ComparedText>();
  const textOf = (d: number, compare: 'body' | 'full') => {
    const key = `${d} ${compare}`;
    let text = texts.get(key);
    if (!text) {
      const whole = documentText(d);
      if (whole === undefined) return undefined;
      text = comparedText(documentLines(whole), state.sketches[d]!.segments, compare);
      if (d === representative) texts.set(key, text);
    }
    return text;
  };
  return (d: number, exact: boolean): MemberDiff | undefined => {
    const both = state.sketches[representative]!.compared === 'body' && state.sketches[d]!.compared === 'body';
    const compare = both ? 'body' : 'full';
    if (exact) return identicalDiff(compare);
    const [repText, text] = [textOf(representative, compare), textOf(d, compare)];
    if (!repText || !text) return undefined;
    const diff = diffTexts(repText, text, compare);
    if (!diff.identical || compare === 'full') return diff;
    // The same body under different boilerplate: what differs is the boilerplate, so show that.
    const [repFull, full] = [textOf(representative, 'full'), textOf(d, 'full')];
    if (!repFull || !full) return diff;
    const fullDiff = diffTexts(repFull, full, 'full');
    return fullDiff.identical ? diff : { ...fullDiff, sameBody: true };
  };
}

/**
 * The report of a corpus built from documents whose texts were let go once sketched (core's
 * StreamingBuild): texts are read again only where the report shows words, each segment's
 * (--show-boilerplate, HTML: every document) or the cluster members' for their diffs.
 */
export async function reportStreamed(state: CorpusState, context: AnalyseContext, recordOptions: RecordOptions): Promise<Report> {
  const { sources } = state;
  if (context.segmentText) {
    const texts = await rereadTexts(sources, recordOptions);
    return reportCorpus(state, context, undefined, (d) => texts[d]);
  }
  if (!context.diff) return reportCorpus(state, context);
  const found = clusterCorpus(state);
  const members = [...new Set(found.clusters.flatMap((c) => c.members))].sort((a, b) => a - b);
  const read = await rereadTexts(members.map((d) => sources[d]!), recordOptions);
  const texts = new Map(members.map((d, i) => [d, read[i]]));
  return reportCorpus(state, context, found, (d) => texts.get(d));
}

/**
 * The documents of a report, each described when it is read and not kept: a writer that goes
 * through them once (JSON, a stream that sent them already) never holds them all. On the
 * 42,000-file benchmark corpus, holding them added 26 MB to the JSON run's peak RSS.
 */
export class DescribedDocuments implements Iterable<DocumentReport> {
  constructor(
    readonly length: number,
    private readonly describe: (d: number) => DocumentReport,
  ) {}

  *[Symbol.iterator](): Generator<DocumentReport> {
    for (let d = 0; d < this.length; d++) yield this.describe(d);
  }
}

/** A report to be written once: its documents described as the writer reads them (see DescribedDocuments). */
export type WritableReport = Omit<Report, 'documents'> & { documents: DescribedDocuments };

/**
 * reportStreamed for a writer that reads the documents once, in order (JSON, NDJSON whose
 * documents went out already): the same report, its documents described on the way out. Only
 * where no text is read again for them (no --show-boilerplate, --diff or HTML).
 */
export function reportForWriting(state: CorpusState, context: Omit<AnalyseContext, 'segmentText' | 'diff' | 'onDocuments' | 'known'>): WritableReport {
  return buildReport(state, context, undefined, textsInMemory(state), true) as WritableReport;
}

/**
 * Verify and cluster a corpus whose documents are already sketched (core), and describe what was
 * found: the report. `found`: the clusters when already made; `textOf`: where the texts are when
 * not in the sources (see reportStreamed).
 */
export function reportCorpus(state: CorpusState, context: AnalyseContext, found?: CorpusClusters, textOf: TextOf = textsInMemory(state)): Report {
  return buildReport(state, context, found, textOf, false) as Report;
}

function buildReport(
  state: CorpusState,
  context: AnalyseContext,
  found: CorpusClusters | undefined,
  textOf: TextOf,
  lazy: boolean,
): Omit<Report, 'documents'> & { documents: DocumentReport[] | DescribedDocuments } {
  const { sources, options } = state;
  // Documents whose text was wanted and not at hand, each named once in the warnings.
  const missing = new Set<number>(state.changed);
  const textOrMissing: TextOf = (d) => {
    const text = textOf(d);
    if (text === undefined) missing.add(d);
    return text;
  };
  // A run with a baseline (--against, --index) gives every document its side, even when no baseline document is at hand.
  const against = sources.some((s) => s.side !== undefined);
  const linesOf = (d: number) => {
    if (!context.segmentText) return undefined;
    const text = textOrMissing(d);
    return text === undefined ? undefined : documentLines(text);
  };
  const describe = (d: number): DocumentReport => {
    const known = context.known?.[d];
    if (known) return known;
    // Its side set on the description itself, last, as a spread copy would put it: one object per document, not two.
    const described = describeDocument(sources[d]!, state.sketches[d]!, linesOf(d));
    if (against) described.side = sources[d]!.side ?? 'incoming';
    return described;
  };
  const documents = lazy ? new DescribedDocuments(sources.length, describe) : sources.map((_, d) => describe(d));
  // The texts are read again only for the diffs: without them, let go before the pair search.
  if (!context.diff) context.onTextsRead?.();
  if (!lazy) context.onDocuments?.(documents as DocumentReport[]);

  const { clusters: indexed, pairs: reported, containments: containedPairs } = found ?? clusterCorpus(state);
  const clusters = indexed.map((c, index) => describeCluster(state, c, index + 1, context.diff ? textOrMissing : undefined));
  if (context.diff) context.onTextsRead?.();

  const pairs = describePairs(state, reported, against);
  context.onProgress?.(1, 1, 'verifying');
  context.onPairs?.(pairs);

  const inCluster = new Set<string>();
  for (const c of clusters) for (const m of c.members) inCluster.add(m.path);
  const duplicates = clusters.reduce((sum, c) => sum + c.members.filter((m) => isDuplicate(c, m)).length, 0);
  const summary = {
    documents: sources.length,
    clusters: clusters.length,
    duplicates,
    unique: sources.length - inCluster.size,
    skipped: context.skipped ?? 0,
  };
  const inputWarnings = [...(context.warnings ?? []), ...unlabelledWarningsOfSketches(sources, state.sketches, options), ...[...missing].sort((a, b) => a - b).map((d) => missingText(sources[d]!.path))];
  if (!containedPairs) return { schemaVersion: SCHEMA_VERSION, tool: context.tool, params: describeParams(options), documents, clusters, pairs, summary, warnings: inputWarnings };
  const { containments, warnings } = describeContainments(state, containedPairs);
  const dropped = new Set(duplicatesOf({ clusters }).map((d) => d.member.path));
  const contained = new Set(containments.map(containmentFinding).filter((path) => !dropped.has(path))).size;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: context.tool,
    params: describeParams(options),
    documents,
    clusters,
    pairs,
    containments,
    summary: { ...summary, contained },
    warnings: [...inputWarnings, ...warnings],
  };
}

/**
 * The reported pairs as the report shows them, with both similarities (body and full text) and
 * the containment.
 */
function describePairs(state: CorpusState, reported: readonly ReportedPair[], against: boolean): Pair[] {
  const { sources, options } = state;
  // Both similarities for every reported pair. A document of a pair that is not exact needs the
  // set of its other text (the one it was not compared on), unless that is its compared set (most
  // documents: the body holds every unit). It is made when a pair needs it, into one of two
  // scratch arenas (one per side of the pair), and kept there while the next pairs share that
  // document: the pairs come sorted by their first document. An arena of every document's other
  // set was 18 MB on the benchmark corpus, held through the report's peak.
  const sameAsCompared = new Uint8Array(sources.length); // 1: the other set is the compared set; 2: it is not
  const holdsAll = (d: number) => {
    if (sameAsCompared[d] === 0) sameAsCompared[d] = otherIsCompared(state.sketches[d]!) ? 1 : 2;
    return sameAsCompared[d] === 1;
  };
  const sides = [0, 1].map(() => ({ arena: new SetArena(1024), d: -1, start: 0, end: 0 }));
  /** d's other set, as [hashes, start, end] of the side's arena. */
  const otherSet = (d: number, side: number): [Uint32Array, number, number] => {
    const held = sides[side]!;
    if (held.d !== d) {
      held.arena.used = 0;
      held.start = otherShinglesInto(state.sketches[d]!, options.ngram, held.arena);
      held.end = held.arena.used;
      held.d = d;
    }
    return [held.arena.hashes, held.start, held.end];
  };
  /** True when d's set for `compare` is its compared set (else it is its other text's). */
  const ownSet = (d: number, compare: AnalyseOptions['compare']) => state.sketches[d]!.compared === compare || holdsAll(d);
  /** d's set for `compare`, as [hashes, start, end]. */
  const setOf = (d: number, side: number, compare: AnalyseOptions['compare']): [Uint32Array, number, number] => {
    if (!ownSet(d, compare)) return otherSet(d, side);
    const own = state.sketches[d]!.shingles;
    return [own, 0, own.length];
  };
  /** Exact Jaccard of a's and b's sets for `compare`. */
  const jaccardOn = (a: number, b: number, compare: AnalyseOptions['compare']) => exactJaccardOfRanges(...setOf(a, 0, compare), ...setOf(b, 1, compare));
  const fullSize = (d: number, side: number) => {
    const [, start, end] = setOf(d, side, 'full');
    return end - start;
  };
  // On the compared sets (both full texts for a mixed pair), whose exact Jaccard is the pair's similarity.
  const comparedContainment = (a: number, b: number, similarity: number) => {
    const [sa, sb] = [state.sketches[a]!, state.sketches[b]!];
    if (sa.compared === sb.compared) return containmentOfJaccard(similarity, sa.shingles.length, sb.shingles.length);
    return containmentOfJaccard(similarity, fullSize(a, 0), fullSize(b, 1));
  };
  // `similarity` is the exact Jaccard of the compared sets (both full texts for a mixed pair):
  // the similarity on that text is known, only the other one takes a merge.
  const bodyAndFull = (a: number, b: number, similarity: number): [number, number] => {
    // Both bodies hold every unit: body and full sets are one.
    if (holdsAll(a) && holdsAll(b)) return [similarity, similarity];
    const bothBody = state.sketches[a]!.compared === 'body' && state.sketches[b]!.compared === 'body';
    return bothBody ? [similarity, jaccardOn(a, b, 'full')] : [jaccardOn(a, b, 'body'), similarity];
  };
  return reported.map(({ a, b, similarity, exact }) => {
    const [body, full] = exact ? [1, 1] : bodyAndFull(a, b, similarity);
    return {
      a: sources[a]!.path,
      b: sources[b]!.path,
      ...(against ? { aSide: sources[a]!.side ?? 'incoming', bSide: sources[b]!.side ?? 'incoming' } : {}),
      similarity: round(similarity),
      bodySimilarity: round(body),
      fullSimilarity: round(full),
      // On the sets `similarity` was measured on (both full texts when one document's body was too small to trust).
      containment: exact ? 1 : round(comparedContainment(a, b, similarity)),
      exact,
    };
  });
}

