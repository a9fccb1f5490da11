import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseCorpus, reportCorpus, reportForWriting } from '../src/report/build.js';
import { buildCorpus, sketchAll } from '../src/core/analyse.js';
import { DEFAULT_OPTIONS, type AnalyseOptions } from '../src/core/options.js';
import type { SourceDocument } from '../src/input/read.js';
import { isDuplicate } from '../src/report/duplicates.js';
import { escapeData, escapeProperty, formatGithub } from '../src/report/formats/github.js';
import { FORMAT_NAMES, REPORTERS, type Reporter, type ReporterContext } from '../src/report/formats/index.js';
import { formatJson, jsonChunks } from '../src/report/formats/json.js';
import { jsonText } from '../src/report/escape.js';
import { writeReportFile } from '../src/cli/output.js';
import { formatNdjson, formatNdjsonMessage, ndjsonChunks, reportMessages, type NdjsonMessage } from '../src/report/formats/ndjson.js';
import { formatPaths } from '../src/report/formats/paths.js';
import { formatSarif, MAX_NOTIFICATIONS, pathToUri, sarifChunks, sarifLog, type SarifLog } from '../src/report/formats/sarif.js';
import type { Report } from '../src/report/types.js';
import { percent } from '../src/report/numbers.js';
import { ROOT, tempDir } from './helpers/cli.js';
import { multitoolValidate, reportSchema, type MultitoolFinding, reportSchemaErrors, sarifSchemaErrors } from './helpers/schema.js';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const CTX: ReporterContext = { color: false, verbose: false, showBoilerplate: false };

function readDir(dir: string, prefix: string): SourceDocument[] {
  return readdirSync(path.join(ROOT, dir))
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(ROOT, dir, name));
      return { path: `${prefix}/${name}`, bytes: bytes.length, text: bytes.toString('utf8') };
    });
}

const analyse = (sources: SourceDocument[], options: Partial<AnalyseOptions> = {}, segmentText = false) =>
  analyseCorpus(sources, { ...DEFAULT_OPTIONS, ...options }, { tool: { name: pkg.name, version: pkg.version }, segmentText });

const seeds = readDir('fixtures/seeds', 'fixtures/seeds');
const seed = (prefix: string) => {
  const doc = seeds.find((s) => path.basename(s.path).startsWith(prefix));
  if (!doc) throw new Error(`no seed ${prefix}`);
  return doc;
};

/** The files a report says to drop, worked out here from the clusters by the duplicate rule (not by the reporters' list). */
const dropped = (report: Report) => report.clusters.flatMap((c) => c.members.filter((m) => isDuplicate(c, m)).map((m) => m.path));

// Reports the tests render: the seeds (one exact duplicate pair), the clean 002 + 003, a cluster of
// three with a near (not exact) duplicate, awkward file names, and a run against a baseline.
let reports: Record<'seeds' | 'clean' | 'near' | 'odd' | 'against', Report>;
let multitool: Promise<Record<string, MultitoolFinding[]>>;

/** Names with what each format must escape: `,` `:` `%` (and `%2C`), spaces, brackets, CR and LF. */
const ODD_REP = 'odd dir/odd,name:100%.txt\r\nsecond line [rep].txt';
const ODD_DUP = 'odd dir/a::b, 50%2C [dup]\n.txt';

