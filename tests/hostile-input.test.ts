// Issue 9, hostile input: what is not a regular file is never read, a file is never read without
// bound, legacy encodings are decoded, deep and looping trees are walked once, and an empty input
// is an error. Timings and memory are measured by `npm run test:hostile`, not here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentLines, MAX_LABELLED_LINES } from '../src/core/document.js';
import { MAX_DOCUMENT_LINES, tooManyLines } from '../src/input/lines.js';
import { decodeFile, decodeWindows1252 } from '../src/input/decode.js';
import { planReads, readTextFile } from '../src/input/read.js';
import { formatSize, parseSize } from '../src/input/size.js';
import type { Report } from '../src/report/types.js';
import { dedupe, tempDir } from './helpers/cli.js';

const ARTICLE =
  'Le café était fermé ce matin à Paris, mais la boulangerie du coin avait déjà ouvert ses portes.\n' +
  'Les clients attendaient devant la vitrine sans se plaindre, car le pain sortait à peine du four.\n';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('dedupe-hostile-')));
afterEach(() => cleanup());

const json = async (args: string[]) => {
  // A guard, not a timing assertion: a run that blocks (on a FIFO, on /dev/zero) fails instead of hanging.
  const result = await dedupe([...args, '--format', 'json'], { cwd: dir });
  return { ...result, report: result.stdout ? (JSON.parse(result.stdout) as Report) : undefined };
};

/** corpus/a.txt and corpus/b.txt: two copies of one article. */
function corpus(): string {
  mkdirSync(path.join(dir, 'corpus'));
  writeFileSync(path.join(dir, 'corpus/a.txt'), ARTICLE);
  writeFileSync(path.join(dir, 'corpus/b.txt'), ARTICLE);
  return 'corpus';
}

describe('only regular files are read', () => {
  it('skips a FIFO named explicitly or found in a directory, with a warning naming it, and never blocks on it', async () => {
    corpus();
    expect(spawnSync('mkfifo', [path.join(dir, 'corpus/pipe')]).status).toBe(0);
    expect(spawnSync('mkfifo', [path.join(dir, 'named.fifo')]).status).toBe(0);
    const { status, report, stderr } = await json(['corpus', 'named.fifo']);
    expect(status).toBe(1); // the two copies are still found
    expect(report!.documents.map((d) => d.path)).toEqual(['corpus/a.txt', 'corpus/b.txt']);
    expect(report!.summary.skipped).toBe(2);
    expect(report!.warnings).toEqual([
      { path: 'corpus/pipe', message: 'skipped: a FIFO, not a regular file' },
      { path: 'named.fifo', message: 'skipped: a FIFO, not a regular file' },
    ]);
    expect(stderr).toMatch(/warning: named\.fifo: skipped: a FIFO, not a regular file/);
  });

  it.runIf(existsSync('/dev/zero') && existsSync('/dev/urandom'))('skips /dev/zero and /dev/urandom, and a symlink to one, as character devices', async () => {
    corpus();
    symlinkSync('/dev/zero', path.join(dir, 'corpus/zero.txt'));
    const { status, report } = await json(['corpus', '/dev/urandom']);
    expect(status).toBe(1);
    expect(report!.summary).toMatchObject({ documents: 2, skipped: 2 });
    expect(report!.warnings.map((w) => w.message)).toEqual(Array(2).fill('skipped: a character device, not a regular file'));
    expect(report!.warnings[0]!.path).toBe('corpus/zero.txt');
    expect(report!.warnings[1]!.path).toMatch(/dev\/urandom$/);
    const zero = await json(['corpus', '/dev/zero']);
    expect(zero.report!.summary).toMatchObject({ documents: 2, skipped: 1 }); // the link and its target are one file
  });

  it('a file seen as regular but replaced by a FIFO or a directory before it is read is skipped, never blocked on', () => {
    // Discovery's stat lets the reader open a file without a stat of its own: what was opened is
    // still judged by fstat. The swap is made between planning and reading.
    corpus();
    const tasks = planReads(['corpus/a.txt', 'corpus/b.txt'], dir, { stats: new Map([['corpus/a.txt', { regular: true }], ['corpus/b.txt', { regular: true }]]) });
    expect(tasks.map((t) => t.regular)).toEqual([true, true]);
    rmSync(path.join(dir, 'corpus/a.txt'));
    expect(spawnSync('mkfifo', [path.join(dir, 'corpus/a.txt')]).status).toBe(0);
    rmSync(path.join(dir, 'corpus/b.txt'));
    mkdirSync(path.join(dir, 'corpus/b.txt'));
    expect(tasks.map((t) => readTextFile(t, 1024).warning)).toEqual([
      { path: 'corpus/a.txt', message: 'skipped: a FIFO, not a regular file' },
      { path: 'corpus/b.txt', message: 'skipped: a directory, not a regular file' },
    ]);
  });
});

