#!/usr/bin/env node
// Time and memory on the large hostile corpora of issue 9, plus BBC cluster recall, with the CLI
// as a user runs it (a child process each, measured by /usr/bin/time). Prints the figures; exits
// 1 if a report is wrong or a ceiling is exceeded. Not a unit test: timings depend on the machine.
//
//   npm run check:large                       # 10,000 identical, 7,500 ~0.6-similar, 10,000 near-duplicate files; BBC
//   node scripts/large-check.js --keep DIR    # generate into DIR and leave the corpora there
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'dedupe.js');
const SECONDS = 10;
const MEGABYTES = 500;
const BBC = path.resolve(ROOT, '..', 'shared', 'corpora', 'bbc');
const BBC_PAIRS = path.resolve(ROOT, '..', 'shared', 'corpora', 'bbc-pairs.tsv');
const BBC_MUST_CLUSTER = 0.83;

const keepAt = process.argv.indexOf('--keep');
const work = keepAt > 0 ? path.resolve(process.argv[keepAt + 1]) : mkdtempSync(path.join(tmpdir(), 'dedupe-large-'));
const hasTime = existsSync('/usr/bin/time');

/** Run the CLI on `args`, the report (JSON unless args say) to a file; returns it parsed, seconds and peak RSS (MB). */
function measure(args) {
  const out = path.join(work, 'report.json');
  const timing = path.join(work, 'time.txt');
  const command = hasTime ? '/usr/bin/time' : process.execPath;
  const format = args.includes('--format') ? [] : ['--format', 'json'];
  const argv = [...(hasTime ? ['-f', '%e %M', '-o', timing, process.execPath] : []), BIN, ...args, ...format, '--output', out, '-q'];
  const started = performance.now();
  const result = spawnSync(command, argv, { cwd: ROOT, encoding: 'utf8' });
  let seconds = (performance.now() - started) / 1000;
  let rss;
  if (hasTime) {
    const [elapsed, kb] = readFileSync(timing, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    seconds = elapsed;
    rss = kb / 1024;
  }
  if (result.status !== 0 && result.status !== 1) throw new Error(`dedupe ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { report: JSON.parse(readFileSync(out, 'utf8')), seconds, rss, status: result.status };
}

function generate(kind, count) {
  const dir = path.join(work, kind);
  if (!existsSync(dir)) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'hostile-corpora.js'), kind, dir, String(count)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  }
  return dir;
}

const rows = [];
let bbcNote = '';
let failed = false;
function check(name, run, verdict) {
  const { report, seconds, rss } = run();
  const problem = verdict(report);
  const slow = seconds > SECONDS || (rss !== undefined && rss > MEGABYTES);
  if (problem || slow) failed = true;
  rows.push([name, `${seconds.toFixed(2)} s`, rss === undefined ? 'n/a' : `${Math.round(rss)} MB`, problem ?? (slow ? 'over the ceiling' : 'ok')]);
}

const identical = generate('identical', 10000);
const similar = generate('similar', 7500);
const near = generate('near', 10000);

check('10,000 identical files', () => measure([identical]), (r) => {
  const c = r.clusters[0];
  if (r.clusters.length !== 1 || c.members.length !== 10000 || !c.exact || !c.members.every((m) => m.exact)) return 'expected one exact cluster of 10,000';
  if (r.summary.duplicates !== 9999) return `duplicates ${r.summary.duplicates}, expected 9,999`;
  if (r.pairs.length > 2 * 9999) return `${r.pairs.length} pairs: more than 2(n - 1)`;
  return undefined;
});
check('10,000 identical files, --format sarif', () => measure([identical, '--format', 'sarif']), (r) =>
  r.runs[0].results.length === 9999 ? undefined : `expected 9,999 SARIF results, got ${r.runs[0].results.length}`,
);
check('10,000 identical files, --compare full', () => measure([identical, '--compare', 'full']), (r) =>
  r.clusters.length === 1 && r.clusters[0].members.length === 10000 ? undefined : 'expected one cluster of 10,000',
);
const noDuplicates = (r) => (r.summary.documents === 7500 && r.clusters.length === 0 && r.pairs.length === 0 ? undefined : `expected 7,500 unique documents, got ${JSON.stringify(r.summary)}`);
check('7,500 files ~0.6 similar', () => measure([similar]), noDuplicates);
check('7,500 files ~0.6 similar, --compare full', () => measure([similar, '--compare', 'full']), noDuplicates);

check('10,000 near-duplicates (one word apart)', () => measure([near]), (r) => {
  const c = r.clusters[0];
  if (r.clusters.length !== 1 || c.members.length !== 10000 || c.exact) return 'expected one cluster of 10,000 near-duplicates';
  if (r.pairs.length > 2 * 9999) return `${r.pairs.length} pairs: more than 2(n - 1)`;
  return undefined;
});

if (existsSync(BBC) && existsSync(BBC_PAIRS)) {
  check(`BBC --compare full: pairs ≥ ${BBC_MUST_CLUSTER} in one cluster`, () => measure([BBC, '--compare', 'full', '--root', BBC]), (r) => {
    const clusterOf = new Map();
    for (const c of r.clusters) for (const m of c.members) clusterOf.set(m.path, c.id);
    const listed = readFileSync(BBC_PAIRS, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    const must = listed.filter(([j]) => Number(j) >= BBC_MUST_CLUSTER);
    // With --root BBC the report names files as bbc-pairs.tsv does.
    const missed = must.filter(([, a, b]) => clusterOf.get(a) === undefined || clusterOf.get(a) !== clusterOf.get(b));
    bbcNote = `BBC: ${must.length - missed.length} of the ${must.length} pairs of bbc-pairs.tsv with Jaccard ≥ ${BBC_MUST_CLUSTER} are in one cluster`;
    return missed.length ? `${missed.length} listed pairs not clustered, e.g. ${missed[0].slice(1).join(' ~ ')}` : undefined;
  });
} else {
  rows.push(['BBC', '', '', 'skipped: ../shared/corpora/bbc not found']);
}

const width = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
process.stdout.write(`ceilings: ${SECONDS} s and ${MEGABYTES} MB peak RSS each (${hasTime ? '/usr/bin/time' : 'wall clock only'})\n`);
for (const r of rows) process.stdout.write(`${r.map((x, i) => String(x).padEnd(width[i])).join('  ')}\n`);
if (bbcNote) process.stdout.write(`${bbcNote}\n`);
if (keepAt < 0) rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
