import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { documentLines, isLabelled, unlabelledWarningsOfSketches } from '../core/document.js';
import { bodyText } from '../core/analyse.js';
import type { AnalyseOptions } from '../core/options.js';
import type { LoadHooks } from '../input/corpus.js';
import { DEFAULT_MAX_FILE_SIZE, displayPath, rereadInOrder } from '../input/read.js';
import { describeParams, reportForWriting, reportStreamed, type WritableReport } from '../report/build.js';
import { describeDocument } from '../report/describe.js';
import { StreamingBuild } from '../core/parallel.js';
import { visible, visibleLines } from '../report/escape.js';
import { REPORTERS } from '../report/formats/index.js';
import { count, plural } from '../report/numbers.js';
import { jsonChunks } from '../report/formats/json.js';
import { sarifChunks } from '../report/formats/sarif.js';
import { codeClimateChunks } from '../report/formats/codeclimate.js';
import { ndjsonChunks, streamNdjson } from '../report/formats/ndjson.js';
import { SCHEMA_VERSION, type DocumentReport, type Pair, type Report, type Warning } from '../report/types.js';
import { DedupeError } from '../types/errors.js';
import { shouldColor } from './color.js';
import { applyConfig, configPathFromArgv, DEFAULT_CONFIG_FILE, readConfigFile } from './config.js';
import { EXIT_CLEAN, EXIT_ERROR, exitCodeFor } from './exit-code.js';
import { BrokenPipeError, PacedWriter, writeAll, writeInPieces, type CliIO } from './io.js';
import { addOptions, analyseOptionsFrom as optionsFromFlags, flagOf, OptionValueError, subcommandFlags, type Flags } from './options.js';
import { filesRead, inputAt, outputFlag, outputRefusal, WRITE_HINT, writeReportFile, type Guarded } from './output.js';
import { CliError, errorLines, fromCommander, OutputError, UsageError, warn } from './errors.js';
import { cappedJobs, checkStdinName, gatherInputs, noPaths, readInputs } from './inputs.js';
import { createProgress } from './progress.js';
import { COMMANDS, didYouMean } from './suggest.js';
import { camel, ENTRIES } from '../options/table.js';
import { addShardCommands } from './shards.js';
import type { AddSummary } from './index-command.js';
import type { IndexStore } from '../index/store.js';
import { formatSize } from '../input/size.js';
import { defaultJobs } from '../options/table.js';

export type { CliIO } from './io.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

const defaultIO = (): CliIO => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  now: () => performance.now(),
});

/** The flags of each command, typed from the option table (src/options/table.ts). */
type MainFlags = Flags<'main'>;
type BodyFlags = Flags<'body'>;

