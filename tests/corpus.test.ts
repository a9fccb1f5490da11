// Issue 10: one reader. loadCorpus (src/input/corpus.ts) is what both the library's analyseFiles
// and the CLI read through: discovery, the --against merge and the empty-input rule, with hooks
// for what only the CLI adds.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus, NoInputError } from '../src/input/corpus.js';
import { displayPath, displayPathsIn, planReads, readDocuments, readInBatches } from '../src/input/read.js';
import { DedupeError } from '../src/types/errors.js';
import { dedupe, tempDir } from './helpers/cli.js';

/** A directory with `incoming/a.txt`, `corpus/b.txt` (the same text) and an empty `empty/`. */
function sides() {
  const { dir, cleanup } = tempDir();
  mkdirSync(path.join(dir, 'incoming'));
  mkdirSync(path.join(dir, 'corpus'));
  mkdirSync(path.join(dir, 'empty'));
  writeFileSync(path.join(dir, 'incoming', 'a.txt'), 'the same words on both sides of the run\n');
  writeFileSync(path.join(dir, 'corpus', 'b.txt'), 'the same words on both sides of the run\n');
  return { dir, cleanup };
}

describe('loadCorpus', () => {
  it('calls onDiscovered with every side before checking or reading, and beforeRead before the first read', async () => {
    const { dir, cleanup } = sides();
    try {
      const events: string[] = [];
      const corpus = await loadCorpus(
        ['incoming', 'corpus/b.txt'],
        { cwd: dir, against: ['corpus'], onProgress: (done, total) => events.push(`read ${done}/${total}`) },
        {
          onDiscovered: ({ incoming, baseline }) => {
            events.push(`discovered ${incoming.files.join(' ')} | ${baseline?.files.join(' ')}`);
          },
          beforeRead: () => events.push('before read'),
        },
      );
      // The hook sees the sides as named; the file on both is then the baseline's only.
      expect(events).toEqual(['discovered incoming/a.txt corpus/b.txt | corpus/b.txt', 'before read', 'read 1/1', 'read 1/1']);
      expect(corpus.documents.map((d) => [d.path, d.side])).toEqual([
        ['incoming/a.txt', 'incoming'],
        ['corpus/b.txt', 'baseline'],
      ]);
    } finally {
      cleanup();
    }
  });

  it('stops at a throwing onDiscovered, before the empty-input check and before reading', async () => {
    const { dir, cleanup } = sides();
    try {
      let read = 0;
      const refusal = new Error('refused');
      const load = loadCorpus(['empty'], { cwd: dir, against: ['corpus'], onProgress: () => read++ }, {
        onDiscovered: () => {
          throw refusal;
        },
      });
      await expect(load).rejects.toBe(refusal);
      expect(read).toBe(0);
    } finally {
      cleanup();
    }
  });

  it('throws NO_INPUT as a NoInputError naming the include option as the caller calls it', async () => {
    const { dir, cleanup } = sides();
    try {
      const error = await loadCorpus(['incoming'], { cwd: dir, include: ['*.md'] }, { includeName: '--include' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NoInputError);
      expect(error).toBeInstanceOf(DedupeError);
      expect([(error as DedupeError).code, (error as DedupeError).message]).toEqual(['NO_INPUT', 'no files to read in incoming matching --include *.md']);
      const missing = await loadCorpus(['nowhere'], { cwd: dir }).catch((e: unknown) => e);
      expect([(missing as DedupeError).code, (missing as DedupeError).message]).toEqual(['PATH_NOT_FOUND', 'nowhere: no such file or directory']);
    } finally {
      cleanup();
    }
  });
});

describe('readInBatches', () => {
  it('hands over the documents in order, a batch at a time and a record file whole, as readDocuments reads them', async () => {
    const { dir, cleanup } = tempDir();
    try {
      for (let i = 0; i < 7; i++) writeFileSync(path.join(dir, `a${i}.txt`), `text number ${i}\n`);
      writeFileSync(path.join(dir, 'b.jsonl'), Array.from({ length: 5 }, (_, r) => JSON.stringify({ text: `record ${r}` })).join('\n'));
      for (let i = 0; i < 4; i++) writeFileSync(path.join(dir, `c${i}.txt`), `more text ${i}\n`);
      const files = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((n) => `${n}.txt`).concat('b.jsonl', 'c0.txt', 'c1.txt', 'c2.txt', 'c3.txt');
      const whole = await readDocuments(files, dir);
      const batches: string[][] = [];
      const result = await readInBatches(planReads(files, dir), { maxFileSize: 1 << 20 }, {
        size: 3,
        onBatch: async (batch) => {
          batches.push(batch.map((d) => d.path));
          for (const d of batch) d.text = ''; // what a caller that is done with them does
        },
      });
      expect(batches.flat()).toEqual(whole.documents.map((d) => d.path));
      expect(batches.map((b) => b.length)).toEqual([3, 3, 6, 3, 1]);
      expect(result.documents.every((d) => d.text === '')).toBe(true);
    } finally {
      cleanup();
    }
  });
});

describe('the CLI reads through loadCorpus', () => {
  it('refuses an --output that is an input before saying the other side is empty', async () => {
    const { dir, cleanup } = sides();
    try {
      const { status, stdout, stderr } = await dedupe(['empty', '--against', 'corpus', '--output', 'corpus/b.txt'], { cwd: dir });
      expect([status, stdout, stderr]).toEqual([2, '', 'dedupe: error: --output corpus/b.txt is the input corpus/b.txt: refusing to write the report over it\nhint: write the report outside the folders being read\n']);
    } finally {
      cleanup();
    }
  });

  it('an incoming side whose files are all in the baseline is nothing to check: exit 2, or a warning with --allow-empty', async () => {
    const { dir, cleanup } = sides();
    try {
      const inside = await dedupe(['corpus', '--against', '.'], { cwd: dir });
      expect([inside.status, inside.stdout, inside.stderr]).toEqual([
        2,
        '',
        'dedupe: error: nothing to check in corpus: the only file is also in the baseline (--against .)\nhint: --allow-empty makes an empty input a clean run\n',
      ]);
      const allowed = await dedupe(['corpus', '--against', '.', '--allow-empty', '--format', 'json'], { cwd: dir });
      expect(allowed.status).toBe(0);
      expect(JSON.parse(allowed.stdout).warnings).toContainEqual({ path: 'corpus', message: 'nothing to check: the only file is also in the baseline (--against .)' });
      // One incoming file outside the baseline is a check.
      expect((await dedupe(['incoming', 'corpus', '--against', 'corpus'], { cwd: dir })).status).toBe(1);
    } finally {
      cleanup();
    }
  });

  it('refuses an --output that is the config file or the --files-from list, by any name, before reading', async () => {
    const { dir, cleanup } = sides();
    try {
      writeFileSync(path.join(dir, 'cfg.json'), '{"threshold": 0.9}\n');
      writeFileSync(path.join(dir, 'list.txt'), 'incoming/a.txt\ncorpus/b.txt\n');
      symlinkSync('list.txt', path.join(dir, 'list-link.txt'));
      const cases = [
        [['incoming', '--config', 'cfg.json', '-o', 'cfg.json'], 'cfg.json (the config file)'],
        [['--files-from', 'list.txt', '-o', 'list-link.txt'], 'list.txt (the --files-from list)'],
      ] as const;
      for (const [args, what] of cases) {
        const { status, stdout, stderr } = await dedupe(args, { cwd: dir });
        expect([status, stdout, stderr]).toEqual([2, '', `dedupe: error: --output ${args.at(-1)} is ${what}, which this run reads: refusing to write over it\nhint: write it somewhere else\n`]);
      }
      expect(readFileSync(path.join(dir, 'cfg.json'), 'utf8')).toBe('{"threshold": 0.9}\n');
      expect(readFileSync(path.join(dir, 'list.txt'), 'utf8')).toBe('incoming/a.txt\ncorpus/b.txt\n');
    } finally {
      cleanup();
    }
  });

  it('begins no NDJSON for an input with no files, and shows the empty side’s warnings with --allow-empty off', async () => {
    const { dir, cleanup } = sides();
    try {
      const empty = await dedupe(['empty', '--format', 'ndjson'], { cwd: dir });
      expect([empty.status, empty.stdout, empty.stderr]).toEqual([2, '', 'dedupe: error: no files to read in empty\nhint: --allow-empty makes an empty input a clean run\n']);
      writeFileSync(path.join(dir, 'empty', 'bin.dat'), 'a\0b');
      const skipped = await dedupe(['corpus', '--against', 'empty'], { cwd: dir });
      expect([skipped.status, skipped.stderr]).toEqual([
        2,
        'dedupe: warning: empty/bin.dat: skipped: binary file (NUL byte in the first 8 KiB)\n' +
          'dedupe: error: nothing to compare in empty: the only file was skipped\nhint: --allow-empty makes an empty input a clean run\n',
      ]);
    } finally {
      cleanup();
    }
  });
});

describe('document paths as the report shows them', () => {
  it('names every file as displayPath does, however the path is spelled, inside and outside the root', () => {
    const files = ['a.txt', 'corpus/a.txt', 'corpus//b.txt', './corpus/c.txt', 'corpus/./d.txt', 'corpus/sub/../e.txt', '../up/f.txt', '/abs/g.txt', '/h.txt', 'corpus/', 'corpus/.', 'corpus/..', '.', 'x/y/z/deep.txt'];
    for (const root of [undefined, 'corpus', '/abs', '/']) {
      const show = displayPathsIn('/work/project', root);
      // Twice: the second time from the directories already shown.
      for (let round = 0; round < 2; round++) for (const file of files) expect([file, show(file)]).toEqual([file, displayPath(file, '/work/project', root)]);
    }
  });
});
