// The library: data in, data out. Nothing here reads argv, writes to a stream or exits.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { bodyText, segmentCorpus } from './core/analyse.js';
import { checkOptions, DEFAULT_OPTIONS, type AnalyseOptions } from './core/options.js';
import { defaultThreads } from './core/parallel.js';
import { analyseCorpus, analyseCorpusParallel } from './report/build.js';
import { DedupeError } from './types/errors.js';
import { loadCorpus, type LoadOptions } from './input/corpus.js';
import type { SourceDocument } from './input/read.js';
import { exitCodeFor as exitCodeRule } from './report/exit-code.js';
import { INPUT_FORMATS } from './options/kinds.js';
import { FORMAT_NAMES, REPORTERS, type FormatName, type ReporterContext } from './report/formats/index.js';
import type { Report, Side } from './report/types.js';
import type { Segment } from './segment/index.js';
import type { ProgressCallback } from './types/progress.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
const TOOL = { name: pkg.name, version: pkg.version };

/** One document given as text. `path` names it in the report and must be unique. */
export interface Source {
  path: string;
  text: string;
  /** For a run against a baseline corpus: which side the document is on (default: no sides). */
  side?: Side;
}

/** The analysis options, every one optional: what is not given comes from DEFAULT_OPTIONS. */
export type Options = Partial<AnalyseOptions>;

export interface RunOptions {
  /**
   * Threads to sketch documents on (this one plus workers). Workers start only when the input is
   * large enough to pay for them (8 MB of text); 1 keeps everything on this thread.
   * Default: the CPU count, at most 8.
   */
  threads?: number;
  /**
   * Called as the run goes: `done` of `total` files read (analyseFiles) or documents labelled,
   * and as verification starts (0 of 1) and ends (1 of 1); `stage` names which.
   */
  onProgress?: ProgressCallback;
  /** Put each segment's full text in the report (`segments[].text`), as `--show-boilerplate` does. */
  segmentText?: boolean;
  /** Diff each cluster member against its representative, word by word (`clusters[].members[].diff`), as `--diff` does. */
  diff?: boolean;
}

export type AnalyseOptionsInput = Options & RunOptions;

export type FileOptions = AnalyseOptionsInput & Omit<LoadOptions, 'onProgress'>;

/** formatReport's options (all default to false). */
export type FormatOptions = Partial<ReporterContext>;

export interface ExitCodeOptions {
  /** Files that could not be read. Default: what analyseFiles counted for this report, else 0. */
  readErrors?: number;
  /** 0 even when duplicates are found. */
  exitZero?: boolean;
  /** 1 only above this many duplicate documents. Default 0. */
  maxDuplicates?: number;
}

/** A document's body and how it was segmented. */
export interface BodyResult {
  /** The body lines joined by newlines (blank lines inside kept, none leading or trailing). */
  body: string;
  /** Runs of lines labelled body or boilerplate, 1-based inclusive, with the evidence (`reasons`). */
  segments: Segment[];
  /** Lines in the document, as segments number them. */
  lines: number;
}

const OPTION_KEYS = Object.keys(DEFAULT_OPTIONS) as Array<keyof AnalyseOptions>;
const RUN_KEYS = ['threads', 'onProgress', 'segmentText', 'diff'] as const;
const LOAD_KEYS = ['include', 'exclude', 'maxFileSize', 'allowEmpty', 'against', 'cwd', 'root', 'inputFormat', 'textField', 'idField'] as const;
const FORMAT_FLAGS = ['color', 'verbose', 'showBoilerplate', 'nul', 'listKept', 'showUnique', 'summaryOnly', 'dropContained'] as const;
const FORMAT_KEYS = [...FORMAT_FLAGS, 'maxClusters', 'root'] as const;
const EXIT_KEYS = ['readErrors', 'exitZero', 'maxDuplicates'] as const;

const invalid = (message: string) => new DedupeError('INVALID_OPTION', message);
const show = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? 'an array' : String(value));

/** Throw on a key that is not one of `known` (a misspelt option must not be silently ignored). */
function checkKeys(options: unknown, known: readonly string[], what: string): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw invalid(`${what} must be an object, got ${show(options)}`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw invalid(`unknown option "${key}" (${what} are: ${known.join(', ')})`);
  }
  return options as Record<string, unknown>;
}

const isWhole = (x: unknown, min: number) => typeof x === 'number' && Number.isInteger(x) && x >= min;
const isBoolean = (x: unknown) => x === undefined || typeof x === 'boolean';
const isStrings = (x: unknown) => x === undefined || (Array.isArray(x) && x.every((s) => typeof s === 'string'));

/**
 * The analysis options in full: `options` merged over DEFAULT_OPTIONS and checked. Throws a
 * DedupeError('INVALID_OPTION') naming the first bad option.
 */
export function resolveOptions(options?: Options): AnalyseOptions {
  const given = checkKeys(options, OPTION_KEYS, 'analysis options');
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const merged = { ...DEFAULT_OPTIONS, ...defined } as AnalyseOptions;
  const problem = checkOptions(merged);
  if (problem) throw invalid(`${problem.option} ${problem.problem}`);
  return merged;
}

