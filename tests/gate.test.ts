import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/types.js';
import { dedupe, SEEDS, tempDir } from './helpers/cli.js';

const json = async (args: string[], options: Parameters<typeof dedupe>[1] = {}) => {
  const result = await dedupe([...args, '--format', 'json'], options);
  return { ...result, report: JSON.parse(result.stdout || 'null') as Report };
};

describe('--against: check an incoming batch against a baseline', () => {
  it('fails when the batch duplicates the baseline, keeping the baseline copy', async () => {
    const { status, report } = await json(['fixtures/against/incoming-dup', '--against', 'fixtures/against/baseline']);
    expect(status).toBe(1);
    expect(report.clusters).toHaveLength(1);
    const cluster = report.clusters[0]!;
    expect(cluster.representative).toMatch(/^fixtures\/against\/baseline\//);
    expect(cluster.members.find((m) => m.path === 'fixtures/against/incoming-dup/001_aa7fafff98e3fb85.txt')?.side).toBe('incoming');
    expect(report.summary.duplicates).toBe(1);
    // Every pair says which side each document is on, and none is baseline–baseline.
    expect(report.pairs.length).toBeGreaterThan(0);
    for (const pair of report.pairs) {
      expect([pair.aSide, pair.bSide]).toContain('incoming');
      expect(pair[pair.aSide === 'incoming' ? 'a' : 'b']).toMatch(/incoming-dup/);
    }
  });

  it('fails when the batch duplicates itself', async () => {
    const { status, report } = await json(['fixtures/against/incoming-self', '--against', 'fixtures/against/incoming-clean']);
    expect(status).toBe(1);
    expect(report.clusters).toHaveLength(1);
    expect(report.clusters[0]!.members.every((m) => m.side === 'incoming')).toBe(true);
  });

  it('passes a clean batch even though the baseline has duplicates of its own', async () => {
    const { status, report } = await json(['fixtures/against/incoming-clean', '--against', 'fixtures/against/baseline']);
    expect(status).toBe(0);
    expect(report.clusters).toEqual([]);
    expect(report.pairs).toEqual([]);
    expect(report.summary.duplicates).toBe(0);
    // The baseline's own pair is found without --against, so the test above can fail.
    expect((await json(['fixtures/against/baseline'])).report.clusters).toHaveLength(1);
  });
});

describe('--max-duplicates', () => {
  it('trips only above N duplicate documents', async () => {
    expect((await dedupe(['fixtures/seeds', '--max-duplicates', '0'])).status).toBe(1);
    expect((await dedupe(['fixtures/seeds', '--max-duplicates', '1'])).status).toBe(0);
    expect((await dedupe(['fixtures/seeds', '--max-duplicates', '-1'])).status).toBe(2);
  });
});

describe('config file', () => {
  const withConfig = async (config: unknown, args: string[] = [], file = 'dedupe.config.json') => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(path.join(dir, file), typeof config === 'string' ? config : JSON.stringify(config));
      return await dedupe([path.resolve('fixtures/seeds'), '--format', 'json', ...args], { cwd: dir });
    } finally {
      cleanup();
    }
  };

  it('reads dedupe.config.json from the working directory, and flags override it', async () => {
    const fromConfig = await withConfig({ threshold: 0.5, 'num-perm': 64, 'exit-zero': true });
    expect(fromConfig.status).toBe(0);
    const report = JSON.parse(fromConfig.stdout) as Report;
    expect(report.params.threshold).toBe(0.5);
    expect(report.params.numPerm).toBe(64);
    const overridden = JSON.parse((await withConfig({ threshold: 0.5 }, ['--threshold', '0.9'])).stdout) as Report;
    expect(overridden.params.threshold).toBe(0.9);
  });

  it('reads --config FILE', async () => {
    const result = await withConfig({ ngram: 3 }, ['--config', 'custom.json'], 'custom.json');
    expect((JSON.parse(result.stdout) as Report).params.ngram).toBe(3);
  });

  it('rejects unknown keys and wrong types with exit 2, naming the key', async () => {
    const unknown = await withConfig({ threshhold: 0.5 });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/dedupe\.config\.json: unknown key "threshhold"/);
    const wrongType = await withConfig({ threshold: 'high' });
    expect(wrongType.status).toBe(2);
    expect(wrongType.stderr).toMatch(/"threshold" must be a number/);
    const badChoice = await withConfig({ compare: 'sideways' });
    expect(badChoice.status).toBe(2);
    expect(badChoice.stderr).toMatch(/"compare" must be one of body, full/);
    // A value out of range, or an empty glob, is named by the file and the key, not by a flag never typed.
    const outOfRange = await withConfig({ ngram: 0 });
    expect([outOfRange.status, outOfRange.stderr]).toEqual([2, expect.stringMatching(/^dedupe: error: dedupe\.config\.json: "ngram" must be a whole number from 1 to 64, got 0\n/)]);
    const emptyGlob = await withConfig({ exclude: [''] });
    expect([emptyGlob.status, emptyGlob.stderr]).toEqual([2, expect.stringMatching(/^dedupe: error: dedupe\.config\.json: "exclude" must be a non-empty string or an array of them/)]);
    // A config file that loosens the gate says so on stderr (a pull request can add one).
    const loosened = await withConfig({ 'exit-zero': true });
    expect(loosened.status).toBe(0);
    expect(loosened.stderr).toMatch(/^dedupe: note: the config file dedupe\.config\.json sets exit-zero: findings do not fail the run$/m);
    const notJson = await withConfig('{ threshold: 0.5');
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(/dedupe\.config\.json: not valid JSON/);
  });

  it('dedupe body reads it too: its own keys apply, report-only keys are ignored, unknown keys fail', async () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(path.join(dir, 'in'));
      copyFileSync(path.join(SEEDS, readdirSync(SEEDS).find((f) => f.startsWith('000'))!), path.join(dir, 'in', 'kept.txt'));
      copyFileSync(path.join(SEEDS, readdirSync(SEEDS).find((f) => f.startsWith('003'))!), path.join(dir, 'in', 'draft-1.txt'));
      const config = path.join(dir, 'dedupe.config.json');
      const paths = (stdout: string) => [...stdout.matchAll(/^==> (.*) <==$/gm)].map((m) => m[1]);
      expect(paths((await dedupe(['body', 'in'], { cwd: dir })).stdout)).toEqual(['in/draft-1.txt', 'in/kept.txt']);
      writeFileSync(config, JSON.stringify({ exclude: ['draft-*'], format: 'json', threshold: 0.9 }));
      const excluded = await dedupe(['body', 'in'], { cwd: dir });
      expect(excluded.status).toBe(0);
      expect(excluded.stdout).not.toMatch(/^==>/m); // one file left: no headers
      expect(excluded.stdout).toMatch(/^There’s been "some progress"/);
      writeFileSync(config, JSON.stringify({ exclud: ['draft-*'] }));
      const unknown = await dedupe(['body', 'in'], { cwd: dir });
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toMatch(/dedupe\.config\.json: unknown key "exclud"/);
    } finally {
      cleanup();
    }
  });

  it('fails with 2 when --config names a missing file', async () => {
    const { status, stderr } = await dedupe(['fixtures/seeds', '--config', 'no-such.json']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/no-such\.json/);
  });
});

