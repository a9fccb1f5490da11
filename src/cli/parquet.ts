// Parquet shards through embedded DuckDB (@duckdb/node-api). DuckDB is imported on first use, so
// a run that reads or writes no Parquet never loads it (nor its 60 MB native library).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import { SHARD_COLUMNS, SHARD_TABLES, TEMPLATE_TABLE, type DocumentTables, type ShardTable } from '../shard/tables.js';

type DuckDB = typeof import('@duckdb/node-api');

let loaded: Promise<DuckDB> | undefined;
const duckdb = () =>
  (loaded ??= import('@duckdb/node-api').catch((error: unknown) => {
    loaded = undefined;
    // No prebuilt DuckDB for this platform, or the package left out of an install.
    throw new ParquetError(`Parquet needs DuckDB (@duckdb/node-api), which cannot be loaded here: ${(error as Error).message.split('\n')[0]}`);
  }));

/** Load DuckDB now (before a long read), so that a platform without it fails first, not last. */
export async function loadDuckDB(): Promise<void> {
  await duckdb();
}

/**
 * What the staging database may hold in memory before it spills to its temp directory (DuckDB's
 * default is 80% of RAM). Sketching 22,250 BBC files: peak RSS 2.6-3.0 GB unbounded, 1.3-1.4 GB
 * at 512 MB, in no more time (27-32 s against 31-34 s) and to the same bytes; 256 MB took 15% longer.
 */
const STAGING_MEMORY = '512MB';

/** A staged shingle row's kind (see ShardWriter.open). */
const FULL = 0;
const BODY = 1;

/** A problem with Parquet input or output (a missing shard, DuckDB's own error): exit 2 with the message. */
export class ParquetError extends Error {}

/** An SQL string literal. */
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
const listOf = (files: readonly string[]) => `[${files.map(literal).join(', ')}]`;

async function connect(options: Record<string, string> = {}): Promise<DuckDBConnection> {
  const { DuckDBInstance } = await duckdb();
  const instance = await DuckDBInstance.create(':memory:', options);
  return instance.connect();
}

/** Rows appended a data chunk at a time (one append call per value is several times slower). */
class ChunkAppender {
  private columns: unknown[][];
  private rows = 0;
  constructor(
    private readonly appender: Awaited<ReturnType<DuckDBConnection['createAppender']>>,
    private readonly types: readonly DuckDBType[],
    private readonly create: DuckDB['DuckDBDataChunk']['create'],
  ) {
    this.columns = types.map(() => []);
  }
  add(...values: unknown[]): void {
    for (let i = 0; i < values.length; i++) this.columns[i]!.push(values[i]);
    if (++this.rows === 2048) this.flush();
  }
  flush(): void {
    if (this.rows === 0) return;
    const chunk = this.create(this.types, this.rows);
    chunk.setColumns(this.columns as Parameters<typeof chunk.setColumns>[0]);
    this.appender.appendDataChunk(chunk);
    this.columns = this.types.map(() => []);
    this.rows = 0;
  }
  close(): void {
    this.flush();
    this.appender.closeSync();
  }
}

/**
 * Writes one shard: documents.parquet, bands.parquet, shingles.parquet and params.parquet in
 * `dir`. Rows are staged in an in-memory DuckDB database that spills to a hidden directory beside them, then each
 * table is written to a hidden temporary file and renamed into place, params last: a shard
 * with its params file is complete.
 */
export class ShardWriter {
  private constructor(
    private readonly dir: string,
    private readonly staging: string,
    private readonly connection: DuckDBConnection,
    private readonly appenders: Record<Exclude<ShardTable, 'params'> | typeof TEMPLATE_TABLE | 'ids', ChunkAppender>,
  ) {}

  /** Documents added so far: the next one's number in the staged shingle rows. */
  private documents = 0;