describe('documents too long to label', () => {
  it('are compared on their whole text, labelled body, with a warning naming each; a document at the limit is still labelled', async () => {
    mkdirSync(path.join(dir, 'corpus'));
    const footer = 'Copyright 2024 Example News Ltd. All rights reserved.';
    // Paragraphs of article text (a blank line every tenth), then a blank line and a copyright footer: `lines` lines.
    const text = (lines: number) => `${Array.from({ length: lines - 2 }, (_, i) => (i % 10 === 9 ? '' : `Line ${i} of the long record goes on in plain words.`)).join('\n')}\n\n${footer}\n`;
    writeFileSync(path.join(dir, 'corpus/long-a.txt'), text(MAX_LABELLED_LINES + 1));
    writeFileSync(path.join(dir, 'corpus/long-b.txt'), text(MAX_LABELLED_LINES + 1));
    writeFileSync(path.join(dir, 'corpus/at-limit.txt'), text(MAX_LABELLED_LINES));
    const { status, report, stderr } = await json(['corpus']);
    expect(status).toBe(1);
    const doc = (name: string) => report!.documents.find((d) => d.path === `corpus/${name}`)!;
    for (const name of ['long-a.txt', 'long-b.txt']) {
      expect(doc(name).segments).toEqual([expect.objectContaining({ kind: 'body', startLine: 1, endLine: MAX_LABELLED_LINES + 1, reasons: [expect.stringContaining('not labelled')] })]);
      expect(report!.warnings).toContainEqual({ path: `corpus/${name}`, message: expect.stringContaining('not labelled') });
      expect(stderr).toContain(`corpus/${name}: ${(MAX_LABELLED_LINES + 1).toLocaleString('en-US')} lines`);
    }
    expect(report!.pairs).toContainEqual(expect.objectContaining({ a: 'corpus/long-a.txt', b: 'corpus/long-b.txt', exact: true }));
    // At the limit the labeller runs: the footer is boilerplate, and no warning names the file.
    expect(doc('at-limit.txt').segments.at(-1)).toEqual(expect.objectContaining({ kind: 'boilerplate', startLine: MAX_LABELLED_LINES }));
    expect(report!.warnings.map((w) => w.path)).not.toContain('corpus/at-limit.txt');
    // index add and dedupe sketch store them so, and say so too; dedupe body gives them whole.
    const added = await dedupe(['index', 'add', 'corpus', '--index', 'idx.duckdb'], { cwd: dir });
    const sketched = await dedupe(['sketch', 'corpus', '--parquet', 'shard'], { cwd: dir });
    const body = await dedupe(['body', 'corpus/long-a.txt'], { cwd: dir });
    for (const run of [added, sketched, body]) {
      expect(run.status).toBe(0);
      expect(run.stderr).toContain(`corpus/long-a.txt: ${(MAX_LABELLED_LINES + 1).toLocaleString('en-US')} lines`);
    }
    expect(body.stdout.split('\n').length).toBe(MAX_LABELLED_LINES + 2); // every line, and the final newline
  });
});

