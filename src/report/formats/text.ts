import { Chalk, type ChalkInstance } from 'chalk';
import { visible as v } from '../escape.js';
import { count, percent, plural, shownSimilarity } from '../numbers.js';
import { clustersByImportance } from '../order.js';
import type { Cluster, ClusterMember, DocumentReport, Report, SegmentDifference, Side } from '../types.js';
import type { ReporterContext } from './context.js';
import { formatMemberDiff } from './diff-text.js';

// The human report. It has to stay readable on a corpus of thousands: the clusters come largest
// first and can be capped (--max-clusters), the unique documents and the per-document boilerplate
// show their first few lines with a count of the rest, and every path says its side with --against.

/** Lines of unique paths shown unless --show-unique. */
export const UNIQUE_LINES = 3;
/** Documents whose boilerplate is listed unless --show-boilerplate or -v. */
export const BOILERPLATE_DOCUMENTS = 10;
/** Members listed per cluster unless -v: a cluster of 3,000 copies must not be 3,000 lines. */
export const CLUSTER_MEMBERS = 20;
const WIDTH = 100;

const lineRange = (start: number, end: number) => (start === end ? `line ${start}` : `lines ${start}–${end}`);
// Every path and every piece of a file's text goes through v(): see escape.ts.

function listDifferences(parts: readonly SegmentDifference[]): string {
  const items = parts.map((p) => `${p.category} (${lineRange(p.startLine, p.endLine)})`);
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Pack items into lines of at most `width` characters, two spaces apart. */
function packed(items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line && line.length + 2 + item.length > width) {
      lines.push(line);
      line = '';
    }
    line = line ? `${line}  ${item}` : item;
  }
  if (line) lines.push(line);
  return lines;
}

/** How a document is named on a line: its path, and with --against its side. */
type Namer = (path: string, side?: Side) => string;

function formatCluster(cluster: Cluster, report: Report, bytes: ReadonlyMap<string, number>, name: Namer, ctx: ReporterContext, c: ChalkInstance): string[] {
  const identical = cluster.exact ? c.dim(', identical') : '';
  const out = [c.bold(`Cluster ${cluster.id}`) + c.dim(` (${plural(cluster.members.length, 'document')}`) + identical + c.dim(')')];
  const shown = ctx.verbose ? cluster.members : cluster.members.slice(0, CLUSTER_MEMBERS);
  const width = shown.reduce((w, m) => Math.max(w, name(m.path, m.side).length), 0);
  for (const member of shown) out.push(`  ${memberLine(cluster, member, report, bytes, name, width, c)}`, ...formatMemberDiff(member, c));
  if (shown.length < cluster.members.length) {
    out.push(c.dim(`  … ${plural(cluster.members.length - shown.length, 'more member')} (-v or --format json lists them all)`));
  }
  if (cluster.sharedBoilerplate.length) out.push(c.dim(`  all share boilerplate: ${cluster.sharedBoilerplate.join(', ')}`));
  const sides = new Map(cluster.members.map((m) => [m.path, m.side]));
  const listed = new Set(shown.map((m) => m.path));
  for (const diff of cluster.differences) {
    if (!listed.has(diff.path)) continue;
    const member = name(diff.path, sides.get(diff.path));
    if (diff.adds.length) out.push(`  ${member} adds ${listDifferences(diff.adds)}`);
    if (diff.lacks.length) {
      out.push(`  ${name(cluster.representative, sides.get(cluster.representative))} adds ${listDifferences(diff.lacks)}${c.dim(` (missing from ${member})`)}`);
    }
  }
  return out;
}

function memberLine(cluster: Cluster, member: ClusterMember, report: Report, bytes: ReadonlyMap<string, number>, name: Namer, width: number, c: ChalkInstance): string {
  const isRep = member.path === cluster.representative;
  // A baseline document is never dropped: it is what the team already has.
  const tag = isRep || member.side === 'baseline' ? c.green('keep') : c.yellow('drop');
  const size = c.dim(plural(bytes.get(member.path) ?? 0, 'byte'));
  const sim = isRep ? '' : member.exact ? '  identical' : `  ${percent(shownSimilarity(member, report.params.threshold))} similar`;
  // Not a near-duplicate of the copy kept: --format paths leaves it out (it may hold text no kept file has).
  const chain = member.belowThreshold ? c.red(`  below the threshold ${percent(report.params.threshold)}: joined through other members, so not listed by --format paths`) : '';
  return `${tag}  ${name(member.path, member.side).padEnd(width)}  ${size}${sim}${chain}`;
}

