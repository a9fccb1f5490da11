// Issue 13, item 4: every CI platform's native format, each checked by the platform's own rules:
// markdown as GitHub-flavoured Markdown renders it, github annotations within GitHub's limits,
// codeclimate against GitLab's documented Code Quality fields, junit against Jenkins' JUnit XSD.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type AnalyseOptions } from '../src/core/options.js';
import type { SourceDocument } from '../src/input/read.js';
import { analyseCorpus } from '../src/report/build.js';
import { duplicatesOf, isDuplicate } from '../src/report/duplicates.js';
import { visible } from '../src/report/escape.js';
import { jsonText } from '../src/report/escape.js';
import { codeClimateChunks, formatCodeClimate, type CodeClimateIssue } from '../src/report/formats/codeclimate.js';
import { escapeData, formatGithub, MAX_ANNOTATIONS } from '../src/report/formats/github.js';
import { formatJunit } from '../src/report/formats/junit.js';
import { formatMarkdown, MARKDOWN_BUDGET, MAX_MEMBER_ROWS } from '../src/report/formats/markdown.js';
import { formatSarif, type SarifLog } from '../src/report/formats/sarif.js';
import { percent } from '../src/report/numbers.js';
import type { Report } from '../src/report/types.js';
import { dedupe, ROOT, SEEDS } from './helpers/cli.js';
import { article, codeQualityErrors, codeTexts, edited, junitErrors, markdownHtml, tableRows, xmlAttributes } from './helpers/ci-formats.js';

const analyse = (sources: SourceDocument[], options: Partial<AnalyseOptions> = {}) =>
  analyseCorpus(sources, { ...DEFAULT_OPTIONS, ...options }, { tool: { name: 'dedupe', version: '0.0.0-test' }, segmentText: false });
const doc = (p: string, text: string, side?: 'incoming' | 'baseline'): SourceDocument => ({ path: p, bytes: Buffer.byteLength(text), text, ...(side ? { side } : {}) });
const readDir = (dir: string, side?: 'incoming' | 'baseline') =>
  readdirSync(path.join(ROOT, dir))
    .sort()
    .map((name) => doc(`${dir}/${name}`, readFileSync(path.join(ROOT, dir, name), 'utf8'), side));

/** Names a format must survive: table and code-span syntax, HTML, a line break, controls, bidi, what XML cannot hold. */
const HOSTILE = [
  'evil/a|b`c``d <script>alert(1)</script>.txt',
  'evil/line\nbreak & "quotes" \'single\'.txt',
  'evil/\x1b[31mred\x07 \x01ctl \u202eright-to-left \u0085nel.txt',
  'evil/*bold* _it_ [link](http://x) www.example.com ::error::x.txt',
  'evil/` leading backtick and trailing space `.txt',
  'evil/not xml \ufffe \ud800 lone.txt',
];

/** Made-up corpora: a cluster of n + 1 near copies for each n in `sizes` (some identical), and unique articles. */
function clustered(sizes: readonly number[], uniques = 3, prefix = 'corpus'): SourceDocument[] {
  const docs: SourceDocument[] = [];
  sizes.forEach((n, c) => {
    const base = article(1000 + c);
    docs.push(doc(`${prefix}/c${c}/original.txt`, base));
    for (let i = 1; i <= n; i++) docs.push(doc(`${prefix}/c${c}/copy-${String(i).padStart(3, '0')}.txt`, i % 3 === 0 ? base : edited(base, i % 5)));
  });
  for (let u = 0; u < uniques; u++) docs.push(doc(`${prefix}/unique-${u}.txt`, article(5000 + u)));
  return docs;
}

const seeds = readDir('fixtures/seeds');
let reports: Record<'seeds' | 'clean' | 'many' | 'hostile' | 'against', Report>;
let contained: Report;

