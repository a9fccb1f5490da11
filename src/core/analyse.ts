import { chooseBands, forEachCandidateOfBandKeys, writeBandKeys, type BandParams } from '../candidates/lsh.js';
import { buildClusters, reportedPairs, type IndexedCluster, type ReportedPair, type VerifiedPair } from '../cluster/cluster.js';
import { UnionFind } from '../cluster/union-find.js';
import type { SourceDocument } from '../input/read.js';
import { findTemplateLines, TEMPLATE_MAX_WORDS, type Segment } from '../segment/index.js';
import { sketcherFor, type Sketcher } from '../sketch/index.js';
import { exactGroups } from '../exact/exact.js';
import { BITMAP_WORDS, jaccardAtLeast, shareableCounts, writeBitmap } from '../verify/filter.js';
import { exactJaccard } from '../verify/jaccard.js';
import { bodyLineMask, bodyRanges, documentLines, otherShingles, relabel, sketchDocument, type DocumentSketch, type Relabelled } from './document.js';
import { findContainments, type ContainmentSearchResult } from './containment.js';
import { copySketch } from './sketch-transfer.js';
import type { AnalyseOptions } from './options.js';
import type { ProgressCallback, Stage } from '../types/progress.js';

/**
 * The corpus as the pipeline sees it between stages. Everything per-shingle lives in typed
 * arrays: one sorted Uint32Array of shingle hashes per document, one flat array of band keys.
 */
export interface CorpusState {
  options: AnalyseOptions;
  bandParams: BandParams;
  sources: readonly SourceDocument[];
  sketches: DocumentSketch[];
  /**
   * Each document's LSH band keys (bandParams.bands of them, document d's at d * bands): all the
   * pair search reads of a signature, 64 bytes a document where the signature is 512 (on 200,000
   * short records, 90 MB less).
   */
  bandKeys: Uint32Array;
  /** The signatures themselves, flat (numPerm per document): only for the containment search, which bands them by size. */
  signatures?: Uint32Array;
  hasher: Sketcher;
  /**
   * Identical documents: exactGroup[d] is the first document with d's normalised full text
   * (d itself for the first copy). Only first copies go through candidate generation.
   */
  exactGroup: Int32Array;
  /** Verified pairs of the template pass (a default search: a spanning forest, baseline pairs included). */
  verifiedCache?: VerifiedPair[];
  /** Documents re-sketched since verifiedCache was made (1 = changed): the cache no longer holds. */
  resketched?: Uint8Array;
  /** Documents whose text, read again for the corpus evidence, was no longer the one sketched: they keep their first labels. */
  changed?: Set<number>;
  /** The shingle bitmaps of the last pair search, and the set each was written from (see shingleBitmaps). */
  bitmaps?: { words: Uint32Array; of: SetIdentities };
}

const NO_SIGNATURE = new Uint32Array(0);

/**
 * Byte-identical texts are sketched once: `distinct` holds the first source of each text and
 * `slot[d]` the position of document d's text in it.
 */
export function distinctTexts(sources: readonly SourceDocument[]): { distinct: SourceDocument[]; slot: Int32Array } {
  const first = new Map<string, number>();
  const distinct: SourceDocument[] = [];
  const slot = new Int32Array(sources.length);
  sources.forEach((source, d) => {
    let i = first.get(source.text);
    if (i === undefined) {
      i = distinct.length;
      first.set(source.text, i);
      distinct.push(source);
    }
    slot[d] = i;
  });
  return { distinct, slot };
}

/** One sketch per document from the sketches of the distinct texts; each copy is its own object (later stages replace its fields). */
export function expandSketches(sketches: readonly DocumentSketch[], slot: Int32Array): DocumentSketch[] {
  const used = new Uint8Array(sketches.length);
  return Array.from(slot, (i) => {
    const sketch = sketches[i]!;
    if (used[i] === 0) {
      used[i] = 1;
      return sketch;
    }
    return copySketch(sketch);
  });
}

