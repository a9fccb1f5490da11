// Issue 9, "Data loss": inputs are never lost through `paths`, and `--output` never replaces what
// it should write into, never writes over an input and never leaves a temporary file behind.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inputAt } from '../src/cli/output.js';
import type { Report } from '../src/report/types.js';
import { BIN, dedupe, SEEDS, tempDir } from './helpers/cli.js';
import { seededRandom } from './helpers/random.js';
import { reportSchemaErrors } from './helpers/schema.js';

const ARTICLE =
  'The harbour council met on Tuesday to discuss the new ferry timetable for the winter months.\n' +
  'Residents asked for an earlier crossing on weekdays so that children reach school on time.\n' +
  'The council agreed to publish a revised schedule after talking with the ferry operator.\n';

const isRoot = process.getuid?.() === 0;
const hiddenTemps = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('dedupe-safety-')));
afterEach(() => cleanup());

/** Run the README's deletion recipe in `cwd`: dedupe … --format paths -0 | xargs -0 -r rm --. */
async function deleteDuplicates(target: string, cwd: string): Promise<{ dropped: string[]; status: number | null }> {
  const listed = await dedupe([target, '--format', 'paths', '-0'], { cwd });
  const dropped = listed.stdout.split('\0').filter(Boolean);
  const rm = spawnSync('xargs', ['-0', '-r', 'rm', '--'], { cwd, input: listed.stdout, encoding: 'utf8' });
  expect(rm.stderr).toBe('');
  return { dropped, status: listed.status };
}

describe('a symlink and its target, or two hard links, are one document', () => {
  /** corpus/orig.txt with a symlink and a hard link to it, named to sort first: ties go to the first path. */
  const linkedCorpus = () => {
    const corpus = path.join(dir, 'corpus');
    mkdirSync(corpus);
    writeFileSync(path.join(corpus, 'orig.txt'), ARTICLE);
    symlinkSync('orig.txt', path.join(corpus, 'a-sym.txt'));
    linkSync(path.join(corpus, 'orig.txt'), path.join(corpus, 'a-hard.txt'));
    return corpus;
  };

  it('never lists for deletion a file whose kept copy is the same file', async () => {
    const corpus = linkedCorpus();
    const { dropped, status } = await deleteDuplicates('corpus', dir);
    expect(dropped).toEqual([]);
    expect(status).toBe(0); // one file is no duplicate of itself
    // Every name still reads the article: nothing deleted, no dangling link.
    for (const name of ['orig.txt', 'a-sym.txt', 'a-hard.txt']) expect(readFileSync(path.join(corpus, name), 'utf8')).toBe(ARTICLE);
  });

  it('reports the file once with its other names, and deleting the listed paths keeps one copy', async () => {
    const corpus = linkedCorpus();
    writeFileSync(path.join(corpus, 'copy.txt'), ARTICLE); // a real second copy
    symlinkSync('copy.txt', path.join(corpus, 'b-sym.txt'));

    const json = await dedupe(['corpus', '--format', 'json'], { cwd: dir });
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    // A real name is the document's path (of a-hard.txt and orig.txt, the first), the rest are aliases.
    expect(report.documents.map((d) => [d.path, d.aliases])).toEqual([
      ['corpus/a-hard.txt', ['corpus/a-sym.txt', 'corpus/orig.txt']],
      ['corpus/copy.txt', ['corpus/b-sym.txt']],
    ]);
    expect(report.summary).toMatchObject({ documents: 2, duplicates: 1 });
    expect((await dedupe(['corpus'], { cwd: dir })).stdout).toMatch(/corpus\/a-hard\.txt\s+also corpus\/a-sym\.txt\s+corpus\/orig\.txt/);

    const kept = (await dedupe(['corpus', '--format', 'paths', '--list-kept'], { cwd: dir })).stdout.split('\n').filter(Boolean);
    await deleteDuplicates('corpus', dir);
    // Exactly one copy of the article is left, under every name --keep listed, and no link dangles.
    const left = readdirSync(corpus).sort();
    expect(left).toEqual(kept.map((p) => path.basename(p)).sort());
    const inodes = new Set(left.map((name) => statSync(path.join(corpus, name)).ino));
    expect(inodes.size).toBe(1);
    for (const name of left) expect(readFileSync(path.join(corpus, name), 'utf8')).toBe(ARTICLE);
  });

  it('with --against, an incoming name of a baseline file is that baseline document', async () => {
    mkdirSync(path.join(dir, 'baseline'));
    mkdirSync(path.join(dir, 'incoming'));
    writeFileSync(path.join(dir, 'baseline/orig.txt'), ARTICLE);
    symlinkSync('../baseline/orig.txt', path.join(dir, 'incoming/link.txt'));
    // Its only file being a baseline file, the incoming side holds nothing to check: exit 2, unless --allow-empty.
    expect((await dedupe(['incoming', '--against', 'baseline'], { cwd: dir })).status).toBe(2);
    const { status, stdout } = await dedupe(['incoming', '--against', 'baseline', '--format', 'json', '--allow-empty'], { cwd: dir });
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report.documents.map((d) => [d.path, d.side, d.aliases])).toEqual([['baseline/orig.txt', 'baseline', ['incoming/link.txt']]]);
  });
});