  /** `label` names the directory in messages (as the user gave it). */
  static async open(dir: string, label = `--parquet ${dir}`): Promise<ShardWriter> {
    const { DuckDBDataChunk, VARCHAR, INTEGER, UINTEGER, UTINYINT, BIGINT } = await duckdb();
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new ParquetError(`${label}: not a directory`);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new ParquetError(`${label}: cannot create the directory: ${(error as Error).message}`);
    }
    const staging = path.join(dir, `.dedupe-sketch-${process.pid}.tmp`);
    const connection = await connect({ temp_directory: staging, memory_limit: STAGING_MEMORY });
    // Staging types: unsigned 32-bit hashes go in as they are and are widened to BIGINT on output.
    await connection.run(`CREATE TABLE documents (${SHARD_COLUMNS.documents.map(([name, type]) => `${name} ${type}`).join(', ')})`);
    await connection.run('CREATE TABLE bands (doc VARCHAR, band INTEGER, key UINTEGER)');
    // Shingle rows carry a document number and a kind number, not two strings: appending a string
    // per row was most of a shard's time (22,250 BBC files, 13 million rows).
    await connection.run('CREATE TABLE shingles (id INTEGER, kind UTINYINT, hash UINTEGER)');
    await connection.run('CREATE TABLE ids (id INTEGER, doc VARCHAR)');
    await connection.run(`CREATE TABLE ${TEMPLATE_TABLE} (doc VARCHAR, line INTEGER, key UINTEGER)`);
    const typeOf = { VARCHAR, INTEGER, BIGINT } as const;
    const appender = async (table: string, types: readonly DuckDBType[]) => new ChunkAppender(await connection.createAppender(table), types, (t, n) => DuckDBDataChunk.create(t, n));
    return new ShardWriter(dir, staging, connection, {
      documents: await appender('documents', SHARD_COLUMNS.documents.map(([, type]) => typeOf[type])),
      bands: await appender('bands', [VARCHAR, INTEGER, UINTEGER]),
      shingles: await appender('shingles', [INTEGER, UTINYINT, UINTEGER]),
      ids: await appender('ids', [INTEGER, VARCHAR]),
      [TEMPLATE_TABLE]: await appender(TEMPLATE_TABLE, [VARCHAR, INTEGER, UINTEGER]),
    });
  }

  add(tables: DocumentTables): void {
    const { row, keys, full, body } = tables;
    this.appenders.documents.add(...SHARD_COLUMNS.documents.map(([name, type]) => {
      const value = row[name as keyof typeof row];
      return type === 'BIGINT' && typeof value === 'number' ? BigInt(value) : value;
    }));
    for (let band = 0; band < keys.length; band++) this.appenders.bands.add(row.doc, band, keys[band]);
    const id = this.documents++;
    this.appenders.ids.add(id, row.doc);
    for (const hash of full) this.appenders.shingles.add(id, FULL, hash);
    if (body) for (const hash of body) this.appenders.shingles.add(id, BODY, hash);
    for (const [line, key] of tables.templateKeys) this.appenders[TEMPLATE_TABLE].add(row.doc, line, key);
  }

  /** Write the Parquet files, params last; the staging database is removed either way. */
  async finish(params: ReadonlyArray<{ name: string; value: string }>): Promise<void> {
    try {
      for (const a of Object.values(this.appenders)) a.close();
      await this.connection.run('CREATE TABLE params (name VARCHAR, value VARCHAR)');
      for (const { name, value } of params) await this.connection.run('INSERT INTO params VALUES ($1, $2)', [name, value]);
      const selects: Record<ShardTable | typeof TEMPLATE_TABLE, string> = {
        [TEMPLATE_TABLE]: `SELECT doc, line, CAST(key AS BIGINT) AS key FROM ${TEMPLATE_TABLE} ORDER BY doc, line`,
        documents: 'SELECT * FROM documents ORDER BY doc',
        bands: 'SELECT doc, band, CAST(key AS BIGINT) AS key FROM bands ORDER BY doc, band',
        shingles: `SELECT ids.doc, CASE WHEN kind = ${BODY} THEN 'body' ELSE 'full' END AS kind, CAST(hash AS BIGINT) AS hash FROM shingles JOIN ids USING (id) ORDER BY doc, kind, hash`,
        params: 'SELECT * FROM params',
      };
      // params last: a shard with its params file is complete.
      for (const table of [TEMPLATE_TABLE, ...SHARD_TABLES] as const) {
        const target = path.join(this.dir, `${table}.parquet`);
        const temporary = path.join(this.dir, `.${table}.parquet.${process.pid}.tmp`);
        await this.connection.run(`COPY (${selects[table]}) TO ${literal(temporary)} (FORMAT parquet)`);
        renameSync(temporary, target);
      }
    } finally {
      this.connection.closeSync();
      rmSync(this.staging, { recursive: true, force: true });
      for (const table of [TEMPLATE_TABLE, ...SHARD_TABLES]) rmSync(path.join(this.dir, `.${table}.parquet.${process.pid}.tmp`), { force: true });
    }
  }

  /** Give up: remove the staging files, leave any earlier shard in `dir` as it was. */
  abort(): void {
    try {
      this.connection.closeSync();
    } finally {
      rmSync(this.staging, { recursive: true, force: true });
    }
  }
}

