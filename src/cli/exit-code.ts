import type { Report } from '../report/types.js';

export const EXIT_CLEAN = 0;
export const EXIT_FOUND = 1;
export const EXIT_ERROR = 2;

/** The exit code is a small pure function of the result, as in ripgrep: 0 clean, 1 found, 2 error. */
export function exitCodeFor(report: Report, options: { readErrors: number; exitZero: boolean }): number {
  if (options.readErrors > 0) return EXIT_ERROR;
  if (report.summary.duplicates > 0 && !options.exitZero) return EXIT_FOUND;
  return EXIT_CLEAN;
}
