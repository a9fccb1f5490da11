// Public types of the boilerplate segmentation stage.

export type BoilerplateCategory = 'promo' | 'newsletter' | 'bio' | 'legal' | 'credit' | 'navigation';

/** The decision for one line of a document. Blank lines are `blank` and belong to no segment. */
export interface LineLabel {
  kind: 'body' | 'boilerplate' | 'blank';
  category?: BoilerplateCategory;
  /** In [0, 1]: how sure the classifier is of `kind` (and of `category` for boilerplate). */
  confidence: number;
  /** Human-readable evidence, e.g. `cue:"free trial"`, `stopword density 0.08`. */
  reasons: string[];
}

/** A run of consecutive non-blank lines with the same label; lines are 1-based and inclusive. */
export interface Segment {
  startLine: number;
  endLine: number;
  kind: 'body' | 'boilerplate';
  category?: BoilerplateCategory;
  confidence: number;
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
}
