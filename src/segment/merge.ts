// Runs of consecutive lines with the same label become segments.

import { round } from '../types/numbers.js';
import { SegmentEvidence } from './reasons.js';
import type { BoilerplateCategory, LineLabel, Segment } from './types.js';

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
    const body = open.label.kind === 'body';
    segments.push(closeSegment(open.start + 1, open.end + 1, body, open.label.category, open.confidence / open.lines, open.evidence));
    open = null;
  };
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as LineLabel;
    if (label.kind === 'blank') continue;
    if (open && open.label.kind === label.kind && open.label.category === label.category) {
      open.end = i;
    } else {
      close();
      open = { start: i, end: i, label, confidence: 0, lines: 0, evidence: SegmentEvidence.shared() };
    }
    open.confidence += label.confidence;
    open.lines++;
    open.evidence.add(label);
  }
  close();
  return segments;
}

/** A finished segment (1-based lines): its confidence is its lines' mean, to three decimals. */
export function closeSegment(
  startLine: number,
  endLine: number,
  body: boolean,
  category: BoilerplateCategory | undefined,
  meanConfidence: number,
  evidence: SegmentEvidence,
): Segment {
  const kind = body ? 'body' : 'boilerplate';
  const segment: Segment = {
    startLine,
    endLine,
    kind,
    confidence: round(meanConfidence, 3),
    reasons: evidence.reasons(kind),
  };
  if (!body && category) segment.category = category;
  return segment;
}
