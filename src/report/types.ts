import type { CompareKind, KeepKind, ShingleKind, SketchKind } from '../options/kinds.js';
import type { BoilerplateCategory, Segment } from '../segment/index.js';
import type { Warning } from '../types/warning.js';

export const SCHEMA_VERSION = 1;

export type { Warning } from '../types/warning.js';

export interface Params {
  shingle: ShingleKind;
  ngram: number;
  numPerm: number;
  /** How signatures were computed (see SketchKind). */
  sketch: SketchKind;
  bands: number;
  rows: number;
  threshold: number;
  seed: number;
  /** Probability asked of the banding that a pair exactly at the threshold becomes a candidate. */
  recall: number;
  compare: CompareKind;
  keep: KeepKind;
  /** The banding's S-curve: candidate probability at T − 0.1, T and T + 0.05. */
  sCurve: Array<{ similarity: number; probability: number }>;
  /** What `pairs` holds: a spanning set per cluster (default) or every verified pair (--all-pairs). See Report.pairs. */
  pairs: 'spanning' | 'all';
  /** Only with --containment: the containment threshold (see Report.containments). */
  containment?: number;
  /**
   * Only with --containment: the bands × rows the containment search uses against a partition whose
   * largest document is `ratio` times the size of the smaller one, and the probability that a pair
   * exactly at the threshold (with that ratio) becomes a candidate.
   */
  containmentCurve?: Array<{ ratio: number; bands: number; rows: number; probability: number }>;
}

export interface SegmentReport extends Segment {
  /** The first words of the segment, to recognise it by. */
  preview: string;
  /** The segment's full text, only with --show-boilerplate. */
  text?: string;
}

export type Side = 'incoming' | 'baseline';

export interface DocumentReport {
  path: string;
  /** The same file's other paths (symlinks to it, hard links); absent when it has none. */
  aliases?: string[];
  /** Only with --against. */
  side?: Side;
  /** The text read from stdin (the path `-`), not a file: `paths` never lists it. */
  stdin?: boolean;
  /** A record of a record file (JSONL, JSON, CSV, TSV, Parquet): `path` is `file#id`. */
  record?: { file: string; id: string; position: number; line?: number };
  bytes: number;
  /** Every line, blank ones included: `counts.bodyLines + counts.boilerplateLines + counts.blankLines`. */
  lines: number;
  /** Shingles of the compared text (see `compared`). */
  shingles: number;
  /**
   * The text this document was compared on: its body, or its full text (asked for, boilerplate
   * detection off, or a detected body too small to trust), and why in words.
   */
  compared: CompareKind;
  comparedReason: string;
  /** How its lines were read: one paragraph per line, or hard-wrapped at `width` and joined into `blocks`. */
  layout?: { kind: 'lines' | 'wrapped'; width?: number; blocks: number };
  segments: SegmentReport[];
  /**
   * Non-blank lines per kind, and boilerplate lines per category; `blankLines` the blank (empty or
   * whitespace-only) lines, so that the three add up to `lines`.
   */
  counts: { bodyLines: number; boilerplateLines: number; blankLines: number; categories: Partial<Record<BoilerplateCategory, number>> };
}

export interface ClusterMember {
  path: string;
  /** Only with --against. */
  side?: Side;
  /** Exact Jaccard similarity to the representative (1 for the representative itself). */
  similarity: number;
  /** Joined through other members only: its own similarity to the representative is below the threshold. */
  belowThreshold: boolean;
  /**
   * Identical to the representative: the same normalised full text (the same words in the same
   * order; case, punctuation, spacing and line breaks aside). Its similarity is then 1. On the
   * representative itself: it has an identical copy in the cluster.
   */
  exact: boolean;
  /** With --diff (and in the HTML report): what differs from the representative, word by word. Absent on the representative. */
  diff?: MemberDiff;
}

/** One passage of a diff: text both share, or words only the member has (`added`) or only the representative has (`removed`). */
export interface DiffPart {
  op: 'same' | 'added' | 'removed';
  text: string;
  /** Words of a long added or removed passage left out of `text` (its middle, shown as `…`). */
  omittedWords?: number;
}

/** A changed passage with a few words of context, and where it starts in each document (1-based lines). */
export interface DiffHunk {
  line: number;
  representativeLine: number;
  parts: DiffPart[];
}

