import { Chalk, type ChalkInstance } from 'chalk';
import { visible as v } from '../escape.js';
import type { Cluster, DocumentReport, Report, SegmentDifference } from '../types.js';
import type { ReporterContext } from './context.js';
import { formatMemberDiff } from './diff-text.js';

const plural = (n: number, word: string, many = `${word}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
const lineRange = (start: number, end: number) => (start === end ? `line ${start}` : `lines ${start}–${end}`);
const similarity = (x: number) => x.toFixed(3);
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

function formatCluster(cluster: Cluster, report: Report, bytes: ReadonlyMap<string, number>, c: ChalkInstance): string[] {
  const identical = cluster.exact ? c.dim(', identical') : '';
  const out = [c.bold(`Cluster ${cluster.id}`) + c.dim(` (${plural(cluster.members.length, 'document')}`) + identical + c.dim(')')];
  const width = cluster.members.reduce((w, m) => Math.max(w, v(m.path).length), 0);
  for (const member of cluster.members) {
    const isRep = member.path === cluster.representative;
    const tag = isRep ? c.green('keep') : c.yellow('drop');
    const size = c.dim(`${(bytes.get(member.path) ?? 0).toLocaleString('en-US')} bytes`);
    const sim = isRep ? '' : member.exact ? '  identical' : `  similarity ${similarity(member.similarity)}`;
    const chain = member.belowThreshold ? c.red(`  below threshold ${report.params.threshold}: joined through other members`) : '';
    out.push(`  ${tag}  ${v(member.path).padEnd(width)}  ${size}${sim}${chain}`, ...formatMemberDiff(member, c));
  }
  if (cluster.sharedBoilerplate.length) out.push(c.dim(`  all share boilerplate: ${cluster.sharedBoilerplate.join(', ')}`));
  for (const diff of cluster.differences) {
    if (diff.adds.length) out.push(`  ${v(diff.path)} adds ${listDifferences(diff.adds)}`);
    if (diff.lacks.length) out.push(`  ${v(cluster.representative)} adds ${listDifferences(diff.lacks)}${c.dim(` (missing from ${v(diff.path)})`)}`);
  }
  return out;
}

function formatSegments(doc: DocumentReport, ctx: ReporterContext, c: ChalkInstance): string[] {
  const boilerplate = doc.segments.filter((s) => s.kind === 'boilerplate');
  const head = `  ${v(doc.path)}` + c.dim(` (${plural(doc.counts.bodyLines, 'body line')}, ${plural(doc.counts.boilerplateLines, 'boilerplate line')})`);
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

/** The human report: summary first, then clusters, then unique documents, then boilerplate. */
export function formatText(report: Report, ctx: ReporterContext): string {
  const c = new Chalk({ level: ctx.color ? 1 : 0 });
  const { summary, params } = report;
  const out: string[] = [];
  out.push(
    c.bold(
      `${plural(summary.documents, 'document')}: ${plural(summary.clusters, 'cluster')}, ` +
        `${plural(summary.duplicates, 'duplicate')}, ${summary.unique.toLocaleString('en-US')} unique, ` +
        `${summary.skipped.toLocaleString('en-US')} skipped`,
    ),
  );
  out.push(
    c.dim(
      `threshold ${params.threshold} on ${params.compare === 'body' ? 'article body' : 'full text'}, ` +
        `${params.shingle} ${params.ngram}-grams, ${params.numPerm}-slot ${params.sketch === 'oph' ? 'one-permutation MinHash' : 'MinHash'}, ${params.bands} bands × ${params.rows} rows`,
    ),
  );
  const bytes = new Map(report.documents.map((d) => [d.path, d.bytes]));
  for (const cluster of report.clusters) out.push('', ...formatCluster(cluster, report, bytes, c));

  const clustered = new Set(report.clusters.flatMap((cl) => cl.members.map((m) => m.path)));
  const unique = report.documents.filter((d) => !clustered.has(d.path));
  if (unique.length) {
    out.push('', c.bold(`Unique (${unique.length.toLocaleString('en-US')})`));
    out.push(...packed(unique.map((d) => v(d.path)), 100).map((line) => `  ${line}`));
  }

  // Symlinks and hard links to one file are one document: say so, or a missing path looks skipped.
  const linked = report.documents.filter((d) => d.aliases?.length);
  if (linked.length) {
    out.push('', c.bold(`Same file, several names (${linked.length.toLocaleString('en-US')})`));
    for (const d of linked) out.push(`  ${v(d.path)}` + c.dim(`  also ${d.aliases!.map((a) => v(a)).join('  ')}`));
  }

  if (report.documents.length) {
    // Every document with boilerplate gets its segments; those that are all body share one line.
    const allBody = report.documents.filter((d) => d.counts.boilerplateLines === 0);
    out.push('', c.bold('Boilerplate'));
    for (const doc of report.documents) if (ctx.verbose || doc.counts.boilerplateLines > 0) out.push(...formatSegments(doc, ctx, c));
    if (allBody.length && !ctx.verbose) {
      out.push(
        allBody.length <= 10
          ? c.dim(`  all body: ${allBody.map((d) => v(d.path)).join('  ')}`)
          : c.dim(`  ${plural(allBody.length, 'document')} are all body`),
      );
    }
  }
  // A judgement that may be wrong is shown, not hidden: documents compared on their full text
  // because their detected body was too small to trust, and hard-wrapped ones.
  const fellBack = report.documents.filter((d) => d.compared === 'full' && params.compare === 'body' && d.layout);
  if (fellBack.length) {
    out.push('', c.bold(`Compared on full text (${fellBack.length.toLocaleString('en-US')})`));
    for (const doc of fellBack) out.push(`  ${v(doc.path)}${c.dim(`: ${doc.comparedReason}`)}`);
  }
  const wrapped = report.documents.filter((d) => d.layout?.kind === 'wrapped');
  if (wrapped.length) {
    out.push(
      '',
      c.dim(
        wrapped.length <= 10
          ? `Hard-wrapped, read as paragraphs: ${wrapped.map((d) => `${v(d.path)} (${d.layout?.width} columns)`).join('  ')}`
          : `${plural(wrapped.length, 'document')} hard-wrapped, read as paragraphs`,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
