import { visible } from '../escape.js';
import type { Report } from '../types.js';
import { duplicatesOf, type Duplicate } from '../duplicates.js';
import { locator } from '../location.js';

// Workflow commands: `::warning file=F,line=1,title=T::message`. The escaping is @actions/core's
// (toCommandValue, escapeData, escapeProperty in packages/core/src/command.ts), which the runner undoes.

/** Escape a command's message: `%`, CR and LF. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value: as escapeData, and also `:` and `,`, which delimit properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const plural = (n: number, word: string) => `${n} ${n === 1 ? word : `${word}s`}`;

function annotation(dup: Duplicate, report: Report, locate: ReturnType<typeof locator>): string {
  const { cluster, member } = dup;
  // The log shows the message and title, and renders ANSI escapes: paths go in with control
  // characters made visible (so does file=, though such a name then no longer matches the file).
  // CR and LF round-trip: escapeData encodes them, and the runner decodes them.
  const path = visible(member.path, { keepLineBreaks: true });
  const representative = visible(cluster.representative, { keepLineBreaks: true });
  const exact = member.exact || member.similarity === 1;
  const text = report.params.compare === 'body' ? 'the article body' : 'the full text';
  const message =
    `${path} is ${exact ? 'an exact duplicate' : 'a near-duplicate'} of ${representative} ` +
    `(Jaccard similarity ${member.similarity.toFixed(3)} on ${text}); keep ${representative}` +
    (cluster.members.length > 2 ? ` (cluster ${cluster.id} has ${cluster.members.length} documents)` : '') +
    (member.belowThreshold ? `; joined the cluster through other members, below the threshold ${report.params.threshold}` : '') +
    '.';
  const title = `${exact ? 'Exact duplicate' : 'Near-duplicate'} of ${representative}`;
  // A record points at its record file (and its line in JSONL).
  const at = locate(member.path);
  const file = at.file === member.path ? path : visible(at.file, { keepLineBreaks: true });
  return `::warning file=${escapeProperty(file)},line=${at.line},title=${escapeProperty(title)}::${escapeData(message)}`;
}

/**
 * GitHub Actions workflow annotations: one warning per duplicate document, then a one-line summary
 * (a run shows only the first few annotations of a step).
 */
export function formatGithub(report: Report): string {
  const duplicates = duplicatesOf(report);
  const locate = locator(report);
  const lines = duplicates.map((d) => annotation(d, report, locate));
  const documents = plural(report.summary.documents, 'document');
  if (duplicates.length === 0) {
    lines.push(`dedupe: no near-duplicates in ${documents}`);
  } else {
    const clusters = new Set(duplicates.map((d) => d.cluster.id)).size;
    lines.push(
      `dedupe: ${plural(duplicates.length, 'near-duplicate')} in ${plural(clusters, 'cluster')} ` +
        `(${documents}, threshold ${report.params.threshold})`,
    );
  }
  return `${lines.join('\n')}\n`;
}
