import type { PreparedDocument } from '../core/document.js';
import type { SourceDocument } from '../input/read.js';
import { mergeSegments, type LineLabel } from '../segment/index.js';
import type { DocumentReport } from './types.js';

const PREVIEW_WORDS = 8;
const PREVIEW_CHARS = 60;

/** The first words of a segment, to recognise it by in a report. */
export function preview(line: string): string {
  const words = line.trim().split(/\s+/u);
  let text = words.slice(0, PREVIEW_WORDS).join(' ');
  if (text.length > PREVIEW_CHARS) text = text.slice(0, PREVIEW_CHARS - 1).trimEnd();
  return text.length < line.trim().length ? `${text}…` : text;
}

export function describeDocument(
  source: SourceDocument,
  doc: PreparedDocument,
  labels: readonly LineLabel[],
  shingles: number,
  withText: boolean,
): DocumentReport {
  const counts: DocumentReport['counts'] = { bodyLines: 0, boilerplateLines: 0, categories: {} };
  for (const label of labels) {
    if (label.kind === 'body') counts.bodyLines++;
    else if (label.kind === 'boilerplate') {
      counts.boilerplateLines++;
      const category = label.category ?? 'navigation';
      counts.categories[category] = (counts.categories[category] ?? 0) + 1;
    }
  }
  const segments = mergeSegments(labels).map((segment) => {
    const firstLine = doc.lines[segment.startLine - 1] ?? '';
    return {
      ...segment,
      preview: preview(firstLine),
      ...(withText ? { text: doc.lines.slice(segment.startLine - 1, segment.endLine).join('\n') } : {}),
    };
  });
  return { path: source.path, bytes: source.bytes, lines: doc.lines.length, shingles, segments, counts };
}