describe('--output', () => {
  it('writes the report to the file and nothing to stdout', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'report.json');
      const { status, stdout } = await dedupe(['fixtures/seeds', '--format', 'json', '--output', file]);
      expect(status).toBe(1);
      expect(stdout).toBe('');
      expect((JSON.parse(readFileSync(file, 'utf8')) as Report).clusters).toHaveLength(1);
      expect(readdirSync(dir)).toEqual(['report.json']); // no temporary file left
    } finally {
      cleanup();
    }
  });

  it('is exit 2 on an unwritable directory and leaves nothing behind', async () => {
    const { dir, cleanup } = tempDir();
    try {
      // A path through a regular file cannot be created, even by root.
      writeFileSync(path.join(dir, 'not-a-dir'), '');
      const file = path.join(dir, 'not-a-dir', 'report.json');
      const { status, stdout, stderr } = await dedupe(['fixtures/seeds', '--format', 'json', '--output', file]);
      expect(status).toBe(2);
      expect(stdout).toBe('');
      // Said before any input is read: a long run does not end in this.
      expect(stderr).toMatch(/^dedupe: error: --output .*not-a-dir\/report\.json: cannot write there: a part of the path is not a directory\nhint: /);
      expect(readdirSync(dir)).toEqual(['not-a-dir']);
      const missingDir = path.join(dir, 'missing', 'report.json');
      expect((await dedupe(['fixtures/seeds', '--output', missingDir])).status).toBe(2);
      expect(existsSync(path.join(dir, 'missing'))).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('takes - as stdout (no file named -), and refuses an empty name', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const dash = await dedupe([SEEDS, '--format', 'json', '-o', '-'], { cwd: dir });
      expect(dash.status).toBe(1);
      expect(JSON.parse(dash.stdout).clusters).toHaveLength(1);
      expect(existsSync(path.join(dir, '-'))).toBe(false);
      const empty = await dedupe([SEEDS, '-o', ''], { cwd: dir });
      expect([empty.status, empty.stdout]).toEqual([2, '']);
      expect(empty.stderr).toMatch(/^dedupe: error: --output needs a file name \(or - for stdout\)\n/);
    } finally {
      cleanup();
    }
  });

  it('replaces an existing report only when the new one is complete', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'report.json');
      writeFileSync(file, 'old');
      await dedupe(['fixtures/seeds', '--format', 'json', '--output', file]);
      expect(JSON.parse(readFileSync(file, 'utf8')).schemaVersion).toBe(1);
    } finally {
      cleanup();
    }
  });
});