beforeAll(() => {
  const [rep, dup, other] = [seeds[0]!, seeds[1]!, seeds[2]!];
  reports = {
    seeds: analyse(seeds),
    clean: analyse(seeds.slice(2)),
    // 6 clusters of 2 to 26 documents (41 duplicates), so the caps bite.
    many: analyse(clustered([1, 3, 25, 2, 5, 5])),
    hostile: analyse([
      doc(HOSTILE[0]!, rep.text),
      ...HOSTILE.slice(1, 4).map((name) => doc(name, dup.text)),
      doc(HOSTILE[4]!, article(7)),
      doc(HOSTILE[5]!, edited(article(7), 1)),
      doc('evil/plain.txt', other.text),
    ]),
    against: analyse([...readDir('fixtures/against/incoming-dup', 'incoming'), ...readDir('fixtures/against/baseline', 'baseline')]),
  };
  // --containment: an article inside a hostile-named page that carries another one too.
  contained = analyse([doc('short/article.txt', article(11)), doc(HOSTILE[1]!, `${article(11)}\n${article(12)}`), doc('other.txt', article(13))], { containment: 0.8 });
});

describe('the reports under test', () => {
  it('have duplicates, a clean corpus, big clusters, hostile names and a baseline', () => {
    expect(reports.seeds.summary.duplicates).toBe(1);
    expect(reports.clean.summary.duplicates).toBe(0);
    expect(reports.many.clusters.map((c) => c.members.length).sort((a, b) => a - b)).toEqual([2, 3, 4, 6, 6, 26]);
    expect(reports.many.clusters.some((c) => c.members.some((m) => m.exact && m.path !== c.representative))).toBe(true);
    expect(reports.many.clusters.some((c) => c.members.some((m) => !m.exact))).toBe(true);
    expect(reports.hostile.clusters.flatMap((c) => c.members.map((m) => m.path)).sort()).toEqual([...HOSTILE].sort());
    expect(reports.against.clusters.some((c) => c.members.some((m) => m.side === 'baseline' && m.path !== c.representative))).toBe(true);
  });
});

