import { jsonText } from '../escape.js';
import type { Report } from '../types.js';

/** One JSON document. The report is built in a fixed order, so the same input gives the same bytes. */
export function formatJson(report: Report): string {
  return `${jsonText(report, 2)}\n`;
}
