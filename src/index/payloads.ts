import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, read, readSync, writeSync } from 'node:fs';
import { DedupeError } from '../types/errors.js';
import type { SketchMeta } from './record.js';

// The index's payloads file (`${index}.payloads`, beside DuckDB's own `${index}.wal`): each
// document's wide data (path, aliases, report, meta, packed arrays) as one record, appended.
// DuckDB keeps only each record's offset and length. A check reads its ~1,000 candidates'
// records with positioned reads sorted by offset (0.13–0.22 s from a cold page cache on a
// million documents), where DuckDB read whole blocks of its wide columns per row (8.7 s).
//
// Append-only: a writer (holding DuckDB's exclusive lock) truncates the file to the committed end
// that `state` records, appends, and fsyncs before the commit that makes the rows count; a run
// that died leaves only a tail past that end, cut by the next writer. Records of replaced or
// pruned documents stay as dead bytes (`dedupe index stats` counts them).
//
// The file: MAGIC, then records. A record: five uint32 LE lengths (path, aliases JSON, report,
// meta JSON, arrays), then those bytes.

const MAGIC = Buffer.from('dedupe payloads\n');
/** Bytes before the first record. */
export const PAYLOADS_HEADER = MAGIC.length;
const HEAD = 20;

/** The payloads file is missing, cut short or not one. */
export class PayloadsError extends DedupeError {
  constructor(file: string, problem: string) {
    super('INVALID_ARGUMENT', `${file}: ${problem}`);
  }
}

export interface Payload {
  path: string;
  aliases: string[];
  report: string;
  meta: SketchMeta;
  arrays: Uint8Array;
}

/** Where a record sits in the file. */
export interface PayloadRef {
  offset: number;
  length: number;
}

export function encodePayload(path: string, aliases: string, report: string, meta: string, arrays: Uint8Array): Buffer {
  const lengths = [Buffer.byteLength(path), Buffer.byteLength(aliases), Buffer.byteLength(report), Buffer.byteLength(meta), arrays.byteLength];
  const out = Buffer.allocUnsafe(HEAD + lengths.reduce((a, b) => a + b, 0));
  lengths.forEach((n, i) => out.writeUInt32LE(n, 4 * i));
  let at = HEAD;
  at += out.write(path, at, 'utf8');
  at += out.write(aliases, at, 'utf8');
  at += out.write(report, at, 'utf8');
  at += out.write(meta, at, 'utf8');
  out.set(arrays, at);
  return out;
}

/** The file's first bytes, as many as MAGIC has (fewer in a shorter file). */
function headOf(fd: number): Buffer {
  const head = Buffer.alloc(MAGIC.length);
  return head.subarray(0, readSync(fd, head, 0, head.length, 0));
}

export class PayloadFile {
  /** Where the next record goes (a writer), or the committed end (a reader). */
  private end: number;

  private constructor(
    readonly file: string,
    private readonly fd: number,
    committedEnd: number,
  ) {
    this.end = committedEnd;
  }

