import { existsSync, rmSync, statSync } from 'node:fs';
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DedupeError } from '../types/errors.js';
import { encodePayload, PAYLOADS_HEADER, PayloadFile, type Payload, type PayloadRef } from './payloads.js';
import { packArrays, paramDifferences, sketchMeta, type IndexRecord, type SketchMeta } from './record.js';

// The persistent index: a DuckDB file and, beside it, its payloads file (payloads.ts). DuckDB is
// loaded on first use only, so that runs without --index never pay for loading it (about 40 ms).
//
// Tables (`dedupe index export` writes from them the tables of `dedupe sketch --parquet`):
//   params(name, value)                 what decides the stored data (record.ts: indexParams)
//   documents(id, doc, side, words, shingle_count, compared, content_hash,
//             size, mtime, payload_offset, payload_length, gen, dropped)
//   bands(id, band, key)                one row per LSH band of each document
//   state(committed, payload_end)       the last add run that finished; the payloads file's end then
// Each document's wide data (path, aliases, report, meta, and the shingle hashes with what the
// report needs, packed) is a record of the payloads file: fetching 1,000 scattered documents'
// wide columns from DuckDB read whole blocks per row (8.7 s from a cold page cache on a million
// documents); their records are 1,000 small positioned reads.
//
// An add is all or nothing, yet commits every chunk of files: DuckDB holds a transaction's rows
// in memory until it commits (adding 200,000 documents in one transaction peaked at 1.7 GB RSS).
// Each add run is a generation: its rows carry `gen`, the rows it replaces or prunes get
// `dropped`, and only its last, small transaction makes them count, by raising
// `state.committed`. Readers see the view `live` (gen ≤ committed, not dropped by then); a run
// that died leaves rows no reader sees, cleared when the index is next opened for writing.

/** An index another process holds open for writing (DuckDB's file lock). */
export class IndexBusyError extends DedupeError {
  constructor(file: string, detail: string) {
    const pid = /PID (\d+)/.exec(detail)?.[1];
    super('INVALID_ARGUMENT', `${file}: the index is in use by another process${pid ? ` (PID ${pid})` : ''}; an index is written by one dedupe at a time, and not while another reads it: try again when it has finished`);
  }
}

/** The index was made with other parameters than the run's. */
export class IndexParamsError extends DedupeError {
  /** `fixed`: a difference no option mends (another format or labeller): only a new index does. */
  constructor(file: string, differences: readonly string[], fixed = false) {
    super('INVALID_OPTION', `${file}: the index was made with other parameters: ${differences.join('; ')} (${fixed ? 'build a new index' : "use the index's options, or build a new index"})`);
  }
}

/** A file that cannot be opened as an index: missing, not DuckDB, or a DuckDB file of something else. */
export class IndexOpenError extends DedupeError {
  constructor(file: string, problem: string) {
    super('INVALID_ARGUMENT', `${file}: ${problem}`);
  }
}

export interface CatalogEntry {
  id: number;
  size: number;
  mtime: number;
  contentHash: string;
}

/** A stored document as a check reads it back. */
export interface StoredDocument {
  id: number;
  path: string;
  size: number;
  aliases: string[];
  report: string;
  meta: SketchMeta;
  arrays: Uint8Array;
}

export interface IndexStats {
  documents: number;
  bands: number;
  /** Bytes of the database file, its write-ahead log and its payloads file. */
  bytes: number;
  /** The payloads file: its bytes, and those no document of the index uses (replaced, pruned, or left by a stopped run). */
  payloads: { bytes: number; dead: number };
  params: Record<string, string>;
}

const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS params (name VARCHAR, value VARCHAR)',
  `CREATE TABLE IF NOT EXISTS documents (id INTEGER, doc VARCHAR, side VARCHAR, words INTEGER, shingle_count INTEGER, compared VARCHAR,
     content_hash VARCHAR, size BIGINT, mtime DOUBLE, payload_offset BIGINT, payload_length INTEGER, gen INTEGER, dropped INTEGER)`,
  'CREATE TABLE IF NOT EXISTS bands (id INTEGER, band INTEGER, key UINTEGER)',
  'CREATE TABLE IF NOT EXISTS state (committed INTEGER, payload_end BIGINT)',
  'INSERT INTO state SELECT 0, 0 WHERE NOT EXISTS (SELECT * FROM state)',
  `CREATE VIEW IF NOT EXISTS live AS SELECT * FROM documents
     WHERE gen <= (SELECT committed FROM state) AND (dropped IS NULL OR dropped > (SELECT committed FROM state))`,
];

