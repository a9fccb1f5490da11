// The library surface: the pure core and the report types, for use without the CLI.
export { extractBodies } from './core/analyse.js';
export { analyseCorpus } from './report/build.js';
export { DEFAULT_OPTIONS, validateOptions, type AnalyseOptions } from './core/options.js';
export { prepareDocument } from './core/document.js';
export { chooseBands, candidatePairs, candidateProbability, forEachCandidate } from './candidates/lsh.js';
export { MinHasher, estimateJaccard } from './sketch/minhash.js';
export { shingleHashes } from './shingle/shingle.js';
export { exactJaccard } from './verify/jaccard.js';
export { REPORTERS, type Reporter, type ReporterContext, type FormatName } from './report/formats/index.js';
export type * from './report/types.js';
export type { SourceDocument } from './input/read.js';