describe('markdown', () => {
  const render = (report: Report) => markdownHtml(formatMarkdown(report));

  it('renders one table row per member, each with the header\'s cells, and each file name as code, exactly as the report names it', () => {
    for (const [name, report] of Object.entries(reports)) {
      const rows = tableRows(render(report));
      if (report.clusters.length === 0) {
        expect(rows, name).toEqual([]);
        continue;
      }
      const [header, ...body] = rows;
      expect(body.filter((r) => !r[1]!.includes('more member')), name).toHaveLength(report.clusters.reduce((n, c) => n + Math.min(c.members.length, MAX_MEMBER_ROWS), 0));
      for (const r of body) expect(r, name).toHaveLength(header!.length);
      const shown = new Set(codeTexts(render(report)));
      for (const c of report.clusters) for (const m of c.members.slice(0, MAX_MEMBER_ROWS)) expect(shown.has(visible(m.path)), `${name}: ${JSON.stringify(m.path)}`).toBe(true);
    }
  });

  it('lets no file name make HTML, a link, emphasis or a new line', () => {
    const markdown = formatMarkdown(reports.hostile);
    const html = markdownHtml(markdown);
    expect(html).not.toMatch(/<script|<a |<em>|<\/em>/);
    expect(html.match(/<strong>/g)).toHaveLength(reports.hostile.clusters.length); // only each cluster's **keep**
    // Every line of the table is a row: no name broke a line.
    const tableLines = markdown.split('\n').filter((l) => l.startsWith('|'));
    expect(tableLines).toHaveLength(2 + reports.hostile.clusters.reduce((n, c) => n + c.members.length, 0));
    expect(codeTexts(html).sort()).toEqual(HOSTILE.map((n) => visible(n)).sort());
  });

  it('lists clusters largest first, marks the copy to keep, the copies to drop and identical copies', () => {
    const report = reports.many;
    const rows = tableRows(render(report)).slice(1);
    const ids = rows.map((r) => r[0]).filter((id) => id !== '').map(Number);
    const sizes = ids.map((id) => report.clusters.find((c) => c.id === id)!.members.length);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    let cluster = report.clusters[0]!;
    for (const [id, cell, similarity, action] of rows) {
      if (id) cluster = report.clusters.find((c) => c.id === Number(id))!;
      if (cell!.includes('more member')) continue;
      const member = cluster.members.find((m) => `<code>${m.path}</code>` === cell)!;
      expect(member, cell).toBeDefined();
      if (member.path === cluster.representative) expect([similarity, action]).toEqual(['', '<strong>keep</strong>']);
      else expect([similarity, action]).toEqual([member.exact ? 'identical' : percent(member.similarity), 'drop']);
    }
  });

  it(`shows at most ${MAX_MEMBER_ROWS} members of a cluster and counts the rest`, () => {
    const big = reports.many.clusters.find((c) => c.members.length === 26)!;
    const rows = tableRows(render(reports.many)).slice(1);
    const start = rows.findIndex((r) => r[0] === String(big.id));
    expect(rows.slice(start, start + MAX_MEMBER_ROWS).every((r) => r[1]!.startsWith('<code>'))).toBe(true);
    expect(rows[start + MAX_MEMBER_ROWS]![1]).toBe(`<em>… ${26 - MAX_MEMBER_ROWS} more members (${26 - MAX_MEMBER_ROWS} to drop)</em>`);
  });

  it(`stays under ${MARKDOWN_BUDGET} bytes and says how many clusters it left out`, () => {
    // 400 pairs with long names: several times the budget in full.
    const docs: SourceDocument[] = [];
    for (let i = 0; i < 400; i++) {
      const text = article(20_000 + i, 2);
      const dir = `outlet-${String(i).padStart(3, '0')}/${'section/'.repeat(12)}`;
      docs.push(doc(`${dir}story.txt`, text), doc(`${dir}story-copy.txt`, text));
    }
    const report = analyse(docs);
    expect(report.clusters).toHaveLength(400);
    const markdown = formatMarkdown(report);
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(MARKDOWN_BUDGET);
    expect(Buffer.byteLength(markdown)).toBeGreaterThan(MARKDOWN_BUDGET * 0.9); // it fills the room it has
    const shown = tableRows(markdownHtml(markdown)).slice(1).filter((r) => r[0] !== '').length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(400);
    expect(markdown).toContain(`*${400 - shown} more clusters (${2 * (400 - shown)} documents, ${400 - shown} to drop) left out`);
  });

  it('says so when clean, without a table; with --against, gives each side and never drops a baseline file', () => {
    const clean = formatMarkdown(reports.clean);
    expect(clean.split('\n')[0]).toBe('## dedupe: no near-duplicates');
    expect(clean).not.toContain('|');
    const rows = tableRows(render(reports.against));
    expect(rows[0]).toEqual(['cluster', 'document', 'side', 'similarity', 'action']);
    for (const c of reports.against.clusters) {
      for (const m of c.members) {
        const row = rows.find((r) => r[1] === `<code>${m.path}</code>`)!;
        expect(row[2]).toBe(m.side);
        if (m.side === 'baseline') expect(row[4]).not.toBe('drop');
      }
    }
    expect(formatMarkdown(reports.against)).toMatch(/\(\d+ incoming, \d+ baseline\)/);
  });
});

