// Hostile inputs for reading and walking (issue 9): devices, FIFOs, oversize and binary files,
// deep and looping trees, legacy encodings, empty input. Text is made-up words from a seeded
// generator; nothing is copied from any corpus.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../lib/corpus.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** `count` made-up words as prose lines of about 12 words. */
function prose(seed, count) {
  const random = mulberry32(seed);
  const words = [];
  for (let i = 0; i < count; i++) {
    const n = 2 + Math.floor(random() * 8);
    let w = '';
    for (let k = 0; k < n; k++) w += LETTERS[Math.floor(random() * 26)];
    words.push(w);
  }
  const lines = [];
  for (let i = 0; i < words.length; i += 12) lines.push(`${words.slice(i, i + 12).join(' ')}.`);
  return `${lines.join('\n')}\n`;
}

/** The same text in French-looking words with accents, for the encoding cases. */
const ACCENTED = 'Le café était fermé ce matin, mais la boulangerie du coin avait déjà ouvert à sept heures.\n'.repeat(3) +
  'Les clients attendaient “patiemment” devant la vitrine — sans se plaindre, car le pain était chaud.\n';

/** dir/corpus with two copies of one article and one other: a run that finds one duplicate. */
function corpus(dir) {
  mkdirSync(path.join(dir, 'corpus'));
  const article = prose(1, 200);
  writeFileSync(path.join(dir, 'corpus/a.txt'), article);
  writeFileSync(path.join(dir, 'corpus/b.txt'), article);
  writeFileSync(path.join(dir, 'corpus/c.txt'), prose(2, 200));
}

const mkfifo = (file) => execFileSync('mkfifo', [file]);

/** Problems with the documents read, as one message, or undefined. */
function expectDocuments(report, paths) {
  const got = report.documents.map((d) => d.path);
  return JSON.stringify(got) === JSON.stringify(paths) ? undefined : `documents ${JSON.stringify(got)}, expected ${JSON.stringify(paths)}`;
}

function expectWarning(report, pattern) {
  return report.warnings.some((w) => pattern.test(`${w.path}: ${w.message}`)) ? undefined : `no warning matching ${pattern}: ${JSON.stringify(report.warnings)}`;
}

const all = (...problems) => problems.filter(Boolean).join('; ') || undefined;

/** Ceilings for a small run: start-up and a handful of files. */
const SMALL = { maxSeconds: 5, maxRssMB: 200 };

/** A check that the corpus's three files were read and every pattern matches some warning. */
const corpusReadAndWarns =
  (...patterns) =>
  ({ report }) =>
    all(expectDocuments(report, ['corpus/a.txt', 'corpus/b.txt', 'corpus/c.txt']), ...patterns.map((p) => expectWarning(report, p)));

