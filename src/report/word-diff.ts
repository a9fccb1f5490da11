import { createRequire } from 'node:module';
import type { ChangeObject } from 'diff';
import type { CompareKind } from '../options/kinds.js';
import type { Segment } from '../segment/index.js';
import type { DiffHunk, DiffPart, MemberDiff } from './types.js';

// What a member changes against its representative, word by word, for --diff and the HTML report.
// The words come from the `diff` package (diffWords: Myers' algorithm over word tokens); this
// module picks the text, condenses the result to the changed passages and bounds the cost.
// Case is ignored, as the similarity ignores it: a word that starts a sentence in one copy and
// not in the other is not a change.

// Loaded on first use (synchronously, the CommonJS build): most runs never diff, and the package
// takes tens of milliseconds to load.
type DiffWords = (a: string, b: string, options: { maxEditLength: number; ignoreCase: boolean }) => Array<ChangeObject<string>> | undefined;
let loadedDiffWords: DiffWords | undefined;
function diffWords(...args: Parameters<DiffWords>): ReturnType<DiffWords> {
  loadedDiffWords ??= (createRequire(import.meta.url)('diff/lib/diff/word.js') as { diffWords: DiffWords }).diffWords;
  return loadedDiffWords(...args);
}

export const DIFF_LIMITS = {
  /** Words of unchanged text shown on each side of a change. */
  contextWords: 8,
  /** Changed passages listed per member; the rest are counted in `omittedHunks`. */
  hunksPerMember: 10,
  /** Words of one added or removed passage shown; the rest are counted in `omittedWords`. */
  wordsPerPart: 40,
  /**
   * diffWords gives up past this many token edits (its `maxEditLength`): the cost is then
   * bounded by about (tokens × this), and the member is marked `tooManyChanges`. A timeout would
   * bound it too, but would make the report depend on the machine's speed.
   */
  maxEditLength: 1_000,
} as const;

/** A document's compared text as one line of words separated by single spaces, and where each of its lines starts. */
export interface ComparedText {
  text: string;
  /** Per kept line: the count of non-space characters before it, and its 1-based line number. */
  starts: number[];
  lineNumbers: number[];
}

/** The lines a comparison reads (body segments, or all), spacing and line breaks collapsed so only words can differ. */
export function comparedText(lines: readonly string[], segments: readonly Segment[], compare: CompareKind): ComparedText {
  const keep = new Uint8Array(lines.length);
  if (compare === 'full') keep.fill(1);
  else for (const s of segments) if (s.kind === 'body') keep.fill(1, s.startLine - 1, s.endLine);
  const pieces: string[] = [];
  const starts: number[] = [];
  const lineNumbers: number[] = [];
  let nonSpace = 0;
  for (let i = 0; i < lines.length; i++) {
    if (keep[i] !== 1) continue;
    const line = (lines[i] as string).replace(/\s+/gu, ' ').trim();
    if (line === '') continue;
    starts.push(nonSpace);
    lineNumbers.push(i + 1);
    nonSpace += nonSpaceLength(line);
    pieces.push(line);
  }
  return { text: pieces.join(' '), starts, lineNumbers };
}

/** Characters but spaces (the compared text has no other whitespace), counted without a match array per call. */
function nonSpaceLength(text: string): number {
  let spaces = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 32) spaces++;
  return text.length - spaces;
}
const wordCount = (text: string) => text.match(/\S+/gu)?.length ?? 0;

/** The 1-based line holding the character after `nonSpace` non-space characters. */
function lineAt(doc: ComparedText, nonSpace: number): number {
  let lo = 0;
  let hi = doc.starts.length - 1;
  if (hi < 0) return 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((doc.starts[mid] as number) <= nonSpace) lo = mid;
    else hi = mid - 1;
  }
  return doc.lineNumbers[lo] as number;
}

/** The last `n` words of `text`, with the space before them. */
function lastWords(text: string, n: number): string {
  let count = 0;
  for (let i = text.length - 2; i >= 0; i--) {
    if (text[i] === ' ' && text[i + 1] !== ' ' && ++count === n) return text.slice(i);
  }
  return text;
}

/** The first `n` words of `text`, with the space after them. */
function firstWords(text: string, n: number): string {
  let count = 0;
  for (let i = 1; i < text.length; i++) {
    if (text[i] === ' ' && text[i - 1] !== ' ' && ++count === n) return text.slice(0, i + 1);
  }
  return text;
}

interface Located {
  change: ChangeObject<string>;
  /** Non-space characters before it in the representative's text and in the member's. */
  atRep: number;
  atMember: number;
}