function analyseOptionsFrom(flags: MainFlags | BodyFlags | Flags<'index'>): AnalyseOptions {
  try {
    return optionsFromFlags(flags);
  } catch (error) {
    if (error instanceof OptionValueError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * An option given on the command line that does nothing in the chosen format (`--max-clusters`
 * with JSON, `-0` without `--format paths`) is a usage error: the user expected it to act.
 */
function checkFormatOptions(flags: MainFlags, given: (key: string) => boolean): void {
  for (const [name, spec] of ENTRIES) {
    if (!spec.formats || spec.formats.includes(flags.format) || !given(camel(name))) continue;
    if (spec.type.kind === 'boolean' && flags[camel(name) as keyof MainFlags] === false) continue; // --no-color: nothing asked
    const formats = spec.formats.map((f) => `--format ${f}`).join(' or ');
    throw new UsageError(`${flagOf(name)} does nothing with --format ${flags.format}`, `it applies to ${formats}`);
  }
  if (flags.diff && given('diff') && flags.index !== undefined) {
    throw new UsageError('--diff does nothing with --index: an index keeps no text of its documents to compare', 'check with --against to see the differences');
  }
  if (flags.null && given('null') && flags.format !== 'paths' && flags.filesFrom === undefined) {
    throw new UsageError(`-0 does nothing with --format ${flags.format} and no --files-from`, 'it applies to --format paths (NUL after each path) and --files-from (a NUL-separated list)');
  }
}

/**
 * A config file that loosens the gate (exit-zero, max-duplicates) is said on stderr: it sits in
 * the working directory, where a pull request can add one, and would otherwise pass a CI gate in
 * silence.
 */
function noteGateFromConfig(flags: MainFlags, fromConfig: (key: string) => boolean, io: CliIO): void {
  if (flags.quiet) return;
  const loosened = [
    ...(flags.exitZero && fromConfig('exitZero') ? ['exit-zero: findings do not fail the run'] : []),
    ...(flags.maxDuplicates !== undefined && fromConfig('maxDuplicates') ? [`max-duplicates ${flags.maxDuplicates}: up to that many duplicates pass`] : []),
  ];
  for (const what of loosened) io.stderr.write(`dedupe: note: the config file ${visible(flags.config ?? DEFAULT_CONFIG_FILE)} sets ${what}\n`);
}

/** --root must name a directory: paths are shown relative to it. */
async function checkRoot(root: string | undefined, io: CliIO): Promise<void> {
  if (root === undefined) return;
  const info = await stat(path.resolve(io.cwd, root)).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`--root ${root}: ${info ? 'not a directory' : 'no such directory'}`, 'report paths are shown relative to the --root directory');
}

async function runMain(paths: string[], given: MainFlags, io: CliIO): Promise<number> {
  const out = outputFlag(given.output);
  if (out.error) throw new UsageError(out.error);
  const flags: MainFlags = { ...given, output: out.output };
  const options = analyseOptionsFrom(flags);
  if (flags.dropContained && !(options.containment > 0)) throw new UsageError('--drop-contained needs --containment <t> (the contained documents it would drop)');
  await checkRoot(flags.root, io);
  const threads = cappedJobs(flags.jobs, io, Boolean(flags.quiet));
  if (flags.index !== undefined && flags.against?.length) throw new UsageError('--index and --against do not go together: the index is the baseline');
  // The index is searched by similarity bands only: a containment in an indexed document would go
  // unseen and the gate pass. Refused rather than half done.
  if (flags.index !== undefined && options.containment > 0) {
    throw new UsageError('--containment does not search an index: documents lying inside indexed ones (or holding them) would go unseen', 'check containment with --against the indexed files');
  }
  if (flags.update && flags.index === undefined) throw new UsageError('--update adds the checked files to an index: give --index FILE');
  await refuseOutputOver(flags, [
    ...(flags.index === undefined
      ? []
      : [
          { path: flags.index, what: 'the index' },
          { path: `${flags.index}.payloads`, what: "the index's payloads" },
          { path: `${flags.index}.wal`, what: "the index's log" },
        ]),
  ], io);
  // Opened (and its parameters checked) before anything is read; DuckDB is loaded only here.
  const index = flags.index === undefined ? undefined : await openIndexFor(flags.index, options, Boolean(flags.update), io);
  try {
    return await runMainWith(paths, flags, options, threads, io, index);
  } finally {
    index?.close();
  }
}

/**
 * The report is never written over a file the run reads besides its inputs (those are checked
 * once found, see onDiscovered): the config file, the --files-from list, and `also` (an index
 * and its payloads). Checked before anything is read.
 */
async function refuseOutputOver(flags: { output?: string; config?: string; filesFrom?: string }, also: readonly Guarded[], io: Pick<CliIO, 'cwd'>): Promise<void> {
  const refusal = flags.output && (await outputRefusal(flags.output, [...filesRead(flags), ...also], io.cwd));
  if (refusal) throw new UsageError(refusal.message, refusal.hint);
}

async function openIndexFor(file: string, options: AnalyseOptions, write: boolean, io: CliIO): Promise<IndexStore> {
  const { openIndex } = await import('./index-command.js');
  try {
    return await openIndex(path.resolve(io.cwd, file), options, write);
  } catch (error) {
    return asUsageError(file, io)(error);
  }
}

async function runMainWith(paths: string[], flags: MainFlags, options: AnalyseOptions, threads: number, io: CliIO, index: IndexStore | undefined): Promise<number> {
  const started = io.now();
  const incoming = await gatherInputs(paths, flags, io);
  if (incoming.paths.length === 0 && !incoming.stdin) throw new UsageError(noPaths(flags));
  const progress = createProgress(io.stderr, io.env, Boolean(flags.quiet), undefined, io.now);
  const tool = { name: pkg.name, version: pkg.version };

  // NDJSON on stdout streams: each message goes out as soon as the pipeline knows it.
  let stream: ReturnType<typeof ndjsonStream> | undefined;
  const hooks: LoadHooks = {
    // Every input is known before any is read: the report must never be written over one.
    onDiscovered: async ({ incoming: found, baseline }) => {
      if (!flags.output) return;
      const input = await inputAt(flags.output, baseline ? [found, baseline] : [found], io.cwd);
      if (input !== undefined) {
        throw new UsageError(
          `--output ${flags.output} is the input ${displayPath(input, io.cwd, flags.root)}: refusing to write the report over it`,
          'write the report outside the folders being read',
        );
      }
    },
    // Nothing to read is known before reading: no NDJSON begins for a run that is an error.
    beforeRead: () => {
      if (flags.format === 'ndjson' && !flags.output) stream = ndjsonStream(io, tool, options);
    },
  };
  // Without an index, files are read where they are sketched and their texts let go at once.
  const recordOptions = { textField: flags.textField, idField: flags.idField, maxRecordSize: flags.maxFileSize ?? DEFAULT_MAX_FILE_SIZE };
  const build = index ? undefined : new StreamingBuild(options, threads, undefined, recordOptions);
  hooks.readSide = build?.readSide;
  hooks.onDiscovering = build?.warmUp;
  // The HTML report shows every document's boilerplate and every member's diff (an index keeps no
  // text to diff against: with --index, no diffs).
  const segmentText = Boolean(flags.showBoilerplate) || flags.format === 'html';
  // NDJSON gives each document as soon as its labels are final: as it is read with boilerplate
  // detection off, once the corpus evidence is in with it on. With a baseline or stdin the
  // documents' order is only known at the end, and a segment's text (--show-boilerplate) is read
  // again for the report: then they go out with it.
  const streamsDocuments = Boolean(build) && !flags.against?.length && !incoming.stdin && !segmentText;
  if (build && streamsDocuments) build.onFinal = (docs, sketches) => stream?.described(docs.length, (i) => describeDocument(docs[i]!, sketches[i]!));
  try {
    const corpus = await readInputs(incoming, flags, io, hooks, progress.update).catch((error: unknown) => {
      progress.stop();
      throw error;
    });
    const { documents, warnings, skipped, readErrors } = corpus;

    const context = {
      tool,
      warnings,
      skipped,
      onProgress: progress.update,
      onDocuments: streamsDocuments ? undefined : stream?.documents,
      onPairs: stream?.pairs,
      // The documents are the CLI's own: once described, their texts are never read again (with an
      // index; without, the streaming build let them go once sketched).
      onTextsRead: () => documents.forEach((doc) => (doc.text = '')),
      threads,
      segmentText,
      diff: !index && (Boolean(flags.diff) || flags.format === 'html'),
    };
    // JSON goes out a piece at a time, and streamed NDJSON has sent its documents already: neither
    // needs them all held at the end of the run.
    const writesDocumentsOnce = !segmentText && !context.diff && (flags.format === 'json' || (flags.format === 'ndjson' && stream !== undefined && streamsDocuments));
    const report: Report | WritableReport = await (index
      ? (await import('./index-command.js')).reportAgainstIndex(documents, index, options, { ...context, cwd: io.cwd, ...(flags.root === undefined ? {} : { root: flags.root }) })
      : build!.corpus(documents, progress.update).then((state): Report | WritableReport | Promise<Report> =>
          // A writer that reads the documents once, in order, gets them described on the way out.
          writesDocumentsOnce ? reportForWriting(state, context) : reportStreamed(state, context, recordOptions),
        )
    ).catch((error: unknown) => {
      progress.stop();
      throw error;
    });
    // The bar and other stderr lines never share the terminal's line: it goes first.
    progress.stop();
    // The input's warnings, and the analysis's (a containment search stopped at a cap).
    if (!flags.quiet) warn(io, report.warnings);
    progress.update(0, 1, 'writing');

    const exitCode = await deliverReport(report, flags, io, readErrors, stream, progress.stop);
    if (index && flags.update && incoming.paths.length > 0) {
      // Only a batch that passed the check joins the index: adding a failed one would make the
      // next check of the same files pass (they would count as indexed).
      if (exitCode !== EXIT_CLEAN) {
        if (!flags.quiet) io.stderr.write(`dedupe: --update: nothing added to ${visible(flags.index as string)}: the check did not pass (exit ${exitCode})\n`);
      } else {
        const { addToIndex } = await import('./index-command.js');
        const addWarnings: Warning[] = [];
        const added = await addToIndex(index, incoming.paths, options, { ...flags, threads, cwd: io.cwd }, addWarnings);
        if (!flags.quiet) {
          warn(io, addWarnings);
          io.stderr.write(`dedupe: ${describeAdd(added, flags.index as string)}\n`);
        }
      }
    }
    if (flags.verbose && !flags.quiet) {
      const seconds = (io.now() - started) / 1000;
      const { documents: n } = report.summary;
      io.stderr.write(`dedupe: ${plural(n, 'document')} in ${seconds.toFixed(2)} s (${count(Math.round(n / seconds))} documents/s)\n`);
    }
    return exitCode;
  } finally {
    // The workers go, whatever happened.
    await build?.close();
  }
}

/** The flags that say how a report is written and gated (the main command's and `report`'s). */
type DeliveryFlags = Pick<
  MainFlags,
  'format' | 'output' | 'color' | 'verbose' | 'null' | 'exitZero' | 'maxDuplicates' | 'listKept' | 'maxClusters' | 'showUnique' | 'summary' | 'root'
> & { showBoilerplate?: boolean; dropContained?: boolean };

/**
 * Render the report in its format, write it to --output or stdout, and return the exit code.
 * `beforeWrite` runs just before the output goes out (the progress bar leaves the terminal first).
 */
async function deliverReport(
  report: Report | WritableReport,
  flags: DeliveryFlags,
  io: CliIO,
  readErrors: number,
  stream?: ReturnType<typeof ndjsonStream>,
  beforeWrite?: () => void,
): Promise<number> {
  const color = flags.format === 'text' && !flags.output && shouldColor(flags.color, io.env, Boolean(io.stdout.isTTY));
  // The machine formats go out a piece at a time: on a large corpus the whole text is hundreds of megabytes.
  const root = path.resolve(io.cwd, flags.root ?? '.');
  const chunked: Partial<Record<MainFlags['format'], () => Iterable<string>>> = {
    json: () => jsonChunks(report),
    ndjson: () => ndjsonChunks(held(report)),
    sarif: () => sarifChunks(held(report), root),
    codeclimate: () => codeClimateChunks(held(report)),
  };
  if (stream) await stream.flushed();
  const output = stream ? stream.rest(report) : chunked[flags.format]?.() ?? REPORTERS[flags.format](held(report), {
    color,
    verbose: Boolean(flags.verbose),
    showBoilerplate: Boolean(flags.showBoilerplate),
    nul: Boolean(flags.null),
    listKept: Boolean(flags.listKept),
    dropContained: Boolean(flags.dropContained),
    maxClusters: flags.maxClusters,
    showUnique: Boolean(flags.showUnique),
    summaryOnly: Boolean(flags.summary),
    root,
  });
  const exitCode = exitCodeFor(report, { readErrors, exitZero: Boolean(flags.exitZero), maxDuplicates: flags.maxDuplicates });
  beforeWrite?.(); // before stdout, which may be the same terminal
  await writeOutput(flags, output, io);
  return exitCode;
}

/** The report with its documents in an array: what every writer but JSON and streamed NDJSON reads (see reportForWriting). */
function held(report: Report | WritableReport): Report {
  if (!Array.isArray(report.documents)) throw new Error('internal error: this format needs the documents held (reportStreamed, not reportForWriting)');
  return report as Report;
}

/** The report to --output or stdout; a reader that went away (`| head`) is a quiet end. */
async function writeOutput(flags: Pick<MainFlags, 'output'>, output: string | Iterable<string>, io: CliIO): Promise<void> {
  if (flags.output) {
    try {
      await writeReportFile(flags.output, output, io);
    } catch (error) {
      if (error instanceof BrokenPipeError) return; // --output /dev/stdout into `| head`
      throw new OutputError(`${flags.output}: cannot write the report: ${(error as Error).message}`, WRITE_HINT);
    }
  } else {
    try {
      await writeInPieces(typeof output === 'string' ? [output] : output, (text) => writeAll(io.stdout, text));
    } catch (error) {
      if (error instanceof BrokenPipeError) return;
      throw error;
    }
  }
}

/**
 * Writes NDJSON messages as the core reports each part, never faster than stdout takes them
 * (PacedWriter: a document is described only when its turn to be written comes); `rest` gives
 * what only the end knows, once `flushed`. Written as they came, stdout's queue held every message
 * the run made while the pipeline kept the thread busy: on the benchmark corpus, 624 MB peak to a
 * pipe against 494–509 MB to /dev/null.
 */
function ndjsonStream(io: CliIO, tool: Report['tool'], options: AnalyseOptions) {
  const paced = new PacedWriter(io.stdout);
  const write = (text: string) => {
    io.stdout.write(text, () => {}); // a failed write (EPIPE) surfaces at the final, awaited write
  };
  const stream = streamNdjson({ schemaVersion: SCHEMA_VERSION, tool, params: describeParams(options) }, write);
  // Parts of some tens of kilobytes: a whole corpus's pairs in one part would fill the queue again.
  const PART = 64;
  /** Documents final in this order, each described when its turn to be written comes. */
  const described = (count: number, describe: (i: number) => DocumentReport) => {
    for (let from = 0; from < count; from += PART) {
      const to = Math.min(count, from + PART);
      paced.later(() => stream.documents(Array.from({ length: to - from }, (_, i) => describe(from + i))));
    }
  };
  return {
    described,
    documents: (docs: readonly DocumentReport[]) => described(docs.length, (i) => docs[i]!),
    pairs: (pairs: readonly Pair[]) => {
      for (let from = 0; from < pairs.length; from += 4 * PART) paced.later(() => stream.pairs(pairs.slice(from, from + 4 * PART)));
    },
    flushed: () => paced.flushed(),
    rest: stream.rest,
  };
}

async function runBody(paths: string[], flags: BodyFlags, options: AnalyseOptions, io: CliIO): Promise<number> {
  await checkRoot(flags.root, io);
  const inputs = await gatherInputs(paths, flags, io);
  if (inputs.paths.length === 0 && !inputs.stdin) throw new UsageError(noPaths(flags));
  // As the report does: each file is read where it is labelled and its text let go; the bodies are
  // cut from the texts read again, one at a time, as they are written.
  const recordOptions = { textField: flags.textField, idField: flags.idField, maxRecordSize: flags.maxFileSize ?? DEFAULT_MAX_FILE_SIZE };
  const build = new StreamingBuild(options, cappedJobs(flags.jobs, io, Boolean(flags.quiet)), undefined, recordOptions);
  // The bar (a terminal's stderr, runs over a second) goes before the first warning or body.
  const progress = createProgress(io.stderr, io.env, Boolean(flags.quiet), undefined, io.now);
  try {
    const { documents, warnings, readErrors } = await readInputs(inputs, flags, io, { readSide: build.readSide, onDiscovering: build.warmUp }, progress.update);
    const { sketches } = await build.corpus(documents, progress.update).finally(() => progress.stop());
    // A document too long to label is all body: said, as the report says it. So is one whose
    // labelled body is too small to trust (the report compares its whole text): its body, printed
    // as labelled, may be empty or miss the article.
    const untrusted: Warning[] = [];
    if (options.boilerplate && options.compare === 'body') {
      sketches.forEach((sketch, i) => {
        if (sketch.compared === 'full' && isLabelled(sketch.lineCount, options)) {
          untrusted.push({ path: documents[i]!.path, message: `${sketch.comparedReason.replace(/: full text compared$/, '')}: printed as labelled (--no-boilerplate prints the whole text)` });
        }
      });
    }
    if (!flags.quiet) warn(io, [...warnings, ...unlabelledWarningsOfSketches(documents, sketches, options), ...untrusted]);
    const several = documents.length > 1;
    const changed: Warning[] = [];
    // The bodies are the output, as `cat` would give them; the headers are for reading. Written
    // some tens of kilobytes at a time, as the texts are read again.
    let pending = '';
    let printed = 0;
    let d = 0;
    try {
      for await (const text of rereadInOrder(documents, recordOptions)) {
        const doc = documents[d]!;
        const segments = sketches[d++]!.segments;
        if (text === undefined) {
          changed.push({ path: doc.path, message: 'changed or gone while dedupe ran: its body is not printed' });
          continue;
        }
        if (several) pending += `${printed > 0 ? '\n' : ''}==> ${visible(doc.path)} <==\n`;
        pending += `${bodyText(documentLines(text), segments)}\n`;
        printed++;
        if (pending.length >= 1 << 16) {
          const piece = pending;
          pending = '';
          await writeAll(io.stdout, piece);
        }
      }
      await writeAll(io.stdout, pending);
    } catch (error) {
      if (!(error instanceof BrokenPipeError)) throw error;
    }
    if (!flags.quiet) warn(io, changed);
    return readErrors > 0 || changed.length > 0 ? EXIT_ERROR : EXIT_CLEAN;
  } finally {
    progress.stop();
    await build.close();
  }
}

function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  // Usage errors quote the arguments given.
  // Commander's usage errors are printed in the CLI's one style (errors.ts), arguments quoted visibly.
  const output = {
    writeOut: (s: string) => io.stdout.write(s),
    writeErr: (s: string) => io.stderr.write(visibleLines(s)),
    outputError: (s: string, write: (s: string) => void) => {
      const { message, hint } = fromCommander(s);
      write(errorLines(message, hint));
    },
  };
  const program = new Command()
    .name('dedupe')
    .description('Find near-duplicate articles in text files and tell article body from boilerplate.')
    .version(pkg.version, '-V, --version')
    .exitOverride()
    .configureOutput(output)
    .helpCommand(false)
    .argument('[paths...]', 'files and directories to read (- is the text on stdin, one document)');
  addOptions(program, 'main');
  program.action(async (paths: string[], flags: MainFlags) => {
    checkFormatOptions(flags, (key) => program.getOptionValueSource(key) === 'cli');
    checkStdinName(paths, flags.stdinName, program.getOptionValueSource('stdinName') === 'cli');
    noteGateFromConfig(flags, (key) => program.getOptionValueSource(key) === 'config', io);
    setExit(await runMain(paths, flags, io));
  });

  const body = new Command('body')
    .description('print the article body of each file (boilerplate removed), for piping onward')
    .argument('[files...]', 'files and directories to read (- is the text on stdin, one document)')
    .exitOverride()
    .configureOutput(output);
  addOptions(body, 'body');
  // The analysis options (shingles, threshold, sketch…) apply too: the bodies are the ones the
  // main report describes. The main command takes the options wherever they stand, so each
  // value comes from whichever command holds it from the stronger source.
  body.action(async (paths: string[]) => {
    // A report option given on the command line (`dedupe body --format json`) would do nothing here.
    for (const [name, spec] of ENTRIES) {
      if (spec.commands.includes('body') || program.getOptionValueSource(camel(name)) !== 'cli') continue;
      throw new UsageError(`${flagOf(name)} does nothing with dedupe body`, 'dedupe body prints bodies; dedupe help body lists its options');
    }
    const flags = subcommandFlags(body, program, 'body');
    checkStdinName(paths, flags.stdinName, [body, program].some((c) => c.getOptionValueSource('stdinName') === 'cli'));
    setExit(await runBody(paths, flags, analyseOptionsFrom(flags), io));
  });
  program.addCommand(body);

  // `dedupe help [command]`: a subcommand of its own, so a misspelt command gets the one error style.
  const help = new Command('help')
    .description('show the help of dedupe or of a command')
    .argument('[command]', 'the command (body, index, sketch, pairs, report)')
    .exitOverride()
    .configureOutput(output)
    .action((name?: string) => {
      if (name === undefined || name === 'help') return program.outputHelp();
      const command = program.commands.find((c) => c.name() === name && c.name() !== 'help');
      if (!command) throw new UsageError(`no command ${name}`, didYouMean(name, COMMANDS) ?? `the commands are ${COMMANDS.join(', ')}`);
      command.outputHelp();
    });
  program.addCommand(help);

  addShardCommands(program, {
    io,
    setExit,
    tool: { name: pkg.name, version: pkg.version },
    usageError: (message, hint?: string) => new UsageError(message, hint),
    output,
    gatherInputs,
    readInputs,
    analyseOptionsFrom,
    cappedJobs,
    warn,
    deliverReport,
  });

  program.addCommand(indexCommand(program, output, setExit, io));
  return program;
}

/** What an `index add` did, in one line. */
function describeAdd(added: AddSummary, file: string): string {
  const parts = [`${added.added} added`, `${added.replaced} replaced`, `${added.unchanged} unchanged`];
  if (added.pruned) parts.push(`${added.pruned} pruned`);
  if (added.dropped) parts.push(`${added.dropped} dropped (changed, not indexable now)`);
  if (added.skipped) parts.push(`${added.skipped} skipped`);
  return `index ${visible(file)}: ${parts.join(', ')}; ${added.documents} documents`;
}

type IndexFlags = Flags<'index'>;

/** `dedupe index add|stats|export`: the persistent index (DuckDB, loaded only by these commands and --index). */
function indexCommand(program: Command, output: { writeOut: (s: string) => void; writeErr: (s: string) => void }, setExit: (code: number) => void, io: CliIO): Command {
  const index = new Command('index').description('a persistent index of a corpus (DuckDB file): add files, show its figures, export it as Parquet').exitOverride().configureOutput(output);
  const sub = (name: string, description: string, argument?: [string, string]) => {
    const command = new Command(name).description(description).exitOverride().configureOutput(output);
    if (argument) command.argument(...argument);
    addOptions(command, 'index');
    index.addCommand(command);
    return command;
  };
  const indexFile = (flags: IndexFlags) => {
    if (flags.index === undefined) throw new UsageError('give the index file: --index FILE');
    return flags.index;
  };
  const flagsOf = (command: Command) => {
    const flags = subcommandFlags(command, program, 'index');
    if (flags.side !== undefined && command.name() !== 'export') throw new UsageError(`--side is for dedupe index export (the export's side), not dedupe index ${command.name()}`);
    // The index commands print text or JSON; a report format from the config file is for reports.
    if (flags.format !== 'text' && flags.format !== 'json') {
      if ([command, program].some((c) => c.getOptionValueSource('format') === 'cli')) throw new UsageError(`dedupe index ${command.name()} prints text or json, not ${flags.format}`);
      flags.format = 'text';
    }
    return flags;
  };

  const add = sub('add', 'add files to the index (unchanged files are skipped, changed ones replaced), in one transaction', ['[paths...]', 'files and directories to add']);
  add.action(async (paths: string[]) => {
    const flags = flagsOf(add);
    const file = indexFile(flags);
    const options = analyseOptionsFrom(flags);
    const threads = defaultJobs(); // index add has no --jobs: one thread per CPU, at most 8
    const inputs = await gatherInputs(paths, flags, io);
    if (inputs.stdin) throw new UsageError('dedupe index add reads files: the text on stdin (-) has no file to index');
    if (inputs.paths.length === 0) throw new UsageError('no paths given (name files or directories, or --files-from)');
    const store = await openIndexFor(file, options, true, io);
    try {
      const { addToIndex, MissingPathError } = await import('./index-command.js');
      const warnings: Warning[] = [];
      const added = await addToIndex(store, inputs.paths, options, { ...flags, threads, cwd: io.cwd }, warnings).catch((error: unknown) => {
        if (error instanceof MissingPathError) throw new UsageError(error.message);
        throw error;
      });
      if (!flags.quiet) warn(io, warnings);
      if (flags.format === 'json') await writeAll(io.stdout, `${JSON.stringify({ ...added, index: file }, null, 2)}\n`);
      else if (!flags.quiet) io.stderr.write(`dedupe: ${describeAdd(added, file)}\n`);
      setExit(added.readErrors > 0 ? EXIT_ERROR : EXIT_CLEAN);
    } finally {
      store.close();
    }
  });

  const stats = sub('stats', 'print what the index holds: documents, size on disk, parameters');
  stats.action(async () => {
    const flags = flagsOf(stats);
    const file = indexFile(flags);
    const { IndexStore } = await import('../index/store.js');
    const store = await IndexStore.open(path.resolve(io.cwd, file), { write: false }).catch(asUsageError(file, io));
    try {
      const figures = await store.stats();
      const text =
        flags.format === 'json'
          ? `${JSON.stringify({ index: file, ...figures }, null, 2)}\n`
          : [`index: ${visible(file)}`, `documents: ${figures.documents}`, `band keys: ${figures.bands}`, `size on disk: ${formatSize(figures.bytes)} (${figures.bytes} bytes)`, `  of it the payloads file: ${formatSize(figures.payloads.bytes)} (${figures.payloads.bytes} bytes, ${figures.payloads.dead} dead: of replaced or pruned documents)`, 'parameters:', ...Object.entries(figures.params).map(([k, v]) => `  ${k}: ${v}`)].join('\n') + '\n';
      await writeAll(io.stdout, text);
      setExit(EXIT_CLEAN);
    } finally {
      store.close();
    }
  });

  const exporter = sub('export', 'write the index as a shard of Parquet tables, as dedupe sketch --parquet does (for dedupe pairs and sql/pairs.sql)', ['<dir>', 'directory to write the Parquet files into']);
  exporter.action(async (dir: string) => {
    const flags = flagsOf(exporter);
    const file = indexFile(flags);
    await checkRoot(flags.root, io);
    const { IndexStore } = await import('../index/store.js');
    const { indexParams } = await import('../index/record.js');
    const { exportIndex } = await import('./index-command.js');
    const { ParquetError } = await import('./parquet.js');
    const store = await IndexStore.open(path.resolve(io.cwd, file), { write: false }).catch(asUsageError(file, io));
    try {
      // The run's options, checked against the index's as every index command checks them (an
      // option given is never ignored). The threshold, which the SQL verifies with, is the run's:
      // the index holds it only as bands × rows.
      const options = analyseOptionsFrom(flags);
      await store.checkParams(indexParams(options)).catch(asUsageError(file, io));
      const tool = { name: pkg.name, version: pkg.version };
      const written = await exportIndex(store, path.resolve(io.cwd, dir), options, { tool, cwd: io.cwd, root: flags.root, side: flags.side, label: dir }).catch((error: unknown) => {
        if (error instanceof ParquetError) throw new UsageError(error.message);
        throw error;
      });
      if (!flags.quiet) io.stderr.write(`dedupe: exported ${written} documents into ${visible(dir)} (the tables of dedupe sketch --parquet)\n`);
      setExit(EXIT_CLEAN);
    } finally {
      store.close();
    }
  });
  return index;
}

/**
 * Index errors (busy, not an index, other parameters, cannot be opened) are exit 2, named by the
 * path as given; only other parameters are about the options, and get the help as a hint.
 */
const asUsageError = (file: string, io: CliIO) => (error: unknown): never => {
  if (!(error instanceof DedupeError)) throw error;
  // The index's messages say what to do (use its options, build a new one, wait): no --help hint.
  throw new CliError(error.message.replace(path.resolve(io.cwd, file), file));
};


/** Parse argv, run, render; returns the exit code. Only bin/dedupe.js sets process.exitCode. */
export async function run(argv: readonly string[], given?: CliIO): Promise<number> {
  let io: CliIO;
  try {
    io = given ?? defaultIO();
  } catch (error) {
    // process.cwd() fails once the working directory is deleted: no relative path can be resolved.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    process.stderr.write(errorLines('the working directory no longer exists', 'cd to a directory that exists and run again'));
    return EXIT_ERROR;
  }
  let exitCode = EXIT_CLEAN;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    const named = configPathFromArgv(argv);
    const file = named ?? DEFAULT_CONFIG_FILE;
    const config = await readConfigFile(named ?? `${io.cwd}/${DEFAULT_CONFIG_FILE}`, named !== undefined, io.cwd);
    // Every key is checked against the option table and set on each command that takes it;
    // `dedupe body` ignores the keys about the report (format, gate…).
    if (config) applyConfig([program, ...program.commands], config, file);
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every usage error is 2, never confused with "duplicates found".
      return error.exitCode === 0 ? EXIT_CLEAN : EXIT_ERROR;
    }
    if (error instanceof CliError) {
      io.stderr.write(errorLines(visible(error.message), error.hint && visible(error.hint)));
      return EXIT_ERROR;
    }
    if (error instanceof RangeError && /Invalid string length/.test(error.message)) {
      // V8 caps one string at about 512 MB: a report that big is a request for every pair of a huge cluster.
      io.stderr.write(errorLines('the report is too large to write (over 512 MB of text)', 'without --all-pairs, a cluster lists at most 2(n - 1) pairs'));
      return EXIT_ERROR;
    }
    const failed = error as NodeJS.ErrnoException;
    if (failed?.syscall === 'write' && typeof failed.code === 'string') {
      // stdout on a full disk or a dead device (--output has its own message): an I/O error, not a bug.
      io.stderr.write(errorLines(`cannot write the output: ${visible(failed.message)}`));
      return EXIT_ERROR;
    }
    io.stderr.write(errorLines(`internal error: ${visibleLines(error instanceof Error ? (error.stack ?? error.message) : String(error))}`, 'this is a bug in dedupe: please report it with the command that caused it'));
    return EXIT_ERROR;
  }
}
