#!/usr/bin/env node
// The package as users get it: pack it, install the tarball in a scratch project (its own
// dependencies only, from the registry or npm's cache), type-check the README's library example
// with this project's TypeScript, run it, and compare what it prints with the README.
//
//   npm run test:package        # build, then this (also run by .ci/run, after npm test)
//   node scripts/test-package.js [--keep]   # uses dist/ as it is; --keep leaves the scratch folder
//
// Exit status: 0 when the example type-checks and prints what the README says; 1 otherwise.

import { execFileSync } from 'node:child_process';
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

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
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
} catch (error) {
  failed = true;
  console.error(`test:package: FAIL: ${error.stderr ?? ''}${error.message}`);
} finally {
  if (keep) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
console.log(`test:package: ${failed ? 'FAIL' : 'ok'} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = failed ? 1 : 0;
