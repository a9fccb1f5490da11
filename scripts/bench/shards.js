#!/usr/bin/env node
// Sharded runs at scale (issue 12, item 2): BBC four times, one shard per copy, sketched in four
// processes, joined by sql/pairs.sql on DuckDB (`dedupe pairs`), checked against one run over the
// whole corpus, with what each step costs.
//
//   npm run bench:shards                 # builds, then runs this
//   node scripts/bench/shards.js [--keep DIR] [--json]
//
// The corpus (../shared/corpora/bbc, read in place, written to a temporary directory): copy c0
// as shipped, c1, c2, c3 with 1, 3 and 8% of their words replaced (seeded) by other words of the
// corpus. Steps: one run (`--all-pairs -j 1`); a first sketch of each copy; `dedupe pairs` over
// them, also writing the template lines; a second sketch with them; `dedupe pairs` again; and
// `report --pairs` over both. The second sketch must give one run's pairs exactly; the first
// differs where the corpus evidence applies (its count is printed). `dedupe pairs` is printed as
// a multiple of the one run's CPU time, measured in the same run: the join must stay linear in
// the shingle rows (before this script, a join of shingles on their hash alone took 10×).
// Exit status: 0 the second sketch gives one run's pairs, and so does the first with --compare
// full; 1 either does not; 2 cannot run.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../lib/corpus.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..', '..');
const BIN = path.join(ROOT, 'bin', 'dedupe.js');
const RUSAGE = path.join(ROOT, 'scripts', 'lib', 'rusage.js');
const BBC = path.resolve(ROOT, '..', 'shared', 'corpora', 'bbc');
const EDIT_RATES = [0, 0.01, 0.03, 0.08];

const { values: args } = parseArgs({ options: { keep: { type: 'string' }, json: { type: 'boolean', default: false } } });
const log = (line) => process.stderr.write(`bench:shards: ${line}\n`);

if (!existsSync(BBC) || !existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
  log(`cannot run: needs ${BBC} and a build (npm run build)`);
  process.exit(2);
}