describe('quiet and progress', () => {
  it('--quiet prints nothing but the report, warnings included', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(path.join(dir, 'bin.dat'), Buffer.from([1, 0, 2]));
      writeFileSync(path.join(dir, 'a.txt'), 'some words here\n');
      const loud = await dedupe(['.', '--format', 'json'], { cwd: dir });
      expect(loud.stderr).toMatch(/binary/);
      const quiet = await dedupe(['.', '--format', 'json', '--quiet'], { cwd: dir });
      expect(quiet.stderr).toBe('');
      expect(JSON.parse(quiet.stdout).summary.skipped).toBe(1);
    } finally {
      cleanup();
    }
  });

  it('-v reports documents/s on stderr, never on stdout', async () => {
    const { stdout, stderr } = await dedupe(['fixtures/seeds', '--format', 'json', '-v']);
    expect(() => JSON.parse(stdout)).not.toThrow();
    expect(stderr).toMatch(/4 documents in \d+\.\d+ s \([\d,]+ documents\/s\)/);
  });

  it('draws a progress bar on a terminal once the run has taken a second, and not with --quiet or in CI', async () => {
    let ms = 0;
    const now = () => (ms += 400); // every reading of the clock is 0.4 s later: the bar is due at once
    const slow = await dedupe(['fixtures/seeds', '--format', 'json'], { tty: true, now });
    // Each stage by name: files read, then verification and writing (not counted: named alone).
    expect(slow.stderr).toMatch(/dedupe: reading +\[.*\] \d+% \| \d\/4 files/);
    expect(slow.stderr.indexOf('dedupe: verifying…')).toBeGreaterThan(slow.stderr.indexOf('dedupe: reading'));
    expect(slow.stderr.indexOf('dedupe: writing…')).toBeGreaterThan(slow.stderr.indexOf('dedupe: verifying…'));
    expect(JSON.parse(slow.stdout).summary.documents).toBe(4); // the report is untouched
    expect((await dedupe(['fixtures/seeds', '--format', 'json', '--quiet'], { tty: true, now })).stderr).toBe('');
    expect((await dedupe(['fixtures/seeds', '--format', 'json'], { tty: true, now, env: { CI: 'true' } })).stderr).toBe('');
    // A quick run (the clock standing still) stays quiet.
    expect((await dedupe(['fixtures/seeds', '--format', 'json'], { tty: true, now: () => 0 })).stderr).toBe('');
  });

  it('draws the bar for dedupe body too, on stderr: the bodies are untouched', async () => {
    let ms = 0;
    const now = () => (ms += 400);
    const slow = await dedupe(['body', 'fixtures/seeds'], { tty: true, now });
    expect(slow.stderr).toMatch(/dedupe: reading +\[.*\] \d+% \| \d\/4 files/);
    expect(slow.stdout).toBe((await dedupe(['body', 'fixtures/seeds'])).stdout);
    expect((await dedupe(['body', 'fixtures/seeds', '--quiet'], { tty: true, now })).stderr).toBe('');
  });

  it('-v times the run by the clock it is given', async () => {
    let ms = 1000;
    const now = () => (ms += 250); // each reading of the clock is a quarter of a second later
    const { stderr } = await dedupe(['fixtures/seeds', '--format', 'json', '-v'], { now });
    expect(stderr).toBe('dedupe: 4 documents in 0.25 s (16 documents/s)\n');
  });
});
