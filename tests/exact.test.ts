import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseCorpus } from '../src/report/build.js';
import { DEFAULT_OPTIONS } from '../src/core/options.js';
import type { SourceDocument } from '../src/input/read.js';
import type { Report } from '../src/report/types.js';
import { UnionFind } from '../src/cluster/union-find.js';
import { exactGroups, unitsDigest } from '../src/exact/exact.js';
import { dedupe, tempDir } from './helpers/cli.js';
import { seededRandom } from './helpers/random.js';

const tool = { name: 'dedupe', version: 'test' };
const doc = (p: string, text: string): SourceDocument => ({ path: p, bytes: Buffer.byteLength(text), text });

/** Made-up prose, different for every seed (no corpus text). */
function prose(seed: number, words: number): string {
  const random = seededRandom(seed);
  const vocabulary = Array.from({ length: 300 }, (_, i) => `w${i.toString(36)}${'aeiou'[i % 5]}`);
  return Array.from({ length: words }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(' ');
}

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('dedupe-exact-')));
afterAll(() => cleanup());

/** Write files into a fresh folder under the temp dir; returns the folder. */
function corpus(name: string, files: Record<string, string>): string {
  const folder = path.join(dir, name);
  mkdirSync(folder, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(folder, file), text);
  return folder;
}

async function json(args: string[]): Promise<{ status: number | null; report: Report; stdout: string; stderr: string }> {
  const result = await dedupe([...args, '--format', 'json'], { cwd: dir });
  return { ...result, report: JSON.parse(result.stdout) as Report };
}

const clusterPaths = (report: Report) => report.clusters.map((c) => c.members.map((m) => m.path).sort());

describe('identical documents are always one cluster', () => {
  it('clusters identical 1-word files, marked exact, and the text report says "identical"', async () => {
    corpus('one-word', { 'a.txt': 'Hello\n', 'b.txt': 'hello', 'c.txt': 'HELLO!\n', 'd.txt': 'goodbye\n' });
    const { status, report } = await json(['one-word']);
    expect(status).toBe(1);
    expect(clusterPaths(report)).toEqual([['one-word/a.txt', 'one-word/b.txt', 'one-word/c.txt']]);
    const cluster = report.clusters[0]!;
    expect(cluster.exact).toBe(true);
    expect(cluster.members.every((m) => m.exact && m.similarity === 1 && !m.belowThreshold)).toBe(true);
    expect(report.pairs.length).toBeGreaterThan(0);
    expect(report.pairs.every((p) => p.exact && p.similarity === 1 && p.bodySimilarity === 1 && p.fullSimilarity === 1)).toBe(true);
    expect(report.summary).toMatchObject({ clusters: 1, duplicates: 2, unique: 1 });

    const text = (await dedupe(['one-word'], { cwd: dir })).stdout;
    expect(text).toMatch(/Cluster 1 \(3 documents, identical\)/);
    expect(text).toMatch(/drop {2}one-word\/b\.txt .* identical/);
  });

  it('clusters identical files whose detected body is empty (all boilerplate)', async () => {
    const footer = 'Subscribe to our newsletter for the latest updates delivered to your inbox every morning.\nCopyright 2024 Example Media Group. All rights reserved.\n';
    corpus('no-body', { 'a.txt': footer, 'b.txt': footer });
    const { status, report } = await json(['no-body']);
    expect(status).toBe(1);
    // No body at all: each is compared on its full text (a body too small to trust), and they are identical anyway.
    expect(report.documents.map((d) => [d.compared, d.counts.bodyLines])).toEqual([
      ['full', 0],
      ['full', 0],
    ]);
    expect(clusterPaths(report)).toEqual([['no-body/a.txt', 'no-body/b.txt']]);
    expect(report.clusters[0]!.members.map((m) => m.exact)).toEqual([true, true]);
  });

  it('clusters empty and whitespace-only files together', async () => {
    corpus('blank', { 'a.txt': '', 'b.txt': '   \n\n\t\n', 'c.txt': '\n', 'd.txt': 'words here\n' });
    const { report } = await json(['blank']);
    expect(clusterPaths(report)).toEqual([['blank/a.txt', 'blank/b.txt', 'blank/c.txt']]);
    expect(report.clusters[0]!.exact).toBe(true);
  });

  it('clusters documents identical after normalisation whatever the shingle options, with no shingles at all', async () => {
    const text = prose(1, 40);
    // Case, punctuation, spacing and line breaks differ; the words do not.
    const words = text.split(' ');
    const variant = `${words.slice(0, 10).join(' ').toUpperCase()},\n\n  ${words.slice(10).join('  ; ')}.`;
    corpus('normalised', { 'a.txt': `${text}\n`, 'b.txt': variant, 'c.txt': `${prose(2, 40)}\n` });
    for (const extra of [['--ngram', '64'], ['--shingle', 'char', '--ngram', '64'], ['--compare', 'full', '--threshold', '1'], ['--no-boilerplate', '--ngram', '50']]) {
      const { report } = await json(['normalised', ...extra]);
      expect(clusterPaths(report), extra.join(' ')).toEqual([['normalised/a.txt', 'normalised/b.txt']]);
      expect(report.clusters[0]!.exact).toBe(true);
      expect(report.pairs.map((p) => [p.a, p.b, p.exact])).toEqual([['normalised/a.txt', 'normalised/b.txt', true]]);
    }
    expect((await json(['normalised', '--ngram', '64'])).report.documents.map((d) => d.shingles)).toEqual([0, 0, 0]);
  });

  it('marks exact members apart from near-duplicates in a mixed cluster, in JSON and NDJSON', async () => {
    const base = prose(3, 200);
    const near = base.replace(/ (\S+)$/, ' changed');
    corpus('mixed', { 'a.txt': base, 'b.txt': base, 'c.txt': near });
    const { report } = await json(['mixed', '--compare', 'full', '--keep=first']);
    expect(report.clusters).toHaveLength(1);
    const cluster = report.clusters[0]!;
    expect(cluster.exact).toBe(false);
    expect(cluster.members.map((m) => [m.path, m.exact])).toEqual([
      ['mixed/a.txt', true],
      ['mixed/b.txt', true],
      ['mixed/c.txt', false],
    ]);
    expect(cluster.members[2]!.similarity).toBeLessThan(1);
    const lines = (await dedupe(['mixed', '--compare', 'full', '--format', 'ndjson'], { cwd: dir })).stdout.trim().split('\n');
    const pairs = lines.map((l) => JSON.parse(l) as { type: string; data: { a: string; b: string; exact: boolean } }).filter((m) => m.type === 'pair');
    expect(pairs.map((p) => [p.data.a, p.data.b, p.data.exact])).toContainEqual(['mixed/a.txt', 'mixed/b.txt', true]);
    expect(pairs.some((p) => !p.data.exact)).toBe(true);
  });
});

