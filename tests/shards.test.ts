// Past one machine: a corpus sketched in 4 separate processes (shards), joined by sql/pairs.sql on
// DuckDB, gives exactly the pairs of a single in-memory run; `dedupe report --pairs` gives its clusters.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report/types.js';
import { DEFAULT_OPTIONS } from '../src/core/options.js';
import { LABELLER_VERSION } from '../src/index/record.js';
import { shardParams, shardProblems } from '../src/shard/tables.js';
import { BIN, dedupe, dedupeBin, ROOT, tempDir } from './helpers/cli.js';
import { shardCorpus } from './helpers/shard-corpus.js';

const run = promisify(execFile);
interface PairKey {
  a: string;
  b: string;
  similarity: number;
  containment: number;
  exact: boolean;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
const byPair = (p: PairKey, q: PairKey) => (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : p.b > q.b ? 1 : 0);

let dir: string;
let cleanup: () => void;
let single: Report;
let singleAll: Report;
const SHARDS = 4;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('dedupe-shards-'));
  mkdirSync(path.join(dir, 'corpus'));
  const files = [...shardCorpus()];
  for (const [name, text] of files) writeFileSync(path.join(dir, 'corpus', name), text);
  // The same files as an --against check: a third incoming, the rest baseline, two shards each.
  mkdirSync(path.join(dir, 'incoming'));
  mkdirSync(path.join(dir, 'baseline'));
  files.forEach(([name, text], i) => writeFileSync(path.join(dir, i % 3 === 0 ? 'incoming' : 'baseline', name), text));
  // Each shard is its own process, on its own share of the files; the processes run side by side.
  const sketches: string[][] = [];
  for (let s = 0; s < SHARDS; s++) {
    const mine = files.filter((_, i) => i % SHARDS === s).map(([name]) => `corpus/${name}`);
    sketches.push(['sketch', ...mine, '--parquet', `shards/${s}`, '-q']);
    const side = s < 2 ? 'incoming' : 'baseline';
    const sided = files.filter((_, i) => (i % 3 === 0) === (side === 'incoming') && i % 2 === s % 2).map(([name]) => `${side}/${name}`);
    sketches.push(['sketch', ...sided, '--parquet', `against/${s}`, '--side', side, '-q']);
  }
  // A third corpus where one run's corpus evidence changes bodies: excerpts (a headline and lead)
  // whose lines recur in three or more unrelated documents.
  mkdirSync(path.join(dir, 'evidence'));
  const withExcerpts = [...files];
  for (const [name, text] of files) if (/^a0\d\.txt$/.test(name)) withExcerpts.push([`d${name.slice(1)}`, `${text.split('\n').slice(0, 2).join('\n')}\n`]);
  for (const [name, text] of withExcerpts) writeFileSync(path.join(dir, 'evidence', name), text);
  const evidenceShare = (s: number) => withExcerpts.filter((_, i) => i % SHARDS === s).map(([name]) => `evidence/${name}`);
  for (let s = 0; s < SHARDS; s++) sketches.push(['sketch', ...evidenceShare(s), '--parquet', `first/${s}`, '-q']);
  const sketchAll = async (list: string[][]) => {
    const results = await Promise.all(list.map((args) => run(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } })));
    for (const result of results) expect(result).toEqual({ stdout: '', stderr: '' });
  };
  await sketchAll(sketches);
  // The second sketch of the evidence corpus, with the template lines the first one gave.
  expect((await dedupe(['pairs', '--parquet', 'first', '--templates', 'templates.parquet', '-q'], { cwd: dir })).status).toBe(0);
  await sketchAll(Array.from({ length: SHARDS }, (_, s) => ['sketch', ...evidenceShare(s), '--parquet', `second/${s}`, '--templates', 'templates.parquet', '-q']));
  single = JSON.parse((await dedupe(['corpus', '--format', 'json'], { cwd: dir })).stdout) as Report;
  singleAll = JSON.parse((await dedupe(['corpus', '--format', 'json', '--all-pairs'], { cwd: dir })).stdout) as Report;
}, 120_000);

afterAll(() => (process.env.KEEP_SHARDS ? console.log(dir) : cleanup?.()));

