import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { chooseBands, writeBandKeys, type BandParams } from '../candidates/lsh.js';
import { clusterCorpus, gatherSketches } from '../core/analyse.js';
import { unlabelledWarningsOfSketches, type DocumentSketch } from '../core/document.js';
import type { AnalyseOptions } from '../core/options.js';
import { SketchSession, sketchAllParallel } from '../core/parallel.js';
import { copySketch } from '../core/sketch-transfer.js';
import { indexParams, restoreSketch, type IndexRecord } from '../index/record.js';
import { IndexStore, type CatalogEntry } from '../index/store.js';
import { recordFormatOf } from '../input/records.js';
import type { InputFormat } from '../options/kinds.js';
import { discoverFiles, MissingPathError } from '../input/discover.js';
import { displayPath, readDocuments, type SourceDocument } from '../input/read.js';
import { reportCorpus, type AnalyseContext } from '../report/build.js';
import { describeDocument } from '../report/describe.js';
import type { DocumentReport, Report, Warning } from '../report/types.js';
import { sketcherFor } from '../sketch/index.js';
import { documentTables, shardParams } from '../shard/tables.js';
import { ShardWriter } from './parquet.js';

// `dedupe index add|stats|export` and `dedupe PATH… --index FILE`: the CLI side of the
// persistent index (src/index holds the store).

/** Files read, sketched and written at once: bounds memory on any corpus (texts are dropped after each chunk). */
const CHUNK_FILES = 8192;
const CHUNK_BYTES = 64 * 1024 ** 2;

export interface AddSummary {
  index: string;
  added: number;
  replaced: number;
  unchanged: number;
  pruned: number;
  /** Indexed files that changed and can no longer be indexed (binary now, too large, unreadable): their old text is dropped. */
  dropped: number;
  skipped: number;
  documents: number;
}

export interface AddInput {
  include?: string[];
  exclude?: string[];
  maxFileSize: number;
  prune?: boolean;
  threads: number;
  cwd: string;
  /** --input-format: record files (JSONL, CSV, Parquet…) are not indexed yet, and are skipped with a warning. */
  inputFormat?: InputFormat;
}

