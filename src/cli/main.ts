import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { analyseCorpus, extractBodies } from '../core/analyse.js';
import { DEFAULT_OPTIONS, validateOptions, type AnalyseOptions } from '../core/options.js';
import { discoverFiles, MissingPathError } from '../input/discover.js';
import { readDocuments } from '../input/read.js';
import { FORMAT_NAMES, REPORTERS, type FormatName } from '../report/formats/index.js';
import type { Warning } from '../report/types.js';
import { shouldColor } from './color.js';
import { EXIT_CLEAN, EXIT_ERROR, exitCodeFor } from './exit-code.js';
import { BrokenPipeError, readAllText, writeAll } from './io.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

/** The streams and environment the CLI may touch; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const defaultIO = (): CliIO => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });

/** A usage error found after parsing (a bad option value): exit 2 with one line. */
class UsageError extends Error {}

const number = (name: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} takes a number, got "${value}".`);
  return n;
};
const collect = (value: string, previous: string[] = []) => [...previous, value];

interface MainFlags {
  format: FormatName;
  threshold: number;
  ngram: number;
  shingle: 'word' | 'char';
  numPerm: number;
  seed: number;
  recall: number;
  keep: 'longest' | 'first';
  compare: 'body' | 'full';
  include?: string[];
  exclude?: string[];
  exitZero?: boolean;
  color?: boolean;
  showBoilerplate?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

function addInputOptions(command: Command): Command {
  return command
    .option('--include <glob>', 'only read files matching the glob (repeatable)', collect)
    .option('--exclude <glob>', 'skip files and directories matching the glob (repeatable)', collect);
}

function addAnalysisOptions(command: Command): Command {
  return command
    .addOption(new Option('--shingle <kind>', 'shingle words or characters').choices(['word', 'char']).default(DEFAULT_OPTIONS.shingle))
    .option('--ngram <n>', 'shingle length in words (or characters)', number('--ngram'), DEFAULT_OPTIONS.ngram)
    .option('--num-perm <k>', 'MinHash permutations', number('--num-perm'), DEFAULT_OPTIONS.numPerm)
    .option('--seed <n>', 'seed for the MinHash permutations', number('--seed'), DEFAULT_OPTIONS.seed)
    .option('-t, --threshold <t>', 'report pairs with Jaccard similarity at or above t', number('--threshold'), DEFAULT_OPTIONS.threshold)
    .option('--recall <p>', 'chance that a pair exactly at the threshold becomes a candidate', number('--recall'), DEFAULT_OPTIONS.recall)
    .addOption(new Option('--compare <text>', 'compare the article body or the full text').choices(['body', 'full']).default(DEFAULT_OPTIONS.compare));
}

function analyseOptionsFrom(flags: MainFlags): AnalyseOptions {
  const options: AnalyseOptions = {
    shingle: flags.shingle,
    ngram: flags.ngram,
    numPerm: flags.numPerm,
    seed: flags.seed,
    threshold: flags.threshold,
    recall: flags.recall,
    keep: flags.keep,
    compare: flags.compare,
    segmentText: Boolean(flags.showBoilerplate),
  };
  const problem = validateOptions(options);
  if (problem) throw new UsageError(problem);
  return options;
}

/** Expand `-` into the newline-separated paths read from stdin. */
async function expandPaths(paths: readonly string[], io: CliIO): Promise<string[]> {
  if (!paths.includes('-')) return [...paths];
  const listed = (await readAllText(io.stdin)).split(/\r?\n/).filter((p) => p.trim() !== '');
  return paths.flatMap((p) => (p === '-' ? listed : [p]));
}

function warn(io: CliIO, warnings: readonly Warning[]) {
  for (const w of warnings) io.stderr.write(`dedupe: warning: ${w.path}: ${w.message}\n`);
}

async function loadCorpus(paths: readonly string[], flags: { include?: string[]; exclude?: string[] }, io: CliIO) {
  const expanded = await expandPaths(paths, io);
  if (expanded.length === 0) throw new UsageError('no paths given (name files or directories, or - to read paths from stdin)');
  const found = await discoverFiles(expanded, { include: flags.include, exclude: flags.exclude });
  const read = await readDocuments(found.files, io.cwd);
  const warnings = [...found.warnings, ...read.warnings];
  if (found.files.length === 0) io.stderr.write(`dedupe: warning: no files to read in ${expanded.join(', ')}\n`);
  return { read, warnings, readErrors: read.readErrors + found.warnings.length };
}

/** Parse argv, run, render; returns the exit code. Only bin/dedupe.js sets process.exitCode. */
export async function run(argv: readonly string[], io: CliIO = defaultIO()): Promise<number> {
  let exitCode = EXIT_CLEAN;
  const program = new Command();
  program
    .name('dedupe')
    .description('Find near-duplicate articles in text files and tell article body from boilerplate.')
    .version(pkg.version, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run dedupe --help for usage)')
    .argument('[paths...]', 'files and directories to read (- reads paths from stdin)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMAT_NAMES).default('text'))
    .addOption(new Option('--keep <which>', 'which copy in a cluster to keep').choices(['longest', 'first']).default(DEFAULT_OPTIONS.keep))
    .option('--exit-zero', 'exit 0 even when near-duplicates are found')
    .option('--color', 'force colour in the text report')
    .option('--no-color', 'never colour the text report')
    .option('--show-boilerplate', 'print boilerplate segments in full')
    .option('-v, --verbose', 'show the reasons behind each label, and timing on stderr')
    .option('-q, --quiet', 'print nothing but the report');
  addInputOptions(program);
  addAnalysisOptions(program);
  program.action(async (paths: string[], flags: MainFlags) => {
    const options = analyseOptionsFrom(flags);
    const started = performance.now();
    const { read, warnings, readErrors } = await loadCorpus(paths, flags, io);
    const report = analyseCorpus(read.documents, options, { tool: { name: pkg.name, version: pkg.version }, warnings, skipped: read.skipped });
    if (!flags.quiet) warn(io, warnings);
    const color = flags.format === 'text' && shouldColor(flags.color, io.env, Boolean(io.stdout.isTTY));
    const output = REPORTERS[flags.format](report, { color, verbose: Boolean(flags.verbose), showBoilerplate: Boolean(flags.showBoilerplate) });
    exitCode = exitCodeFor(report, { readErrors, exitZero: Boolean(flags.exitZero) });
    await writeAll(io.stdout, output);
    if (flags.verbose && !flags.quiet) {
      const seconds = (performance.now() - started) / 1000;
      io.stderr.write(`dedupe: ${report.summary.documents} documents in ${seconds.toFixed(2)} s (${(report.summary.documents / seconds).toFixed(0)} documents/s)\n`);
    }
  });

  const body = new Command('body')
    .description('print the article body of each file (boilerplate removed), for piping onward')
    .argument('<files...>', 'files and directories to read (- reads paths from stdin)');
  addInputOptions(body);
  body.option('-q, --quiet', 'print no warnings');
  body.action(async (paths: string[], flags: { include?: string[]; exclude?: string[]; quiet?: boolean }) => {
    const { read, warnings, readErrors } = await loadCorpus(paths, flags, io);
    if (!flags.quiet) warn(io, warnings);
    const bodies = extractBodies(read.documents, DEFAULT_OPTIONS);
    const several = read.documents.length > 1;
    const parts = read.documents.map((doc, i) => (several ? `==> ${doc.path} <==\n` : '') + `${bodies[i]}\n`);
    exitCode = readErrors > 0 ? EXIT_ERROR : EXIT_CLEAN;
    await writeAll(io.stdout, parts.join(several ? '\n' : ''));
  });
  program.addCommand(body.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) }));

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every usage error is 2, never confused with "duplicates found".
      return error.exitCode === 0 ? EXIT_CLEAN : EXIT_ERROR;
    }
    if (error instanceof BrokenPipeError) return exitCode;
    if (error instanceof UsageError || error instanceof MissingPathError) {
      io.stderr.write(`dedupe: ${error.message}\n`);
      return EXIT_ERROR;
    }
    io.stderr.write(`dedupe: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_ERROR;
  }
}