/**
 * The Parquet files of each table in the shards named: a directory holding `documents.parquet`
 * and the rest, or a directory of such directories. Every table must be there for every shard.
 */
export function shardFiles(dirs: readonly string[], cwd: string): { shards: string[]; files: Record<ShardTable, string[]> } {
  const shards: string[] = [];
  for (const given of dirs) {
    const dir = path.resolve(cwd, given);
    if (!existsSync(dir)) throw new ParquetError(`--parquet ${given}: no such directory`);
    if (!statSync(dir).isDirectory()) throw new ParquetError(`--parquet ${given}: not a directory (a shard is the directory \`dedupe sketch --parquet\` writes)`);
    if (existsSync(path.join(dir, 'params.parquet')) || existsSync(path.join(dir, 'documents.parquet'))) {
      shards.push(dir);
      continue;
    }
    const inner = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && existsSync(path.join(dir, e.name, 'documents.parquet')))
      .map((e) => path.join(dir, e.name))
      .sort();
    if (inner.length === 0) throw new ParquetError(`--parquet ${given}: no shard here (a directory with documents.parquet, or a directory of them)`);
    shards.push(...inner);
  }
  const files = Object.fromEntries(SHARD_TABLES.map((t) => [t, [] as string[]])) as Record<ShardTable, string[]>;
  for (const shard of shards) {
    for (const table of SHARD_TABLES) {
      const file = path.join(shard, `${table}.parquet`);
      if (!existsSync(file)) throw new ParquetError(`${path.relative(cwd, shard) || '.'}: ${table}.parquet is missing (an unfinished shard?)`);
      files[table].push(file);
    }
  }
  return { shards, files };
}

/** The shipped SQL (sql/pairs.sql beside dist/). */
export function pairsSql(): string {
  return readFileSync(new URL('../../sql/pairs.sql', import.meta.url), 'utf8');
}

/** A connection with the shards' tables as views (documents, bands, shingles, params), and sql/pairs.sql's views. */
export async function openShards(files: Record<ShardTable, string[]>): Promise<DuckDBConnection> {
  const connection = await connect();
  try {
    for (const table of SHARD_TABLES) await connection.run(`CREATE VIEW ${table} AS SELECT * FROM read_parquet(${listOf(files[table])})`);
    await connection.run(pairsSql());
  } catch (error) {
    connection.closeSync();
    // DuckDB's message goes on to quote the SQL: its first line names the file and the fault.
    throw new ParquetError(`cannot read the shards: ${(error as Error).message.split('\n')[0]}`);
  }
  return connection;
}

/** Each shard's parameters, with the shard they came from (for shardProblems). */
export async function shardParamRows(connection: DuckDBConnection, files: readonly string[]): Promise<Array<{ name: string; value: string; shard: string }>> {
  const rows = await connection.runAndReadAll(`SELECT name, value, filename FROM read_parquet(${listOf(files)}, filename = true)`);
  return rows.getRowObjectsJS().map((r) => ({ name: String(r.name), value: String(r.value), shard: path.dirname(String(r.filename)) }));
}

/** Documents named in more than one shard. */
export async function duplicateDocuments(connection: DuckDBConnection): Promise<string[]> {
  const rows = await connection.runAndReadAll('SELECT doc FROM documents GROUP BY doc HAVING COUNT(*) > 1 ORDER BY doc');
  return rows.getRowsJS().map(([doc]) => String(doc));
}

