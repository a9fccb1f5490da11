// Public types of the boilerplate segmentation stage.

import type { Layout } from '../layout/index.js';

/**
 * Categories are only ever added, never renamed. `header`, `quote` and `signature` come from mail
 * and Usenet structure: a leading header block, quoted text with its attribution line, and the
 * text after a `-- ` signature delimiter.
 */
export type BoilerplateCategory =
  | 'promo' | 'newsletter' | 'bio' | 'legal' | 'credit' | 'navigation' | 'header' | 'quote' | 'signature';

/** The decision for one line of a document. Blank lines are `blank` and belong to no segment. */
export interface LineLabel {
  kind: 'body' | 'boilerplate' | 'blank';
  category?: BoilerplateCategory;
  /** In [0, 1]: how sure the classifier is of `kind` (and of `category` for boilerplate). */
  confidence: number;
  /** Human-readable evidence, e.g. `cue:"free trial"`, `stopword density 0.08`. */
  reasons: string[];
  /**
   * The evidence behind `reasons` as numbers (set by classifyLines), so that mergeSegments can
   * aggregate it over a segment's lines. Labels without it are merged by their reason strings.
   */
  evidence?: LineEvidence;
}

/** What a line's reasons are made of. */
export interface LineEvidence {
  /** The context rule that placed the line (see CONTEXT in reasons.ts), or -1 when none shows. */
  context: number;
  /** The line's score (quoted with the "boilerplate neighbours" rule). */
  score: number;
  words: number;
  stopwordDensity: number;
  linkDensity: number;
  /** Ends like a sentence. */
  terminal: boolean;
  /** The cue phrase found, for boilerplate lines. */
  cue: string | null;
  /** Reads like a call to action (a boilerplate line without a cue). */
  callToAction: boolean;
  /** Distinct documents the line recurs in (0: not a template line). */
  repeated: number;
}

/** A run of consecutive non-blank lines with the same label; lines are 1-based and inclusive. */
export interface Segment {
  startLine: number;
  endLine: number;
  kind: 'body' | 'boilerplate';
  category?: BoilerplateCategory;
  confidence: number;
  /**
   * The evidence of its lines, one entry per kind, most informative first (at most six): e.g.
   * `repeated in 14 documents`, `cue:"free trial" (2 of 3 lines)`, `in the main text block`,
   * `stopword density 0.31` (mean), `12 words per line` (mean).
   */
  reasons: string[];
}

export interface ClassifyOptions {
  /**
   * Corpus evidence: 0-based line index -> number of distinct non-duplicate documents the line
   * recurs in. Only lines judged template (see findTemplateLines) are present.
   */
  templateCounts?: ReadonlyMap<number, number>;
  /**
   * normaliseText of each line, if the caller has it already (saves normalising twice). Must be
   * exactly normaliseText(lines[i]).
   */
  normalised?: readonly string[];
  /** tokenise of each normalised line, if the caller has it already (with `normalised`). */
  tokens?: readonly (readonly string[])[];
  /**
   * hashString of each word of tokenise(normalised[i]), line i's from `lineStart[i]` (with
   * `normalised`): saves tokenising and hashing them again for the stopword and cue lookups.
   */
  tokenHashes?: { hashes: Uint32Array; lineStart: Uint32Array };
  /** The document's layout (detectLayout of `lines`), if the caller has it already. */
  layout?: Layout;
}
