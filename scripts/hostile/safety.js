// Hostile cases of issue 9's "data loss" section, run end to end: links that must never lead the
// `paths` list to the real file, and --output targets that must never be replaced or overwritten.
// (Signals during the write are covered by tests/safety.test.ts, which can pause the process.)
import { execFileSync } from 'node:child_process';
import { linkSync, lstatSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SMALL = { maxSeconds: 5, maxRssMB: 200 };
const ARTICLE = 'The library will open on Sundays from next month, the first change to its hours in a decade, after a survey of its members.\n';

/** dir/corpus: orig.txt, a symlink and a hard link to it, and a real copy. */
function linked(dir) {
  mkdirSync(path.join(dir, 'corpus'));
  writeFileSync(path.join(dir, 'corpus/orig.txt'), ARTICLE);
  symlinkSync('orig.txt', path.join(dir, 'corpus/a-sym.txt'));
  linkSync(path.join(dir, 'corpus/orig.txt'), path.join(dir, 'corpus/b-hard.txt'));
  writeFileSync(path.join(dir, 'corpus/z-copy.txt'), ARTICLE);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export const cases = [
  {
    name: 'links-paths',
    about: 'a symlink and a hard link to one file are one document: `paths` lists only the real extra copy',
    setup: linked,
    args: ['corpus', '--format', 'paths'],
    format: false,
    expectExit: 1,
    ...SMALL,
    check: ({ stdout }) => {
      const listed = stdout.split('\n').filter(Boolean).sort();
      // Deleting what is listed must leave orig.txt (and its names) alone: only the real copy goes.
      return JSON.stringify(listed) === JSON.stringify(['corpus/z-copy.txt']) ? undefined : `paths listed ${JSON.stringify(listed)}`;
    },
  },
  {
    name: 'output-is-input',
    about: '--output naming one of the inputs: exit 2 before anything is read, the input unchanged',
    setup: linked,
    args: ['corpus', '--output', 'corpus/b-hard.txt'],
    format: false,
    expectExit: 2,
    ...SMALL,
    check: ({ stderr }) => (/b-hard\.txt/.test(stderr) ? undefined : `stderr does not name the file: ${stderr}`),
  },
  {
    name: 'output-device',
    about: '--output to a character device (a copy of /dev/null, as root in CI containers) stays a device',
    setup: (dir) => {
      linked(dir);
      if (isRoot) execFileSync('mknod', [path.join(dir, 'null-copy'), 'c', '1', '3']);
      else writeFileSync(path.join(dir, 'null-copy'), '');
    },
    args: ['corpus', '--output', 'null-copy'],
    format: false,
    expectExit: 1,
    ...SMALL,
    changes: isRoot ? [] : ['null-copy'],
    check: ({ dir }) => (!isRoot || lstatSync(path.join(dir, 'null-copy')).isCharacterDevice() ? undefined : 'the device node was replaced'),
  },
];
