import type { Report } from '../types.js';
import { formatJson } from './json.js';
import { formatText } from './text.js';

export interface ReporterContext {
  color: boolean;
  /** -v: show the reasons behind every label. */
  verbose: boolean;
  /** --show-boilerplate: print boilerplate segments in full. */
  showBoilerplate: boolean;
  /** --null: end each path with NUL instead of a newline (paths format). */
  nul?: boolean;
  /** --keep: list the files to keep instead of those to drop (paths format). */
  listKept?: boolean;
}

/** A reporter turns the report into the text of one output format; the CLI decides where it goes. */
export type Reporter = (report: Report, ctx: ReporterContext) => string;

export const REPORTERS = {
  text: formatText,
  json: formatJson,
} satisfies Record<string, Reporter>;

export type FormatName = keyof typeof REPORTERS;
export const FORMAT_NAMES = Object.keys(REPORTERS) as FormatName[];