/** The BBC articles as [folder, file, text], in path order. */
function bbcArticles() {
  const articles = [];
  for (const folder of readdirSync(BBC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    for (const file of readdirSync(path.join(BBC, folder)).filter((f) => f.endsWith('.txt')).sort()) articles.push([folder, file, readFileSync(path.join(BBC, folder, file), 'utf8')]);
  }
  return articles;
}

function buildCorpus(dir) {
  const articles = bbcArticles();
  const pool = [...new Set(articles.flatMap(([, , text]) => text.match(/[A-Za-z]{4,}/g) ?? []))].sort();
  const rand = mulberry32(4);
  EDIT_RATES.forEach((rate, copy) => {
    for (const [folder, file, text] of articles) {
      mkdirSync(path.join(dir, 'corpus', `c${copy}`, folder), { recursive: true });
      const edited = rate === 0 ? text : text.replace(/[A-Za-z]+/g, (word) => (rand() < rate ? pool[Math.floor(rand() * pool.length)] : word));
      writeFileSync(path.join(dir, 'corpus', `c${copy}`, folder, file), edited);
    }
  });
  return articles.length * EDIT_RATES.length;
}

/** Run the CLI in `dir`: its exit status, wall time, CPU time of all its threads and peak RSS. */
function measure(dir, cliArgs) {
  const usageFile = path.join(dir, 'rusage.json');
  const start = performance.now();
  const run = spawnSync(process.execPath, ['--import', RUSAGE, BIN, ...cliArgs], { cwd: dir, env: { ...process.env, DEDUPE_RUSAGE_FILE: usageFile }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - start) / 1000;
  if (run.status !== 0 && run.status !== 1) throw new Error(`dedupe ${cliArgs.join(' ')} exited ${run.status}: ${run.stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  return { wall, cpu: usage.userSeconds + usage.systemSeconds, rssMB: usage.maxRssBytes / 2 ** 20 };
}

const pairKeys = (report) => new Set(report.pairs.map((p) => `${p.a} ${p.b}`));
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

const dir = args.keep ? path.resolve(args.keep) : mkdtempSync(path.join(tmpdir(), 'dedupe-shards-'));
mkdirSync(dir, { recursive: true });
try {
  log(`building BBC ×${EDIT_RATES.length} in ${dir}`);
  const files = buildCorpus(dir);
  const copies = EDIT_RATES.map((_, k) => `corpus/c${k}`);
  const steps = {};
  log('one run');
  steps.oneRun = measure(dir, ['corpus', '--all-pairs', '-j', '1', '--format', 'json', '-o', 'one.json', '--quiet']);
  log('first sketches');
  steps.firstSketches = copies.map((copy, k) => measure(dir, ['sketch', copy, '--parquet', `first/${k}`, '--quiet']));
  log('dedupe pairs over the first sketches (and the template lines)');
  steps.firstPairs = measure(dir, ['pairs', '--parquet', 'first', '--output', 'first.parquet', '--templates', 'templates.parquet', '--quiet']);
  log('second sketches');
  steps.secondSketches = copies.map((copy, k) => measure(dir, ['sketch', copy, '--parquet', `second/${k}`, '--templates', 'templates.parquet', '--quiet']));
  log('dedupe pairs over the second sketches');
  steps.secondPairs = measure(dir, ['pairs', '--parquet', 'second', '--output', 'second.parquet', '--quiet']);
  for (const pass of ['first', 'second']) measure(dir, ['report', '--pairs', `${pass}.parquet`, '--parquet', pass, '--all-pairs', '--format', 'json', '-o', `${pass}.json`, '--quiet']);
  // With --compare full the evidence changes segments, not the compared text: one sketch suffices.
  log('--compare full: one run, sketches, pairs');
  measure(dir, ['corpus', '--all-pairs', '-j', '1', '--compare', 'full', '--format', 'json', '-o', 'one-full.json', '--quiet']);
  copies.forEach((copy, k) => measure(dir, ['sketch', copy, '--compare', 'full', '--parquet', `full/${k}`, '--quiet']));
  measure(dir, ['pairs', '--parquet', 'full', '--output', 'full.parquet', '--quiet']);
  measure(dir, ['report', '--pairs', 'full.parquet', '--parquet', 'full', '--all-pairs', '--format', 'json', '-o', 'full.json', '--quiet']);

  const one = readJson(path.join(dir, 'one.json'));
  const first = readJson(path.join(dir, 'first.json'));
  const second = readJson(path.join(dir, 'second.json'));
  const onePairs = pairKeys(one);
  const compare = (report, against = one) => {
    const keys = pairKeys(report);
    const theirs = pairKeys(against);
    return { pairs: keys.size, more: [...keys].filter((k) => !theirs.has(k)).length, fewer: [...theirs].filter((k) => !keys.has(k)).length, clusters: report.clusters.length };
  };
  const oneFull = readJson(path.join(dir, 'one-full.json'));
  const segmentsOf = (report) => new Map(report.documents.map((d) => [d.path, JSON.stringify(d.segments.map((s) => [s.startLine, s.endLine, s.kind]))]));
  const oneSegments = segmentsOf(one);
  const readDifferently = (report) => [...segmentsOf(report)].filter(([p, s]) => oneSegments.get(p) !== s).length;
  const results = {
    files,
    loadAverage: loadavg()[0],
    steps,
    oneRun: { pairs: onePairs.size, clusters: one.clusters.length },
    firstSketch: { ...compare(first), documentsReadDifferently: readDifferently(first) },
    secondSketch: { ...compare(second), documentsReadDifferently: readDifferently(second) },
    compareFull: { oneRun: { pairs: oneFull.pairs.length, clusters: oneFull.clusters.length }, firstSketch: compare(readJson(path.join(dir, 'full.json')), oneFull) },
  };
  if (args.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else {
    const fmt = ({ wall, cpu, rssMB }) => `${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU, ${Math.round(rssMB)} MB`;
    const range = (list) => `${fmt(list.reduce((a, b) => (a.cpu > b.cpu ? a : b)))} (the costliest of ${list.length})`;
    console.log(`BBC ×${EDIT_RATES.length}: ${files} files, one shard per copy (words edited: ${EDIT_RATES.map((r) => `${r * 100}%`).join(', ')}); load average ${results.loadAverage.toFixed(2)}`);
    console.log(`  one run (--all-pairs -j 1)        ${fmt(steps.oneRun)}`);
    console.log(`  first sketch, per shard           ${range(steps.firstSketches)}`);
    const ratio = (step) => `${(step.cpu / steps.oneRun.cpu).toFixed(1)}× the one run's CPU`;
    console.log(`  dedupe pairs (+ --templates)      ${fmt(steps.firstPairs)}; ${ratio(steps.firstPairs)}`);
    console.log(`  second sketch, per shard          ${range(steps.secondSketches)}`);
    console.log(`  dedupe pairs                      ${fmt(steps.secondPairs)}; ${ratio(steps.secondPairs)}`);
    const line = (name, r) => `  ${name}: ${r.pairs} pairs (one run ${onePairs.size}: ${r.more} more, ${r.fewer} fewer), ${r.clusters} clusters (one run ${one.clusters.length}), ${r.documentsReadDifferently} documents labelled differently`;
    console.log(line('first sketch only', results.firstSketch));
    console.log(line('second sketch    ', results.secondSketch));
    const full = results.compareFull.firstSketch;
    console.log(`  --compare full, first sketch only: ${full.pairs} pairs (one run ${oneFull.pairs.length}: ${full.more} more, ${full.fewer} fewer), ${full.clusters} clusters (one run ${oneFull.clusters.length})`);
  }
  const agrees = (r, report) => r.more === 0 && r.fewer === 0 && r.clusters === report.clusters.length;
  const same = agrees(results.secondSketch, one) && agrees(results.compareFull.firstSketch, oneFull);
  if (!same) log('FAIL: the second sketch (or, with --compare full, the first) does not give one run\'s pairs');
  process.exitCode = same ? 0 : 1;
} finally {
  if (!args.keep) rmSync(dir, { recursive: true, force: true });
}
