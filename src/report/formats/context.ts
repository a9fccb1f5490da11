import type { Report } from '../types.js';

export interface ReporterContext {
  color: boolean;
  /** -v: show the reasons behind every label. */
  verbose: boolean;
  /** --show-boilerplate: print boilerplate segments in full. */
  showBoilerplate: boolean;
  /** -0/--null, for `paths`: end each path with NUL instead of a newline (for `xargs -0`). */
  nul?: boolean;
  /** --keep, for `paths`: list the files to keep instead of the files to drop. */
  listKept?: boolean;
  /** --drop-contained, for `paths`: contained documents (--containment) are copies to drop too. */
  dropContained?: boolean;
}

/** A reporter turns the report into the text of one output format; the CLI decides where it goes. */
export type Reporter = (report: Report, ctx: ReporterContext) => string;
