import { mkdirSync, symlinkSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  analyse,
  analyseFiles,
  DedupeError,
  DEFAULT_OPTIONS,
  exitCodeFor,
  extractBodies,
  extractBody,
  FORMAT_NAMES,
  formatReport,
  resolveOptions,
  type Report,
  type Source,
} from '../src/index.js';
import * as lowlevel from '../src/lowlevel.js';
import { dedupe, ROOT, SEEDS, tempDir } from './helpers/cli.js';
import { seededRandom } from './helpers/random.js';
import { bodyText } from '../src/core/analyse.js';

const seedFiles = ['000_07ea92c0e8dc5bc0.txt', '001_aa7fafff98e3fb85.txt', '002_59aa2b53633dd852.txt', '003_e99bd238092f2c2c.txt'];
const seedSources = () => seedFiles.map((f) => ({ path: `fixtures/seeds/${f}`, text: readFileSync(path.join(SEEDS, f), 'utf8') }));

/** The DedupeError `fn` throws (sync or async). */
async function errorOf(fn: () => unknown): Promise<DedupeError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DedupeError);
    return error as DedupeError;
  }
  throw new Error('expected a DedupeError');
}

describe('analyseFiles and analyse', () => {
  it('give the report the CLI prints, from files or from texts', async () => {
    const cli = await dedupe(['fixtures/seeds', '--format', 'json']);
    expect(cli.status).toBe(1);
    const fromFiles = await analyseFiles(['fixtures/seeds'], { cwd: ROOT });
    expect(formatReport(fromFiles, 'json')).toBe(cli.stdout);
    expect(exitCodeFor(fromFiles)).toBe(1);

    const fromTexts = await analyse(seedSources());
    const { clusters, pairs, summary, params } = JSON.parse(cli.stdout) as Report;
    expect({ clusters: fromTexts.clusters, pairs: fromTexts.pairs, summary: fromTexts.summary, params: fromTexts.params }).toEqual({ clusters, pairs, summary, params });
    expect((await analyse(seedSources(), { threads: 1 })).pairs).toEqual(pairs);
  });

  it('merge partial options over the defaults', async () => {
    const report = await analyse(seedSources(), { threshold: 0.95, ngram: 3 });
    expect(report.params).toMatchObject({ threshold: 0.95, ngram: 3, numPerm: DEFAULT_OPTIONS.numPerm, compare: 'body' });
    expect(resolveOptions({ compare: 'full' })).toEqual({ ...DEFAULT_OPTIONS, compare: 'full' });
    expect(resolveOptions()).toEqual(DEFAULT_OPTIONS);
  });

  it('reject bad options with a DedupeError naming the option', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ threshold: 5 }, /^threshold must be a number in \(0, 1\], got 5$/],
      [{ ngram: 0 }, /^ngram must be a whole number from 1 to 64/],
      [{ shingle: 'line' }, /^shingle must be word or char/],
      [{ allPairs: 'yes' }, /^allPairs must be true or false/],
      [{ treshold: 0.9 }, /unknown option "treshold"/],
      [{ threads: 0 }, /^threads must be a whole number/],
    ];
    for (const [options, message] of cases) {
      const error = await errorOf(() => analyse(seedSources(), options));
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toMatch(message);
    }
    expect((await errorOf(() => analyseFiles(['fixtures/seeds'], { cwd: ROOT, maxFileSize: -1 }))).message).toMatch(/^maxFileSize/);
    expect((await errorOf(() => analyse([{ path: 'a', text: 'x' }, { path: 'a', text: 'y' }]))).code).toBe('INVALID_ARGUMENT');
    // A hole in the array, an empty path, a report half made: INVALID_ARGUMENT, never a TypeError.
    // eslint-disable-next-line no-sparse-arrays
    expect((await errorOf(() => analyse([, { path: 'a', text: 'x' }] as Source[]))).code).toBe('INVALID_ARGUMENT');
    expect((await errorOf(() => analyse([{ path: '', text: 'x' }]))).message).toBe('sources[0].path is empty (paths name documents in the report)');
    const halfMade = { summary: {}, clusters: [] } as unknown as Report;
    for (const call of [() => formatReport(halfMade, 'text'), () => exitCodeFor(halfMade)]) {
      expect((await errorOf(async () => call())).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('read with the CLI input rules: globs, hidden and binary files skipped, baseline sides', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const text = readFileSync(path.join(SEEDS, seedFiles[0]!), 'utf8');
      mkdirSync(path.join(dir, 'docs'));
      writeFileSync(path.join(dir, 'docs', 'a.txt'), text);
      writeFileSync(path.join(dir, 'docs', 'b.txt'), text);
      writeFileSync(path.join(dir, 'docs', 'c.md'), text);
      writeFileSync(path.join(dir, 'docs', 'bin.txt'), Buffer.from([0x61, 0, 0x62]));
      writeFileSync(path.join(dir, 'docs', '.hidden.txt'), text);
      const report = await analyseFiles(['docs'], { cwd: dir, include: ['*.txt'] });
      expect(report.documents.map((d) => d.path)).toEqual(['docs/a.txt', 'docs/b.txt']);
      expect(report.warnings).toEqual([{ path: 'docs/bin.txt', message: 'skipped: binary file (NUL byte in the first 8 KiB)' }]);
      expect(report.summary).toMatchObject({ documents: 2, clusters: 1, duplicates: 1, skipped: 1 });

      const against = await analyseFiles(['docs/a.txt'], { cwd: dir, against: ['docs/c.md'] });
      expect(against.documents.map((d) => [d.path, d.side])).toEqual([['docs/a.txt', 'incoming'], ['docs/c.md', 'baseline']]);
      expect(against.summary.duplicates).toBe(1);
    } finally {
      cleanup();
    }
  });

  it('throw PATH_NOT_FOUND and NO_INPUT as the CLI exits 2; allowEmpty gives a report', async () => {
    const { dir, cleanup } = tempDir();
    try {
      expect((await errorOf(() => analyseFiles(['missing'], { cwd: dir }))).code).toBe('PATH_NOT_FOUND');
      const empty = await errorOf(() => analyseFiles(['.'], { cwd: dir }));
      expect([empty.code, empty.message]).toEqual(['NO_INPUT', 'no files to read in .']);
      const report = await analyseFiles(['.'], { cwd: dir, allowEmpty: true });
      expect(report.summary.documents).toBe(0);
      expect(report.warnings).toEqual([{ path: '.', message: 'no files to read' }]);
      expect(exitCodeFor(report)).toBe(0);
    } finally {
      cleanup();
    }
  });

  it('count unreadable files for exitCodeFor (2, as the CLI exits)', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(path.join(dir, 'a.txt'), 'some words here');
      symlinkSync(path.join(dir, 'gone.txt'), path.join(dir, 'dangling.txt'));
      const report = await analyseFiles(['.'], { cwd: dir });
      expect(report.warnings).toEqual([{ path: 'dangling.txt', message: 'cannot read: no such file (a broken symbolic link?)' }]);
      expect(exitCodeFor(report)).toBe(2);
      expect(exitCodeFor(report, { readErrors: 0 })).toBe(0);
    } finally {
      cleanup();
    }
  });
});

