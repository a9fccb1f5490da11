// Record files: JSONL/NDJSON, a JSON array, CSV/TSV and Parquet, each record one document.
// Read as a stream: JSONL line by line, CSV through csv-parse's streaming parser, Parquet one row
// group at a time (hyparquet); only a JSON array is parsed whole (JSON.parse needs all of it).
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
// The CSV and Parquet parsers are loaded when a file needs them (about 35 ms together): a run
// over text files never pays for them.
import type { CsvError } from 'csv-parse';
import type { Compressors } from 'hyparquet';
import { RECORD_FORMATS, type InputFormat, type RecordFormat } from '../options/kinds.js';
import type { Warning } from '../types/warning.js';
import { formatSize } from './size.js';
import { tooManyLines } from './lines.js';

export { RECORD_FORMATS, type RecordFormat };

const EXTENSIONS: Readonly<Record<string, RecordFormat>> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'json',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.parquet': 'parquet',
};

/** How a file is read: as records of `format`, or (undefined) as one text document. */
export function recordFormatOf(file: string, inputFormat: InputFormat = 'auto'): RecordFormat | undefined {
  if (inputFormat === 'text') return undefined;
  if (inputFormat !== 'auto') return inputFormat;
  return EXTENSIONS[path.extname(file).toLowerCase()];
}

export interface RecordOptions {
  /** The field holding the text: a name, or a dotted path into nested objects (`body.text`). Default `text`. */
  textField?: string;
  /** The field holding the record's id; default the record's position (JSONL: its line number). */
  idField?: string;
  /** A record whose text is larger (in UTF-8 bytes) is skipped with a warning. */
  maxRecordSize?: number;
}

/** Where one record came from. */
export interface RecordInfo {
  /** The file's display path. */
  file: string;
  /** Unique within the file: the id field's value, or the record's position. */
  id: string;
  /** 1-based: the line of a JSONL file, the data row of a CSV/TSV file, the item of a JSON array, the row of a Parquet file. */
  position: number;
  /** The line the record is on, where the format gives one line per record (JSONL). */
  line?: number;
}

export interface RecordDocument {
  /** `file#id`. */
  path: string;
  bytes: number;
  text: string;
  record: RecordInfo;
}

/**
 * A node Readable of UTF-8 bytes or text (`fs.createReadStream(file)`), declared without
 * node's types so that the package's declarations need no @types/node.
 */
export interface TextStream {
  destroy(): unknown;
}

/** One record as a parser gave it: its value, or why it could not be parsed. */
type RawRecord = { position: number; where: string; line?: number; value: unknown } | { position: number; where: string; error: string };

/** A record file that cannot be read as records at all (not a JSON array, a broken Parquet footer). */
export class RecordFileError extends Error {}

/** Per file, at most this many warnings about single records; then one saying how many more. */
const WARNINGS_PER_FILE = 20;

