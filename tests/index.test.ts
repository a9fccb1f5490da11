import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readlinkSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sketchDocument } from '../src/core/document.js';
import { DEFAULT_OPTIONS } from '../src/core/options.js';
import { IndexStore } from '../src/index/store.js';
import { sketcherFor } from '../src/sketch/index.js';
import type { Report } from '../src/report/types.js';
import { article, nearCopy } from '../scripts/synthetic.js';
import { BIN, dedupe, dedupeBin, ROOT, tempDir } from './helpers/cli.js';

const { dir, cleanup } = tempDir('dedupe-index-');
afterAll(cleanup);

const write = (file: string, text: string) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};

/** A baseline of made-up articles and an incoming batch with near-copies, exact copies and new articles. */
function makeCorpus(root: string) {
  for (let i = 0; i < 40; i++) write(path.join(root, 'baseline', `b${String(i).padStart(2, '0')}.txt`), article(i, 150 + (i % 7) * 40));
  write(path.join(root, 'incoming', 'near-b03.txt'), nearCopy(article(3, 150 + 3 * 40), 1, 4));
  write(path.join(root, 'incoming', 'near-b17.txt'), nearCopy(article(17, 150 + 3 * 40), 2, 6));
  write(path.join(root, 'incoming', 'copy-b08.txt'), article(8, 150 + 1 * 40));
  write(path.join(root, 'incoming', 'copy-b08-again.txt'), article(8, 150 + 1 * 40));
  write(path.join(root, 'incoming', 'new-1.txt'), article(1001));
  write(path.join(root, 'incoming', 'new-1-near.txt'), nearCopy(article(1001), 3, 3));
  for (let i = 0; i < 4; i++) write(path.join(root, 'incoming', `new-${i + 2}.txt`), article(2000 + i));
}

const json = (stdout: string) => JSON.parse(stdout) as Report;

/** A --against report cut to what the index report lists: the indexed documents outside clusters, and the counts of them. */
function comparable(report: Report, listed: ReadonlySet<string>) {
  const { documents, unique, ...summary } = report.summary;
  return { ...report, documents: report.documents.filter((d) => listed.has(d.path)), summary };
}