describe('large clusters', () => {
  it('300 identical files: one cluster, n − 1 pairs by default, n(n − 1)/2 with --all-pairs', async () => {
    const text = 'A short note that every one of these files repeats.\n';
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`f${String(i).padStart(3, '0')}.txt`] = text;
    corpus('many', files);
    const spanning = (await json(['many'])).report;
    expect(spanning.params.pairs).toBe('spanning');
    expect(spanning.clusters).toHaveLength(1);
    expect(spanning.clusters[0]!.members).toHaveLength(300);
    expect(spanning.summary.duplicates).toBe(299);
    expect(spanning.pairs.length).toBeLessThanOrEqual(2 * 299);
    expect(spanning.pairs.every((p) => p.exact)).toBe(true);
    const all = (await json(['many', '--all-pairs'])).report;
    expect(all.params.pairs).toBe('all');
    expect(all.pairs).toHaveLength((300 * 299) / 2);
    expect(all.clusters).toEqual(spanning.clusters);
    // The other formats stay linear too: SARIF names a bounded number of related members per result.
    const sarif = JSON.parse((await dedupe(['many', '--format', 'sarif'], { cwd: dir })).stdout) as { runs: Array<{ results: Array<{ relatedLocations: unknown[] }> }> };
    expect(sarif.runs[0]!.results).toHaveLength(299);
    expect(Math.max(...sarif.runs[0]!.results.map((r) => r.relatedLocations.length))).toBeLessThanOrEqual(6);
  });

  it('a cluster of near-duplicates: the default pairs are verified, join every member, and are at most 2(n − 1)', async () => {
    const base = prose(4, 400);
    const words = base.split(' ');
    // 40 copies, each with one different word replaced: all pairwise near-duplicates, none identical.
    const docs = Array.from({ length: 40 }, (_, i) => {
      const copy = [...words];
      copy[(i * 9) % copy.length] = `edit${i}`;
      return doc(`n${String(i).padStart(2, '0')}.txt`, copy.join(' '));
    });
    const spanning = analyseCorpus(docs, DEFAULT_OPTIONS, { tool });
    const all = analyseCorpus(docs, { ...DEFAULT_OPTIONS, allPairs: true }, { tool });
    expect(spanning.clusters).toHaveLength(1);
    expect(spanning.clusters).toEqual(all.clusters);
    expect(all.pairs).toHaveLength((40 * 39) / 2);
    expect(spanning.pairs.length).toBeLessThanOrEqual(2 * 39);
    const allKeys = new Map(all.pairs.map((p) => [`${p.a}|${p.b}`, p]));
    const index = new Map(docs.map((d, i) => [d.path, i]));
    const sets = new UnionFind(docs.length);
    for (const p of spanning.pairs) {
      expect(allKeys.get(`${p.a}|${p.b}`)).toEqual(p); // a verified pair, reported the same way
      sets.union(index.get(p.a)!, index.get(p.b)!);
    }
    expect(new Set(docs.map((_, i) => sets.find(i))).size).toBe(1); // the reported pairs join the whole cluster
    // Every member's pair with the representative is among them.
    const rep = spanning.clusters[0]!.representative;
    for (const m of spanning.clusters[0]!.members.slice(1)) {
      expect(spanning.pairs.some((p) => (p.a === rep && p.b === m.path) || (p.b === rep && p.a === m.path))).toBe(true);
    }
  });
});

