import { ANALYSIS_ENTRIES, analysisValue, problemWith, type AnalysisOptions } from '../options/table.js';

/**
 * The analysis options, derived from the option table (src/options/table.ts): shingle kind and
 * length (`ngram`), signature slots (`numPerm`), `sketch` (oph or minhash), `seed`, `threshold`
 * (pairs at or above this exact Jaccard similarity are near-duplicates), `recall` (chance that a
 * pair exactly at the threshold becomes a candidate), `keep`, `compare` (body or full text),
 * `boilerplate` (tell body from boilerplate) and `allPairs` (every verified pair rather than a
 * spanning set per cluster). Display choices (a segment's full text, colour) are the report's.
 */
export type AnalyseOptions = AnalysisOptions;

export const DEFAULT_OPTIONS: Readonly<AnalyseOptions> = Object.freeze(
  Object.fromEntries(ANALYSIS_ENTRIES.map(([, spec]) => [spec.analysis, analysisValue(spec, undefined)])) as AnalyseOptions,
);

/** An option with a value a caller could get wrong: its name in AnalyseOptions, and what is wrong. */
export interface OptionProblem {
  option: keyof AnalyseOptions;
  /** "must be a number in (0, 1], got 5" */
  problem: string;
}

/** The first option whose value is out of its type or range, in table order. */
export function findOptionProblem(o: AnalyseOptions): OptionProblem | undefined {
  for (const [, spec] of ANALYSIS_ENTRIES) {
    const problem = problemWith(spec.type, o[spec.analysis]);
    if (problem) return { option: spec.analysis, problem };
  }
  return undefined;
}

/** The library's name for findOptionProblem. */
export const checkOptions = findOptionProblem;

/** Check option values a caller could get wrong; returns a message naming the option (`threshold must be …`), or undefined. */
export function validateOptions(o: AnalyseOptions): string | undefined {
  const found = findOptionProblem(o);
  return found && `${found.option} ${found.problem}`;
}
