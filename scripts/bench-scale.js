#!/usr/bin/env node
// The persistent index at scale (issue 12, item 4, --scale): generates N synthetic articles
// (default 1,000,000; scripts/synthetic.js, made-up words, every 100th a near-copy of the one
// before) in a temporary folder, not kept, then measures as a user runs them (a child process
// each, wall time and peak RSS by /usr/bin/time):
//   1. dedupe index add CORPUS --index DB          target: peak RSS ≤ 2 GB
//   2. dedupe INCOMING --index DB (1,000 files: half near-copies of indexed articles, half new)
//                                                  target: ≤ 5 s from a cold page cache, every planted copy found
//      run twice: cold (the page cache dropped first, when /proc/sys/vm/drop_caches is writable:
//      as root) and then warm; the cold run is the verdict
//   3. dedupe index add CORPUS --index DB again, nothing changed
//                                                  target: ≤ 10% of the first add
// The corpus goes to /dev/shm when it is a tmpfs with room (writing a million small files to
// this machine's disk takes about half an hour; the index itself goes to the disk).
//
//   node scripts/bench-scale.js [--docs N] [--incoming N] [--words N] [--dir DIR] [--keep] [--gate]
//   npm run bench:scale -- --docs 200000
// --gate exits 1 when a target is missed (timings on a shared machine are noisy: off by default).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { article, nearCopy } from './synthetic.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'dedupe.js');
const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const DOCS = Number(arg('--docs', 1_000_000));
const INCOMING = Number(arg('--incoming', 1000));
const WORDS = Number(arg('--words', 250));
const KEEP = process.argv.includes('--keep');
const GATE = process.argv.includes('--gate');
const PER_DIR = 1000;
const NEAR_EVERY = 100;

/** Where the corpus goes: a tmpfs with room for it (about 2.5 KB a document, twice over), else the temp folder. */
function corpusRoot() {
  const given = arg('--dir');
  if (given) return path.resolve(given);
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize > DOCS * 5000) return mkdtempSync('/dev/shm/dedupe-scale-');
  } catch {
    // no /dev/shm here
  }
  return mkdtempSync(path.join(tmpdir(), 'dedupe-scale-'));
}

const work = corpusRoot();
const indexDir = mkdtempSync(path.join(tmpdir(), 'dedupe-scale-index-'));
const db = path.join(indexDir, 'corpus.duckdb');
const corpus = path.join(work, 'corpus');
const incoming = path.join(work, 'incoming');
const hasTime = existsSync('/usr/bin/time');

const docPath = (i) => path.join(corpus, String(Math.floor(i / PER_DIR)).padStart(4, '0'), `${String(i).padStart(7, '0')}.txt`);
/** Article i of the corpus: every NEAR_EVERY-th is a near-copy of the one before (planted pairs). */
const corpusText = (i) => (i % NEAR_EVERY === NEAR_EVERY - 1 ? nearCopy(article(i - 1, WORDS), i, 3) : article(i, WORDS));

function generate() {
  const started = performance.now();
  let bytes = 0;
  for (let i = 0; i < DOCS; i++) {
    if (i % PER_DIR === 0) mkdirSync(path.dirname(docPath(i)), { recursive: true });
    const text = corpusText(i);
    bytes += text.length;
    writeFileSync(docPath(i), text);
    if (i % 100_000 === 99_999) process.stderr.write(`  generated ${i + 1} of ${DOCS}\n`);
  }
  // Incoming: the even ones near-copies of indexed articles spread over the corpus, the odd ones new.
  mkdirSync(incoming, { recursive: true });
  for (let k = 0; k < INCOMING; k++) {
    const text = k % 2 === 0 ? nearCopy(corpusText(Math.floor((k * DOCS) / INCOMING)), 7 + k, 4) : article(DOCS + 1_000_000 + k, WORDS);
    writeFileSync(path.join(incoming, `in-${String(k).padStart(5, '0')}.txt`), text);
  }
  return { seconds: (performance.now() - started) / 1000, bytes };
}