export const cases = [
  {
    name: 'dev-zero-urandom',
    about: '/dev/zero and /dev/urandom named as inputs: skipped as devices, never read (memory grew without limit)',
    setup: (dir) => {
      corpus(dir);
      if (!existsSync('/dev/zero')) throw new Error('no /dev/zero here');
    },
    args: ['corpus', '/dev/zero', '/dev/urandom'],
    expectExit: 1,
    ...SMALL,
    check: corpusReadAndWarns(/dev\/zero: skipped: a character device/, /dev\/urandom: skipped: a character device/),
  },
  {
    name: 'fifo',
    about: 'a FIFO named explicitly, and one in the corpus: skipped with a warning, never opened (blocked forever)',
    setup: (dir) => {
      corpus(dir);
      mkfifo(path.join(dir, 'corpus/pipe.txt'));
      mkfifo(path.join(dir, 'named.fifo'));
    },
    args: ['corpus', 'named.fifo'],
    expectExit: 1,
    ...SMALL,
    check: corpusReadAndWarns(/^named\.fifo: skipped: a FIFO/, /^corpus\/pipe\.txt: skipped: a FIFO/),
  },
  {
    name: 'oversize-8MB',
    about: 'an 8 MB text file over --max-file-size 1M: skipped with a warning naming it and its size',
    setup: (dir) => {
      corpus(dir);
      writeFileSync(path.join(dir, 'corpus/big.txt'), prose(3, 1_400_000)); // about 8 MB
    },
    args: ['corpus', '--max-file-size', '1M'],
    expectExit: 1,
    ...SMALL,
    check: corpusReadAndWarns(/^corpus\/big\.txt: skipped: [\d.]+ MiB \(\d+ bytes\) is over --max-file-size 1 MiB/),
  },
  {
    name: 'lines-150M',
    about: 'a 150 MB file of empty lines: skipped with a warning (stopped the run with "invalid array length": the engine holds at most ~134 million lines)',
    setup: (dir) => {
      corpus(dir);
      writeFileSync(path.join(dir, 'corpus/lines.txt'), '\n'.repeat(150_000_000));
    },
    args: ['corpus'],
    expectExit: 1,
    maxSeconds: 5,
    maxRssMB: 500,
    check: corpusReadAndWarns(/^corpus\/lines\.txt: skipped: more than 10,000,000 lines/),
  },
  {
    name: 'short-lines-4M',
    about: 'an 8 MB file of four million one-letter lines: read, not labelled, with a warning (labelling it took 9.5 s and 1.5 GB)',
    setup: (dir) => {
      corpus(dir);
      writeFileSync(path.join(dir, 'corpus/short.txt'), 'a\n'.repeat(4_000_000));
    },
    args: ['corpus'],
    expectExit: 1,
    maxSeconds: 5,
    maxRssMB: 500,
    check: ({ report }) =>
      all(
        expectDocuments(report, ['corpus/a.txt', 'corpus/b.txt', 'corpus/c.txt', 'corpus/short.txt']),
        expectWarning(report, /^corpus\/short\.txt: 4,000,000 lines, more than the 250,000 the labeller reads: not labelled/),
      ),
  },
  {
    name: 'cjk-run-400K',
    about: 'one line of 400,000 Han characters with no punctuation, and a copy: a pair in seconds (ICU took 211 s on the run)',
    setup: (dir) => {
      mkdirSync(path.join(dir, 'corpus'));
      const words = ['图书馆', '星期日', '开放', '市民', '宣布', '港口', '渡轮', '码头', '今天', '天气'];
      let run = '';
      for (let i = 0; run.length < 400_000; i++) run += words[(i * 7 + (i >> 3)) % words.length];
      writeFileSync(path.join(dir, 'corpus/run.txt'), `${run}\n`);
      writeFileSync(path.join(dir, 'corpus/copy.txt'), `${run}\n`);
    },
    args: ['corpus'],
    expectExit: 1,
    maxSeconds: 5,
    maxRssMB: 300,
    check: ({ report }) => all(expectDocuments(report, ['corpus/copy.txt', 'corpus/run.txt']), report.clusters.length === 1 ? undefined : `${report.clusters.length} clusters`),
  },
  {
    name: 'binary-64MB',
    about: 'a 64 MB file with a NUL near the start: only its first 8 KiB are read',
    setup: (dir) => {
      corpus(dir);
      const fd = openSync(path.join(dir, 'corpus/image.txt'), 'w');
      const block = Buffer.alloc(1024 ** 2, 0x41);
      block[100] = 0;
      for (let i = 0; i < 64; i++) writeSync(fd, block);
      closeSync(fd);
    },
    args: ['corpus'],
    expectExit: 1,
    maxSeconds: 5,
    maxRssMB: 150, // reading it whole would hold 64 MB of bytes and then some
    check: corpusReadAndWarns(/image\.txt: skipped: binary file/),
  },
  {
    name: 'deep-2000',
    about: 'directories 2,000 levels deep: walked in linear time (was 24 s at 1,000, unfinished at 2,000)',
    setup: (dir) => {
      let deep = path.join(dir, 'deep');
      for (let i = 0; i < 2000; i++) deep = path.join(deep, 'd');
      mkdirSync(deep, { recursive: true });
      const article = prose(4, 200);
      writeFileSync(path.join(deep, 'bottom.txt'), article);
      writeFileSync(path.join(dir, 'deep/top.txt'), article);
    },
    args: ['deep'],
    expectExit: 1,
    // 0.9-1.6 s on an idle CI machine, 2.2 s beside a benchmark: the bound tells linear from the
    // quadratic walk (24 s at 1,000 levels), with room for a busy machine.
    maxSeconds: 5,
    maxRssMB: 200,
    check: ({ report }) =>
      all(
        report.documents.length === 2 ? undefined : `${report.documents.length} documents, expected 2`,
        report.summary.duplicates === 1 ? undefined : `${report.summary.duplicates} duplicates, expected 1`,
      ),
  },
  {
    name: 'symlink-loops',
    about: 'directory symlinks back to an ancestor, to itself, and two directories linking to each other: each directory walked once',
    setup: (dir) => {
      const root = path.join(dir, 'tree');
      mkdirSync(path.join(root, 'a/b/c'), { recursive: true });
      mkdirSync(path.join(root, 'x'));
      mkdirSync(path.join(root, 'z'));
      const article = prose(5, 200);
      writeFileSync(path.join(root, 'a/b/c/one.txt'), article);
      writeFileSync(path.join(root, 'x/two.txt'), article);
      writeFileSync(path.join(root, 'z/three.txt'), prose(6, 200));
      symlinkSync('../..', path.join(root, 'a/b/c/up')); // → a
      symlinkSync('.', path.join(root, 'a/self'));
      symlinkSync('../z', path.join(root, 'x/to-z'));
      symlinkSync('../x', path.join(root, 'z/to-x'));
      symlinkSync('loop2', path.join(root, 'loop1')); // a link loop: unreadable, reported
      symlinkSync('loop1', path.join(root, 'loop2'));
    },
    args: ['tree'],
    expectExit: 2, // the two-link loop is an unreadable input
    ...SMALL,
    check: ({ report }) =>
      all(
        expectDocuments(report, ['tree/a/b/c/one.txt', 'tree/x/to-z/three.txt', 'tree/x/two.txt']),
        expectWarning(report, /^tree\/loop1: cannot read: too many levels of symbolic links/),
      ),
  },
  {
    name: 'utf16-le-be',
    about: 'UTF-16 LE and BE files with a BOM: decoded, the same text as the UTF-8 copy (were skipped as binary)',
    setup: (dir) => {
      mkdirSync(path.join(dir, 'enc'));
      writeFileSync(path.join(dir, 'enc/utf8.txt'), ACCENTED);
      writeFileSync(path.join(dir, 'enc/utf16le.txt'), Buffer.from(`\uFEFF${ACCENTED}`, 'utf16le'));
      writeFileSync(path.join(dir, 'enc/utf16be.txt'), Buffer.from(`\uFEFF${ACCENTED}`, 'utf16le').swap16());
    },
    args: ['enc', '--compare', 'full'],
    expectExit: 1,
    ...SMALL,
    check: ({ report }) =>
      all(
        report.summary.duplicates === 2 && report.summary.skipped === 0 ? undefined : `summary ${JSON.stringify(report.summary)}`,
        report.pairs.every((p) => p.similarity === 1) ? undefined : 'a pair below similarity 1',
        report.warnings.length === 0 ? undefined : `warnings ${JSON.stringify(report.warnings)}`,
      ),
  },
  {
    name: 'latin1',
    about: 'a Latin-1 / Windows-1252 copy of a UTF-8 file: decoded as Windows-1252 with a warning, similarity 1 (was 0.67)',
    setup: (dir) => {
      mkdirSync(path.join(dir, 'enc'));
      writeFileSync(path.join(dir, 'enc/utf8.txt'), ACCENTED);
      const cp1252 = { '“': 0x93, '”': 0x94, '—': 0x97 };
      writeFileSync(path.join(dir, 'enc/latin1.txt'), Buffer.from([...ACCENTED].map((c) => cp1252[c] ?? c.charCodeAt(0))));
    },
    args: ['enc', '--compare', 'full', '--output', 'report.json'],
    reportFile: 'report.json',
    changes: ['report.json'],
    expectExit: 1,
    ...SMALL,
    check: ({ report }) =>
      all(
        report.pairs.length === 1 && report.pairs[0].similarity === 1 ? undefined : `pairs ${JSON.stringify(report.pairs)}`,
        expectWarning(report, /^enc\/latin1\.txt: not valid UTF-8: decoded as Windows-1252/),
      ),
  },
  {
    name: 'empty-dir',
    about: 'an empty directory: exit 2 with a message naming it (was exit 0)',
    setup: (dir) => mkdirSync(path.join(dir, 'empty')),
    args: ['empty'],
    format: false,
    expectExit: 2,
    ...SMALL,
    check: ({ stdout, stderr }) =>
      all(stdout === '' ? undefined : 'something on stdout', /^dedupe: error: no files to read in empty\nhint: --allow-empty/m.test(stderr) ? undefined : `stderr: ${stderr}`),
  },
  {
    name: 'include-nothing',
    about: 'an --include that matches nothing: exit 2 naming the glob, even with --quiet',
    setup: corpus,
    args: ['corpus', '--include', '*.md', '--quiet'],
    format: false,
    expectExit: 2,
    ...SMALL,
    check: ({ stderr }) => (/no files to read in corpus matching --include \*\.md/.test(stderr) ? undefined : `stderr: ${stderr}`),
  },
  {
    name: 'allow-empty',
    about: '--allow-empty: an empty input is a clean run, the warning in the report',
    setup: (dir) => mkdirSync(path.join(dir, 'empty')),
    args: ['empty', '--allow-empty'],
    expectExit: 0,
    ...SMALL,
    check: ({ report }) => expectWarning(report, /^empty: no files to read/),
  },
];
