#!/usr/bin/env node
// Same output before and after a change that should not alter results (a speed-up, a refactor):
// runs this checkout's CLI and another build's on the same inputs with the same options and
// compares stdout byte for byte, and the exit codes.
//
//   npm run check:same -- --ref main         # build REF (git archive) in a temp folder and compare
//   node scripts/same-output.js --base DIR    # compare with a built checkout in DIR
//        [--quick] [--keep-failures DIR]
//
// Inputs: the bundled fixtures; from ../shared/corpora when present, BBC, L3S (both layouts) and
// the bench's real corpus (scripts/lib/real-corpus.js, the --quick size) built in a temp folder.
// Options: the formats and the options that change what is computed (--no-boilerplate, --compare
// full, -j 1, --all-pairs, --show-boilerplate, --diff, --sketch minhash, char shingles), and
// `dedupe body`. --quick: the
// fixtures and BBC only. Exit 0 when everything is identical, 1 when anything differs, 2 when
// the check cannot run. The reports hold no timing, so nothing is left out of the comparison.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { corporaDir } from './lib/corpus.js';
import { buildRealCorpus } from './lib/real-corpus.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    ref: { type: 'string' },
    base: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'keep-failures': { type: 'string' },
  },
});
if (!args.ref === !args.base) {
  console.error('usage: node scripts/same-output.js (--ref REF | --base DIR) [--quick] [--keep-failures DIR]');
  process.exit(2);
}
const log = (msg) => process.stderr.write(`same-output: ${msg}\n`);

const work = mkdtempSync(path.join(tmpdir(), 'dedupe-same-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
process.on('SIGINT', () => process.exit(130));

/** A built checkout of `ref`: its sources from git, this checkout's node_modules, compiled with tsc. */
function buildRef(ref) {
  const dir = path.join(work, 'base');
  mkdirSync(dir);
  log(`building ${ref} in ${dir}`);
  const archive = execFileSync('git', ['-C', root, 'archive', ref], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(dir, 'tsconfig.json')], { stdio: 'inherit' });
  return dir;
}

const baseDir = args.base ? path.resolve(args.base) : buildRef(args.ref);
for (const dir of [root, baseDir]) {
  if (!existsSync(path.join(dir, 'dist', 'cli', 'main.js'))) {
    console.error(`same-output: ${dir} has no dist/ (run npm run build there)`);
    process.exit(2);
  }
}

function runCli(checkout, argv) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(checkout, 'bin', 'dedupe.js'), ...argv], { cwd: root, env: { ...process.env, NO_COLOR: '1', CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.resume();
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out) }));
  });
}

const corpora = corporaDir(root);
const inputs = [{ name: 'fixtures', paths: ['fixtures'], full: true }];
if (existsSync(path.join(corpora, 'bbc'))) inputs.push({ name: 'bbc', paths: [path.join(corpora, 'bbc')], full: true });
if (!args.quick) {
  for (const name of ['l3s-dev', 'l3s-dev-wrapped']) {
    if (existsSync(path.join(corpora, name))) inputs.push({ name, paths: [path.join(corpora, name)], extra: ['--include', '*.txt'] });
  }
  if (existsSync(path.join(corpora, 'bbc'))) {
    const dir = path.join(work, 'real');
    log('building the real corpus (--quick size)');
    buildRealCorpus(corpora, dir, { size: 'quick' });
    inputs.push({ name: 'real-quick', paths: [dir] });
  }
}

// Every input gets these; `full: true` inputs (small ones) also get the rest.
// `body` first: the `dedupe body` subcommand on the same paths.
const COMMON = [
  ['--format', 'json'],
  ['--format', 'json', '--no-boilerplate'],
  ['--format', 'json', '-j', '1'],
  ['--format', 'ndjson'],
  ['--format', 'text', '--show-boilerplate'],
  ['--format', 'json', '--diff'],
  ['body'],
];
const MORE = [
  ['--format', 'json', '--compare', 'full'],
  ['--format', 'json', '--all-pairs'],
  ['--format', 'json', '--sketch', 'minhash'],
  ['--format', 'json', '--shingle', 'char', '--ngram', '8'],
  ['--format', 'sarif'],
  ['--format', 'paths'],
  // NDJSON streams documents as they are read without boilerplate detection, but not with segment texts.
  ['--format', 'ndjson', '--no-boilerplate'],
  ['--format', 'ndjson', '--no-boilerplate', '--show-boilerplate'],
  ['--format', 'html'],
];

let differ = 0;
let compared = 0;
for (const input of inputs) {
  for (const options of input.full ? [...COMMON, ...MORE] : COMMON) {
    const [command, rest] = options[0] === 'body' ? [['body'], options.slice(1)] : [[], options];
    const argv = [...command, ...input.paths, ...(input.extra ?? []), ...rest];
    const [ours, theirs] = await Promise.all([runCli(root, argv), runCli(baseDir, argv)]);
    compared++;
    const same = ours.code === theirs.code && ours.stdout.equals(theirs.stdout);
    log(`${same ? 'same' : 'DIFFERENT'}: ${input.name} ${options.join(' ')} (exit ${ours.code}, ${ours.stdout.length} bytes)`);
    if (same) continue;
    differ++;
    if (ours.code !== theirs.code) log(`  exit ${ours.code} here, ${theirs.code} in the base`);
    if (args['keep-failures']) {
      const dir = path.resolve(args['keep-failures']);
      mkdirSync(dir, { recursive: true });
      const stem = `${input.name}${options.join('')}`.replace(/[^\w.-]+/g, '_');
      writeFileSync(path.join(dir, `${stem}.here`), ours.stdout);
      writeFileSync(path.join(dir, `${stem}.base`), theirs.stdout);
    }
  }
}
console.log(`${compared - differ} of ${compared} runs identical${differ ? `; ${differ} differ` : ''}`);
process.exitCode = differ ? 1 : 0;
