import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report/types.js';
import { Readable, Writable } from 'node:stream';
import { run as runCli } from '../src/cli/main.js';
import { dedupe, dedupeBin, BIN, ROOT, SEEDS, tempDir } from './helpers/cli.js';

const seedFile = (prefix: string) => {
  const name = readdirSync(SEEDS).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`no seed ${prefix}`);
  return `fixtures/seeds/${name}`;
};

describe('dedupe on the seeds', () => {
  it('finds exactly one cluster {000, 001}, keeps 000, leaves 002 and 003 unique, exits 1', async () => {
    const { status, stdout } = await dedupe(['fixtures/seeds', '--format', 'json']);
    expect(status).toBe(1);
    const report = JSON.parse(stdout) as Report;
    expect(report.clusters).toHaveLength(1);
    const cluster = report.clusters[0]!;
    expect(cluster.members.map((m) => m.path).sort()).toEqual([seedFile('000'), seedFile('001')]);
    expect(cluster.representative).toBe(seedFile('000'));
    expect(report.summary).toEqual({ documents: 4, clusters: 1, duplicates: 1, unique: 2, skipped: 0 });
    expect(report.pairs).toHaveLength(1);
    expect(report.pairs[0]!.similarity).toBeGreaterThanOrEqual(report.params.threshold);
  });

  it('finds the same cluster with either sketch, and says which one it used', async () => {
    const byKind = await Promise.all((['oph', 'minhash'] as const).map(async (kind) => {
      const { status, stdout } = await dedupe(['fixtures/seeds', '--format', 'json', '--sketch', kind]);
      expect(status).toBe(1);
      const report = JSON.parse(stdout) as Report;
      expect(report.params.sketch).toBe(kind);
      return report;
    }));
    expect(byKind[0]!.clusters).toEqual(byKind[1]!.clusters);
    expect(byKind[0]!.pairs).toEqual(byKind[1]!.pairs);
  });

  it('prints a human report: summary first, then the cluster and what to keep', async () => {
    const { status, stdout, stderr } = await dedupe(['fixtures/seeds']);
    expect(status).toBe(1);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^4 documents: 1 cluster, 1 duplicate, 2 unique, 0 skipped$/);
    expect(stdout).toMatch(new RegExp(`keep\\s+${seedFile('000')}`));
    expect(stdout).toMatch(new RegExp(`drop\\s+${seedFile('001')}.*100\\.0% similar`));
    expect(stdout).toMatch(/Unique \(2\)/);
    expect(stdout).not.toMatch(/\u001b\[/); // NO_COLOR
  });

  it('has the JSON fields consumers rely on', async () => {
    const report = JSON.parse((await dedupe(['fixtures/seeds', '--format', 'json'])).stdout) as Report;
    expect(report.schemaVersion).toBe(1);
    expect(report.tool.name).toBe('dedupe');
    expect(report.tool.version).toMatch(/^\d+\.\d+\.\d+/);
    for (const key of ['shingle', 'ngram', 'numPerm', 'sketch', 'bands', 'rows', 'threshold', 'seed'] as const) expect(report.params).toHaveProperty(key);
    expect(report.params.bands * report.params.rows).toBeLessThanOrEqual(report.params.numPerm);
    expect(report.documents).toHaveLength(4);
    for (const doc of report.documents) {
      expect(doc.path).toMatch(/^fixtures\/seeds\/\d{3}_/);
      expect(doc.bytes).toBeGreaterThan(0);
      expect(doc.lines).toBeGreaterThan(0);
      expect(doc.shingles).toBeGreaterThan(0);
    }
    expect(report.warnings).toEqual([]);
  });

  it('prints nothing but the JSON on stdout, even beside a .env file', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(path.join(dir, '.env'), 'DEDUPE_TEST=1\n');
      const { stdout } = await dedupe([path.join(ROOT, 'fixtures/seeds'), '--format', 'json'], { cwd: dir });
      expect(stdout.startsWith('{')).toBe(true);
      expect(() => JSON.parse(stdout)).not.toThrow();
    } finally {
      cleanup();
    }
  });

  it('writes paths relative to the working directory, with /', async () => {
    const report = JSON.parse((await dedupe(['seeds', '--format', 'json'], { cwd: path.join(ROOT, 'fixtures') })).stdout) as Report;
    expect(report.documents.map((d) => d.path).every((p) => p.startsWith('seeds/'))).toBe(true);
  });

  it('--exit-zero turns "found" into 0', async () => {
    expect((await dedupe(['fixtures/seeds', '--exit-zero'])).status).toBe(0);
  });

  it('reads the list of paths from stdin with --files-from -', async () => {
    const input = `${seedFile('000')}\n${seedFile('002')}\n`;
    const report = JSON.parse((await dedupe(['--files-from', '-', '--format', 'json'], { input })).stdout) as Report;
    expect(report.documents.map((d) => d.path)).toEqual([seedFile('000'), seedFile('002')]);
  });

  it('colours the text report only when asked', async () => {
    expect((await dedupe(['fixtures/seeds'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } })).stdout).toMatch(/\u001b\[/);
    expect((await dedupe(['fixtures/seeds', '--color'], { env: { NO_COLOR: '1' } })).stdout).toMatch(/\u001b\[/);
    expect((await dedupe(['fixtures/seeds', '--no-color'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } })).stdout).not.toMatch(/\u001b\[/);
    expect((await dedupe(['fixtures/seeds', '--format', 'json'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } })).stdout).not.toMatch(/\u001b\[/);
  });
});