describe('exitCodeFor', () => {
  it('is 1 for duplicates unless allowed, 2 for read errors', async () => {
    const report = await analyse(seedSources());
    expect(report.summary.duplicates).toBe(1);
    expect(exitCodeFor(report)).toBe(1);
    expect(exitCodeFor(report, { maxDuplicates: 1 })).toBe(0);
    expect(exitCodeFor(report, { exitZero: true })).toBe(0);
    expect(exitCodeFor(report, { readErrors: 1, exitZero: true })).toBe(2);
    expect((await errorOf(() => exitCodeFor(report, { maxDuplicates: -1 }))).message).toMatch(/^maxDuplicates/);
  });
});

describe('formatReport', () => {
  it('renders every CLI format, and names a bad one', async () => {
    const report = await analyse(seedSources());
    expect(formatReport(report, 'paths')).toBe('fixtures/seeds/001_aa7fafff98e3fb85.txt\n');
    expect(formatReport(report, 'paths', { listKept: true, nul: true })).toContain('fixtures/seeds/000_07ea92c0e8dc5bc0.txt\0');
    expect(JSON.parse(formatReport(report, 'sarif'))).toMatchObject({ version: '2.1.0' });
    expect(formatReport(report, 'text')).toContain('fixtures/seeds/000_07ea92c0e8dc5bc0.txt');
    expect(formatReport(report, 'text')).not.toContain('\u001b[');
    expect(formatReport(report, 'ndjson').trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type)[0]).toBe('begin');
    expect(formatReport(report, 'github')).toMatch(/^::/m);
    expect(formatReport(report, 'markdown')).toMatch(/^## dedupe: 1 near-duplicate/);
    expect(JSON.parse(formatReport(report, 'codeclimate'))).toHaveLength(1);
    expect(formatReport(report, 'junit')).toContain('<testsuites name="dedupe" tests="4" failures="1"');
    expect(formatReport(report, 'html')).toMatch(/^<!doctype html>/);
    const error = await errorOf(() => formatReport(report, 'xml' as 'json'));
    expect([error.code, error.message]).toEqual(['INVALID_OPTION', `format must be one of ${FORMAT_NAMES.join(', ')}, got "xml"`]);
    expect((await errorOf(() => formatReport(report, 'text', { colour: true } as object))).message).toMatch(/unknown option "colour"/);
  });
});

