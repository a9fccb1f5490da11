// Issue 10, item 3: one option table. The commander options, config keys and analysis options
// are derived from it; core names options by their analysis names, the CLI by their flags.
// Regression tests for the two bugs of the five-places era: --quiet and the empty input, and
// `dedupe --config FILE body …` / a body flag that lost to the config.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, findOptionProblem, validateOptions } from '../src/core/options.js';
import { ANALYSIS_ENTRIES, describeType, OPTIONS, problemWith } from '../src/options/table.js';
import { dedupe, SEEDS, tempDir } from './helpers/cli.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('dedupe-options-')));
afterEach(() => cleanup());

const run = (args: string[]) => dedupe(args, { cwd: dir });
const headers = (stdout: string) => [...stdout.matchAll(/^==> (.*) <==$/gm)].map((m) => m[1]);

/** in/kept.txt and in/draft-1.txt, two different articles. */
function twoFiles() {
  mkdirSync(path.join(dir, 'in'));
  copyFileSync(path.join(SEEDS, readdirSync(SEEDS).find((f) => f.startsWith('000'))!), path.join(dir, 'in', 'kept.txt'));
  copyFileSync(path.join(SEEDS, readdirSync(SEEDS).find((f) => f.startsWith('003'))!), path.join(dir, 'in', 'draft-1.txt'));
}

describe('the option table', () => {
  it('gives the analysis defaults, and core names a bad option by its name, not a flag', () => {
    expect(DEFAULT_OPTIONS).toEqual({
      threshold: 0.8,
      compare: 'body',
      keep: 'longest',
      boilerplate: true,
      shingle: 'word',
      ngram: 5,
      numPerm: 128,
      sketch: 'oph',
      seed: 1,
      recall: 0.99,
      containment: 0,
      allPairs: false,
    });
    expect(validateOptions(DEFAULT_OPTIONS)).toBeUndefined();
    expect(validateOptions({ ...DEFAULT_OPTIONS, threshold: 5 })).toBe('threshold must be a number in (0, 1], got 5');
    expect(validateOptions({ ...DEFAULT_OPTIONS, numPerm: 0 })).toBe('numPerm must be a whole number from 1 to 4096, got 0');
    expect(findOptionProblem({ ...DEFAULT_OPTIONS, sketch: 'lsh' as never })).toEqual({ option: 'sketch', problem: 'must be oph or minhash, got lsh' });
    expect(validateOptions({ ...DEFAULT_OPTIONS, allPairs: 'yes' as never })).toBe('allPairs must be true or false, got yes');
    // Every analysis option has an entry, and every entry's default is valid.
    expect(ANALYSIS_ENTRIES.map(([, spec]) => spec.analysis).sort()).toEqual(Object.keys(DEFAULT_OPTIONS).sort());
  });

  it('describes ranges and checks values by them', () => {
    expect(describeType(OPTIONS.recall.type)).toBe('a number in (0, 1)');
    expect(describeType(OPTIONS.jobs.type)).toBe('a whole number ≥ 1');
    expect(describeType(OPTIONS.seed.type)).toBe('a whole number from 0 to 4294967295');
    expect(problemWith(OPTIONS.recall.type, 1)).toBe('must be a number in (0, 1), got 1');
    expect(problemWith(OPTIONS.recall.type, Number.NaN)).toBe('must be a number in (0, 1), got NaN');
    expect(problemWith(OPTIONS.ngram.type, 64)).toBeUndefined();
    expect(problemWith(OPTIONS.compare.type, 'full')).toBeUndefined();
  });

  it('the CLI names a bad value by its flag on the command line, by its file and key in the config file', async () => {
    writeFileSync(path.join(dir, 'dedupe.config.json'), JSON.stringify({ 'num-perm': 0 }));
    mkdirSync(path.join(dir, 'in'));
    const fromConfig = await run(['in']);
    expect(fromConfig.status).toBe(2);
    expect(fromConfig.stderr).toBe('dedupe: error: dedupe.config.json: "num-perm" must be a whole number from 1 to 4096, got 0\n');
    writeFileSync(path.join(dir, 'dedupe.config.json'), '{}');
    const fromFlag = await run(['in', '--num-perm', '0']);
    expect(fromFlag.stderr).toMatch(/^dedupe: error: --num-perm must be a whole number from 1 to 4096, got 0\n/);
    // A negated boolean's key with its flag's meaning: "no-boilerplate": true turns it off.
    writeFileSync(path.join(dir, 'dedupe.config.json'), JSON.stringify({ 'no-boilerplate': true }));
    writeFileSync(path.join(dir, 'in', 'a.txt'), 'Share this article on Facebook\nSome words of the article body here.\n');
    expect(JSON.parse((await run(['in', '--format', 'json'])).stdout).params.compare).toBe('body');
    expect((await run(['body', 'in'])).stdout).toBe('Share this article on Facebook\nSome words of the article body here.\n');
  });
});

