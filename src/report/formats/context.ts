import type { Report } from '../types.js';

export interface ReporterContext {
  color: boolean;
  /** -v: show the reasons behind every label. */
  verbose: boolean;
  /** --show-boilerplate: print boilerplate segments in full (and every document's, not the first few). */
  showBoilerplate: boolean;
  /** -0/--null, for `paths`: end each path with NUL instead of a newline (for `xargs -0`). */
  nul?: boolean;
  /** --list-kept, for `paths`: list the files to keep instead of the files to drop. */
  listKept?: boolean;
  /** --drop-contained, for `paths`: contained documents (--containment) are copies to drop too. */
  dropContained?: boolean;
  /** --max-clusters, for `text`: show the first n clusters (largest first), the rest in one line; 0 or absent shows all. */
  maxClusters?: number;
  /** --show-unique, for `text`: list every document in no cluster, not the first few lines. */
  showUnique?: boolean;
  /** --summary, for `text`: the counts alone. */
  summaryOnly?: boolean;
  /**
   * --root, for `sarif`: the absolute directory the report's relative paths start from, declared
   * as `%SRCROOT%` in `originalUriBaseIds`. Absent: the base is left for the consumer to supply.
   */
  root?: string;
}

/** A reporter turns the report into the text of one output format; the CLI decides where it goes. */
export type Reporter = (report: Report, ctx: ReporterContext) => string;