/** Run the CLI; wall seconds, CPU seconds and peak RSS (MB) with /usr/bin/time, and stdout. */
function measure(args) {
  const timing = path.join(indexDir, 'time.txt');
  const argv = [...(hasTime ? ['-f', '%e %M %U %S', '-o', timing, process.execPath] : []), BIN, ...args];
  const started = performance.now();
  const result = spawnSync(hasTime ? '/usr/bin/time' : process.execPath, argv, { cwd: work, encoding: 'utf8', maxBuffer: 1024 ** 3 });
  let seconds = (performance.now() - started) / 1000;
  let rss;
  let cpu;
  if (hasTime) {
    const [elapsed, kb, user, system] = readFileSync(timing, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    seconds = elapsed;
    rss = kb / 1024;
    cpu = user + system;
  }
  if (result.status !== 0 && result.status !== 1) throw new Error(`dedupe ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { seconds, cpu, rss, stdout: result.stdout };
}

/** Drop the page cache (the index's files then come from the disk, as on the first check of a day); false when not allowed. */
function dropCaches() {
  try {
    spawnSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

const cpuOf = (run) => (run.cpu === undefined ? '' : ` (CPU ${run.cpu.toFixed(1)} s)`);
const mb = (x) => (x === undefined ? 'n/a' : `${Math.round(x)} MB`);
const verdicts = [];
const verdict = (ok, what) => {
  verdicts.push(ok);
  return `${ok ? 'met' : 'MISSED'}: ${what}`;
};

try {
  process.stdout.write(`bench:scale: ${DOCS} synthetic articles of about ${WORDS} words (corpus in ${work}, index in ${indexDir})\n`);
  const made = generate();
  process.stdout.write(`generated ${DOCS} + ${INCOMING} files, ${(made.bytes / 1024 ** 2).toFixed(0)} MB, in ${made.seconds.toFixed(1)} s\n`);

  const first = measure(['index', 'add', 'corpus', '--index', db, '-f', 'json']);
  const added = JSON.parse(first.stdout);
  const size = (f) => (existsSync(f) ? statSync(f).size : 0);
  const dbBytes = size(db) + size(`${db}.wal`);
  const payloadBytes = size(`${db}.payloads`);
  const onDisk = dbBytes + payloadBytes;
  process.stdout.write(
    `index add:        ${first.seconds.toFixed(1)} s${cpuOf(first)}, peak RSS ${mb(first.rss)}, ${Math.round(DOCS / first.seconds)} documents/s; ${added.documents} documents, ` +
      `${(onDisk / 1024 ** 2).toFixed(0)} MB on disk (${Math.round(onDisk / DOCS)} bytes a document; DuckDB ${(dbBytes / 1024 ** 2).toFixed(0)} MB, payloads ${(payloadBytes / 1024 ** 2).toFixed(0)} MB)  ` +
      `${verdict(first.rss === undefined || first.rss <= 2048, 'peak RSS ≤ 2 GB')}\n`,
  );

  const cold = dropCaches();
  const check = measure(['incoming', '--index', db, '-f', 'json']);
  const warm = cold ? measure(['incoming', '--index', db, '-f', 'json']) : undefined;
  const report = JSON.parse(check.stdout);
  const matched = new Set();
  for (const c of report.clusters) for (const m of c.members) if (m.side === 'incoming' && c.members.some((o) => o.side === 'baseline')) matched.add(m.path);
  const planted = Math.ceil(INCOMING / 2);
  const times = warm
    ? `cold ${check.seconds.toFixed(2)} s${cpuOf(check)}, warm ${warm.seconds.toFixed(2)} s${cpuOf(warm)}`
    : `${check.seconds.toFixed(2)} s${cpuOf(check)} (warm or unknown: /proc/sys/vm/drop_caches is not writable, so the page cache could not be dropped)`;
  process.stdout.write(
    `check ${INCOMING} files: ${times}, peak RSS ${mb(check.rss)}; ${matched.size} of ${planted} planted near-copies found, ${report.clusters.length} clusters  ` +
      `${verdict(check.seconds <= 5, cold ? '≤ 5 s cold' : '≤ 5 s')}, ${verdict(matched.size === planted, 'every planted copy found')}\n`,
  );

  const again = measure(['index', 'add', 'corpus', '--index', db, '-f', 'json']);
  const unchanged = JSON.parse(again.stdout).unchanged;
  const ratio = again.seconds / first.seconds;
  // On a shared machine wall time waits for other work: CPU time is the steadier ratio.
  const cpuRatio = again.cpu === undefined ? '' : `, ${((100 * again.cpu) / first.cpu).toFixed(1)}% in CPU time`;
  process.stdout.write(
    `re-add unchanged: ${again.seconds.toFixed(2)} s${cpuOf(again)}, peak RSS ${mb(again.rss)}; ${unchanged} unchanged; ${(100 * ratio).toFixed(1)}% of the first add${cpuRatio}  ${verdict(ratio <= 0.1 && unchanged === DOCS, '≤ 10%')}\n`,
  );
} finally {
  if (!KEEP) {
    rmSync(work, { recursive: true, force: true });
    rmSync(indexDir, { recursive: true, force: true });
  }
}
if (GATE && verdicts.includes(false)) process.exit(1);
