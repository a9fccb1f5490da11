// The commands past one machine (README "Large corpora"): `sketch` writes a shard's tables as
// Parquet, `pairs` runs sql/pairs.sql over shards on embedded DuckDB, `report` turns verified
// pairs back into the usual report. main.ts hands over what they share with the main command.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import type { AnalyseOptions } from '../core/options.js';
import { unlabelledWarningsOf } from '../core/document.js';
import type { LoadedCorpus, LoadHooks } from '../input/corpus.js';
import { displayPath, readInBatches, type SideReader, type SourceDocument } from '../input/read.js';
import type { ProgressCallback } from '../types/progress.js';
import type { Report, Warning } from '../report/types.js';
import { documentsToLoad, optionsFromParams, reportFromPairs, type PairRow, type ShingleSets } from '../shard/report.js';
import { BATCH_DOCUMENTS, sketchTables } from '../shard/sketch.js';
import { SketchSession } from '../core/parallel.js';
import { shardParams, shardProblems, type DocumentRow } from '../shard/tables.js';
import { EXIT_CLEAN, EXIT_ERROR } from './exit-code.js';
import { BrokenPipeError, writeAll } from './io.js';
import { filesRead, outputFlag, outputRefusal, type Guarded } from './output.js';
import { addOptions, subcommandFlags, type Flags } from './options.js';
import { computePairs, duplicateDocuments, loadDuckDB, openShards, pairsFormat, ParquetError, readTemplates, shardFiles, shardParamRows, ShardWriter, writePairs, writeTemplates } from './parquet.js';
import { UnionFind } from '../cluster/union-find.js';
import { createProgress } from './progress.js';

interface ShardIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => number;
}

type Inputs = { paths: string[]; stdin?: SourceDocument };

/** What the shard commands share with the main command (main.ts). */
export interface ShardContext<IO extends ShardIO> {
  io: IO;
  setExit: (code: number) => void;
  tool: Report['tool'];
  usageError: (message: string, hint?: string) => Error;
  output: { writeOut: (s: string) => void; writeErr: (s: string) => void };
  gatherInputs: (given: readonly string[], flags: Flags<'sketch'>, io: IO) => Promise<Inputs>;
  readInputs: (inputs: Inputs, flags: Flags<'sketch'>, io: IO, hooks?: LoadHooks, onProgress?: ProgressCallback) => Promise<LoadedCorpus>;
  analyseOptionsFrom: (flags: Flags<'sketch'>) => AnalyseOptions;
  cappedJobs: (jobs: number, io: IO, quiet: boolean) => number;
  warn: (io: IO, warnings: readonly Warning[]) => void;
  deliverReport: (report: Report, flags: Flags<'report'> & { format: Flags<'main'>['format'] }, io: IO, readErrors: number) => Promise<number>;
}

/** A ParquetError (a missing shard, a file DuckDB cannot read) is a usage or I/O error: exit 2. */
async function asUsage<T, IO extends ShardIO>(ctx: ShardContext<IO>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ParquetError) throw ctx.usageError(error.message);
    throw error;
  }
}

