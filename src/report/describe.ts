import type { DocumentSketch } from '../core/document.js';
import type { SourceDocument } from '../input/read.js';
import type { DocumentReport } from './types.js';
import type { Segment } from '../segment/index.js';
import { gallop } from '../verify/containment.js';

/** Blank lines in [start, end) of a sorted list of blank line numbers. */
const blanksIn = (blank: Uint32Array, start: number, end: number) => gallop(blank, 0, end) - gallop(blank, 0, start);

/**
 * A document as the report shows it, from its sketch alone: `lines` (the document's lines) only
 * when each segment's text is wanted (--show-boilerplate, the HTML report).
 */
export function describeDocument(
  source: SourceDocument,
  sketch: Pick<DocumentSketch, 'segments' | 'previews' | 'blankLines' | 'lineCount' | 'shingles' | 'compared' | 'comparedReason' | 'layout'>,
  lines?: readonly string[],
): DocumentReport {
  // Read once each: a kept sketch makes its arrays, segments and previews when read.
  const { blankLines, previews } = sketch;
  const counts: DocumentReport['counts'] = { bodyLines: 0, boilerplateLines: 0, blankLines: blankLines.length, categories: {} };
  const segments = sketch.segments.map((segment, s) => {
    // A segment's range may hold blank lines between its lines; only non-blank ones count.
    const nonBlank = segment.endLine - segment.startLine + 1 - blanksIn(blankLines, segment.startLine - 1, segment.endLine);
    if (segment.kind === 'body') counts.bodyLines += nonBlank;
    else {
      counts.boilerplateLines += nonBlank;
      const category = segment.category ?? 'navigation';
      counts.categories[category] = (counts.categories[category] ?? 0) + nonBlank;
    }
    // Key by key rather than {...segment, preview}: V8 gave each spread copy a hidden class of its
    // own (110,000 segments on 42,000 files: 28 MB of shapes); these share them.
    const described: Record<string, unknown> = {};
    for (const key of Object.keys(segment)) described[key] = segment[key as keyof Segment];
    described.preview = previews[s] as string;
    if (lines) described.text = lines.slice(segment.startLine - 1, segment.endLine).join('\n');
    return described as unknown as DocumentReport['segments'][number];
  });
  return {
    path: source.path,
    ...(source.aliases?.length ? { aliases: [...source.aliases] } : {}),
    ...(source.stdin ? { stdin: true } : {}),
    ...(source.record ? { record: { ...source.record } } : {}),
    bytes: source.bytes,
    lines: sketch.lineCount,
    shingles: sketch.shingles.length,
    compared: sketch.compared,
    comparedReason: sketch.comparedReason,
    ...(sketch.layout ? { layout: sketch.layout } : {}),
    segments,
    counts,
  };
}
