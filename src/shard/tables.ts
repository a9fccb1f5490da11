// Sketches as tables: what `dedupe sketch` writes per shard and sql/pairs.sql reads, all shards
// unioned. Pure data: rows from per-document sketches, the parameters that must agree across
// shards, and the checks on them. The Parquet files themselves are the CLI's (src/cli/parquet.ts).
import { createHash } from 'node:crypto';
import { chooseBands, type BandParams } from '../candidates/lsh.js';
import { comparedShingles, type DocumentSketch } from '../core/document.js';
import type { AnalyseOptions } from '../core/options.js';
import type { SourceDocument } from '../input/read.js';
import { LABELLER_VERSION } from '../index/record.js';
import { combineHashes } from '../tokenise/hash.js';

/** Version of the tables' layout and meaning: shards of different versions never mix. */
export const SHARD_FORMAT_VERSION = 1;

export const SHARD_TABLES = ['documents', 'bands', 'shingles', 'params'] as const;
export type ShardTable = (typeof SHARD_TABLES)[number];

/**
 * Beside the four tables, each shard writes template_keys(doc, line, key): the key of each block
 * of five to thirty words (TEMPLATE_MIN_WORDS, TEMPLATE_MAX_WORDS), from which `dedupe pairs --templates` counts the
 * lines that recur across unrelated documents (an outlet's template), for a second sketch.
 */
export const TEMPLATE_TABLE = 'template_keys';

/** Column names and SQL types of each table, in order (the same in DuckDB and Spark SQL). */
export const SHARD_COLUMNS: Record<ShardTable, ReadonlyArray<readonly [string, 'VARCHAR' | 'INTEGER' | 'BIGINT']>> = {
  documents: [
    ['doc', 'VARCHAR'],
    ['side', 'VARCHAR'],
    ['bytes', 'BIGINT'],
    ['lines', 'INTEGER'],
    ['words', 'INTEGER'],
    ['compared', 'VARCHAR'],
    ['shingle_count', 'INTEGER'],
    ['body_shingle_count', 'INTEGER'],
    ['full_shingle_count', 'INTEGER'],
    ['content_hash', 'VARCHAR'],
    ['description', 'VARCHAR'],
    ['boilerplate_keys', 'VARCHAR'],
  ],
  bands: [
    ['doc', 'VARCHAR'],
    ['band', 'INTEGER'],
    ['key', 'BIGINT'],
  ],
  shingles: [
    ['doc', 'VARCHAR'],
    ['kind', 'VARCHAR'],
    ['hash', 'BIGINT'],
  ],
  params: [
    ['name', 'VARCHAR'],
    ['value', 'VARCHAR'],
  ],
};

/**
 * One document's row. `compared` is the text its similarity is measured on (body or full);
 * `shingle_count` that set's size. The full-text set is always stored (kind `full`); the body set
 * (kind `body`) only where it differs from the full text's: `body_shingle_count` is then its size,
 * else null. `content_hash` is SHA-256 of the normalised full text's units (identical documents,
 * whatever their bytes). `description` is the document as the report shows it (JSON).
 * `boilerplate_keys` holds the keys of its boilerplate lines (what the report's sharedBoilerplate
 * and differences compare).
 */
export interface DocumentRow {
  doc: string;
  side: string | null;
  bytes: number;
  lines: number;
  words: number;
  compared: string;
  shingle_count: number;
  body_shingle_count: number | null;
  full_shingle_count: number;
  content_hash: string;
  description: string;
  /** JSON [[line, key], …]: the normalised-line keys of boilerplate lines, for what cluster members' boilerplate shares. */
  boilerplate_keys: string;
}

/** One document's tables: its row, its band keys (none without shingles), and its shingle sets. */
export interface DocumentTables {
  row: DocumentRow;
  /** keys[band]: the engine's own band key (unsigned 32-bit), so candidates are exactly the in-memory run's. */
  keys: Uint32Array;
  full: Uint32Array;
  /** Absent when the body's set is the full text's. */
  body?: Uint32Array;
  /** [line (0-based), key] of each block that could be an outlet's template. */
  templateKeys: Array<[number, number]>;
}

/** Everything about a run that changes which pairs come out: every shard must have the same. */
export function shardParams(options: AnalyseOptions, tool: { name: string; version: string }): Array<{ name: string; value: string }> {
  const { bands, rows } = chooseBands(options.numPerm, options.threshold, options.recall);
  const params: Record<string, string | number | boolean> = {
    format: 'dedupe-shard',
    format_version: SHARD_FORMAT_VERSION,
    tool_version: `${tool.name} ${tool.version}`,
    shingle: options.shingle,
    ngram: options.ngram,
    num_perm: options.numPerm,
    sketch: options.sketch,
    seed: options.seed,
    bands,
    rows,
    threshold: options.threshold,
    recall: options.recall,
    compare: options.compare,
    boilerplate: options.boilerplate,
    // Shards labelled by two labellers would join labels and pairs that one run never gives; a
    // shard from before this parameter is "missing" it, so it is not mixed with newer ones either.
    labeller: LABELLER_VERSION,
  };
  return Object.entries(params).map(([name, value]) => ({ name, value: String(value) }));
}