describe('--output writes into what it names, never replaces it', () => {
  const args = ['--format', 'json'];
  const seeds = SEEDS;

  it('writes through a FIFO and leaves it a FIFO', async () => {
    const fifo = path.join(dir, 'report.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const got = path.join(dir, 'got.json');
    const r = spawnSync('bash', ['-c', 'timeout 10 cat "$1" > "$2" & node "$3" "$4" --format json --output "$1"; rc=$?; wait; exit $rc', '_', fifo, got, BIN, seeds], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect((JSON.parse(readFileSync(got, 'utf8')) as Report).clusters).toHaveLength(1);
    expect(hiddenTemps(dir)).toEqual([]);
  });

  it('writes into character devices and leaves them devices', async (ctx) => {
    // A private copy of /dev/null and /dev/full (needs root and CAP_MKNOD, as in CI containers).
    const devNull = path.join(dir, 'null');
    const devFull = path.join(dir, 'full');
    if (!isRoot || spawnSync('mknod', [devNull, 'c', '1', '3']).status !== 0 || spawnSync('mknod', [devFull, 'c', '1', '7']).status !== 0) {
      ctx.skip();
    }
    const toNull = await dedupe([seeds, ...args, '--output', devNull]);
    expect(toNull.status).toBe(1);
    expect(toNull.stdout).toBe('');
    expect(lstatSync(devNull).isCharacterDevice()).toBe(true);
    const toFull = await dedupe([seeds, ...args, '--output', devFull]);
    expect(toFull.status).toBe(2); // ENOSPC: an output that cannot be written
    expect(toFull.stderr).toMatch(/full: cannot write the report/);
    expect(lstatSync(devFull).isCharacterDevice()).toBe(true);
    expect(hiddenTemps(dir)).toEqual([]);
  });

  it('writes through a symlink to the standard output', async () => {
    const link = path.join(dir, 'out');
    symlinkSync('/proc/self/fd/1', link);
    const { status, stdout } = await dedupe([seeds, ...args, '--output', link]);
    expect(status).toBe(1);
    expect((JSON.parse(stdout) as Report).clusters).toHaveLength(1);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(hiddenTemps(dir)).toEqual([]);
  });

  it('follows a symlink to its target, keeps the link, and keeps the file mode', async () => {
    mkdirSync(path.join(dir, 'reports'));
    const target = path.join(dir, 'reports/report.json');
    writeFileSync(target, 'old report');
    chmodSync(target, 0o640);
    const link = path.join(dir, 'latest.json');
    symlinkSync('reports/report.json', link);
    expect((await dedupe([seeds, ...args, '--output', link])).status).toBe(1);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect((JSON.parse(readFileSync(target, 'utf8')) as Report).clusters).toHaveLength(1);
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect([...hiddenTemps(dir), ...hiddenTemps(path.join(dir, 'reports'))]).toEqual([]);
  });

  it('keeps the mode of a regular file it rewrites', async () => {
    const file = path.join(dir, 'report.json');
    writeFileSync(file, 'old report');
    chmodSync(file, 0o600);
    expect((await dedupe([seeds, ...args, '--output', file])).status).toBe(1);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).schemaVersion).toBe(1);
  });
});

