import { containedToDrop } from '../contained.js';
import { duplicatesOf } from '../duplicates.js';
import type { Report } from '../types.js';
import type { ReporterContext } from './context.js';

/**
 * The files to drop, in cluster order: the duplicates that are near-duplicates of the copy kept;
 * with `dropContained`, then the contained documents (--containment) whose text a file that stays
 * holds (containedToDrop). A member joined to its cluster only through other members
 * (`belowThreshold`) is not listed: it is no near-duplicate of the copy kept and may hold text no
 * kept file has (in a chain a ~ b ~ c, c may share nothing with a). It is listed for review in
 * every report, never for deletion.
 */
export function droppedPaths(report: Report, dropContained = false): string[] {
  const duplicates = duplicatesOf(report)
    .filter((d) => !d.member.belowThreshold)
    .map((d) => d.member.path);
  if (!dropContained) return duplicates;
  return [...duplicates, ...containedToDrop(report, new Set(duplicates))];
}

/**
 * The files to keep, in document order: the incoming documents that are not dropped (the
 * representatives and the documents in no cluster; with `dropContained`, not contained in
 * another either). Baseline documents are not listed.
 */
export function keptPaths(report: Report, dropContained = false): string[] {
  const dropped = new Set(droppedPaths(report, dropContained));
  return report.documents.filter((d) => d.side !== 'baseline' && !dropped.has(d.path)).map((d) => d.path);
}

/**
 * One path per line: the files to drop (or with --list-kept, the files to keep). With -0 each path ends
 * with NUL instead, for `xargs -0`: the only safe choice when a file name may hold a newline.
 * A document's aliases (its other names: symlinks, hard links) follow its path, so removing the
 * listed paths removes every name of a dropped copy. A kept document's aliases are never listed
 * for dropping: they are the kept file itself.
 */
export function formatPaths(report: Report, ctx: ReporterContext): string {
  const aliases = new Map(report.documents.map((d) => [d.path, d.aliases ?? []]));
  // The text read from stdin is no file: its name is never listed (`rm -- -` would remove a file named -).
  const stdin = new Set(report.documents.filter((d) => d.stdin).map((d) => d.path));
  const drop = Boolean(ctx.dropContained);
  const documents = (ctx.listKept ? keptPaths(report, drop) : droppedPaths(report, drop)).filter((p) => !stdin.has(p));
  const paths = documents.flatMap((p) => [p, ...(aliases.get(p) ?? [])]);
  const end = ctx.nul ? '\0' : '\n';
  return paths.map((p) => p + end).join('');
}
