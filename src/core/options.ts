import type { SketchKind } from '../sketch/index.js';
import type { ShingleKind } from './document.js';

export interface AnalyseOptions {
  shingle: ShingleKind;
  /** Shingle length in words (or characters with shingle 'char'). */
  ngram: number;
  numPerm: number;
  /** How signatures are computed: one hash per shingle (oph) or numPerm hashes (minhash). */
  sketch: SketchKind;
  seed: number;
  /** Pairs at or above this exact Jaccard similarity are near-duplicates. */
  threshold: number;
  /** Probability that a pair exactly at the threshold becomes a candidate. */
  recall: number;
  keep: 'longest' | 'first';
  compare: 'body' | 'full';
  /** Put the full text of each segment in the report (for --show-boilerplate). */
  segmentText: boolean;
  /** Tell body from boilerplate; off (--no-boilerplate), every line is body and nothing is segmented. */
  boilerplate: boolean;
  /** Report every verified pair (quadratic in a cluster's size) rather than a spanning set per cluster. */
  allPairs: boolean;
}

export const DEFAULT_OPTIONS: Readonly<AnalyseOptions> = Object.freeze({
  shingle: 'word',
  ngram: 5,
  numPerm: 128,
  sketch: 'oph',
  seed: 1,
  threshold: 0.8,
  recall: 0.99,
  keep: 'longest',
  compare: 'body',
  segmentText: false,
  boilerplate: true,
  allPairs: false,
});

/** What is wrong with one option: its name in AnalyseOptions, its CLI flag, and the problem in words. */
export interface OptionProblem {
  option: keyof AnalyseOptions;
  flag: string;
  /** e.g. "must be a number in (0, 1], got 5" */
  problem: string;
}

const BOOLEAN_OPTIONS = [
  ['segmentText', '--show-boilerplate'],
  ['boilerplate', '--no-boilerplate'],
  ['allPairs', '--all-pairs'],
] as const;

/** Check option values a caller could get wrong; the first problem found, or undefined. */
export function checkOptions(o: AnalyseOptions): OptionProblem | undefined {
  const bad = (option: keyof AnalyseOptions, flag: string, problem: string): OptionProblem => ({ option, flag, problem });
  if (o.shingle !== 'word' && o.shingle !== 'char') return bad('shingle', '--shingle', `must be word or char, got ${String(o.shingle)}`);
  if (!Number.isInteger(o.ngram) || o.ngram < 1 || o.ngram > 64) return bad('ngram', '--ngram', `must be a whole number from 1 to 64, got ${o.ngram}`);
  if (!Number.isInteger(o.numPerm) || o.numPerm < 1 || o.numPerm > 4096) return bad('numPerm', '--num-perm', `must be a whole number from 1 to 4096, got ${o.numPerm}`);
  if (o.sketch !== 'oph' && o.sketch !== 'minhash') return bad('sketch', '--sketch', `must be oph or minhash, got ${String(o.sketch)}`);
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) return bad('seed', '--seed', `must be a whole number from 0 to 4294967295, got ${o.seed}`);
  if (!(o.threshold > 0 && o.threshold <= 1)) return bad('threshold', '--threshold', `must be a number in (0, 1], got ${o.threshold}`);
  if (!(o.recall > 0 && o.recall < 1)) return bad('recall', '--recall', `must be a number in (0, 1), got ${o.recall}`);
  if (o.keep !== 'longest' && o.keep !== 'first') return bad('keep', '--keep', `must be longest or first, got ${String(o.keep)}`);
  if (o.compare !== 'body' && o.compare !== 'full') return bad('compare', '--compare', `must be body or full, got ${String(o.compare)}`);
  for (const [option, flag] of BOOLEAN_OPTIONS) {
    if (typeof o[option] !== 'boolean') return bad(option, flag, `must be true or false, got ${String(o[option])}`);
  }
  return undefined;
}

/** checkOptions as one line naming the CLI flag, or undefined. */
export function validateOptions(o: AnalyseOptions): string | undefined {
  const p = checkOptions(o);
  return p && `${p.flag} ${p.problem}`;
}