/**
 * A full garbage collection. Each chunk's texts and sketches live long enough to reach V8's old
 * generation, which it lets grow far past what is live (30,000 files: 740 MB peak RSS, 470 MB
 * with a collection after each chunk); one per chunk of thousands of files costs nothing to see.
 */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * The paths an index keys files by: real paths, so that a file reached through a symlinked
 * directory is the file the index holds. Each directory is resolved once (a realpath per file cost
 * 7.5 us, a tenth of an unchanged re-add of a million files); a file that is itself a symlink
 * keeps its name, as discovery names one whose target it does not find. A path given relative to
 * `base` (a report's --root) is resolved against it; one that cannot be resolved stays absolute.
 */
export function indexPaths(cwd: string, base = cwd): (file: string) => string {
  const realDirs = new Map<string, string>();
  return (file) => {
    const absolute = path.resolve(cwd, base, file);
    const dir = path.dirname(absolute);
    let real = realDirs.get(dir);
    if (real === undefined) {
      try {
        real = realpathSync.native(dir);
      } catch {
        real = dir;
      }
      realDirs.set(dir, real);
    }
    return path.join(real, path.basename(absolute));
  };
}

/** What the report shows of a document, without what depends on where the run stands (path, aliases) or its side. */
function storedReport(source: SourceDocument, sketch: DocumentSketch): string {
  const { path: _path, aliases: _aliases, ...rest } = describeDocument(source, sketch);
  return JSON.stringify(rest);
}

/** The index row of a document just read and sketched. */
function recordOf(source: SourceDocument, file: string, size: number, mtime: number, sketch: DocumentSketch, bandParams: BandParams, cwd: string): IndexRecord {
  const bandKeys = new Uint32Array(bandParams.bands);
  writeBandKeys(sketch.signature, 0, bandParams, bandKeys, 0);
  let words = 0;
  for (const n of sketch.lineWords) words += n;
  return {
    path: file,
    size,
    mtime,
    contentHash: sha1(source.text),
    report: storedReport(source, sketch),
    aliases: (source.aliases ?? []).map((a) => path.resolve(cwd, a)),
    words,
    sketch,
    bandKeys,
  };
}

/** size and mtime of each file (undefined: gone or unreadable), a few dozen stats in flight. */
async function statAll(files: readonly string[]): Promise<Array<{ size: number; mtime: number } | undefined>> {
  const out: Array<{ size: number; mtime: number } | undefined> = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      try {
        const info = await stat(files[i] as string);
        out[i] = { size: info.size, mtime: info.mtimeMs };
      } catch {
        out[i] = undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  return out;
}

/**
 * Add files to an open, writable index, all or nothing: unchanged files (same size and mtime,
 * or same text) are skipped, changed ones replaced, and with `prune` the indexed files that no
 * longer exist dropped. Nothing counts until every file is in: a crash or Ctrl-C leaves the
 * index as it was.
 */
export async function addToIndex(
  store: IndexStore,
  paths: readonly string[],
  options: AnalyseOptions,
  input: AddInput,
  warnings: Warning[],
): Promise<AddSummary & { readErrors: number }> {
  const { cwd } = input;
  const bandParams = chooseBands(options.numPerm, options.threshold, options.recall);
  const discovered = await discoverFiles(paths, { include: input.include, exclude: input.exclude, cwd });
  for (const w of discovered.warnings) warnings.push(w);
  // An empty folder (a wrong path in a pipeline) adds nothing: said, as a check would say it.
  if (discovered.files.length === 0) warnings.push({ path: paths.join(', '), message: 'no files to read: nothing added' });
  // The index keys a document by its file (size, mtime, hash): a record file's records have no
  // such key yet, so record files are skipped, said once each, rather than indexed as one text.
  const textFiles: string[] = [];
  for (const f of discovered.files) {
    const format = recordFormatOf(f, input.inputFormat);
    if (format === undefined) textFiles.push(f);
    else warnings.push({ path: f, message: `skipped: a ${format} record file; dedupe index add reads text files only (dedupe sketch --parquet takes records)` });
  }
  const found = { ...discovered, files: textFiles };
  const keyOf = indexPaths(cwd);
  const absolute = found.files.map(keyOf);
  const catalog = await store.catalog();
  const stats = found.files.map((f) => found.stats.get(f));
  const summary = { index: store.file, added: 0, replaced: 0, unchanged: 0, pruned: 0, dropped: 0, skipped: 0, documents: 0, readErrors: found.warnings.length };
  const toRead: number[] = [];
  absolute.forEach((file, i) => {
    const known = catalog.get(file);
    const now = stats[i];
    if (known && now && known.size === now.size && known.mtime === now.mtime) summary.unchanged++;
    else toRead.push(i);
  });

  // Each chunk commits (bounded memory), but the run's rows count only from store.finish() on:
  // a crash or Ctrl-C before it leaves the index as it was (see src/index/store.ts).
  let inChunk = false;
  // One pool for every chunk: its workers load and optimise the pipeline once.
  const sketcher = new SketchSession(options, input.threads);
  try {
    const gone: number[] = [];
    const touched: Array<{ id: number; size: number; mtime: number }> = [];
    if (input.prune) {
      const seen = new Set(absolute);
      const others = [...catalog.keys()].filter((p) => !seen.has(p));
      const exist = await statAll(others);
      others.forEach((p, i) => {
        if (exist[i] === undefined) gone.push((catalog.get(p) as CatalogEntry).id);
      });
      summary.pruned = gone.length;
    }
    for (let start = 0; start < toRead.length; ) {
      let end = start;
      let bytes = 0;
      while (end < toRead.length && end - start < CHUNK_FILES && bytes < CHUNK_BYTES) bytes += stats[toRead[end++] as number]?.size ?? 0;
      const chunk = toRead.slice(start, end);
      start = end;
      await store.begin();
      inChunk = true;
      const read = await readDocuments(
        chunk.map((i) => found.files[i] as string),
        cwd,
        { aliases: found.aliases, maxFileSize: input.maxFileSize, inputFormat: 'text' },
      );
      for (const w of read.warnings) warnings.push(w);
      summary.skipped += read.skipped;
      summary.readErrors += read.readErrors;
      const fileOf = new Map(chunk.map((i) => [displayPath(found.files[i] as string, cwd), i]));
      const fresh: Array<{ source: SourceDocument; i: number }> = [];
      // An indexed file that changed and was not read (binary now, too large, unreadable) no longer
      // holds the text the index has for it: that text goes, or checks would match it.
      const readHere = new Set(read.documents.map((d) => fileOf.get(d.path)));
      for (const i of chunk) {
        const known = readHere.has(i) ? undefined : catalog.get(absolute[i] as string);
        if (!known) continue;
        gone.push(known.id);
        summary.dropped++;
        warnings.push({ path: found.files[i] as string, message: 'changed and not indexed now: its earlier text is dropped from the index' });
      }
      for (const source of read.documents) {
        const i = fileOf.get(source.path) as number;
        const known = catalog.get(absolute[i] as string);
        const now = stats[i] ?? { size: source.bytes, mtime: 0 };
        // Same text and same size: touched, not changed (a new size with the same text, a
        // byte-order mark added, say, is replaced: the stored report gives the file's bytes).
        if (known && known.contentHash === sha1(source.text) && known.size === now.size) {
          // The next run skips it by its stat again.
          touched.push({ id: known.id, ...now });
          summary.unchanged++;
          continue;
        }
        if (known) {
          gone.push(known.id);
          summary.replaced++;
        } else summary.added++;
        fresh.push({ source, i });
      }
      // Old rows go before the new ones are appended (a replaced file keeps one row).
      await store.remove(gone.splice(0));
      const sketches = await sketcher.sketch(fresh.map((f) => f.source));
      // A document too long to label is stored all body: said here, as a report says it.
      for (const w of unlabelledWarningsOfSketches(fresh.map((f) => f.source), sketches, options)) warnings.push(w);
      await store.append(
        fresh.map(({ source, i }, k) => {
          const now = stats[i] ?? { size: source.bytes, mtime: 0 };
          return recordOf(source, absolute[i] as string, now.size, now.mtime, sketches[k] as DocumentSketch, bandParams, cwd);
        }),
      );
      await store.commit();
      inChunk = false;
      collectGarbage();
    }
    await store.begin();
    inChunk = true;
    await store.remove(gone);
    await store.touch(touched);
    await store.commit();
    inChunk = false;
    await store.finish();
  } catch (error) {
    if (inChunk) await store.rollback().catch(() => {});
    throw error;
  } finally {
    await sketcher.close();
  }
  summary.documents = (await store.stats()).documents;
  return summary;
}

/** Open an index with the run's parameters checked (an empty index being written takes them). */
export async function openIndex(file: string, options: AnalyseOptions, write: boolean): Promise<IndexStore> {
  if (write) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const store = await IndexStore.open(file, { write });
  try {
    await store.checkParams(indexParams(options));
  } catch (error) {
    store.close();
    throw error;
  }
  return store;
}

export { MissingPathError };

/**
 * The report of `incoming` against the index, as `--against` would give it with the indexed
 * files as the baseline: LSH candidates are the stored documents sharing a band key with an
 * incoming one (a join in DuckDB), verified exactly on the stored shingles. The report lists the
 * incoming documents and the indexed documents in their clusters (not the whole index).
 * Incoming files that the index holds count as indexed (as --against counts a file on both sides
 * as baseline). Corpus template evidence is not applied: the index keeps no texts to re-segment.
 */
export async function reportAgainstIndex(
  incoming: readonly SourceDocument[],
  store: IndexStore,
  options: AnalyseOptions,
  context: AnalyseContext & { threads: number; cwd: string; root?: string },
): Promise<Report> {
  const { cwd } = context;
  // An incoming file the index holds with the same text is indexed; one whose text changed since
  // is checked as new, against the index without its earlier text. Report paths are relative to
  // --root: resolved against it.
  const pathKey = indexPaths(cwd, context.root ?? cwd);
  const keyOf = new Map(incoming.filter((d) => !d.stdin).map((d) => [d, pathKey(d.path)]));
  const stored = await store.holds([...keyOf.values()]);
  const changed = new Set<string>();
  const batch = incoming
    .filter((d) => {
      const key = keyOf.get(d);
      const hash = key === undefined ? undefined : stored.get(key);
      if (hash === undefined) return true;
      if (hash === sha1(d.text)) return false;
      changed.add(key!);
      return true;
    })
    .map((d) => ({ ...d, side: 'incoming' as const }));
  const sketches = await sketchAllParallel(batch, options, { threads: context.threads, onProgress: context.onProgress });
  const bandParams = chooseBands(options.numPerm, options.threshold, options.recall);
  const keys = new Uint32Array(batch.length * bandParams.bands);
  sketches.forEach((s, i) => writeBandKeys(s.signature, 0, bandParams, keys, i * bandParams.bands));
  const candidates = (await store.candidates(keys, bandParams.bands)).filter((s) => !changed.has(s.path));

  const hasher = sketcherFor(options.sketch, options.numPerm, options.seed);
  const baseline = candidates.map((s) => {
    const sketch = restoreSketch(s.meta, s.arrays);
    sketch.signature = hasher.sketch(sketch.shingles);
    // Named as the incoming documents are: relative to --root.
    const shown = displayPath(s.path, cwd, context.root);
    const aliases = s.aliases.map((a) => displayPath(a, cwd, context.root));
    const source: SourceDocument = { path: shown, ...(aliases.length ? { aliases } : {}), bytes: s.size, text: '', side: 'baseline' };
    const report: DocumentReport = { path: shown, ...(aliases.length ? { aliases } : {}), ...(JSON.parse(s.report) as Omit<DocumentReport, 'path'>), side: 'baseline' };
    return { source, sketch, report };
  });

  // gatherSketches takes the signatures out of the sketches: each pass gets copies.
  const withSignatures = (list: readonly DocumentSketch[]) => list.map(copySketch);
  const allSources = [...batch, ...baseline.map((b) => b.source)];
  const allSketches = [...sketches, ...baseline.map((b) => b.sketch)];
  // First pass over every candidate: which indexed documents end up in a cluster.
  const first = gatherSketches(allSources, withSignatures(allSketches), options);
  const clustered = new Set<number>();
  for (const cluster of clusterCorpus(first).clusters) for (const d of cluster.members) if (d >= batch.length) clustered.add(d);
  const keep = allSources.map((_, d) => d < batch.length || clustered.has(d));
  const sources = allSources.filter((_, d) => keep[d]);
  const state = gatherSketches(sources, withSignatures(allSketches.filter((_, d) => keep[d])), options);
  const known = [...batch.map(() => undefined), ...baseline.filter((_, i) => keep[batch.length + i]).map((b) => b.report)];
  return reportCorpus(state, { ...context, known });
}

/**
 * `dedupe index export DIR`: the tables `dedupe sketch --parquet DIR` writes (documents, bands,
 * shingles, params, template_keys), by the same code, so that sql/pairs.sql, `dedupe pairs` and
 * `dedupe report --pairs` read an export as a shard. Paths are shown as reports show them:
 * relative to `root` (the working directory by default; absolute outside it), not as stored.
 * `side` makes it one side of an --against check, as `dedupe sketch --side` does.
 * Signatures are recomputed from the stored shingles; no text is read. Returns the documents written.
 */
export async function exportIndex(
  store: IndexStore,
  dir: string,
  options: AnalyseOptions,
  { tool, cwd, root, side, label }: { tool: { name: string; version: string }; cwd: string; root?: string; side?: SourceDocument['side']; label: string },
): Promise<number> {
  const bandParams = chooseBands(options.numPerm, options.threshold, options.recall);
  const hasher = sketcherFor(options.sketch, options.numPerm, options.seed);
  const writer = await ShardWriter.open(dir, label);
  let written = 0;
  try {
    for await (const batch of store.documents()) {
      for (const stored of batch) {
        const sketch = restoreSketch(stored.meta, stored.arrays, { templateKeys: true });
        sketch.signature = hasher.sketch(sketch.shingles);
        const aliases = stored.aliases.map((a) => displayPath(a, cwd, root));
        const report = JSON.parse(stored.report) as Omit<DocumentReport, 'path'>;
        // Key order as describeDocument gives it (what `dedupe sketch` stores).
        const description = { ...(aliases.length ? { aliases } : {}), ...report };
        writer.add(documentTables({ path: displayPath(stored.path, cwd, root), bytes: report.bytes, side }, sketch, options, bandParams, description));
        written++;
      }
    }
  } catch (error) {
    writer.abort();
    throw error;
  }
  await writer.finish(shardParams(options, tool));
  return written;
}
