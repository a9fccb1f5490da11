import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { extractBodies } from '../core/analyse.js';
import { describeParams } from '../core/analyse.js';
import { DEFAULT_OPTIONS, validateOptions, type AnalyseOptions } from '../core/options.js';
import { analyseCorpusParallel, defaultThreads } from '../core/parallel.js';
import { discoverFiles, MissingPathError, splitSides, type DiscoveredFiles } from '../input/discover.js';
import { DEFAULT_MAX_FILE_SIZE, displayPath, readDocuments, type SourceDocument } from '../input/read.js';
import { parseSize } from '../input/size.js';
import { visible, visibleLines } from '../report/escape.js';
import { FORMAT_NAMES, REPORTERS, type FormatName } from '../report/formats/index.js';
import { beginMessage, clusterMessage, documentMessage, formatNdjsonMessage, pairMessage, summaryMessage } from '../report/formats/ndjson.js';
import { SCHEMA_VERSION, type DocumentReport, type Pair, type Report, type Warning } from '../report/types.js';
import { SKETCH_KINDS, type SketchKind } from '../sketch/index.js';
import { shouldColor } from './color.js';
import { applyConfig, ConfigError, configPathFromArgv, DEFAULT_CONFIG_FILE, readConfigFile } from './config.js';
import { EXIT_CLEAN, EXIT_ERROR, exitCodeFor } from './exit-code.js';
import { BrokenPipeError, readAllText, writeAll } from './io.js';
import { inputAt, writeReportFile } from './output.js';
import { createProgress } from './progress.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

/**
 * The streams, environment, working directory and clock the CLI may touch; tests pass their own.
 * Relative paths (inputs, --output, --config) are resolved against `cwd`.
 */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Milliseconds from an arbitrary start, for the timing line (-v) and the progress bar's delay. */
  now: () => number;
}

const defaultIO = (): CliIO => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  now: () => performance.now(),
});

/** A usage error found after parsing (a bad option value): exit 2 with one line. */
class UsageError extends Error {}

/** An output file that could not be written: exit 2, nothing left behind. */
class OutputError extends Error {}

