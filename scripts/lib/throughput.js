// Issue 12, items 3 and 4: the CLI on the benchmark corpus (scripts/lib/real-corpus.js), each run
// a fresh process, against the Node floor and the npm `minhash` pipeline in the same run. Every
// child is measured the same way (scripts/lib/rusage.js): wall time, CPU time of all its threads,
// peak RSS. The figures that matter are ratios: the machine's load moves them least.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fixed, table, thousands } from './report.js';

// The targets of issue 12 ("Done when").
export const TARGETS = { defaultOverFloor: 3, noBoilerplateOverFloor: 2, peakRssMB: 300, twoThreadSpeedup: 1.6 };

/**
 * Run `args` under node with the resource preload; resolves { wall, cpu, user, system, peakMB,
 * exitCode, firstDocument? } where firstDocument is the seconds to the first NDJSON `document`
 * line on stdout (when `watchNdjson`).
 */
export function measure(args, { cwd, watchNdjson = false } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'dedupe-rusage-'));
  const file = path.join(dir, 'rusage.json');
  const preload = new URL('./rusage.js', import.meta.url).href;
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', preload, ...args], {
      cwd,
      env: { ...process.env, DEDUPE_RUSAGE_FILE: file, NO_COLOR: '1' },
      stdio: ['ignore', watchNdjson ? 'pipe' : 'ignore', 'pipe'],
    });
    let firstDocument;
    let stderr = '';
    let tail = '';
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    if (watchNdjson) {
      child.stdout.on('data', (chunk) => {
        if (firstDocument !== undefined) return;
        tail = (tail + chunk).slice(-200000);
        if (tail.includes('{"type":"document"')) firstDocument = (performance.now() - started) / 1000;
      });
    }
    child.on('close', (code) => {
      const wall = (performance.now() - started) / 1000;
      let usage;
      try {
        usage = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        usage = undefined;
      }
      rmSync(dir, { recursive: true, force: true });
      if (!usage || (code !== 0 && code !== 1)) {
        resolve({ error: `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`, wall });
        return;
      }
      resolve({
        wall,
        cpu: usage.userSeconds + usage.systemSeconds,
        user: usage.userSeconds,
        system: usage.systemSeconds,
        peakMB: usage.maxRssBytes / 1048576,
        minorFaults: usage.minorFaults,
        exitCode: code,
        ...(firstDocument !== undefined ? { firstDocument } : {}),
      });
    });
  });
}

/** The runs, by name: what each child process runs (relative to the project root). */
export function runsFor(corpusDir, outDir, { minhashDocs } = {}) {
  const cli = (name, ...extra) => ({ name, args: ['bin/dedupe.js', corpusDir, '--quiet', ...extra] });
  return [
    { name: 'floor', label: 'Node floor: read, lowercase, split words (1 thread)', args: ['scripts/lib/floor.js', corpusDir] },
    { ...cli('default', '--format', 'json', '-o', path.join(outDir, 'default.json')), label: 'dedupe --format json (default, -j 2)' },
    { ...cli('no-boilerplate', '--format', 'json', '--no-boilerplate', '-o', path.join(outDir, 'no-boilerplate.json')), label: 'same, --no-boilerplate' },
    { ...cli('j1', '--format', 'json', '-j', '1', '-o', path.join(outDir, 'j1.json')), label: 'same, -j 1' },
    { ...cli('ndjson', '--format', 'ndjson'), label: 'dedupe --format ndjson (to a pipe)', watchNdjson: true },
    // Without corpus evidence a document's labels are final once it is read: documents stream from the start.
    { ...cli('ndjson-no-boilerplate', '--format', 'ndjson', '--no-boilerplate'), label: 'same, --no-boilerplate', watchNdjson: true },
    {
      name: 'minhash',
      label: `npm minhash pipeline (1 thread${minhashDocs ? `, ${thousands(minhashDocs)} files evenly spaced` : ''})`,
      args: ['scripts/lib/minhash-child.js', corpusDir, ...(minhashDocs ? [String(minhashDocs)] : [])],
    },
  ];
}

/**
 * Time every run `rounds` times, in rotating order (so load that comes and goes lands on each in
 * turn); each figure is the median over rounds.
 */
export async function timeRuns(runs, { projectRoot, rounds = 1, log = () => {} }) {
  const samples = Object.fromEntries(runs.map((r) => [r.name, []]));
  const load = { start: loadavg()[0] };
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < runs.length; i++) {
      const run = runs[(round + i) % runs.length];
      log(`real corpus: ${run.name}${rounds > 1 ? ` (round ${round + 1}/${rounds})` : ''}`);
      samples[run.name].push(await measure(run.args, { cwd: projectRoot, watchNdjson: run.watchNdjson }));
    }
  }
  load.end = loadavg()[0];
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const results = {};
  for (const run of runs) {
    const ok = samples[run.name].filter((s) => !s.error);
    if (ok.length === 0) {
      results[run.name] = { label: run.label, error: samples[run.name][0].error };
      continue;
    }
    const of = (key) => (ok.every((s) => s[key] !== undefined) ? median(ok.map((s) => s[key])) : undefined);
    results[run.name] = { label: run.label, rounds: ok.length, wall: of('wall'), cpu: of('cpu'), peakMB: of('peakMB'), minorFaults: of('minorFaults'), firstDocument: of('firstDocument') };
  }
  return { runs: results, load };
}

