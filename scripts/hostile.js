#!/usr/bin/env node
// Hostile-input suite (issue 9): generate each hostile case in a temp folder, run the CLI on it
// as a user would (a child process), and check the exit code, the report, that no input was
// changed, added or deleted (checksums before and after), that no temp file is left, and a time
// and memory ceiling measured here, not in a unit test.
//
//   npm run test:hostile                  # every case
//   npm run test:hostile -- deep utf      # the cases whose name contains "deep" or "utf"
//   npm run test:hostile -- --keep        # leave the generated folders (path printed)
//
// Cases live in scripts/hostile/*.js, each exporting `cases`: an array of
//   {
//     name: 'short-id',
//     about: 'what it shows',                  // optional, printed with a failure
//     setup(dir) { ... },                      // create the inputs in dir (the run's cwd); may return args
//     args: ['corpus', ...],                   // or returned by setup; --format json is added unless `format: false`
//     format: false,                           // optional: no --format json (e.g. an error with no report)
//     expectExit: 1,
//     maxSeconds: 5, maxRssMB: 300,            // wall time and peak RSS of the dedupe process
//     check({ report, stdout, stderr, status, dir }) { return 'problem' or undefined },   // optional
//     changes: ['report.json'],                // optional: paths (from dir) the run may create or change
//   }
// Add a file there (or a case to one) and it runs with the rest; names must be unique.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'dedupe.js');
const CASES_DIR = path.join(ROOT, 'scripts', 'hostile');
const TIME = '/usr/bin/time';

async function loadCases() {
  const files = readdirSync(CASES_DIR).filter((f) => f.endsWith('.js')).sort();
  const all = [];
  for (const file of files) {
    const module = await import(pathToFileURL(path.join(CASES_DIR, file)).href);
    for (const c of module.cases ?? []) all.push({ ...c, file });
  }
  const names = new Set();
  for (const c of all) {
    if (names.has(c.name)) throw new Error(`two hostile cases are named ${c.name}`);
    names.add(c.name);
  }
  return all;
}

/**
 * Every entry under dir, without following links: type, and for regular files size and SHA-256,
 * for links their target. Iterative, so a deep tree costs no stack.
 */
function snapshot(dir) {
  const entries = new Map();
  const stack = [''];
  while (stack.length > 0) {
    const relative = stack.pop();
    const full = relative === '' ? dir : path.join(dir, relative);
    for (const name of readdirSync(full)) {
      const rel = relative === '' ? name : `${relative}/${name}`;
      const abs = path.join(full, name);
      const info = lstatSync(abs);
      if (info.isDirectory()) {
        entries.set(rel, 'dir');
        stack.push(rel);
      } else if (info.isSymbolicLink()) entries.set(rel, `link -> ${readlinkSync(abs)}`);
      else if (info.isFile()) entries.set(rel, `file ${info.size} ${createHash('sha256').update(readFileSync(abs)).digest('hex')} mode ${info.mode.toString(8)}`);
      else entries.set(rel, `special ${info.mode.toString(8)}`);
    }
  }
  return entries;
}

function compareSnapshots(before, after, allowed) {
  const problems = [];
  for (const [p, what] of before) {
    if (allowed.has(p)) continue;
    if (!after.has(p)) problems.push(`${p} was deleted`);
    else if (after.get(p) !== what) problems.push(`${p} changed (${what} → ${after.get(p)})`);
  }
  for (const p of after.keys()) {
    if (before.has(p) || allowed.has(p)) continue;
    problems.push(p.endsWith('.tmp') ? `temp file left: ${p}` : `new file: ${p}`);
  }
  return problems;
}

/** Peak RSS of a process from /proc (kB), polled; for machines without /usr/bin/time. */
function pollPeakRss(pid) {
  let peak = 0;
  const read = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const m = /VmHWM:\s+(\d+) kB/.exec(status);
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch {
      // gone
    }
  };
  const timer = setInterval(read, 20);
  return { stop: () => (clearInterval(timer), read(), peak) };
}

