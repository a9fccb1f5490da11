import { closeSync, constants, createReadStream, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { ProgressCallback } from '../types/progress.js';
import type { Warning } from '../types/warning.js';
import { BINARY_SNIFF_BYTES, decodeFile, looksBinary } from './decode.js';
import { tooManyLines } from './lines.js';
import { describeError, pathIn, type FileStat } from './discover.js';
import { readRecords, RecordFileError, recordFormatOf, type RecordFormat, type RecordInfo, type RecordOptions } from './records.js';
import { formatSize } from './size.js';
import type { InputFormat } from '../options/kinds.js';

import { DEFAULT_MAX_FILE_SIZE } from '../options/table.js';

export { DEFAULT_MAX_FILE_SIZE };

export interface SourceDocument {
  /** Display path: relative to the working directory, with `/` separators. */
  path: string;
  bytes: number;
  text: string;
  /** Other paths of the same file (symlinks to it, hard links), as display paths, sorted. */
  aliases?: string[];
  /** With --against: whether the file is in the incoming batch or the baseline corpus. */
  side?: 'incoming' | 'baseline';
  /** Not a file on disk (the text read from stdin): never the copy to keep while a file is a member. */
  stdin?: boolean;
  /** A record of a record file (JSONL, CSV, Parquet…): its file, id and position. `path` is `file#id`. */
  record?: RecordInfo;
  /**
   * Where the text is read again when it was let go once sketched (`text` is then ''): the
   * pipeline reads a file where it sketches it, and only the report's words need it again.
   */
  origin?: TextOrigin;
}

/** How to read a document's text again, and what it was (a file that changed since is noticed). */
export interface TextOrigin {
  /** The file as this process opens it. */
  reach: string;
  /** A record file's format and the record's position in it (see RecordInfo.position). */
  format?: RecordFormat;
  position?: number;
  /** The text's length and textCheck when it was sketched. */
  length: number;
  check: number;
}

/** A 32-bit FNV-1a of a text's UTF-16 code units: tells a re-read text from the one sketched. */
function textCheck(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Where `text` was read (a text file, or a record of one), to read it again and know it for the same. */
export function originOf(text: string, reach: string, record?: { format: RecordFormat; position: number }): TextOrigin {
  // Field by field, not a spread: a spread's fields went to a properties array of their own (40 bytes a document).
  const length = text.length;
  const check = textCheck(text);
  return record ? { reach, format: record.format, position: record.position, length, check } : { reach, length, check };
}

/** One input file, planned: how this process reaches it, how the report names it, how it is read. */
export interface ReadTask {
  reach: string;
  shown: string;
  /** Other display paths of the same file. */
  aliases?: string[];
  /** Records of this format; undefined: the file is one text document. */
  format?: RecordFormat;
  side?: 'incoming' | 'baseline';
  /**
   * A regular file when last seen (discovery's stat, or an earlier read): opened without a stat
   * first, since fstat judges what was opened all the same. On 42,000 files the second stat cost
   * about 0.4 s of CPU (profiles: stat and open 1.5 s before, open alone 1.1 s after).
   */
  regular?: boolean;
}

export interface ReadResult {
  documents: SourceDocument[];
  warnings: Warning[];
  /** Files skipped: binary, not regular files, over the size cap, or unreadable. */
  skipped: number;
  /** Some file could not be read at all: the run completes, but exits 2. */
  readErrors: number;
}

/** What reading one path gave: its bytes, or why it was not read. */
type Loaded =
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'binary' }
  | { kind: 'special'; what: string }
  | { kind: 'too-large'; size: number; atLeast: boolean };

/** Fill `buffer` from `offset` until it is full or the file ends; returns the bytes now in it. */
function fill(fd: number, buffer: Buffer, offset: number): number {
  let at = offset;
  while (at < buffer.length) {
    const n = readSync(fd, buffer, at, buffer.length - at, null);
    if (n === 0) break;
    at += n;
  }
  return at;
}

/** What a non-regular file is, in words. */
function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

// Non-blocking, so that a FIFO put in a regular file's place between stat and open cannot hang the
// open; it has no effect on regular files. O_NOCTTY: a terminal named as input never becomes ours.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Read one file with bounded work: only a path a stat found a regular file is opened (this
 * stat, or the one that last saw it: discovery's), never a device, FIFO or socket, and fstat
 * judges what was opened again; only files within `maxFileSize` are read; the first 8 KiB are
 * checked for binary content before the rest is read. Files that report size 0 (procfs) are read
 * in chunks up to the cap. Synchronous: on 40,000 small files the five calls per file cost about
 * six times the CPU through the callback API (a thread-pool round trip and a promise each), and
 * one file at a time bounds memory by the largest file.
 */
function loadFile(file: string, maxFileSize: number, regular: boolean): Loaded {
  if (!regular) {
    const before = statSync(file);
    if (!before.isFile()) return { kind: 'special', what: kindOf(before) };
    if (before.size > maxFileSize) return { kind: 'too-large', size: before.size, atLeast: false };
  }
  const fd = openSync(file, OPEN_FLAGS);
  try {
    const info = fstatSync(fd);
    // Replaced between stat and open: judge what was opened.
    if (!info.isFile()) return { kind: 'special', what: kindOf(info) };
    if (info.size > maxFileSize) return { kind: 'too-large', size: info.size, atLeast: false };
    const known = info.size > 0; // a regular file's size is trusted, as fs.readFile does
    const head = Buffer.allocUnsafe(known ? Math.min(info.size, BINARY_SNIFF_BYTES) : BINARY_SNIFF_BYTES);
    const got = fill(fd, head, 0);
    if (looksBinary(head.subarray(0, got))) return { kind: 'binary' };
    if (got < head.length || (known && got === info.size)) return { kind: 'bytes', bytes: head.subarray(0, got) };
    if (known) {
      const whole = Buffer.allocUnsafe(info.size);
      head.copy(whole);
      return { kind: 'bytes', bytes: whole.subarray(0, fill(fd, whole, got)) };
    }
    // Size unknown: chunks until the end, never more than the cap.
    const chunks = [head];
    let total = got;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 ** 2, maxFileSize + 1 - total));
      const n = fill(fd, chunk, 0);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxFileSize) return { kind: 'too-large', size: total, atLeast: true };
      if (n < chunk.length) break;
    }
    return { kind: 'bytes', bytes: Buffer.concat(chunks, total) };
  } finally {
    closeSync(fd);
  }
}

