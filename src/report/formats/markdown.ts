import { visible } from '../escape.js';
import { percent, plural, shownSimilarity } from '../numbers.js';
import { isDuplicate } from '../duplicates.js';
import { clustersByImportance } from '../order.js';
import type { Cluster, ClusterMember, Report } from '../types.js';
import { comparedText } from './wording.js';

// Markdown for a GitHub step summary ($GITHUB_STEP_SUMMARY) or a pull-request comment. GitHub
// refuses a step summary over 1 MiB and a comment over 65,536 characters, so the whole text is
// kept under MARKDOWN_BUDGET bytes: clusters are listed largest first until the next one would
// not fit, and the rest are counted in one line.

/** Bytes of Markdown at most: under GitHub's 65,536-character limit on a comment, whatever the characters. */
export const MARKDOWN_BUDGET = 60_000;
/** Rows per cluster at most (the representative and the first duplicates); the rest are counted in one row. */
export const MAX_MEMBER_ROWS = 20;

/**
 * A path as an inline code span inside a GFM table cell: code spans take no emphasis, links,
 * autolinks or HTML (`<script>` shows as text); control characters, line breaks and bidi controls
 * are made visible first (see escape.ts); the fence is one backtick longer than the longest run
 * in the name; `|` is written `\|`, which a GFM table cell turns back into `|` even in code.
 */
export function markdownPath(path: string): string {
  const text = visible(path).replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // A span that starts or ends with a backtick or a space is padded; CommonMark strips one space each side.
  const pad = /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;

function action(cluster: Cluster, member: ClusterMember): string {
  if (member.path === cluster.representative) return '**keep**';
  if (!isDuplicate(cluster, member)) return 'baseline, not judged';
  // Joined only through others: --format paths leaves it out.
  return member.belowThreshold ? 'review' : 'drop';
}

function similarityCell(cluster: Cluster, member: ClusterMember, threshold: number): string {
  if (member.path === cluster.representative) return '';
  const value = member.exact ? 'identical' : percent(shownSimilarity(member, threshold));
  return member.belowThreshold ? `${value} (joined through others)` : value;
}

function clusterRows(cluster: Cluster, withSide: boolean, threshold: number): string[] {
  const shown = cluster.members.slice(0, MAX_MEMBER_ROWS);
  const rows = shown.map((member, i) =>
    row([
      i === 0 ? String(cluster.id) : '',
      markdownPath(member.path),
      ...(withSide ? [member.side ?? ''] : []),
      similarityCell(cluster, member, threshold),
      action(cluster, member),
    ]),
  );
  const rest = cluster.members.length - shown.length;
  if (rest > 0) {
    const drops = cluster.members.slice(MAX_MEMBER_ROWS).filter((m) => isDuplicate(cluster, m)).length;
    rows.push(row(['', `*… ${plural(rest, 'more member')} (${plural(drops, 'to drop', 'to drop')})*`, ...(withSide ? [''] : []), '', '']));
  }
  return rows;
}

function headline(report: Report): string[] {
  const { summary, params } = report;
  const title =
    summary.duplicates === 0
      ? '## dedupe: no near-duplicates'
      : `## dedupe: ${plural(summary.duplicates, 'near-duplicate')} to drop in ${plural(summary.clusters, 'cluster')}`;
  const sides = report.documents.some((d) => d.side)
    ? ` (${plural(report.documents.filter((d) => d.side === 'incoming').length, 'incoming', 'incoming')}, ` +
      `${plural(report.documents.filter((d) => d.side === 'baseline').length, 'baseline', 'baseline')})`
    : '';
  const counts =
    `${plural(summary.documents, 'document')}${sides}: ${plural(summary.clusters, 'cluster')}, ` +
    `${plural(summary.duplicates, 'duplicate')}, ${summary.unique.toLocaleString('en-US')} unique, ` +
    `${summary.skipped.toLocaleString('en-US')} skipped. Exact Jaccard similarity ≥ ${percent(params.threshold)} on ${comparedText(report)}.`;
  const warnings = report.warnings.length ? [``, `${plural(report.warnings.length, 'warning')}: see the job log.`] : [];
  return [title, '', counts, ...warnings];
}

/** Containments listed at most (with --containment); the rest are counted in one line. */
export const MAX_CONTAINMENT_ROWS = 50;

/** With --containment: a table of contained documents, after the clusters (a relation, not a cluster). */
function containmentTable(report: Report): string[] {
  const containments = report.containments ?? [];
  if (containments.length === 0) return [];
  const out = ['', `### ${plural(containments.length, 'contained document')}`, '', row(['contained', 'in', 'containment', 'similarity']), row(['---', '---', '---:', '---:'])];
  for (const x of containments.slice(0, MAX_CONTAINMENT_ROWS)) {
    out.push(row([markdownPath(x.contained), markdownPath(x.container), percent(x.containment), percent(x.similarity)]));
  }
  const left = containments.length - MAX_CONTAINMENT_ROWS;
  if (left > 0) out.push('', `*${plural(left, 'more containment')} left out; \`--format json\` lists them all.*`);
  return out;
}

/** The summary, then a table of the clusters largest first, within MARKDOWN_BUDGET bytes; then containments. */
export function formatMarkdown(report: Report): string {
  const out = headline(report);
  const contained = containmentTable(report);
  if (report.clusters.length === 0) return `${[...out, ...contained].join('\n')}\n`;

  const withSide = report.documents.some((d) => d.side);
  out.push('', row(['cluster', 'document', ...(withSide ? ['side'] : []), 'similarity', 'action']));
  out.push(row(['---:', '---', ...(withSide ? ['---'] : []), '---:', '---']));
  // Room for the closing line, whatever its numbers.
  let bytes = Buffer.byteLength([...out, ...contained].join('\n')) + 400;
  const clusters = clustersByImportance(report.clusters);
  let shown = 0;
  for (const cluster of clusters) {
    const rows = clusterRows(cluster, withSide, report.params.threshold);
    const size = Buffer.byteLength(rows.join('\n')) + 1;
    if (bytes + size > MARKDOWN_BUDGET) break;
    bytes += size;
    out.push(...rows);
    shown++;
  }
  const left = clusters.slice(shown);
  if (left.length) {
    const documents = left.reduce((n, c) => n + c.members.length, 0);
    const drops = left.reduce((n, c) => n + c.members.filter((m) => isDuplicate(c, m)).length, 0);
    out.push(
      '',
      `*${plural(left.length, 'more cluster')} (${plural(documents, 'document')}, ${plural(drops, 'to drop', 'to drop')}) ` +
        `left out to keep this under ${MARKDOWN_BUDGET / 1000} kB; \`--format text\` or \`--format json\` lists them all.*`,
    );
  }
  out.push(...contained);
  return `${out.join('\n')}\n`;
}
