// The reason vocabulary: how the evidence behind a label reads, for one line (LineLabel.reasons)
// and aggregated over the lines of a segment (Segment.reasons). One place, so the wording stays
// stable; every string is built deterministically from the evidence.

import type { LineEvidence, LineLabel } from './types.js';

/** Context rules, as LineEvidence.context indexes them. */
export const CONTEXT = {
  none: 0,
  main: 1,
  before: 2,
  after: 3,
  neighbours: 4,
  inside: 5,
  headline: 6,
  tail: 7,
  between: 8,
  header: 9,
  quote: 10,
  signature: 11,
  noEvidence: 12,
  authorsText: 13,
} as const;

/** What each context rule says (the `neighbours` one is followed by the score). */
const CONTEXT_TEXT: readonly string[] = [
  'no main text block found',
  'in the main text block',
  'before the main text block',
  'after the main text block',
  'context: boilerplate neighbours',
  'inside the main text block',
  'headline before the main text block',
  'after the end of the article',
  'between boilerplate',
  'mail header block',
  'quoted text',
  'signature',
  'no boilerplate evidence in the document',
  "the author's own text in a mail or news post",
];

/** Order of the context rules in a segment's reasons when they cover as many lines. */
const CONTEXT_RANK: readonly number[] = [
  CONTEXT.header, CONTEXT.quote, CONTEXT.signature, CONTEXT.between, CONTEXT.tail, CONTEXT.headline, CONTEXT.main, CONTEXT.inside, CONTEXT.before, CONTEXT.after,
  CONTEXT.noEvidence, CONTEXT.authorsText, CONTEXT.neighbours, CONTEXT.none,
];

const fmt = (x: number): string => x.toFixed(2);

// Line reasons recur a lot: the common ones are built once.
const densityCache = new Map<number, string>();
const wordsCache: string[] = [];

export function densityReason(x: number): string {
  let s = densityCache.get(x);
  if (s === undefined) {
    s = `stopword density ${fmt(x)}`;
    if (densityCache.size < 4096) densityCache.set(x, s);
  }
  return s;
}

export function wordsReason(words: number): string {
  if (words < 1024) return (wordsCache[words] ??= `${words} words`);
  return `${words} words`;
}

export function contextReason(context: number, score: number): string {
  const text = CONTEXT_TEXT[context] as string;
  return context === CONTEXT.neighbours ? `${text} (score ${fmt(score)})` : text;
}

export const linkReason = (x: number): string => `link density ${fmt(x)}`;
export const repeatedReason = (documents: number): string => `repeated in ${documents} documents`;
export const cueReason = (text: string): string => `cue:"${text}"`;
export const CALL_TO_ACTION_REASON = 'call to action';
export const SENTENCE_REASON = 'ends like a sentence';
/** Link density at or above this is worth a reason. */
export const LINK_REASON_MIN = 0.2;

/** The reasons of one line, from its evidence. */
export function lineReasons(kind: 'body' | 'boilerplate', e: LineEvidence): string[] {
  if (kind === 'body') {
    const reasons = [contextReason(e.context, e.score), densityReason(e.stopwordDensity), wordsReason(e.words)];
    if (e.terminal) reasons.push(SENTENCE_REASON);
    return reasons;
  }
  const reasons: string[] = [];
  if (e.repeated > 0) reasons.push(repeatedReason(e.repeated));
  if (e.cue !== null) reasons.push(cueReason(e.cue));
  else if (e.callToAction) reasons.push(CALL_TO_ACTION_REASON);
  if (e.context >= 0) reasons.push(contextReason(e.context, e.score));
  reasons.push(densityReason(e.stopwordDensity), wordsReason(e.words));
  if (e.linkDensity >= LINK_REASON_MIN) reasons.push(linkReason(e.linkDensity));
  return reasons;
}

/** Most reasons a segment shows. */
export const MAX_SEGMENT_REASONS = 6;

/** " (3 of 7 lines)" when evidence holds for only some of a segment's lines, with `extra` first. */
function share(k: number, m: number, extra = ''): string {
  const part = k < m ? `${k} of ${m} lines` : '';
  if (extra === '') return part === '' ? '' : ` (${part})`;
  return part === '' ? ` (${extra})` : ` (${extra}; ${part})`;
}

/**
 * Evidence of a segment's lines, gathered line by line (the lines that carry evidence; labels
 * built by hand may carry none, their reason strings are counted instead).
 */
export class SegmentEvidence {
  // Declared here, set by reset() (one list of the initial values, used by the constructor too).
  private declare lines: number;
  private declare repeatedLines: number;
  private declare repeatedMax: number;
  private declare cueLines: number;
  /** Cue texts with their counts, first seen first (made on the first cue). */
  private declare cues: Map<string, number> | null;
  private declare callToAction: number;
  private readonly contextLines = new Int32Array(CONTEXT_TEXT.length);
  private declare neighbourScore: number;
  private declare terminal: number;
  private declare words: number;
  private declare stopwords: number;
  private declare links: number;
  /** Reason strings of lines without evidence, with their counts, first seen first. */
  private declare plain: Map<string, number> | null;