/** Run the CLI in dir; kill it (and its group) after `limit` seconds. */
function runCli(args, dir, limitSeconds) {
  return new Promise((resolve) => {
    const timing = path.join(tmpdir(), `dedupe-hostile-time-${process.pid}-${Date.now()}.txt`);
    const useTime = existsSync(TIME);
    const command = useTime ? TIME : process.execPath;
    const argv = useTime ? ['-f', '%M', '-o', timing, process.execPath, BIN, ...args] : [BIN, ...args];
    const started = performance.now();
    const child = spawn(command, argv, { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', CI: '1' } });
    const poll = useTime ? undefined : pollPeakRss(child.pid);
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, limitSeconds * 1000);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      let rssKB = poll?.stop();
      if (useTime) {
        try {
          // Empty when the run was killed (time dies with it): no figure rather than 0.
          const last = readFileSync(timing, 'utf8').trim().split('\n').pop();
          rssKB = last ? Number(last) : undefined;
        } catch {
          rssKB = undefined;
        }
        rmSync(timing, { force: true });
      }
      let stderr = Buffer.concat(err).toString('utf8');
      // /usr/bin/time reports a non-zero exit on stderr: not the CLI's output.
      if (useTime) stderr = stderr.replace(/^Command (exited with non-zero status \d+|terminated by signal \d+)\n/m, '');
      resolve({ status: killed ? null : status, signal, killed, seconds, rssMB: rssKB === undefined ? undefined : rssKB / 1024, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

async function runCase(c, work) {
  const dir = path.join(work, c.name);
  mkdirSync(dir, { recursive: true });
  const setupStarted = performance.now();
  const returned = await c.setup?.(dir);
  const args = [...(returned?.args ?? c.args ?? [])];
  if (c.format !== false) args.push('--format', 'json');
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  const before = snapshot(dir);
  // Killed well after the ceiling, so a hang shows as a failure with figures, not a stuck suite.
  const result = await runCli(args, dir, Math.max(10, c.maxSeconds * 3));
  const problems = [];
  if (result.killed) problems.push(`did not finish in ${Math.max(10, c.maxSeconds * 3)} s: killed`);
  else if (result.status !== c.expectExit) problems.push(`exit ${result.status ?? result.signal}, expected ${c.expectExit}`);
  let report;
  if (c.format !== false && !result.killed) {
    const text = c.reportFile ? readFileSync(path.join(dir, c.reportFile), 'utf8') : result.stdout;
    try {
      report = JSON.parse(text);
      for (const key of ['schemaVersion', 'documents', 'clusters', 'pairs', 'summary', 'warnings']) if (!(key in report)) problems.push(`report has no ${key}`);
    } catch (error) {
      problems.push(`no valid JSON report: ${error.message}`);
    }
  }
  if (result.seconds > c.maxSeconds) problems.push(`${result.seconds.toFixed(2)} s is over ${c.maxSeconds} s`);
  if (result.rssMB !== undefined && result.rssMB > c.maxRssMB) problems.push(`${Math.round(result.rssMB)} MB is over ${c.maxRssMB} MB`);
  problems.push(...compareSnapshots(before, snapshot(dir), new Set(c.changes ?? [])));
  if (c.check && !result.killed) {
    try {
      const problem = await c.check({ ...result, report, dir });
      if (problem) problems.push(problem);
    } catch (error) {
      problems.push(`check threw: ${error.message}`);
    }
  }
  return { ...result, problems, setupSeconds, args };
}

/** rm -rf: fs.rmSync recurses and overflows the stack on a 2,000-level tree. */
const removeTree = (dir) => execFileSync('rm', ['-rf', '--', dir]);

async function main() {
  const argv = process.argv.slice(2);
  const keep = argv.includes('--keep');
  const filters = argv.filter((a) => !a.startsWith('--'));
  const cases = (await loadCases()).filter((c) => filters.length === 0 || filters.some((f) => c.name.includes(f)));
  if (cases.length === 0) {
    process.stderr.write(`no hostile case matches ${filters.join(', ')}\n`);
    process.exit(2);
  }
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    process.stderr.write('dist/ is missing: run npm run build first (npm run test:hostile does)\n');
    process.exit(2);
  }
  const work = mkdtempSync(path.join(tmpdir(), 'dedupe-hostile-'));
  process.stdout.write(`hostile inputs: ${cases.length} cases in ${work}; peak RSS by ${existsSync(TIME) ? TIME : '/proc VmHWM polling'}\n`);
  const width = Math.max(...cases.map((c) => c.name.length));
  let passed = 0;
  let failed = 0;
  for (const c of cases) {
    let r;
    try {
      r = await runCase(c, work);
    } catch (error) {
      r = { problems: [`setup or run failed: ${error.stack ?? error.message}`] };
    }
    const ok = r.problems.length === 0;
    if (ok) passed++;
    else failed++;
    const figures =
      r.seconds === undefined
        ? ''
        : `exit ${r.status ?? '–'}  ${r.seconds.toFixed(2).padStart(6)} s (≤ ${c.maxSeconds})  ${r.rssMB === undefined ? '?' : String(Math.round(r.rssMB)).padStart(4)} MB (≤ ${c.maxRssMB})`;
    process.stdout.write(`${ok ? 'PASS' : 'FAIL'}  ${c.name.padEnd(width)}  ${figures}\n`);
    if (!ok) {
      if (c.about) process.stdout.write(`      ${c.about}\n`);
      if (r.args) process.stdout.write(`      dedupe ${r.args.join(' ')}\n`);
      for (const p of r.problems) process.stdout.write(`      - ${p}\n`);
      if (r.stderr) process.stdout.write(`      stderr: ${r.stderr.trim().split('\n').slice(0, 5).join('\n              ')}\n`);
    }
    // Deep trees are removed case by case, so a long suite does not fill the disk.
    if (!keep) removeTree(path.join(work, c.name));
  }
  if (!keep) removeTree(work);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 ? 1 : 0);
}

await main();
