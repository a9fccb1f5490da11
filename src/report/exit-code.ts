import type { Report, Warning } from '../report/types.js';

export const EXIT_CLEAN = 0;
export const EXIT_FOUND = 1;
export const EXIT_ERROR = 2;

/**
 * The exit code is a small pure function of the result, as in ripgrep: 2 when input could not
 * be read, 1 when more duplicate documents were found than allowed (with --containment,
 * contained documents count too: they are findings the run asked for), else 0.
 */
export function exitCodeFor(report: Pick<Report, 'summary'>, options: { readErrors: number; exitZero: boolean; maxDuplicates?: number }): number {
  if (options.readErrors > 0) return EXIT_ERROR;
  const findings = report.summary.duplicates + (report.summary.contained ?? 0);
  if (findings > (options.maxDuplicates ?? 0) && !options.exitZero) return EXIT_FOUND;
  return EXIT_CLEAN;
}

/**
 * A warning about a path that could not be read (input/read.ts, input/discover.ts word them so):
 * what makes a run exit 2, for the formats that show it as an error (SARIF, JUnit).
 */
export const isReadError = (w: Pick<Warning, 'message'>): boolean => /^cannot (?:read|access|open)\b/.test(w.message);
