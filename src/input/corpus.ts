import path from 'node:path';
import { DedupeError } from '../types/errors.js';
import type { Warning } from '../types/warning.js';
import { discoverFiles, MissingPathError, splitSides, type DiscoveredFiles } from './discover.js';
import { DEFAULT_MAX_FILE_SIZE, readDocuments, type SourceDocument } from './read.js';

export interface LoadOptions {
  /** Only files whose path (relative to the directory named) or bare name matches one of these globs. */
  include?: readonly string[];
  /** Skip files and directories matching these globs. */
  exclude?: readonly string[];
  /** Larger files are skipped with a warning. Default 256 MiB. */
  maxFileSize?: number;
  /** No files to compare is a result with a warning rather than a DedupeError('NO_INPUT'). */
  allowEmpty?: boolean;
  /** A baseline corpus: its documents are `side: 'baseline'`, the others `side: 'incoming'`. */
  against?: readonly string[];
  /** Where relative paths start, and what document paths are shown relative to. Default process.cwd(). */
  cwd?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface LoadedCorpus {
  documents: SourceDocument[];
  warnings: Warning[];
  /** Files not analysed: binary, not regular, over the size cap, unreadable. */
  skipped: number;
  /** Files or directories that could not be read at all (the CLI exits 2). */
  readErrors: number;
}

function emptyInput(paths: readonly string[], include: readonly string[] | undefined, skipped?: number): { text: string; warning: Warning } {
  const where = paths.map((p) => (p === '' ? "''" : p)).join(', ');
  const filter = include?.length ? ` matching include ${include.join(', ')}` : '';
  if (skipped === undefined) return { text: `no files to read in ${where}${filter}`, warning: { path: where, message: `no files to read${filter}` } };
  const what = `nothing to compare: ${skipped === 1 ? 'the only file was' : `all ${skipped} files were`} skipped`;
  return { text: what.replace(':', ` in ${where}:`), warning: { path: where, message: what } };
}

/**
 * Discover and read files with the CLI's input rules: directories walked (hidden entries and
 * node_modules skipped), include/exclude globs, links folded into one document with aliases,
 * non-regular, binary and oversize files skipped with a warning, encodings decoded. With
 * `against`, a file on both sides is a baseline document.
 */
export async function loadCorpus(paths: readonly string[], options: LoadOptions = {}): Promise<LoadedCorpus> {
  const cwd = options.cwd ?? process.cwd();
  // Paths are given to discovery as they were named (its warnings quote them), resolved only for another cwd.
  const onDisk = options.cwd === undefined ? (p: string) => p : (p: string) => path.resolve(cwd, p);
  const discover = async (named: readonly string[]) => {
    try {
      return await discoverFiles(named.map(onDisk), { include: options.include, exclude: options.exclude });
    } catch (error) {
      if (!(error instanceof MissingPathError)) throw error;
      const given = named.find((p) => onDisk(p) === error.path) ?? error.path;
      throw new DedupeError('PATH_NOT_FOUND', `${given}: no such file or directory`, { cause: error });
    }
  };
  const against = options.against ?? [];
  let incoming = await discover(paths);
  let baseline = against.length > 0 ? await discover(against) : undefined;
  const named = incoming.files.length;
  for (const [side, sidePaths] of [[incoming, paths], [baseline, against]] as const) {
    if (options.allowEmpty || !side || side.files.length > 0) continue;
    throw new DedupeError('NO_INPUT', emptyInput(sidePaths, options.include).text);
  }
  if (baseline) ({ incoming, baseline } = splitSides(incoming, baseline));

  const read = async (found: DiscoveredFiles, sidePaths: readonly string[], count = found.files.length) => {
    const result = await readDocuments(found.files, cwd, { onProgress: options.onProgress, aliases: found.aliases, maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE });
    const warnings = [...found.warnings, ...result.warnings];
    const readErrors = result.readErrors + found.warnings.length;
    if (count === 0 || (found.files.length > 0 && result.documents.length === 0 && readErrors === 0)) {
      const problem = emptyInput(sidePaths, options.include, count === 0 ? undefined : found.files.length);
      if (!options.allowEmpty) throw new DedupeError('NO_INPUT', problem.text);
      warnings.push(problem.warning);
    }
    return { documents: result.documents, warnings, skipped: result.skipped, readErrors };
  };
  const batch = await read(incoming, paths, named);
  if (!baseline) return batch;
  const base = await read(baseline, against);
  // Incoming first, then the baseline; a file named on both sides counts as baseline only.
  const baselinePaths = new Set(base.documents.map((d) => d.path));
  return {
    documents: [
      ...batch.documents.filter((d) => !baselinePaths.has(d.path)).map((d) => ({ ...d, side: 'incoming' as const })),
      ...base.documents.map((d) => ({ ...d, side: 'baseline' as const })),
    ],
    warnings: [...batch.warnings, ...base.warnings],
    skipped: batch.skipped + base.skipped,
    readErrors: batch.readErrors + base.readErrors,
  };
}