const isChange = (c: ChangeObject<string>) => c.added || c.removed;

function asPart(change: ChangeObject<string>): DiffPart {
  const op = change.added ? 'added' : 'removed';
  const words = wordCount(change.value);
  if (words <= DIFF_LIMITS.wordsPerPart) return { op, text: change.value };
  return { op, text: firstWords(change.value, DIFF_LIMITS.wordsPerPart), omittedWords: words - DIFF_LIMITS.wordsPerPart };
}

const WORDS = /[\p{L}\p{N}]+/gu;

/** How often each word occurs in a case-folded text. */
function wordBag(folded: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of folded.match(WORDS) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

/** A representative's case-folded text and word bag, made once for all the members diffed against it. */
const folds = new WeakMap<ComparedText, { folded: string; bag: Map<string, number> }>();

function foldOf(representative: ComparedText): { folded: string; bag: Map<string, number> } {
  let fold = folds.get(representative);
  if (!fold) {
    const folded = representative.text.toLowerCase();
    folds.set(representative, (fold = { folded, bag: wordBag(folded) }));
  }
  return fold;
}

/**
 * Words one text has more often than the other, summed both ways: each needs at least one token
 * edit, so above maxEditLength diffWords would give up, and is not asked (it takes a while to).
 */
function wordBagDistance(bag: ReadonlyMap<string, number>, folded: string): number {
  const other = wordBag(folded);
  let distance = 0;
  for (const [w, n] of bag) distance += Math.abs(n - (other.get(w) ?? 0));
  for (const [w, n] of other) if (!bag.has(w)) distance += n;
  return distance;
}

/** The member's compared text against the representative's, condensed to hunks. */
export function diffTexts(representative: ComparedText, member: ComparedText, compare: CompareKind): MemberDiff {
  const rep = foldOf(representative);
  const folded = member.text.toLowerCase();
  // The same text but for case (one member in nine on the benchmark corpus): identical, as
  // diffWords (which ignores case) would find, without tokenising both texts to say so.
  if (folded === rep.folded) return identicalDiff(compare);
  const changes =
    wordBagDistance(rep.bag, folded) > DIFF_LIMITS.maxEditLength
      ? undefined
      : diffWords(representative.text, member.text, { maxEditLength: DIFF_LIMITS.maxEditLength, ignoreCase: true });
  if (changes === undefined) return { identical: false, diffed: compare, hunks: [], omittedHunks: 0, tooManyChanges: true };

  const located: Located[] = [];
  let atRep = 0;
  let atMember = 0;
  let addedWords = 0;
  let removedWords = 0;
  for (const change of changes) {
    located.push({ change, atRep, atMember });
    const length = nonSpaceLength(change.value);
    if (!change.added) atRep += length;
    if (!change.removed) atMember += length;
    if (change.added) addedWords += wordCount(change.value);
    if (change.removed) removedWords += wordCount(change.value);
  }

  // Runs of changes whose unchanged gaps are short enough to read as one passage.
  const context = DIFF_LIMITS.contextWords;
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < located.length; i++) {
    if (!isChange(located[i]!.change)) continue;
    const last = runs[runs.length - 1];
    let gap = 0;
    if (last) for (let j = last[1] + 1; j < i; j++) gap += wordCount(located[j]!.change.value);
    if (last && gap <= 2 * context) last[1] = i;
    else runs.push([i, i]);
  }

  const hunks: DiffHunk[] = runs.slice(0, DIFF_LIMITS.hunksPerMember).map(([first, last]) => {
    const parts: DiffPart[] = [];
    const before = located[first - 1];
    if (before) parts.push({ op: 'same', text: lastWords(before.change.value, context) });
    for (let i = first; i <= last; i++) {
      const { change } = located[i]!;
      parts.push(isChange(change) ? asPart(change) : { op: 'same', text: change.value });
    }
    const after = located[last + 1];
    if (after) parts.push({ op: 'same', text: firstWords(after.change.value, context) });
    const start = located[first]!;
    return { line: lineAt(member, start.atMember), representativeLine: lineAt(representative, start.atRep), parts };
  });
  return {
    identical: runs.length === 0,
    diffed: compare,
    addedWords,
    removedWords,
    hunks,
    omittedHunks: Math.max(0, runs.length - hunks.length),
  };
}

/** An identical copy (the same normalised full text, or compared text but for case): nothing to diff. */
export function identicalDiff(compare: CompareKind): MemberDiff {
  return { identical: true, diffed: compare, addedWords: 0, removedWords: 0, hunks: [], omittedHunks: 0 };
}