/** What a run that died left (rows of an unfinished generation, marks it set), and rows dropped by finished ones. */
const CLEAN_UP = [
  'DELETE FROM bands WHERE id IN (SELECT id FROM documents WHERE gen > (SELECT committed FROM state) OR dropped <= (SELECT committed FROM state))',
  'DELETE FROM documents WHERE gen > (SELECT committed FROM state) OR dropped <= (SELECT committed FROM state)',
  'UPDATE documents SET dropped = NULL WHERE dropped > (SELECT committed FROM state)',
];

/** What `SELECT id, size::DOUBLE, payload_offset, payload_length` gives of documents. */
const NARROW = 'id, size::DOUBLE, payload_offset, payload_length';

let duckdb: Promise<typeof import('@duckdb/node-api')> | undefined;
const loadDuckDB = () => (duckdb ??= import('@duckdb/node-api'));

/** DuckDB's message for a file another process holds. */
const isLockError = (error: unknown) => error instanceof Error && /Could not set lock on file/i.test(error.message);

export class IndexStore {
  private appenders?: { documents: DuckDBAppender; bands: DuckDBAppender };
  /** Undefined for an index of an older format (refused by checkParams, counted by stats). */
  private payloads?: PayloadFile;
  private nextId = 0;
  /** The generation this run writes (the committed one plus one). */
  private gen = 0;

  private constructor(
    readonly file: string,
    private readonly instance: DuckDBInstance,
    private readonly db: DuckDBConnection,
    readonly writable: boolean,
  ) {}

  /**
   * Open (for `write`, create) an index. Writing takes DuckDB's exclusive file lock: a second
   * writer, or a reader while one writes, gets IndexBusyError. Readers share the file.
   */
  static async open(file: string, { write }: { write: boolean }): Promise<IndexStore> {
    if (!write && !existsSync(file)) throw new IndexOpenError(file, 'no such index (dedupe index add PATH… --index FILE makes one)');
    const { DuckDBInstance } = await loadDuckDB();
    const existed = existsSync(file);
    let instance: DuckDBInstance;
    try {
      // Bounded memory whatever the corpus: DuckDB writes a large transaction's row groups to the
      // file as they fill and keeps at most this much of them (and of anything else) in memory,
      // spilling the rest. With 1 GB, adding 200,000 documents peaked at 2.1 GB RSS.
      instance = await DuckDBInstance.create(file, { access_mode: write ? 'READ_WRITE' : 'READ_ONLY', memory_limit: '256MB', threads: '2' });
    } catch (error) {
      if (isLockError(error)) throw new IndexBusyError(file, (error as Error).message);
      // A file this run began to create (on a full disk, say) is not left behind as an empty "index".
      if (!existed) for (const made of [file, `${file}.wal`]) rmSync(made, { force: true });
      throw new IndexOpenError(file, `cannot open the index: ${(error as Error).message.split('\n')[0]}`);
    }
    const db = await instance.connect();
    const store = new IndexStore(file, instance, db, write);
    // A refused file this run created is not left behind; one that was there is left as it was.
    const refuse = (error: Error): never => {
      store.close();
      if (!existed) for (const made of [file, `${file}.wal`]) rmSync(made, { force: true });
      throw error;
    };
    const count = async (where: string) => Number((await db.runAndReadAll(`SELECT count(*) FROM information_schema.tables WHERE ${where}`)).getRows()[0]?.[0]);
    const tables = () => count("table_name IN ('params', 'documents', 'bands', 'state', 'live')");
    // Only an empty database gets the schema: a DuckDB file of something else is left alone.
    if (write && (await count('true')) === 0) for (const sql of SCHEMA) await db.run(sql);
    if ((await tables()) !== 5) refuse(new IndexOpenError(file, 'a DuckDB file, but not a dedupe index (or one of an older format: build a new index)'));
    if (write) for (const sql of CLEAN_UP) await db.run(sql);
    // An older format's state has no payload_end (checkParams then refuses the index, naming the format).
    const state = await db.runAndReadAll('SELECT * FROM state');
    const at = state.columnNames().indexOf('payload_end');
    if (at >= 0) {
      try {
        store.payloads = PayloadFile.open(`${file}.payloads`, Number(state.getRows()[0]?.[at] ?? 0), write);
      } catch (error) {
        refuse(error as Error);
      }
    }
    const next = await db.runAndReadAll('SELECT coalesce(max(id) + 1, 0)::INTEGER, (SELECT committed FROM state) + 1 FROM documents');
    const [nextId, gen] = next.getRows()[0] ?? [0, 1];
    store.nextId = Number(nextId);
    store.gen = Number(gen);
    return store;
  }

  async params(): Promise<Map<string, string>> {
    const rows = (await this.db.runAndReadAll('SELECT name, value FROM params')).getRows();
    return new Map(rows.map(([name, value]) => [String(name), String(value)]));
  }