const inside = (child: string, parent: string) => {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

async function runSketch<IO extends ShardIO>(paths: string[], flags: Flags<'sketch'>, ctx: ShardContext<IO>): Promise<number> {
  const { io } = ctx;
  const dirs = flags.parquet ?? [];
  if (dirs.length !== 1) throw ctx.usageError('dedupe sketch writes one shard: give --parquet DIR once, after the paths');
  const dir = path.resolve(io.cwd, dirs[0] as string);
  const options = ctx.analyseOptionsFrom(flags);
  const threads = ctx.cappedJobs(flags.jobs, io, Boolean(flags.quiet));
  const inputs = await ctx.gatherInputs(paths, flags, io);
  if (inputs.paths.length === 0 && !inputs.stdin) throw ctx.usageError('no paths given (name files or directories, - for the text on stdin, or --files-from)');
  // Never write into what is being read.
  const input = inputs.paths.map((p) => path.resolve(io.cwd, p)).find((p) => inside(dir, p) || inside(p, dir));
  if (input !== undefined) throw ctx.usageError(`--parquet ${dirs[0]} overlaps the input ${path.relative(io.cwd, input) || '.'}: write the shard elsewhere`);
  await asUsage(ctx, loadDuckDB);
  const templates = flags.templates ? await asUsage(ctx, () => readTemplates(path.resolve(io.cwd, flags.templates as string))) : undefined;
  const progress = createProgress(io.stderr, io.env, Boolean(flags.quiet), undefined, io.now);
  // Opened with the first documents: an input that fails to read leaves no directory behind.
  let writer: ShardWriter | undefined;
  const writerOf = async () => (writer ??= await asUsage(ctx, () => ShardWriter.open(dir)));
  const session = new SketchSession(options, threads);
  // A document too long to label goes into the shard all body: said, as a report says it.
  const unlabelled: Warning[] = [];
  let sketched = 0;
  // Documents go into the shard a batch at a time as they are read, their texts let go after: a
  // shard's memory holds one batch of texts, not all of them.
  const write = async (batch: readonly SourceDocument[]) => {
    const documents = flags.side ? batch.map((d) => ({ ...d, side: flags.side })) : batch;
    for (const w of unlabelledWarningsOf(documents, options)) unlabelled.push(w);
    const shard = await writerOf();
    for await (const tables of sketchTables(documents, options, { templates, session })) for (const t of tables) shard.add(t);
    for (const d of batch) d.text = '';
    sketched += batch.length;
  };
  let corpus: Pick<LoadedCorpus, 'warnings' | 'readErrors'> = { warnings: [], readErrors: 0 };
  try {
    // Text on stdin comes first, as it would in a report.
    if (inputs.stdin) await write([inputs.stdin]);
    if (inputs.paths.length > 0) {
      const readSide: SideReader = (tasks, read) => readInBatches(tasks, read, { size: BATCH_DOCUMENTS, onBatch: write });
      corpus = await ctx.readInputs({ ...inputs, stdin: undefined }, flags, io, { readSide }, progress.update);
    }
  } catch (error) {
    writer?.abort();
    throw error;
  } finally {
    progress.stop();
    await session.close();
  }
  if (!flags.quiet) ctx.warn(io, [...corpus.warnings, ...unlabelled]);
  const shard = await writerOf();
  await asUsage(ctx, () => shard.finish(shardParams(options, ctx.tool)));
  if (!flags.quiet) io.stderr.write(`dedupe: sketched ${sketched} documents into ${dirs[0]}\n`);
  return corpus.readErrors > 0 ? EXIT_ERROR : EXIT_CLEAN;
}

/** The shards named by --parquet, opened with sql/pairs.sql's views, checked to agree. */
async function openCheckedShards<IO extends ShardIO>(flags: { parquet?: string[] }, ctx: ShardContext<IO>) {
  const dirs = flags.parquet ?? [];
  if (dirs.length === 0) throw ctx.usageError('name the shards: --parquet DIR... (directories written by dedupe sketch)');
  return asUsage(ctx, async () => {
    const { shards, files } = shardFiles(dirs, ctx.io.cwd);
    const connection = await openShards(files);
    // Named as reports name paths: relative inside the working directory, absolute outside it.
    const shown = shards.map((s) => displayPath(s, ctx.io.cwd));
    const params = (await shardParamRows(connection, files.params)).map((p) => ({ ...p, shard: displayPath(p.shard, ctx.io.cwd) }));
    const problems = shardProblems(params, shown, await duplicateDocuments(connection));
    if (problems.length) {
      connection.closeSync();
      throw new ParquetError(`the shards cannot be joined: ${problems.join('; ')}`);
    }
    return { connection, shards, files: Object.values(files).flat(), params: new Map(params.map((p) => [p.name, p.value])) };
  });
}

/** Each document in a pair, with a name for its group (documents joined by pairs, directly or not). */
function groupsOf(pairs: ReadonlyArray<[string, string]>): Map<string, string> {
  const ids = new Map<string, number>();
  const id = (doc: string) => ids.get(doc) ?? (ids.set(doc, ids.size), ids.size - 1);
  const edges = pairs.map(([a, b]) => [id(a), id(b)] as const);
  const sets = new UnionFind(ids.size);
  for (const [a, b] of edges) sets.union(a, b);
  const names = [...ids.keys()];
  return new Map(names.map((doc, i) => [doc, names[sets.find(i)] as string]));
}

/**
 * The flags with --output read as tools read it (`-` is stdout), refused before anything is read
 * where it cannot be written or would go over a file the run reads (the config file, the
 * --files-from list, and `read`).
 */
async function withOutput<F extends { output?: string; config?: string; filesFrom?: string }, IO extends ShardIO>(given: F, read: readonly Guarded[], ctx: ShardContext<IO>): Promise<F> {
  const out = outputFlag(given.output);
  if (out.error) throw ctx.usageError(out.error);
  const flags = { ...given, output: out.output };
  const refusal = flags.output && (await outputRefusal(flags.output, [...filesRead(flags), ...read], ctx.io.cwd));
  if (refusal) throw ctx.usageError(refusal.message, refusal.hint);
  return flags;
}

async function runPairs<IO extends ShardIO>(given: Flags<'pairs'>, ctx: ShardContext<IO>): Promise<number> {
  const { io } = ctx;
  const flags = await withOutput(given, [], ctx);
  const { connection, shards, files } = await openCheckedShards(flags, ctx);
  try {
    // The shards are the input: never write over one of their files.
    for (const [flag, given] of [['--output', flags.output], ['--templates', flags.templates]] as const) {
      if (given === undefined) continue;
      const target = path.resolve(io.cwd, given);
      if (shards.some((shard) => inside(target, shard)) || files.includes(target)) throw ctx.usageError(`${flag} ${given} is inside a shard: refusing to write over the input`);
    }
    await asUsage(ctx, () => computePairs(connection));
    if (flags.templates) {
      const count = await asUsage(ctx, () => writeTemplates(connection, shards, path.resolve(io.cwd, flags.templates as string), groupsOf));
      if (!flags.quiet) io.stderr.write(`dedupe: ${count} template lines written to ${flags.templates}\n`);
    }
    if (flags.output) {
      const count = await asUsage(ctx, () => writePairs(connection, path.resolve(io.cwd, flags.output as string)));
      if (!flags.quiet) io.stderr.write(`dedupe: ${count} verified pairs written to ${flags.output}\n`);
      return EXIT_CLEAN;
    }
    // CSV on stdout, written by DuckDB as it writes a .csv file (the same numbers, the same quoting).
    const scratch = mkdtempSync(path.join(tmpdir(), 'dedupe-pairs-'));
    try {
      const file = path.join(scratch, 'pairs.csv');
      await asUsage(ctx, () => writePairs(connection, file));
      await writeAll(io.stdout, readFileSync(file, 'utf8'));
    } catch (error) {
      if (!(error instanceof BrokenPipeError)) throw error;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    return EXIT_CLEAN;
  } finally {
    connection.closeSync();
  }
}

const READERS = { parquet: 'read_parquet', csv: 'read_csv', json: 'read_json' } as const;

async function runReport<IO extends ShardIO>(given: Flags<'report'>, ctx: ShardContext<IO>): Promise<number> {
  const { io } = ctx;
  if (!given.pairs) throw ctx.usageError('name the verified pairs: --pairs FILE (from sql/pairs.sql or dedupe pairs)');
  const format = pairsFormat(given.pairs);
  if (!format) throw ctx.usageError(`--pairs ${given.pairs}: name a .parquet, .csv or .jsonl file`);
  // The pairs and the shards are the input: the report never goes over them.
  const read = [{ path: given.pairs, what: 'the pairs' }, ...(given.parquet ?? []).map((dir) => ({ path: dir, what: 'a shard', directory: true }))];
  const flags = await withOutput(given, read, ctx);
  const { connection, params } = await openCheckedShards(flags, ctx);
  try {
    const options = optionsFromParams(params, { keep: flags.keep ?? 'longest', allPairs: Boolean(flags.allPairs) });
    const report = await asUsage(ctx, async () => {
      const file = path.resolve(io.cwd, flags.pairs as string).replace(/'/g, "''");
      let pairs: PairRow[];
      try {
        const read = await connection.runAndReadAll(
          `SELECT CAST(doc_a AS VARCHAR) AS doc_a, CAST(doc_b AS VARCHAR) AS doc_b, CAST(similarity AS DOUBLE) AS similarity,
                  CAST(containment AS DOUBLE) AS containment, CAST(exact AS BOOLEAN) AS exact FROM ${READERS[format]}('${file}')`,
        );
        pairs = read.getRowObjectsJS() as unknown as PairRow[];
      } catch (error) {
        throw new ParquetError(`--pairs ${flags.pairs}: cannot read the pairs (columns doc_a, doc_b, similarity, containment, exact): ${(error as Error).message.split('\n')[0]}`);
      }
      const documents = (await connection.runAndReadAll('SELECT * FROM documents')).getRowObjectsJS().map((r) => ({
        ...r,
        bytes: Number(r.bytes),
      })) as unknown as DocumentRow[];
      const known = new Set(documents.map((d) => d.doc));
      const stranger = pairs.flatMap((p) => [p.doc_a, p.doc_b]).find((d) => !known.has(d));
      if (stranger !== undefined) throw new ParquetError(`--pairs ${flags.pairs}: the document ${stranger} is in no shard given (--parquet)`);
      const sets = await loadSets(connection, documentsToLoad(documents, pairs));
      return reportFromPairs(documents, pairs, sets, options, ctx.tool);
    });
    return await ctx.deliverReport(report, flags, io, 0);
  } finally {
    connection.closeSync();
  }
}

/** The shingle sets of the documents named, from the shards' shingles table. */
async function loadSets(connection: Awaited<ReturnType<typeof openShards>>, docs: readonly string[]): Promise<Map<string, ShingleSets>> {
  const sets = new Map<string, ShingleSets>();
  if (docs.length === 0) return sets;
  await connection.run('CREATE OR REPLACE TEMPORARY TABLE dedupe_wanted (doc VARCHAR)');
  const appender = await connection.createAppender('dedupe_wanted');
  for (const doc of docs) {
    appender.appendVarchar(doc);
    appender.endRow();
  }
  appender.closeSync();
  const result = await connection.runAndReadAll(
    'SELECT s.doc, s.kind, list(CAST(s.hash AS UINTEGER) ORDER BY s.hash) AS hashes FROM shingles s JOIN dedupe_wanted w ON w.doc = s.doc GROUP BY s.doc, s.kind',
  );
  for (const [doc, kind, hashes] of result.getRowsJS() as Array<[string, string, number[]]>) {
    const entry = sets.get(doc) ?? { full: new Uint32Array(0) };
    entry[kind === 'body' ? 'body' : 'full'] = Uint32Array.from(hashes);
    sets.set(doc, entry);
  }
  // A document without shingles has none stored: its sets are empty.
  for (const doc of docs) if (!sets.has(doc)) sets.set(doc, { full: new Uint32Array(0) });
  return sets;
}

/** Declare `sketch`, `pairs` and `report` on the program. */
export function addShardCommands<IO extends ShardIO>(program: Command, ctx: ShardContext<IO>): void {
  const command = (name: string, description: string) => new Command(name).description(description).exitOverride().configureOutput(ctx.output);
  const sketch = command('sketch', 'sketch documents into a shard of Parquet tables (one per machine; see README "Large corpora")').argument(
    '[paths...]',
    'files and directories to read (- is the text on stdin, one document)',
  );
  addOptions(sketch, 'sketch');
  sketch.action(async (paths: string[]) => ctx.setExit(await runSketch(paths, subcommandFlags(sketch, program, 'sketch'), ctx)));

  const pairs = command('pairs', 'find and verify the near-duplicate pairs of sketched shards (sql/pairs.sql on embedded DuckDB)');
  addOptions(pairs, 'pairs');
  pairs.action(async () => ctx.setExit(await runPairs(subcommandFlags(pairs, program, 'pairs'), ctx)));

  const report = command('report', 'the usual report from verified pairs (--pairs) and the shards they came from (--parquet)');
  addOptions(report, 'report');
  report.action(async () => ctx.setExit(await runReport(subcommandFlags(report, program, 'report'), ctx)));

  program.addCommand(sketch).addCommand(pairs).addCommand(report);
}