describe('--output that is one of the inputs', () => {
  beforeEach(() => {
    mkdirSync(path.join(dir, 'corpus'));
    writeFileSync(path.join(dir, 'corpus/a.txt'), ARTICLE);
    writeFileSync(path.join(dir, 'corpus/b.txt'), ARTICLE);
    // Reading this would print a warning: the refusal must come before any file is read.
    writeFileSync(path.join(dir, 'corpus/image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  });

  const refuses = async (output: string, named: RegExp, extra: string[] = []) => {
    const before = readFileSync(path.join(dir, 'corpus/a.txt'));
    const { status, stdout, stderr } = await dedupe(['corpus', '--format', 'json', '--output', output, ...extra], { cwd: dir });
    expect(status).toBe(2);
    expect(stdout).toBe('');
    // One error and its hint, in the CLI's one style.
    expect(stderr).toMatch(/^dedupe: error: [^\n]*\nhint: [^\n]*\n$/);
    expect(stderr).toMatch(named);
    expect(readFileSync(path.join(dir, 'corpus/a.txt')).equals(before)).toBe(true);
    expect(readdirSync(path.join(dir, 'corpus')).sort()).toEqual(['a.txt', 'b.txt', 'image.png']);
  };

  it('exits 2 naming the file and leaves the input byte-identical', () => refuses('corpus/a.txt', /corpus\/a\.txt/));

  it('sees the input behind another path: absolute, a symlink, a hard link', async () => {
    await refuses(path.join(dir, 'corpus/a.txt'), /corpus\/a\.txt/);
    symlinkSync('corpus/a.txt', path.join(dir, 'link.json'));
    await refuses('link.json', /corpus\/a\.txt/);
    linkSync(path.join(dir, 'corpus/a.txt'), path.join(dir, 'hard.json'));
    await refuses('hard.json', /corpus\/a\.txt/);
  });

  it('knows an input by its path alone, however spelled, when there is no file to stat', async () => {
    // A dangling symlink among the inputs has no device and inode: only its name says it is one.
    const inputs = [{ files: ['corpus/a.txt', 'other/.'], aliases: new Map([['corpus/a.txt', ['links/dangling.txt']]]), identity: new Map<string, string>() }];
    expect(await inputAt('corpus/./a.txt', inputs, dir)).toBe('corpus/a.txt');
    expect(await inputAt('corpus/sub/../a.txt', inputs, dir)).toBe('corpus/a.txt');
    expect(await inputAt(path.join(dir, 'links/dangling.txt'), inputs, dir)).toBe('links/dangling.txt');
    expect(await inputAt('other', inputs, dir)).toBe('other/.');
    expect(await inputAt('corpus/b.txt', inputs, dir)).toBeUndefined();
    expect(await inputAt('a.txt', inputs, dir)).toBeUndefined();
  });

  it('counts the --against baseline as input too', async () => {
    mkdirSync(path.join(dir, 'incoming'));
    writeFileSync(path.join(dir, 'incoming/new.txt'), ARTICLE);
    const before = readFileSync(path.join(dir, 'corpus/b.txt'));
    const { status, stderr } = await dedupe(['incoming', '--against', 'corpus', '--output', 'corpus/b.txt'], { cwd: dir });
    expect(status).toBe(2);
    expect(stderr).toMatch(/corpus\/b\.txt/);
    expect(readFileSync(path.join(dir, 'corpus/b.txt')).equals(before)).toBe(true);
  });
});

describe('interrupted while writing the report', () => {
  // Documents whose full text goes into the JSON (--show-boilerplate), so the report is large.
  const writeCorpus = (corpus: string) => {
    const random = seededRandom(9);
    const words = Array.from({ length: 2000 }, (_, i) => `word${i.toString(36)}`);
    mkdirSync(corpus);
    for (let f = 0; f < 24; f++) {
      const lines = Array.from({ length: 4000 }, () => Array.from({ length: 12 }, () => words[Math.floor(random() * words.length)]).join(' '));
      writeFileSync(path.join(corpus, `doc${f}.txt`), `${lines.join('\n')}\n`);
    }
  };

  /** Run with --output, freezing the run the moment its temporary file appears to send `signal`. */
  async function interrupt(corpus: string, report: string, signal: NodeJS.Signals) {
    const child = spawn(process.execPath, [BIN, corpus, '--format', 'json', '--show-boilerplate', '-q', '--output', report], { stdio: 'ignore' });
    // Stopped, the run cannot finish before the signal is pending, however fast the disk is.
    let signalled = false;
    const watcher = watch(path.dirname(report), (_event, name) => {
      if (signalled || !name?.endsWith('.tmp')) return;
      signalled = true;
      child.kill('SIGSTOP');
      child.kill(signal);
      child.kill('SIGCONT');
    });
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (c, s) => resolve({ code: c, signal: s })),
    );
    watcher.close();
    return { signalled, exit };
  }

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`on ${signal} removes the temporary file, keeps the old report whole, and exits ${code}`, async () => {
      writeCorpus(path.join(dir, 'corpus'));
      const out = path.join(dir, 'out');
      mkdirSync(out);
      const report = path.join(out, 'report.json');
      writeFileSync(report, 'old report');
      // On a loaded machine the run may finish writing before the signal reaches it (exit 0):
      // try again, but a run killed outright or leaving its temp file fails at once.
      let exit;
      for (let attempt = 0; attempt < 3; attempt++) {
        const run = await interrupt(path.join(dir, 'corpus'), report, signal);
        expect(run.signalled).toBe(true);
        expect(hiddenTemps(out)).toEqual([]);
        // The report is the old one or a complete new one, never a piece.
        const text = readFileSync(report, 'utf8');
        if (text !== 'old report') expect(JSON.parse(text).schemaVersion).toBe(1);
        exit = run.exit;
        if (exit.code !== 0) break;
      }
      expect(exit).toEqual({ code, signal: null });
    });
  }
});