  /**
   * The index's parameters must be the run's (IndexParamsError names each difference); an
   * empty index, opened for writing, takes the run's.
   */
  async checkParams(wanted: ReadonlyArray<readonly [string, string]>): Promise<void> {
    const stored = await this.params();
    if (stored.size === 0 && this.writable) {
      const appender = await this.db.createAppender('params');
      for (const [name, value] of wanted) {
        appender.appendVarchar(name);
        appender.appendVarchar(value);
        appender.endRow();
      }
      appender.closeSync();
      return;
    }
    const differences = paramDifferences(stored, wanted);
    const fixed = wanted.some(([name, value]) => (name === 'format' || name === 'labeller') && stored.get(name) !== value);
    if (differences.length) throw new IndexParamsError(this.file, differences, fixed);
  }

  /** Every stored path with what tells whether its file changed. */
  async catalog(): Promise<Map<string, CatalogEntry>> {
    const reader = await this.db.runAndReadAll('SELECT id, doc, size::DOUBLE, mtime, content_hash FROM live');
    const [ids = [], docs = [], sizes = [], mtimes = [], hashes = []] = reader.getColumns() as Array<Array<number | string>>;
    const out = new Map<string, CatalogEntry>();
    for (let i = 0; i < docs.length; i++) {
      out.set(String(docs[i]), { id: Number(ids[i]), size: Number(sizes[i]), mtime: Number(mtimes[i]), contentHash: String(hashes[i]) });
    }
    return out;
  }

  /** Start a chunk of the run's writes (see the top of this file: nothing counts until finish). */
  async begin(): Promise<void> {
    await this.db.run('BEGIN TRANSACTION');
  }

  /** End a chunk: its rows are on disk, still invisible to readers. */
  async commit(): Promise<void> {
    this.closeAppenders();
    await this.db.run('COMMIT');
  }

  async rollback(): Promise<void> {
    this.appenders = undefined;
    await this.db.run('ROLLBACK');
  }

  /** Make the whole run count, in one small transaction (its payloads on disk first); then clear the rows it replaced. */
  async finish(): Promise<void> {
    this.closeAppenders();
    const end = this.payloadFile().sync();
    await this.db.run('UPDATE state SET committed = $1, payload_end = $2', [this.gen, end]);
    this.gen++;
    for (const sql of CLEAN_UP) await this.db.run(sql);
  }

  /** Drop documents (changed files are dropped, then added again), from the end of this run on. */
  async remove(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    this.closeAppenders();
    await this.tempTable('gone', 'id INTEGER', (appender) => {
      for (const id of ids) {
        appender.appendInteger(id);
        appender.endRow();
      }
    });
    await this.db.run('UPDATE documents SET dropped = $1 WHERE id IN (SELECT id FROM gone)', [this.gen]);
    await this.db.run('DROP TABLE gone');
  }

  /** Files whose size or time changed but whose text did not: only their stat is updated (one statement for all). */
  async touch(files: ReadonlyArray<{ id: number; size: number; mtime: number }>): Promise<void> {
    if (files.length === 0) return;
    this.closeAppenders();
    await this.tempTable('touched', 'id INTEGER, size BIGINT, mtime DOUBLE', (appender) => {
      for (const { id, size, mtime } of files) {
        appender.appendInteger(id);
        appender.appendBigInt(BigInt(size));
        appender.appendDouble(mtime);
        appender.endRow();
      }
    });
    await this.db.run('UPDATE documents SET size = t.size, mtime = t.mtime FROM touched t WHERE documents.id = t.id');
    await this.db.run('DROP TABLE touched');
  }

  async append(records: readonly IndexRecord[]): Promise<void> {
    if (!this.appenders) {
      this.appenders = { documents: await this.db.createAppender('documents'), bands: await this.db.createAppender('bands') };
    }
    const { documents, bands } = this.appenders;
    const refs = this.payloadFile().append(
      records.map((r) => encodePayload(r.path, JSON.stringify(r.aliases), r.report, JSON.stringify(sketchMeta(r.sketch)), packArrays(r.sketch))),
    );
    for (const [k, record] of records.entries()) {
      const id = this.nextId++;
      const ref = refs[k] as PayloadRef;
      documents.appendInteger(id);
      documents.appendVarchar(record.path);
      documents.appendVarchar('baseline');
      documents.appendInteger(record.words);
      documents.appendInteger(record.sketch.shingles.length);
      documents.appendVarchar(record.sketch.compared);
      documents.appendVarchar(record.contentHash);
      documents.appendBigInt(BigInt(record.size));
      documents.appendDouble(record.mtime);
      documents.appendBigInt(BigInt(ref.offset));
      documents.appendInteger(ref.length);
      documents.appendInteger(this.gen);
      documents.appendNull();
      documents.endRow();
      record.bandKeys.forEach((key, band) => {
        bands.appendInteger(id);
        bands.appendInteger(band);
        bands.appendUInteger(key);
        bands.endRow();
      });
    }
  }

