import type { SourceDocument } from '../input/read.js';
import type { AnalysisOptions } from '../options/table.js';
import { UnionFind } from './union-find.js';

/** A pair that passed exact verification, by document index (a < b). */
export interface VerifiedPair {
  a: number;
  b: number;
  similarity: number;
}

/** What clustering reads of the corpus (core's CorpusState is one). */
export interface ClusterCorpus {
  sources: readonly Pick<SourceDocument, 'path' | 'bytes' | 'side' | 'stdin' | 'record'>[];
  options: Pick<AnalysisOptions, 'keep' | 'threshold' | 'allPairs' | 'compare'>;
  /** exactGroup[d] is the first document with d's normalised full text (d itself for the first copy). */
  exactGroup: Int32Array;
}

/** A cluster by document index, with what the report and the pair list need. */
export interface IndexedCluster {
  representative: number;
  /** The representative first, then the other members in input order. */
  members: number[];
  /** Exact similarity of each member (same order) to the representative: 1 for identical copies. */
  similarity: number[];
  /** Member identical to the representative (for the representative: it has an identical copy). */
  exact: boolean[];
}

/**
 * Connected components of identical copies (state.exactGroup) and verified pairs, in order of
 * their first member: one pass over the documents, linear in documents plus pairs. With
 * --against, only components holding an incoming document.
 */
export function components(state: ClusterCorpus, verified: readonly VerifiedPair[]): number[][] {
  const { sources, exactGroup } = state;
  const n = sources.length;
  const sets = new UnionFind(n);
  for (let d = 0; d < n; d++) if (exactGroup[d] !== d) sets.union(d, exactGroup[d] as number);
  for (const { a, b } of verified) sets.union(a, b);
  const size = new Int32Array(n);
  for (let d = 0; d < n; d++) {
    const root = sets.find(d);
    size[root] = (size[root] as number) + 1;
  }
  const byRoot = new Map<number, number[]>();
  for (let d = 0; d < n; d++) {
    const root = sets.find(d);
    if ((size[root] as number) < 2) continue;
    const members = byRoot.get(root);
    if (members) members.push(d);
    else byRoot.set(root, [d]);
  }
  const against = sources.some((s) => s.side === 'baseline');
  const all = [...byRoot.values()];
  return against ? all.filter((m) => m.some((d) => sources[d]!.side !== 'baseline')) : all;
}

/**
 * Clusters, as plain data by document index: each component gets a representative (the longest
 * file, ties by path; or the first in input order) and every member's own exact similarity to it,
 * so that the report can flag a member that only joined through a chain of others rather than
 * hide it. Identical copies of the representative have similarity 1 and `exact: true`.
 */
export function buildClusters(
  state: ClusterCorpus,
  verified: readonly VerifiedPair[],
  similarityOf: (a: number, b: number) => number,
): IndexedCluster[] {
  const { sources, options, exactGroup } = state;
  const groupSize = new Int32Array(sources.length);
  for (let d = 0; d < sources.length; d++) {
    const g = exactGroup[d] as number;
    groupSize[g] = (groupSize[g] as number) + 1;
  }
  return components(state, verified).map((members) => {
    // Against a baseline, keep what the team already has: the representative is a baseline copy when there is one.
    const baseline = members.filter((d) => sources[d]!.side === 'baseline');
    // A copy only on stdin is not one to keep: deleting the files would lose the text.
    const files = members.filter((d) => !sources[d]!.stdin);
    const pool = baseline.length ? baseline : files.length ? files : members;
    const representative = options.keep === 'first' ? (pool[0] as number) : longest(pool, state);
    const ordered = [representative, ...members.filter((d) => d !== representative)];
    const repGroup = exactGroup[representative] as number;
    const exact = ordered.map((d) =>
      d === representative ? (groupSize[repGroup] as number) > 1 : exactGroup[d] === repGroup,
    );
    const similarity = ordered.map((d, i) => (d === representative || exact[i] ? 1 : similarityOf(representative, d)));
    return { representative, members: ordered, similarity, exact };
  });
}

/**
 * The tie-break between copies of one length: by path, but two records of one file by their
 * position, so that `data.jsonl#9` comes before `data.jsonl#10` (as the strings do not).
 */
