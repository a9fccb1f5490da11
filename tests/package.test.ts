import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

// What `npm pack` puts in the tarball: what the package needs to run and to be used from
// TypeScript, its licence and documentation, and nothing of the development tree. (dist/ is the
// one the global setup brought up to date; --ignore-scripts keeps npm from rebuilding it.)

interface PackEntry {
  path: string;
  mode: number;
}

let files: string[];
let modes: Map<string, number>;
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  main: string;
  types: string;
  exports: Record<string, string | Record<string, string>>;
  license: string;
};

beforeAll(() => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [packed] = JSON.parse(out) as Array<{ files: PackEntry[] }>;
  files = packed!.files.map((f) => f.path).sort();
  modes = new Map(packed!.files.map((f) => [f.path, f.mode]));
}, 60_000);

const strip = (p: string) => p.replace(/^\.\//, '');

describe('npm pack', () => {
  it('holds every file package.json points at: the binary, the entry points and their types', () => {
    const named = [...Object.values(pkg.bin), pkg.main, pkg.types, ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))];
    for (const file of named.map(strip)) expect(files, file).toContain(file);
    expect(modes.get(strip(pkg.bin.dedupe!))! & 0o111).not.toBe(0); // executable
  });

  it('holds the licence, the README, the JSON schema, the compiled CLI and the sketch worker', () => {
    for (const file of ['LICENSE', 'README.md', 'package.json', 'schema/report.schema.json', 'dist/cli/main.js', 'dist/core/sketch-worker.js']) {
      expect(files, file).toContain(file);
    }
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 dedupe contributors\n/);
  });

  it('holds nothing of the development tree', () => {
    const forbidden = /^(src|tests|fixtures|scripts|node_modules|\.ci|\.git)\/|^(tsconfig\.json|vitest\.config\.ts|package-lock\.json|\.gitignore)$|\.tsbuildinfo$|\.test\.|\.tgz$/;
    expect(files.filter((f) => forbidden.test(f))).toEqual([]);
    // Every compiled module ships with its declarations; no TypeScript source but .d.ts.
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('ships source maps only with their sources inside them (src/ is not shipped)', () => {
    const maps = files.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(readFileSync(path.join(ROOT, map), 'utf8')) as { sources: string[]; sourcesContent?: Array<string | null> };
      expect(sourcesContent?.length, map).toBe(sources.length);
      for (const [i, source] of sources.entries()) {
        // The map's own copy of each source is the source as it is now.
        const file = path.resolve(path.dirname(path.join(ROOT, map)), source);
        expect(sourcesContent![i], `${map}: ${source}`).toBe(readFileSync(file, 'utf8'));
      }
    }
  });
});
