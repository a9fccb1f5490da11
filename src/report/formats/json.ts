import { jsonText } from '../escape.js';
import type { Report } from '../types.js';

/** One JSON document. The report is built in a fixed order, so the same input gives the same bytes. */
export function formatJson(report: Report): string {
  return [...jsonChunks(report)].join('');
}

/** `json` (JSON.stringify's text at 2-space indent) indented `depth` levels further. */
const indented = (json: string, depth: number) => json.replace(/\n/g, `\n${'  '.repeat(depth)}`);

/**
 * The JSON document in pieces, one per element of the report's arrays (documents, clusters,
 * pairs): the same bytes as formatJson, written out without ever holding the whole text, which
 * on a large corpus is hundreds of megabytes. JSON.stringify(report, null, 2) laid out by hand:
 * strings hold no raw line breaks, so indenting at every newline indents exactly the structure.
 */
export function* jsonChunks(report: Report): Generator<string> {
  const entries = Object.entries(report).filter(([, value]) => value !== undefined);
  yield '{';
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i] as [string, unknown];
    const comma = i < entries.length - 1 ? ',' : '';
    yield `\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.length > 0) {
      yield '[';
      for (let j = 0; j < value.length; j++) yield `\n    ${indented(jsonText(value[j] ?? null, 2), 2)}${j < value.length - 1 ? ',' : ''}`;
      yield `\n  ]${comma}`;
    } else {
      yield `${indented(jsonText(value, 2), 1)}${comma}`;
    }
  }
  yield '\n}\n';
}
