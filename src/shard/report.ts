import { buildClusters, reportedPairs, type VerifiedPair } from '../cluster/cluster.js';
import { UnionFind } from '../cluster/union-find.js';
import type { AnalyseOptions } from '../core/options.js';
import type { CompareKind, KeepKind, ShingleKind, SketchKind } from '../options/kinds.js';
import { describeParams } from '../report/build.js';
import { compareBoilerplate } from '../report/differences.js';
import { isDuplicate } from '../report/duplicates.js';
import { SCHEMA_VERSION, type Cluster, type DocumentReport, type Pair, type Report, type Side } from '../report/types.js';
import { exactContainment, exactJaccard } from '../verify/jaccard.js';
import type { DocumentRow } from './tables.js';

/** A verified pair as sql/pairs.sql writes it. */
export interface PairRow {
  doc_a: string;
  doc_b: string;
  similarity: number;
  containment: number;
  exact: boolean;
}

/** A document's stored shingle sets (sorted, unique): the full text's, and the body's where it differs. */
export interface ShingleSets {
  full: Uint32Array;
  body?: Uint32Array;
}

/** The analysis options the shards were sketched with (from their params table), and the report's own choices. */
export function optionsFromParams(params: ReadonlyMap<string, string>, choices: { keep: KeepKind; allPairs: boolean }): AnalyseOptions {
  const text = (name: string) => {
    const value = params.get(name);
    if (value === undefined) throw new Error(`the shards have no ${name} parameter`);
    return value;
  };
  return {
    threshold: Number(text('threshold')),
    compare: text('compare') as CompareKind,
    keep: choices.keep,
    boilerplate: text('boilerplate') === 'true',
    shingle: text('shingle') as ShingleKind,
    ngram: Number(text('ngram')),
    numPerm: Number(text('num_perm')),
    sketch: text('sketch') as SketchKind,
    seed: Number(text('seed')),
    recall: Number(text('recall')),
    allPairs: choices.allPairs,
    // Containment search needs every pair's sets in one process: not from shards.
    containment: 0,
  };
}

