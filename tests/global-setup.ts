// Most tests import src/ (vitest compiles it as it loads); the few that need the built CLI
// (bin/dedupe.js in a child process, worker threads) run dist/. This brings dist/ up to date
// once per `vitest run`: nothing when it is newer than src/, else an incremental tsc, which also
// type-checks (a type error fails the run, and emits nothing, so the next run checks again).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
// Outside dist/: dist/ is what the package ships, and `npm run build` deletes it.
const BUILD_INFO = path.join(ROOT, 'node_modules', '.cache', 'dedupe', 'tsconfig.tsbuildinfo');

/** Each src/**\/*.ts with the dist/ file it compiles to. */
function sources(): Array<{ src: string; out: string }> {
  return (readdirSync(SRC, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => ({ src: path.join(SRC, f), out: path.join(DIST, f.replace(/\.ts$/, '.js')) }));
}

const mtime = (file: string) => statSync(file).mtimeMs;

export default function setup(): void {
  const files = sources();
  const missing = files.some(({ out }) => !existsSync(out));
  const config = Math.max(mtime(path.join(ROOT, 'tsconfig.json')), mtime(path.join(ROOT, 'package.json')));
  const stale = missing || files.some(({ src, out }) => Math.max(mtime(src), config) > mtime(out));
  if (!stale) return;
  // Incremental tsc trusts its build info over dist/: with outputs gone, start from scratch.
  if (missing) rmSync(BUILD_INFO, { force: true });
  mkdirSync(path.dirname(BUILD_INFO), { recursive: true });
  const tsc = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', BUILD_INFO, '--noEmitOnError'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (tsc.status !== 0) throw new Error(`tsc failed (exit ${tsc.status}): dist/ not rebuilt\n${tsc.stdout}${tsc.stderr}`);
  // tsc leaves alone an output whose source changed only in time: mark every output current.
  const now = new Date();
  for (const { out } of files) utimesSync(out, now, now);
}