describe('documents of too many lines', () => {
  it('counts lines as the report does and stops at MAX_DOCUMENT_LINES', () => {
    const atLimit = '\n'.repeat(MAX_DOCUMENT_LINES);
    expect(documentLines(atLimit).length).toBe(MAX_DOCUMENT_LINES);
    expect(tooManyLines(atLimit)).toBeUndefined();
    expect(tooManyLines('\r\n'.repeat(MAX_DOCUMENT_LINES))).toBeUndefined();
    // One more line: text after the last break, or a lone CR counted as a break.
    expect(documentLines(`${atLimit}x`).length).toBe(MAX_DOCUMENT_LINES + 1);
    expect(tooManyLines(`${atLimit}x`)).toMatch(/^more than 10,000,000 lines/);
    expect(tooManyLines(`${'\r'.repeat(MAX_DOCUMENT_LINES)}x`)).toMatch(/^more than/);
  });

  it('skips a file of more lines with a warning naming it, and reads the rest (the engine cannot hold 134 million lines)', async () => {
    const dirName = corpus();
    writeFileSync(path.join(dir, dirName, 'lines.txt'), 'x\n'.repeat(MAX_DOCUMENT_LINES + 1));
    const { status, report, stderr } = await json([dirName]);
    expect(status).toBe(1);
    expect(stderr).toContain('corpus/lines.txt: skipped: more than 10,000,000 lines');
    expect(report!.documents.map((d) => d.path).sort()).toEqual(['corpus/a.txt', 'corpus/b.txt']);
    expect(report!.summary.skipped).toBe(1);
  });
});

describe('file names that are not UTF-8', () => {
  it('are named in a warning that says why they cannot be read, and the run is exit 2 (not read is not clean)', async () => {
    const dirName = corpus();
    // "café.txt" with its é in Latin-1 (0xE9): Node lists it as caf\uFFFD.txt and cannot open that name.
    writeFileSync(Buffer.concat([Buffer.from(path.join(dir, dirName, 'caf')), Buffer.from([0xe9]), Buffer.from('.txt')]), ARTICLE);
    const { status, stderr, report } = await json([dirName]);
    expect(status).toBe(2);
    expect(stderr).toContain('corpus/caf\uFFFD.txt: cannot read: its name is not valid UTF-8');
    expect(report!.documents.map((d) => d.path)).toEqual(['corpus/a.txt', 'corpus/b.txt']);
    // Named on the command line, the name reaches Node as caf\uFFFD.txt too: said so, not "no such file".
    const named = await dedupe([`${dirName}/caf\uFFFD.txt`], { cwd: dir });
    expect([named.status, named.stderr]).toEqual([2, expect.stringContaining('caf\uFFFD.txt: no file by this name: it is not valid UTF-8')]);
  });
});

describe('--max-file-size', () => {
  it('skips a larger file with a warning naming it and its size, and reads the rest', async () => {
    corpus();
    writeFileSync(path.join(dir, 'corpus/big.txt'), `${ARTICLE}`.repeat(12_000)); // about 2.3 MiB
    const { status, report, stderr } = await json(['corpus', '--max-file-size', '1M']);
    expect(status).toBe(1);
    expect(report!.documents.map((d) => d.path)).toEqual(['corpus/a.txt', 'corpus/b.txt']);
    expect(report!.summary.skipped).toBe(1);
    expect(report!.warnings).toEqual([{ path: 'corpus/big.txt', message: expect.stringMatching(/^skipped: 2\.\d MiB \(\d+ bytes\) is over --max-file-size 1 MiB$/) }]);
    expect(stderr).toMatch(/warning: corpus\/big\.txt: skipped: 2\.\d MiB/);
    // The default (256 MiB) reads it.
    expect((await json(['corpus'])).report!.documents).toHaveLength(3);
  });

  it('takes bytes or K/M/G, on the command line or in the config file; anything else is exit 2', async () => {
    corpus();
    writeFileSync(path.join(dir, 'corpus/c.txt'), 'word '.repeat(1000)); // 5,000 bytes
    expect((await json(['corpus', '--max-file-size', '4000'])).report!.summary.skipped).toBe(1);
    expect((await json(['corpus', '--max-file-size', '8K'])).report!.summary.skipped).toBe(0);
    writeFileSync(path.join(dir, 'small.json'), JSON.stringify({ 'max-file-size': '2K' }));
    writeFileSync(path.join(dir, 'bytes.json'), JSON.stringify({ 'max-file-size': 2048 }));
    expect((await json(['corpus', '--config', 'small.json'])).report!.summary.skipped).toBe(1);
    expect((await json(['corpus', '--config', 'bytes.json'])).report!.summary.skipped).toBe(1);
    for (const bad of ['12Q', '-1', '0', 'big']) {
      const { status, stderr } = await json(['corpus', '--max-file-size', bad]);
      expect(status).toBe(2);
      expect(stderr).toMatch(/--max-file-size takes a size/);
    }
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ 'max-file-size': 'lots' }));
    const bad = await json(['corpus', '--config', 'bad.json']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/"max-file-size" must be a size/);
  });
});