/** Field `name` of a record: a key of that exact name, else a dotted path into nested objects. */
export function fieldAt(record: unknown, name: string): unknown {
  if (record === null || typeof record !== 'object') return undefined;
  if (Object.hasOwn(record, name)) return (record as Record<string, unknown>)[name];
  let value: unknown = record;
  for (const key of name.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const kindOfValue = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/**
 * The most bytes one record may take in its file (a JSONL line, a CSV row): its text at
 * --max-file-size escaped as JSON can take six bytes a byte (`\u0001`), and no record may pass
 * what the engine holds as one string (about 512 million characters). A 600 MB JSONL line
 * stopped the run with an uncaught "Invalid string length" from node's readline, a 600 MB CSV
 * field with "Cannot create a string longer than 0x1fffffe8 characters" from csv-parse.
 */
export function maxRecordBytes(maxRecordSize: number): number {
  return Math.min(MAX_STRING_BYTES, 6 * maxRecordSize + 1024 ** 2);
}

/** Below V8's longest string (2^29 - 24 characters): a line of this many bytes decodes to at most as many. */
const MAX_STRING_BYTES = 2 ** 29 - 1024;

/** A line of a byte stream, or one too long to hold (only its length is known). */
type Line = { text: string } | { tooLong: number };

/**
 * The lines of a byte stream as node's readline gives them (`\n`, `\r\n` and a lone `\r` each
 * end one; no empty line after a final break), each decoded as UTF-8 once whole, never holding
 * more than `maxBytes` of one line: a longer line is read past and given as its length.
 */
export async function* boundedLines(input: AsyncIterable<Uint8Array | string>, maxBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let afterCr = false; // the last byte read was a CR that ended a line: a LF right after it is the same break
  const end = (): Line => {
    const line: Line = tooLong ? { tooLong: length } : { text: Buffer.concat(parts, length).toString('utf8') };
    parts = [];
    length = 0;
    tooLong = false;
    return line;
  };
  const take = (chunk: Buffer, from: number, to: number) => {
    length += to - from;
    if (tooLong) return;
    if (length > maxBytes) {
      tooLong = true;
      parts = [];
    } else if (to > from) parts.push(chunk.subarray(from, to));
  };
  let started = false;
  for await (const data of input) {
    const chunk = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let from = 0;
    if (afterCr && chunk.length > 0 && chunk[0] === 0x0a) from = 1;
    afterCr = false;
    for (let i = from; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte !== 0x0a && byte !== 0x0d) continue;
      take(chunk, from, i);
      yield end();
      started = false;
      if (byte === 0x0d) {
        if (i + 1 < chunk.length) {
          if (chunk[i + 1] === 0x0a) i++;
        } else afterCr = true;
      }
      from = i + 1;
    }
    if (from < chunk.length) {
      take(chunk, from, chunk.length);
      started = true;
    }
  }
  if (started) yield end();
}

/** JSONL: one JSON value per line, read line by line (a blank line is no record). */
async function* jsonlRecords(input: Readable, maxRecordSize: number): AsyncGenerator<RawRecord> {
  const maxLine = maxRecordBytes(maxRecordSize);
  let line = 0;
  try {
    for await (const read of boundedLines(input, maxLine)) {
      line++;
      if ('tooLong' in read) {
        yield { position: line, where: `line ${line}`, error: `${formatSize(read.tooLong)} on one line, over the ${formatSize(maxLine)} a line may take${Number.isFinite(maxRecordSize) ? ` at --max-file-size ${formatSize(maxRecordSize)}` : ''}` };
        continue;
      }
      const { text } = read;
      const json = line === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text;
      if (json.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch (error) {
        yield { position: line, where: `line ${line}`, error: `not valid JSON (${(error as Error).message})` };
        continue;
      }
      yield { position: line, where: `line ${line}`, line, value };
    }
  } finally {
    input.destroy(); // a reader that stops early closes the file
  }
}

/** A JSON array of records, parsed whole. */
async function* jsonRecords(text: string): AsyncGenerator<RawRecord> {
  let value: unknown;
  try {
    value = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    throw new RecordFileError(`not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(value)) throw new RecordFileError(`not a JSON array of records (the file holds ${kindOfValue(value)}; use --input-format text to read it as text)`);
  for (let i = 0; i < value.length; i++) yield { position: i + 1, where: `item ${i + 1}`, value: value[i] };
}

/**
 * CSV or TSV with a header row, through csv-parse's streaming parser. A row with the wrong number
 * of fields or broken quoting is skipped by the parser and reported here, in order: rows are
 * numbered as they are parsed (the `on_record` and `on_skip` hooks both run in parse order).
 */
async function* csvRecords(input: Readable, delimiter: string, maxRecordSize: number): AsyncGenerator<RawRecord> {
  let row = 0;
  const skipped: RawRecord[] = [];
  const { parse: parseCsv } = await import('csv-parse');
  const maxBytes = maxRecordBytes(maxRecordSize);
  // The line of the last row skipped: csv-parse may report one broken row more than once.
  let lastSkippedLine = -1;
  const parser = parseCsv({
    columns: true,
    bom: true,
    delimiter,
    skip_empty_lines: true,
    // A quote inside a field, or after a quoted part ("a" b), is text: strict quoting skipped such a
    // row and, worse, read on to the next quote as one field, losing the good rows between (a TSV,
    // where quotes are ordinary text, lost every row).
    relax_quotes: true,
    skip_records_with_error: true,
    max_record_size: maxBytes,
    on_record: (record: Record<string, string>, context: { lines: number }) => ({ record, row: ++row, line: context.lines }),
    // A malformed row is skipped and said; a row over max_record_size cannot be: csv-parse would go
    // on filling its field (and skip it once a byte), so it ends the file with the reason.
    on_skip: (skip: CsvError | undefined): undefined => {
      const error = skip as CsvError & { lines?: number };
      if (error.code === 'CSV_MAX_RECORD_SIZE') {
        throw new RecordFileError(
          `row ${row + 1} (line ${error.lines ?? '?'}) is over the ${formatSize(maxBytes)} one record may take${Number.isFinite(maxRecordSize) ? ` at --max-file-size ${formatSize(maxRecordSize)}` : ''}: the rest of the file is not read`,
        );
      }
      if (error.lines !== undefined && error.lines === lastSkippedLine) return undefined;
      lastSkippedLine = error.lines ?? -1;
      row++;
      const kind = delimiter === '\t' ? 'TSV' : 'CSV';
      if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
        // A quote that opens a field and is never closed takes the rest of the file with it.
        skipped.push({ position: row, where: `row ${row}`, error: `malformed ${kind} row: a quote that opens a field is never closed, so the rest of the file (to line ${error.lines ?? '?'}) is this one row` });
        return undefined;
      }
      const reason = error.message.replace(/^Invalid Record Length: /, '').replace(/ on line \d+$| at line \d+.*$/, '');
      skipped.push({ position: row, where: `row ${row} (line ${error.lines ?? '?'})`, error: `malformed ${kind} row: ${reason}` });
      return undefined;
    },
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  const flushBefore = function* (position: number) {
    while (skipped.length > 0 && (skipped[0] as RawRecord).position < position) yield skipped.shift() as RawRecord;
  };
  try {
    for await (const { record, row: position, line } of parser as AsyncIterable<{ record: Record<string, string>; row: number; line: number }>) {
      yield* flushBefore(position);
      yield { position, where: `row ${position} (line ${line})`, value: record };
    }
    yield* flushBefore(Infinity);
  } finally {
    input.destroy();
  }
}

/**
 * Parquet codecs beyond hyparquet's own (uncompressed, snappy), from node:zlib: gzip and brotli,
 * and zstd where this Node has it (22.15 and later).
 */
const zstd = (zlib as { zstdDecompressSync?: (input: Uint8Array) => Buffer }).zstdDecompressSync;
const PARQUET_CODECS: Compressors = {
  GZIP: (input) => zlib.gunzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
  ...(zstd ? { ZSTD: (input: Uint8Array) => zstd(input) } : {}),
};

/** Parquet: one row group at a time, only the columns the text and id fields live in. */
async function* parquetRecords(file: string, fields: readonly string[]): AsyncGenerator<RawRecord> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } = await import('hyparquet');
  let buffer;
  let metadata;
  try {
    buffer = await asyncBufferFromFile(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw new RecordFileError(`not a Parquet file this reader understands (${(error as Error).message})`);
  }
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  // A dotted field lives in a struct column named by its first part, unless a column has the whole name.
  const columnOf = (f: string) => (names.includes(f) ? f : (f.split('.')[0] as string));
  const [textField = 'text'] = fields;
  if (!names.includes(columnOf(textField))) throw new RecordFileError(noColumn(textField, names));
  const columns = [...new Set(fields.map(columnOf).filter((c) => names.includes(c)))];
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    if (columns.length === 0) {
      for (let r = start; r < end; r++) yield { position: r + 1, where: `row ${r + 1}`, value: {} };
    } else {
      let rows: Array<Record<string, unknown>>;
      try {
        rows = await parquetReadObjects({ file: buffer, columns, rowStart: start, rowEnd: end, compressors: PARQUET_CODECS });
      } catch (error) {
        throw new RecordFileError(`rows ${start + 1}-${end}: cannot decode (${(error as Error).message})`);
      }
      for (let i = 0; i < rows.length; i++) yield { position: start + i + 1, where: `row ${start + i + 1}`, value: rows[i] };
    }
    start = end;
  }
}

/** A table (CSV, TSV, Parquet) without the text column: one message for the file, not one per row. */
const noColumn = (field: string, names: readonly string[]) =>
  `no column "${field}" for the text (the columns are ${names.map((n) => JSON.stringify(n)).join(', ') || 'none'}; --text-field names it)`;

/** The raw records of a file (or of an open stream, for the formats that stream). */
function rawRecords(format: RecordFormat, source: { file: string; open: () => Readable }, fields: readonly string[], maxFileSize: number): AsyncGenerator<RawRecord> {
  switch (format) {
    case 'jsonl':
      return jsonlRecords(source.open(), maxFileSize);
    case 'csv':
      return csvRecords(source.open(), ',', maxFileSize);
    case 'tsv':
      return csvRecords(source.open(), '\t', maxFileSize);
    case 'parquet':
      return parquetRecords(source.file, fields);
    case 'json':
      return (async function* () {
        // Parsed whole: here the size cap is the file's (use JSONL for large files).
        const bytes = await readFile(source.file);
        if (bytes.length > maxFileSize) throw new RecordFileError(`a JSON array is parsed whole, and ${formatSize(bytes.length)} is over --max-file-size ${formatSize(maxFileSize)} (JSONL is read line by line)`);
        yield* jsonRecords(bytes.toString('utf8'));
      })();
  }
}

/**
 * The documents of a record file, one at a time: the text field of each record, named
 * `display#id`. A record that is malformed, not an object, lacks the text field, holds a
 * non-string there or is over the size cap is a warning (naming the file and the line or row)
 * and the rest is read. Ids must be unique in a file: a repeated id is a warning and the record
 * is named `id~2` (`~3`…). A file that cannot be read as records at all throws RecordFileError;
 * an I/O error is thrown as it is.
 */
export async function* readRecords(
  format: RecordFormat,
  file: string,
  display: string,
  options: RecordOptions,
  onWarning: (warning: Warning) => void,
  open: () => TextStream = () => createReadStream(file),
): AsyncGenerator<RecordDocument> {
  const textField = options.textField ?? 'text';
  const { idField } = options;
  const maxRecordSize = options.maxRecordSize ?? Infinity;
  const seen = new Map<string, number>();
  let warned = 0;
  let unsaid = 0;
  const warn = (where: string, message: string) => {
    if (warned++ < WARNINGS_PER_FILE) onWarning({ path: display, message: `${where}: ${message}` });
    else unsaid++;
  };
  const fields = idField === undefined ? [textField] : [textField, idField];
  let checkedHeader = false;
  try {
    for await (const raw of rawRecords(format, { file, open: open as () => Readable }, fields, maxRecordSize)) {
      if ('error' in raw) {
        warn(raw.where, `${raw.error}; skipped`);
        continue;
      }
      if (raw.value === null || typeof raw.value !== 'object' || Array.isArray(raw.value)) {
        warn(raw.where, `not a record (${kindOfValue(raw.value)}, not an object); skipped`);
        continue;
      }
      // In CSV and TSV every row has the header's keys: a text column missing from the first is missing from all.
      if (!checkedHeader && (format === 'csv' || format === 'tsv')) {
        checkedHeader = true;
        const keys = Object.keys(raw.value);
        if (!keys.includes(textField) && !keys.includes(textField.split('.')[0] as string)) throw new RecordFileError(noColumn(textField, keys));
      }
      const text = fieldAt(raw.value, textField);
      if (typeof text !== 'string') {
        warn(raw.where, text === undefined || text === null ? `no field "${textField}"; skipped` : `field "${textField}" is ${kindOfValue(text)}, not a string; skipped`);
        continue;
      }
      const bytes = Buffer.byteLength(text);
      if (bytes > maxRecordSize) {
        warn(raw.where, `text of ${formatSize(bytes)} is over --max-file-size ${formatSize(maxRecordSize)}; skipped`);
        continue;
      }
      const lines = tooManyLines(text);
      if (lines) {
        warn(raw.where, `text of ${lines}; skipped`);
        continue;
      }
      let id = String(raw.position);
      if (idField !== undefined) {
        const value = fieldAt(raw.value, idField);
        if (typeof value === 'string' && value !== '') id = value;
        else if (typeof value === 'number' || typeof value === 'bigint') id = String(value);
        else warn(raw.where, `${value === undefined || value === null || value === '' ? `no id in field "${idField}"` : `id field "${idField}" is ${kindOfValue(value)}`}: named by its position, ${id}`);
      }
      if (seen.has(id)) {
        const first = seen.get(id) as number;
        let n = 2;
        while (seen.has(`${id}~${n}`)) n++;
        warn(raw.where, `id "${id}" was already used (record ${first}): named "${id}~${n}"`);
        id = `${id}~${n}`;
      }
      seen.set(id, raw.position);
      const record = { file: display, id, position: raw.position, ...(raw.line === undefined ? {} : { line: raw.line }) };
      // Joined, not a template literal: that was two concatenation nodes per record held for the run
      // (12 MB on 200,000 records); join makes one flat string.
      yield { path: [display, id].join('#'), bytes, text, record };
    }
  } finally {
    if (unsaid > 0) onWarning({ path: display, message: `${unsaid} more warning${unsaid === 1 ? '' : 's'} about records of this file not shown` });
  }
}