describe('bug: the config file and `dedupe body`, wherever the options stand', () => {
  it('applies --config FILE given before the subcommand, after it, or as --config=FILE', async () => {
    twoFiles();
    writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ exclude: ['draft-*'] }));
    for (const args of [['--config', 'c.json', 'body', 'in'], ['--config=c.json', 'body', 'in'], ['body', 'in', '--config', 'c.json'], ['body', '--config', 'c.json', 'in']]) {
      const { status, stdout } = await run(args);
      expect(status, args.join(' ')).toBe(0);
      expect(headers(stdout), args.join(' ')).toEqual([]); // one file left: no headers
      expect(stdout, args.join(' ')).toMatch(/^There’s been "some progress"/);
    }
  });

  it('a flag on the command line beats the config, before or after the subcommand', async () => {
    twoFiles();
    writeFileSync(path.join(dir, 'dedupe.config.json'), JSON.stringify({ 'max-file-size': 10 }));
    expect((await run(['body', 'in'])).status).toBe(2); // every file over 10 bytes: nothing to compare
    for (const args of [['body', 'in', '--max-file-size', '1M'], ['--max-file-size', '1M', 'body', 'in'], ['body', '--max-file-size', '1M', 'in']]) {
      const { status, stdout } = await run(args);
      expect(status, args.join(' ')).toBe(0);
      expect(headers(stdout), args.join(' ')).toEqual(['in/draft-1.txt', 'in/kept.txt']);
    }
  });

  it('the config file\'s analysis keys reach `dedupe body` too', async () => {
    mkdirSync(path.join(dir, 'in'));
    const text = 'Share this article on Facebook\nSome words of the article body here, enough of them to be body.\n';
    writeFileSync(path.join(dir, 'in', 'a.txt'), text);
    expect((await run(['body', 'in'])).stdout).not.toMatch(/Facebook/); // the share line is boilerplate
    writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ boilerplate: false }));
    for (const args of [['--config', 'c.json', 'body', 'in'], ['body', 'in', '--config', 'c.json']]) expect((await run(args)).stdout).toBe(text);
  });
});

describe('bug: --quiet silences warnings, never errors', () => {
  it('an empty input is an error printed even with --quiet, wherever --quiet stands or comes from', async () => {
    mkdirSync(path.join(dir, 'empty'));
    writeFileSync(path.join(dir, 'q.json'), JSON.stringify({ quiet: true }));
    const error = 'dedupe: error: no files to read in empty\nhint: --allow-empty makes an empty input a clean run\n';
    for (const args of [['empty', '--quiet'], ['body', 'empty', '-q'], ['-q', 'body', 'empty'], ['--config', 'q.json', 'body', 'empty']]) {
      const { status, stderr } = await run(args);
      expect(status, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toBe(error);
    }
  });

  it('with --allow-empty the "no files to read" warning prints, and --quiet silences it, wherever it stands', async () => {
    mkdirSync(path.join(dir, 'empty'));
    writeFileSync(path.join(dir, 'q.json'), JSON.stringify({ quiet: true }));
    for (const command of [[], ['body']]) {
      const loud = await run([...command, 'empty', '--allow-empty']);
      expect(loud.status).toBe(0);
      expect(loud.stderr).toBe('dedupe: warning: empty: no files to read\n');
    }
    for (const args of [['empty', '--allow-empty', '-q'], ['body', 'empty', '--allow-empty', '-q'], ['-q', 'body', 'empty', '--allow-empty'], ['--allow-empty', '--config', 'q.json', 'body', 'empty']]) {
      const { status, stderr } = await run(args);
      expect(status, args.join(' ')).toBe(0);
      expect(stderr, args.join(' ')).toBe('');
    }
  });
});