describe('extractBody', () => {
  it('gives the body `dedupe body` prints, and the segments behind it', async () => {
    const read = (name: string) => readFileSync(path.join(ROOT, 'fixtures', 'boilerplate', name), 'utf8');
    const article = read('article-harbour.txt');
    const text = `${article}\n${read('footer-gazette.txt')}`;
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(path.join(dir, 'page.txt'), text);
      const { body, segments, lines } = extractBody(text);
      expect(`${body}\n`).toBe((await dedupe(['body', 'page.txt'], { cwd: dir })).stdout);
      expect(body).toBe(article.trimEnd());
      expect(segments.filter((s) => s.kind === 'boilerplate').length).toBeGreaterThan(0);
      expect(segments.every((s) => s.reasons.length > 0)).toBe(true);
      expect(segments.at(-1)!.endLine).toBe(lines);
      expect(extractBody(text, { boilerplate: false }).body).toBe(text.trimEnd());
      expect(extractBodies([{ path: 'page.txt', text }])[0]!.body).toBe(body);
    } finally {
      cleanup();
    }
  });
});

describe('dedupe body', () => {
  it('prints, for a corpus of files and records, the bodies extractBodies gives of the texts in memory', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const read = (name: string) => readFileSync(path.join(ROOT, 'fixtures', 'boilerplate', name), 'utf8');
      const footer = read('footer-gazette.txt');
      const sentence = (i: number) => `Report ${i} says the harbour board met on day ${i} and agreed on plan number ${i * 7}.`;
      // A shared footer after each article (the corpus evidence cuts it), blank lines to trim, and records.
      const texts = Array.from({ length: 12 }, (_, i) => `\n  \n${sentence(i)}\n\n${sentence(i + 100)}\n${footer}\n \t\n`);
      texts.forEach((text, i) => writeFileSync(path.join(dir, `a${String(i).padStart(2, '0')}.txt`), text));
      const records = [sentence(500), `${sentence(501)}\n${footer}`];
      writeFileSync(path.join(dir, 'z.jsonl'), `${records.map((text, i) => JSON.stringify({ id: `r${i}`, text })).join('\n')}\n`);
      const sources = [...texts.map((text, i) => ({ path: `a${String(i).padStart(2, '0')}.txt`, text })), ...records.map((text, i) => ({ path: `z.jsonl#${i + 1}`, text }))];
      const expected = extractBodies(sources).map(({ body }, i) => `==> ${sources[i]!.path} <==\n${body}\n`).join('\n');
      const { status, stdout } = await dedupe(['body', '.'], { cwd: dir });
      expect(status).toBe(0);
      expect(stdout).toBe(expected);
      expect(stdout).not.toContain('\n\n\n');
    } finally {
      cleanup();
    }
  });

  it('trims blank lines before and after the body, and keeps those inside it', () => {
    // The definition: the body lines joined, less leading blank lines and trailing ones (a blank
    // line is spaces and tabs at most; the last line stays when every line is blank).
    const trimmed = (lines: string[]) => lines.join('\n').replace(/^(?:[ \t]*\n)+|(?:\n[ \t]*)+$/g, '');
    const pieces = ['', ' ', '\t', ' \t ', 'word', ' two words ', '\u00a0', '\f'];
    const random = seededRandom(21);
    for (let t = 0; t < 5000; t++) {
      const lines = Array.from({ length: Math.floor(random() * 7) }, () => pieces[Math.floor(random() * pieces.length)]!);
      const all = lines.length > 0 ? [{ startLine: 1, endLine: lines.length, kind: 'body' as const, confidence: 1, reasons: [] }] : [];
      expect(bodyText(lines, all), JSON.stringify(lines)).toBe(trimmed(lines));
    }
  });
});

describe('dedupe/lowlevel', () => {
  it('has the stages to build a pipeline from', () => {
    const { prepareDocument, shingleHashes, sketcherFor, chooseBands, candidatePairs, exactJaccard, UnionFind } = lowlevel;
    const texts = seedSources().map((s) => s.text);
    const shingles = texts.map((t) => shingleHashes(prepareDocument(t, 'word').units, 5));
    const k = 128;
    const signatures = new Uint32Array(texts.length * k);
    const hasher = sketcherFor('oph', k, 1);
    shingles.forEach((s, d) => hasher.sketchInto(s, signatures, d * k));
    const pairs = candidatePairs(signatures, k, [0, 1, 2, 3], chooseBands(k, 0.8, 0.99)).filter(([a, b]) => exactJaccard(shingles[a]!, shingles[b]!) >= 0.8);
    expect(pairs).toEqual([[0, 1]]);
    const sets = new UnionFind(4);
    expect(sets.union(0, 1)).toBe(true);
    expect(sets.find(1)).toBe(sets.find(0));
  });

  it('is a subpath export of the package, not part of the main entry', async () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { default: string }> };
    expect(Object.keys(pkg.exports)).toEqual(['.', './lowlevel', './package.json']);
    const main = await import('../src/index.js');
    expect(Object.keys(main)).not.toContain('chooseBands');
  });
});