/** Output format of a pairs file, by its name: .parquet, .csv, or JSON lines (.jsonl, .ndjson, .json). */
export function pairsFormat(file: string): 'parquet' | 'csv' | 'json' | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.parquet') return 'parquet';
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'json';
  return undefined;
}

/** Run dedupe_pairs once, into the table dedupe_result (what writePairs and writeTemplates read). */
export async function computePairs(connection: DuckDBConnection): Promise<void> {
  try {
    await connection.run('CREATE OR REPLACE TEMPORARY TABLE dedupe_result AS SELECT * FROM dedupe_pairs ORDER BY doc_a, doc_b');
  } catch (error) {
    throw new ParquetError(`cannot join the shards: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Write dedupe_result (computePairs) to a file, atomically (a hidden temporary beside it, then a rename); returns the pair count. */
export async function writePairs(connection: DuckDBConnection, file: string): Promise<number> {
  const format = pairsFormat(file);
  if (!format) throw new ParquetError(`--output ${file}: name a .parquet, .csv or .jsonl file`);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const options = format === 'parquet' ? 'FORMAT parquet' : format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT json';
  try {
    await connection.run(`COPY dedupe_result TO ${literal(temporary)} (${options})`);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new ParquetError(`--output ${file}: cannot write the pairs: ${(error as Error).message}`);
  }
  const count = await connection.runAndReadAll('SELECT COUNT(*) FROM dedupe_result');
  return Number(count.getRowsJS()[0]?.[0] ?? 0);
}

/**
 * Corpus evidence for a second sketch: the template keys (blocks of five or more words) that
 * recur in three or more unrelated documents, as one run counts them: documents joined by a
 * verified or identical pair (dedupe_result, over a first sketch) count once. Written to `file`
 * as (key, documents); returns how many keys.
 */
export async function writeTemplates(connection: DuckDBConnection, shards: readonly string[], file: string, groupOf: (pairs: ReadonlyArray<[string, string]>) => Map<string, string>): Promise<number> {
  const keyFiles = shards.map((s) => path.join(s, `${TEMPLATE_TABLE}.parquet`));
  const missing = keyFiles.find((f) => !existsSync(f));
  if (missing) throw new ParquetError(`${missing} is missing: sketch the shard again with this version to count template lines`);
  const pairs = (await connection.runAndReadAll('SELECT doc_a, doc_b FROM dedupe_result')).getRowsJS() as Array<[string, string]>;
  await connection.run('CREATE OR REPLACE TEMPORARY TABLE dedupe_groups (doc VARCHAR, grp VARCHAR)');
  const appender = await connection.createAppender('dedupe_groups');
  for (const [doc, group] of groupOf(pairs)) {
    appender.appendVarchar(doc);
    appender.appendVarchar(group);
    appender.endRow();
  }
  appender.closeSync();
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await connection.run(
      `CREATE OR REPLACE TEMPORARY TABLE dedupe_templates AS
       SELECT t.key, CAST(COUNT(DISTINCT COALESCE(g.grp, t.doc)) AS INTEGER) AS documents
       FROM read_parquet(${listOf(keyFiles)}) t LEFT JOIN dedupe_groups g ON g.doc = t.doc
       GROUP BY t.key HAVING COUNT(DISTINCT COALESCE(g.grp, t.doc)) >= 3 AND (SELECT COUNT(*) FROM documents) >= 3
       ORDER BY t.key`,
    );
    await connection.run(`COPY dedupe_templates TO ${literal(temporary)} (FORMAT parquet)`);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new ParquetError(`--templates ${file}: cannot write the template counts: ${(error as Error).message.split('\n')[0]}`);
  }
  return Number((await connection.runAndReadAll('SELECT COUNT(*) FROM dedupe_templates')).getRowsJS()[0]?.[0] ?? 0);
}

/** Template counts written by writeTemplates: key → documents. */
export async function readTemplates(file: string): Promise<Map<number, number>> {
  const connection = await connect();
  try {
    const rows = (await connection.runAndReadAll(`SELECT key, documents FROM read_parquet(${literal(file)})`)).getRowsJS();
    return new Map(rows.map(([key, documents]) => [Number(key), Number(documents)]));
  } catch (error) {
    throw new ParquetError(`--templates ${file}: cannot read the template counts: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    connection.closeSync();
  }
}