/** SHA-256 of a unit sequence (little-endian 32-bit words): equal exactly for identical documents. */
export function contentHash(units: Uint32Array): string {
  return createHash('sha256').update(new Uint8Array(units.buffer, units.byteOffset, units.byteLength)).digest('hex');
}

/**
 * A sketched document as table rows. `description` is what the report says of the document
 * (describeDocument's result, minus path and side, which are columns).
 */
export function documentTables(
  source: Pick<SourceDocument, 'path' | 'bytes' | 'side'>,
  sketch: DocumentSketch,
  options: AnalyseOptions,
  { bands, rows }: BandParams,
  description: object,
): DocumentTables {
  const full = sketch.compared === 'full' ? sketch.shingles : comparedShingles(sketch, sketch.segments, { compare: 'full', ngram: options.ngram });
  const bodySet = sketch.compared === 'body' ? sketch.shingles : comparedShingles(sketch, sketch.segments, { compare: 'body', ngram: options.ngram });
  const body = sameSet(bodySet, full) ? undefined : bodySet;
  let words = 0;
  for (const n of sketch.lineWords) words += n;
  const keys = new Uint32Array(sketch.shingles.length > 0 ? bands : 0);
  for (let band = 0; band < keys.length; band++) keys[band] = combineHashes(sketch.signature, band * rows, rows);
  return {
    row: {
      doc: source.path,
      side: source.side ?? null,
      bytes: source.bytes,
      lines: sketch.lineCount,
      words,
      compared: sketch.compared,
      shingle_count: sketch.shingles.length,
      body_shingle_count: body ? body.length : null,
      full_shingle_count: full.length,
      content_hash: contentHash(sketch.units),
      description: JSON.stringify(description),
      boilerplate_keys: JSON.stringify(boilerplateKeys(sketch)),
    },
    keys,
    full,
    ...(body ? { body } : {}),
    templateKeys: [...sketch.templateKeys].flatMap((key, line) => (key === 0 ? [] : [[line, key] as [number, number]])),
  };
}

function boilerplateKeys({ segments, lineKeys }: Pick<DocumentSketch, 'segments' | 'lineKeys'>): Array<[number, number]> {
  const keys: Array<[number, number]> = [];
  for (const s of segments) {
    if (s.kind !== 'boilerplate') continue;
    for (let line = s.startLine; line <= s.endLine; line++) if (lineKeys[line - 1]) keys.push([line, lineKeys[line - 1] as number]);
  }
  return keys;
}

function sameSet(a: Uint32Array, b: Uint32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * What is wrong with a set of shards, in words: parameters that differ between shards (named
 * with their values), missing parameters, a document in more than one shard. Empty when they
 * can be joined. `params` holds every shard's rows; `shards` how many shards there are.
 */
export function shardProblems(params: ReadonlyArray<{ name: string; value: string; shard: string }>, shards: readonly string[], duplicateDocs: readonly string[] = []): string[] {
  const problems: string[] = [];
  const byName = new Map<string, Map<string, string[]>>();
  for (const { name, value, shard } of params) {
    let values = byName.get(name);
    if (!values) byName.set(name, (values = new Map()));
    values.set(value, [...(values.get(value) ?? []), shard]);
  }
  const required = ['format', 'format_version', 'shingle', 'ngram', 'num_perm', 'sketch', 'seed', 'bands', 'rows', 'threshold', 'compare', 'boilerplate'];
  for (const name of required) if (!byName.has(name)) problems.push(`no ${name} parameter: not a dedupe shard`);
  for (const [name, values] of byName) {
    const covered = [...values.values()].reduce((n, list) => n + list.length, 0);
    if (values.size > 1) {
      problems.push(`${name} differs between shards: ${[...values].map(([value, list]) => `${value} in ${list.join(', ')}`).join('; ')}`);
    } else if (covered < shards.length) {
      const missing = shards.filter((s) => ![...values.values()].some((list) => list.includes(s)));
      problems.push(`${name} is missing from ${missing.join(', ')}`);
    }
  }
  for (const doc of duplicateDocs.slice(0, 5)) problems.push(`the document ${doc} is in more than one shard`);
  if (duplicateDocs.length > 5) problems.push(`… and ${duplicateDocs.length - 5} more documents in more than one shard`);
  return problems;
}