function splitOptions(options: unknown, extraKeys: readonly string[]) {
  const given = checkKeys(options, [...OPTION_KEYS, ...RUN_KEYS, ...extraKeys], 'options');
  const analysis: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) ((OPTION_KEYS as string[]).includes(key) ? analysis : rest)[key] = value;
  const { threads, onProgress, segmentText, diff } = rest as RunOptions;
  if (threads !== undefined && !isWhole(threads, 1)) throw invalid(`threads must be a whole number ≥ 1, got ${show(threads)}`);
  if (onProgress !== undefined && typeof onProgress !== 'function') throw invalid(`onProgress must be a function, got ${show(onProgress)}`);
  if (!isBoolean(segmentText)) throw invalid(`segmentText must be true or false, got ${show(segmentText)}`);
  if (!isBoolean(diff)) throw invalid(`diff must be true or false, got ${show(diff)}`);
  // More threads than CPUs only add start-up time and memory (the CLI caps --jobs alike): 200 on two CPUs took 26 s against 0.9 s.
  return { analysis: resolveOptions(analysis as Options), threads: Math.min(threads ?? defaultThreads(), availableParallelism()), onProgress, segmentText: segmentText ?? false, diff: diff ?? false, rest };
}

function checkSources(sources: unknown): SourceDocument[] {
  if (!Array.isArray(sources)) throw new DedupeError('INVALID_ARGUMENT', `sources must be an array of { path, text }, got ${show(sources)}`);
  const seen = new Set<string>();
  // Array.from, not map: map skips the holes of a sparse array, which must fail here as undefined.
  return Array.from(sources as unknown[], (source: unknown, i) => {
    const s = source as Partial<Source> | null;
    if (typeof s?.path !== 'string' || typeof s.text !== 'string') throw new DedupeError('INVALID_ARGUMENT', `sources[${i}] must have a string path and a string text`);
    if (s.path === '') throw new DedupeError('INVALID_ARGUMENT', `sources[${i}].path is empty (paths name documents in the report)`);
    if (seen.has(s.path)) throw new DedupeError('INVALID_ARGUMENT', `sources[${i}]: the path ${JSON.stringify(s.path)} is given twice (paths name documents in the report)`);
    if (s.side !== undefined && s.side !== 'incoming' && s.side !== 'baseline') throw new DedupeError('INVALID_ARGUMENT', `sources[${i}].side must be incoming or baseline, got ${show(s.side)}`);
    seen.add(s.path);
    return { path: s.path, text: s.text, bytes: Buffer.byteLength(s.text), ...(s.side ? { side: s.side } : {}) };
  });
}

// Reports analyseFiles made, and how many of their files could not be read (for exitCodeFor).
const readErrorsOf = new WeakMap<Report, number>();

/**
 * Find the near-duplicates among documents given as text. Asynchronous because large inputs
 * (8 MB of text and more) are sketched on worker threads; the result is the same either way.
 */
export async function analyse(sources: readonly Source[], options?: AnalyseOptionsInput): Promise<Report> {
  const docs = checkSources(sources);
  const { analysis, threads, onProgress, segmentText, diff } = splitOptions(options, []);
  const context = { tool: TOOL, onProgress, segmentText, diff };
  if (threads === 1) return analyseCorpus(docs, analysis, context);
  return analyseCorpusParallel(docs, analysis, { ...context, threads });
}

/**
 * Read files and directories as the CLI does (see FileOptions) and analyse them. Files that were
 * skipped or could not be read are in `report.warnings` and `report.summary.skipped`.
 */
export async function analyseFiles(paths: readonly string[], options?: FileOptions): Promise<Report> {
  if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string')) {
    throw new DedupeError('INVALID_ARGUMENT', `paths must be a non-empty array of file or directory paths, got ${show(paths)}`);
  }
  const { analysis, threads, onProgress, segmentText, diff, rest } = splitOptions(options, LOAD_KEYS);
  const load = rest as LoadOptions;
  if (!isStrings(load.include)) throw invalid('include must be an array of globs');
  if (!isStrings(load.exclude)) throw invalid('exclude must be an array of globs');
  if (!isStrings(load.against)) throw invalid('against must be an array of paths');
  if (load.maxFileSize !== undefined && !isWhole(load.maxFileSize, 1)) throw invalid(`maxFileSize must be a whole number of bytes ≥ 1, got ${show(load.maxFileSize)}`);
  if (!isBoolean(load.allowEmpty)) throw invalid(`allowEmpty must be true or false, got ${show(load.allowEmpty)}`);
  if (load.cwd !== undefined && typeof load.cwd !== 'string') throw invalid(`cwd must be a directory path, got ${show(load.cwd)}`);
  if (load.root !== undefined && typeof load.root !== 'string') throw invalid(`root must be a directory path, got ${show(load.root)}`);
  if (load.inputFormat !== undefined && !(INPUT_FORMATS as readonly string[]).includes(load.inputFormat)) {
    throw invalid(`inputFormat must be one of ${INPUT_FORMATS.join(', ')}, got ${show(load.inputFormat)}`);
  }
  for (const key of ['textField', 'idField'] as const) {
    if (load[key] !== undefined && (typeof load[key] !== 'string' || load[key] === '')) throw invalid(`${key} must be a field name (a dotted path for nested fields), got ${show(load[key])}`);
  }
  const corpus = await loadCorpus(paths, { ...load, onProgress });
  const report = await analyseCorpusParallel(corpus.documents, analysis, {
    tool: TOOL,
    warnings: corpus.warnings,
    skipped: corpus.skipped,
    onProgress,
    threads,
    segmentText,
    diff,
  });
  readErrorsOf.set(report, corpus.readErrors);
  return report;
}

