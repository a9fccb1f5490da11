import { createHash } from 'node:crypto';
import { visible } from '../escape.js';
import { count, percent, plural, shownSimilarity } from '../numbers.js';
import { clustersByImportance } from '../order.js';
import type { Cluster, ClusterMember, DiffHunk, DiffPart, DocumentReport, Report, SegmentReport } from '../types.js';
import { DIFF_LIMITS } from '../word-diff.js';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.js';

// --format html: one self-contained page for someone who never used the CLI. No request leaves
// it: the style and the script are inline, and its Content-Security-Policy allows only those two
// (by hash), so even markup that slipped through escaping could neither load nor run anything.
// File names and texts are hostile input: every one goes through esc().

/** What one page shows at most, so a large corpus gives a file a browser opens quickly. */
export const HTML_LIMITS = {
  clusters: 200,
  /** Members per cluster listed in its table, and shown with their diff. */
  listedMembers: 200,
  diffedMembers: 20,
  /** Documents in the boilerplate section (clustered ones first). */
  documents: 400,
  /** Characters of one boilerplate segment's text. */
  segmentChars: 1_200,
} as const;

const lineRange = (start: number, end: number) => (start === end ? `line ${start}` : `lines ${start}–${end}`);

/** Text as HTML: terminal-unsafe and bidi characters made visible (as in the text report), then the HTML specials escaped. */
function esc(text: string): string {
  return visible(text).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Text of several lines, each escaped, blank ones left out, for an element that keeps line breaks. */
const escLines = (text: string) => text.split('\n').filter((line) => line.trim() !== '').map(esc).join('\n');

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/** Lower-cased paths for the page's path filter. */
const filterKey = (paths: readonly string[]) => paths.map((p) => esc(p.toLowerCase())).join('\n');

function renderSummary(report: Report): string {
  const { summary, params } = report;
  const compared = params.compare === 'body' ? 'article body' : 'full text';
  const lead =
    summary.clusters === 0
      ? `No two of the ${plural(summary.documents, 'document')} are near-duplicates.`
      : `${plural(summary.clusters, 'group')} of near-duplicate documents among ${plural(summary.documents, 'document')}. ` +
        `In each group one copy is marked <strong>keep</strong>; the ${plural(summary.duplicates, 'other copy', 'other copies')} ` +
        `${summary.duplicates === 1 ? 'repeats' : 'repeat'} it and can be dropped.`;
  const stats: Array<[string, number]> = [
    ['documents', summary.documents],
    ['groups of duplicates', summary.clusters],
    ['duplicates', summary.duplicates],
    ['unique', summary.unique],
    ['skipped', summary.skipped],
  ];
  return [
    `<header class="top"><h1>Duplicate report</h1>`,
    `<p class="lead">${lead}</p>`,
    `<dl class="stats">${stats.map(([label, value]) => `<div><dt>${label}</dt><dd>${count(value)}</dd></div>`).join('')}</dl>`,
    `<p class="params">Two documents count as near-duplicates when at least ${percent(params.threshold)} of their ` +
      `${params.ngram}-${params.shingle === 'word' ? 'word' : 'character'} phrases are shared (Jaccard similarity ≥ ${percent(params.threshold)}), ` +
      `compared on their ${compared}. Boilerplate (subscription pitches, author bios, copyright lines, navigation…) is shown dimmed.</p>`,
    `</header>`,
  ].join('\n');
}

/** With --containment: documents that lie inside longer ones. A relation, not a group: nothing is marked to drop. */
function renderContainments(report: Report): string {
  const list = report.containments ?? [];
  if (!list.length) return '';
  const shown = list.slice(0, HTML_LIMITS.clusters);
  const items = shown.map(
    (x) =>
      `<li data-filter="${filterKey([x.contained, x.container])}"><code>${esc(x.contained)}</code> is contained in <code>${esc(x.container)}</code> ` +
      `(${percent(x.containment)} of its phrases; similarity ${percent(x.similarity)})</li>`,
  );
  const more = list.length > shown.length ? `<p class="note">${plural(list.length - shown.length, 'more containment')} not shown (the JSON report has all).</p>` : '';
  return (
    `<section id="contained" aria-labelledby="h-contained"><h2 id="h-contained">Contained documents (${count(list.length)})</h2>` +
    `<p class="note">Each lies (almost) whole inside a longer document: an excerpt, a digest, a page carrying two stories. A relation, not a group: neither copy is marked to drop.</p>` +
    `<ul class="contained">${items.join('')}</ul>${more}</section>`
  );
}

function renderWarnings(report: Report): string {
  if (!report.warnings.length) return '';
  const items = report.warnings.slice(0, 50).map((w) => `<li>${esc(w.path ? `${w.path}: ${w.message}` : w.message)}</li>`);
  const more = report.warnings.length > 50 ? `<li>… and ${count(report.warnings.length - 50)} more</li>` : '';
  return `<section class="warnings" aria-labelledby="h-warnings"><h2 id="h-warnings">Warnings (${count(report.warnings.length)})</h2><ul>${items.join('')}${more}</ul></section>`;
}

const HELP = `<details class="help" id="help"><summary>How to use this page <span class="key">?</span></summary>
<ul>
<li><span class="key">/</span> moves to the path filter; typing there hides the groups and documents whose paths do not contain the text; <span class="key">Esc</span> clears it.</li>
<li><span class="key">j</span> and <span class="key">k</span> go to the next and previous group; <span class="key">Tab</span> moves through links and controls in order.</li>
<li><span class="key">?</span> opens and closes this help.</li>
<li>In each group, <del>struck-through red</del> words are only in the copy to keep; <ins>underlined green</ins> words are only in the other copy. Case, spacing and line breaks are ignored; the lines given are where each passage starts.</li>
</ul></details>`;

function renderParts(parts: readonly DiffPart[], side: 'removed' | 'added'): string {
  return parts
    .filter((p) => p.op === 'same' || p.op === side)
    .map((p) => {
      if (p.op === 'same') return `<span class="ctx">${esc(p.text)}</span>`;
      // The spaces around a passage stay outside its highlight.
      const [, before = '', words = '', after = ''] = /^(\s*)([\s\S]*?)(\s*)$/u.exec(p.text) ?? [];
      const more = p.omittedWords ? `<span class="omitted"> … ${plural(p.omittedWords, 'more word')}</span>` : '';
      const tag = p.op === 'added' ? 'ins' : 'del';
      return `${esc(before)}<${tag}>${esc(words)}${more}</${tag}>${esc(after)}`;
    })
    .join('');
}

function renderHunk(hunk: DiffHunk): string {
  return (
    `<div class="hunk"><div class="side keep-side"><span class="ln">copy to keep, line ${hunk.representativeLine}</span>${renderParts(hunk.parts, 'removed')}</div>` +
    `<div class="side other-side"><span class="ln">this copy, line ${hunk.line}</span>${renderParts(hunk.parts, 'added')}</div></div>`
  );
}

/**
 * A member that is not the copy to keep: drop it, unless it is in the baseline (--against), which
 * is never dropped, or joined only through others (review it: --format paths leaves it out).
 */
const otherTag = (member: ClusterMember) =>
  member.side === 'baseline' ? '<span class="tag base">baseline</span>' : member.belowThreshold ? '<span class="tag drop">review</span>' : '<span class="tag drop">drop</span>';

function renderMemberDiff(member: ClusterMember, representative: string): string {
  const head =
    `<div class="pair-head"><div><span class="tag keep">keep</span> <span class="path">${esc(representative)}</span></div>` +
    `<div>${otherTag(member)} <span class="path">${esc(member.path)}</span></div></div>`;
  const diff = member.diff;
  let body: string;
  if (member.exact) body = `<p class="note">Identical: the same words in the same order (case, punctuation and spacing aside).</p>`;
  else if (!diff) body = `<p class="note">No diff in this report (made without --diff).</p>`;
  else if (diff.tooManyChanges) body = `<p class="note">Too many changes to show (over ${count(DIFF_LIMITS.maxEditLength)} word edits); the similarity still holds.</p>`;
  else if (diff.identical) body = `<p class="note">The same ${diff.diffed === 'body' ? 'article body' : 'text'} word for word (case, spacing and line breaks aside).</p>`;
  else {
    const counts = diff.addedWords !== undefined ? ` ${plural(diff.removedWords ?? 0, 'word')} only in the copy to keep, ${plural(diff.addedWords, 'word')} only in this one.` : '';
    const note = diff.sameBody
      ? `<p class="note">The same article body word for word; the full texts differ here:${counts}</p>`
      : `<p class="note">${diff.diffed === 'body' ? 'Article body' : 'Full text'}:${counts}</p>`;
    const omitted = diff.omittedHunks ? `<p class="note">… and ${plural(diff.omittedHunks, 'more changed passage')} (at most ${DIFF_LIMITS.hunksPerMember} shown per document).</p>` : '';
    body = note + diff.hunks.map(renderHunk).join('') + omitted;
  }
  return `<div class="pair">${head}${body}</div>`;
}

function categoryChips(doc: DocumentReport | undefined): string {
  if (!doc) return '';
  const chips = doc.segments.filter((s) => s.kind === 'boilerplate').map((s) => `<span class="chip">${esc(s.category ?? 'boilerplate')} <span class="range">${lineRange(s.startLine, s.endLine)}</span></span>`);
  return chips.length ? chips.join(' ') : '<span class="none">none</span>';
}

function renderCluster(cluster: Cluster, rank: number, docs: ReadonlyMap<string, DocumentReport>, threshold: number): string {
  const size = cluster.members.length;
  const rows = cluster.members.slice(0, HTML_LIMITS.listedMembers).map((m) => {
    const isRep = m.path === cluster.representative;
    const doc = docs.get(m.path);
    const tag = isRep ? '<span class="tag keep">keep</span>' : otherTag(m);
    const sim = isRep ? '—' : m.exact ? 'identical' : percent(shownSimilarity(m, threshold)) + (m.belowThreshold ? ` <span class="warn">below ${percent(threshold)}: joined through others</span>` : '');
    const side = m.side ? ` <span class="side-tag">${m.side}</span>` : '';
    return `<tr data-path="${filterKey([m.path])}"><td>${tag}</td><td class="path">${esc(m.path)}${side}</td><td class="num">${doc ? `${count(doc.bytes)}<span class="unit"> bytes</span>` : ''}</td><td class="sim">${sim}</td><td class="cats">${categoryChips(doc)}</td></tr>`;
  });
  const others = cluster.members.filter((m) => m.path !== cluster.representative);
  const unlisted = size - rows.length;
  if (unlisted > 0) rows.push(`<tr><td colspan="5" class="note">… and ${plural(unlisted, 'more member')} (at most ${HTML_LIMITS.listedMembers} listed per group; the JSON report has all)</td></tr>`);
  const diffs = others.slice(0, HTML_LIMITS.diffedMembers).map((m) => renderMemberDiff(m, cluster.representative));
  const more = others.length > HTML_LIMITS.diffedMembers ? `<p class="note">The other ${plural(others.length - HTML_LIMITS.diffedMembers, 'member')} are shown without their diff (at most ${HTML_LIMITS.diffedMembers} per group).</p>` : '';
  const shared = cluster.sharedBoilerplate.length ? `<p class="note">All share boilerplate: ${cluster.sharedBoilerplate.map((c) => `<span class="chip">${esc(c)}</span>`).join(' ')}</p>` : '';
  const lowest = others.reduce((min, m) => Math.min(min, shownSimilarity(m, threshold)), 1);
  const allAt = others.every((m) => percent(shownSimilarity(m, threshold)) === percent(lowest));
  const describe = cluster.exact ? 'identical copies' : `similarity ${percent(lowest)}${allAt ? '' : ' or more'}`;
  return [
    `<section class="cluster" id="group-${rank}" tabindex="-1" aria-labelledby="h-group-${rank}" data-filter="${filterKey(cluster.members.map((m) => m.path))}">`,
    `<h3 id="h-group-${rank}"><a href="#group-${rank}">Group ${rank}</a> <span class="sub">${plural(size, 'document')}, ${describe}</span></h3>`,
    `<table class="members"><thead><tr><th scope="col">copy</th><th scope="col">path</th><th scope="col" class="num">bytes</th><th scope="col">similarity to the kept copy</th><th scope="col">boilerplate</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    shared,
    diffs.join(''),
    more,
    `</section>`,
  ].join('\n');
}

function renderSegment(segment: SegmentReport): string {
  const range = lineRange(segment.startLine, segment.endLine);
  if (segment.kind === 'body') return `<div class="seg body"><span class="seg-label">body, ${range}</span> <span class="preview">${esc(segment.preview)}</span></div>`;
  const full = segment.text ?? segment.preview;
  const text = full.length > HTML_LIMITS.segmentChars ? `${full.slice(0, HTML_LIMITS.segmentChars)}…` : full;
  return `<div class="seg boilerplate"><span class="chip">${esc(segment.category ?? 'boilerplate')}</span> <span class="seg-label">${range}</span><div class="seg-text">${escLines(text)}</div></div>`;
}

function renderDocument(doc: DocumentReport, open: boolean): string {
  const cats = Object.entries(doc.counts.categories).map(([c, k]) => `<span class="chip">${esc(c)} <span class="range">${plural(k, 'line')}</span></span>`).join(' ');
  const counts = `${plural(doc.counts.bodyLines, 'body line')}, ${plural(doc.counts.boilerplateLines, 'boilerplate line')}`;
  return (
    `<details class="doc" data-filter="${filterKey([doc.path, ...(doc.aliases ?? [])])}"${open ? ' open' : ''}>` +
    `<summary><span class="path">${esc(doc.path)}</span> <span class="sub">${counts}</span> ${cats}</summary>` +
    `<div class="segments">${doc.segments.map(renderSegment).join('')}</div></details>`
  );
}

/** The HTML report: summary, groups largest first with each member's diff, every document's boilerplate. */
export function formatHtml(report: Report): string {
  const docs = new Map(report.documents.map((d) => [d.path, d]));
  const clusters = clustersByImportance(report.clusters);
  const shownClusters = clusters.slice(0, HTML_LIMITS.clusters);
  const clustered = new Set(report.clusters.flatMap((c) => c.members.map((m) => m.path)));
  // Documents in a group first (their boilerplate explains differences), then the rest in input order.
  const ordered = [...report.documents.filter((d) => clustered.has(d.path)), ...report.documents.filter((d) => !clustered.has(d.path))];
  const shownDocs = ordered.slice(0, HTML_LIMITS.documents);

  const clusterPart = clusters.length
    ? shownClusters.map((c, i) => renderCluster(c, i + 1, docs, report.params.threshold)).join('\n') +
      (clusters.length > shownClusters.length ? `<p class="note">${plural(clusters.length - shownClusters.length, 'smaller group')} not shown (at most ${HTML_LIMITS.clusters} per page; the JSON report has all).</p>` : '')
    : `<p class="note">No near-duplicates.</p>`;
  const docPart =
    shownDocs.map((d) => renderDocument(d, shownDocs.length <= 10)).join('\n') +
    (ordered.length > shownDocs.length ? `<p class="note">${plural(ordered.length - shownDocs.length, 'more document')} not shown (at most ${HTML_LIMITS.documents} per page; the JSON report has all).</p>` : '');

  const csp = [`default-src 'none'`, `style-src 'sha256-${sha256(HTML_STYLE)}'`, `script-src 'sha256-${sha256(HTML_SCRIPT)}'`, `img-src 'none'`, `base-uri 'none'`, `form-action 'none'`].join('; ');
  const title = `Duplicate report: ${plural(report.summary.clusters, 'group')} in ${plural(report.summary.documents, 'document')}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    '<a class="skip" href="#groups">Skip to the groups</a>',
    renderSummary(report),
    `<div class="toolbar" role="search"><label for="filter">Filter by path</label> <input id="filter" type="search" autocomplete="off" spellcheck="false" placeholder="part of a path, e.g. 2024/ or .txt" aria-describedby="filter-count"> <span id="filter-count" aria-live="polite"></span> <span class="hint">Press <span class="key">/</span> to filter, <span class="key">?</span> for help</span></div>`,
    HELP,
    '<main>',
    renderWarnings(report),
    `<section id="groups" aria-labelledby="h-groups"><h2 id="h-groups">Groups of duplicates, largest first (${count(clusters.length)})</h2>`,
    clusterPart,
    '</section>',
    renderContainments(report),
    `<section id="documents" aria-labelledby="h-documents"><h2 id="h-documents">Documents and their boilerplate (${count(report.documents.length)})</h2>`,
    `<p class="note">Each document's segments: body (by its first words) and boilerplate, dimmed, with its category. Select a document's name to show or hide them.</p>`,
    docPart,
    '</section>',
    '</main>',
    `<footer>Made by ${esc(report.tool.name)} ${esc(report.tool.version)}. This page is one file: it loads nothing and sends nothing.</footer>`,
    `<script>${HTML_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
