// dedupe/lowlevel: the pipeline's stages one by one, for benchmarks, experiments and other
// pipelines. Not covered by semver as the main entry is: names and shapes follow the code.
//
// Text → prepareDocument (lines, normalised tokens, hashed units) → shingleHashes (sorted unique
// Uint32Array) → a Sketcher (sketcherFor: 'oph' or 'minhash') writes numPerm slots per document
// into one flat Uint32Array → chooseBands + candidatePairs / forEachCandidate (LSH banding) →
// exactJaccard to verify → UnionFind for clusters.

// Text
export { documentLines, prepareDocument, bodyLineMask, type PreparedDocument, type ShingleKind } from './core/document.js';
export { normaliseText, splitLines } from './normalise/normalise.js';
export { tokenise } from './tokenise/tokenise.js';
export { hashString } from './tokenise/hash.js';
// Shingles and sketches
export { shingleHashes } from './shingle/shingle.js';
export { sketcherFor, SKETCH_KINDS, MinHasher, OnePermutationHasher, estimateJaccard, EMPTY_SLOT, type Sketcher, type SketchKind } from './sketch/index.js';
// Candidates, verification, clusters
export { chooseBands, candidateProbability, candidatePairs, forEachCandidate, type BandParams, type CandidateFilters } from './candidates/lsh.js';
export { exactJaccard } from './verify/jaccard.js';
export { UnionFind } from './cluster/union-find.js';
// The boilerplate classifier's parts, for fitting its weights (scripts/fit-boilerplate.js)
export { segmentLines, classifyLines, type Segment, type LineLabel, type ClassifyOptions } from './segment/index.js';
export { headlineCandidates, lineFeatureVector, segmentWith } from './segment/classify.js';
export { extractFeatures } from './segment/features.js';
export { unitsOf } from './segment/units.js';
export { DEFAULT_PARAMS, HEADLINE_WEIGHT_NAMES, HEADLINE_WEIGHTS, LINE_WEIGHT_NAMES } from './segment/params.js';
export { detectLayout, type Layout } from './layout/index.js';
// Helpers the scripts share: rounding, a seeded generator, the default thread count.
export { round, mulberry32 } from './types/numbers.js';
export { defaultThreads } from './core/parallel.js';