beforeAll(() => {
  const near = { ...seed('000'), path: 'near/edited.txt', text: seed('000').text.replace('progress', 'movement') };
  reports = {
    seeds: analyse(seeds),
    clean: analyse([seed('002'), seed('003')]),
    near: analyse([seed('000'), near, seed('001')]),
    odd: analyse([{ ...seed('000'), path: ODD_REP }, { ...seed('001'), path: ODD_DUP }, seed('002')]),
    against: analyse([
      ...readDir('fixtures/against/incoming-dup', 'fixtures/against/incoming-dup').map((d) => ({ ...d, side: 'incoming' as const })),
      ...readDir('fixtures/against/baseline', 'fixtures/against/baseline').map((d) => ({ ...d, side: 'baseline' as const })),
    ]),
  };
  // One Multitool run (a .NET program, seconds to start) for every log: each test corpus's, and
  // one with two known faults to show that the check can fail. It runs while the other tests do;
  // the tests that read its findings come last.
  const broken = JSON.parse(formatSarif(reports.seeds)) as Record<string, any>;
  delete broken.runs[0].tool.driver.informationUri; // SARIF2005, a warning
  broken.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = '/absolute/path'; // SARIF1004, an error
  const logs = Object.fromEntries(Object.entries(reports).map(([name, report]) => [name, formatSarif(report)]));
  // With the root declared (--root), and with files outside it (absolute file:// uris).
  const outside = analyse([{ ...seed('000'), path: '/elsewhere/a.txt' }, { ...seed('001'), path: 'in root/b.txt' }]);
  logs.rooted = formatSarif(reports.near, { root: ROOT });
  logs.outside = formatSarif(outside, { root: '/srv/repo' });
  multitool = multitoolValidate({ ...logs, broken: JSON.stringify(broken) });
  multitool.catch(() => {}); // a failure is reported by the tests that await it
});

describe('the reports under test', () => {
  it('cover duplicates, a clean corpus, a near duplicate and a baseline', () => {
    expect(dropped(reports.seeds)).toEqual([seed('001').path]);
    expect(reports.clean.clusters).toEqual([]);
    const nearMembers = reports.near.clusters[0]!.members.filter((m) => m.path !== reports.near.clusters[0]!.representative);
    expect(nearMembers.some((m) => m.similarity < 1)).toBe(true);
    expect(nearMembers.some((m) => m.similarity === 1)).toBe(true);
    expect(dropped(reports.odd)).toEqual([ODD_DUP]);
    expect(reports.odd.clusters[0]!.representative).toBe(ODD_REP);
    expect(reports.against.documents.some((d) => d.side === 'baseline')).toBe(true);
    expect(reports.against.summary.duplicates).toBeGreaterThan(0);
  });

  it('never shows a member below the threshold as the threshold (JSON rounds 0.79996 to 0.8)', () => {
    const report = structuredClone(reports.near);
    const member = report.clusters[0]!.members.find((m) => m.path !== report.clusters[0]!.representative)!;
    Object.assign(member, { similarity: report.params.threshold, belowThreshold: true, exact: false });
    const at = percent(report.params.threshold);
    for (const format of ['text', 'markdown', 'html'] as const) {
      const out = REPORTERS[format](report, { color: false } as ReporterContext) as string;
      expect(out, format).toContain(percent(report.params.threshold - 0.001));
      expect(out.split('\n').filter((line) => line.includes(member.path) && line.includes(`${at} similar`)), format).toEqual([]);
    }
  });

  it('registers every format', () => {
    expect(FORMAT_NAMES).toEqual(expect.arrayContaining(['text', 'json', 'ndjson', 'sarif', 'github', 'markdown', 'codeclimate', 'junit', 'paths']));
  });
});

