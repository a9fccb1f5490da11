// The library's public entry. Stage internals (sketches, LSH banding, shingles) are in 'dedupe/lowlevel'.
export {
  analyse,
  analyseFiles,
  extractBody,
  extractBodies,
  formatReport,
  exitCodeFor,
  resolveOptions,
  type Source,
  type Options,
  type RunOptions,
  type AnalyseOptionsInput,
  type FileOptions,
  type FormatOptions,
  type ExitCodeOptions,
  type BodyResult,
} from './api.js';
export { DedupeError, type DedupeErrorCode } from './types/errors.js';
export { STAGES, type Stage, type ProgressCallback } from './types/progress.js';
export { DEFAULT_OPTIONS, type AnalyseOptions } from './core/options.js';
export { FORMAT_NAMES, type FormatName } from './report/formats/index.js';
export type { BoilerplateCategory, Segment } from './segment/index.js';
export type * from './report/types.js';
