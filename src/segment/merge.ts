// Runs of consecutive lines with the same label become segments.

import { SegmentEvidence } from './reasons.js';
import type { LineLabel, Segment } from './types.js';

/**
 * Merge labelled lines into segments with 1-based inclusive line ranges. Consecutive non-blank
 * lines with the same kind and category form one segment; blank lines belong to no segment and
 * do not break a run (a blank line between two lines of one segment lies inside its range, a
 * blank line at a boundary lies in none). Confidence is the mean of the lines'; reasons are the
 * lines' evidence aggregated, one entry per kind (see SegmentEvidence), or for labels that carry
 * no evidence their reason strings, most frequent first.
 */
export function mergeSegments(labels: readonly LineLabel[]): Segment[] {
  const segments: Segment[] = [];
  let open: { start: number; end: number; label: LineLabel; confidence: number; lines: number; evidence: SegmentEvidence } | null = null;
  const close = (): void => {
    if (!open) return;
    const kind = open.label.kind === 'body' ? 'body' : 'boilerplate';
    const seg: Segment = {
      startLine: open.start + 1,
      endLine: open.end + 1,
      kind,
      confidence: Math.round((open.confidence / open.lines) * 1000) / 1000,
      reasons: open.evidence.reasons(kind),
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
      open = { start: i, end: i, label, confidence: 0, lines: 0, evidence: new SegmentEvidence() };
    }
    open.confidence += label.confidence;
    open.lines++;
    open.evidence.add(label);
  }
  close();
  return segments;
}
