import { DedupeError } from '../types/errors.js';
import type { ProgressCallback } from '../types/progress.js';
import type { Warning } from '../types/warning.js';
import { discoverFiles, MissingPathError, splitSides, type DiscoveredFiles } from './discover.js';
import { DEFAULT_MAX_FILE_SIZE, mergeSides, planReads, readDocuments, type SideReader, type SourceDocument } from './read.js';
import type { InputFormat } from '../options/kinds.js';
import { recordFormatOf } from './records.js';

export interface LoadOptions {
  /** Only files whose path (relative to the directory named) or bare name matches one of these globs. */
  include?: readonly string[];
  /** Skip files and directories matching these globs. */
  exclude?: readonly string[];
  /** Larger files are skipped with a warning; in a record file, larger records. Default 256 MiB. */
  maxFileSize?: number;
  /**
   * How files are read: `auto` (default) reads .jsonl/.ndjson, .json, .csv, .tsv and .parquet
   * files as records (each record a document named `file#id`) and other files as text; `text`
   * reads every file as one text document; a record format reads every file as such records.
   */
  inputFormat?: InputFormat;
  /** The field holding a record's text; a dotted path reaches into nested objects. Default `text`. */
  textField?: string;
  /** The field holding a record's id; default its position (JSONL line, CSV/TSV data row, JSON item, Parquet row). */
  idField?: string;
  /** No files to compare is a result with a warning rather than a DedupeError('NO_INPUT'). */
  allowEmpty?: boolean;
  /** A baseline corpus: its documents are `side: 'baseline'`, the others `side: 'incoming'`. */
  against?: readonly string[];
  /** Where relative paths start. Default process.cwd(). */
  cwd?: string;
  /**
   * What document paths are shown relative to (itself relative to `cwd`). Default `cwd`. A file
   * outside it is shown by its absolute path, never as `../../…`.
   */
  root?: string;
  /** Called as each file is read (stage `reading`). */
  onProgress?: ProgressCallback;
}

export interface LoadedCorpus {
  documents: SourceDocument[];
  warnings: Warning[];
  /** Files not analysed: binary, not regular, over the size cap, unreadable. */
  skipped: number;
  /** Files or directories that could not be read at all (the CLI exits 2). */
  readErrors: number;
}

/** The sides as discovery found them, before a file on both is given to the baseline. */
export interface DiscoveredSides {
  incoming: DiscoveredFiles;
  baseline?: DiscoveredFiles;
}

/** What a caller that is not the library (the CLI) adds to a load. */
export interface LoadHooks {
  /**
   * Called once every input is discovered, before the input is checked or any file is read;
   * what it throws stops the load (the CLI refuses an --output that is one of the inputs here).
   */
  onDiscovered?: (found: DiscoveredSides) => void | Promise<void>;
  /** Called once the input is known to hold files, before the first is read. */
  beforeRead?: () => void;
  /** Called as the files named are found, with their bytes and count so far (see DiscoverOptions.onStat). */
  onDiscovering?: (bytes: number, files: number) => void;
  /** How the include globs are named in messages (default `include`; the CLI's is `--include`). */
  includeName?: string;
  /**
   * Reads a side's files (default: one at a time on this thread, texts kept). The CLI's reads
   * and sketches them at once, letting texts go (core's StreamingBuild).
   */
  readSide?: SideReader;
}

/**
 * NO_INPUT: no files to compare. `warnings` are what the empty side gave (an unreadable
 * directory, skipped files), which a caller may want to show with the error.
 */
export class NoInputError extends DedupeError {
  constructor(
    message: string,
    readonly warnings: readonly Warning[],
  ) {
    super('NO_INPUT', message);
  }
}

/**
 * What is wrong with an empty input: no files in `paths` (skipped undefined), or `skipped` files
 * all skipped. `filter` is how the include globs are said (` matching --include *.md`), or ''.
 */
function emptyInput(paths: readonly string[], filter: string, skipped?: number, records = false): { text: string; warning: Warning } {
  const where = paths.map((p) => (p === '' ? "''" : p)).join(', ');
  if (skipped === undefined) return { text: `no files to read in ${where}${filter}`, warning: { path: where, message: `no files to read${filter}` } };
  // A record file gives no document when it holds no readable record, without being skipped.
  const what = `nothing to compare: ${skipped === 1 ? 'the only file was' : `all ${skipped} files were`} skipped${records ? ' or held no readable record' : ''}`;
  return { text: what.replace(':', ` in ${where}:`), warning: { path: where, message: what } };
}