const number = (name: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} takes a number, got "${value}".`);
  return n;
};
const collect = (value: string, previous: string[] = []) => [...previous, value];
const size = (name: string) => (value: string) => {
  const n = parseSize(value);
  if (n === undefined || n < 1) throw new InvalidArgumentError(`${name} takes a size in bytes, or with K, M or G (e.g. 64M), got "${value}".`);
  return n;
};

/** Long options whose values are numbers or lists, for checking a config file's types. */
const NUMERIC_OPTIONS = new Set(['--jobs', '--ngram', '--num-perm', '--seed', '--threshold', '--recall', '--max-duplicates']);
const LIST_OPTIONS = new Set(['--include', '--exclude', '--against']);
const SIZE_OPTIONS = new Set(['--max-file-size']);

interface MainFlags {
  format: FormatName;
  output?: string;
  threshold: number;
  ngram: number;
  shingle: 'word' | 'char';
  numPerm: number;
  sketch: SketchKind;
  seed: number;
  recall: number;
  keep?: 'longest' | 'first' | true;
  compare: 'body' | 'full';
  boilerplate: boolean;
  include?: string[];
  exclude?: string[];
  maxFileSize: number;
  allowEmpty?: boolean;
  against?: string[];
  maxDuplicates: number;
  jobs: number;
  exitZero?: boolean;
  null?: boolean;
  color?: boolean;
  showBoilerplate?: boolean;
  allPairs?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

interface InputFlags {
  include?: string[];
  exclude?: string[];
  maxFileSize: number;
  allowEmpty?: boolean;
  quiet?: boolean;
}

type BodyFlags = InputFlags;

function addInputOptions(command: Command): Command {
  return command
    .option('--include <glob>', 'only read files matching the glob (repeatable)', collect)
    .option('--exclude <glob>', 'skip files and directories matching the glob (repeatable)', collect)
    .option('--max-file-size <size>', `skip larger files with a warning (bytes, or 64K, 64M, 1G)`, size('--max-file-size'), DEFAULT_MAX_FILE_SIZE)
    .option('--allow-empty', 'no files to compare is a clean run (exit 0, with a warning) rather than an error (exit 2)');
}

function analyseOptionsFrom(flags: MainFlags): AnalyseOptions {
  const options: AnalyseOptions = {
    shingle: flags.shingle,
    ngram: flags.ngram,
    numPerm: flags.numPerm,
    sketch: flags.sketch,
    seed: flags.seed,
    threshold: flags.threshold,
    recall: flags.recall,
    keep: flags.keep === 'first' ? 'first' : 'longest',
    compare: flags.compare,
    segmentText: Boolean(flags.showBoilerplate),
    boilerplate: flags.boilerplate,
    allPairs: Boolean(flags.allPairs),
  };
  const problem = validateOptions(options);
  if (problem) throw new UsageError(problem);
  if (!Number.isInteger(flags.jobs) || flags.jobs < 1) throw new UsageError(`--jobs must be a whole number ≥ 1, got ${flags.jobs}`);
  if (!Number.isInteger(flags.maxDuplicates) || flags.maxDuplicates < 0) {
    throw new UsageError(`--max-duplicates must be a whole number ≥ 0, got ${flags.maxDuplicates}`);
  }
  return options;
}

/** Expand `-` into the newline-separated paths read from stdin. */
async function expandPaths(paths: readonly string[], io: CliIO): Promise<string[]> {
  if (!paths.includes('-')) return [...paths];
  const listed = (await readAllText(io.stdin)).split(/\r?\n/).filter((p) => p.trim() !== '');
  return paths.flatMap((p) => (p === '-' ? listed : [p]));
}

// Everything written to stderr goes through visible(): it quotes file names, which may hold escapes.
function warn(io: CliIO, warnings: readonly Warning[]) {
  for (const w of warnings) io.stderr.write(`dedupe: warning: ${visible(w.path)}: ${visible(w.message)}\n`);
}

interface LoadedCorpus {
  documents: SourceDocument[];
  warnings: Warning[];
  skipped: number;
  readErrors: number;
}

const discover = (paths: readonly string[], flags: { include?: string[]; exclude?: string[] }, io: CliIO) =>
  discoverFiles(paths, { include: flags.include, exclude: flags.exclude, cwd: io.cwd });

/** No files to compare (a mistyped path, a glob that matches nothing): exit 2 unless --allow-empty. */
class EmptyInputError extends UsageError {}

/** What is wrong with an empty input: no files in `paths` (skipped undefined), or `skipped` files all skipped. */
function emptyInput(paths: readonly string[], flags: InputFlags, skipped?: number): { text: string; warning: Warning } {
  const where = paths.map((p) => (p === '' ? "''" : p)).join(', ');
  const filter = flags.include?.length ? ` matching --include ${flags.include.join(', ')}` : '';
  if (skipped === undefined) return { text: `no files to read in ${where}${filter}`, warning: { path: where, message: `no files to read${filter}` } };
  const what = `nothing to compare: ${skipped === 1 ? 'the only file was' : `all ${skipped} files were`} skipped`;
  return { text: `${what.replace(':', ` in ${where}:`)}`, warning: { path: where, message: what } };
}

async function readCorpus(
  paths: readonly string[],
  found: DiscoveredFiles,
  flags: InputFlags,
  io: CliIO,
  onProgress?: (done: number, total: number) => void,
  /** Files the paths held before --against moved some to the baseline. */
  named = found.files.length,
): Promise<LoadedCorpus> {
  const read = await readDocuments(found.files, io.cwd, { onProgress, aliases: found.aliases, maxFileSize: flags.maxFileSize });
  const warnings = [...found.warnings, ...read.warnings];
  const readErrors = read.readErrors + found.warnings.length;
  // Unreadable files are errors of their own (exit 2, with the report); an input that holds no
  // file at all, or only files that were skipped, gives nothing to compare.
  if (named === 0 || (found.files.length > 0 && read.documents.length === 0 && readErrors === 0)) {
    const problem = emptyInput(paths, flags, named === 0 ? undefined : found.files.length);
    if (!flags.allowEmpty) {
      if (!flags.quiet) warn(io, warnings);
      throw new EmptyInputError(`${problem.text} (--allow-empty accepts an empty input)`);
    }
    warnings.push(problem.warning);
  }
  return { documents: read.documents, warnings, skipped: read.skipped, readErrors };
}

/** More worker threads than CPUs only adds start-up time and memory: cap --jobs at the CPU count, and say so. */
function cappedJobs(jobs: number, io: CliIO, quiet: boolean): number {
  const cpus = availableParallelism();
  if (jobs <= cpus) return jobs;
  if (!quiet) io.stderr.write(`dedupe: note: --jobs ${jobs} is more than the ${cpus} CPUs here; using ${cpus}\n`);
  return cpus;
}

async function runMain(paths: string[], flags: MainFlags, io: CliIO): Promise<number> {
  const options = analyseOptionsFrom(flags);
  const threads = cappedJobs(flags.jobs, io, Boolean(flags.quiet));
  const started = io.now();
  const incoming = await expandPaths(paths, io);
  if (incoming.length === 0) throw new UsageError('no paths given (name files or directories, or - to read paths from stdin)');
  const progress = createProgress(io.stderr, io.env, Boolean(flags.quiet), undefined, io.now);
  const tool = { name: pkg.name, version: pkg.version };

  // Every input is known before any is read: the report must never be written over one.
  let found = await discover(incoming, flags, io);
  let baselineFound = flags.against?.length ? await discover(flags.against, flags, io) : undefined;
  if (flags.output) {
    const input = await inputAt(flags.output, baselineFound ? [found, baselineFound] : [found], io.cwd);
    if (input !== undefined) {
      throw new UsageError(`--output ${flags.output} is the input ${displayPath(input, io.cwd)}: refusing to write the report over it`);
    }
  }
  const named = found.files.length;
  // Nothing to read is known before reading: no NDJSON begins for a run that is an error.
  for (const [side, sidePaths] of [[found, incoming], [baselineFound, flags.against ?? []]] as const) {
    if (flags.allowEmpty || !side || side.files.length > 0) continue;
    if (!flags.quiet) warn(io, side.warnings); // an unreadable directory, say
    throw new EmptyInputError(`${emptyInput(sidePaths, flags).text} (--allow-empty accepts an empty input)`);
  }
  if (baselineFound) ({ incoming: found, baseline: baselineFound } = splitSides(found, baselineFound));
  // NDJSON on stdout streams: each message goes out as soon as the pipeline knows it.
  const stream = flags.format === 'ndjson' && !flags.output ? ndjsonStream(io, tool, options) : undefined;

  const stopOnError = (error: unknown): never => {
    progress.stop();
    throw error;
  };
  const batch = await readCorpus(incoming, found, flags, io, progress.update, named).catch(stopOnError);
  let documents = batch.documents;
  let { warnings, skipped, readErrors } = batch;
  if (baselineFound) {
    // Incoming first, then the baseline; a file named on both sides counts as baseline only.
    const baseline = await readCorpus(flags.against ?? [], baselineFound, flags, io, progress.update).catch(stopOnError);
    const baselinePaths = new Set(baseline.documents.map((d) => d.path));
    documents = [
      ...documents.filter((d) => !baselinePaths.has(d.path)).map((d) => ({ ...d, side: 'incoming' as const })),
      ...baseline.documents.map((d) => ({ ...d, side: 'baseline' as const })),
    ];
    warnings = [...warnings, ...baseline.warnings];
    skipped += baseline.skipped;
    readErrors += baseline.readErrors;
  }

  const report = await analyseCorpusParallel(documents, options, {
    tool,
    warnings,
    skipped,
    onProgress: progress.update,
    onDocuments: stream?.documents,
    onPairs: stream?.pairs,
    threads,
  });
  progress.stop();
  if (!flags.quiet) warn(io, warnings);

  const color = flags.format === 'text' && !flags.output && shouldColor(flags.color, io.env, Boolean(io.stdout.isTTY));
  const output = stream ? stream.rest(report) : REPORTERS[flags.format](report, {
    color,
    verbose: Boolean(flags.verbose),
    showBoilerplate: Boolean(flags.showBoilerplate),
    nul: Boolean(flags.null),
    listKept: flags.keep !== undefined,
  });
  const exitCode = exitCodeFor(report, { readErrors, exitZero: Boolean(flags.exitZero), maxDuplicates: flags.maxDuplicates });
  if (flags.output) {
    try {
      await writeReportFile(flags.output, output, io);
    } catch (error) {
      if (error instanceof BrokenPipeError) return exitCode; // --output /dev/stdout into `| head`
      throw new OutputError(`${flags.output}: cannot write the report: ${(error as Error).message}`);
    }
  } else {
    try {
      await writeAll(io.stdout, output);
    } catch (error) {
      if (error instanceof BrokenPipeError) return exitCode;
      throw error;
    }
  }
  if (flags.verbose && !flags.quiet) {
    const seconds = (io.now() - started) / 1000;
    const { documents: n } = report.summary;
    io.stderr.write(`dedupe: ${n} documents in ${seconds.toFixed(2)} s (${Math.round(n / seconds)} documents/s)\n`);
  }
  return exitCode;
}

/** Writes NDJSON messages as the core reports each part; `rest` gives what only the end knows. */
function ndjsonStream(io: CliIO, tool: Report['tool'], options: AnalyseOptions) {
  const write = (text: string) => {
    io.stdout.write(text, () => {}); // a failed write (EPIPE) surfaces at the final, awaited write
  };
  write(formatNdjsonMessage(beginMessage({ schemaVersion: SCHEMA_VERSION, tool, params: describeParams(options) })));
  return {
    documents: (docs: DocumentReport[]) => write(docs.map((d) => formatNdjsonMessage(documentMessage(d))).join('')),
    pairs: (pairs: Pair[]) => write(pairs.map((p) => formatNdjsonMessage(pairMessage(p))).join('')),
    rest: (report: Report) => [...report.clusters.map(clusterMessage), summaryMessage(report)].map(formatNdjsonMessage).join(''),
  };
}

async function runBody(paths: string[], flags: BodyFlags, options: AnalyseOptions, io: CliIO): Promise<number> {
  const expanded = await expandPaths(paths, io);
  const { documents, warnings, readErrors } = await readCorpus(expanded, await discover(expanded, flags, io), flags, io);
  if (!flags.quiet) warn(io, warnings);
  const bodies = extractBodies(documents, options);
  const several = documents.length > 1;
  // The bodies are the output, as `cat` would give them; the headers are for reading.
  const parts = documents.map((doc, i) => (several ? `==> ${visible(doc.path)} <==\n` : '') + `${bodies[i]}\n`);
  const exitCode = readErrors > 0 ? EXIT_ERROR : EXIT_CLEAN;
  try {
    await writeAll(io.stdout, parts.join(several ? '\n' : ''));
  } catch (error) {
    if (!(error instanceof BrokenPipeError)) throw error;
  }
  return exitCode;
}

function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  // Usage errors quote the arguments given.
  const output = { writeOut: (s: string) => io.stdout.write(s), writeErr: (s: string) => io.stderr.write(visibleLines(s)) };
  const program = new Command()
    .name('dedupe')
    .description('Find near-duplicate articles in text files and tell article body from boilerplate.')
    .version(pkg.version, '-V, --version')
    .exitOverride()
    .configureOutput(output)
    .showHelpAfterError('(run dedupe --help for usage)')
    .argument('[paths...]', 'files and directories to read (- reads paths from stdin)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMAT_NAMES).default('text'))
    .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
    .option('--config <file>', `read options from a JSON file (default: ./${DEFAULT_CONFIG_FILE} if present)`)
    .option('--against <paths...>', 'baseline corpus: report only clusters with an incoming (positional) document')
    .option('-t, --threshold <t>', 'report pairs with Jaccard similarity at or above t', number('--threshold'), DEFAULT_OPTIONS.threshold)
    .option('--max-duplicates <n>', 'fail (exit 1) only above n duplicate documents', number('--max-duplicates'), 0)
    .option('--exit-zero', 'exit 0 even when near-duplicates are found')
    .addOption(new Option('--compare <text>', 'compare the article body or the full text').choices(['body', 'full']).default(DEFAULT_OPTIONS.compare))
    .addOption(
      new Option('--keep [which]', 'which copy of a cluster to keep; with --format paths, list the files to keep').choices(['longest', 'first']),
    )
    .option('--no-boilerplate', 'skip boilerplate detection: every line is body (faster; implies comparing full texts)')
    .option('-0, --null', 'with --format paths: end each path with NUL (for xargs -0)')
    .addOption(new Option('--shingle <kind>', 'shingle words or characters').choices(['word', 'char']).default(DEFAULT_OPTIONS.shingle))
    .option('--ngram <n>', 'shingle length in words (or characters)', number('--ngram'), DEFAULT_OPTIONS.ngram)
    .option('--num-perm <k>', 'signature slots (MinHash permutations)', number('--num-perm'), DEFAULT_OPTIONS.numPerm)
    .addOption(
      new Option('--sketch <kind>', 'signatures: oph (one hash per shingle) or minhash (one per slot)')
        .choices(SKETCH_KINDS)
        .default(DEFAULT_OPTIONS.sketch),
    )
    .option('--seed <n>', 'seed for the signature hashes', number('--seed'), DEFAULT_OPTIONS.seed)
    .option('--recall <p>', 'chance that a pair exactly at the threshold becomes a candidate', number('--recall'), DEFAULT_OPTIONS.recall)
    .option('-j, --jobs <n>', 'worker threads for large runs', number('--jobs'), defaultThreads())
    .option('--color', 'force colour in the text report')
    .option('--no-color', 'never colour the text report')
    .option('--all-pairs', 'list every verified pair (n(n-1)/2 for a cluster of n copies), not a spanning set per cluster')
    .option('--show-boilerplate', 'print boilerplate segments in full')
    .option('-v, --verbose', 'show the reasons behind each label, and timing on stderr')
    .option('-q, --quiet', 'print nothing but the report');
  addInputOptions(program);
  program.action(async (paths: string[], flags: MainFlags) => setExit(await runMain(paths, flags, io)));

  const body = new Command('body')
    .description('print the article body of each file (boilerplate removed), for piping onward')
    .argument('<files...>', 'files and directories to read (- reads paths from stdin)')
    .option('-q, --quiet', 'print no warnings')
    .option('--config <file>', `read options from a JSON file (default: ./${DEFAULT_CONFIG_FILE} if present)`)
    .exitOverride()
    .configureOutput(output);
  addInputOptions(body);
  // The analysis options (shingles, threshold, sketch…) come from the main command, which holds
  // the config file's values: the bodies are the ones the main report describes.
  // The main command shares the input options' names and takes them wherever they stand
  // (`dedupe body dir --include '*.md'`): a value it holds that body has only by default wins.
  body.action(async (paths: string[], flags: BodyFlags) => {
    const merged: Record<string, unknown> = { ...flags };
    for (const option of body.options) {
      const key = option.attributeName();
      const ownSource = body.getOptionValueSource(key);
      const mainSource = program.getOptionValueSource(key);
      if ((ownSource === undefined || ownSource === 'default') && mainSource !== undefined && mainSource !== 'default') merged[key] = program.getOptionValue(key);
    }
    setExit(await runBody(paths, merged as unknown as BodyFlags, analyseOptionsFrom(program.opts() as MainFlags), io));
  });
  program.addCommand(body);
  return program;
}

/** Parse argv, run, render; returns the exit code. Only bin/dedupe.js sets process.exitCode. */
export async function run(argv: readonly string[], io: CliIO = defaultIO()): Promise<number> {
  let exitCode = EXIT_CLEAN;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    const named = configPathFromArgv(argv);
    const file = named ?? DEFAULT_CONFIG_FILE;
    const config = await readConfigFile(named ?? `${io.cwd}/${DEFAULT_CONFIG_FILE}`, named !== undefined, io.cwd);
    if (config) {
      const kinds = { numeric: NUMERIC_OPTIONS, lists: LIST_OPTIONS, sizes: SIZE_OPTIONS };
      // Every key is checked against the main command; `dedupe body` also takes the keys it has
      // itself (include, exclude, quiet) and ignores the ones about the report (format, gate…).
      applyConfig(program, config, file, kinds);
      if (argv[0] === 'body') {
        const body = program.commands.find((c) => c.name() === 'body') as Command;
        const own = Object.entries(config).filter(([key]) => body.options.some((o) => o.long === `--${key}` || o.attributeName() === key));
        applyConfig(body, Object.fromEntries(own), file, kinds);
      }
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every usage error is 2, never confused with "duplicates found".
      return error.exitCode === 0 ? EXIT_CLEAN : EXIT_ERROR;
    }
    if (error instanceof UsageError || error instanceof MissingPathError || error instanceof ConfigError || error instanceof OutputError) {
      io.stderr.write(`dedupe: ${visible(error.message)}\n`);
      return EXIT_ERROR;
    }
    if (error instanceof RangeError && /Invalid string length/.test(error.message)) {
      // V8 caps one string at about 512 MB: a report that big is a request for every pair of a huge cluster.
      io.stderr.write('dedupe: the report is too large to write (over 512 MB of text); without --all-pairs, a cluster lists at most 2(n - 1) pairs\n');
      return EXIT_ERROR;
    }
    io.stderr.write(`dedupe: internal error: ${visibleLines(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
    return EXIT_ERROR;
  }
}