/** Sketch every document on this thread (the parallel runner does the same on worker threads). */
export function sketchAll(
  sources: readonly SourceDocument[],
  options: AnalyseOptions,
  onProgress?: ProgressCallback,
): DocumentSketch[] {
  const hasher = sketcherFor(options.sketch, options.numPerm, options.seed);
  const { distinct, slot } = distinctTexts(sources);
  const n = distinct.length;
  const sketches = distinct.map((source, d) => {
    const sketch = sketchDocument(source.text, options, hasher);
    if (onProgress && (d % 64 === 63 || d === n - 1)) onProgress(d + 1, n, perDocumentStage(options));
    return sketch;
  });
  return expandSketches(sketches, slot);
}

/** What the per-document pass is, for progress: labelling dominates it when boilerplate detection is on. */
export const perDocumentStage = (options: Pick<AnalyseOptions, 'boilerplate'>): Stage => (options.boilerplate ? 'labelling' : 'sketching');

/**
 * Gather per-document sketches into the corpus, then refine segments with corpus evidence. From
 * here to the clusters is verification (the corpus evidence needs a first verified-pair pass).
 */
export function buildCorpus(sources: readonly SourceDocument[], sketches: DocumentSketch[], options: AnalyseOptions, onProgress?: ProgressCallback): CorpusState {
  onProgress?.(0, 1, 'verifying');
  const state = gatherSketches(sources, sketches, options);
  const jobs = templateJobs(state);
  for (const job of jobs) applySegments(state, job.document, relabel(sources[job.document]!.text, job.templateLines, options, bodyRanges(state.sketches[job.document]!.segments)));
  return state;
}

/** The corpus state from per-document sketches, before any corpus evidence. */
export function gatherSketches(sources: readonly SourceDocument[], sketches: DocumentSketch[], options: AnalyseOptions): CorpusState {
  const k = options.numPerm;
  const bandParams = chooseBands(k, options.threshold, options.recall);
  const bandKeys = new Uint32Array(sources.length * bandParams.bands);
  const signatures = options.containment > 0 ? new Uint32Array(sources.length * k) : undefined;
  // Band keys (and signatures, when kept) live in flat arrays from here on; each document's own signature is let go.
  sketches.forEach((sketch, d) => {
    const at = d * bandParams.bands;
    if (sketch.bandKeys) {
      // Made by the thread that sketched it, with these parameters (packSketches).
      if (signatures) throw new Error('internal error: a sketch without its signature in a containment search');
      if (sketch.bandKeys.length !== bandParams.bands) throw new Error('internal error: band keys made with other parameters');
      bandKeys.set(sketch.bandKeys, at);
      sketch.bandKeys = undefined;
    } else writeBandKeys(sketch.signature, 0, bandParams, bandKeys, at);
    signatures?.set(sketch.signature, d * k);
    sketch.signature = NO_SIGNATURE;
  });
  return {
    options,
    bandParams,
    sources,
    sketches,
    bandKeys,
    ...(signatures ? { signatures } : {}),
    hasher: sketcherFor(options.sketch, k, options.seed),
    exactGroup: exactGroups(sketches),
  };
}

/** A document the corpus evidence re-segments: its template lines (line → documents) outside the article. */
export interface TemplateJob {
  document: number;
  templateLines: Map<number, number>;
}

/**
 * A line that recurs in at least three documents that are not near-duplicates of each other is
 * the outlet's template. Near-duplicate groups come from a first verification pass on the
 * in-document segmentation, so copies of one article never vote for each other. Returns the
 * documents to segment again with that evidence (see relabel and applySegments), in order.
 */
export function templateJobs(state: CorpusState): TemplateJob[] {
  const { sketches, options } = state;
  const n = sketches.length;
  if (n < 3 || !options.boilerplate) return [];
  state.verifiedCache = findPairs(state);
  const groups = groupsOf(state.exactGroup, state.verifiedCache);
  const templates = findTemplateLines(sketches.map((s) => s.templateKeys), groups);
  const jobs: TemplateJob[] = [];
  for (let d = 0; d < n; d++) {
    const templateCounts = templates[d];
    const templateLines = templateCounts && templateLinesFor(sketches[d]!, templateCounts);
    if (templateLines) jobs.push({ document: d, templateLines });
  }
  return jobs;
}