describe('github', () => {
  const commands = (text: string) => text.trimEnd().split('\n');

  it(`writes at most ${MAX_ANNOTATIONS} warnings, one per cluster first and the largest cluster first`, () => {
    const report = reports.many;
    const lines = commands(formatGithub(report));
    const warnings = lines.filter((l) => l.startsWith('::warning '));
    expect(warnings).toHaveLength(MAX_ANNOTATIONS);
    const clusterOf = (line: string) => report.clusters.find((c) => c.members.some((m) => isDuplicate(c, m) && line.startsWith(`::warning file=${m.path},`)))!;
    const first = warnings.slice(0, report.clusters.length).map(clusterOf);
    expect(new Set(first).size).toBe(report.clusters.length);
    const sizes = first.map((c) => c.members.length);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('then one notice with how many more, pointing to the step summary, and the rest listed in a log group', () => {
    const report = reports.many;
    const lines = commands(formatGithub(report));
    const notices = lines.filter((l) => l.startsWith('::notice '));
    expect(notices).toHaveLength(1);
    const more = report.summary.duplicates - MAX_ANNOTATIONS;
    expect(notices[0]).toContain(`title=dedupe%3A ${more} more near-duplicates not annotated::`);
    expect(notices[0]).toContain('--format markdown >> "$GITHUB_STEP_SUMMARY"');
    expect(lines.indexOf(notices[0]!)).toBe(MAX_ANNOTATIONS);
    const group = lines.slice(lines.findIndex((l) => l.startsWith('::group::')) + 1, lines.indexOf('::endgroup::'));
    expect(group).toHaveLength(more);
    expect(group.every((l) => l.startsWith('dedupe: '))).toBe(true);
    // Every duplicate is named exactly once: in a warning or in the group.
    const named = [...lines.filter((l) => l.startsWith('::warning ')).map((l) => /^::warning file=([^,]*),/.exec(l)![1]), ...group.map((l) => l.slice('dedupe: '.length).split(' is a')[0])];
    expect(named.sort()).toEqual(duplicatesOf(report).map((d) => d.member.path).sort());
    expect(lines.at(-1)).toBe(`dedupe: ${report.summary.duplicates} near-duplicates in ${report.summary.clusters} clusters (${report.summary.documents} documents, threshold 80.0%)`);
  });

  it('adds no notice when every duplicate has its warning, and lets no file name start a command', () => {
    for (const report of [reports.seeds, reports.hostile, reports.against]) {
      const lines = commands(formatGithub(report));
      expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(report.summary.duplicates);
      expect(lines.some((l) => l.startsWith('::notice') || l.startsWith('::group'))).toBe(false);
      // One line per warning plus the summary: a name's line break is escaped (%0A), never raw.
      expect(lines).toHaveLength(report.summary.duplicates + 1);
      for (const l of lines.slice(0, -1)) expect(l).toMatch(/^::warning file=[^:]*,line=1,title=[^:]*::/);
    }
    expect(escapeData('a\nb')).toBe('a%0Ab');
  });
});

describe('codeclimate (GitLab Code Quality)', () => {
  const issues = (report: Report) => JSON.parse(formatCodeClimate(report)) as CodeClimateIssue[];

  it("validates against GitLab's documented fields, for every report", () => {
    for (const [name, report] of Object.entries(reports)) expect(codeQualityErrors(issues(report)), name).toEqual([]);
  });

  it('the schema check can fail', () => {
    const mistakes: Array<[string, (i: Record<string, any>) => void]> = [
      ['no fingerprint', (i) => delete i.fingerprint],
      ['unknown severity', (i) => (i.severity = 'high')],
      ['line 0', (i) => (i.location.lines.begin = 0)],
      ['no line', (i) => delete i.location.lines],
      ['absolute path', (i) => (i.location.path = '/abs/a.txt')],
      ['two-line description', (i) => (i.description = 'a\nb')],
      ['unknown category', (i) => (i.categories = ['Copying'])],
    ];
    for (const [what, mutate] of mistakes) {
      const list = issues(reports.seeds) as unknown as Array<Record<string, any>>;
      mutate(list[0]!);
      expect(codeQualityErrors(list), what).not.toEqual([]);
    }
  });

  it('gives one issue per document to drop, located on it, with the copy to keep first in its trace', () => {
    for (const [name, report] of Object.entries(reports)) {
      const list = issues(report);
      expect(list.map((i) => i.location.path).sort(), name).toEqual(duplicatesOf(report).map((d) => d.member.path).sort());
      for (const d of duplicatesOf(report)) {
        const issue = list.find((i) => i.location.path === d.member.path)!;
        expect(issue.check_name).toBe(d.member.exact || d.member.similarity === 1 ? 'dedupe/exact-duplicate' : 'dedupe/near-duplicate');
        expect(issue.trace.locations[0]!.path).toBe(d.cluster.representative);
        expect(issue.description).toContain(percent(d.member.similarity));
        expect(issue.location.lines).toEqual({ begin: 1, end: Math.max(1, report.documents.find((x) => x.path === d.member.path)!.lines) });
      }
    }
    expect(formatCodeClimate(reports.clean)).toBe('[]\n');
  });

  it('has fingerprints unique in a report, the same as SARIF, and stable when the corpus grows', () => {
    const list = issues(reports.many);
    expect(new Set(list.map((i) => i.fingerprint)).size).toBe(list.length);
    const sarif = JSON.parse(formatSarif(reports.many)) as SarifLog;
    expect(sarif.runs[0]!.results.map((r) => r.partialFingerprints['dedupeDuplicate/v1']).sort()).toEqual(list.map((i) => i.fingerprint).sort());
    const grown = issues(analyse([...clustered([1, 3, 25, 2, 5, 5]), doc('corpus/late-arrival.txt', article(9999))]));
    expect(grown.map((i) => [i.location.path, i.fingerprint]).sort()).toEqual(list.map((i) => [i.location.path, i.fingerprint]).sort());
  });

  it('is written in pieces whose text is JSON.stringify of the issues at two-space indent, escaped', () => {
    for (const report of [...Object.values(reports), contained]) {
      const pieces = [...codeClimateChunks(report)];
      const text = pieces.join('');
      expect(formatCodeClimate(report)).toBe(text);
      expect(text).toBe(`${jsonText(JSON.parse(text), 2)}\n`);
    }
    expect([...codeClimateChunks(reports.many)].length).toBeGreaterThan(4); // runs of issues, not one text
  });

  it('writes no byte-order mark and keeps each description on one line', () => {
    const text = formatCodeClimate(reports.hostile);
    expect(text.charCodeAt(0)).toBe('['.charCodeAt(0));
    for (const i of issues(reports.hostile)) expect(i.description).not.toMatch(/[\r\n\x1b]/);
  });
});

describe('junit', () => {
  it("validates against Jenkins' junit-10.xsd (xmllint), hostile names and all", async () => {
    const errors = await junitErrors(Object.fromEntries(Object.entries(reports).map(([name, report]) => [name, formatJunit(report)])));
    expect(Object.keys(errors)).toEqual(Object.keys(reports));
    for (const name of Object.keys(reports)) expect(errors[name], name).toEqual([]);
  });

  it('shows a file that could not be read as a test case in error (the run exits 2), and still validates', async () => {
    const report = { ...reports.seeds, warnings: [{ path: 'in/locked.txt', message: 'cannot read: permission denied' }, { path: 'in/x.bin', message: 'skipped: binary file' }] };
    const xml = formatJunit(report);
    const judged = report.documents.filter((d) => d.side !== 'baseline').length;
    expect(xml).toContain(`<testsuite name="dedupe" tests="${judged + 1}" failures="${report.summary.duplicates}" errors="1"`);
    expect(xml).toContain('<testcase name="in/locked.txt" classname="dedupe">\n      <error type="unreadable" message="cannot read: permission denied"/>');
    expect(xml).not.toContain('in/x.bin');
    expect((await junitErrors({ unread: xml })).unread).toEqual([]);
  });

  it('the XSD check can fail', async () => {
    const xml = formatJunit(reports.seeds);
    const errors = await junitErrors({
      valid: xml,
      unnamed: xml.replace('<testsuite name="dedupe"', '<testsuite'),
      unknown: xml.replace('<properties>', '<properties><unknown/>'),
      control: xml.replace('classname="dedupe"', 'classname="\x01"'), // a raw control character is not XML
    });
    expect(errors.valid).toEqual([]);
    for (const broken of ['unnamed', 'unknown', 'control']) expect(errors[broken], broken).not.toEqual([]);
  });

  it('has one test case per document, failing exactly for the documents to drop', () => {
    for (const [name, report] of Object.entries(reports)) {
      const xml = formatJunit(report);
      const judged = report.documents.filter((d) => d.side !== 'baseline');
      // As a person sees them (see escape.ts), and what XML cannot hold as \uXXXX.
      const shown = (p: string) => visible(p).replace('\ufffe', '\\ufffe').replace('\ud800', '\\ud800');
      expect(xmlAttributes(xml, 'testcase', 'name'), name).toEqual(judged.map((d) => shown(d.path)));
      const dups = duplicatesOf(report);
      expect(xml.match(/<failure /g) ?? [], name).toHaveLength(dups.length);
      expect(xmlAttributes(xml, 'testsuite', 'tests')).toEqual([String(judged.length)]);
      expect(xmlAttributes(xml, 'testsuite', 'failures')).toEqual([String(dups.length)]);
    }
  });

  it('names the cluster, the copy to keep and the similarity in each failure message', () => {
    const xml = formatJunit(reports.many);
    const messages = xmlAttributes(xml, 'failure', 'message');
    for (const d of duplicatesOf(reports.many)) {
      const message = messages.find((m) => m.startsWith(`${d.member.path} is a`))!;
      expect(message).toContain(`of ${d.cluster.representative} `);
      expect(message).toContain(`Jaccard similarity ${percent(d.member.similarity)}`);
      expect(message).toContain(`cluster ${d.cluster.id}`);
      expect(message).toContain(`keep ${d.cluster.representative}.`);
    }
  });

  it('with --against, judges only incoming documents: a duplicate of a baseline file fails, naming it', () => {
    const report = reports.against;
    const xml = formatJunit(report);
    const baseline = report.documents.filter((d) => d.side === 'baseline').map((d) => d.path);
    for (const name of xmlAttributes(xml, 'testcase', 'name')) expect(baseline).not.toContain(name);
    const dup = duplicatesOf(report).find((d) => baseline.includes(d.cluster.representative))!;
    expect(dup).toBeDefined();
    expect(xmlAttributes(xml, 'failure', 'message').some((m) => m.includes(`of ${dup.cluster.representative} (baseline)`))).toBe(true);
  });
});

describe('containments (--containment)', () => {
  it('each is a finding in every CI format: a Code Quality issue, a failing test case, a table row, an annotation; all valid', async () => {
    const report = contained;
    expect(codeQualityErrors(JSON.parse(formatCodeClimate(report)))).toEqual([]);
    expect((await junitErrors({ contained: formatJunit(report) })).contained).toEqual([]);
    expect(report.containments?.map((x) => [x.contained, x.container])).toEqual([['short/article.txt', HOSTILE[1]]]);
    const issue = (JSON.parse(formatCodeClimate(report)) as CodeClimateIssue[]).find((i) => i.check_name === 'dedupe/contained-document');
    expect(issue?.location.path).toBe('short/article.txt');
    expect(issue?.trace.locations[0]?.path).toBe(HOSTILE[1]);
    const xml = formatJunit(report);
    expect(xmlAttributes(xml, 'failure', 'type')).toEqual(['contained-document']);
    expect(codeTexts(markdownHtml(formatMarkdown(report)))).toContain('short/article.txt');
    expect(formatGithub(report).split('\n').filter((l) => l.startsWith('::warning'))).toHaveLength(1);
  });
});

describe('the CLI', () => {
  it('writes each format with the exit codes unchanged, the same bytes on every run', async () => {
    for (const format of ['markdown', 'github', 'codeclimate', 'junit']) {
      const found = await dedupe([SEEDS, '--format', format]);
      expect(found.status, format).toBe(1);
      expect((await dedupe([SEEDS, '--format', format])).stdout, format).toBe(found.stdout);
      expect((await dedupe([SEEDS, '--format', format, '--exit-zero'])).status, format).toBe(0);
      const clean = await dedupe([path.join(ROOT, 'fixtures/against/incoming-clean'), '--format', format]);
      expect(clean.status, format).toBe(0);
      expect(clean.stderr, format).toBe('');
    }
  });
});