/**
 * One document's body: its lines labelled body, and every segment with the evidence for its label.
 * On one document alone there is no corpus evidence (lines recurring across an outlet's pages);
 * extractBodies has it. Only the `boilerplate` option changes the result (false: all of it is body).
 */
export function extractBody(text: string, options?: Options): BodyResult {
  if (typeof text !== 'string') throw new DedupeError('INVALID_ARGUMENT', `text must be a string, got ${show(text)}`);
  return extractBodies([{ path: 'document', text }], options)[0] as BodyResult;
}

/** The body of each document, with template lines found across the corpus (as `dedupe body` does). */
export function extractBodies(sources: readonly Source[], options?: Options): BodyResult[] {
  const docs = checkSources(sources);
  return segmentCorpus(docs, resolveOptions(options)).map(({ lines, segments }) => ({ body: bodyText(lines, segments), segments, lines: lines.length }));
}

/** Render a report in one of the CLI's output formats: text, json, ndjson, sarif, github, markdown, codeclimate, junit, paths, html. */
export function formatReport(report: Report, format: FormatName, options?: FormatOptions): string {
  if (!(FORMAT_NAMES as readonly string[]).includes(format as string)) throw invalid(`format must be one of ${FORMAT_NAMES.join(', ')}, got ${show(format)}`);
  const given = checkKeys(options, FORMAT_KEYS, 'format options');
  for (const key of FORMAT_FLAGS) if (!isBoolean(given[key])) throw invalid(`${key} must be true or false, got ${show(given[key])}`);
  if (given.maxClusters !== undefined && !isWhole(given.maxClusters, 0)) throw invalid(`maxClusters must be a whole number ≥ 0, got ${show(given.maxClusters)}`);
  if (given.root !== undefined && (typeof given.root !== 'string' || !path.isAbsolute(given.root))) throw invalid(`root must be an absolute directory path, got ${show(given.root)}`);
  checkReport(report);
  const context: ReporterContext = {
    color: Boolean(given.color),
    verbose: Boolean(given.verbose),
    showBoilerplate: Boolean(given.showBoilerplate),
    nul: Boolean(given.nul),
    listKept: Boolean(given.listKept),
    dropContained: Boolean(given.dropContained),
    showUnique: Boolean(given.showUnique),
    summaryOnly: Boolean(given.summaryOnly),
    ...(given.maxClusters !== undefined ? { maxClusters: given.maxClusters as number } : {}),
    ...(given.root !== undefined ? { root: given.root as string } : {}),
  };
  return REPORTERS[format](report, context);
}

/** The CLI's exit code for a report: 2 if files could not be read, 1 if more duplicates than allowed, else 0. */
export function exitCodeFor(report: Report, options?: ExitCodeOptions): number {
  checkReport(report);
  const given = checkKeys(options, EXIT_KEYS, 'exit code options');
  if (given.readErrors !== undefined && !isWhole(given.readErrors, 0)) throw invalid(`readErrors must be a whole number ≥ 0, got ${show(given.readErrors)}`);
  if (given.maxDuplicates !== undefined && !isWhole(given.maxDuplicates, 0)) throw invalid(`maxDuplicates must be a whole number ≥ 0, got ${show(given.maxDuplicates)}`);
  if (!isBoolean(given.exitZero)) throw invalid(`exitZero must be true or false, got ${show(given.exitZero)}`);
  return exitCodeRule(report, {
    readErrors: (given.readErrors as number | undefined) ?? readErrorsOf.get(report) ?? 0,
    exitZero: Boolean(given.exitZero),
    maxDuplicates: (given.maxDuplicates as number | undefined) ?? 0,
  });
}

function checkReport(report: unknown): asserts report is Report {
  const r = report as Partial<Report> | null;
  const clustersOk = Array.isArray(r?.clusters) && r.clusters.every((c) => typeof c?.representative === 'string' && Array.isArray(c.members));
  const summaryOk = typeof r?.summary === 'object' && r.summary !== null && ['documents', 'clusters', 'duplicates', 'unique'].every((k) => typeof (r.summary as unknown as Record<string, unknown>)[k] === 'number');
  if (typeof r !== 'object' || r === null || !summaryOk || !clustersOk || !Array.isArray(r.documents) || typeof r.params !== 'object' || r.params === null) {
    throw new DedupeError('INVALID_ARGUMENT', 'report must be a Report (from analyse or analyseFiles, or its JSON parsed)');
  }
}
