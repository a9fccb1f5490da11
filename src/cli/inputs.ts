// What a command reads: the paths and the text on stdin it names, read with the CLI's rules and
// messages (src/input is the library's reader underneath), and the checks on them that come
// before any report.

import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCorpus, NoInputError, type LoadedCorpus, type LoadHooks } from '../input/corpus.js';
import { decodeFile } from '../input/decode.js';
import { describeError } from '../input/discover.js';
import { tooManyLines } from '../input/lines.js';
import { DEFAULT_MAX_FILE_SIZE, mergeSides, type SourceDocument } from '../input/read.js';
import { formatSize } from '../input/size.js';
import type { Flags } from '../options/table.js';
import { DedupeError } from '../types/errors.js';
import type { ProgressCallback } from '../types/progress.js';
import { UsageError, warn } from './errors.js';
import { readAllBytes, readAllText, type CliIO } from './io.js';
import { COMMANDS, didYouMean } from './suggest.js';

type InputFlags = Pick<Flags<'body'>, 'include' | 'exclude' | 'maxFileSize' | 'allowEmpty' | 'quiet' | 'root' | 'inputFormat' | 'textField' | 'idField'>;

/** What the command line names: paths to read, and the text on stdin when a path is `-`. */
export interface Inputs {
  paths: string[];
  stdin?: SourceDocument;
}

/**
 * The paths given, plus those listed by --files-from (a file, or `-` for stdin; one per line, or
 * NUL-separated with -0); `-` among the paths is the text on stdin, one document (ripgrep's rule).
 * Stdin can be read once, so `-` and `--files-from -` do not go together.
 */