describe('usage errors exit 2', () => {
  it('names a missing path in one line, without a stack trace', async () => {
    const { status, stdout, stderr } = await dedupe(['no/such/dir']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('dedupe: error: no/such/dir: no such file or directory\nhint: dedupe --help lists the options (dedupe help body: those of the body command)\n');
  });

  it('rejects bad option values and unknown options with 2', async () => {
    for (const args of [['fixtures/seeds', '--threshold', 'abc'], ['fixtures/seeds', '--threshold', '1.5'], ['fixtures/seeds', '--bogus'], ['fixtures/seeds', '--format', 'xml'], ['fixtures/seeds', '--ngram', '0'], ['fixtures/seeds', '--sketch', 'bbit']]) {
      const { status, stderr } = await dedupe(args);
      expect(status, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(/dedupe|error/i);
      expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('exits 0 for --help and --version', async () => {
    expect((await dedupe(['--help'])).status).toBe(0);
    const version = await dedupe(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('awkward inputs', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterAll(() => cleanup());

  const run = async (sub: string, extra: string[] = []) => {
    const result = await dedupe([sub, '--format', 'json', ...extra], { cwd: dir });
    return { ...result, report: result.stdout ? (JSON.parse(result.stdout) as Report) : undefined };
  };

  it('an empty directory is an error (exit 2) naming it, unless --allow-empty', async () => {
    mkdirSync(path.join(dir, 'empty'));
    const failed = await run('empty');
    expect(failed.status).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/^dedupe: error: no files to read in empty\nhint: --allow-empty makes an empty input a clean run$/m);
    const { status, report, stderr } = await run('empty', ['--allow-empty']);
    expect(status).toBe(0);
    expect(report!.summary.documents).toBe(0);
    expect(report!.warnings).toEqual([{ path: 'empty', message: 'no files to read' }]);
    expect(stderr).toMatch(/warning: empty: no files to read/);
  });

  it('empty files are documents with no shingles: identical to each other, near-duplicates of nothing', async () => {
    mkdirSync(path.join(dir, 'empties'));
    writeFileSync(path.join(dir, 'empties/a.txt'), '');
    writeFileSync(path.join(dir, 'empties/b.txt'), '');
    writeFileSync(path.join(dir, 'empties/short.txt'), 'too short\n');
    const { status, report } = await run('empties');
    expect(status).toBe(1);
    expect(report!.documents.map((d) => [d.path, d.lines, d.shingles])).toEqual([
      ['empties/a.txt', 0, 0],
      ['empties/b.txt', 0, 0],
      ['empties/short.txt', 1, 0],
    ]);
    // Two empty files are identical copies; the short file has no copy.
    expect(report!.clusters.map((c) => [c.exact, c.members.map((m) => m.path)])).toEqual([[true, ['empties/a.txt', 'empties/b.txt']]]);
    expect(report!.pairs.map((p) => [p.a, p.b, p.exact, p.similarity])).toEqual([['empties/a.txt', 'empties/b.txt', true, 1]]);
  });

  it('skips a binary file with a warning naming it', async () => {
    mkdirSync(path.join(dir, 'binary'));
    copyFileSync(path.join(ROOT, 'fixtures/seeds', readdirSync(path.join(ROOT, 'fixtures/seeds'))[2]!), path.join(dir, 'binary/text.txt'));
    writeFileSync(path.join(dir, 'binary/image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const { status, report, stderr } = await run('binary');
    expect(status).toBe(0);
    expect(report!.documents.map((d) => d.path)).toEqual(['binary/text.txt']);
    expect(report!.summary.skipped).toBe(1);
    expect(stderr).toMatch(/binary\/image\.png: skipped: binary file/);
    expect(report!.warnings).toEqual([{ path: 'binary/image.png', message: expect.stringMatching(/binary/) }]);
  });

  it('reads Latin-1 as Windows-1252 with a warning naming the encoding, and finds it the same text as UTF-8', async () => {
    mkdirSync(path.join(dir, 'latin1'));
    const text = 'Le café était fermé ce matin à Paris, mais la boulangerie du coin avait déjà ouvert ses portes.\n';
    writeFileSync(path.join(dir, 'latin1/utf8.txt'), text);
    writeFileSync(path.join(dir, 'latin1/latin1.txt'), Buffer.from(text, 'latin1'));
    writeFileSync(path.join(dir, 'latin1/bom-crlf.txt'), '\uFEFF' + text.replace('\n', '\r\n'));
    const { status, report, stderr } = await run('latin1', ['--all-pairs']);
    expect(stderr).toMatch(/latin1\/latin1\.txt: not valid UTF-8: decoded as Windows-1252/);
    expect(report!.warnings).toEqual([{ path: 'latin1/latin1.txt', message: expect.stringMatching(/Windows-1252/) }]);
    expect(report!.documents).toHaveLength(3);
    // All three are the same text: one cluster of three, every pair at similarity 1.
    expect(report!.pairs.map((p) => [p.a, p.b, p.similarity])).toContainEqual(['latin1/bom-crlf.txt', 'latin1/utf8.txt', 1]);
    expect(report!.pairs.map((p) => [p.a, p.b, p.similarity])).toContainEqual(['latin1/latin1.txt', 'latin1/utf8.txt', 1]);
    expect(report!.clusters.map((c) => c.members.length)).toEqual([3]);
    expect(status).toBe(1);
  });

  it('reads UTF-8 with a few damaged bytes as UTF-8, the damage as U+FFFD, with a warning', async () => {
    mkdirSync(path.join(dir, 'damaged'));
    const text = 'Le café était fermé ce matin à Paris, mais la boulangerie du coin avait déjà ouvert ses portes.\n';
    const bytes = Buffer.from(text);
    bytes[bytes.indexOf('Paris')] = 0xff; // one stray byte among well-formed accents
    writeFileSync(path.join(dir, 'damaged/damaged.txt'), bytes);
    const { status, stderr } = await run('damaged');
    expect(status).toBe(0);
    expect(stderr).toMatch(/damaged\/damaged\.txt: invalid UTF-8: undecodable bytes read as U\+FFFD/);
    const body = await dedupe(['body', 'damaged'], { cwd: dir });
    expect(body.stdout).toContain('café était fermé ce matin à \uFFFDaris');
  });

  it('warns about an unreadable file, completes the run, and exits 2', async () => {
    mkdirSync(path.join(dir, 'unreadable'));
    copyFileSync(path.join(ROOT, 'fixtures/seeds', readdirSync(path.join(ROOT, 'fixtures/seeds'))[3]!), path.join(dir, 'unreadable/ok.txt'));
    symlinkSync('does-not-exist.txt', path.join(dir, 'unreadable/dangling.txt'));
    writeFileSync(path.join(dir, 'unreadable/locked.txt'), 'secret words that nobody may read here at all\n');
    chmodSync(path.join(dir, 'unreadable/locked.txt'), 0o000);
    const { status, report, stderr } = await run('unreadable');
    expect(status).toBe(2);
    expect(report!.documents.map((d) => d.path)).toContain('unreadable/ok.txt');
    expect(stderr).toMatch(/unreadable\/dangling\.txt: cannot read/);
    if (process.getuid?.() !== 0) expect(stderr).toMatch(/unreadable\/locked\.txt: cannot read: permission denied/);
  });

  it('dedupe body says when a body is too small to trust, and a deleted working directory is an error, not a bug', async () => {
    mkdirSync(path.join(dir, 'brief'));
    writeFileSync(
      path.join(dir, 'brief/s.txt'),
      'Ferry services cancelled\nAll ferry crossings to the islands were cancelled on Friday because of high winds, the operator said. Services are expected to resume on Saturday morning.\nSubscribe to our newsletter\n© 2024 Island Times\n',
    );
    // The labeller finds no body it can trust here (the report compares the whole text): body says so.
    const report = JSON.parse((await dedupe(['brief/s.txt', '--format', 'json'], { cwd: dir })).stdout) as Report;
    expect(report.documents[0]!.compared).toBe('full');
    const body = await dedupe(['body', 'brief/s.txt'], { cwd: dir });
    expect(body.stderr).toMatch(/^dedupe: warning: brief\/s\.txt: the detected body is too small to trust \(\d+ of \d+ words\): printed as labelled \(--no-boilerplate prints the whole text\)$/m);
    expect((await dedupe(['body', 'fixtures/seeds/000_07ea92c0e8dc5bc0.txt'], { cwd: ROOT })).stderr).toBe('');
    const gone = spawnSync('bash', ['-c', 'mkdir gone && cd gone && rmdir ../gone && node "$0" "$1" --summary', BIN, path.join(ROOT, 'fixtures/seeds')], { cwd: dir, encoding: 'utf8' });
    expect([gone.status, gone.stderr]).toEqual([2, 'dedupe: error: the working directory no longer exists\nhint: cd to a directory that exists and run again\n']);
  });

  it('an input none of whose files can be read is nothing to compare, said even with --quiet', async () => {
    mkdirSync(path.join(dir, 'none-readable'));
    symlinkSync('does-not-exist.txt', path.join(dir, 'none-readable/dangling.txt'));
    const quiet = await dedupe(['none-readable', '--quiet'], { cwd: dir });
    expect([quiet.status, quiet.stdout, quiet.stderr]).toEqual([2, '', 'dedupe: error: nothing to compare in none-readable: the only file was skipped\nhint: --allow-empty makes an empty input a clean run\n']);
  });

  it('skips hidden files and node_modules unless named, and applies --include/--exclude', async () => {
    mkdirSync(path.join(dir, 'tree/.hidden'), { recursive: true });
    mkdirSync(path.join(dir, 'tree/node_modules'));
    mkdirSync(path.join(dir, 'tree/sub'));
    for (const f of ['a.txt', '.secret.txt', '.hidden/b.txt', 'node_modules/c.txt', 'sub/d.txt', 'sub/e.md']) {
      writeFileSync(path.join(dir, 'tree', f), `file ${f}\n`);
    }
    expect((await run('tree')).report!.documents.map((d) => d.path)).toEqual(['tree/a.txt', 'tree/sub/d.txt', 'tree/sub/e.md']);
    expect((await run('tree', ['--include', '*.txt'])).report!.documents.map((d) => d.path)).toEqual(['tree/a.txt', 'tree/sub/d.txt']);
    expect((await run('tree', ['--exclude', 'sub'])).report!.documents.map((d) => d.path)).toEqual(['tree/a.txt']);
    // A glob with a slash matches the path below the directory named (it matched nothing before).
    expect((await run('tree', ['--exclude', 'sub/*.md'])).report!.documents.map((d) => d.path)).toEqual(['tree/a.txt', 'tree/sub/d.txt']);
    expect((await run('tree', ['--include', 'sub/**'])).report!.documents.map((d) => d.path)).toEqual(['tree/sub/d.txt', 'tree/sub/e.md']);
    expect((await run('tree', ['--include', 'sub/*.txt', '--include', 'a.*'])).report!.documents.map((d) => d.path)).toEqual(['tree/a.txt', 'tree/sub/d.txt']);
    // An empty glob (--exclude "$UNSET") is a usage error, not a crash.
    const empty = await dedupe(['tree', '--exclude', ''], { cwd: dir });
    expect([empty.status, empty.stderr]).toEqual([2, expect.stringMatching(/^dedupe: error: .*--exclude takes a non-empty value\.\n/)]);
    const named = await dedupe(['tree/.secret.txt', 'tree/.hidden', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(named.stdout) as Report).documents.map((d) => d.path)).toEqual(['tree/.secret.txt', 'tree/.hidden/b.txt']);
  });

  it('does not follow symlinks into loops', async () => {
    mkdirSync(path.join(dir, 'loop/inner'), { recursive: true });
    writeFileSync(path.join(dir, 'loop/inner/x.txt'), 'some text in a loop\n');
    symlinkSync('..', path.join(dir, 'loop/inner/up'));
    const { status, report } = await run('loop');
    expect(status).toBe(0);
    expect(report!.documents.map((d) => d.path)).toEqual(['loop/inner/x.txt']);
  });

  it('takes --jobs for dedupe body, which prints the same bodies on any number of threads', async () => {
    const one = await dedupe(['body', 'fixtures/seeds', '-j', '1']);
    const two = await dedupe(['body', 'fixtures/seeds', '--jobs', '2']);
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(one.stdout).toContain('==> fixtures/seeds/000');
  });

  it('dedupe body names a file that changed between its labelling and its printing, prints the others, and exits 2', async () => {
    const { dir, cleanup } = tempDir();
    try {
      // Warnings about the inputs go out once the labels are in, before any body is printed: the
      // Windows-1252 file's warning is the moment to rewrite another file.
      writeFileSync(path.join(dir, 'a.txt'), Buffer.from('Caf\xe9 owners met on the square to talk about the new parking rules.\n', 'latin1'));
      writeFileSync(path.join(dir, 'b.txt'), 'The library opens a reading room for children on the second floor.\n');
      writeFileSync(path.join(dir, 'c.txt'), 'The council will vote on the harbour budget next Tuesday evening.\n');
      const stdout: Buffer[] = [];
      let stderr = '';
      const status = await runCli(['body', '.'], {
        stdout: new Writable({ write: (chunk, _encoding, done) => (stdout.push(Buffer.from(chunk)), done()) }),
        stderr: new Writable({
          write: (chunk, _encoding, done) => {
            stderr += String(chunk);
            if (String(chunk).includes('not valid UTF-8')) writeFileSync(path.join(dir, 'c.txt'), 'Rewritten meanwhile.\n');
            done();
          },
        }),
        stdin: Readable.from([]),
        env: { NO_COLOR: '1' },
        cwd: dir,
        now: () => performance.now(),
      });
      const out = Buffer.concat(stdout).toString('utf8');
      expect(status).toBe(2);
      expect(out).toContain('==> b.txt <==\nThe library opens');
      expect(out).toContain('==> a.txt <==\nCafé owners');
      expect(out).not.toContain('c.txt');
      expect(out).not.toContain('Rewritten');
      expect(stderr).toContain('dedupe: warning: c.txt: changed or gone while dedupe ran: its body is not printed');
    } finally {
      cleanup();
    }
  });

  it('never writes to its inputs', async () => {
    const snapshot = () =>
      readdirSync(SEEDS).map((f) => {
        const file = path.join(SEEDS, f);
        return [f, statSync(file).mtimeMs, createHash('sha256').update(readFileSync(file)).digest('hex')];
      });
    const before = snapshot();
    await dedupe(['fixtures/seeds', '--format', 'json']);
    await dedupe(['body', 'fixtures/seeds']);
    expect(snapshot()).toEqual(before);
  });
});

describe('pipes', () => {
  it('exits quietly when the reader of stdout goes away (JSON, and NDJSON written as the run goes)', async () => {
    const { dir, cleanup } = tempDir();
    try {
      // Enough documents that the output outgrows the pipe's buffer, so the write really fails.
      for (let i = 0; i < 400; i++) writeFileSync(path.join(dir, `doc${String(i).padStart(3, '0')}.txt`), `document number ${i} has a few words of its own\n`);
      for (const format of ['json', 'ndjson']) {
        const r = spawnSync('bash', ['-c', `node "${BIN}" . --format ${format} | head -c 10 >/dev/null; echo "rc=\${PIPESTATUS[0]}"`], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
        });
        expect(r.stderr, format).toBe('');
        // The exit code is the run's own, as if nothing had been cut.
        expect(r.stdout.trim(), format).toBe(`rc=${(await dedupe(['.', '--format', format], { cwd: dir })).status}`);
      }
    } finally {
      cleanup();
    }
  });

  it('writes NDJSON no faster than a slow reader takes it, and all of it, in order', async () => {
    const { dir, cleanup } = tempDir();
    try {
      for (let i = 0; i < 400; i++) writeFileSync(path.join(dir, `doc${String(i).padStart(3, '0')}.txt`), `document number ${i} has a few words of its own\n`);
      writeFileSync(path.join(dir, 'copy.txt'), 'document number 7 has a few words of its own\n');
      const whole = await dedupe(['.', '--format', 'ndjson'], { cwd: dir });
      // The reader starts after a second: everything the run made waits for it, none is lost.
      const r = spawnSync('bash', ['-c', `node "${BIN}" . --format ndjson | (sleep 1; cat)`], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(whole.stdout);
      expect(r.stdout.split('\n').filter((l) => l.startsWith('{"type":"document"'))).toHaveLength(401);
    } finally {
      cleanup();
    }
  });
});

// The few runs of the real binary: what only a process has (its exit code, a terminal, a pipe).
describe('the binary, bin/dedupe.js', () => {
  it('prints what run() prints and exits with its code: 1 for duplicates, 0 for --version, 2 for a usage error', async () => {
    // Colour left to the binary: its stdout is a pipe, so none.
    const env = { NO_COLOR: undefined };
    const found = dedupeBin(['fixtures/seeds'], { env });
    expect([found.status, found.stderr]).toEqual([1, '']);
    expect(found.stdout).toMatch(/^4 documents: 1 cluster/);
    expect(found.stdout).toBe((await dedupe(['fixtures/seeds'], { env })).stdout);
    expect(found.stdout).not.toMatch(/\u001b\[/);
    const version = dedupeBin(['--version']);
    expect([version.status, version.stdout.trim()]).toEqual([0, (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version]);
    const missing = dedupeBin(['no/such/dir']);
    expect([missing.status, missing.stdout, missing.stderr]).toEqual([2, '', 'dedupe: error: no/such/dir: no such file or directory\nhint: dedupe --help lists the options (dedupe help body: those of the body command)\n']);
  });

  it('exits 2, never 1 ("duplicates found"), on an exception or rejection no await reaches', () => {
    // A throw from a callback once the report is written stands for one from a stream's event
    // handler (readline's "Invalid string length" on a 600 MB JSONL line was one): node's own
    // exit code for it is 1.
    for (const fault of ["throw new Error('boom')", "Promise.reject(new Error('boom'))"]) {
      const hook = `const write = process.stdout.write.bind(process.stdout); process.stdout.write = (...a) => { setImmediate(() => { ${fault}; }); return write(...a); };`;
      const result = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, BIN, 'fixtures/seeds'], { cwd: ROOT, encoding: 'utf8' });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^dedupe: internal error: Error: boom\n/);
    }
  });

  it.runIf(existsSync('/dev/full'))('a stdout that cannot be written (a full disk) is exit 2 with the reason, not a crash or a bug', () => {
    const full = openSync('/dev/full', 'w');
    try {
      for (const args of [['fixtures/seeds'], ['fixtures/seeds', '--format', 'json'], ['body', 'fixtures/seeds']]) {
        const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', full, 'pipe'] });
        expect([result.status, result.stderr]).toEqual([2, 'dedupe: error: cannot write the output: ENOSPC: no space left on device, write\n']);
      }
    } finally {
      closeSync(full);
    }
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.runIf(hasScript)('colours the text report when stdout is a terminal', () => {
    // script(1) runs the binary on a pseudo-terminal; -e passes on its exit code.
    const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined };
    const tty = spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" fixtures/seeds`, '/dev/null'], { cwd: ROOT, env, encoding: 'utf8' });
    expect(tty.status).toBe(1);
    expect(tty.stdout).toMatch(/\u001b\[1m4 documents: 1 cluster/);
  });
});
