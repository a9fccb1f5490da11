import { visible } from '../escape.js';
import { percent, plural } from '../numbers.js';
import type { Containment, Report } from '../types.js';
import type { Duplicate } from '../duplicates.js';
import { duplicatesByImportance } from '../order.js';
import { containedSentence, duplicateSentence, isExactDuplicate } from './wording.js';
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

/** GitHub shows at most 10 warning annotations per step (and 10 notices, 10 errors); later ones are dropped. */
export const MAX_ANNOTATIONS = 10;

function annotation(dup: Duplicate, report: Report, locate: ReturnType<typeof locator>): string {
  // The log shows the message and title, and renders ANSI escapes: paths go in with control
  // characters made visible (so does file=, though such a name then no longer matches the file).
  // CR and LF round-trip: escapeData encodes them, and the runner decodes them.
  const name = (path: string) => visible(path, { keepLineBreaks: true });
  const title = `${isExactDuplicate(dup) ? 'Exact duplicate' : 'Near-duplicate'} of ${name(dup.cluster.representative)}`;
  const message = duplicateSentence(dup, report, name);
  // A record points at its record file (and its line in JSONL).
  const at = locate(dup.member.path);
  return `::warning file=${escapeProperty(name(at.file))},line=${at.line},title=${escapeProperty(title)}::${escapeData(message)}`;
}

/** The notice after the capped warnings: how many are not annotated, and where the full list is. */
function overflowNotice(left: number, report: Report, noun: string): string {
  const title = `dedupe: ${plural(left, `more ${noun}`)} not annotated`;
  const total = report.summary.duplicates + (report.containments?.length ?? 0);
  const what = report.containments?.length ? plural(left, 'more finding') : `${plural(left, 'more document')} to drop`;
  const message =
    `GitHub shows ${MAX_ANNOTATIONS} warning annotations per step: ${what} ` +
    `(${total.toLocaleString('en-US')} in all) ${left === 1 ? 'is' : 'are'} listed in this step's log, and in the step summary ` +
    `when the workflow writes one with dedupe --format markdown >> "$GITHUB_STEP_SUMMARY".`;
  return `::notice title=${escapeProperty(title)}::${escapeData(message)}`;
}

function containedAnnotation(x: Containment, locate: ReturnType<typeof locator>): string {
  const name = (path: string) => visible(path, { keepLineBreaks: true });
  const container = name(x.container);
  const message = containedSentence(x, name);
  const at = locate(x.contained);
  return `::warning file=${escapeProperty(name(at.file))},line=${at.line},title=${escapeProperty(`Contained in ${container}`)}::${escapeData(message)}`;
}

/**
 * GitHub Actions workflow commands: a warning annotation for each of the first MAX_ANNOTATIONS
 * duplicate documents, most important first (see duplicatesByImportance); past that, one notice
 * counting the rest and a collapsed log group listing them; then one plain summary line.
 */
export function formatGithub(report: Report): string {
  const duplicates = duplicatesByImportance(report);
  const containments = report.containments ?? [];
  const locate = locator(report);
  // Duplicates first, then containments (--containment): one list of findings under one cap.
  const findings = [
    ...duplicates.map((d) => ({ annotation: () => annotation(d, report, locate), line: () => duplicateSentence(d, report, (path) => visible(path)) })),
    ...containments.map((x) => ({ annotation: () => containedAnnotation(x, locate), line: () => containedSentence(x, (path) => visible(path)) })),
  ];
  const lines = findings.slice(0, MAX_ANNOTATIONS).map((f) => f.annotation());
  const rest = findings.slice(MAX_ANNOTATIONS);
  if (rest.length) {
    const noun = containments.length ? 'finding' : 'near-duplicate';
    lines.push(overflowNotice(rest.length, report, noun));
    lines.push(`::group::${escapeData(`dedupe: ${plural(rest.length, `more ${noun}`)}`)}`);
    // Plain log lines, one per finding; each starts with "dedupe:", so no file name can begin a workflow command.
    for (const f of rest) lines.push(`dedupe: ${f.line()}`);
    lines.push('::endgroup::');
  }
  const documents = plural(report.summary.documents, 'document');
  if (containments.length > 0) {
    lines.push(
      `dedupe: ${plural(duplicates.length, 'near-duplicate')} in ${plural(report.summary.clusters, 'cluster')}, ` +
        `${plural(containments.length, 'containment')} (${documents}, threshold ${percent(report.params.threshold)}, containment ${percent(report.params.containment ?? 0)})`,
    );
  } else if (duplicates.length === 0) {
    lines.push(`dedupe: no near-duplicates in ${documents}`);
  } else {
    lines.push(
      `dedupe: ${plural(duplicates.length, 'near-duplicate')} in ${plural(report.summary.clusters, 'cluster')} ` +
        `(${documents}, threshold ${percent(report.params.threshold)})`,
    );
  }
  return `${lines.join('\n')}\n`;
}
