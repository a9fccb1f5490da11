#!/usr/bin/env node
// Record inputs (issue 11, item 1), checked at scale: a record file built from the BBC corpus
// (../shared/corpora/bbc, read in place) gives the same pairs as the same texts as files; its
// CSV and Parquet copies give the same report as the JSONL; the reader's peak memory does not
// grow with the file; and what reading records costs against reading files.
//
//   npm run check:records                      # 100,000 records, 10,000 of them also as files
//   node scripts/bench/records.js [--records N] [--files N] [--no-boilerplate] [--keep DIR] [--json]
//   scripts/bench.js calls recordsBench({ quick: true }) (20,000 records, 5,000 files)
//
// The records: BBC article i mod n, as it is in the first round and with 10% of its words
// replaced (seeded) in later rounds, so that rounds are not near-duplicates of each other; plus
// planted copies: 1% exact copies and 1% near copies (two words changed) of earlier records.
// Everything generated goes to a temporary directory, removed at the end (unless --keep).
// Exit status: 0 all checks pass; 1 a check fails; 2 cannot run (no BBC corpus, no dist/).

import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../lib/corpus.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..', '..');
const BIN = path.join(ROOT, 'bin', 'dedupe.js');
const BBC = path.resolve(ROOT, '..', 'shared', 'corpora', 'bbc');
const HAS_TIME = existsSync('/usr/bin/time');
/** The reader's peak RSS on the full file may exceed the half file's by at most this (GC timing under load). */
const RSS_GROWTH_LIMIT = 1.5;
/** The readers run with their JS heap capped at this: the 100,000-record file's text (~240 MB) cannot fit. */
const READER_HEAP_MB = 160;

