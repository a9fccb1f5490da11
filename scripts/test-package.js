#!/usr/bin/env node
// The package as users get it, two ways:
// 1. pack it, install the tarball in a scratch project (its own dependencies only, from the
//    registry or npm's cache), type-check the README's library example with this project's
//    TypeScript, run it, and compare what it prints with the README;
// 2. the README's CI install command, exactly as written, on a fresh clone of this repository (its
//    committed HEAD) at tools/dedupe, into a temporary global prefix; then the README's CI check
//    with the installed `dedupe`, which must find the duplicate and write a SARIF log.
//
//   npm run test:package        # build, then this (also run by .ci/run, after npm test)
//   node scripts/test-package.js [--keep]   # uses dist/ as it is; --keep leaves the scratch folder
//
// Exit status: 0 when both hold; 1 otherwise.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const started = performance.now();
const log = (msg) => process.stderr.write(`test:package: ${msg} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);

/** The fenced block between `<!-- NAME:start -->` and `<!-- NAME:end -->` in the README. */
export function readmeBlock(readme, name) {
  const m = new RegExp(`<!-- ${name}:start -->\\s*\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${name}:end -->`).exec(readme);
  if (!m) throw new Error(`README.md has no block between <!-- ${name}:start --> and <!-- ${name}:end -->`);
  return m[1];
}

const run = (cmd, args, cwd, env = process.env) => execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * The install commands of the README's CI jobs (`- run: …` in the GitHub workflow, `- …` in the
 * GitLab script) that name tools/dedupe: they must be one and the same command.
 */
export function ciInstallCommands(readme) {
  const commands = new Set();
  for (const [, block] of readme.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    for (const [, command] of block.matchAll(/^\s*- (?:run: )?(npm [^\n#]*tools\/dedupe[^\n#]*)/gm)) commands.add(command.trim());
  }
  return [...commands];
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const example = readmeBlock(readme, 'library-example');
const expected = readmeBlock(readme, 'library-example-output');

const dir = mkdtempSync(path.join(tmpdir(), 'dedupe-package-'));
let failed = false;
try {
  // dist/ as built; --ignore-scripts so that packing does not rebuild it.
  run(npm, ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], ROOT);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  log(`packed ${tarball}`);

  const project = path.join(dir, 'project');
  const file = (name, text) => writeFileSync(path.join(project, name), text);
  execFileSync('mkdir', [project]);
  file('package.json', `${JSON.stringify({ name: 'scratch', private: true, type: 'module' }, null, 2)}\n`);
  run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=dev', path.join(dir, tarball)], project);
  log('installed the tarball and its dependencies');

  file('example.ts', example);
  // Strict, and no @types at all: the package's own declarations must be enough for the example.
  file(
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, types: [], skipLibCheck: false, outDir: 'out' },
      files: ['example.ts'],
    }),
  );
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
  } catch (error) {
    throw new Error(`the README example does not type-check:\n${error.stdout}${error.stderr}`);
  }
  log('type-checked the example');

  const output = run(process.execPath, ['out/example.js'], project);
  if (output !== expected) {
    throw new Error(`the README example printed\n${output}\nbut the README says it prints\n${expected}`);
  }
  // The subpath export and the binary, as installed.
  const lowlevel = run(process.execPath, ['--input-type=module', '-e', "const m = await import('dedupe/lowlevel'); console.log(typeof m.chooseBands, typeof m.UnionFind)"], project);
  if (lowlevel.trim() !== 'function function') throw new Error(`dedupe/lowlevel: ${lowlevel}`);
  const version = run(process.execPath, [path.join(project, 'node_modules', '.bin', 'dedupe'), '--version'], project);
  const { version: ours } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  if (version.trim() !== ours) throw new Error(`dedupe --version printed ${version}`);
  log('the example prints what the README says; dedupe/lowlevel and the dedupe binary load');

  // 2. The README's CI install, as written, from a fresh clone.
  const commands = ciInstallCommands(readme);
  if (commands.length !== 1) throw new Error(`the README's CI jobs should install dedupe with one command, found ${JSON.stringify(commands)}`);
  const [install] = commands;
  if (run('git', ['status', '--porcelain', '--untracked-files=no'], ROOT).trim()) log('note: uncommitted changes are not in the clone (it is of HEAD)');
  const workspace = path.join(dir, 'workspace');
  const prefix = path.join(dir, 'prefix');
  execFileSync('mkdir', ['-p', path.join(workspace, 'tools')]);
  run('git', ['clone', '--quiet', ROOT, path.join(workspace, 'tools', 'dedupe')], dir);
  // Only the global prefix differs from a CI runner's (and npm's cache may be used).
  const env = { ...process.env, npm_config_prefix: prefix, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
  try {
    run('sh', ['-c', install], workspace, env);
  } catch (error) {
    throw new Error(`the README's install command failed on a fresh clone: ${install}\n${error.stdout}${error.stderr}`);
  }
  const installed = path.join(prefix, 'bin', 'dedupe');
  log(`ran the README's install command on a fresh clone: ${install}`);
  // The README's check: an incoming batch against the corpus, SARIF out; exit 1 for the duplicate.
  execFileSync('cp', ['-r', path.join(ROOT, 'fixtures/against/incoming-dup'), path.join(workspace, 'incoming')]);
  execFileSync('cp', ['-r', path.join(ROOT, 'fixtures/against/baseline'), path.join(workspace, 'corpus')]);
  const check = /^\s*run: (dedupe incoming\/ --against corpus\/ --format sarif --output dedupe\.sarif)$/m.exec(readme)?.[1];
  if (!check) throw new Error("the README's GitHub job has no `run: dedupe incoming/ --against corpus/ --format sarif --output dedupe.sarif` step");
  const checked = spawnSync('sh', ['-c', check], { cwd: workspace, env: { ...process.env, PATH: `${path.dirname(installed)}${path.delimiter}${process.env.PATH}` }, encoding: 'utf8' });
  if (checked.status !== 1) throw new Error(`${check} exited ${checked.status} (expected 1: a duplicate):\n${checked.stdout}${checked.stderr}`);
  const sarif = JSON.parse(readFileSync(path.join(workspace, 'dedupe.sarif'), 'utf8'));
  const results = sarif.runs?.[0]?.results ?? [];
  if (results.length !== 1 || results[0].locations[0].physicalLocation.artifactLocation.uri !== 'incoming/001_aa7fafff98e3fb85.txt') {
    throw new Error(`the SARIF log from the installed dedupe is not the expected one result: ${JSON.stringify(results).slice(0, 500)}`);
  }
  log("the installed dedupe runs the README's CI check: exit 1, one SARIF result at incoming/…");
} catch (error) {
  failed = true;
  console.error(`test:package: FAIL: ${error.stderr ?? ''}${error.message}`);
} finally {
  if (keep) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
console.log(`test:package: ${failed ? 'FAIL' : 'ok'} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = failed ? 1 : 0;
