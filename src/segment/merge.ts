// Runs of consecutive lines with the same label become segments.

import type { LineLabel, Segment } from './types.js';

/** Most reasons kept per segment (the most frequent first). */
const MAX_REASONS = 6;

/**
 * Merge labelled lines into segments with 1-based inclusive line ranges. Consecutive non-blank
 * lines with the same kind and category form one segment; blank lines belong to no segment and
 * do not break a run (a blank line between two lines of one segment lies inside its range, a
 * blank line at a boundary lies in none). Confidence is the mean of the lines'; reasons are the
 * lines' reasons, most frequent first.
 */
export function mergeSegments(labels: readonly LineLabel[]): Segment[] {
  const segments: Segment[] = [];
  let open: { start: number; end: number; label: LineLabel; confidence: number; lines: number; reasons: Map<string, number> } | null = null;
  const close = (): void => {
    if (!open) return;
    const reasons = [...open.reasons.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_REASONS)
      .map(([r]) => r);
    const seg: Segment = {
      startLine: open.start + 1,
      endLine: open.end + 1,
      kind: open.label.kind === 'body' ? 'body' : 'boilerplate',
      confidence: Math.round((open.confidence / open.lines) * 1000) / 1000,
      reasons,
    };
    if (seg.kind === 'boilerplate' && open.label.category) seg.category = open.label.category;
    segments.push(seg);
    open = null;
  };
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as LineLabel;
    if (label.kind === 'blank') continue;
    if (open && open.label.kind === label.kind && open.label.category === label.category) {
      open.end = i;
    } else {
      close();
      open = { start: i, end: i, label, confidence: 0, lines: 0, reasons: new Map() };
    }
    open.confidence += label.confidence;
    open.lines++;
    for (const r of label.reasons) open.reasons.set(r, (open.reasons.get(r) ?? 0) + 1);
  }
  close();
  return segments;
}