describe('determinism and options', () => {
  it('gives byte-identical JSON for an input run again after another in the same process (A, B, A)', async () => {
    // A: identical copies, near-duplicates, chains and empty files.
    const base = prose(5, 150);
    const files: Record<string, string> = { 'u.txt': prose(6, 150), 'e1.txt': '', 'e2.txt': ' \n' };
    for (let i = 0; i < 12; i++) files[`c${i}.txt`] = i % 3 === 0 ? base : base.replace(`w`, `x${i}`);
    corpus('determinism', files);
    // B: more and longer documents, run with other options, to leave other contents in any buffer
    // or cache the runs share.
    const other: Record<string, string> = {};
    for (let i = 0; i < 30; i++) other[`o${i}.txt`] = `${prose(100 + (i >> 1), 400)}${i % 2 ? ` ${prose(200 + i, 10)}` : ''}`; // pairs of near copies
    corpus('determinism-other', other);
    for (const extra of [[], ['--all-pairs']]) {
      const first = await dedupe(['determinism', '--format', 'json', ...extra], { cwd: dir });
      expect(first.status).toBe(1);
      for (const options of [[], ['--shingle', 'char', '--ngram', '4'], ['--sketch', 'minhash', '--num-perm', '64']]) {
        const between = await dedupe(['determinism-other', '--format', 'json', ...options], { cwd: dir });
        expect(between.status).toBe(1);
      }
      const again = await dedupe(['determinism', '--format', 'json', ...extra], { cwd: dir });
      expect(again.stdout, extra.join(' ')).toBe(first.stdout);
    }
  });

  it('caps --jobs at the CPU count and says so on stderr', async () => {
    corpus('jobs', { 'a.txt': 'one\n' });
    const { stderr, status } = await dedupe(['jobs', '--jobs', '100000'], { cwd: dir });
    expect(status).toBe(0);
    expect(stderr).toMatch(/--jobs 100000 is more than the \d+ CPUs here; using \d+/);
    expect((await dedupe(['jobs', '--jobs', '100000', '-q'], { cwd: dir })).stderr).toBe('');
  });

  it('with --against, identical baseline files alone make no cluster; an incoming copy joins all of them', async () => {
    const text = prose(7, 80);
    corpus('against/base', { 'a.txt': text, 'b.txt': text });
    corpus('against/in', { 'x.txt': prose(8, 80) });
    const none = await json(['against/in', '--against', 'against/base']);
    expect(none.report.clusters).toEqual([]);
    expect(none.status).toBe(0);
    corpus('against/in2', { 'y.txt': text });
    const one = (await json(['against/in2', '--against', 'against/base'])).report;
    expect(clusterPaths(one)).toEqual([['against/base/a.txt', 'against/base/b.txt', 'against/in2/y.txt']]);
    expect(one.summary.duplicates).toBe(1);
    expect(one.pairs.every((p) => p.aSide === 'incoming' || p.bSide === 'incoming')).toBe(true);
  });
});

describe('exact groups of documents whose units were let go', () => {
  const units = (...words: number[]) => Uint32Array.from(words);
  /** A document whose units were let go: reading them is an error. */
  const letGo = (fullTextHash: readonly [number, number], digest: Uint32Array) =>
    Object.defineProperty({ fullTextHash, unitsDigest: digest }, 'units', {
      get(): Uint32Array {
        throw new Error('units read');
      },
    }) as { units: Uint32Array; fullTextHash: readonly [number, number]; unitsDigest: Uint32Array };
  it('are confirmed by the units\' digest, never by the 64-bit key alone', () => {
    const a = units(1, 2, 3);
    const b = units(1, 2, 4);
    // A key two different texts share, as input can be made to: the digest tells them apart.
    const key = [7, 9] as const;
    const groups = exactGroups([
      letGo(key, unitsDigest(a)),
      letGo(key, unitsDigest(b)),
      letGo(key, unitsDigest(units(1, 2, 3))),
      // One that kept its units is compared by its digest too.
      { units: units(1, 2, 4), fullTextHash: key },
    ]);
    expect([...groups]).toEqual([0, 1, 0, 1]);
  });
});