/** sql/pairs.sql run as it is on DuckDB, over every shard's files by glob. */
async function pairsBySql(): Promise<PairKey[]> {
  const connection = await (await DuckDBInstance.create()).connect();
  try {
    for (const table of ['documents', 'bands', 'shingles', 'params']) {
      await connection.run(`CREATE VIEW ${table} AS SELECT * FROM read_parquet('${path.join(dir, 'shards', '*', `${table}.parquet`)}')`);
    }
    await connection.run(readFileSync(path.join(ROOT, 'sql', 'pairs.sql'), 'utf8'));
    expect((await connection.runAndReadAll('SELECT * FROM dedupe_problems')).getRowsJS()).toEqual([]);
    const rows = (await connection.runAndReadAll('SELECT doc_a, doc_b, similarity, containment, exact FROM dedupe_pairs')).getRowsJS();
    return rows.map(([a, b, similarity, containment, exact]) => ({ a: String(a), b: String(b), similarity: round(Number(similarity)), containment: round(Number(containment)), exact: Boolean(exact) })).sort(byPair);
  } finally {
    connection.closeSync();
  }
}

describe('4 shards joined by sql/pairs.sql', () => {
  it('the corpus exercises the rules: near-duplicates, identical copies, and documents compared on body and on full text', () => {
    expect(single.documents.length).toBeGreaterThan(60);
    expect(single.documents.some((d) => d.compared === 'full')).toBe(true);
    expect(single.documents.some((d) => d.compared === 'body')).toBe(true);
    expect(singleAll.pairs.some((p) => p.exact)).toBe(true);
    expect(singleAll.pairs.some((p) => !p.exact && p.similarity < 1)).toBe(true);
  });

  it('gives exactly the pairs and similarities of a single run', async () => {
    const expected = singleAll.pairs.map(({ a, b, similarity, containment, exact }) => ({ a, b, similarity, containment: containment ?? 0, exact })).sort(byPair);
    expect(await pairsBySql()).toEqual(expected);
  });

  it('dedupe pairs writes the same pairs, and report --pairs gives the single run clusters, pairs and exit code', async () => {
    const written = await dedupe(['pairs', '--parquet', 'shards', '-o', 'pairs.parquet'], { cwd: dir });
    expect(written.status).toBe(0);
    const report = await dedupe(['report', '--pairs', 'pairs.parquet', '--parquet', 'shards', '--format', 'json'], { cwd: dir });
    expect(report.status).toBe(1);
    const fromPairs = JSON.parse(report.stdout) as Report;
    expect(fromPairs.clusters).toEqual(single.clusters);
    expect(single.clusters.some((c) => c.differences.length > 0)).toBe(true);
    expect(single.clusters.some((c) => c.sharedBoilerplate.length > 0)).toBe(true);
    expect(fromPairs.summary).toEqual(single.summary);
    expect(fromPairs.params).toEqual(single.params);
    expect(fromPairs.documents).toEqual([...single.documents].sort((x, y) => (x.path < y.path ? -1 : 1)));
    const all = await dedupe(['report', '--pairs', 'pairs.parquet', '--parquet', 'shards', '--format', 'json', '--all-pairs'], { cwd: dir });
    expect((JSON.parse(all.stdout) as Report).pairs).toEqual(singleAll.pairs);
  });

  it('reads the pairs as CSV too, and prints the text report', async () => {
    const csv = await dedupe(['pairs', '--parquet', 'shards/0', 'shards/1', 'shards/2', 'shards/3'], { cwd: dir });
    expect(csv.status).toBe(0);
    writeFileSync(path.join(dir, 'pairs.csv'), csv.stdout);
    expect(csv.stdout.split('\n')[0]).toBe('doc_a,doc_b,similarity,containment,exact');
    const text = await dedupe(['report', '--pairs', 'pairs.csv', '--parquet', 'shards'], { cwd: dir });
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(`${single.summary.documents} documents: ${single.summary.clusters} clusters, ${single.summary.duplicates} duplicates`);
  });

  it('shards of an incoming batch and a baseline give the --against run: its pairs, clusters and exit code', async () => {
    const against = JSON.parse((await dedupe(['incoming', '--against', 'baseline', '--format', 'json', '--all-pairs'], { cwd: dir })).stdout) as Report;
    expect(against.clusters.length).toBeGreaterThan(0);
    expect(against.clusters.some((c) => c.members.some((m) => m.side === 'baseline'))).toBe(true);
    expect((await dedupe(['pairs', '--parquet', 'against', '-o', 'against.jsonl'], { cwd: dir })).status).toBe(0);
    const report = await dedupe(['report', '--pairs', 'against.jsonl', '--parquet', 'against', '--format', 'json', '--all-pairs'], { cwd: dir });
    expect(report.status).toBe(1);
    const fromPairs = JSON.parse(report.stdout) as Report;
    expect(fromPairs.pairs).toEqual(against.pairs);
    expect(fromPairs.clusters).toEqual(against.clusters);
    expect(fromPairs.summary).toEqual(against.summary);
  });

  it("with corpus evidence (a second sketch with dedupe pairs --templates), gives one run's documents, pairs and clusters", async () => {
    const one = JSON.parse((await dedupe(['evidence', '--format', 'json', '--all-pairs'], { cwd: dir })).stdout) as Report;
    const reportOf = async (shards: string) => {
      expect((await dedupe(['pairs', '--parquet', shards, '-o', `${shards}.parquet`], { cwd: dir })).status).toBe(0);
      return JSON.parse((await dedupe(['report', '--pairs', `${shards}.parquet`, '--parquet', shards, '--format', 'json', '--all-pairs'], { cwd: dir })).stdout) as Report;
    };
    const byPath = (r: Report) => [...r.documents].sort((x, y) => (x.path < y.path ? -1 : 1));
    // The first sketch alone reads some documents differently: the evidence matters here.
    expect(byPath(await reportOf('first'))).not.toEqual(byPath(one));
    const second = await reportOf('second');
    expect(byPath(second)).toEqual(byPath(one));
    expect(second.pairs).toEqual(one.pairs);
    expect(second.clusters).toEqual(one.clusters);
  });

  it('refuses shards sketched with different parameters, naming the parameter (exit 2)', async () => {
    const other = dedupeBin(['sketch', 'corpus/a00.txt', '--parquet', 'odd/0', '--ngram', '4', '-q'], { cwd: dir });
    expect(other.status).toBe(0);
    const mixed = await dedupe(['pairs', '--parquet', 'shards', 'odd'], { cwd: dir });
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/ngram differs between shards: 5 in shards\/0, .*; 4 in odd\/0/);
  });

  it('refuses to join shards labelled by different labellers, or a shard that does not say', () => {
    const params = (shard: string, labeller?: string) =>
      shardParams(DEFAULT_OPTIONS, { name: 'dedupe', version: 'test' })
        .filter((p) => p.name !== 'labeller' || labeller !== undefined)
        .map((p) => ({ ...p, value: p.name === 'labeller' ? labeller! : p.value, shard }));
    expect(shardProblems([...params('a', LABELLER_VERSION), ...params('b', LABELLER_VERSION)], ['a', 'b'])).toEqual([]);
    expect(shardProblems([...params('a', LABELLER_VERSION), ...params('b', '0badc0de')], ['a', 'b'])).toEqual([expect.stringMatching(/^labeller differs between shards: \w+ in a; 0badc0de in b$/)]);
    expect(shardProblems([...params('a', LABELLER_VERSION), ...params('old')], ['a', 'old'])).toEqual(['labeller is missing from old']);
  });

  it('never writes pairs or template counts into a shard (exit 2), and the shard still reads', async () => {
    for (const args of [['-o', 'shards/0/documents.parquet'], ['--templates', 'shards/1/templates.parquet']]) {
      const result = await dedupe(['pairs', '--parquet', 'shards', ...args], { cwd: dir });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/is inside a shard: refusing to write over the input/);
    }
    expect((await dedupe(['pairs', '--parquet', 'shards', '-o', 'again.csv'], { cwd: dir })).status).toBe(0);
    expect(readFileSync(path.join(dir, 'again.csv'), 'utf8')).toBe(readFileSync(path.join(dir, 'pairs.csv'), 'utf8'));
  });

  it('never writes the report over its pairs or into a shard (exit 2), and both still read', async () => {
    const pairs = readFileSync(path.join(dir, 'pairs.csv'));
    for (const [target, what] of [['pairs.csv', 'pairs.csv (the pairs)'], ['shards/0/documents.parquet', 'inside shards (a shard)']]) {
      const result = await dedupe(['report', '--pairs', 'pairs.csv', '--parquet', 'shards', '-f', 'json', '-o', target!], { cwd: dir });
      expect([result.status, result.stderr]).toEqual([2, `dedupe: error: --output ${target} is ${what}, which this run reads: refusing to write over it\nhint: write it somewhere else\n`]);
    }
    expect(readFileSync(path.join(dir, 'pairs.csv')).equals(pairs)).toBe(true);
    expect((await dedupe(['report', '--pairs', 'pairs.csv', '--parquet', 'shards', '-f', 'json'], { cwd: dir })).status).toBe(1);
  });

  it('a shard file cut short, or a file given as a shard, is exit 2 with one line naming it', async () => {
    mkdirSync(path.join(dir, 'cut'));
    for (const table of ['documents', 'bands', 'shingles', 'params']) {
      writeFileSync(path.join(dir, 'cut', `${table}.parquet`), readFileSync(path.join(dir, 'shards/0', `${table}.parquet`)).subarray(0, 300));
    }
    const cut = await dedupe(['pairs', '--parquet', 'cut'], { cwd: dir });
    expect(cut.status).toBe(2);
    expect(cut.stderr).toMatch(/^dedupe: error: cannot read the shards: [^\n]*cut\/\w+\.parquet'?\n/);
    const file = await dedupe(['pairs', '--parquet', 'pairs.csv'], { cwd: dir });
    expect(file.status).toBe(2);
    expect(file.stderr).toMatch(/^dedupe: error: --parquet pairs\.csv: not a directory/);
  });

  it('refuses a document sketched in two shards (exit 2)', async () => {
    const twice = dedupeBin(['sketch', 'corpus/a01.txt', '--parquet', 'again/0', '-q'], { cwd: dir });
    expect(twice.status).toBe(0);
    const result = await dedupe(['pairs', '--parquet', 'shards', 'again'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('the document corpus/a01.txt is in more than one shard');
  });
});

describe('sql/pairs.sql on hand-made tables', () => {
  /** Rows: [doc, compared, body set or null (= the full set), full set, content hash, band key]. */
  type Doc = [string, 'body' | 'full', number[] | null, number[], string, number];
  async function pairsOf(docs: readonly Doc[], side: Record<string, string> = {}) {
    const connection = await (await DuckDBInstance.create()).connect();
    try {
      await connection.run('CREATE TABLE documents (doc VARCHAR, side VARCHAR, compared VARCHAR, shingle_count INTEGER, body_shingle_count INTEGER, full_shingle_count INTEGER, content_hash VARCHAR)');
      await connection.run('CREATE TABLE bands (doc VARCHAR, band INTEGER, key BIGINT)');
      await connection.run('CREATE TABLE shingles (doc VARCHAR, kind VARCHAR, hash BIGINT)');
      await connection.run("CREATE TABLE params AS SELECT 'threshold' AS name, '0.8' AS value");
      for (const [doc, compared, body, full, hash, key] of docs) {
        const count = compared === 'body' && body ? body.length : full.length;
        await connection.run('INSERT INTO documents VALUES ($1, $2, $3, $4, $5, $6, $7)', [doc, side[doc] ?? null, compared, count, body ? body.length : null, full.length, hash]);
        if (count > 0) await connection.run('INSERT INTO bands VALUES ($1, 0, $2)', [doc, key]);
        for (const h of full) await connection.run("INSERT INTO shingles VALUES ($1, 'full', $2)", [doc, h]);
        for (const h of body ?? []) await connection.run("INSERT INTO shingles VALUES ($1, 'body', $2)", [doc, h]);
      }
      await connection.run(readFileSync(path.join(ROOT, 'sql', 'pairs.sql'), 'utf8'));
      const rows = (await connection.runAndReadAll('SELECT doc_a, doc_b, similarity, exact FROM dedupe_pairs ORDER BY doc_a, doc_b')).getRowsJS();
      return rows.map(([a, b, similarity, exact]) => [a, b, round(Number(similarity)), exact]);
    } finally {
      connection.closeSync();
    }
  }
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('measures a pair of a body-compared and a full-compared document on both full texts', async () => {
    // Compared sets: 8 of 11 shared (0.73, below 0.8); full texts: 10 of 11 (0.91).
    expect(await pairsOf([['a', 'body', range(1, 8), range(1, 10), 'ha', 7], ['b', 'full', null, range(1, 11), 'hb', 7]])).toEqual([['a', 'b', 0.9091, false]]);
    // Compared sets identical (1.0); full texts: 10 of 20 (0.5): no pair.
    expect(await pairsOf([['c', 'body', range(20, 29), range(20, 49), 'hc', 7], ['d', 'full', null, range(20, 29), 'hd', 7]])).toEqual([]);
  });

  it('pairs identical documents whatever their size, candidates only by a shared band key, never two baseline documents', async () => {
    const docs: Doc[] = [
      ['e1', 'full', null, [], 'same', 0],
      ['e2', 'full', null, [], 'same', 0],
      ['f', 'body', range(1, 9), range(1, 12), 'hf', 5],
      ['g', 'body', range(1, 10), range(1, 12), 'hg', 5],
      ['h', 'body', range(1, 10), range(1, 12), 'hh', 6],
    ];
    expect(await pairsOf(docs)).toEqual([['e1', 'e2', 1, true], ['f', 'g', 0.9, false]]);
    expect(await pairsOf(docs, { f: 'baseline', g: 'baseline', e1: 'baseline', e2: 'baseline' })).toEqual([]);
  });
});