describe('encodings', () => {
  it('decodes UTF-16 LE and BE with a byte-order mark: the same text as the UTF-8 copy, no warning', async () => {
    mkdirSync(path.join(dir, 'enc'));
    writeFileSync(path.join(dir, 'enc/utf8.txt'), ARTICLE);
    writeFileSync(path.join(dir, 'enc/utf16le.txt'), Buffer.from(`\uFEFF${ARTICLE}`, 'utf16le'));
    writeFileSync(path.join(dir, 'enc/utf16be.txt'), Buffer.from(`\uFEFF${ARTICLE}`, 'utf16le').swap16());
    const { status, report, stderr } = await json(['enc']);
    expect(stderr).toBe('');
    expect(report!.summary).toMatchObject({ documents: 3, skipped: 0, clusters: 1, duplicates: 2 });
    expect(report!.pairs.every((p) => p.similarity === 1)).toBe(true);
    expect(status).toBe(1);
    expect((await dedupe(['body', 'enc/utf16be.txt'], { cwd: dir })).stdout).toContain('Le café était fermé');
  });

  it('reads Windows-1252 punctuation (curly quotes, dashes, the euro sign) as those characters', async () => {
    const text = 'Le “menu” du jour coûte 12 € — pain compris, c’est ça.\n';
    writeFileSync(path.join(dir, 'cp1252.txt'), decodeToWindows1252(text));
    const { status, stdout, stderr } = await dedupe(['body', 'cp1252.txt'], { cwd: dir });
    expect(status).toBe(0);
    expect(stdout).toBe(text);
    expect(stderr).toMatch(/cp1252\.txt: not valid UTF-8: decoded as Windows-1252 \(Latin-1\)/);
  });

  it('decodeFile: BOMs, binary, legacy bytes and damaged UTF-8', async () => {
    expect(decodeFile(Buffer.from('\uFEFFhé', 'utf16le'))).toEqual({ kind: 'text', text: 'hé', encoding: 'utf-16le', invalid: false });
    expect(decodeFile(Buffer.from('\uFEFFhé', 'utf16le').swap16())).toEqual({ kind: 'text', text: 'hé', encoding: 'utf-16be', invalid: false });
    expect(decodeFile(Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x41, 0, 0, 0]))).toEqual({ kind: 'binary' }); // UTF-32 LE
    expect(decodeFile(Buffer.from([0x41, 0x00, 0x42]))).toEqual({ kind: 'binary' });
    expect(decodeFile(Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0xc3, 0xa9]))).toEqual({ kind: 'text', text: 'hé', encoding: 'utf-8', invalid: false });
    expect(decodeFile(Buffer.from('caf\xe9 cr\xe8me', 'latin1'))).toMatchObject({ text: 'café crème', encoding: 'windows-1252' });
    expect(decodeFile(Buffer.from([0x68, 0xc3, 0xa9, 0xc3, 0xa9, 0xff]))).toMatchObject({ text: 'héé\uFFFD', encoding: 'utf-8', invalid: true });
    expect(decodeWindows1252(Buffer.from([0x80, 0x92, 0x93, 0x94, 0x96, 0x81, 0xe9]))).toBe('€’“”–\u0081é');
  });
});

describe('deep and looping directories', () => {
  it('walks a 300-level tree and a symlink back to an ancestor once each', async () => {
    let deep = 'deep';
    for (let i = 0; i < 300; i++) deep = path.join(deep, 'd');
    mkdirSync(path.join(dir, deep), { recursive: true });
    writeFileSync(path.join(dir, deep, 'bottom.txt'), ARTICLE);
    writeFileSync(path.join(dir, 'deep/top.txt'), ARTICLE);
    symlinkSync('..', path.join(dir, 'deep/d/d/up')); // deep/d/d/up is deep/d
    symlinkSync('.', path.join(dir, 'deep/self'));
    const { status, report } = await json(['deep']);
    expect(status).toBe(1);
    expect(report!.documents.map((d) => d.path)).toEqual([`${deep.split(path.sep).join('/')}/bottom.txt`, 'deep/top.txt']);
    expect(report!.summary.duplicates).toBe(1);
  });
});