function formatSegments(doc: DocumentReport, name: Namer, ctx: ReporterContext, c: ChalkInstance): string[] {
  const boilerplate = doc.segments.filter((s) => s.kind === 'boilerplate');
  const head = `  ${name(doc.path, doc.side)}` + c.dim(` (${plural(doc.counts.bodyLines, 'body line')}, ${plural(doc.counts.boilerplateLines, 'boilerplate line')})`);
  const out = [head];
  for (const s of ctx.verbose ? doc.segments : boilerplate) {
    const label = s.kind === 'body' ? c.green('body') : c.magenta(s.category ?? 'boilerplate');
    const reasons = ctx.verbose ? c.dim(`  [${s.confidence.toFixed(2)}; ${v(s.reasons.join('; '))}]`) : '';
    out.push(`    ${label} ${lineRange(s.startLine, s.endLine)}: ${c.dim(`"${v(s.preview)}"`)}${reasons}`);
    if (ctx.showBoilerplate && s.kind === 'boilerplate' && s.text !== undefined) {
      for (const line of s.text.split('\n')) if (line.trim()) out.push(c.dim(`      │ ${v(line)}`));
    }
  }
  return out;
}

/** "3 documents (1 incoming, 2 baseline)" with --against; "3 documents" without. */
function bySide(docs: readonly Pick<DocumentReport, 'side'>[], against: boolean, word: string, many?: string): string {
  const total = plural(docs.length, word, many);
  if (!against) return total;
  const incoming = docs.filter((d) => d.side !== 'baseline').length;
  return `${total} (${count(incoming)} incoming, ${count(docs.length - incoming)} baseline)`;
}

function summaryLines(report: Report, against: boolean, c: ChalkInstance): string[] {
  const { summary, params } = report;
  const clustered = new Set(report.clusters.flatMap((cl) => cl.members.map((m) => m.path)));
  const unique = report.documents.filter((d) => !clustered.has(d.path));
  return [
    c.bold(
      `${bySide(report.documents, against, 'document')}: ${plural(summary.clusters, 'cluster')}, ` +
        `${plural(summary.duplicates, against ? 'incoming duplicate' : 'duplicate')}, ` +
        (summary.contained === undefined ? '' : `${count(summary.contained)} contained, `) +
        `${bySide(unique, against, 'unique', 'unique')}, ` +
        `${count(summary.skipped)} skipped`,
    ),
    c.dim(
      `threshold ${percent(params.threshold)} on ${params.compare === 'body' ? 'article body' : 'full text'}, ` +
        `${params.shingle} ${params.ngram}-grams, ${params.numPerm}-slot ${params.sketch === 'oph' ? 'one-permutation MinHash' : 'MinHash'}, ${params.bands} bands × ${params.rows} rows` +
        (params.containment === undefined ? '' : `; containment ${percent(params.containment)}`),
    ),
  ];
}