export async function gatherInputs(given: readonly string[], flags: { filesFrom?: string; null?: boolean; stdinName?: string; maxFileSize?: number }, io: CliIO): Promise<Inputs> {
  const dashes = given.filter((p) => p === '-').length;
  if (dashes > 1) throw new UsageError(`stdin can be read once: - is given ${dashes} times`);
  if (dashes === 1 && flags.filesFrom === '-') {
    throw new UsageError('stdin can be read once: give - as a path (its text is a document) or --files-from - (a list of paths), not both');
  }
  const paths = given.filter((p) => p !== '-');
  if (flags.filesFrom !== undefined) {
    let list: string;
    try {
      list = flags.filesFrom === '-' ? await readAllText(io.stdin) : await readFile(path.resolve(io.cwd, flags.filesFrom), 'utf8');
    } catch (error) {
      throw new UsageError(`--files-from ${flags.filesFrom}: cannot read the list: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (!flags.null && list.includes('\0')) {
      throw new UsageError(`--files-from ${flags.filesFrom}: the list holds NUL bytes`, 'a NUL-separated list (find -print0) needs -0');
    }
    // A loop, not push(...listed): a list of a million paths would overflow the stack.
    for (const p of flags.null ? list.split('\0') : list.split(/\r?\n/)) if (flags.null ? p !== '' : p.trim() !== '') paths.push(p);
  }
  if (dashes === 0) return { paths };
  const bytes = await readAllBytes(io.stdin);
  const name = flags.stdinName ?? '-';
  // The size cap of every file holds for stdin too (and past 512 MB no text fits in one string).
  const cap = flags.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (bytes.length > cap) throw new UsageError(`${name} (stdin): ${formatSize(bytes.length)}, over --max-file-size ${formatSize(cap)}`, 'raise --max-file-size, or split the text');
  let decoded: ReturnType<typeof decodeFile>;
  try {
    decoded = decodeFile(bytes);
  } catch (error) {
    throw new UsageError(`${name} (stdin): ${describeError(error)}`);
  }
  if (decoded.kind === 'binary') throw new UsageError(`${name} (stdin): binary data, not text`);
  const lines = tooManyLines(decoded.text);
  if (lines) throw new UsageError(`${name} (stdin): ${lines}`);
  return { paths, stdin: { path: name, bytes: bytes.length, text: decoded.text, stdin: true } };
}

/**
 * What to say when a run has nothing to read: a --files-from list that names no path, or no path
 * at all. Options that take several paths (--against) may have taken the ones meant as inputs.
 */
export function noPaths(flags: { filesFrom?: string; against?: string[] }): string {
  if (flags.filesFrom !== undefined) return `--files-from ${flags.filesFrom}: the list names no path`;
  const took = flags.against?.length ? ` (--against takes every path after it: put the paths to check before it)` : '';
  return `no paths given (name files or directories, - for the text on stdin, or --files-from)${took}`;
}

/** The corpus of the paths, with the text from stdin as one more document when `-` was given. */
export async function readInputs(
  inputs: Inputs,
  flags: InputFlags & { against?: string[] },
  io: CliIO,
  hooks: LoadHooks = {},
  onProgress?: ProgressCallback,
): Promise<LoadedCorpus> {
  if (inputs.paths.length === 0 && inputs.stdin) {
    // Stdin alone: nothing to discover, and never empty.
    hooks.beforeRead?.();
    const corpus: LoadedCorpus = { documents: [inputs.stdin], warnings: [], skipped: 0, readErrors: 0 };
    if (!flags.against?.length) return corpus;
    const baseline = await readCorpus(flags.against, { ...flags, against: undefined }, io, { readSide: hooks.readSide }, onProgress);
    refuseNameTaken(inputs.stdin, baseline.documents);
    return { ...baseline, documents: mergeSides(corpus.documents, baseline.documents) };
  }
  const corpus = await readCorpus(inputs.paths, flags, io, hooks, onProgress);
  refuseSharedNames(corpus.documents);
  if (!inputs.stdin) return corpus;
  refuseNameTaken(inputs.stdin, corpus.documents);
  const stdin = flags.against?.length ? { ...inputs.stdin, side: 'incoming' as const } : inputs.stdin;
  return { ...corpus, documents: [stdin, ...corpus.documents] };
}

/**
 * Every document has a name of its own: a file named like a record (`data.jsonl#2` beside
 * data.jsonl) would share it, and --format paths, which names documents by path, could then list
 * the file for a record's sake.
 */
function refuseSharedNames(documents: readonly SourceDocument[]): void {
  const seen = new Set<string>();
  for (const d of documents) {
    if (seen.has(d.path)) {
      throw new UsageError(`${d.path} names two documents (a file, and a record of a record file): the report could not tell them apart`, 'rename the file, or name the records by a field with --id-field');
    }
    seen.add(d.path);
  }
}

/**
 * Stdin's name (--stdin-name) must be no document's: a report, --format paths and --list-kept
 * name documents by path, and two of one name could not be told apart (the kept file left out of
 * --list-kept, a duplicate left out of paths).
 */
function refuseNameTaken(stdin: SourceDocument, documents: readonly SourceDocument[]): void {
  const taken = documents.find((d) => d.path === stdin.path || d.aliases?.includes(stdin.path));
  if (taken) throw new UsageError(`--stdin-name ${stdin.path} is the name of a file this run also reads: the report could not tell the two apart`, 'give stdin a name no input has');
}

/** No files to compare (a mistyped path, a glob that matches nothing): exit 2 unless --allow-empty. */
class EmptyInputError extends UsageError {}

/**
 * Discover and read the inputs (src/input/corpus.ts: the library's reader), with the CLI's
 * messages: a missing path and an empty input are usage errors (exit 2), the empty side's
 * warnings shown first.
 */
async function readCorpus(
  paths: readonly string[],
  flags: InputFlags & { against?: string[] },
  io: CliIO,
  hooks: LoadHooks = {},
  onProgress?: ProgressCallback,
): Promise<LoadedCorpus> {
  const { include, exclude, maxFileSize, allowEmpty, against, inputFormat, textField, idField } = flags;
  if (textField === '') throw new UsageError('--text-field needs a field name (a dotted path for nested fields)');
  if (idField === '') throw new UsageError('--id-field needs a field name (a dotted path for nested fields)');
  try {
    const load = { include, exclude, maxFileSize, allowEmpty, against, inputFormat, textField, idField, cwd: io.cwd, root: flags.root, onProgress };
    return await loadCorpus(paths, load, { ...hooks, includeName: '--include' });
  } catch (error) {
    if (error instanceof NoInputError) {
      if (!flags.quiet) warn(io, error.warnings); // an unreadable directory, say
      throw new EmptyInputError(error.message, '--allow-empty makes an empty input a clean run');
    }
    if (error instanceof DedupeError && error.code === 'PATH_NOT_FOUND') {
      // `dedupe bdy` names a path that is not there: the user meant a command.
      const missing = (error.cause as { path?: string } | undefined)?.path ?? '';
      const command = /^[a-z]+$/.test(missing) ? didYouMean(missing, COMMANDS, (c) => `dedupe ${c}`) : undefined;
      throw new UsageError(error.message, command);
    }
    throw error;
  }
}

/** More worker threads than CPUs only adds start-up time and memory: cap --jobs at the CPU count, and say so. */
export function cappedJobs(jobs: number, io: CliIO, quiet: boolean): number {
  const cpus = availableParallelism();
  if (jobs <= cpus) return jobs;
  if (!quiet) io.stderr.write(`dedupe: note: --jobs ${jobs} is more than the ${cpus} CPUs here; using ${cpus}\n`);
  return cpus;
}

/** --stdin-name names the text on stdin: given on the command line without `-`, it names nothing. */
export function checkStdinName(paths: readonly string[], stdinName: string | undefined, given: boolean): void {
  if (given && stdinName !== undefined && !paths.includes('-')) throw new UsageError(`--stdin-name ${stdinName} does nothing without - among the paths`, 'give - to read a text from stdin');
}
