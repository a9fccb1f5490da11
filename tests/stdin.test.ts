import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dedupe, ROOT, SEEDS, tempDir } from './helpers/cli.js';

const seed = (prefix: string) => {
  const name = ['000_07ea92c0e8dc5bc0.txt', '001_aa7fafff98e3fb85.txt', '002_59aa2b53633dd852.txt', '003_e99bd238092f2c2c.txt'].find((f) => f.startsWith(prefix))!;
  return { path: `fixtures/seeds/${name}`, text: readFileSync(path.join(SEEDS, name), 'utf8') };
};

describe('stdin and path lists', () => {
  it('`-` is the text on stdin, one document, compared with the files given', async () => {
    const { text } = seed('000');
    const result = await dedupe(['-', 'fixtures/seeds', '--format', 'json'], { input: text, cwd: ROOT });
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.documents[0]).toMatchObject({ path: '-', stdin: true });
    const cluster = report.clusters[0];
    expect(cluster.members.map((m: { path: string }) => m.path)).toContain('-');
    // A file is kept, never the text that exists only on stdin.
    expect(cluster.representative).not.toBe('-');
  });

  it('never lists the stdin document in --format paths, and names it with --stdin-name', async () => {
    const { text } = seed('000');
    const paths = await dedupe(['-', 'fixtures/seeds', '--format', 'paths'], { input: text, cwd: ROOT });
    expect(paths.stdout.split('\n')).not.toContain('-');
    const named = await dedupe(['-', '--stdin-name', 'incoming/article.txt', '--format', 'json'], { input: text, cwd: ROOT });
    expect(JSON.parse(named.stdout).documents.map((d: { path: string }) => d.path)).toEqual(['incoming/article.txt']);
  });

  it('--stdin-name without - names nothing: a usage error, for the report and for body', async () => {
    for (const args of [['fixtures/seeds'], ['body', 'fixtures/seeds']]) {
      const run = await dedupe([...args, '--stdin-name', 'x.txt'], { cwd: ROOT });
      expect([run.status, run.stdout, run.stderr]).toEqual([2, '', 'dedupe: error: --stdin-name x.txt does nothing without - among the paths\nhint: give - to read a text from stdin\n']);
    }
  });

  it('refuses a --stdin-name that a file of the run already has: the report could not tell the two apart', async () => {
    const { text } = seed('003');
    const taken = seed('000').path;
    for (const args of [['-', 'fixtures/seeds'], ['-', '--against', 'fixtures/seeds']]) {
      const result = await dedupe([...args, '--stdin-name', taken, '--format', 'paths', '--list-kept'], { input: text, cwd: ROOT });
      expect([result.status, result.stdout, result.stderr]).toEqual([
        2,
        '',
        `dedupe: error: --stdin-name ${taken} is the name of a file this run also reads: the report could not tell the two apart\nhint: give stdin a name no input has\n`,
      ]);
    }
  });

  it('holds stdin to --max-file-size, and says what a NUL-separated list without -0 is', async () => {
    const big = await dedupe(['-', '--max-file-size', '1K', '--summary'], { input: 'word '.repeat(600), cwd: ROOT });
    expect([big.status, big.stdout, big.stderr]).toEqual([2, '', 'dedupe: error: - (stdin): 2.9 KiB, over --max-file-size 1 KiB\nhint: raise --max-file-size, or split the text\n']);
    const list = `${seed('000').path}\0${seed('001').path}\0`;
    const nul = await dedupe(['--files-from', '-', '--summary'], { input: list, cwd: ROOT });
    expect([nul.status, nul.stderr]).toEqual([2, 'dedupe: error: --files-from -: the list holds NUL bytes\nhint: a NUL-separated list (find -print0) needs -0\n']);
    expect((await dedupe(['--files-from', '-', '-0', '--summary'], { input: list, cwd: ROOT })).status).toBe(1);
  });

  it('`dedupe body -` prints the body of the text on stdin', async () => {
    const { path: file, text } = seed('000');
    const fromStdin = await dedupe(['body', '-'], { input: text, cwd: ROOT });
    const fromFile = await dedupe(['body', file], { cwd: ROOT });
    expect(fromStdin.status).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
    expect(fromStdin.stdout).not.toMatch(/NEWSMAX\+/);
  });

  it('--files-from reads a list of paths, one per line or NUL-separated with -0, from a file or stdin', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const files = ['000', '001', '003'].map((p) => path.join(ROOT, seed(p).path));
      writeFileSync(path.join(dir, 'list.txt'), `${files.join('\n')}\n`);
      const fromFile = JSON.parse((await dedupe(['--files-from', 'list.txt', '--format', 'json'], { cwd: dir })).stdout);
      expect(fromFile.summary).toMatchObject({ documents: 3, clusters: 1 });
      // Names with a newline survive only NUL separation.
      const odd = path.join(dir, 'two\nlines.txt');
      writeFileSync(odd, seed('002').text);
      const nul = await dedupe(['--files-from', '-', '-0', '--format', 'json'], { input: [...files, odd].map((f) => `${f}\0`).join(''), cwd: dir });
      expect(JSON.parse(nul.stdout).summary).toMatchObject({ documents: 4, clusters: 1 });
    } finally {
      cleanup();
    }
  });

  it('refuses to read stdin twice, and a missing list is exit 2 naming it', async () => {
    const both = await dedupe(['-', '--files-from', '-'], { input: 'text', cwd: ROOT });
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/stdin can be read once: give - as a path .* or --files-from - .*, not both/);
    const twice = await dedupe(['-', '-'], { input: 'text', cwd: ROOT });
    expect([twice.status, twice.stderr]).toEqual([2, expect.stringMatching(/^dedupe: error: stdin can be read once: - is given 2 times\n/)]);
    const missing = await dedupe(['--files-from', 'no-such-list.txt'], { cwd: ROOT });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--files-from no-such-list\.txt: cannot read the list/);
  });

  it('takes a list of 300,000 paths (one missing path is exit 2 naming it, not a crash)', async () => {
    const list = Array.from({ length: 300_000 }, (_, i) => `no/such/file-${i}.txt`).join('\n');
    const run = await dedupe(['--files-from', '-'], { input: list, cwd: ROOT });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/no\/such\/file-0\.txt: no such file/);
    expect(run.stderr).not.toMatch(/internal error/);
  });
});

describe('containment', () => {
  it('gives every reported pair the share of the smaller document found in the larger', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const { text } = seed('003');
      const extra = 'The council said on Monday that a second consultation would open next month, and that the results would be published before the end of the year together with the budget.';
      writeFileSync(path.join(dir, 'article.txt'), text);
      writeFileSync(path.join(dir, 'article-and-more.txt'), `${text}\n${extra}\n`);
      const report = JSON.parse((await dedupe(['.', '--format', 'json', '--compare', 'full', '--threshold', '0.5'], { cwd: dir })).stdout);
      expect(report.pairs).toHaveLength(1);
      const [pair] = report.pairs;
      expect(pair.similarity).toBeLessThan(1);
      expect(pair.containment).toBe(1); // the shorter one lies wholly inside the longer
    } finally {
      cleanup();
    }
  });
});