describe('--format paths never lists a file whose text no kept file holds', () => {
  // Blocks of made-up words, so that which file holds which text is known exactly.
  const random = seededRandom(7);
  const syllables = 'bdfgklmnprstvz';
  const word = () => Array.from({ length: 3 }, () => syllables[Math.floor(random() * syllables.length)]! + 'aeiou'[Math.floor(random() * 5)]!).join('');
  const block = (words: number) => Array.from({ length: words }, word).join(' ') + '.\n';
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  const listed = async (args: string[], input?: string) => (await dedupe([...args, '--format', 'paths'], { cwd: dir, ...(input === undefined ? {} : { input }) })).stdout.split('\n').filter(Boolean);

  it('leaves out a member joined through a chain (below the threshold against the copy kept)', async () => {
    // d0 ~ d1 ~ … ~ d11, each sharing 12 of its 13 blocks with the next: d11 shares 1 with d0.
    const blocks = Array.from({ length: 25 }, () => block(10));
    for (let k = 0; k < 12; k++) write(`chain/d${String(k).padStart(2, '0')}.txt`, blocks.slice(k, k + 13).join('') + (k === 0 ? 'extra tail words.\n' : ''));
    const report = JSON.parse((await dedupe(['chain', '--no-boilerplate', '--format', 'json'], { cwd: dir })).stdout) as Report;
    const members = report.clusters.flatMap((c) => c.members.filter((m) => m.path !== c.representative));
    const below = members.filter((m) => m.belowThreshold).map((m) => m.path);
    expect(below.length).toBeGreaterThan(0);
    const dropped = await listed(['chain', '--no-boilerplate']);
    expect(dropped).toEqual(members.filter((m) => !m.belowThreshold).map((m) => m.path));
    // The text report says why they are not listed; --list-kept lists them with the copies kept.
    const text = (await dedupe(['chain', '--no-boilerplate'], { cwd: dir })).stdout;
    expect(text).toContain('joined through other members, so not listed by --format paths');
    expect(await listed(['chain', '--no-boilerplate', '--list-kept'])).toEqual(expect.arrayContaining(below));
  });

  it('with --drop-contained, leaves out what only the text on stdin, a dropped copy, or a dropped container holds', async () => {
    // Only stdin holds the excerpt's text besides the excerpt itself.
    const excerpt = block(100);
    write('s/excerpt.txt', excerpt);
    expect(await listed(['-', 's', '--containment', '0.8', '--drop-contained'], block(150) + excerpt + block(150))).toEqual([]);
    // The excerpt lies in t/b.txt, a copy to drop whose kept twin t/c.txt lacks it.
    const body = block(500);
    const inside = block(50);
    write('t/excerpt.txt', inside);
    write('t/b.txt', body + inside);
    write('t/c.txt', body + block(65));
    const t = await listed(['t', '--containment', '0.8', '--drop-contained']);
    expect(t).toContain('t/b.txt');
    expect(t).not.toContain('t/excerpt.txt');
    // a in b, b in c, a not in c: b goes (c keeps its text), so a stays.
    const [x, y, w, v] = [block(80), block(30), block(400), block(100)];
    write('cc/a.txt', x + y);
    write('cc/b.txt', x + y + w);
    write('cc/c.txt', x + w + v);
    expect(await listed(['cc', '--containment', '0.8', '--drop-contained'])).toEqual(['cc/b.txt']);
  });
});