/** The ratios issue 12 sets targets for, from one set of runs. */
export function ratiosOf(runs, { minhashDocs, files } = {}) {
  const r = runs;
  const over = (a, b, key) => (r[a]?.[key] !== undefined && r[b]?.[key] ? r[a][key] / r[b][key] : undefined);
  // The minhash pipeline on a sample of the files: its time scaled by the files' share, for the ratio.
  const minhashScale = minhashDocs && files ? files / Math.min(minhashDocs, files) : 1;
  return {
    defaultOverFloor: over('default', 'floor', 'wall'),
    defaultOverFloorCpu: over('default', 'floor', 'cpu'),
    noBoilerplateOverFloor: over('no-boilerplate', 'floor', 'wall'),
    noBoilerplateOverFloorCpu: over('no-boilerplate', 'floor', 'cpu'),
    twoThreadSpeedup: over('j1', 'default', 'wall'),
    minhashOverDefault: r.minhash?.wall && r.default?.wall ? (r.minhash.wall * minhashScale) / r.default.wall : undefined,
    firstDocumentShare: r.ndjson?.firstDocument !== undefined ? r.ndjson.firstDocument / r.ndjson.wall : undefined,
    firstDocumentShareNoBoilerplate: r['ndjson-no-boilerplate']?.firstDocument !== undefined ? r['ndjson-no-boilerplate'].firstDocument / r['ndjson-no-boilerplate'].wall : undefined,
  };
}

export function renderThroughput(result) {
  const { corpus, runs, ratios, load } = result;
  const out = [];
  const parts = Object.entries(corpus.parts)
    .map(([name, p]) => `${name} ${thousands(p.files)} files ${fixed(p.bytes / 1e6, 1)} MB`)
    .join(', ');
  out.push(`== real corpus (${corpus.size}): ${thousands(corpus.files)} files, ${fixed(corpus.bytes / 1e6, 1)} MB (${parts}) ==`);
  out.push(`load average (1 min) at start ${fixed(load.start, 2)}, at end ${fixed(load.end, 2)}; each run a fresh process, median of ${Object.values(runs)[0]?.rounds ?? 1} round(s)`);
  const floor = runs.floor;
  out.push(
    table(
      ['run', 'wall s', '× floor', 'CPU s', '× floor CPU', 'peak RSS MB', 'minor faults', 'first document s'],
      Object.values(runs).map((r) =>
        r.error
          ? [r.label, `failed: ${r.error}`]
          : [
              r.label,
              fixed(r.wall, 2),
              floor?.wall ? `${fixed(r.wall / floor.wall, 2)}×` : undefined,
              fixed(r.cpu, 2),
              floor?.cpu ? `${fixed(r.cpu / floor.cpu, 2)}×` : undefined,
              fixed(r.peakMB, 0),
              r.minorFaults !== undefined ? thousands(r.minorFaults) : undefined,
              r.firstDocument !== undefined ? `${fixed(r.firstDocument, 2)} (${fixed((100 * r.firstDocument) / r.wall, 0)}% of the run)` : undefined,
            ],
      ),
    ),
  );
  const passFail = (ok) => (ok === undefined ? 'n/a' : ok ? 'PASS' : 'FAIL');
  const t = TARGETS;
  const peak = runs.default?.peakMB;
  out.push(
    `targets (issue 12): default ${fixed(ratios.defaultOverFloor, 2)}× floor wall (≤ ${t.defaultOverFloor}×: ${passFail(ratios.defaultOverFloor === undefined ? undefined : ratios.defaultOverFloor <= t.defaultOverFloor)}); ` +
      `--no-boilerplate ${fixed(ratios.noBoilerplateOverFloor, 2)}× (≤ ${t.noBoilerplateOverFloor}×: ${passFail(ratios.noBoilerplateOverFloor === undefined ? undefined : ratios.noBoilerplateOverFloor <= t.noBoilerplateOverFloor)}); ` +
      `peak RSS ${fixed(peak, 0)} MB (≤ ${t.peakRssMB}: ${passFail(peak === undefined ? undefined : peak <= t.peakRssMB)}); ` +
      `-j 2 vs -j 1 ${fixed(ratios.twoThreadSpeedup, 2)}× (≥ ${t.twoThreadSpeedup}×: ${passFail(ratios.twoThreadSpeedup === undefined ? undefined : ratios.twoThreadSpeedup >= t.twoThreadSpeedup)})`,
  );
  out.push(`  in CPU time: default ${fixed(ratios.defaultOverFloorCpu, 2)}× the floor, --no-boilerplate ${fixed(ratios.noBoilerplateOverFloorCpu, 2)}× (all threads counted)`);
  if (ratios.minhashOverDefault !== undefined) out.push(`  npm minhash pipeline: ${fixed(ratios.minhashOverDefault, 1)}× the default run's wall time${result.minhashDocs ? ' (its time on the sample, scaled to all the files)' : ''}`);
  if (ratios.firstDocumentShare !== undefined) {
    const without = ratios.firstDocumentShareNoBoilerplate;
    out.push(
      `  NDJSON: the first document message at ${fixed(100 * ratios.firstDocumentShare, 0)}% of the run (labels wait for every document to be read)` +
        (without !== undefined ? `; with --no-boilerplate at ${fixed(100 * without, 0)}%` : ''),
    );
  }
  out.push('(the targets are meant for an idle 2-core machine: under load, trust the CPU columns and the ratios over the seconds)');
  out.push('(minor faults: pages the process touched first; on a VM that backs memory lazily each costs CPU time, about 15 µs on these machines)');
  return out;
}