/**
 * Discover and read files with the CLI's input rules: directories walked (hidden entries and
 * node_modules skipped), include/exclude globs, links folded into one document with aliases,
 * non-regular, binary and oversize files skipped with a warning, encodings decoded. With
 * `against`, a file on both sides is a baseline document. A named path that does not exist is
 * DedupeError('PATH_NOT_FOUND'); an input with no file to compare is a NoInputError (NO_INPUT)
 * unless `allowEmpty`. The one reader: the library's analyseFiles and the CLI both load here.
 */
export async function loadCorpus(paths: readonly string[], options: LoadOptions = {}, hooks: LoadHooks = {}): Promise<LoadedCorpus> {
  const cwd = options.cwd ?? process.cwd();
  const filter = options.include?.length ? ` matching ${hooks.includeName ?? 'include'} ${options.include.join(', ')}` : '';
  // Paths go to discovery as they were named (its warnings and errors quote them).
  const discover = async (named: readonly string[], onStat?: LoadHooks['onDiscovering']) => {
    try {
      return await discoverFiles(named, { include: options.include, exclude: options.exclude, cwd: options.cwd, onStat });
    } catch (error) {
      if (!(error instanceof MissingPathError)) throw error;
      throw new DedupeError('PATH_NOT_FOUND', error.message, { cause: error });
    }
  };
  const against = options.against ?? [];
  let incoming = await discover(paths, hooks.onDiscovering);
  let baseline = against.length > 0 ? await discover(against) : undefined;
  // Every input is known before any is read.
  await hooks.onDiscovered?.({ incoming, ...(baseline ? { baseline } : {}) });
  const named = incoming.files.length;
  // Nothing to read is known before reading.
  for (const [side, sidePaths] of [[incoming, paths], [baseline, against]] as const) {
    if (options.allowEmpty || !side || side.files.length > 0) continue;
    throw new NoInputError(emptyInput(sidePaths, filter).text, side.warnings);
  }
  const emptied: Warning[] = [];
  if (baseline) {
    ({ incoming, baseline } = splitSides(incoming, baseline));
    // Every incoming file is also a baseline file (an incoming folder inside the baseline's): a
    // check of nothing, which must not pass a CI gate as a clean run.
    if (named > 0 && incoming.files.length === 0) {
      const where = paths.join(', ');
      const message = `nothing to check: ${named === 1 ? 'the only file is' : `all ${named} files are`} also in the baseline (--against ${against.join(', ')})`;
      if (!options.allowEmpty) throw new NoInputError(message.replace(':', ` in ${where}:`), incoming.warnings);
      emptied.push({ path: where, message });
    }
  }
  hooks.beforeRead?.();

  /** One side read; `count` is the files its paths held before --against moved some to the baseline. */
  const read = async (found: DiscoveredFiles, sidePaths: readonly string[], count = found.files.length): Promise<LoadedCorpus> => {
    const readOptions = {
      onProgress: options.onProgress,
      aliases: found.aliases,
      stats: found.stats,
      maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
      root: options.root,
      inputFormat: options.inputFormat,
      textField: options.textField,
      idField: options.idField,
    };
    let bytes = 0;
    for (const file of found.files) bytes += found.stats.get(file)?.size ?? 0;
    const result = hooks.readSide
      ? await hooks.readSide(planReads(found.files, cwd, readOptions), { ...readOptions, bytes })
      : await readDocuments(found.files, cwd, readOptions);
    const warnings = [...found.warnings, ...result.warnings];
    const readErrors = result.readErrors + found.warnings.length;
    // Unreadable files are errors of their own (the CLI exits 2, with the report); an input that
    // holds no file at all, or only files that were skipped or could not be read, gives nothing
    // to compare (said even with --quiet, where a report of nothing would explain no exit 2).
    if (count === 0 || (found.files.length > 0 && result.documents.length === 0)) {
      const records = found.files.some((f) => recordFormatOf(f, options.inputFormat) !== undefined);
      const problem = emptyInput(sidePaths, filter, count === 0 ? undefined : found.files.length, records);
      if (!options.allowEmpty) throw new NoInputError(problem.text, warnings);
      warnings.push(problem.warning);
    }
    return { documents: result.documents, warnings, skipped: result.skipped, readErrors };
  };
  const batch = await read(incoming, paths, named);
  if (!baseline) return batch;
  const base = await read(baseline, against);
  return {
    documents: mergeSides(batch.documents, base.documents),
    warnings: [...emptied, ...batch.warnings, ...base.warnings],
    skipped: batch.skipped + base.skipped,
    readErrors: batch.readErrors + base.readErrors,
  };
}
