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
 * document of a containment, never a baseline document, and only while one of its containers is
 * a file that stays. A container that is dropped itself (a duplicate in `dropped`, or contained in
 * turn), or the text read from stdin, keeps nothing: dropping what it holds would leave no file
 * with that text. Containers are the larger documents, so taken largest first each one's fate is
 * settled before the documents inside it are judged.
 */
export function containedToDrop(report: Pick<Report, 'containments' | 'documents'>, dropped: ReadonlySet<string> = new Set()): string[] {
  const containers = new Map<string, string[]>();
  for (const c of report.containments ?? []) {
    if (c.containedSide === 'baseline') continue;
    const list = containers.get(c.contained);
    if (list) list.push(c.container);
    else containers.set(c.contained, [c.container]);
  }
  const documents = new Map(report.documents.map((d) => [d.path, d]));
  const size = (path: string) => documents.get(path)?.shingles ?? 0;
  const gone = new Set(dropped);
  const out = new Set<string>();
  const largestFirst = [...containers.keys()].sort((a, b) => size(b) - size(a) || (a < b ? -1 : a > b ? 1 : 0));
  for (const contained of largestFirst) {
    if (gone.has(contained)) continue;
    if (!containers.get(contained)!.some((c) => !gone.has(c) && !documents.get(c)?.stdin)) continue;
    gone.add(contained);
    out.add(contained);
  }
  return [...containers.keys()].filter((path) => out.has(path));
}

/** A containment's stable identity (which document lies in which): SARIF's partialFingerprints, Code Quality's fingerprint. */
export function containmentFingerprint(c: Pick<Containment, 'contained' | 'container'>): string {
  return createHash('sha256').update(`${c.contained}\0${c.container}`).digest('hex').slice(0, 32);
}