/** The human report: summary first, then clusters (largest first), then unique documents, then boilerplate. */
export function formatText(report: Report, ctx: ReporterContext): string {
  const c = new Chalk({ level: ctx.color ? 1 : 0 });
  const { params } = report;
  const against = report.documents.some((d) => d.side !== undefined);
  const name: Namer = against ? (path, side) => `${v(path)} ${c.dim(`(${side ?? 'incoming'})`)}` : (path) => v(path);
  const out = summaryLines(report, against, c);
  if (ctx.summaryOnly) return `${out.join('\n')}\n`;

  const bytes = new Map(report.documents.map((d) => [d.path, d.bytes]));
  const ordered = clustersByImportance(report.clusters);
  const limit = ctx.maxClusters && ctx.maxClusters > 0 ? ctx.maxClusters : ordered.length;
  for (const cluster of ordered.slice(0, limit)) out.push('', ...formatCluster(cluster, report, bytes, name, ctx, c));
  const rest = ordered.slice(limit);
  if (rest.length) {
    const members = rest.reduce((sum, cl) => sum + cl.members.length, 0);
    out.push('', c.dim(`… ${plural(rest.length, 'more cluster')} (${plural(members, 'document')}, the largest of ${count(rest[0]!.members.length)}); --max-clusters 0 lists them all`));
  }
  // Containments are relations between two documents, not clusters: listed on their own.
  if (report.containments?.length) {
    out.push('', c.bold(`Contained (${count(report.containments.length)})`));
    for (const x of report.containments) {
      out.push(`  ${name(x.contained, x.containedSide)} is contained in ${name(x.container, x.containerSide)} (${percent(x.containment)})` + c.dim(`  similarity ${percent(x.similarity)}`));
    }
  }

  const clustered = new Set(report.clusters.flatMap((cl) => cl.members.map((m) => m.path)));
  const unique = report.documents.filter((d) => !clustered.has(d.path));
  for (const side of against ? (['incoming', 'baseline'] as const) : [undefined]) {
    const docs = side ? unique.filter((d) => (d.side ?? 'incoming') === side) : unique;
    if (!docs.length) continue;
    out.push('', c.bold(`Unique${side ? `, ${side}` : ''} (${count(docs.length)})`));
    const lines = packed(docs.map((d) => v(d.path)), WIDTH);
    const shown = ctx.showUnique ? lines : lines.slice(0, UNIQUE_LINES);
    for (const line of shown) out.push(`  ${line}`);
    if (shown.length < lines.length) {
      const listed = shown.reduce((sum, line) => sum + line.split('  ').length, 0);
      out.push(c.dim(`  … ${count(docs.length - listed)} more; --show-unique lists them all`));
    }
  }

  // Symlinks and hard links to one file are one document: say so, or a missing path looks skipped.
  const linked = report.documents.filter((d) => d.aliases?.length);
  if (linked.length) {
    out.push('', c.bold(`Same file, several names (${count(linked.length)})`));
    for (const d of linked) out.push(`  ${name(d.path, d.side)}` + c.dim(`  also ${d.aliases!.map((a) => v(a)).join('  ')}`));
  }

  // A loop, not push(...lines): a spread of a hundred thousand lines overflows the stack.
  if (report.documents.length) for (const line of boilerplateLines(report, name, ctx, c)) out.push(line);
  // A judgement that may be wrong is shown, not hidden: documents compared on their full text
  // because their detected body was too small to trust, and hard-wrapped ones.
  const fellBack = report.documents.filter((d) => d.compared === 'full' && params.compare === 'body' && d.layout);
  if (fellBack.length) {
    out.push('', c.bold(`Compared on full text (${count(fellBack.length)})`));
    for (const doc of fellBack) out.push(`  ${name(doc.path, doc.side)}${c.dim(`: ${doc.comparedReason}`)}`);
  }
  const wrapped = report.documents.filter((d) => d.layout?.kind === 'wrapped');
  if (wrapped.length) {
    out.push(
      '',
      c.dim(
        wrapped.length <= 10
          ? `Hard-wrapped, read as paragraphs: ${wrapped.map((d) => `${name(d.path, d.side)} (${d.layout?.width} columns)`).join('  ')}`
          : `${plural(wrapped.length, 'document')} hard-wrapped, read as paragraphs`,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

/** Each document with boilerplate gets its segments (the first few unless asked); those that are all body share one line. */
function boilerplateLines(report: Report, name: Namer, ctx: ReporterContext, c: ChalkInstance): string[] {
  const withBoilerplate = report.documents.filter((d) => ctx.verbose || d.counts.boilerplateLines > 0);
  const allBody = report.documents.filter((d) => d.counts.boilerplateLines === 0);
  const categories = new Map<string, number>();
  for (const d of report.documents) for (const category of Object.keys(d.counts.categories)) categories.set(category, (categories.get(category) ?? 0) + 1);
  const byCategory = [...categories].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([category, n]) => `${category} ${count(n)}`);
  const out = ['', c.bold('Boilerplate') + (byCategory.length ? c.dim(` (documents per category: ${byCategory.join(', ')})`) : '')];
  const all = ctx.verbose || ctx.showBoilerplate;
  const shown = all ? withBoilerplate : withBoilerplate.slice(0, BOILERPLATE_DOCUMENTS);
  for (const doc of shown) out.push(...formatSegments(doc, name, ctx, c));
  if (shown.length < withBoilerplate.length) {
    out.push(c.dim(`  … ${plural(withBoilerplate.length - shown.length, 'more document')} with boilerplate; --show-boilerplate lists them all`));
  }
  if (allBody.length && !ctx.verbose) {
    out.push(
      allBody.length <= 10
        ? c.dim(`  all body: ${allBody.map((d) => name(d.path, d.side)).join('  ')}`)
        : c.dim(`  ${plural(allBody.length, 'document')} ${allBody.length === 1 ? 'is' : 'are'} all body`),
    );
  }
  return out;
}
