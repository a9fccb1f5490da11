import { escapeJson, jsonText } from '../escape.js';
import type { Cluster, Containment, DocumentReport, Pair, Report, Summary, Warning } from '../types.js';

/**
 * One line of `--format ndjson`, ripgrep-style: `{"type": …, "data": …}`. A stream is a `begin`,
 * then `document`, `pair` and `cluster` messages, then one `summary`. Each `data` validates
 * against the matching `$defs` entry of schema/report.schema.json.
 */
export type NdjsonMessage =
  | { type: 'begin'; data: Pick<Report, 'schemaVersion' | 'tool' | 'params'> }
  | { type: 'document'; data: DocumentReport }
  | { type: 'pair'; data: Pair }
  /** Only with --containment, after the pairs. */
  | { type: 'containment'; data: Containment }
  | { type: 'cluster'; data: Cluster }
  | { type: 'summary'; data: { summary: Summary; warnings: Warning[] } };

export type NdjsonMessageType = NdjsonMessage['type'];

// Builders, one per message type: the CLI can emit each part as soon as the pipeline knows it.

/** The parameters of the run: known before any file is read. */
export function beginMessage(parts: Pick<Report, 'schemaVersion' | 'tool' | 'params'>): NdjsonMessage {
  return { type: 'begin', data: { schemaVersion: parts.schemaVersion, tool: parts.tool, params: parts.params } };
}

export function documentMessage(doc: DocumentReport): NdjsonMessage {
  return { type: 'document', data: doc };
}

export function pairMessage(pair: Pair): NdjsonMessage {
  return { type: 'pair', data: pair };
}

export function containmentMessage(containment: Containment): NdjsonMessage {
  return { type: 'containment', data: containment };
}

export function clusterMessage(cluster: Cluster): NdjsonMessage {
  return { type: 'cluster', data: cluster };
}

export function summaryMessage(parts: Pick<Report, 'summary' | 'warnings'>): NdjsonMessage {
  return { type: 'summary', data: { summary: parts.summary, warnings: parts.warnings } };
}

/** One message as one line, newline included: every line break inside strings is escaped, U+2028/2029 too. */
export function formatNdjsonMessage(message: NdjsonMessage): string {
  return `${jsonText(message)}\n`;
}

/**
 * The stream's messages in the parts the pipeline knows them in: `begin` at once, documents, pairs,
 * then what only the end knows (containments, clusters, summary). The one definition of the stream's order:
 * the whole-report messages and the live stream are both built on it.
 */
function messageStream(begin: Pick<Report, 'schemaVersion' | 'tool' | 'params'>, emit: (messages: readonly NdjsonMessage[]) => void) {
  emit([beginMessage(begin)]);
  return {
    documents: (docs: readonly DocumentReport[]) => emit(docs.map(documentMessage)),
    pairs: (pairs: readonly Pair[]) => emit(pairs.map(pairMessage)),
    end: (report: Pick<Report, 'containments' | 'clusters' | 'summary' | 'warnings'>): NdjsonMessage[] => [
      ...(report.containments ?? []).map(containmentMessage),
      ...report.clusters.map(clusterMessage),
      summaryMessage(report),
    ],
  };
}

/** The whole report as messages, in stream order: begin, documents, pairs, containments (--containment), clusters, summary. */
export function reportMessages(report: Report): NdjsonMessage[] {
  const out: NdjsonMessage[] = [];
  const add = (messages: readonly NdjsonMessage[]) => {
    for (const m of messages) out.push(m);
  };
  const stream = messageStream(report, add);
  stream.documents(report.documents);
  stream.pairs(report.pairs);
  add(stream.end(report));
  return out;
}

export function formatNdjson(report: Report): string {
  return [...ndjsonChunks(report)].join('');
}

/** About this many characters of lines per piece of ndjsonChunks (see PIECE_CHARS in json.ts). */
const PIECE_CHARS = 1 << 14;

/**
 * The report's lines (formatNdjson's text) in pieces of some kilobytes, for a writer that need
 * not hold the whole text. Each piece is escaped at once: jsonText's escapes are of single
 * characters, and the newlines between the lines take none.
 */
export function* ndjsonChunks(report: Report): Generator<string> {
  yield* linePieces(reportMessages(report));
}

/** Messages as lines (formatNdjsonMessage's text) in pieces of some kilobytes: see ndjsonChunks. */
function* linePieces(messages: Iterable<NdjsonMessage>): Generator<string> {
  let texts: string[] = [];
  let size = 0;
  for (const message of messages) {
    const text = JSON.stringify(message);
    texts.push(text);
    size += text.length;
    if (size < PIECE_CHARS) continue;
    texts.push(''); // the last line's newline
    yield escapeJson(texts.join('\n'));
    texts = [];
    size = 0;
  }
  texts.push('');
  yield escapeJson(texts.join('\n'));
}

const lines = (messages: readonly NdjsonMessage[]) => messages.map(formatNdjsonMessage).join('');

/**
 * NDJSON as the pipeline goes: `begin` is written at once, documents and pairs as soon as they
 * are final (the report step's onDocuments and onPairs); `rest` gives the clusters and summary as
 * text, for the caller's last write.
 */
export function streamNdjson(begin: Pick<Report, 'schemaVersion' | 'tool' | 'params'>, write: (text: string) => void) {
  // A piece at a time: 42,000 documents' lines as one string (and its copy to write) held 150 MB.
  const stream = messageStream(begin, (messages) => {
    for (const piece of linePieces(messages)) write(piece);
  });
  return { documents: stream.documents, pairs: stream.pairs, rest: (report: Pick<Report, 'containments' | 'clusters' | 'summary' | 'warnings'>) => lines(stream.end(report)) };
}
