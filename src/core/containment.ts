import { forEachContainmentCandidate } from '../candidates/ensemble.js';
import type { VerifiedPair } from '../cluster/cluster.js';
import { UnionFind } from '../cluster/union-find.js';
import type { SourceDocument } from '../input/read.js';
import { sharedIfContained } from '../verify/containment.js';
import { BITMAP_WORDS, writeBitmap } from '../verify/filter.js';

/**
 * At most this many containers are listed for one contained document: a short text that lies in
 * thousands of others (a stock paragraph, a one-line notice) must not make the report quadratic.
 * Past it the search for that document stops, and a warning says so.
 */
export const MAX_CONTAINERS_PER_DOCUMENT = 20;

/**
 * At most this many candidates are checked for one contained document. Far above what a real
 * corpus gives (BBC: at most a few hundred at --containment 0.5), it bounds the work on a corpus
 * of thousands of documents that all overlap a little (the check then costs O(documents × this));
 * when it is reached, a warning says the search for that document stopped early.
 */
export const MAX_CANDIDATES_PER_DOCUMENT = 5000;

/** A verified containment, by document index: the smaller set lies at least the threshold inside the larger. */
export interface ContainedPair {
  contained: number;
  container: number;
  /** |A ∩ B| / |A|, A the contained document's set. */
  containment: number;
  /** Exact Jaccard of the same sets. */
  similarity: number;
}

export interface ContainmentSearchResult {
  /** Sorted by contained, then container. */
  pairs: ContainedPair[];
  /** Documents whose search stopped at a cap, and which cap. */
  capped: Array<{ document: number; reason: 'containers' | 'candidates' }>;
}

/** What the containment search reads of the corpus (core's CorpusState has it all). */
export interface ContainmentCorpus {
  sources: readonly Pick<SourceDocument, 'side'>[];
  sketches: readonly { shingles: Uint32Array; compared: string }[];
  signatures: Uint32Array;
  exactGroup: Int32Array;
  options: { numPerm: number; containment: number; recall: number };
}

/**
 * Pairs where the smaller document's shingle set lies at least `options.containment` inside the
 * larger's, found by LSH Ensemble candidates (src/candidates/ensemble.ts) and verified exactly on
 * the sets Jaccard was measured on (`setsOf`: both full texts when one document's body was too
 * small to trust). Only first copies of identical texts are searched, as for Jaccard; pairs of
 * one cluster (joined by identical copies or verified pairs) are not containments but
 * duplicates, and pairs of two baseline documents are never looked at. A document is listed
 * inside one member of a cluster at most (the first found, the smallest): the others are
 * near-duplicates of it, and a text inside a cluster of 3,000 copies is one finding, not 3,000.
 */
export function findContainments(
  corpus: ContainmentCorpus,
  verified: readonly VerifiedPair[],
  setsOf: (a: number, b: number) => [Uint32Array, Uint32Array],
): ContainmentSearchResult {
  const { sources, sketches, signatures, exactGroup, options } = corpus;
  const threshold = options.containment;
  const n = sketches.length;
  const docs: number[] = [];
  for (let d = 0; d < n; d++) if (exactGroup[d] === d && sketches[d]!.shingles.length > 0) docs.push(d);
  const sizes = Int32Array.from(sketches, (s) => s.shingles.length);
  const clusters = new UnionFind(n);
  for (let d = 0; d < n; d++) clusters.union(d, exactGroup[d] as number);
  for (const { a, b } of verified) clusters.union(a, b);
  const bitmapWords = new Uint32Array(n * BITMAP_WORDS);
  for (const d of docs) writeBitmap(sketches[d]!.shingles, bitmapWords, d * BITMAP_WORDS);
  const bitmaps = { words: bitmapWords, a: 0, b: 0 };
  const found = new Int32Array(n);
  // Per contained document, the clusters (union-find roots) a container was listed from.
  const listedClusters = new Map<number, Set<number>>();
  const checked = new Int32Array(n);
  const pairs: ContainedPair[] = [];
  const capped: ContainmentSearchResult['capped'] = [];

  forEachContainmentCandidate(signatures, docs, sizes, { numPerm: options.numPerm, threshold, recall: options.recall }, (small, large) => {
    if (sources[small]!.side === 'baseline' && sources[large]!.side === 'baseline') return false;
    const root = clusters.find(large);
    if (clusters.find(small) === root) return false;
    if (listedClusters.get(small)?.has(root)) return false;
    checked[small] = (checked[small] as number) + 1;
    if ((checked[small] as number) > MAX_CANDIDATES_PER_DOCUMENT) {
      capped.push({ document: small, reason: 'candidates' });
      return true;
    }
    let setA = sketches[small]!.shingles;
    let setB = sketches[large]!.shingles;
    let shared: number;
    if (sketches[small]!.compared === sketches[large]!.compared) {
      bitmaps.a = small * BITMAP_WORDS;
      bitmaps.b = large * BITMAP_WORDS;
      shared = sharedIfContained(setA, setB, threshold, bitmaps);
    } else {
      [setA, setB] = setsOf(small, large);
      shared = sharedIfContained(setA, setB, threshold);
    }
    if (shared < 0) return false;
    if (found[small] === MAX_CONTAINERS_PER_DOCUMENT) {
      capped.push({ document: small, reason: 'containers' });
      return true;
    }
    found[small] = (found[small] as number) + 1;
    const listed = listedClusters.get(small);
    if (listed) listed.add(root);
    else listedClusters.set(small, new Set([root]));
    // On full texts the smaller set may be the other one.
    const [contained, container] = setA.length <= setB.length ? [small, large] : [large, small];
    const smaller = Math.min(setA.length, setB.length);
    pairs.push({ contained, container, containment: shared / smaller, similarity: shared / (setA.length + setB.length - shared) });
    return false;
  });
  pairs.sort((p, q) => p.contained - q.contained || p.container - q.container);
  capped.sort((p, q) => p.document - q.document);
  return { pairs, capped };
}