/**
 * The template lines a document is segmented again with, or undefined where the corpus agrees
 * with it. Re-classifying costs as much as the first pass: only where a template line was read as body.
 */
function templateLinesFor(sketch: DocumentSketch, templateCounts: ReadonlyMap<number, number>): Map<number, number> | undefined {
  if (templateCounts.size === 0) return undefined;
  const before = bodyLineMask(sketch.segments, sketch.lineCount);
  const templateLines = outsideArticle(templateCounts, before, sketch.templateKeys, sketch.lineWords);
  return [...templateLines.keys()].some((line) => before[line] === 1) ? templateLines : undefined;
}

/** Take a document's new segments; true when its body changed, so its compared shingles were redone. */
function takeSegments(sketch: DocumentSketch, labels: Relabelled, options: AnalyseOptions): boolean {
  const { segments } = labels;
  const before = bodyLineMask(sketch.segments, sketch.lineCount);
  sketch.segments = segments;
  sketch.previews = labels.previews;
  const after = bodyLineMask(segments, sketch.lineCount);
  if (after.every((v, i) => v === before[i])) return false;
  const { comparison } = labels;
  if (!comparison) throw new Error('internal error: new labels changed the body, but came without its comparison');
  // The body changed, and with it the set of the text not compared (the body, under --compare full).
  sketch.otherAdded = comparison.otherAdded;
  sketch.otherRemoved = comparison.otherRemoved;
  if (options.compare !== 'body') return false;
  sketch.compared = comparison.compared;
  sketch.comparedReason = comparison.comparedReason;
  sketch.shingles = comparison.shingles;
  return true;
}

/** Take a document's new segments: a body that changed is compared and sketched again. */
export function applySegments(state: CorpusState, d: number, labels: Relabelled): void {
  if (!takeSegments(state.sketches[d]!, labels, state.options)) return;
  (state.resketched ??= new Uint8Array(state.sketches.length))[d] = 1;
  const signature = state.hasher.sketch(state.sketches[d]!.shingles);
  writeBandKeys(signature, 0, state.bandParams, state.bandKeys, d * state.bandParams.bands);
  state.signatures?.set(signature, d * state.options.numPerm);
}

/**
 * One document's share of the corpus evidence: `templateCounts` maps its lines that are an
 * outlet's template to the number of unrelated documents they recur in. Its segments are redone
 * where the corpus disagrees with it; returns true when its compared shingles changed (its
 * signature must be redone). Sharded sketches (src/shard) apply it with corpus-wide counts.
 */
export function applyTemplateCounts(sketch: DocumentSketch, text: string, templateCounts: ReadonlyMap<number, number>, options: AnalyseOptions): boolean {
  const templateLines = templateLinesFor(sketch, templateCounts);
  return templateLines !== undefined && takeSegments(sketch, relabel(text, templateLines, options, bodyRanges(sketch.segments)), options);
}

/**
 * Template lines that are not inside the article: a recurring line with other body text both
 * above and below it is a sentence several articles share (a quotation, a wire paragraph), not
 * the outlet's header or footer, so the corpus does not overrule the document there.
 */
function outsideArticle(templateCounts: ReadonlyMap<number, number>, body: Uint8Array, templateKeys: Uint32Array, lineWords: Uint32Array): Map<number, number> {
  // Article text around a recurring line is a body block of its own that could have been template
  // and is not, or a body line longer than any template block (more than TEMPLATE_MAX_WORDS words:
  // a paragraph). A short line ("Editor: J. Smith") is no evidence.
  const isOwnBody = (line: number) =>
    body[line] === 1 && ((templateKeys[line] !== 0 && !templateCounts.has(line)) || (lineWords[line] as number) > TEMPLATE_MAX_WORDS);
  let first = -1;
  let last = -1;
  for (let line = 0; line < body.length; line++) {
    if (!isOwnBody(line)) continue;
    if (first < 0) first = line;
    last = line;
  }
  return new Map([...templateCounts].filter(([line]) => line < first || line > last));
}

