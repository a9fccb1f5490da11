import type { FormatName } from '../../options/kinds.js';
import type { Report } from '../types.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatNdjson } from './ndjson.js';
import { formatPaths } from './paths.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

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
}

/** A reporter turns the report into the text of one output format; the CLI decides where it goes. */
export type Reporter = (report: Report, ctx: ReporterContext) => string;

export const REPORTERS = {
  text: formatText,
  json: formatJson,
  ndjson: formatNdjson,
  sarif: formatSarif,
  github: formatGithub,
  paths: formatPaths,
} satisfies Record<FormatName, Reporter>;

export { FORMAT_NAMES, type FormatName } from '../../options/kinds.js';
