import type { DocumentSketch } from '../core/document.js';
import type { SourceDocument } from '../input/read.js';
import type { DocumentReport } from './types.js';

const PREVIEW_WORDS = 8;
const PREVIEW_CHARS = 60;

const WORD = /\S+/gu;

/** The first words of a segment, to recognise it by in a report. */
export function preview(line: string): string {
  // Only the first PREVIEW_WORDS words are looked at: the line may be a whole paragraph.
  const words: string[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(line); m !== null && words.length < PREVIEW_WORDS; m = WORD.exec(line)) words.push(m[0]);
  let text = words.join(' ');
  if (text.length > PREVIEW_CHARS) text = text.slice(0, PREVIEW_CHARS - 1).trimEnd();
  return text.length < line.trim().length ? `${text}…` : text;
}

export function describeDocument(
  source: SourceDocument,
  lines: readonly string[],
  sketch: Pick<DocumentSketch, 'segments' | 'shingles' | 'compared' | 'comparedReason' | 'layout'>,
  withText: boolean,
): DocumentReport {
  const counts: DocumentReport['counts'] = { bodyLines: 0, boilerplateLines: 0, blankLines: 0, categories: {} };
  for (const line of lines) if (line.trim() === '') counts.blankLines++;
  const segments = sketch.segments.map((segment) => {
    // A segment's range may hold blank lines between its lines; only non-blank ones count.
    let nonBlank = 0;
    for (let i = segment.startLine - 1; i < segment.endLine; i++) if ((lines[i] ?? '').trim() !== '') nonBlank++;
    if (segment.kind === 'body') counts.bodyLines += nonBlank;
    else {
      counts.boilerplateLines += nonBlank;
      const category = segment.category ?? 'navigation';
      counts.categories[category] = (counts.categories[category] ?? 0) + nonBlank;
    }
    return {
      ...segment,
      preview: preview(lines[segment.startLine - 1] ?? ''),
      ...(withText ? { text: lines.slice(segment.startLine - 1, segment.endLine).join('\n') } : {}),
    };
  });
  return {
    path: source.path,
    ...(source.aliases?.length ? { aliases: [...source.aliases] } : {}),
    ...(source.stdin ? { stdin: true } : {}),
    ...(source.record ? { record: { ...source.record } } : {}),
    bytes: source.bytes,
    lines: lines.length,
    shingles: sketch.shingles.length,
    compared: sketch.compared,
    comparedReason: sketch.comparedReason,
    ...(sketch.layout ? { layout: sketch.layout } : {}),
    segments,
    counts,
  };
}