function groupsOf(exactGroup: Int32Array, pairs: readonly VerifiedPair[]): number[] {
  const n = exactGroup.length;
  const sets = new UnionFind(n);
  for (let d = 0; d < n; d++) sets.union(d, exactGroup[d] as number);
  for (const { a, b } of pairs) sets.union(a, b);
  return Array.from({ length: n }, (_, i) => sets.find(i));
}

/**
 * Candidates by LSH banding over the first copy of each text, then exact Jaccard: only verified
 * pairs (a < b, sorted) come out. Candidates stream bucket by bucket and are verified as they
 * come, through filters that only ever reject pairs provably below the threshold.
 *
 * By default a pair whose documents are already connected (by the pairs verified so far) is not
 * verified at all: clustering cannot use it, so what comes out is a spanning forest of the
 * verified-pair graph and the work stays bounded by the documents, not the pairs, in big
 * clusters. With `allPairs` every candidate is verified and every verified pair comes out.
 * With `skipBaselinePairs`, pairs of two baseline documents are not even verified (--against
 * ignores them).
 */
export function findPairs(state: CorpusState, skipBaselinePairs = false, allPairs = false): VerifiedPair[] {
  // The template pass's search is the default one; a different search, or changed bodies, start over.
  if (state.verifiedCache && !state.resketched && !skipBaselinePairs && !allPairs) return state.verifiedCache;
  const { sketches, bandKeys, options, bandParams, sources, exactGroup } = state;
  const n = sketches.length;
  const docs: number[] = [];
  for (let d = 0; d < n; d++) if (exactGroup[d] === d && sketches[d]!.shingles.length > 0) docs.push(d);
  // Plain arrays read in the hot loop (the sketches' shapes vary: worker, main thread, copies).
  const shingles = sketches.map((s) => s.shingles);
  const sizes = Int32Array.from(shingles, (set) => set.length);
  const baseline = Uint8Array.from(sources, (s) => (skipBaselinePairs && s.side === 'baseline' ? 1 : 0));
  const bitmaps = { words: shingleBitmaps(state, docs, shingles), a: 0, b: 0 };
  // Counting the shingles no other document has costs about as much as sketching's shingling:
  // worth it only once the candidates outnumber the documents. Until then, the sizes bound it.
  let shareable: Int32Array = sizes;
  let untilShareable = 8 * docs.length;
  const threshold = options.threshold;
  // A pair of one document compared on its body and one on its full text (a body too small to
  // trust) is compared on both full texts: the bounds below, on the compared sets, do not hold.
  const similarityOf = comparedSimilarity(state);
  const compared = sketches.map((s) => s.compared);
  const mixed = (a: number, b: number) => compared[a] !== compared[b];
  const mixedRun = compared.some((c) => c !== compared[0]);
  // For a in a bucket whose smallest member has m shingles, any partner b there gives
  // Jaccard ≤ s_a / (|A| + |B| − s_a) ≤ s_a / (|A| + m − s_a), s_a = shareable[a]: below the
  // threshold, a pairs with no one in the bucket. Dense corpora (many documents alike, none
  // near-duplicates) fall out here in time linear in the bucket instead of quadratic.
  const narrowBucket = (members: readonly number[], keep: Uint8Array) => {
    if (untilShareable > 0) {
      untilShareable -= (members.length * (members.length - 1)) / 2;
      if (untilShareable <= 0) {
        untilShareable = 0;
        shareable = shareableCounts(shingles, docs);
      }
    }
    if (shareable === sizes) return;
    if (mixedRun) for (const d of members) if (compared[d] !== compared[members[0] as number]) return;
    let m = Infinity;
    for (const d of members) m = Math.min(m, sizes[d] as number);
    for (let k = 0; k < members.length; k++) {
      const d = members[k] as number;
      const s = shareable[d] as number;
      if (s / ((sizes[d] as number) + m - s) < threshold) keep[k] = 0;
    }
  };
  const sets = allPairs ? undefined : new UnionFind(n);
  const pairs: VerifiedPair[] = [];
  // Constant-time tests, before the candidate search's own check for a pair seen in an earlier band.
  const reject = (a: number, b: number) => {
    if (sets && sets.find(a) === sets.find(b)) return true;
    if (baseline[a] === 1 && baseline[b] === 1) return true;
    if (mixedRun && mixed(a, b)) return false;
    // At most `shared` shingles in common, so Jaccard ≤ shared / (|A| + |B| − shared), computed
    // as exactJaccard would: most dissimilar pairs stop here.
    const shared = Math.min(shareable[a] as number, shareable[b] as number);
    return shared / ((sizes[a] as number) + (sizes[b] as number) - shared) < threshold;
  };
  const visit = (a: number, b: number) => {
    let similarity: number;
    if (mixedRun && mixed(a, b)) {
      similarity = similarityOf(a, b);
      if (similarity < threshold) return false;
    } else {
      const shared = Math.min(shareable[a] as number, shareable[b] as number);
      bitmaps.a = a * BITMAP_WORDS;
      bitmaps.b = b * BITMAP_WORDS;
      similarity = jaccardAtLeast(shingles[a]!, shingles[b]!, threshold, bitmaps, shared);
      if (similarity < 0) return false;
    }
    pairs.push({ a, b, similarity });
    sets?.union(a, b);
    return true;
  };
  // A bucket whose members are all connected already has nothing left to give the clustering.
  const connected = sets
    ? (members: readonly number[]) => {
        const root = sets.find(members[0] as number);
        for (let i = 1; i < members.length; i++) if (sets.find(members[i] as number) !== root) return false;
        return true;
      }
    : undefined;
  forEachCandidateOfBandKeys(bandKeys, docs, bandParams.bands, visit, { skipBucket: connected, narrowBucket, reject });
  pairs.sort((p, q) => p.a - q.a || p.b - q.b);
  if (!skipBaselinePairs && !allPairs && state.verifiedCache) {
    state.verifiedCache = pairs;
    state.resketched = undefined;
  }
  return pairs;
}