/**
 * A member's compared text against the representative's, word by word (the `diff` package's
 * diffWords; case, spacing and line breaks aside), condensed to the changed passages.
 */
export interface MemberDiff {
  /** No word differs in the text diffed (always so for an exact copy, which is not diffed). */
  identical: boolean;
  /**
   * The text diffed: both bodies, or both full texts when either document was compared on its
   * full text; also the full texts when the bodies have the same words (`sameBody`), so that the
   * boilerplate one copy adds shows.
   */
  diffed: CompareKind;
  /** The bodies have the same words: the hunks are of the full texts. */
  sameBody?: boolean;
  /** Words only the member has, and words only the representative has (absent with `tooManyChanges`). */
  addedWords?: number;
  removedWords?: number;
  hunks: DiffHunk[];
  /** Changed passages over the cap per member, not listed. */
  omittedHunks: number;
  /** The texts differ in too many places to diff at a bounded cost: no hunks (the similarity still holds). */
  tooManyChanges?: boolean;
}

export interface SegmentDifference {
  category: BoilerplateCategory;
  startLine: number;
  endLine: number;
}

export interface MemberDifference {
  path: string;
  /** Boilerplate this member has and the representative lacks. */
  adds: SegmentDifference[];
  /** Boilerplate the representative has and this member lacks. */
  lacks: SegmentDifference[];
}

export interface Cluster {
  id: number;
  representative: string;
  members: ClusterMember[];
  /** Boilerplate categories every member carries. */
  sharedBoilerplate: BoilerplateCategory[];
  differences: MemberDifference[];
  /** Every member has the same normalised full text: a cluster of identical copies. */
  exact: boolean;
}

export interface Pair {
  a: string;
  b: string;
  /** Only with --against: which side each document is on. */
  aSide?: Side;
  bSide?: Side;
  /** Exact Jaccard similarity of the compared text (see params.compare). */
  similarity: number;
  bodySimilarity: number;
  fullSimilarity: number;
  /**
   * |A ∩ B| / min(|A|, |B|) of the sets `similarity` was measured on: 1 when the smaller document's
   * shingles all lie in the larger (an excerpt, a digest). Absent from reports made before it existed.
   */
  containment?: number;
  /** The two documents have the same normalised full text (all three similarities are then 1). */
  exact: boolean;
}

/** One document lying inside another (--containment): not a cluster, a relation between two documents. */
export interface Containment {
  /** The document with the smaller shingle set. */
  contained: string;
  container: string;
  /** Only with --against. */
  containedSide?: Side;
  containerSide?: Side;
  /** |A ∩ B| / |A| of the compared shingle sets, A the contained document's: at least params.containment. */
  containment: number;
  /** Exact Jaccard similarity of the same sets (below the threshold, or the two would be one cluster). */
  similarity: number;
}

export interface Summary {
  documents: number;
  clusters: number;
  /**
   * Documents that duplicate their cluster's representative (cluster sizes minus one); with
   * --against, only incoming documents count.
   */
  duplicates: number;
  /** Documents in no cluster. */
  unique: number;
  /** Files not analysed: binary or unreadable. */
  skipped: number;
  /**
   * Only with --containment: documents found inside another that are not already duplicates (each
   * containment's contained document; with --against, its incoming document). The gate counts
   * them with the duplicates.
   */
  contained?: number;
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: string; version: string };
  params: Params;
  documents: DocumentReport[];
  clusters: Cluster[];
  /**
   * Verified pairs (similarity ≥ threshold, or identical), sorted by input order. By default
   * (params.pairs "spanning") at most 2(n − 1) per cluster of n: each member's pair with its
   * representative, where that pair is at the threshold or identical, plus the pairs that joined
   * the cluster (a spanning tree: identical copies to the first copy, and the verified pairs that
   * merged two parts). With --all-pairs (params.pairs "all"): every verified pair, n(n − 1)/2 for
   * a cluster of n identical copies.
   */
  pairs: Pair[];
  /**
   * Only with --containment T: pairs where at least T of the smaller document's shingles lie in
   * the larger's, for documents not in one cluster, sorted by input order. At most 20 per contained
   * document (a warning says when more were found). They do not join clusters.
   */
  containments?: Containment[];
  summary: Summary;
  warnings: Warning[];
}