/**
 * How a file is named in the report: relative to `root` (itself relative to `cwd`), with `/`
 * separators; a file outside the root by its absolute path.
 */
export function displayPath(file: string, cwd: string, root = cwd): string {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(path.resolve(cwd, root), absolute);
  // Outside the root, a path is its absolute path: `../../x` says less and resolves nowhere else.
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return absolute.split(path.sep).join('/');
  return (relative === '' ? '.' : relative).split(path.sep).join('/');
}

/**
 * displayPath for many files, most of them in few directories: a file's directory is shown once
 * and its name appended (on 42,000 files, resolving each path twice took about 70 ms).
 */
export function displayPathsIn(cwd: string, root = cwd): (file: string) => string {
  if (path.sep !== '/') return (file) => displayPath(file, cwd, root);
  const shownDirs = new Map<string, string>();
  return (file) => {
    const slash = file.lastIndexOf('/');
    const name = file.slice(slash + 1);
    // `.`, `..` and a trailing slash change what the directory part means: those take the long way.
    if (name === '' || name === '.' || name === '..') return displayPath(file, cwd, root);
    const dir = slash < 0 ? '' : slash === 0 ? '/' : file.slice(0, slash);
    let shown = shownDirs.get(dir);
    if (shown === undefined) {
      shown = displayPath(dir, cwd, root);
      shownDirs.set(dir, shown);
    }
    // Joined, not concatenated, as discovery's paths: one flat string a document holds (see discoverFiles).
    return shown === '.' ? name : [shown.endsWith('/') ? shown.slice(0, -1) : shown, name].join('/');
  };
}

/**
 * With --against, the documents of both sides as one corpus: the incoming batch first, then the
 * baseline, each marked with its side; a file read on both sides counts as baseline only.
 */
export function mergeSides(incoming: readonly SourceDocument[], baseline: readonly SourceDocument[]): SourceDocument[] {
  const baselinePaths = new Set(baseline.map((d) => d.path));
  // Marked in place: a reader may know its documents by identity (the streaming build's sketches).
  for (const d of incoming) d.side = 'incoming';
  for (const d of baseline) d.side = 'baseline';
  return [...incoming.filter((d) => !baselinePaths.has(d.path)), ...baseline];
}