describe('dedupe index', () => {
  const corpus = path.join(dir, 'corpus');
  const db = path.join(dir, 'corpus.duckdb');
  beforeAll(async () => {
    makeCorpus(corpus);
    const added = await dedupe(['index', 'add', 'corpus/baseline', '--index', db, '--format', 'json'], { cwd: dir });
    expect(added.status).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ added: 40, replaced: 0, unchanged: 0, documents: 40 });
  }, 30_000); // a loaded machine (load 9) took over the default 10 s

  it('reports as --against does with the indexed files as the baseline, without reading them', async () => {
    const byIndex = await dedupe(['corpus/incoming', '--index', db, '-f', 'json'], { cwd: dir });
    const byAgainst = await dedupe(['corpus/incoming', '--against', 'corpus/baseline', '-f', 'json'], { cwd: dir });
    expect(byIndex.status).toBe(1);
    expect(byAgainst.status).toBe(1);
    const indexed = json(byIndex.stdout);
    expect(indexed.clusters.length).toBeGreaterThanOrEqual(4);
    const listed = new Set(indexed.documents.map((d) => d.path));
    expect(comparable(indexed, listed)).toEqual(comparable(json(byAgainst.stdout), listed));
    // The listed documents: the incoming ones and the indexed ones in their clusters.
    expect(indexed.summary.documents).toBe(10 + 3);
    const paths = (args: string[]) => dedupe(['corpus/incoming', ...args, '-f', 'paths'], { cwd: dir });
    expect((await paths(['--index', db])).stdout).toBe((await paths(['--against', 'corpus/baseline'])).stdout);
  });

  it('agrees with --against on documents with boilerplate (fixtures/against), clean and duplicate batches', async () => {
    const fixtures = path.join(ROOT, 'fixtures', 'against');
    const fixtureDb = path.join(dir, 'fixtures.duckdb');
    expect((await dedupe(['index', 'add', path.join(fixtures, 'baseline'), '--index', fixtureDb])).status).toBe(0);
    for (const batch of ['incoming-clean', 'incoming-dup', 'incoming-self']) {
      const incoming = path.join('fixtures', 'against', batch);
      const byIndex = await dedupe([incoming, '--index', fixtureDb, '-f', 'json']);
      const byAgainst = await dedupe([incoming, '--against', 'fixtures/against/baseline', '-f', 'json']);
      expect(byIndex.status, batch).toBe(byAgainst.status);
      const indexed = json(byIndex.stdout);
      const listed = new Set(indexed.documents.map((d) => d.path));
      expect(comparable(indexed, listed), batch).toEqual(comparable(json(byAgainst.stdout), listed));
    }
  });

  it('refuses a run with other parameters (exit 2), naming the difference', async () => {
    const check = await dedupe(['corpus/incoming', '--index', db, '--ngram', '7'], { cwd: dir });
    expect(check.status).toBe(2);
    expect(check.stderr).toMatch(/--ngram is 5 in the index, 7 here/);
    const add = await dedupe(['index', 'add', 'corpus/incoming', '--index', db, '--threshold', '0.5'], { cwd: dir });
    expect(add.status).toBe(2);
    expect(add.stderr).toMatch(/bands × rows .* in the index/);
    expect(json((await dedupe(['index', 'stats', '--index', db, '-f', 'json'], { cwd: dir })).stdout)).toMatchObject({ documents: 40 });
    // A switch is said as the flag that sets it; the message is the advice (no --help hint).
    const off = await dedupe(['corpus/incoming', '--index', db, '--no-boilerplate'], { cwd: dir });
    expect([off.status, off.stderr]).toEqual([2, expect.stringMatching(/: boilerplate detection is on in the index, off \(--no-boilerplate\) here .*\(use the index's options, or build a new index\)\n$/)]);
    // The index commands print text or JSON: a report format given to them is a usage error.
    const sarif = await dedupe(['index', 'add', 'corpus/baseline', '--index', db, '-f', 'sarif'], { cwd: dir });
    expect([sarif.status, sarif.stderr]).toEqual([2, expect.stringMatching(/^dedupe: error: dedupe index add prints text or json, not sarif\n/)]);
  });

  it('stats: documents, size on disk and parameters', async () => {
    const stats = JSON.parse((await dedupe(['index', 'stats', '--index', db, '-f', 'json'], { cwd: dir })).stdout);
    expect(stats).toMatchObject({ documents: 40, bands: 40 * 16, params: { ngram: '5', 'num-perm': '128', sketch: 'oph', compare: 'body', bands: '16x6' } });
    expect(stats.bytes).toBeGreaterThan(0);
    // The payloads file beside the index is counted, and none of it is dead yet.
    expect(stats.payloads).toEqual({ bytes: statSync(`${db}.payloads`).size, dead: 0 });
    expect(stats.payloads.bytes).toBeGreaterThan(40 * 1000);
    const text = await dedupe(['index', 'stats', '--index', db], { cwd: dir });
    expect(text.stdout).toMatch(/documents: 40\n/);
    expect(text.stdout).toMatch(new RegExp(`of it the payloads file: .* \\(${stats.payloads.bytes} bytes, 0 dead`));
    const missing = await dedupe(['index', 'stats', '--index', 'nope.duckdb'], { cwd: dir });
    expect(missing.status).toBe(2);
    // What to do is in the message; the options' help would be beside the point (it is for other parameters).
    expect(missing.stderr).toBe('dedupe: error: nope.duckdb: no such index (dedupe index add PATH… --index FILE makes one)\n');
  });

  it('export writes Parquet files DuckDB reads back: documents, bands, shingles, params (the tables of dedupe sketch)', async () => {
    const out = path.join(dir, 'export');
    expect((await dedupe(['index', 'export', out, '--index', db], { cwd: dir })).status).toBe(0);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const con = await (await DuckDBInstance.create(':memory:')).connect();
    const one = async (sql: string) => (await con.runAndReadAll(sql)).getRows()[0];
    const parquet = (name: string) => `'${path.join(out, `${name}.parquet`)}'`;
    expect(await one(`SELECT count(*)::INTEGER, count(DISTINCT doc)::INTEGER, min(doc) FROM ${parquet('documents')}`)).toEqual([40, 40, 'corpus/baseline/b00.txt']);
    expect(await one(`SELECT count(*)::INTEGER FROM ${parquet('bands')}`)).toEqual([640]);
    // Every document's compared shingle count is the rows of its compared set (body where stored apart, else full).
    const mismatched = await one(
      `SELECT count(*)::INTEGER FROM ${parquet('documents')} d
       LEFT JOIN (SELECT doc, kind, count(*) AS n FROM ${parquet('shingles')} GROUP BY doc, kind) s
         ON s.doc = d.doc AND s.kind = CASE WHEN d.compared = 'body' AND d.body_shingle_count IS NOT NULL THEN 'body' ELSE 'full' END
       WHERE s.n IS DISTINCT FROM d.shingle_count`,
    );
    expect(mismatched).toEqual([0]);
    expect(await one(`SELECT value FROM ${parquet('params')} WHERE name = 'ngram'`)).toEqual(['5']);
  });
});

describe('dedupe index add, incrementally', () => {
  it('skips unchanged files, replaces changed ones, prunes deleted ones, and --update adds checked files', async () => {
    const root = path.join(dir, 'incremental');
    const db = path.join(root, 'ix.duckdb');
    for (let i = 0; i < 5; i++) write(path.join(root, 'docs', `d${i}.txt`), article(500 + i));
    const add = async (...extra: string[]) => {
      const result = await dedupe(['index', 'add', 'docs', '--index', db, '-f', 'json', ...extra], { cwd: root });
      expect(result.status, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as Record<string, number>;
    };
    expect(await add()).toMatchObject({ added: 5, replaced: 0, unchanged: 0, documents: 5 });
    expect(await add()).toMatchObject({ added: 0, replaced: 0, unchanged: 5, documents: 5 });
    // A new mtime, the same text: unchanged (by its hash), and skipped by its stat from then on.
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(root, 'docs', 'd0.txt'), later, later);
    expect(await add()).toMatchObject({ added: 0, replaced: 0, unchanged: 5 });
    // A changed file is replaced: a check finds its new text, not the old one.
    write(path.join(root, 'docs', 'd1.txt'), article(900));
    write(path.join(root, 'docs', 'd5.txt'), article(505));
    const payloads = async () => JSON.parse((await dedupe(['index', 'stats', '--index', db, '-f', 'json'], { cwd: root })).stdout).payloads as { bytes: number; dead: number };
    expect((await payloads()).dead).toBe(0);
    expect(await add()).toMatchObject({ added: 1, replaced: 1, unchanged: 4, documents: 6 });
    // The replaced text's record stays in the payloads file, counted as dead.
    expect((await payloads()).dead).toBeGreaterThan(0);
    write(path.join(root, 'probe', 'new.txt'), article(900));
    write(path.join(root, 'probe', 'old.txt'), article(501));
    const check = json((await dedupe(['probe', '--index', db, '-f', 'json'], { cwd: root })).stdout);
    expect(check.clusters.map((c) => c.members.map((m) => m.path).sort())).toEqual([['docs/d1.txt', 'probe/new.txt']]);
    // Without --prune a deleted file stays; with it, it goes.
    rmSync(path.join(root, 'docs', 'd2.txt'));
    expect(await add()).toMatchObject({ pruned: 0, documents: 6 });
    expect(await add('--prune')).toMatchObject({ pruned: 1, documents: 5 });
    // --update: the checked files are in the index afterwards.
    write(path.join(root, 'fresh', 'f.txt'), article(777));
    expect((await dedupe(['fresh', '--index', db, '--update'], { cwd: root })).status).toBe(0);
    expect((await dedupe(['index', 'stats', '--index', db, '-f', 'json'], { cwd: root })).stdout).toMatch(/"documents": 6/);
    expect((await dedupe(['fresh', '--index', db], { cwd: root })).status).toBe(0); // a file the index holds counts as indexed, as with --against
  });
});

describe('dedupe index, with other processes', () => {
  it('a second writer gets a clear message and exit 2', async () => {
    const db = path.join(dir, 'busy.duckdb');
    const holder = await IndexStore.open(db, { write: true }); // this process holds DuckDB's lock
    try {
      const second = dedupeBin(['index', 'add', 'fixtures/seeds', '--index', db]);
      expect(second.status).toBe(2);
      expect(second.stderr).toMatch(/busy\.duckdb: the index is in use by another process \(PID \d+\); an index is written by one dedupe at a time/);
      const reader = dedupeBin(['fixtures/seeds', '--index', db]);
      expect(reader.status).toBe(2);
      expect(reader.stderr).toMatch(/in use by another process/);
    } finally {
      holder.close();
    }
  });

  it('rows of an add that did not finish count for no reader, and go when the index is next written', async () => {
    const db = path.join(dir, 'unfinished.duckdb');
    const stats = async () => JSON.parse((await dedupe(['index', 'stats', '--index', db, '-f', 'json'])).stdout) as { documents: number; bands: number };
    const payloadBytes = () => statSync(`${db}.payloads`).size;
    expect((await dedupe(['index', 'add', 'fixtures/seeds', '--index', db])).status).toBe(0);
    const before = await stats();
    const committed = payloadBytes();
    // A run that committed a chunk (one file replaced, one added) and then died before finishing.
    const store = await IndexStore.open(db, { write: true });
    const replaced = [...(await store.catalog()).values()][0]!.id;
    const sketch = sketchDocument(article(42), DEFAULT_OPTIONS, sketcherFor('oph', 128, 1));
    await store.begin();
    await store.remove([replaced]);
    await store.append([{ path: path.join(dir, 'new.txt'), size: 1, mtime: 1, contentHash: 'x', report: '{}', aliases: [], words: 1, sketch, bandKeys: new Uint32Array(16) }]);
    await store.commit();
    store.close();
    expect(payloadBytes()).toBeGreaterThan(committed); // its record was appended, past the committed end
    expect(await stats()).toEqual(expect.objectContaining({ documents: before.documents, bands: before.bands }));
    const again = JSON.parse((await dedupe(['index', 'add', 'fixtures/seeds', '--index', db, '-f', 'json'])).stdout);
    expect(again).toMatchObject({ added: 0, replaced: 0, unchanged: before.documents, documents: before.documents });
    expect(payloadBytes()).toBe(committed); // the next writer cut the dead run's tail
    // And the next add's records are read back right: a check finds the added text.
    const root = path.join(dir, 'unfinished');
    write(path.join(root, 'later', 'l.txt'), article(4242));
    write(path.join(root, 'probe', 'p.txt'), article(4242));
    expect((await dedupe(['index', 'add', 'later', '--index', db, '-f', 'json'], { cwd: root })).stdout).toMatch(/"added": 1/);
    const check = json((await dedupe(['probe', '--index', db, '-f', 'json'], { cwd: root })).stdout);
    expect(check.clusters.map((c) => c.members.map((m) => m.path).sort())).toEqual([['later/l.txt', 'probe/p.txt']]);
  });

  it('an add killed midway leaves the index as it was', async () => {
    const root = path.join(dir, 'killed');
    const db = path.join(root, 'ix.duckdb');
    write(path.join(root, 'small', 'a.txt'), article(1));
    write(path.join(root, 'small', 'b.txt'), article(2));
    expect(dedupeBin(['index', 'add', 'small', '--index', db], { cwd: root }).status).toBe(0);
    const committed = statSync(`${db}.payloads`).size;
    for (let i = 0; i < 300; i++) write(path.join(root, 'big', `${i}.txt`), article(10_000 + i, 3000));
    const child = spawn(process.execPath, [BIN, 'index', 'add', 'big', '--index', db], { cwd: root, stdio: 'ignore' });
    // Once the child has the index open (Linux: its file descriptors), it is into the add, whose
    // reading and sketching take seconds: kill it a moment later, mid-transaction.
    const holdsIndex = () => {
      try {
        return readdirSync(`/proc/${child.pid}/fd`).some((fd) => {
          try {
            return readlinkSync(`/proc/${child.pid}/fd/${fd}`) === db;
          } catch {
            return false;
          }
        });
      } catch {
        return false;
      }
    };
    const since = Date.now();
    while (!holdsIndex() && Date.now() - since < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGKILL');
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' }); // it was stopped, not finished
    const stats = dedupeBin(['index', 'stats', '--index', db, '-f', 'json'], { cwd: root });
    expect(stats.status).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ documents: 2 });
    const again = dedupeBin(['index', 'add', 'small', '--index', db, '-f', 'json'], { cwd: root });
    expect(JSON.parse(again.stdout)).toMatchObject({ unchanged: 2, documents: 2 });
    expect(statSync(`${db}.payloads`).size).toBe(committed); // what the killed run appended is cut
    write(path.join(root, 'small', 'c.txt'), article(3));
    expect(JSON.parse(dedupeBin(['index', 'add', 'small', '--index', db, '-f', 'json'], { cwd: root }).stdout)).toMatchObject({ added: 1, documents: 3 });
    write(path.join(root, 'probe', 'c.txt'), article(3));
    const check = JSON.parse(dedupeBin(['probe', '--index', db, '-f', 'json'], { cwd: root }).stdout) as Report;
    expect(check.clusters.map((c) => c.members.map((m) => m.path).sort())).toEqual([['probe/c.txt', 'small/c.txt']]);
  }, 60_000);

  it('a missing or cut-short payloads file is exit 2 naming it, for every command', async () => {
    const root = path.join(dir, 'lost');
    const db = path.join(root, 'ix.duckdb');
    for (let i = 0; i < 3; i++) write(path.join(root, 'docs', `${i}.txt`), article(700 + i));
    expect((await dedupe(['index', 'add', 'docs', '--index', 'ix.duckdb'], { cwd: root })).status).toBe(0);
    const all = [['docs', '--index', 'ix.duckdb'], ['index', 'add', 'docs', '--index', 'ix.duckdb'], ['index', 'stats', '--index', 'ix.duckdb'], ['index', 'export', 'out', '--index', 'ix.duckdb']];
    const expectRefused = async (problem: RegExp) => {
      for (const args of all) {
        const run = await dedupe(args, { cwd: root });
        expect(run.status, args.join(' ')).toBe(2);
        expect(run.stderr).toMatch(new RegExp(`^dedupe: error: ix\\.duckdb\\.payloads: ${problem.source}`));
      }
    };
    copyFileSync(`${db}.payloads`, path.join(root, 'kept'));
    renameSync(`${db}.payloads`, path.join(root, 'gone'));
    await expectRefused(/the index's payloads file is missing/);
    copyFileSync(path.join(root, 'kept'), `${db}.payloads`);
    truncateSync(`${db}.payloads`, statSync(`${db}.payloads`).size - 10);
    await expectRefused(/the index's payloads file is cut short: \d+ bytes, the index holds \d+/);
    copyFileSync(path.join(root, 'kept'), `${db}.payloads`);
    expect((await dedupe(['docs', '--index', 'ix.duckdb'], { cwd: root })).status).toBe(0);
  }, 60_000);

  it("never cuts a file of the user's that sits where a new index's payloads file goes (exit 2)", async () => {
    const root = path.join(dir, 'foreign');
    write(path.join(root, 'docs', 'a.txt'), article(800));
    write(path.join(root, 'ix.duckdb.payloads'), 'notes the user keeps here\n');
    const run = await dedupe(['index', 'add', 'docs', '--index', 'ix.duckdb'], { cwd: root });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/ix\.duckdb\.payloads: exists and is not a dedupe index's payloads file/);
    expect(readFileSync(path.join(root, 'ix.duckdb.payloads'), 'utf8')).toBe('notes the user keeps here\n');
  }, 60_000);

  it('refuses an index of format 3 (the wide columns in DuckDB), naming the difference (exit 2)', async () => {
    const db = path.join(dir, 'format3.duckdb');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(db);
    const con = await instance.connect();
    // Format 3's schema, with the parameters a default run has but the format.
    for (const sql of [
      'CREATE TABLE params (name VARCHAR, value VARCHAR)',
      `CREATE TABLE documents (id INTEGER, doc VARCHAR, side VARCHAR, words INTEGER, shingle_count INTEGER, compared VARCHAR,
         content_hash VARCHAR, size BIGINT, mtime DOUBLE, aliases VARCHAR, report VARCHAR, meta VARCHAR, arrays BLOB, gen INTEGER, dropped INTEGER)`,
      'CREATE TABLE bands (id INTEGER, band INTEGER, key UINTEGER)',
      'CREATE TABLE state (committed INTEGER)',
      'INSERT INTO state VALUES (1)',
      `CREATE VIEW live AS SELECT * FROM documents
         WHERE gen <= (SELECT committed FROM state) AND (dropped IS NULL OR dropped > (SELECT committed FROM state))`,
    ]) await con.run(sql);
    const { indexParams } = await import('../src/index/record.js');
    for (const [name, value] of indexParams(DEFAULT_OPTIONS)) await con.run('INSERT INTO params VALUES ($1, $2)', [name, name === 'format' ? '3' : value]);
    con.closeSync();
    instance.closeSync();
    for (const args of [['fixtures/seeds', '--index', db], ['index', 'add', 'fixtures/seeds', '--index', db], ['index', 'export', path.join(dir, 'format3-export'), '--index', db]]) {
      const run = await dedupe(args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/format3\.duckdb: the index was made with other parameters: the index format is 3 in the index, 4 here/);
    }
  });
});

describe('a check against an index is never fooled by what the index holds', () => {
  const setUp = async (name: string) => {
    const root = path.join(dir, name);
    for (let i = 0; i < 6; i++) write(path.join(root, 'corpus', `c${i}.txt`), article(3000 + i));
    expect((await dedupe(['index', 'add', 'corpus', '--index', 'ix.duckdb'], { cwd: root })).status).toBe(0);
    return root;
  };
  const summary = async (root: string, ...args: string[]) => {
    const run = await dedupe([...args, '--index', 'ix.duckdb', '-f', 'json'], { cwd: root });
    return { status: run.status, stderr: run.stderr, report: run.stdout ? json(run.stdout) : undefined };
  };

  it('--update adds nothing when the check fails, so a rerun fails again', async () => {
    const root = await setUp('update-failed');
    write(path.join(root, 'batch', 'copy.txt'), nearCopy(article(3002), 1, 3));
    const first = await summary(root, 'batch', '--update');
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(/--update: nothing added to ix\.duckdb: the check did not pass \(exit 1\)/);
    expect((await summary(root, 'batch')).status).toBe(1);
    expect((await dedupe(['index', 'stats', '--index', 'ix.duckdb', '-f', 'json'], { cwd: root })).stdout).toMatch(/"documents": 6/);
  }, 60_000);

  it('a file the index holds but whose text changed is checked as new, not as its old text', async () => {
    const root = await setUp('changed-held');
    // Indexed as a new article; then rewritten into a copy of another indexed one.
    write(path.join(root, 'batch', 'b.txt'), article(3100));
    expect((await summary(root, 'batch', '--update')).status).toBe(0);
    expect((await summary(root, 'batch')).status).toBe(0);
    write(path.join(root, 'batch', 'b.txt'), nearCopy(article(3004), 2, 3));
    const check = await summary(root, 'batch');
    expect(check.status).toBe(1);
    expect(check.report!.clusters.map((c) => c.members.map((m) => m.path).sort())).toEqual([['batch/b.txt', 'corpus/c4.txt']]);
  }, 60_000);

  it('with --root, a file the index holds is still the file it holds (it was its own duplicate), and indexed paths are named as --root names paths', async () => {
    const root = await setUp('rooted');
    const held = await summary(root, 'corpus', '--root', 'corpus');
    expect([held.status, held.report!.summary.documents]).toEqual([0, 0]);
    write(path.join(root, 'batch', 'copy.txt'), article(3003));
    const check = await summary(root, 'batch', '--root', '.');
    const against = JSON.parse((await dedupe(['batch', '--against', 'corpus', '--root', '.', '-f', 'json'], { cwd: root })).stdout) as Report;
    expect(check.report!.clusters.map((c) => c.members.map((m) => m.path))).toEqual(against.clusters.map((c) => c.members.map((m) => m.path)));
  }, 60_000);

  it('a file reached through a symlinked directory is the file the index holds', async () => {
    const root = await setUp('symlinked');
    symlinkSync('corpus', path.join(root, 'link'));
    const check = await summary(root, 'link');
    expect([check.status, check.report!.summary.documents]).toEqual([0, 0]);
    const again = await dedupe(['index', 'add', 'link', '--index', 'ix.duckdb', '-f', 'json'], { cwd: root });
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, unchanged: 6, documents: 6 });
  }, 60_000);

  it('a file whose size changed but not its text (a byte-order mark added) is replaced, so the report gives its bytes', async () => {
    const root = await setUp('bom');
    const file = path.join(root, 'corpus', 'c2.txt');
    writeFileSync(file, `\uFEFF${readFileSync(file, 'utf8')}`);
    const again = await dedupe(['index', 'add', 'corpus', '--index', 'ix.duckdb', '-f', 'json'], { cwd: root });
    expect(JSON.parse(again.stdout)).toMatchObject({ replaced: 1, unchanged: 5 });
    write(path.join(root, 'batch', 'copy.txt'), readFileSync(file, 'utf8'));
    const check = await summary(root, 'batch');
    expect(check.report!.documents.find((d) => d.path === 'corpus/c2.txt')?.bytes).toBe(statSync(file).size);
  }, 60_000);

  it('an add that finds no file says so', async () => {
    const root = await setUp('empty-add');
    mkdirSync(path.join(root, 'nothing'));
    const add = await dedupe(['index', 'add', 'nothing', '--index', 'ix.duckdb'], { cwd: root });
    expect([add.status, add.stderr]).toEqual([0, 'dedupe: warning: nothing: no files to read: nothing added\ndedupe: index ix.duckdb: 0 added, 0 replaced, 0 unchanged; 6 documents\n']);
  }, 60_000);

  it('an indexed file that is no longer text loses its old entry', async () => {
    const root = await setUp('now-binary');
    writeFileSync(path.join(root, 'corpus', 'c1.txt'), 'a\0b');
    const again = await dedupe(['index', 'add', 'corpus', '--index', 'ix.duckdb', '-f', 'json'], { cwd: root });
    expect(JSON.parse(again.stdout)).toMatchObject({ dropped: 1, skipped: 1, documents: 5 });
    expect(again.stderr).toMatch(/corpus\/c1\.txt: changed and not indexed now/);
    write(path.join(root, 'batch', 'old-c1.txt'), article(3001));
    expect((await summary(root, 'batch')).status).toBe(0);
  }, 60_000);

  it('never writes the report over the index or its payloads, nor into a DuckDB file of something else', async () => {
    const root = await setUp('guarded');
    write(path.join(root, 'batch', 'b.txt'), article(3200));
    const before = readFileSync(path.join(root, 'ix.duckdb.payloads'));
    for (const target of ['ix.duckdb', 'ix.duckdb.payloads']) {
      const run = await dedupe(['batch', '--index', 'ix.duckdb', '-o', target], { cwd: root });
      expect([run.status, run.stderr]).toEqual([2, `dedupe: error: --output ${target} is ${target} (${target.endsWith('payloads') ? "the index's payloads" : 'the index'}), which this run reads: refusing to write over it\nhint: write it somewhere else\n`]);
    }
    expect(readFileSync(path.join(root, 'ix.duckdb.payloads')).equals(before)).toBe(true);
    expect((await summary(root, 'batch')).status).toBe(0);
    // A DuckDB database of other tables is refused, not given an index's tables; a refused new index leaves no file.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const other = await DuckDBInstance.create(path.join(root, 'other.duckdb'));
    const connection = await other.connect();
    await connection.run('CREATE TABLE notes (x INTEGER)');
    connection.closeSync();
    other.closeSync();
    const foreign = await dedupe(['index', 'add', 'batch', '--index', 'other.duckdb'], { cwd: root });
    expect([foreign.status, foreign.stderr]).toEqual([2, 'dedupe: error: other.duckdb: a DuckDB file, but not a dedupe index (or one of an older format: build a new index)\n']);
    expect(existsSync(path.join(root, 'other.duckdb.payloads'))).toBe(false);
    write(path.join(root, 'new.duckdb.payloads'), 'notes\n');
    expect((await dedupe(['index', 'add', 'batch', '--index', 'new.duckdb'], { cwd: root })).status).toBe(2);
    expect(existsSync(path.join(root, 'new.duckdb'))).toBe(false);
    // Containment is not searched in an index: refused, never a gate that passes unseen.
    const contained = await dedupe(['batch', '--index', 'ix.duckdb', '--containment', '0.8'], { cwd: root });
    expect([contained.status, contained.stdout]).toEqual([2, '']);
    expect(contained.stderr).toMatch(/^dedupe: error: --containment does not search an index/);
    // --diff has nothing to compare an indexed document with.
    const diff = await dedupe(['batch', '--index', 'ix.duckdb', '--diff'], { cwd: root });
    expect([diff.status, diff.stderr]).toEqual([2, 'dedupe: error: --diff does nothing with --index: an index keeps no text of its documents to compare\nhint: check with --against to see the differences\n']);
  }, 60_000);
});