  /**
   * Open the payloads file of an index whose state records `committedEnd` (0: none written yet).
   * A writer cuts whatever a run that died left past the committed end; a missing or short file
   * is a PayloadsError naming it, never a wrong answer.
   */
  static open(file: string, committedEnd: number, write: boolean): PayloadFile {
    if (committedEnd === 0) {
      if (!write) return new PayloadFile(file, -1, 0);
      const fd = openSync(file, existsSync(file) ? 'r+' : 'w+');
      // Nothing committed yet: what is there is a first run's that died, cut whole. A file of
      // something else under that name is the user's, and never cut.
      const head = headOf(fd);
      if (!head.equals(MAGIC.subarray(0, head.length))) {
        closeSync(fd);
        throw new PayloadsError(file, "exists and is not a dedupe index's payloads file: the index keeps its records under this name (move the file, or choose another --index)");
      }
      ftruncateSync(fd, 0);
      writeAll(fd, MAGIC, 0);
      return new PayloadFile(file, fd, MAGIC.length);
    }
    let fd: number;
    try {
      fd = openSync(file, write ? 'r+' : 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new PayloadsError(file, code === 'ENOENT' ? "the index's payloads file is missing (it holds each document's path, report and shingles; the index cannot be used without it: restore it, or build a new index)" : `cannot open the index's payloads file: ${(error as Error).message}`);
    }
    try {
      const size = fstatSync(fd).size;
      if (size < committedEnd) throw new PayloadsError(file, `the index's payloads file is cut short: ${size} bytes, the index holds ${committedEnd} (restore it, or build a new index)`);
      if (!headOf(fd).equals(MAGIC)) throw new PayloadsError(file, "not a dedupe index's payloads file");
      if (write) ftruncateSync(fd, committedEnd);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return new PayloadFile(file, fd, committedEnd);
  }

  /** Append records (a writer): where each went. Not durable until sync(). */
  append(records: readonly Buffer[]): PayloadRef[] {
    const refs = records.map((r) => {
      const ref = { offset: this.end, length: r.length };
      this.end += r.length;
      return ref;
    });
    if (records.length) writeAll(this.fd, Buffer.concat(records as Buffer[]), refs[0]!.offset);
    return refs;
  }

  /** Flush the appended records to the disk; the end to record as committed. */
  sync(): number {
    fsyncSync(this.fd);
    return this.end;
  }

  /** The records at these places, in the order asked; read sorted by offset, nearby ones in one read, a few at a time. */
  async read(refs: readonly PayloadRef[]): Promise<Payload[]> {
    const order = refs.map((_, i) => i).sort((a, b) => refs[a]!.offset - refs[b]!.offset);
    // Runs of records close enough to read together (an export reads whole stretches at once).
    const runs: Array<{ offset: number; end: number; members: number[] }> = [];
    for (const i of order) {
      const { offset, length } = refs[i]!;
      if (offset + length > this.end || offset < MAGIC.length) throw new PayloadsError(this.file, `a record lies outside the payloads file's committed ${this.end} bytes (the file does not belong to this index)`);
      const last = runs[runs.length - 1];
      if (last && offset - last.end <= GAP && offset + length - last.offset <= RUN) {
        last.end = Math.max(last.end, offset + length);
        last.members.push(i);
      } else runs.push({ offset, end: offset + length, members: [i] });
    }
    const out = new Array<Payload>(refs.length);
    let next = 0;
    const worker = async () => {
      while (next < runs.length) {
        const run = runs[next++]!;
        const buffer = Buffer.allocUnsafe(run.end - run.offset);
        let got = 0;
        while (got < buffer.length) {
          const n = await readAt(this.fd, buffer, got, run.offset + got);
          if (n === 0) throw new PayloadsError(this.file, `the index's payloads file is cut short: it ends before byte ${run.offset + got} of the ${this.end} the index holds`);
          got += n;
        }
        for (const i of run.members) out[i] = this.decode(buffer.subarray(refs[i]!.offset - run.offset, refs[i]!.offset - run.offset + refs[i]!.length));
      }
    };
    await Promise.all(Array.from({ length: Math.min(READERS, runs.length) }, worker));
    return out;
  }

  private decode(record: Buffer): Payload {
    const lengths = [0, 1, 2, 3, 4].map((i) => (record.length >= HEAD ? record.readUInt32LE(4 * i) : 0));
    if (record.length < HEAD || HEAD + lengths.reduce((a, b) => a + b, 0) !== record.length) throw new PayloadsError(this.file, 'a damaged record (the file does not belong to this index, or was overwritten)');
    let at = HEAD;
    const take = (n: number) => record.subarray(at, (at += n));
    const [path, aliases, report, meta] = lengths.slice(0, 4).map((n) => take(n).toString('utf8')) as [string, string, string, string];
    return { path, aliases: JSON.parse(aliases) as string[], report, meta: JSON.parse(meta) as SketchMeta, arrays: take(lengths[4]!) };
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
  }
}

/** Records at most this far apart are read together, in runs up to RUN bytes. */
const GAP = 16 * 1024;
const RUN = 4 * 1024 ** 2;
/** Reads in flight at once (libuv's 4 threads; a disk queue a little deeper helps). */
const READERS = 16;

const readAt = (fd: number, buffer: Buffer, at: number, position: number) =>
  new Promise<number>((resolve, reject) => read(fd, buffer, at, buffer.length - at, position, (error, bytes) => (error ? reject(error) : resolve(bytes))));

function writeAll(fd: number, buffer: Uint8Array, position: number): void {
  for (let done = 0; done < buffer.length; ) done += writeSync(fd, buffer, done, buffer.length - done, position + done);
}