/** What reading one file gave: a document, or a skip with its warning. */
export interface ReadSlot {
  doc?: SourceDocument;
  /** A record file's documents, and the warnings about its records. */
  records?: SourceDocument[];
  recordWarnings?: Warning[];
  warning?: Warning;
  skipped?: boolean;
  error?: boolean;
}

/** Files read between two turns of the event loop (timers, a progress bar, signals run between). */
const FILES_PER_TURN = 256;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ReadOptions extends Omit<RecordOptions, 'maxRecordSize'> {
  onProgress?: ProgressCallback;
  /** Other paths of a file (from discovery), carried into its document. */
  aliases?: ReadonlyMap<string, readonly string[]>;
  /** What discovery's stat saw of each file (see ReadTask.regular). */
  stats?: ReadonlyMap<string, Pick<FileStat, 'regular'>>;
  /** Larger files are skipped with a warning (default 256 MiB); in a record file, larger records. */
  maxFileSize?: number;
  /** What document paths are shown relative to (default `cwd`); see displayPath. */
  root?: string;
  /** How files are read: records by extension (`auto`, the default), all as text, or all as one record format. */
  inputFormat?: InputFormat;
}

/** How each file will be read: its display path and aliases, as text or as records. */
export function planReads(files: readonly string[], cwd: string, options: Pick<ReadOptions, 'aliases' | 'root' | 'inputFormat' | 'stats'> = {}): ReadTask[] {
  const at = pathIn(cwd);
  const show = displayPathsIn(cwd, options.root);
  return files.map((file) => {
    const shown = show(file);
    const format = recordFormatOf(file, options.inputFormat);
    if (format !== undefined) return { reach: at(file), shown, format };
    // Two spellings of one path (`a.txt`, `./a.txt`) show as one: not an alias of itself.
    const names = new Set(options.aliases?.get(file)?.map(show));
    names.delete(shown);
    const aliases = [...names].sort();
    const regular = options.stats?.get(file)?.regular === true;
    return { reach: at(file), shown, ...(aliases.length ? { aliases } : {}), ...(regular ? { regular } : {}) };
  });
}

/** The document a text file's task gives: named as the task shows it, with its aliases. */
export function taskDocument(task: ReadTask, bytes: number, text: string, origin?: TextOrigin): SourceDocument {
  // `origin` is a field from the start (set once the text is sketched and let go): added later, it
  // went to a properties array of its own, 40 bytes a document.
  const doc: SourceDocument = { path: task.shown, bytes, text, origin };
  if (task.aliases) doc.aliases = task.aliases;
  return doc;
}

/**
 * Read one text file (a task with no record format): a document, or a skip with its warning.
 * Synchronous and self-contained, so a worker thread may read the files it sketches.
 */
export function readTextFile(task: ReadTask, maxFileSize: number): ReadSlot {
  const { shown } = task;
  const skip = (message: string) => ({ skipped: true, warning: { path: shown, message: `skipped: ${message}` } });
  try {
    const loaded = loadFile(task.reach, maxFileSize, task.regular === true);
    if (loaded.kind === 'special') return skip(`${loaded.what}, not a regular file`);
    if (loaded.kind === 'too-large') {
      const size = `${loaded.atLeast ? 'more than ' : ''}${formatSize(loaded.size)} (${loaded.size} bytes)`;
      return skip(`${size} is over --max-file-size ${formatSize(maxFileSize)}`);
    }
    const decoded = loaded.kind === 'bytes' ? decodeFile(loaded.bytes) : undefined;
    if (loaded.kind === 'binary' || decoded?.kind !== 'text') return skip('binary file (NUL byte in the first 8 KiB)');
    const lines = tooManyLines(decoded.text);
    if (lines) return skip(lines);
    const note =
      decoded.encoding === 'windows-1252'
        ? 'not valid UTF-8: decoded as Windows-1252 (Latin-1)'
        : decoded.invalid
          ? `invalid ${decoded.encoding.startsWith('utf-16') ? 'UTF-16' : 'UTF-8'}: undecodable bytes read as U+FFFD`
          : undefined;
    return {
      doc: taskDocument(task, loaded.bytes.length, decoded.text),
      ...(note ? { warning: { path: shown, message: note } } : {}),
    };
  } catch (error) {
    return { skipped: true, error: true, warning: { path: shown, message: `cannot read: ${describeError(error)}` } };
  }
}

