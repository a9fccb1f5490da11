// `dedupe index export DIR` writes the tables `dedupe sketch --parquet` writes, so that the SQL
// path (sql/pairs.sql, `dedupe pairs`, `dedupe report --pairs`) reads an index as a shard.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report/types.js';
import { dedupe, tempDir } from './helpers/cli.js';
import { shardCorpus } from './helpers/shard-corpus.js';

const { dir, cleanup } = tempDir('dedupe-index-export-');
afterAll(cleanup);

const TABLES = ['documents', 'bands', 'shingles', 'template_keys', 'params'];
const names: string[] = [];
let single: Report;
let singleAll: Report;

const ok = async (args: string[], status = 0) => {
  const result = await dedupe(args, { cwd: dir });
  expect(result.status, result.stderr).toBe(status);
  return result;
};

/** Every row of a table, in a fixed order (the tables hold no floating point). */
async function rows(shard: string, table: string): Promise<unknown[][]> {
  const connection = await (await DuckDBInstance.create()).connect();
  try {
    const read = await connection.runAndReadAll(`SELECT * FROM read_parquet('${path.join(dir, shard, `${table}.parquet`)}') ORDER BY ALL`);
    return read.getRowsJS();
  } finally {
    connection.closeSync();
  }
}

/** The pairs of a report, as dedupe pairs writes them. */
const pairsOf = (report: Report) => report.pairs.map(({ a, b, similarity, containment, exact }) => ({ doc_a: a, doc_b: b, similarity, containment: containment ?? 0, exact }));
const round = (x: number) => Math.round(x * 1e4) / 1e4;

beforeAll(async () => {
  mkdirSync(path.join(dir, 'corpus'));
  for (const [name, text] of shardCorpus()) {
    writeFileSync(path.join(dir, 'corpus', name), text);
    names.push(name);
  }
  // A second name for one file: an alias in the report, stored absolute in the index.
  symlinkSync('a01.txt', path.join(dir, 'corpus', 'z-link.txt'));
  await ok(['index', 'add', 'corpus', '--index', 'corpus.duckdb', '-q']);
  await ok(['index', 'export', 'export', '--index', 'corpus.duckdb', '-q']);
  await ok(['sketch', 'corpus', '--parquet', 'sketch', '-q']);
  single = JSON.parse((await ok(['corpus', '--format', 'json'], 1)).stdout) as Report;
  singleAll = JSON.parse((await ok(['corpus', '--format', 'json', '--all-pairs'], 1)).stdout) as Report;
}, 120_000);