describe('an empty input is an error', () => {
  it('an --include that matches nothing exits 2, naming the path and the glob, even with --quiet', async () => {
    corpus();
    for (const extra of [[], ['--quiet']]) {
      const { status, stdout, stderr } = await json(['corpus', '--include', '*.md', ...extra]);
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe('dedupe: error: no files to read in corpus matching --include *.md\nhint: --allow-empty makes an empty input a clean run\n');
    }
  });

  it('prints no NDJSON for an empty input, and an empty --against baseline is an error too', async () => {
    corpus();
    mkdirSync(path.join(dir, 'empty'));
    const ndjson = await dedupe(['empty', '--format', 'ndjson'], { cwd: dir });
    expect(ndjson.status).toBe(2);
    expect(ndjson.stdout).toBe('');
    const against = await dedupe(['corpus', '--against', 'empty'], { cwd: dir });
    expect(against.status).toBe(2);
    expect(against.stderr).toMatch(/no files to read in empty/);
  });

  it('with --allow-empty it is a clean run whose report carries the warning; --quiet hides only the warning', async () => {
    corpus();
    const { status, report, stderr } = await json(['corpus', '--include', '*.md', '--allow-empty']);
    expect(status).toBe(0);
    expect(report!.summary.documents).toBe(0);
    expect(report!.warnings).toEqual([{ path: 'corpus', message: 'no files to read matching --include *.md' }]);
    expect(stderr).toMatch(/warning: corpus: no files to read matching --include \*\.md/);
    expect((await json(['corpus', '--include', '*.md', '--allow-empty', '--quiet'])).stderr).toBe('');
  });

  it('files that were all skipped leave nothing to compare: exit 2 after the warnings', async () => {
    mkdirSync(path.join(dir, 'binaries'));
    writeFileSync(path.join(dir, 'binaries/a.bin'), Buffer.from([1, 0, 2]));
    writeFileSync(path.join(dir, 'binaries/b.bin'), Buffer.from([3, 0, 4]));
    const { status, stderr } = await json(['binaries']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/warning: binaries\/a\.bin: skipped: binary file/);
    expect(stderr).toMatch(/dedupe: error: nothing to compare in binaries: all 2 files were skipped/);
    expect((await json(['binaries', '--allow-empty'])).status).toBe(0);
  });

  it('dedupe body on an empty directory exits 2 too', async () => {
    mkdirSync(path.join(dir, 'empty'));
    const { status, stderr } = await dedupe(['body', 'empty'], { cwd: dir });
    expect(status).toBe(2);
    expect(stderr).toMatch(/no files to read in empty/);
    expect((await dedupe(['body', 'empty', '--allow-empty'], { cwd: dir })).status).toBe(0);
  });
});

describe('sizes', () => {
  it('parses bytes and K/M/G/T (powers of 1024) and prints them back', async () => {
    expect(['1048576', '64K', '64M', '1G', '1.5GiB', '2 mb', '3T'].map(parseSize)).toEqual([
      1048576,
      64 * 1024,
      64 * 1024 ** 2,
      1024 ** 3,
      1.5 * 1024 ** 3,
      2 * 1024 ** 2,
      3 * 1024 ** 4,
    ]);
    expect(['', 'M', '-1', '1e9', '12Q'].map(parseSize)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect([512, 65536, 8_388_608, 8_500_000, 1024 ** 3].map(formatSize)).toEqual(['512 bytes', '64 KiB', '8 MiB', '8.1 MiB', '1 GiB']);
  });
});

/** Text to Windows-1252 bytes, for the characters the test uses. */
function decodeToWindows1252(text: string): Buffer {
  const high: Record<string, number> = { '€': 0x80, '’': 0x92, '“': 0x93, '”': 0x94, '—': 0x97 };
  return Buffer.from([...text].map((c) => high[c] ?? c.charCodeAt(0)));
}
