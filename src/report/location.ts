import type { Report } from './types.js';

/**
 * Where a document is, for the formats that point at a file and a line (SARIF, GitHub
 * annotations): a record is in its record file, at its line where the format has one (JSONL),
 * else line 1; any other document is its path, line 1.
 */
export function locator(report: Report): (path: string) => { file: string; line: number } {
  const records = new Map<string, { file: string; line: number }>();
  for (const d of report.documents) if (d.record) records.set(d.path, { file: d.record.file, line: d.record.line ?? 1 });
  return (path) => records.get(path) ?? { file: path, line: 1 };
}
