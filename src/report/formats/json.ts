import { escapeJson } from '../escape.js';
import type { Report } from '../types.js';

/** One JSON document. The report is built in a fixed order, so the same input gives the same bytes. */
export function formatJson(report: Report): string {
  return [...jsonChunks(report)].join('');
}

/**
 * About this many characters of array elements per piece. JSON.stringify builds a longer text as
 * a rope of 16K-character parts, which its first reader (the escape test) must copy flat: on the
 * realcorpus report, runs of about 16K characters cost half the CPU of runs of a megabyte.
 */
const PIECE_CHARS = 1 << 14;

/**
 * The elements of `values` as JSON.stringify(…, null, 2) lays them out at indent level `depth`
 * (2, four spaces: the elements of an array that is a property of the report), escaped by
 * escapeJson: one text per run of elements, to be joined by `,\n` and that indent. The indent
 * comes from JSON.stringify itself, by nesting the run in `depth - 1` one-element arrays and
 * cutting those brackets off, so no pass over the text adds it. `values` is read a run at a time:
 * elements made as they are read (SARIF results) are held a run at a time too.
 */
export function* elementRuns(values: Iterable<unknown>, depth: number, chars = PIECE_CHARS): Generator<string> {
  // Per level k (0-based) the nesting adds `[`, `\n` and 2(k + 1) spaces before, `\n`, 2k spaces and `]` after.
  const before = depth * (depth + 3);
  const after = depth * (depth + 1);
  const iterator = values[Symbol.iterator]();
  for (let count = 16, done = false; !done; ) {
    const elements: unknown[] = [];
    while (elements.length < count) {
      const next = iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      elements.push(next.value);
    }
    if (elements.length === 0) break;
    let run: unknown = elements;
    for (let level = 1; level < depth; level++) run = [run];
    const text = escapeJson(JSON.stringify(run, null, 2));
    yield text.slice(before, text.length - after);
    // The next run sized on this one's characters per element, to come out near `chars`.
    count = Math.max(1, Math.min(4096, Math.round((chars * elements.length) / text.length)));
  }
}

/** `values` (one or more) as the elements of an array at indent level `depth`: elementRuns with their separators. */
export function* arrayElements(values: Iterable<unknown>, depth: number): Generator<string> {
  const separator = `,\n${'  '.repeat(depth)}`;
  let first = true;
  for (const run of elementRuns(values, depth)) {
    if (!first) yield separator;
    first = false;
    yield run;
  }
}

/**
 * The JSON document in pieces, runs of the elements of the report's arrays (documents, clusters,
 * pairs) some kilobytes at a time: the same bytes as formatJson, written out without ever
 * holding the whole text, which on a large corpus is hundreds of megabytes. It is
 * JSON.stringify(report, null, 2) (escaped by escapeJson) laid out by hand around those runs.
 */
/** An array, or what stands for one: a report's documents described as they are read (DescribedDocuments). */
const isSequence = (value: unknown): value is Iterable<unknown> & { length: number } =>
  Array.isArray(value) || (typeof value === 'object' && value !== null && Symbol.iterator in value && typeof (value as { length?: unknown }).length === 'number');

export function* jsonChunks(report: Omit<Report, 'documents'> & { documents: Iterable<Report['documents'][number]> & { length: number } }): Generator<string> {
  const entries = Object.entries(report).filter(([, value]) => value !== undefined);
  yield '{';
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i] as [string, unknown];
    const comma = i < entries.length - 1 ? ',' : '';
    yield `\n  ${JSON.stringify(key)}: `;
    if (isSequence(value) && value.length > 0) {
      yield '[\n    ';
      yield* arrayElements(value, 2);
      yield `\n  ]${comma}`;
    } else {
      // A value one level deep, indented as JSON.stringify would there: `[\n  ` … `\n]` cut off.
      const text = escapeJson(JSON.stringify([value], null, 2));
      yield `${text.slice(4, text.length - 2)}${comma}`;
    }
  }
  yield '\n}\n';
}