  private static instance: SegmentEvidence | null = null;

  constructor() {
    this.reset();
  }

  /**
   * The one instance, emptied: segments are built one at a time. (An instance per segment lets a
   * full GC collect the class's object layout between runs, and optimised code that checks for
   * it is then thrown away and compiled again.)
   */
  static shared(): SegmentEvidence {
    const evidence = (SegmentEvidence.instance ??= new SegmentEvidence());
    evidence.reset();
    return evidence;
  }

  private reset(): void {
    this.lines = 0;
    this.repeatedLines = 0;
    this.repeatedMax = 0;
    this.cueLines = 0;
    this.cues = null;
    this.callToAction = 0;
    this.contextLines.fill(0);
    this.neighbourScore = 0;
    this.terminal = 0;
    this.words = 0;
    this.stopwords = 0;
    this.links = 0;
    this.plain = null;
  }

  add(label: LineLabel): void {
    const e = label.evidence;
    if (!e) {
      const plain = (this.plain ??= new Map());
      for (const r of label.reasons) plain.set(r, (plain.get(r) ?? 0) + 1);
      return;
    }
    this.addLine(e.context, e.score, e.words, e.stopwordDensity, e.linkDensity, e.terminal, e.cue, e.callToAction, e.repeated);
  }

  /** A line's evidence (the fields of LineEvidence), with no object for it. */
  addLine(
    context: number, score: number, words: number, stopwordDensity: number, linkDensity: number, terminal: boolean,
    cue: string | null, callToAction: boolean, repeated: number,
  ): void {
    this.lines++;
    if (repeated > 0) {
      this.repeatedLines++;
      if (repeated > this.repeatedMax) this.repeatedMax = repeated;
    }
    if (cue !== null) {
      this.cueLines++;
      const cues = (this.cues ??= new Map());
      cues.set(cue, (cues.get(cue) ?? 0) + 1);
    } else if (callToAction) this.callToAction++;
    if (context >= 0) {
      this.contextLines[context] = (this.contextLines[context] as number) + 1;
      if (context === CONTEXT.neighbours) this.neighbourScore += score;
    }
    if (terminal) this.terminal++;
    this.words += words;
    this.stopwords += stopwordDensity;
    this.links += linkDensity;
  }

  /** The segment's reasons, most informative first: one entry per kind of evidence. */
  reasons(kind: 'body' | 'boilerplate'): string[] {
    const out: string[] = [];
    const m = this.lines;
    if (m > 0) {
      if (kind === 'boilerplate') {
        if (this.repeatedLines > 0) out.push(repeatedReason(this.repeatedMax) + share(this.repeatedLines, m));
        if (this.cues !== null) {
          // The most frequent cue (the first seen among equals).
          let top = '';
          let topCount = 0;
          for (const [text, count] of this.cues) {
            if (count > topCount) {
              top = text;
              topCount = count;
            }
          }
          const others = this.cues.size - 1;
          out.push(cueReason(top) + share(this.cueLines, m, others > 0 ? `+${others} other cue${others > 1 ? 's' : ''}` : ''));
        }
        if (this.callToAction > 0) out.push(CALL_TO_ACTION_REASON + share(this.callToAction, m));
      }
      // Context rules, the most lines first (CONTEXT_RANK among equals).
      const lines = this.contextLines;
      for (let left = m; left > 0; ) {
        let best = -1;
        for (const c of CONTEXT_RANK) if ((lines[c] as number) > 0 && (best < 0 || (lines[c] as number) > (lines[best] as number))) best = c;
        if (best < 0) break;
        const k = lines[best] as number;
        out.push(
          best === CONTEXT.neighbours
            ? (CONTEXT_TEXT[best] as string) + share(k, m, `score ${fmt(this.neighbourScore / k)}`)
            : (CONTEXT_TEXT[best] as string) + share(k, m),
        );
        lines[best] = 0; // taken
        left -= k;
      }
      if (kind === 'boilerplate' && this.links / m >= LINK_REASON_MIN) out.push(linkReason(this.links / m));
      if (kind === 'body' && this.terminal > 0) out.push(SENTENCE_REASON + share(this.terminal, m));
      out.push(densityReason(this.stopwords / m));
      const words = Math.round(this.words / m);
      out.push(m === 1 ? wordsReason(words) : `${words} words per line`);
    }
    // Lines without evidence: their reasons, most frequent first.
    if (this.plain !== null) {
      const plain = [...this.plain.entries()].sort((a, b) => b[1] - a[1]);
      for (const [r] of plain) if (!out.includes(r)) out.push(r);
    }
    return out.length > MAX_SEGMENT_REASONS ? out.slice(0, MAX_SEGMENT_REASONS) : out;
  }
}