/**
 * The bitmaps (see writeBitmap) of the shingle sets of `docs`, BITMAP_WORDS per document, kept
 * in the state: a later search redoes only the documents whose set changed.
 */
function shingleBitmaps(state: CorpusState, docs: readonly number[], shingles: readonly Uint32Array[]): Uint32Array {
  const n = shingles.length;
  if (state.bitmaps?.of.buffers.length !== n) state.bitmaps = { words: new Uint32Array(n * BITMAP_WORDS), of: new SetIdentities(n) };
  const { words, of } = state.bitmaps;
  for (const d of docs) {
    const set = shingles[d]!;
    if (of.holds(d, set)) continue;
    if (of.buffers[d] !== undefined) words.fill(0, d * BITMAP_WORDS, (d + 1) * BITMAP_WORDS);
    writeBitmap(set, words, d * BITMAP_WORDS);
    of.set(d, set);
  }
  return words;
}

/**
 * Which set each document's bitmap was written from: its buffer and range, not the array
 * object, since a sketch makes a new view of the same range each time it is asked (see
 * KeptSketch). A replaced set is a new buffer.
 */
class SetIdentities {
  readonly buffers: Array<ArrayBufferLike | undefined>;
  private readonly offsets: Float64Array;
  private readonly lengths: Float64Array;

  constructor(n: number) {
    this.buffers = new Array<ArrayBufferLike | undefined>(n);
    this.offsets = new Float64Array(n);
    this.lengths = new Float64Array(n);
  }

  holds(d: number, set: Uint32Array): boolean {
    return this.buffers[d] === set.buffer && this.offsets[d] === set.byteOffset && this.lengths[d] === set.length;
  }