/** A record file: every record a document (records.ts), its record warnings kept with it. */
async function readRecordFile(task: ReadTask & { format: RecordFormat }, options: RecordOptions): Promise<ReadSlot> {
  const recordWarnings: Warning[] = [];
  try {
    const outcome = await loadRecordFile(task.format, task.reach, task.shown, options, recordWarnings);
    return { records: outcome.records, skipped: outcome.skipped, recordWarnings };
  } catch (error) {
    return { recordWarnings, skipped: true, error: true, warning: { path: task.shown, message: `cannot read: ${describeError(error)}` } };
  }
}

/** Add what reading one file gave to `result`. */
function takeSlot(result: ReadResult, slot: ReadSlot): void {
  if (slot.doc) result.documents.push(slot.doc);
  if (slot.records) for (const doc of slot.records) result.documents.push(doc);
  if (slot.recordWarnings) for (const w of slot.recordWarnings) result.warnings.push(w);
  if (slot.warning) result.warnings.push(slot.warning);
  if (slot.skipped) result.skipped++;
  if (slot.error) result.readErrors++;
}

/** What a side's reader is told besides its files (see LoadHooks.readSide). */
export interface SideReadOptions extends Omit<RecordOptions, 'maxRecordSize'> {
  maxFileSize: number;
  /** The side's bytes, as discovery found them (a reader may decide on threads by them). */
  bytes: number;
  onProgress?: ProgressCallback;
}

/** Reads one side's planned files into documents, in the files' order. */
export type SideReader = (tasks: readonly ReadTask[], options: SideReadOptions) => Promise<ReadResult>;

/**
 * Read and decode files, one at a time; results keep the input order. Inputs are only ever
 * opened for reading.
 */
export async function readDocuments(files: readonly string[], cwd: string, options: ReadOptions = {}): Promise<ReadResult> {
  return readInBatches(planReads(files, cwd, options), { ...options, maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE });
}

/**
 * Planned reads (a SideReader's tasks), in order. With `batches`, the documents read are handed to
 * `onBatch` at least `size` at a time (a record file's records all at once) before reading on: a
 * caller that lets each batch's texts go holds one batch of texts, not the side's.
 */
export async function readInBatches(
  tasks: readonly ReadTask[],
  options: Pick<SideReadOptions, 'maxFileSize' | 'textField' | 'idField' | 'onProgress'>,
  batches?: { size: number; onBatch: (documents: SourceDocument[]) => Promise<void> },
): Promise<ReadResult> {
  const recordOptions = { textField: options.textField, idField: options.idField, maxRecordSize: options.maxFileSize };
  const result: ReadResult = { documents: [], warnings: [], skipped: 0, readErrors: 0 };
  let handed = 0;
  for (let index = 0; index < tasks.length; index++) {
    if (index > 0 && index % FILES_PER_TURN === 0) await nextTurn();
    const task = tasks[index] as ReadTask;
    takeSlot(result, task.format === undefined ? readTextFile(task, options.maxFileSize) : await readRecordFile({ ...task, format: task.format }, recordOptions));
    options.onProgress?.(index + 1, tasks.length, 'reading');
    if (batches && result.documents.length - handed >= batches.size) {
      await batches.onBatch(result.documents.slice(handed));
      handed = result.documents.length;
    }
  }
  if (batches && result.documents.length > handed) await batches.onBatch(result.documents.slice(handed));
  return result;
}

/** The text sketched, if `text` is it (same length and textCheck). */
const same = (text: string, origin: TextOrigin) => (text.length === origin.length && textCheck(text) === origin.check ? text : undefined);

/**
 * A text file's text read again (any thread may): undefined when it is not the text sketched
 * (the file changed or went since).
 */
export function rereadFile(origin: TextOrigin): string | undefined {
  // A text of n UTF-16 units is at most 3n bytes of UTF-8 (4 per surrogate pair) after a BOM.
  const text = readTextFile({ reach: origin.reach, shown: origin.reach, regular: true }, 3 * origin.length + 4).doc?.text;
  return text === undefined ? undefined : same(text, origin);
}