function bbcTexts() {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const texts = [];
  for (const folder of readdirSync(BBC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    for (const file of readdirSync(path.join(BBC, folder)).filter((f) => f.endsWith('.txt')).sort()) texts.push(decoder.decode(readFileSync(path.join(BBC, folder, file))));
  }
  return texts;
}

/** `text` with each word replaced, with probability `rate`, by a word from `pool`. */
function editWords(text, rand, rate, pool) {
  return text.replace(/[A-Za-z]+/g, (word) => (rand() < rate ? pool[Math.floor(rand() * pool.length)] : word));
}

/** `text` with `count` words replaced. */
function editSomeWords(text, rand, count, pool) {
  const words = [...text.matchAll(/[A-Za-z]{4,}/g)];
  let out = text;
  for (let k = 0; k < count && words.length > 0; k++) {
    const w = words[Math.floor(rand() * words.length)];
    out = out.slice(0, w.index) + pool[Math.floor(rand() * pool.length)].padEnd(w[0].length, 'x').slice(0, w[0].length) + out.slice(w.index + w[0].length);
  }
  return out;
}

/** The records, one at a time: { id, text }. */
function* records(count, seed = 7) {
  const texts = bbcTexts();
  const pool = [...new Set(texts.join(' ').match(/[a-z]{5,}/g))];
  const rand = mulberry32(seed);
  const recent = []; // earlier records that copies are made of
  for (let i = 0; i < count; i++) {
    const id = `r${String(i).padStart(6, '0')}`;
    const roll = rand();
    let text;
    if (roll < 0.01 && recent.length > 0) text = recent[Math.floor(rand() * recent.length)];
    else if (roll < 0.02 && recent.length > 0) text = editSomeWords(recent[Math.floor(rand() * recent.length)], rand, 2, pool);
    else {
      const round = Math.floor(i / texts.length);
      const base = texts[i % texts.length];
      text = round === 0 ? base : editWords(base, rand, 0.1, pool);
    }
    if (recent.length < 2000) recent.push(text);
    else recent[Math.floor(rand() * recent.length)] = text;
    yield { id, text };
  }
}

const csvField = (s) => `"${s.replace(/"/g, '""')}"`;

/** A file written in pieces, synchronously. */
function sink(file) {
  const fd = openSync(file, 'w');
  return { write: (s) => writeSync(fd, s), close: () => closeSync(fd) };
}

/** Write every copy of the records in one pass, holding one Parquet row group at a time. */
async function build(dir, count, fileCount) {
  const { ParquetWriter, fileWriter, schemaFromColumnData } = await import('hyparquet-writer');
  const half = Math.floor(count / 2);
  const jsonl = sink(path.join(dir, 'records.jsonl'));
  const halfJsonl = sink(path.join(dir, 'half.jsonl'));
  const subset = sink(path.join(dir, 'subset.jsonl'));
  const csv = sink(path.join(dir, 'records.csv'));
  const halfCsv = sink(path.join(dir, 'half.csv'));
  csv.write('id,text\n');
  halfCsv.write('id,text\n');
  mkdirSync(path.join(dir, 'files'));
  const group = 10_000;
  const parquet = (file) => {
    const column = (name) => ({ name, data: [], type: 'STRING' });
    const writer = new ParquetWriter({ writer: fileWriter(path.join(dir, file)), schema: schemaFromColumnData({ columnData: [column('id'), column('text')] }) });
    let ids = [];
    let texts = [];
    const flush = () => {
      if (ids.length) writer.write({ columnData: [{ name: 'id', data: ids, type: 'STRING' }, { name: 'text', data: texts, type: 'STRING' }], rowGroupSize: group });
      ids = [];
      texts = [];
    };
    return {
      add(id, text) {
        ids.push(id);
        texts.push(text);
        if (ids.length === group) flush();
      },
      close() {
        flush();
        writer.finish();
      },
    };
  };
  const pq = parquet('records.parquet');
  const halfPq = parquet('half.parquet');
  let bytes = 0;
  let i = 0;
  for (const { id, text } of records(count)) {
    const line = `${JSON.stringify({ id, text })}\n`;
    const row = `${id},${csvField(text)}\n`;
    bytes += Buffer.byteLength(text);
    jsonl.write(line);
    csv.write(row);
    pq.add(id, text);
    if (i < half) {
      halfJsonl.write(line);
      halfCsv.write(row);
      halfPq.add(id, text);
    }
    if (i < fileCount) {
      subset.write(line);
      const file = sink(path.join(dir, 'files', `${id}.txt`));
      file.write(text);
      file.close();
    }
    i++;
  }
  for (const s of [jsonl, halfJsonl, subset, csv, halfCsv, pq, halfPq]) s.close();
  return { bytes, half };
}

/** Run the CLI; the report (JSON) to a file. Returns the exit code, seconds, CPU seconds and peak RSS (MB). */
function runCli(dir, args, out) {
  const timing = path.join(dir, 'time.txt');
  const argv = [...(HAS_TIME ? ['-f', '%e %U %S %M', '-o', timing, process.execPath] : []), BIN, ...args, '--format', 'json', '--output', out, '-q'];
  const started = performance.now();
  const result = spawnSync(HAS_TIME ? '/usr/bin/time' : process.execPath, argv, { cwd: dir, encoding: 'utf8' });
  const run = { status: result.status, seconds: (performance.now() - started) / 1000, stderr: result.stderr };
  if (HAS_TIME) {
    const [elapsed, user, sys, kb] = readFileSync(timing, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    Object.assign(run, { seconds: elapsed, cpu: user + sys, rssMB: kb / 1024 });
  }
  return run;
}

/** The record reader alone over a file, in a fresh process: records, bytes and peak RSS (MB). */
function readerAlone(dir, format, file) {
  const reader = pathToFileURL(path.join(ROOT, 'dist', 'input', 'records.js')).href;
  const code = `
    const { readRecords } = await import(${JSON.stringify(reader)});
    let records = 0, bytes = 0, warnings = 0;
    const t0 = performance.now();
    for await (const doc of readRecords(${JSON.stringify(format)}, ${JSON.stringify(file)}, 'f', { idField: 'id' }, () => warnings++)) { records++; bytes += doc.bytes; }
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write(JSON.stringify({ records, bytes, warnings, seconds, rssMB: process.resourceUsage().maxRSS / 1024 }));`;
  const result = spawnSync(process.execPath, [`--max-old-space-size=${READER_HEAP_MB}`, '--input-type=module', '-e', code], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) return { error: result.stderr.trim().split('\n').pop() };
  return JSON.parse(result.stdout);
}

const keyOf = (p) => p.replace(/^files\/(r\d+)\.txt$/, '$1').replace(/^[^#]*#/, '');
const pairSet = (report) => report.pairs.map((p) => [keyOf(p.a), keyOf(p.b)].sort().join(' ') + ` ${p.similarity}`).sort();

/** Everything the report says, with one record file's name put for another's. */
const normalised = (file, from, to) => readFileSync(file, 'utf8').replaceAll(`"${from}#`, `"${to}#`).replaceAll(`"${from}"`, `"${to}"`);

/**
 * Build the data, run the checks, return the figures. `quick`: 20,000 records, 5,000 as files.
 * `log` gets progress lines. Never throws for a failed check: `pass` says.
 */
export async function recordsBench({ records: count, files: fileCount, quick = false, noBoilerplate = false, keep, log = () => {} } = {}) {
  if (!existsSync(BBC)) return { skipped: `${path.relative(ROOT, BBC)} not found` };
  count ??= quick ? 20_000 : 100_000;
  fileCount = Math.min(count, fileCount ?? (quick ? 5_000 : 10_000));
  const dir = keep ? path.resolve(keep) : mkdtempSync(path.join(tmpdir(), 'dedupe-records-'));
  mkdirSync(dir, { recursive: true });
  const extra = noBoilerplate ? ['--no-boilerplate'] : [];
  const result = { records: count, files: fileCount, boilerplate: !noBoilerplate, loadAverage: { start: loadavg()[0] }, checks: {} };
  try {
    log(`records: writing ${count} records (JSONL, CSV, Parquet; ${fileCount} also as files) to ${dir}`);
    const built = await build(dir, count, fileCount);
    result.megabytes = built.bytes / 1e6;

    // 1. The same texts as files and as records: the same pairs. Alternating runs, best of two each.
    log(`records: ${fileCount} texts as files and as one JSONL file`);
    const filesRuns = [];
    const subsetRuns = [];
    for (let round = 0; round < 2; round++) {
      filesRuns.push(runCli(dir, ['files', ...extra], path.join(dir, 'files.json')));
      subsetRuns.push(runCli(dir, ['subset.jsonl', '--id-field', 'id', ...extra], path.join(dir, 'subset.json')));
    }
    const filesPairs = pairSet(JSON.parse(readFileSync(path.join(dir, 'files.json'), 'utf8')));
    const subsetPairs = pairSet(JSON.parse(readFileSync(path.join(dir, 'subset.json'), 'utf8')));
    const best = (runs, key) => Math.min(...runs.map((r) => r[key] ?? Infinity));
    result.checks.sameAsFiles = { pass: filesPairs.length > 0 && filesPairs.join('\n') === subsetPairs.join('\n'), pairs: filesPairs.length, recordPairs: subsetPairs.length };
    result.cost = {
      filesSeconds: best(filesRuns, 'seconds'),
      recordsSeconds: best(subsetRuns, 'seconds'),
      filesCpu: HAS_TIME ? best(filesRuns, 'cpu') : undefined,
      recordsCpu: HAS_TIME ? best(subsetRuns, 'cpu') : undefined,
      filesRssMB: filesRuns[0].rssMB,
      recordsRssMB: subsetRuns[0].rssMB,
    };

    // 2. JSONL, CSV and Parquet copies of all the records: the same report.
    const reports = {};
    for (const file of ['records.jsonl', 'records.csv', 'records.parquet']) {
      log(`records: dedupe ${file} (${count} records)`);
      const out = path.join(dir, `${file}.json`);
      reports[file] = runCli(dir, [file, '--id-field', 'id', ...extra], out);
      reports[file].out = out;
    }
    for (const [file, r] of Object.entries(reports)) {
      if (!existsSync(r.out)) throw new Error(`dedupe ${file} wrote no report (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
    const jsonlReport = JSON.parse(readFileSync(reports['records.jsonl'].out, 'utf8'));
    result.full = { documents: jsonlReport.summary.documents, clusters: jsonlReport.summary.clusters, duplicates: jsonlReport.summary.duplicates, pairs: jsonlReport.pairs.length, warnings: jsonlReport.warnings.length };
    result.formats = Object.fromEntries(Object.entries(reports).map(([file, r]) => [file, { status: r.status, seconds: r.seconds, cpu: r.cpu, rssMB: r.rssMB }]));
    // The same report but for the file's name and `record.line`, which only JSONL has (a record per line).
    const reference = readFileSync(reports['records.jsonl'].out, 'utf8').replace(/("position": \d+),\n\s*"line": \d+/g, '$1');
    /** Where a report first differs from the JSONL's, with some context, or undefined. */
    const firstDifference = (file) => {
      const other = normalised(reports[file].out, file, 'records.jsonl');
      if (other === reference) return undefined;
      let i = 0;
      while (i < other.length && other[i] === reference[i]) i++;
      return { at: i, jsonl: reference.slice(Math.max(0, i - 150), i + 150), [file]: other.slice(Math.max(0, i - 150), i + 150) };
    };
    result.differences = Object.fromEntries(['records.csv', 'records.parquet'].map((f) => [f, firstDifference(f)]).filter(([, d]) => d));
    result.checks.sameReport = {
      pass: jsonlReport.summary.documents === count && ['records.csv', 'records.parquet'].every((f) => normalised(reports[f].out, f, 'records.jsonl') === reference),
      csv: normalised(reports['records.csv'].out, 'records.csv', 'records.jsonl') === reference,
      parquet: normalised(reports['records.parquet'].out, 'records.parquet', 'records.jsonl') === reference,
    };

    // 3. Memory: the reader alone on half the records and on all of them.
    log('records: the readers alone, half and full files');
    result.reader = {};
    for (const [format, ext] of [['jsonl', 'jsonl'], ['csv', 'csv'], ['parquet', 'parquet']]) {
      result.reader[format] = { half: readerAlone(dir, format, `half.${ext}`), full: readerAlone(dir, format, `records.${ext}`) };
    }
    const growth = (r) => (r.half.error || r.full.error ? Infinity : r.full.rssMB / r.half.rssMB);
    result.checks.streams = {
      pass: Object.values(result.reader).every((r) => growth(r) <= RSS_GROWTH_LIMIT && r.full.records === count && r.half.records === built.half),
      limit: RSS_GROWTH_LIMIT,
      heapMB: READER_HEAP_MB,
    };
    // The whole run, for information: it keeps each record's sketch (what the pair search needs), not its text.
    log('records: dedupe on half the JSONL (whole-run memory, for information)');
    result.wholeRun = { half: runCli(dir, ['half.jsonl', '--id-field', 'id', '--no-boilerplate'], path.join(dir, 'half.json')), full: runCli(dir, ['records.jsonl', '--id-field', 'id', '--no-boilerplate'], path.join(dir, 'full.json')) };
    for (const r of Object.values(result.wholeRun)) delete r.stderr;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  result.loadAverage.end = loadavg()[0];
  result.pass = Object.values(result.checks).every((c) => c.pass);
  return result;
}

const f = (x, d = 2) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));

/** The figures as lines of text. */
export function renderRecords(r) {
  if (r.skipped) return [`== records: skipped (${r.skipped}) ==`];
  const c = r.cost;
  const ok = (check) => (check.pass ? 'PASS' : 'FAIL');
  const lines = [
    `== records: ${r.records.toLocaleString('en-US')} records (${f(r.megabytes, 1)} MB of text) from BBC with planted copies; ${r.files.toLocaleString('en-US')} as files too${r.boilerplate ? '' : '; --no-boilerplate'} ==`,
    `load average (1 min) ${f(r.loadAverage.start)} at start, ${f(r.loadAverage.end)} at end`,
    `${ok(r.checks.sameAsFiles)}  same pairs as files: ${r.checks.sameAsFiles.pairs} pairs from ${r.files} files, ${r.checks.sameAsFiles.recordPairs} from the same texts in one JSONL`,
    `      cost of records vs files (best of 2): ${f(c.recordsSeconds)} s vs ${f(c.filesSeconds)} s wall = ${f(c.recordsSeconds / c.filesSeconds)}×` +
      (c.recordsCpu !== undefined ? `; CPU ${f(c.recordsCpu)} s vs ${f(c.filesCpu)} s = ${f(c.recordsCpu / c.filesCpu)}×; peak RSS ${f(c.recordsRssMB, 0)} vs ${f(c.filesRssMB, 0)} MB` : ''),
    `${ok(r.checks.sameReport)}  CSV ${r.checks.sameReport.csv ? 'same' : 'DIFFERENT'}, Parquet ${r.checks.sameReport.parquet ? 'same' : 'DIFFERENT'} report as JSONL (but for file names and JSONL's record.line): ${r.full.documents} documents, ${r.full.clusters} clusters, ${r.full.duplicates} duplicates, ${r.full.pairs} pairs`,
    ...Object.entries(r.formats).map(([file, x]) => `      ${file.padEnd(16)} exit ${x.status}  ${f(x.seconds)} s wall  ${f(x.cpu)} s CPU  peak RSS ${f(x.rssMB, 0)} MB`),
    `${ok(r.checks.streams)}  reader alone (JS heap capped at ${r.checks.streams.heapMB} MB; ${f(r.megabytes, 0)} MB of text), peak RSS half file → full file (limit ${r.checks.streams.limit}×):`,
    ...Object.entries(r.reader).map(([format, x]) =>
      x.half.error || x.full.error
        ? `      ${format.padEnd(8)} error: ${x.half.error ?? x.full.error}`
        : `      ${format.padEnd(8)} ${f(x.half.rssMB, 0)} MB (${x.half.records} records) → ${f(x.full.rssMB, 0)} MB (${x.full.records} records) = ${f(x.full.rssMB / x.half.rssMB)}×; ${f(x.full.records / x.full.seconds / 1000, 1)}k records/s`,
    ),
    `      whole run (--no-boilerplate; sketches kept, texts let go once sketched): ${f(r.wholeRun.half.rssMB, 0)} MB → ${f(r.wholeRun.full.rssMB, 0)} MB, ${f(r.wholeRun.half.seconds)} s → ${f(r.wholeRun.full.seconds)} s`,
  ];
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values: args } = parseArgs({
    options: {
      records: { type: 'string' },
      files: { type: 'string' },
      'no-boilerplate': { type: 'boolean', default: false },
      keep: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!existsSync(path.join(ROOT, 'dist', 'input', 'records.js'))) {
    process.stderr.write('records: dist/ is missing; run npm run build first\n');
    process.exit(2);
  }
  const whole = (name) => {
    if (args[name] === undefined) return undefined;
    const n = Number(args[name]);
    if (!Number.isInteger(n) || n < 2) {
      process.stderr.write(`records: --${name} takes a whole number ≥ 2\n`);
      process.exit(2);
    }
    return n;
  };
  const result = await recordsBench({ records: whole('records'), files: whole('files'), noBoilerplate: args['no-boilerplate'], keep: args.keep, log: (m) => process.stderr.write(`${m}\n`) });
  if (result.skipped) {
    process.stderr.write(`records: cannot run: ${result.skipped}\n`);
    process.exit(2);
  }
  process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderRecords(result).join('\n')}\n`);
  process.exitCode = result.pass ? 0 : 1;
}