/** The documents whose shingle sets the report needs: those in a pair, and their identical copies. */
export function documentsToLoad(documents: readonly DocumentRow[], pairs: readonly PairRow[]): string[] {
  const named = new Set<string>();
  for (const p of pairs) named.add(p.doc_a).add(p.doc_b);
  const hashes = new Set(documents.filter((d) => named.has(d.doc)).map((d) => d.content_hash));
  return documents.filter((d) => hashes.has(d.content_hash)).map((d) => d.doc);
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * The usual report from verified pairs (sql/pairs.sql's output) and the shards' documents: the
 * same clusters, representatives, member similarities and pairs as the in-memory run, by the
 * cluster stage's own code. Documents are in path order (incoming before baseline). Segment
 * texts (--show-boilerplate) are not in the shards.
 */
export function reportFromPairs(
  rows: readonly DocumentRow[],
  pairRows: readonly PairRow[],
  sets: ReadonlyMap<string, ShingleSets>,
  options: AnalyseOptions,
  tool: Report['tool'],
): Report {
  // The in-memory input order: by path, and with --against the incoming batch before the baseline.
  const rank = (d: DocumentRow) => (d.side === 'baseline' ? 1 : 0);
  const documents = [...rows].sort((x, y) => rank(x) - rank(y) || (x.doc < y.doc ? -1 : x.doc > y.doc ? 1 : 0));
  const n = documents.length;
  const index = new Map(documents.map((d, i) => [d.doc, i]));
  const against = documents.some((d) => d.side === 'baseline');
  const sideOf = (d: number): Side | undefined => (against ? ((documents[d]!.side as Side | null) ?? 'incoming') : undefined);
  const descriptions = documents.map((d) => JSON.parse(d.description) as Omit<DocumentReport, 'path'>);
  const sources = documents.map((d, i) => {
    const side = sideOf(i);
    return { path: d.doc, bytes: d.bytes, ...(side ? { side } : {}), ...(descriptions[i]!.stdin ? { stdin: true } : {}) };
  });
  const exactGroup = new Int32Array(n);
  const firstOf = new Map<string, number>();
  documents.forEach((d, i) => {
    const first = firstOf.get(d.content_hash);
    if (first === undefined) firstOf.set(d.content_hash, i);
    exactGroup[i] = first ?? i;
  });

  const indexOf = (doc: string) => {
    const i = index.get(doc);
    if (i === undefined) throw new Error(`the pair's document ${doc} is not in the shards' documents`);
    return i;
  };
  const listed = new Map<number, number>();
  const verified: VerifiedPair[] = [];
  for (const p of pairRows) {
    const [a, b] = [indexOf(p.doc_a), indexOf(p.doc_b)].sort((x, y) => x - y) as [number, number];
    listed.set(a * n + b, p.similarity);
    // The search runs over first copies; their copies come from the cluster stage (as in memory).
    if (!p.exact && exactGroup[a] === a && exactGroup[b] === b) verified.push({ a, b, similarity: p.similarity });
  }
  verified.sort((p, q) => p.a - q.a || p.b - q.b);

  const setsOf = (d: number) => {
    const found = sets.get(documents[d]!.doc);
    if (!found) throw new Error(`no shingles for ${documents[d]!.doc}`);
    return found;
  };
  const comparedSet = (d: number) => {
    const s = setsOf(d);
    return documents[d]!.compared === 'body' && s.body ? s.body : s.full;
  };
  // The sets a pair is measured on: each compared set, or both full texts when one was compared on its body and the other on its full text.
  const measuredOn = (a: number, b: number): [Uint32Array, Uint32Array] =>
    documents[a]!.compared === documents[b]!.compared ? [comparedSet(a), comparedSet(b)] : [setsOf(a).full, setsOf(b).full];
  const similarityOf = (x: number, y: number) => {
    const [a, b] = x < y ? [x, y] : [y, x];
    return listed.get(a * n + b) ?? exactJaccard(...measuredOn(a, b));
  };

  // What compareBoilerplate reads of each document: its segments, and the keys of its boilerplate lines.
  const sketches = documents.map((d, i) => {
    const lineKeys = new Uint32Array(descriptions[i]!.lines);
    for (const [line, key] of JSON.parse(d.boilerplate_keys) as Array<[number, number]>) lineKeys[line - 1] = key;
    return { segments: descriptions[i]!.segments, lineKeys };
  });
  const state = { sources, options, exactGroup, sketches };
  const search = options.allPairs ? verified : spanningForest(verified, n);
  const indexed = buildClusters(state, search, similarityOf);
  const reported = reportedPairs(state, indexed, search, similarityOf);

  const clusters: Cluster[] = indexed.map((c, i) => {
    const repGroup = exactGroup[c.representative];
    const boilerplate = compareBoilerplate(state, c.representative, c.members.slice(1));
    return {
      id: i + 1,
      representative: sources[c.representative]!.path,
      members: c.members.map((d, k) => {
        const side = sideOf(d);
        return {
          path: sources[d]!.path,
          ...(side ? { side } : {}),
          similarity: round(c.similarity[k] as number),
          belowThreshold: (c.similarity[k] as number) < options.threshold,
          exact: c.exact[k] as boolean,
        };
      }),
      sharedBoilerplate: boilerplate.shared,
      differences: boilerplate.differences,
      exact: c.members.every((d) => exactGroup[d] === repGroup),
    };
  });
  const pairs: Pair[] = reported.map(({ a, b, similarity, exact }) => {
    const [sa, sb] = [setsOf(a), setsOf(b)];
    return {
      a: sources[a]!.path,
      b: sources[b]!.path,
      ...(against ? { aSide: sideOf(a)!, bSide: sideOf(b)! } : {}),
      similarity: round(similarity),
      bodySimilarity: exact ? 1 : round(exactJaccard(sa.body ?? sa.full, sb.body ?? sb.full)),
      fullSimilarity: exact ? 1 : round(exactJaccard(sa.full, sb.full)),
      containment: exact ? 1 : round(exactContainment(...measuredOn(a, b))),
      exact,
    };
  });
  const documentReports: DocumentReport[] = documents.map((d, i) => {
    const side = sideOf(i);
    return { path: d.doc, ...descriptions[i]!, ...(side ? { side } : {}) };
  });
  const inCluster = new Set<string>();
  for (const c of clusters) for (const m of c.members) inCluster.add(m.path);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool,
    params: describeParams(options),
    documents: documentReports,
    clusters,
    pairs,
    summary: {
      documents: n,
      clusters: clusters.length,
      duplicates: clusters.reduce((sum, c) => sum + c.members.filter((m) => isDuplicate(c, m)).length, 0),
      unique: n - inCluster.size,
      skipped: 0,
    },
    warnings: [],
  };
}

/** The default search keeps a pair only when it joins two parts: a spanning forest, taken in (a, b) order. */
function spanningForest(pairs: readonly VerifiedPair[], n: number): VerifiedPair[] {
  const sets = new UnionFind(n);
  return pairs.filter(({ a, b }) => {
    if (sets.find(a) === sets.find(b)) return false;
    sets.union(a, b);
    return true;
  });
}