describe('dedupe index export', () => {
  it('writes exactly the tables dedupe sketch --parquet writes for the same files, paths relative to the working directory', async () => {
    for (const table of TABLES) expect(await rows('export', table), table).toEqual(await rows('sketch', table));
    const docs = (await rows('export', 'documents')).map(([doc]) => doc);
    expect(docs).toEqual(names.map((n) => `corpus/${n}`).sort());
    // The corpus has what the tables distinguish: body sets beside full ones, template keys, identical texts.
    expect((await rows('export', 'shingles')).some(([, kind]) => kind === 'body')).toBe(true);
    expect((await rows('export', 'template_keys')).length).toBeGreaterThan(0);
    const linked = (await rows('export', 'documents')).find(([doc]) => doc === 'corpus/a01.txt') as unknown[];
    expect(JSON.parse(String(linked[10])).aliases).toEqual(['corpus/z-link.txt']);
  });

  it('dedupe pairs over the export gives the pairs and similarities of a plain run', async () => {
    await ok(['pairs', '--parquet', 'export', '-o', 'pairs.jsonl', '-q']);
    const written = readFileSync(path.join(dir, 'pairs.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { doc_a: string; doc_b: string; similarity: number; containment: number; exact: boolean })
      .map((p) => ({ ...p, similarity: round(p.similarity), containment: round(p.containment) }));
    expect(singleAll.pairs.some((p) => p.exact)).toBe(true);
    expect(singleAll.pairs.some((p) => !p.exact && p.similarity < 1)).toBe(true);
    expect(written).toEqual(pairsOf(singleAll).sort((p, q) => (p.doc_a < q.doc_a ? -1 : p.doc_a > q.doc_a ? 1 : p.doc_b < q.doc_b ? -1 : 1)));
  });

  it('dedupe report --pairs over the export gives the clusters, summary and exit code of a plain run', async () => {
    const report = await ok(['report', '--pairs', 'pairs.jsonl', '--parquet', 'export', '--format', 'json'], 1);
    const fromExport = JSON.parse(report.stdout) as Report;
    expect(single.clusters.length).toBeGreaterThan(5);
    expect(fromExport.clusters).toEqual(single.clusters);
    expect(fromExport.summary).toEqual(single.summary);
    expect(fromExport.documents).toEqual([...single.documents].sort((x, y) => (x.path < y.path ? -1 : 1)));
  });

  it('an export joins with sketched shards: half indexed, half sketched, the pairs of one run', async () => {
    const half = names.filter((_, i) => i % 2 === 0).map((n) => `corpus/${n}`);
    const rest = names.filter((_, i) => i % 2 === 1).map((n) => `corpus/${n}`);
    await ok(['index', 'add', ...half, '--index', 'half.duckdb', '-q']);
    await ok(['index', 'export', 'mixed/indexed', '--index', 'half.duckdb', '-q']);
    await ok(['sketch', ...rest, '--parquet', 'mixed/sketched', '-q']);
    await ok(['pairs', '--parquet', 'mixed', '-o', 'mixed.jsonl', '-q']);
    const report = await ok(['report', '--pairs', 'mixed.jsonl', '--parquet', 'mixed', '--format', 'json', '--all-pairs'], 1);
    expect((JSON.parse(report.stdout) as Report).pairs).toEqual(singleAll.pairs);
  });

  it('an export with --side baseline and a shard of the incoming batch give the --against run', async () => {
    names.forEach((name, i) => {
      const side = i % 3 === 0 ? 'incoming' : 'baseline';
      mkdirSync(path.join(dir, side), { recursive: true });
      writeFileSync(path.join(dir, side, name), readFileSync(path.join(dir, 'corpus', name)));
    });
    const against = JSON.parse((await ok(['incoming', '--against', 'baseline', '--format', 'json', '--all-pairs'], 1)).stdout) as Report;
    expect(against.clusters.some((c) => c.members.some((m) => m.side === 'baseline'))).toBe(true);
    await ok(['index', 'add', 'baseline', '--index', 'baseline.duckdb', '-q']);
    await ok(['index', 'export', 'check/baseline', '--index', 'baseline.duckdb', '--side', 'baseline', '-q']);
    await ok(['sketch', 'incoming', '--parquet', 'check/incoming', '--side', 'incoming', '-q']);
    await ok(['pairs', '--parquet', 'check', '-o', 'check.jsonl', '-q']);
    const fromPairs = JSON.parse((await ok(['report', '--pairs', 'check.jsonl', '--parquet', 'check', '--format', 'json', '--all-pairs'], 1)).stdout) as Report;
    expect(fromPairs.pairs).toEqual(against.pairs);
    expect(fromPairs.clusters).toEqual(against.clusters);
    expect(fromPairs.summary).toEqual(against.summary);
    const misplaced = await ok(['index', 'add', 'baseline', '--index', 'baseline.duckdb', '--side', 'baseline'], 2);
    expect(misplaced.stderr).toMatch(/--side is for dedupe index export/);
  });

  it('names documents relative to --root, like every report', async () => {
    await ok(['index', 'export', 'rooted', '--index', 'corpus.duckdb', '--root', 'corpus', '-q']);
    expect((await rows('rooted', 'documents')).map(([doc]) => doc)).toEqual([...names].sort());
    const fromRoot = await ok(['corpus', '--root', 'corpus', '--format', 'json', '--all-pairs'], 1);
    await ok(['pairs', '--parquet', 'rooted', '-o', 'rooted.jsonl', '-q']);
    const report = await ok(['report', '--pairs', 'rooted.jsonl', '--parquet', 'rooted', '--format', 'json', '--all-pairs'], 1);
    expect((JSON.parse(report.stdout) as Report).pairs).toEqual((JSON.parse(fromRoot.stdout) as Report).pairs);
  });

  it('refuses an index of another format, or options other than the index was made with, naming them (exit 2)', async () => {
    await ok(['index', 'add', 'corpus/a00.txt', '--index', 'old.duckdb', '-q']);
    const instance = await DuckDBInstance.create(path.join(dir, 'old.duckdb'));
    const connection = await instance.connect();
    await connection.run("UPDATE params SET value = '2' WHERE name = 'format'");
    connection.closeSync();
    instance.closeSync();
    const old = await ok(['index', 'export', 'old-export', '--index', 'old.duckdb'], 2);
    expect(old.stderr).toMatch(/old\.duckdb: .*the index format is 2 in the index, 4 here/);
    const other = await ok(['index', 'export', 'other-export', '--index', 'corpus.duckdb', '--threshold', '0.5'], 2);
    expect(other.stderr).toMatch(/bands × rows .* is 16x6 in the index/);
    const ngram = await ok(['index', 'export', 'other-export', '--index', 'corpus.duckdb', '--ngram', '7'], 2);
    expect(ngram.stderr).toMatch(/--ngram is 5 in the index, 7 here/);
  });
});