function namedBefore(a: ClusterCorpus['sources'][number], b: ClusterCorpus['sources'][number]): boolean {
  if (a.record && b.record && a.record.file === b.record.file) return a.record.position < b.record.position;
  return a.path < b.path;
}

function longest(members: readonly number[], state: ClusterCorpus): number {
  let best = members[0] as number;
  for (const d of members) {
    const a = state.sources[d]!;
    const b = state.sources[best]!;
    if (a.bytes > b.bytes || (a.bytes === b.bytes && namedBefore(a, b))) best = d;
  }
  return best;
}

/** A pair to report, by document index (a < b). */
export interface ReportedPair {
  a: number;
  b: number;
  similarity: number;
  exact: boolean;
}

/**
 * The pairs the report lists (see Report.pairs). By default a spanning set per cluster, at most
 * 2(n − 1) for n members: each member's pair with the representative when it is identical or at
 * the threshold, plus the pairs that joined the cluster (identical copies to their first copy,
 * and the verified pairs, which with the default search are a spanning forest already). With
 * `allPairs`, every verified pair: the verified pairs between first copies, repeated for every
 * copy of each side, and every pair of identical copies. Pairs of two baseline documents are
 * never listed. Sorted by (a, b).
 */
export function reportedPairs(
  state: ClusterCorpus,
  clusters: readonly IndexedCluster[],
  verified: readonly VerifiedPair[],
  similarityOf: (a: number, b: number) => number,
): ReportedPair[] {
  const { sources, options, exactGroup } = state;
  const n = sources.length;
  const baselinePair = (a: number, b: number) => sources[a]!.side === 'baseline' && sources[b]!.side === 'baseline';
  const out: ReportedPair[] = [];
  const push = (x: number, y: number, similarity: number, exact: boolean) => {
    const [a, b] = x < y ? [x, y] : [y, x];
    if (!baselinePair(a, b)) out.push({ a, b, similarity, exact });
  };
  const clusterOf = new Int32Array(n).fill(-1);
  clusters.forEach((c, i) => {
    for (const d of c.members) clusterOf[d] = i;
  });

  if (options.allPairs) {
    const copies = new Map<number, number[]>();
    for (let d = 0; d < n; d++) {
      if ((clusterOf[d] as number) < 0) continue;
      const g = exactGroup[d] as number;
      const list = copies.get(g);
      if (list) list.push(d);
      else copies.set(g, [d]);
    }
    for (const list of copies.values()) {
      for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) push(list[i] as number, list[j] as number, 1, true);
    }
    // Full texts of copies are identical, so is every similarity on them; bodies are compared anew.
    const sameShingles = options.compare === 'full';
    for (const { a, b, similarity } of verified) {
      if ((clusterOf[a] as number) < 0) continue;
      for (const x of copies.get(a) ?? [a]) {
        for (const y of copies.get(b) ?? [b]) {
          const s = (x === a && y === b) || sameShingles ? similarity : similarityOf(x, y);
          if (s >= options.threshold) push(x, y, s, false);
        }
      }
    }
  } else {
    const edgesOf: VerifiedPair[][] = clusters.map(() => []);
    for (const edge of verified) if ((clusterOf[edge.a] as number) >= 0) edgesOf[clusterOf[edge.a] as number]!.push(edge);
    clusters.forEach((c, index) => {
      const seen = new Set<number>();
      const add = (x: number, y: number, similarity: number, exact: boolean) => {
        const key = Math.min(x, y) * n + Math.max(x, y);
        if (seen.has(key)) return;
        seen.add(key);
        push(x, y, similarity, exact);
      };
      c.members.forEach((d, i) => {
        if (i > 0 && (c.exact[i] || (c.similarity[i] as number) >= options.threshold)) add(c.representative, d, c.similarity[i] as number, c.exact[i] as boolean);
      });
      for (const d of c.members) if (exactGroup[d] !== d) add(exactGroup[d] as number, d, 1, true);
      for (const { a, b, similarity } of edgesOf[index]!) add(a, b, similarity, false);
    });
  }
  return out.sort((p, q) => p.a - q.a || p.b - q.b);
}
