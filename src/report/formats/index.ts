import type { FormatName } from '../../options/kinds.js';
import { formatCodeClimate } from './codeclimate.js';
import { formatGithub } from './github.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatNdjson } from './ndjson.js';
import { formatPaths } from './paths.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';
import type { Reporter } from './context.js';

export type { Reporter, ReporterContext } from './context.js';

export const REPORTERS = {
  text: formatText,
  json: formatJson,
  ndjson: formatNdjson,
  sarif: formatSarif,
  github: formatGithub,
  markdown: formatMarkdown,
  codeclimate: formatCodeClimate,
  junit: formatJunit,
  paths: formatPaths,
  html: formatHtml,
} satisfies Record<FormatName, Reporter>;

export { FORMAT_NAMES, type FormatName } from '../../options/kinds.js';