/**
 * The texts of documents let go after sketching (see SourceDocument.origin), read again, in
 * order: a document without an origin gives its text, a text file is read, and each run of
 * records of one file (in the file's order, as the reader gave them) streams that file once. A
 * text that is not the one sketched (its file changed or went since), or cannot be read, is
 * undefined.
 */
export async function* rereadInOrder(documents: readonly SourceDocument[], options: RecordOptions): AsyncGenerator<string | undefined> {
  for (let i = 0; i < documents.length; ) {
    const origin = documents[i]!.origin;
    if (!origin || origin.format === undefined) {
      yield origin ? rereadFile(origin) : documents[i]!.text;
      i++;
      continue;
    }
    let end = i + 1;
    while (end < documents.length && documents[end]!.origin?.format !== undefined && documents[end]!.origin!.reach === origin.reach) end++;
    yield* rereadRecords(documents.slice(i, end), options);
    i = end;
  }
}

/** Records of one file, in its order, read again by streaming it once. */
async function* rereadRecords(documents: readonly SourceDocument[], options: RecordOptions): AsyncGenerator<string | undefined> {
  const { reach, format } = documents[0]!.origin!;
  let next = 0;
  try {
    for await (const record of recordFileDocuments(format!, reach, documents[0]!.record?.file ?? reach, options, () => {})) {
      const position = record.record?.position ?? -1;
      while (next < documents.length && documents[next]!.origin!.position! < position) {
        yield undefined; // not in the file any more
        next++;
      }
      if (next === documents.length) return;
      if (documents[next]!.origin!.position === position) yield same(record.text, documents[next++]!.origin!);
    }
  } catch {
    // Unreadable now: the texts left are undefined.
  }
  for (; next < documents.length; next++) yield undefined;
}

/** rereadInOrder, all at once. */
export async function rereadTexts(documents: readonly SourceDocument[], options: RecordOptions): Promise<Array<string | undefined>> {
  const texts: Array<string | undefined> = [];
  for await (const text of rereadInOrder(documents, options)) texts.push(text);
  return texts;
}

/**
 * The documents of one record file, one at a time, read as a stream (records.ts): the seam for a
 * pipeline that sketches documents as they arrive. Like a text file, only a regular file is
 * opened. Warnings about records go to `onWarning`; a file that is not records at all (not a JSON
 * array, not Parquet) or not a regular file ends the generator with `{ skipped }`, its warning
 * given. I/O errors are thrown.
 */
export async function* recordFileDocuments(
  format: RecordFormat,
  file: string,
  shown: string,
  options: RecordOptions,
  onWarning: (warning: Warning) => void,
): AsyncGenerator<SourceDocument, { skipped: boolean }> {
  const skip = (message: string) => {
    onWarning({ path: shown, message: `skipped: ${message}` });
    return { skipped: true };
  };
  const info = statSync(file);
  if (!info.isFile()) return skip(`${kindOf(info)}, not a regular file`);
  // The streamed formats read from a descriptor opened as text files are (never blocking on a FIFO).
  let fd: number | undefined;
  if (format === 'jsonl' || format === 'csv' || format === 'tsv') {
    fd = openSync(file, OPEN_FLAGS);
    const opened = fstatSync(fd);
    if (!opened.isFile()) {
      closeSync(fd);
      return skip(`${kindOf(opened)}, not a regular file`);
    }
  }
  let used = false;
  const open = () => {
    used = true;
    return createReadStream('', { fd: fd as number, autoClose: true });
  };
  try {
    // Each record with an `origin` field from the start (see taskDocument).
    for await (const { path: name, bytes, text, record } of readRecords(format, file, shown, options, onWarning, open)) yield { path: name, bytes, text, record, origin: undefined };
  } catch (error) {
    if (!(error instanceof RecordFileError)) throw error;
    return skip(error.message);
  } finally {
    if (fd !== undefined && !used) closeSync(fd);
  }
  return { skipped: false };
}

/** A record file's documents, all of them (readDocuments keeps every document for now). */
async function loadRecordFile(
  format: RecordFormat,
  file: string,
  shown: string,
  options: RecordOptions,
  warnings: Warning[],
): Promise<{ records: SourceDocument[]; skipped: boolean }> {
  const records: SourceDocument[] = [];
  const documents = recordFileDocuments(format, file, shown, options, (w) => warnings.push(w));
  for (;;) {
    const next = await documents.next();
    if (next.done) return { records, skipped: next.value.skipped };
    records.push(next.value);
  }
}
