import { createHash } from 'node:crypto';
import type { Containment, Report } from './types.js';

// What a containment means for the gate and for `paths`: the one definition, next to duplicates.ts.

/**
 * The document a containment is a finding about: the contained one, or with --against, when the
 * contained document is already in the baseline, the incoming document that holds it.
 */
export function containmentFinding(c: Pick<Containment, 'contained' | 'container' | 'containedSide'>): string {
  return c.containedSide === 'baseline' ? c.container : c.contained;
}

/**
 * Contained documents to drop (--drop-contained), in containment order, each once: the contained
 * document of each containment, never a baseline document. Its text lives on in the container.
 */
export function containedToDrop(report: Pick<Report, 'containments'>): string[] {
  const out = new Set<string>();
  for (const c of report.containments ?? []) if (c.containedSide !== 'baseline') out.add(c.contained);
  return [...out];
}

/** A containment's stable identity (which document lies in which): SARIF's partialFingerprints, Code Quality's fingerprint. */
export function containmentFingerprint(c: Pick<Containment, 'contained' | 'container'>): string {
  return createHash('sha256').update(`${c.contained}\0${c.container}`).digest('hex').slice(0, 32);
}