  set(d: number, set: Uint32Array): void {
    this.buffers[d] = set.buffer;
    this.offsets[d] = set.byteOffset;
    this.lengths[d] = set.length;
  }
}

/**
 * The shingle sets two documents are compared on: their compared texts; when one is compared on
 * its full text (its body was too small to trust) and the other on its body, both full texts.
 */
function comparedSets(state: CorpusState): (a: number, b: number) => [Uint32Array, Uint32Array] {
  const full = new Map<number, Uint32Array>();
  const fullOf = (d: number) => {
    const sketch = state.sketches[d]!;
    if (sketch.compared === 'full') return sketch.shingles;
    let set = full.get(d);
    // Compared on its body: its other text is the full one.
    if (!set) full.set(d, (set = otherShingles(sketch, state.options.ngram)));
    return set;
  };
  return (a, b) => {
    const sa = state.sketches[a]!;
    const sb = state.sketches[b]!;
    return sa.compared === sb.compared ? [sa.shingles, sb.shingles] : [fullOf(a), fullOf(b)];
  };
}

/** Exact Jaccard of two documents' compared sets (see comparedSets). */
function comparedSimilarity(state: CorpusState): (a: number, b: number) => number {
  const setsOf = comparedSets(state);
  return (a, b) => exactJaccard(...setsOf(a, b));
}

/** What the analysis finds in a corpus, by document index: clusters (components and representatives) and the pairs to report. */
export interface CorpusClusters {
  clusters: IndexedCluster[];
  pairs: ReportedPair[];
  /** Only with options.containment > 0: pairs where one document lies inside another (not in one cluster). */
  containments?: ContainmentSearchResult;
}

/** Verify and cluster a corpus whose documents are already sketched; with --against, baseline pairs are left out. */
export function clusterCorpus(state: CorpusState): CorpusClusters {
  const against = state.sources.some((s) => s.side === 'baseline');
  const verified = findPairs(state, against, state.options.allPairs);
  const similarityOf = comparedSimilarity(state);
  const clusters = buildClusters(state, verified, similarityOf);
  const pairs = reportedPairs(state, clusters, verified, similarityOf);
  if (!(state.options.containment > 0)) return { clusters, pairs };
  const { signatures } = state;
  if (!signatures) throw new Error('internal error: a containment search without the signatures (gatherSketches keeps them when options.containment > 0)');
  return { clusters, pairs, containments: findContainments({ ...state, signatures }, verified, comparedSets(state)) };
}

/** Each document's lines and segments, corpus evidence included (template lines across documents). */
export function segmentCorpus(sources: readonly SourceDocument[], options: AnalyseOptions): Array<{ lines: string[]; segments: Segment[] }> {
  const state = buildCorpus(sources, sketchAll(sources, options), options);
  return sources.map((source, d) => ({ lines: documentLines(source.text), segments: state.sketches[d]!.segments }));
}

const BLANK_LINE = /^[ \t]*$/;

/**
 * The lines inside body segments, joined: blank lines inside the body keep its paragraphs apart;
 * none lead or trail (but the last line, when all are blank). Trimmed as lines, not by a regular
 * expression over the joined text, which tried a trailing run at every line break.
 */
export function bodyText(lines: readonly string[], segments: readonly Segment[]): string {
  const mask = bodyLineMask(segments, lines.length);
  const kept = lines.filter((_, i) => mask[i] === 1);
  let first = 0;
  while (first < kept.length - 1 && BLANK_LINE.test(kept[first]!)) first++;
  let last = kept.length - 1;
  while (last > first && BLANK_LINE.test(kept[last]!)) last--;
  return kept.slice(first, last + 1).join('\n');
}

/** The body of each document (corpus evidence included), for `dedupe body`. */
export function extractBodies(sources: readonly SourceDocument[], options: AnalyseOptions): string[] {
  return segmentCorpus(sources, options).map(({ lines, segments }) => bodyText(lines, segments));
}