describe('report.schema.json', () => {
  it('states schemaVersion 1 in its $id', () => {
    expect(reportSchema.$id).toMatch(/v1\b/);
    expect(reportSchema.$id).toMatch(/^(https:|urn:)/);
  });

  it('accepts the JSON report of every test corpus', () => {
    for (const [name, report] of Object.entries(reports)) {
      expect(reportSchemaErrors(JSON.parse(formatJson(report)) as unknown), name).toEqual([]);
    }
  });

  it('accepts the optional fields: side, aSide/bSide, segment text', () => {
    const report = reports.against;
    expect(report.pairs.every((p) => p.aSide !== undefined && p.bSide !== undefined)).toBe(true);
    expect(report.clusters.flatMap((c) => c.members).every((m) => m.side !== undefined)).toBe(true);
    expect(reportSchemaErrors(JSON.parse(formatJson(report)))).toEqual([]);
    const withText = analyse(seeds, {}, true);
    expect(withText.documents[0]!.segments[0]!.text).toEqual(expect.any(String));
    expect(reportSchemaErrors(JSON.parse(formatJson(withText)))).toEqual([]);
  });

  it('rejects real mistakes', () => {
    const base = () => JSON.parse(formatJson(reports.seeds)) as Record<string, any>;
    const mistakes: Array<[string, (r: Record<string, any>) => void]> = [
      ['missing top-level field', (r) => delete r.summary],
      ['wrong schemaVersion', (r) => (r.schemaVersion = 2)],
      ['unknown segment kind', (r) => (r.documents[0].segments[0].kind = 'footer')],
      ['unknown boilerplate category', (r) => (r.documents[0].segments[1].category = 'advert')],
      ['category on a body segment', (r) => (r.documents[0].segments[0].category = 'promo')],
      ['category count under an unknown name', (r) => (r.documents[0].counts.categories.advert = 1)],
      ['similarity above 1', (r) => (r.pairs[0].similarity = 1.2)],
      ['similarity as a string', (r) => (r.clusters[0].members[0].similarity = '1')],
      ['missing pair field', (r) => delete r.pairs[0].fullSimilarity],
      ['aSide without bSide', (r) => (r.pairs[0].aSide = 'incoming')],
      ['unknown side', (r) => (r.documents[0].side = 'left')],
      ['cluster of one', (r) => r.clusters[0].members.splice(1)],
      ['line 0', (r) => (r.documents[0].segments[0].startLine = 0)],
      ['fractional count', (r) => (r.summary.duplicates = 0.5)],
      ['missing warning message', (r) => r.warnings.push({ path: 'x' })],
      ['unknown threshold type', (r) => (r.params.threshold = 'high')],
    ];
    for (const [what, mutate] of mistakes) {
      const report = base();
      mutate(report);
      expect(reportSchemaErrors(report), what).not.toEqual([]);
    }
  });

  it('strict check: a field the schema does not document fails, so a new field needs a schema entry', () => {
    const report = JSON.parse(formatJson(reports.seeds)) as Record<string, any>;
    report.pairs[0].jaccard = 1;
    expect(reportSchemaErrors(report).some((e) => e.startsWith('strict'))).toBe(true);
    // ... while the published schema lets v1 grow.
    expect(reportSchemaErrors(report).some((e) => e.startsWith('published'))).toBe(false);
  });
});