  private closeAppenders(): void {
    if (!this.appenders) return;
    this.appenders.documents.closeSync();
    this.appenders.bands.closeSync();
    this.appenders = undefined;
  }

  /** Fill a temporary table from rows (one appender call per value). */
  private async tempTable(name: string, columns: string, fill: (appender: DuckDBAppender) => void): Promise<void> {
    await this.db.run(`CREATE OR REPLACE TEMP TABLE ${name} (${columns})`);
    const appender = await this.db.createAppender(name, 'main', 'temp');
    fill(appender);
    appender.closeSync();
  }

  /** Which of these absolute paths the index holds, each with its content hash. */
  async holds(paths: readonly string[]): Promise<Map<string, string>> {
    if (paths.length === 0) return new Map();
    await this.tempTable('asked', 'doc VARCHAR', (appender) => {
      for (const p of paths) {
        appender.appendVarchar(p);
        appender.endRow();
      }
    });
    const rows = (await this.db.runAndReadAll('SELECT doc, content_hash FROM live WHERE doc IN (SELECT doc FROM asked)')).getRows();
    return new Map(rows.map(([doc, hash]) => [String(doc), String(hash)]));
  }

  /**
   * The stored documents that share a band key with any of `keys` (`bands` keys per incoming
   * document, band order): LSH candidates, by a hash join in DuckDB. In id order, which is the
   * order the files were added in.
   */
  async candidates(keys: Uint32Array, bands: number): Promise<StoredDocument[]> {
    if (keys.length === 0) return [];
    await this.tempTable('probe', 'band INTEGER, key UINTEGER', (appender) => {
      for (let i = 0; i < keys.length; i++) {
        appender.appendInteger(i % bands);
        appender.appendUInteger(keys[i] as number);
        appender.endRow();
      }
    });
    const found = await this.db.runAndReadAll('SELECT DISTINCT b.id FROM bands b JOIN probe p ON b.band = p.band AND b.key = p.key ORDER BY b.id');
    const ids = found.getRows().map(([id]) => Number(id));
    if (ids.length === 0) return [];
    // A literal list (whole numbers from the index itself) is pushed into the scan; the columns
    // are narrow (20–50 ms cold on a million documents), the rest is read from the payloads file.
    return this.withPayloads((await this.db.runAndReadAll(`SELECT ${NARROW} FROM live WHERE id IN (${ids.join(',')}) ORDER BY id`)).getRows());
  }

  /** Rows of NARROW with their records read. */
  private async withPayloads(rows: unknown[][]): Promise<StoredDocument[]> {
    const payloads = await this.payloadFile().read(rows.map(([, , offset, length]) => ({ offset: Number(offset), length: Number(length) })));
    return rows.map(([id, size], i) => ({ id: Number(id), size: Number(size), ...(payloads[i] as Payload) }));
  }

  private payloadFile(): PayloadFile {
    if (!this.payloads) throw new IndexOpenError(this.file, 'an index of an older format (build a new index)');
    return this.payloads;
  }

  async stats(): Promise<IndexStats> {
    const count = async (table: string) => Number((await this.db.runAndReadAll(`SELECT count(*)::BIGINT FROM ${table}`)).getRows()[0]?.[0] ?? 0);
    const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
    const payloadBytes = size(`${this.file}.payloads`);
    // The live records' bytes: the rest of the file (past its header) is dead.
    const used = this.payloads ? Number((await this.db.runAndReadAll('SELECT coalesce(sum(payload_length), 0)::BIGINT FROM live')).getRows()[0]?.[0] ?? 0) : 0;
    return {
      documents: await count('live'),
      bands: await count('bands WHERE id IN (SELECT id FROM live)'),
      bytes: size(this.file) + size(`${this.file}.wal`) + payloadBytes,
      payloads: { bytes: payloadBytes, dead: Math.max(0, payloadBytes - PAYLOADS_HEADER - used) },
      params: Object.fromEntries(await this.params()),
    };
  }

  /** Each stored document, `batch` at a time, in id order (paged by id: each page is an index range, not a scan past the earlier ones). */
  async *documents(batch = 2000): AsyncGenerator<StoredDocument[]> {
    for (let after = -1; ; ) {
      const rows = (await this.db.runAndReadAll(`SELECT ${NARROW} FROM live WHERE id > ${after} ORDER BY id LIMIT ${batch}`)).getRows();
      if (rows.length === 0) return;
      after = Number(rows[rows.length - 1]?.[0]);
      yield await this.withPayloads(rows);
    }
  }

  close(): void {
    this.closeAppenders();
    this.payloads?.close();
    this.payloads = undefined;
    this.db.closeSync();
    this.instance.closeSync();
  }
}
