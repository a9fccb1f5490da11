// Boilerplate segmentation: which lines of a document are article body, which are boilerplate
// (and of what kind), as segments with 1-based line ranges.

import { classifyLines } from './classify.js';
import { mergeSegments } from './merge.js';
import type { ClassifyOptions, LineLabel, Segment } from './types.js';

export type { BoilerplateCategory, ClassifyOptions, LineEvidence, LineLabel, Segment } from './types.js';
export { classifyLines, segmentLines } from './classify.js';
export { mergeSegments } from './merge.js';
export { findTemplateLines, mayBeTemplate, TEMPLATE_MAX_WORDS, TEMPLATE_MIN_WORDS, TEMPLATE_ROLES } from './template.js';

/** classifyLines then mergeSegments. */
export function segmentDocument(
  lines: readonly string[],
  options?: ClassifyOptions,
): { labels: LineLabel[]; segments: Segment[] } {
  const labels = classifyLines(lines, options);
  return { labels, segments: mergeSegments(labels) };
}