describe('json', () => {
  it('is written in pieces whose text is exactly JSON.stringify at two-space indent', () => {
    // Empty and filled arrays, nested objects, and a string the escaping rewrites (a bidi control).
    const odd = { ...reports.seeds, warnings: [{ path: 'a\u202eb.txt', message: 'line\nbreak' }] };
    for (const report of [...Object.values(reports), odd]) {
      const pieces = [...jsonChunks(report)];
      expect(pieces.length).toBeGreaterThan(report.documents.length);
      expect(pieces.join('')).toBe(`${jsonText(report, 2)}\n`);
    }
  });

  it('gives the same bytes when the documents are described as they are written (reportForWriting) as when they are held', () => {
    const sources = [...seeds, ...readDir('fixtures/boilerplate', 'fixtures/boilerplate')];
    for (const options of [DEFAULT_OPTIONS, { ...DEFAULT_OPTIONS, containment: 0.5 }, { ...DEFAULT_OPTIONS, boilerplate: false }]) {
      const state = buildCorpus(sources, sketchAll(sources, options), options);
      const context = { tool: { name: pkg.name, version: pkg.version }, warnings: [{ path: 'x.bin', message: 'binary' }] };
      const held = reportCorpus(state, context);
      const written = reportForWriting(state, context);
      expect(held.clusters.length).toBeGreaterThan(0);
      expect(written.documents.length).toBe(sources.length);
      expect([...jsonChunks(written)].join('')).toBe([...jsonChunks(held)].join(''));
    }
  });

  it('writes exactly JSON.stringify(report, null, 2) with the escapes, over many runs of elements holding hostile strings', async () => {
    // C1 controls, DEL, U+2028/2029, bidi controls, ALM, lone surrogates, a pair, CR and LF in paths.
    const hostile = ['\x85', '\x9b', '\x7f', '\u2028', '\u2029', '\u202e', '\u2066', '\u061c', '\u200f', '\ud800', '\udfff', '\u{1f600}', '\r\n', '\n', '\u2026'];
    const base = reports.seeds.documents[0] as Report['documents'][number];
    // Most documents plain, so that runs with and without something to escape both occur.
    const documents = Array.from({ length: 3000 }, (_, i) => ({
      ...base,
      path: i % 97 === 0 ? `dir${hostile[i % hostile.length]}/f${i}${hostile[(i + 1) % hostile.length]}.txt` : `dir/f${i}.txt`,
    }));
    const report: Report = {
      ...reports.seeds,
      documents,
      warnings: [{ path: 'a\u202eb\ud83d.txt', message: 'line\nbreak\u2028\x9b' }],
    };
    const expected = `${JSON.stringify(report, null, 2).replace(/[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
    const pieces = [...jsonChunks(report)];
    expect(pieces.join('')).toBe(expected);
    // In pieces of bounded size, not the whole text at once.
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(expected.length / 20);
    // And written to a file as those bytes (UTF-8, lone surrogates as U+FFFD, as Buffer.from writes them).
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'report.json');
      await writeReportFile(file, jsonChunks(report), { stdout: process.stdout, stderr: process.stderr, cwd: dir });
      expect(readFileSync(file).equals(Buffer.from(expected))).toBe(true);
    } finally {
      cleanup();
    }
  });
});

describe('sarif', () => {
  it('writes a record id holding half a surrogate pair (JSON allows one) as U+FFFD, not a crash', () => {
    expect(pathToUri('data.jsonl#a\ud800b')).toBe('data.jsonl%23a%EF%BF%BDb');
    expect(pathToUri('data.jsonl#\udc00')).toBe('data.jsonl%23%EF%BF%BD');
    expect(pathToUri('emoji#\ud83d\ude00/x y')).toBe('emoji%23%F0%9F%98%80/x%20y');
  });

  it('is written in pieces whose text is exactly jsonText(sarifLog) at two-space indent', () => {
    // Many results, so that they come in several runs, with names to escape, with --containment
    // results after them, with a root and without; and logs with no results.
    const near = reports.near;
    // (No lone surrogate: a file name read from disk holds none, and encodeURIComponent throws on one.)
    const hostile = ['\x85', '\u2028', '\u202e', '\u2066', '\n', '\u{1f600}'];
    const clusters = Array.from({ length: 400 }, (_, i) =>
      near.clusters.map((c) => ({
        ...c,
        id: c.id + i * near.clusters.length,
        representative: `${i}${c.representative}`,
        members: c.members.map((m) => ({ ...m, path: `${i}${hostile[i % hostile.length]}${m.path}` })),
      })).map((c) => ({ ...c, members: c.members.map((m, j) => (j === 0 ? { ...m, path: c.representative } : m)) })),
    ).flat();
    const many: Report = { ...near, clusters };
    const contained: Report = { ...many, containments: [{ contained: 'a\u2029.txt', container: 'b.txt', containment: 0.9, similarity: 0.5 }] };
    for (const report of [...Object.values(reports), many, contained, { ...contained, clusters: [] }]) {
      for (const root of [undefined, '/srv/repo']) {
        const pieces = [...sarifChunks(report, root)];
        expect(pieces.join('')).toBe(`${jsonText(sarifLog(report, root), 2)}\n`);
        expect(formatSarif(report, { root })).toBe(pieces.join(''));
      }
    }
    expect(sarifLog(many).runs[0]!.results.length).toBeGreaterThan(400);
    expect([...sarifChunks(many)].length).toBeGreaterThan(4);
  });
});

describe('ndjson', () => {
  const parse = (text: string) => {
    expect(text.endsWith('\n')).toBe(true);
    return text
      .slice(0, -1)
      .split('\n')
      .map((line) => JSON.parse(line) as NdjsonMessage);
  };
  const defOf: Record<NdjsonMessage['type'], string> = {
    begin: 'ndjsonBegin',
    document: 'document',
    pair: 'pair',
    cluster: 'cluster',
    summary: 'ndjsonSummary',
  };

  it('writes one line per message, each valid against its $defs entry', () => {
    for (const [name, report] of Object.entries(reports)) {
      const messages = parse(formatNdjson(report));
      expect(messages).toHaveLength(report.documents.length + report.pairs.length + report.clusters.length + 2);
      for (const message of messages) {
        expect(reportSchemaErrors(message, 'ndjsonMessage'), `${name} ${message.type}`).toEqual([]);
        expect(reportSchemaErrors(message.data, defOf[message.type]), `${name} ${message.type}`).toEqual([]);
      }
    }
  });

  it('orders begin, documents, pairs, clusters, summary, and carries the whole report', () => {
    const report = reports.near;
    const messages = parse(formatNdjson(report));
    const types = messages.map((m) => m.type);
    const order = ['begin', 'document', 'pair', 'cluster', 'summary'];
    expect([...types].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(types);
    expect(types[0]).toBe('begin');
    expect(types.at(-1)).toBe('summary');

    const rebuilt: Record<string, unknown> = { documents: [], clusters: [], pairs: [] };
    for (const m of messages) {
      if (m.type === 'begin') Object.assign(rebuilt, m.data);
      else if (m.type === 'summary') Object.assign(rebuilt, m.data);
      else (rebuilt[`${m.type}s`] as unknown[]).push(m.data);
    }
    expect(rebuilt).toEqual(JSON.parse(formatJson(report)));
  });

  it('is written in pieces whose text is formatNdjsonMessage of each message, escapes included', () => {
    const hostile = ['\x85', '\x7f', '\u2028', '\u2029', '\u202e', '\u061c', '\ud800', '\n', '\u{1f600}'];
    const base = reports.seeds.documents[0] as Report['documents'][number];
    const documents = Array.from({ length: 500 }, (_, i) => ({ ...base, path: i % 37 === 0 ? `d${hostile[i % hostile.length]}/${i}.txt` : `d/${i}.txt` }));
    for (const report of [...Object.values(reports), { ...reports.seeds, documents }]) {
      const pieces = [...ndjsonChunks(report)];
      expect(pieces.join('')).toBe(reportMessages(report).map(formatNdjsonMessage).join(''));
      expect(formatNdjson(report)).toBe(pieces.join(''));
      if (report.documents === documents) expect(pieces.length).toBeGreaterThan(10);
    }
  });

  it('keeps a message on one line when a path holds a newline', () => {
    const report = reports.odd;
    const text = formatNdjson(report);
    expect(text.split('\n')).toHaveLength(reportMessages(report).length + 1);
    const docs = parse(text).filter((m) => m.type === 'document');
    expect(docs.map((m) => m.data.path)).toEqual(report.documents.map((d) => d.path));
  });

  it('--format ndjson escapes U+2028 and U+2029 too, so no line reader splits a message', () => {
    const names = ['a\u2029paragraph/a.txt', 'b\u2028line/b.txt'];
    const report = analyse([{ ...seed('000'), path: names[0]! }, { ...seed('001'), path: names[1]! }]);
    const ndjson: Reporter = REPORTERS.ndjson;
    const text = ndjson(report, CTX);
    expect(text).not.toMatch(/[\u2028\u2029]/);
    const messages = parse(text);
    expect(messages.map((m) => m.type)).toEqual(['begin', 'document', 'document', 'pair', 'cluster', 'summary']);
    expect(messages.filter((m) => m.type === 'document').map((m) => m.data.path)).toEqual(names);
  });
});

describe('sarif', () => {
  const render = (report: Report) => JSON.parse(formatSarif(report)) as SarifLog;

  it('passes the SARIF 2.1.0 JSON schema', () => {
    for (const [name, report] of Object.entries(reports)) expect(sarifSchemaErrors(render(report)), name).toEqual([]);
  });

  it("carries the run's warnings as tool notifications (a file skipped or not read), capped, and still passes the schema", () => {
    const warned: Report = { ...reports.seeds, warnings: [{ path: 'in/bin.dat', message: 'skipped: binary file (NUL byte in the first 8 KiB)' }] };
    const log = render(warned);
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [{ level: 'warning', message: { text: 'skipped: binary file (NUL byte in the first 8 KiB)' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'in/bin.dat', uriBaseId: 'SRCROOT' } } }] }],
      },
    ]);
    expect(render(reports.seeds).runs[0]!.invocations).toBeUndefined();
    // A file that could not be read (exit 2) is an error notification, not a warning.
    const unread = render({ ...reports.seeds, warnings: [{ path: 'in/locked.txt', message: 'cannot read: permission denied' }] });
    expect(sarifSchemaErrors(unread)).toEqual([]);
    expect(unread.runs[0]!.invocations![0]!.toolExecutionNotifications[0]!.level).toBe('error');
    const many: Report = { ...reports.seeds, warnings: Array.from({ length: MAX_NOTIFICATIONS + 5 }, (_, i) => ({ path: `in/${i}.bin`, message: 'skipped' })) };
    const notes = render(many).runs[0]!.invocations![0]!.toolExecutionNotifications;
    expect(notes).toHaveLength(MAX_NOTIFICATIONS + 1);
    expect(notes.at(-1)).toEqual({ level: 'note', message: { text: '5 more warnings: the JSON report lists them all' } });
  });

  it('the schema check can fail', () => {
    const log = render(reports.seeds) as unknown as Record<string, any>;
    log.runs[0].results[0].level = 'severe';
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(sarifSchemaErrors(log).length).toBeGreaterThanOrEqual(2);
  });

  it('has results: [] when clean, and the rules either way', () => {
    const log = render(reports.clean);
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual(['near-duplicate', 'exact-duplicate']);
    expect(log.runs[0]!.tool.driver.version).toBe(pkg.version);
  });

  it('reports one result per duplicate document, on the duplicate, with the copy to keep related', () => {
    for (const [name, report] of Object.entries(reports)) {
      const results = render(report).runs[0]!.results;
      expect(results, name).toHaveLength(report.summary.duplicates);
      expect(results.map((r) => decodeURIComponent(r.locations[0]!.physicalLocation.artifactLocation.uri)), name).toEqual(dropped(report));
      for (const r of results) {
        const cluster = report.clusters.find((c) => c.id === r.properties.cluster)!;
        const member = cluster.members.find((m) => pathToUri(m.path) === r.locations[0]!.physicalLocation.artifactLocation.uri)!;
        expect(r.ruleId).toBe(member.similarity === 1 ? 'exact-duplicate' : 'near-duplicate');
        expect(r.locations[0]!.physicalLocation.region.startLine).toBe(1);
        expect(r.relatedLocations[0]!.physicalLocation.artifactLocation.uri).toBe(pathToUri(cluster.representative));
        expect(r.relatedLocations).toHaveLength(cluster.members.length - 1);
        expect(r.message.text).toContain(percent(member.similarity));
        // Every embedded link points at a related location.
        const ids = new Set(r.relatedLocations.map((l) => l.id));
        for (const [, id] of r.message.text.matchAll(/\]\((\d+)\)/g)) expect(ids.has(Number(id))).toBe(true);
      }
    }
  });

  it('names the similarity and the copy to keep in the message', () => {
    const r = render(reports.seeds).runs[0]!.results[0]!;
    expect(r.message.text).toBe(
      `${seed('001').path} is an exact duplicate of [${seed('000').path}](1) (Jaccard similarity 100.0% on the article body); keep [${seed('000').path}](1).`,
    );
    const near = render(reports.near).runs[0]!.results.find((x) => x.ruleId === 'near-duplicate');
    expect(near?.message.text).toMatch(/is a near-duplicate of .* \(Jaccard similarity \d+\.\d% on the article body\)/);
  });

  it('encodes awkward file names as relative URI references', () => {
    const r = render(reports.odd).runs[0]!.results[0]!;
    const uri = r.locations[0]!.physicalLocation.artifactLocation.uri;
    expect(uri).not.toMatch(/[\s[\]]/);
    expect(uri.split('/').map(decodeURIComponent).join('/')).toBe(ODD_DUP);
    expect(r.message.text).toContain('\\[dup\\]'); // brackets in plain text are escaped, not links
  });
});

describe('github', () => {
  /** Parse a workflow command line and undo the escaping as the Actions runner does (`%25` last). */
  function decode(line: string) {
    const m = /^::([a-z]+) ([^:]*)::(.*)$/s.exec(line);
    if (!m) return undefined;
    const unescape = (s: string, tokens: Array<[string, string]>) => [...tokens, ['%25', '%'] as [string, string]].reduce((acc, [from, to]) => acc.split(from).join(to), s);
    const data: Array<[string, string]> = [['%0D', '\r'], ['%0A', '\n']];
    const property: Array<[string, string]> = [...data, ['%3A', ':'], ['%2C', ',']];
    const properties: Record<string, string> = {};
    for (const pair of m[2]!.split(',')) {
      const eq = pair.indexOf('=');
      properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), property);
    }
    return { command: m[1]!, properties, message: unescape(m[3]!, data) };
  }

  it('escapes as @actions/core does', () => {
    expect(escapeData('a%b\r\nc:d,e')).toBe('a%25b%0D%0Ac:d,e');
    expect(escapeProperty('a%b\r\nc:d,e')).toBe('a%25b%0D%0Ac%3Ad%2Ce');
    expect(escapeProperty('%0A')).toBe('%250A');
  });

  it('writes one warning per duplicate document (up to 10), then a summary line', () => {
    for (const [name, report] of Object.entries(reports)) {
      const lines = formatGithub(report).split('\n');
      expect(lines.pop(), name).toBe('');
      const summary = lines.pop()!;
      expect(summary.startsWith('::'), name).toBe(false);
      expect(summary).toMatch(/^dedupe: /);
      const annotations = lines.map(decode);
      expect(annotations.every((a) => a?.command === 'warning'), name).toBe(true);
      // Most important first (tests/ci-formats.test.ts), so in another order than the clusters'.
      expect(annotations.map((a) => a!.properties.file).sort(), name).toEqual(dropped(report).sort());
      expect(annotations.every((a) => a!.properties.line === '1'), name).toBe(true);
    }
  });

  it('round-trips file names and titles with , : % CR and LF', () => {
    const lines = formatGithub(reports.odd).split('\n');
    expect(lines).toHaveLength(3); // one annotation, the summary, and the final newline: nothing leaked a raw newline
    const a = decode(lines[0]!)!;
    expect(a.properties.file).toBe(ODD_DUP);
    expect(a.properties.title).toContain(ODD_REP);
    expect(a.message).toContain(ODD_DUP);
    expect(a.message).toContain(`keep ${ODD_REP}`);
    expect(Object.keys(a.properties).sort()).toEqual(['file', 'line', 'title']);
  });

  it('summarises', () => {
    const { documents, duplicates, clusters } = reports.seeds.summary;
    expect(formatGithub(reports.seeds).trimEnd().split('\n').at(-1)).toBe(
      `dedupe: ${duplicates} near-duplicate in ${clusters} cluster (${documents} documents, threshold ${percent(reports.seeds.params.threshold)})`,
    );
    expect(formatGithub(reports.clean)).toBe(`dedupe: no near-duplicates in ${reports.clean.summary.documents} documents\n`);
  });
});

describe('paths', () => {
  it('lists the files to drop, one per line, in cluster order', () => {
    for (const [name, report] of Object.entries(reports)) {
      if (name === 'odd') continue; // a newline in a name needs -0
      const out = formatPaths(report, CTX);
      expect(out === '' ? [] : out.slice(0, -1).split('\n'), name).toEqual(dropped(report));
    }
    expect(formatPaths(reports.clean, CTX)).toBe('');
  });

  it('with --keep, lists the files to keep: every incoming document that is not dropped, in document order', () => {
    for (const [name, report] of Object.entries(reports)) {
      const kept = formatPaths(report, { ...CTX, listKept: true, nul: true }).split('\0').slice(0, -1);
      const drop = new Set(dropped(report));
      expect(kept, name).toEqual(report.documents.filter((d) => d.side !== 'baseline' && !drop.has(d.path)).map((d) => d.path));
      for (const c of report.clusters) if (c.members[0]!.side !== 'baseline') expect(kept).toContain(c.representative);
    }
    expect(formatPaths(reports.seeds, { ...CTX, listKept: true })).toBe(`${seed('000').path}\n${seed('002').path}\n${seed('003').path}\n`);
  });

  describe('-0 through xargs -0', () => {
    let dir: string;
    let cleanup: () => void;
    let report: Report;
    const names = ['a dir/with space.txt', 'a dir/new\nline.txt', 'plain.txt', 'a dir/odd,name:100%.txt'];

    beforeAll(() => {
      ({ dir, cleanup } = tempDir());
      mkdirSync(path.join(dir, 'a dir'));
      // Three copies of one article (001 is 000 without the bio, so 000 is the longest) and one other.
      const texts = [seed('001').text, seed('001').text, seed('000').text, seed('002').text];
      names.forEach((name, i) => writeFileSync(path.join(dir, name), texts[i]!));
      report = analyse(names.map((name, i) => ({ path: name, bytes: Buffer.byteLength(texts[i]!), text: texts[i]! })));
    });
    afterAll(() => cleanup());

    const xargs = (input: string) => {
      // stat fails on a name that does not exist; %n\0 prints each name exactly as received.
      const r = spawnSync('xargs', ['-0', '-r', 'stat', '--printf', '%n\\0', '--'], { cwd: dir, input, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return r.stdout.split('\0').slice(0, -1);
    };

    it('yields exactly the files to drop', () => {
      expect(dropped(report)).toHaveLength(2);
      expect(xargs(formatPaths(report, { ...CTX, nul: true }))).toEqual(dropped(report));
    });

    it('yields exactly the files to keep', () => {
      const kept = xargs(formatPaths(report, { ...CTX, nul: true, listKept: true }));
      expect(kept.sort()).toEqual(names.filter((n) => !dropped(report).includes(n)).sort());
    });

    it('yields nothing when clean', () => {
      expect(xargs(formatPaths(reports.clean, { ...CTX, nul: true }))).toEqual([]);
    });
  });
});

describe('sarif: the SARIF Multitool', () => {
  it('passes the SARIF Multitool with no errors and no warnings', { timeout: 120_000 }, async () => {
    const findings = await multitool;
    for (const name of [...Object.keys(reports), 'rooted', 'outside']) {
      expect(findings[name], name).toBeDefined();
      expect(findings[name]!.filter((f) => f.level === 'error' || f.level === 'warning'), name).toEqual([]);
    }
  });

  it('the Multitool check can fail', { timeout: 120_000 }, async () => {
    const levels = (await multitool).broken!.map((f) => `${f.level} ${f.ruleId}`);
    expect(levels).toEqual(expect.arrayContaining(['warning SARIF2005', 'error SARIF1004']));
  });
});

describe('the text report at scale', () => {
  it('lists the boilerplate of 60,000 documents (--show-boilerplate) without overflowing the stack', () => {
    const report = analyse(seeds, {}, true);
    const withBoilerplate = report.documents.find((d) => d.segments.some((s) => s.kind === 'boilerplate'))!;
    const documents = Array.from({ length: 60_000 }, (_, i) => ({ ...withBoilerplate, path: `copies/${i}.txt` }));
    const text = REPORTERS.text({ ...report, documents }, { ...CTX, showBoilerplate: true, showUnique: true }) as string;
    expect(text).toContain('copies/59999.txt');
  });
});
