// Line classifier: body or boilerplate, with a category for boilerplate.
//
// 1. Each non-blank line gets a body score from shallow features (a logistic model whose weights
//    were fitted on labelled news pages): length, stopword density, sentence punctuation,
//    capitalisation, link-like density, cue phrases, calls to action, position.
// 2. Context, jusText-style: a two-state Viterbi pass smooths the scores, so short or uncertain
//    lines take the class of their neighbours.
// 3. The article is the heaviest contiguous block of body lines, boilerpipe-style; nearby blocks
//    join it across short gaps, far-away blocks are boilerplate. The headline is picked among the
//    short lines just before the article (it shares words with the article's opening).
// 4. Cue phrases, calls to action and corpus-level template lines override the features; lines
//    caught between boilerplate become boilerplate; once boilerplate starts near the end of the
//    article, what follows is boilerplate unless it is clearly body.
// 5. Categories come from cues; a line without one takes the category of the nearest cue in its
//    run of boilerplate, else `navigation`.

import type { BlockRole } from '../layout/index.js';
import { extractFeatures, type LineFeatures } from './features.js';
import { CONTEXT, lineReasons, SegmentEvidence } from './reasons.js';
import { closeSegment } from './merge.js';
import type { BoilerplateCategory, ClassifyOptions, LineEvidence, LineLabel, Segment } from './types.js';
import { unitsOf, type Units } from './units.js';

export interface ClassifierParams {
  /** Logistic weights of the line score. */
  bias: number;
  logWords: number;
  stopwordDensity: number;
  terminal: number;
  colon: number;
  upperShare: number;
  capShare: number;
  digitShare: number;
  linkDensity: number;
  strongCue: number;
  wholeCue: number;
  shortCue: number;
  position: number;
  callToAction: number;
  /** Longest line (in words) a strong cue makes boilerplate whatever the context. */
  strongCueMaxWords: number;
  /** Added to every score before smoothing (a prior towards body). */
  shift: number;
  /** Cost of switching between body and boilerplate in the smoothing pass. */
  switchCost: number;
  /** Body blocks separated from the article by at most this many lines join it. */
  joinGap: number;
  /** Gaps inside the article of at most this many lines without boilerplate evidence are body. */
  fillGap: number;
  /** Lines before the article searched for the headline. */
  headlineWindow: number;
  headlineThreshold: number;
  /** A line whose score reaches this is "clearly body" for the context rules. */
  clearBody: number;
  /** The tail rule applies when less than this share of the body mass follows the cue. */
  tailShare: number;
  /** Longest run of uncertain lines the "between boilerplate" rule relabels. */
  sandwichRun: number;
  /** Score of a line that recurs across the corpus. */
  templateScore: number;
  /** Link density from which a line is evidence of boilerplate (see "no evidence, no boilerplate"). */
  evidenceLinkDensity: number;
}

export const DEFAULT_PARAMS: ClassifierParams = {
  bias: -4.761,
  logWords: 1.666,
  stopwordDensity: 0.281,
  terminal: 1.71,
  colon: 0.902,
  upperShare: 0.45,
  capShare: -1.16,
  digitShare: 0.417,
  linkDensity: -1.909,
  strongCue: -1.911,
  wholeCue: -1.433,
  shortCue: -3.244,
  position: -1.991,
  callToAction: -3.804,
  strongCueMaxWords: 30,
  shift: 1,
  switchCost: 1.5,
  joinGap: 4,
  fillGap: 3,
  headlineWindow: 10,
  headlineThreshold: -2,
  clearBody: 3,
  tailShare: 0.25,
  sandwichRun: 3,
  templateScore: -8,
  evidenceLinkDensity: 0.2,
};

// Headline model: which line before the article is its headline (fitted like the line score).
const HEADLINE = {
  bias: -3.23,
  logDistance: -0.21,
  logWords: 0.84,
  tooShort: -3.02,
  tooLong: -4.55,
  capShare: -1.83,
  terminal: -1.22,
  colon: -2.04,
  link: -2.39,
  digitShare: -5.01,
  upperShare: -0.93,
  stopwordDensity: -1.83,
  anyCue: -1.89,
  strongCue: -2.35,
  overlap: 6.32,
};
const HEADLINE_VOCAB_LINES = 8;
const HEADLINE_VOCAB_WORDS = 300;

/**
 * A set of words for the headline vocabulary (at most HEADLINE_VOCAB_WORDS + HEADLINE_VOCAB_LINES
 * of them): open addressing on a hash of the first, second and last characters and the length,
 * which is much cheaper than hashing every token in full as a Set would. The table is shared and
 * emptied by moving to a new generation, so a document allocates nothing. There is one instance,
 * made at load: a per-document instance lets a full GC collect the class's object layout between
 * documents, and optimised code that checks for that layout is then thrown away.
 */
class WordSet {
  private static readonly BITS = 10;
  private static readonly words: (string | null)[] = new Array<string | null>(1 << WordSet.BITS).fill(null);
  private static readonly generation = new Int32Array(1 << WordSet.BITS);
  private static current = 0;
  private gen = 0;
  size = 0;

  /** Empty the set. */
  clear(): void {
    this.gen = ++WordSet.current;
    this.size = 0;
  }

  private static slot(w: string): number {
    const n = w.length;
    const h = Math.imul(Math.imul(Math.imul(w.charCodeAt(0), 31) + (n > 1 ? w.charCodeAt(1) : 0) | 0, 31) + w.charCodeAt(n - 1) | 0, 31) + n;
    return (h ^ (h >>> 10)) & ((1 << WordSet.BITS) - 1);
  }

  /** The slot holding `w`, or the empty slot where it would go. */
  private find(w: string): number {
    const mask = (1 << WordSet.BITS) - 1;
    let slot = WordSet.slot(w);
    while (WordSet.generation[slot] === this.gen && WordSet.words[slot] !== w) slot = (slot + 1) & mask;
    return slot;
  }

  add(w: string): void {
    const slot = this.find(w);
    if (WordSet.generation[slot] === this.gen) return;
    WordSet.generation[slot] = this.gen;
    WordSet.words[slot] = w;
    this.size++;
  }

  has(w: string): boolean {
    return WordSet.generation[this.find(w)] === this.gen;
  }
}

const HEADLINE_VOCAB = new WordSet();

/** The context rule that reports a structural block. */
const STRUCTURE_CONTEXT: Record<BlockRole, number> = { text: CONTEXT.none, header: CONTEXT.header, quote: CONTEXT.quote, signature: CONTEXT.signature };

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function lineScore(f: LineFeatures, position: number, p: ClassifierParams): number {
  const tier = f.cue?.tier;
  return (
    p.bias +
    p.logWords * Math.log1p(f.words) +
    p.stopwordDensity * f.stopwordDensity +
    (f.terminal ? p.terminal : 0) +
    (f.colon ? p.colon : 0) +
    p.upperShare * f.upperShare +
    p.capShare * f.capShare +
    p.digitShare * f.digitShare +
    p.linkDensity * f.linkDensity +
    (tier === 'strong' ? p.strongCue : 0) +
    (tier === 'whole' ? p.wholeCue : 0) +
    (tier === 'short' ? p.shortCue : 0) +
    p.position * position +
    (f.callToAction ? p.callToAction : 0)
  );
}

/**
 * The per-line arrays of one decide() call, reused from one document to the next: a document is
 * short, and allocating ten typed arrays for it (each with its own backing store) cost more than
 * the arithmetic on them. decide() is not re-entrant; its result is read before the next call.
 */
class LineArrays {
  readonly capacity: number;
  readonly smoothed: Uint8Array;
  readonly backPointers: Uint8Array;
  readonly body: Uint8Array;
  readonly why: Uint8Array;
  readonly hard: Uint8Array;
  readonly massAfter: Float64Array;
  readonly confidence: Float64Array;
  readonly context: Int8Array;
  readonly repeated: Int32Array;
  readonly score: Float64Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.smoothed = new Uint8Array(capacity);
    this.backPointers = new Uint8Array(capacity * 2);
    this.body = new Uint8Array(capacity);
    this.why = new Uint8Array(capacity);
    this.hard = new Uint8Array(capacity);
    this.massAfter = new Float64Array(capacity + 1);
    this.confidence = new Float64Array(capacity);
    this.context = new Int8Array(capacity);
    this.repeated = new Int32Array(capacity);
    this.score = new Float64Array(capacity);
  }
}
let lineArrays = new LineArrays(256);
const lineArraysFor = (n: number): LineArrays => (lineArrays.capacity >= n ? lineArrays : (lineArrays = new LineArrays(2 * n)));

/** Two-state Viterbi: body emits `score`, boilerplate emits 0, every switch costs `cost`. */
function smooth(scores: readonly number[], cost: number, arrays: LineArrays): Uint8Array {
  const n = scores.length;
  const out = arrays.smoothed.subarray(0, n);
  if (n === 0) return out;
  const from = arrays.backPointers; // back-pointers: state at k-1 for (k, state)
  let v0 = 0;
  let v1 = scores[0] as number;
  for (let k = 1; k < n; k++) {
    const s = scores[k] as number;
    // to boilerplate
    const a0 = v0;
    const b0 = v1 - cost;
    // to body
    const a1 = v1;
    const b1 = v0 - cost;
    from[k * 2] = a0 >= b0 ? 0 : 1;
    from[k * 2 + 1] = a1 >= b1 ? 1 : 0;
    const n0 = Math.max(a0, b0);
    const n1 = Math.max(a1, b1) + s;
    v0 = n0;
    v1 = n1;
  }
  let state = v1 > v0 ? 1 : 0;
  for (let k = n - 1; k >= 0; k--) {
    out[k] = state;
    state = from[k * 2 + state] as number;
  }
  return out;
}

interface Block {
  start: number;
  end: number;
  mass: number;
}

function blocksOf(body: Uint8Array, scores: readonly number[]): Block[] {
  const blocks: Block[] = [];
  for (let k = 0; k < body.length; ) {
    if (body[k] !== 1) {
      k++;
      continue;
    }
    let mass = 0;
    const start = k;
    while (k < body.length && body[k] === 1) {
      mass += Math.max(0, scores[k] as number);
      k++;
    }
    blocks.push({ start, end: k - 1, mass });
  }
  return blocks;
}

/**
 * The decision for every non-blank line, in parallel arrays indexed by k (the k-th non-blank
 * line, which is line at[k] of the document): no object per line.
 */
interface Decisions {
  lineCount: number;
  /** The k-th labelled unit is units.blocks[at[k]]: physical lines blocks[at[k]].start .. end. */
  units: Units;
  at: readonly number[];
  features: readonly LineFeatures[];
  body: Uint8Array;
  /** Boilerplate lines only. */
  category: (BoilerplateCategory | undefined)[];
  /** Rounded to three decimals, as labels and segments report it. */
  confidence: Float64Array;
  /** LineEvidence.context: the context rule, or -1 for boilerplate whatever the context. */
  context: Int8Array;
  score: Float64Array;
  repeated: Int32Array;
}

/** classifyLines with explicit parameters (for tuning). */
export function classifyWith(lines: readonly string[], options: ClassifyOptions | undefined, p: ClassifierParams): LineLabel[] {
  const d = decide(lines, options, p);
  const labels: LineLabel[] = new Array(d.lineCount);
  for (let i = 0; i < d.lineCount; i++) labels[i] = { kind: 'blank', confidence: 1, reasons: [] };
  for (let k = 0; k < d.at.length; k++) {
    const e = evidenceOf(d, k);
    const label: LineLabel = d.body[k]
      ? { kind: 'body', confidence: d.confidence[k] as number, reasons: lineReasons('body', e), evidence: e }
      : {
          kind: 'boilerplate',
          category: d.category[k] ?? 'navigation',
          confidence: d.confidence[k] as number,
          reasons: lineReasons('boilerplate', e),
          evidence: e,
        };
    // Every non-blank line of a block carries the block's label.
    const block = d.units.blocks[d.at[k] as number]!;
    for (let i = block.start; i <= block.end; i++) if ((lines[i] as string).trim() !== '') labels[i] = label;
  }
  return labels;
}

/**
 * Segments straight from the decisions: what mergeSegments(classifyWith(...)) gives, without a
 * label, an evidence object or reason strings per line.
 */
export function segmentWith(lines: readonly string[], options: ClassifyOptions | undefined, p: ClassifierParams): Segment[] {
  const d = decide(lines, options, p);
  const segments: Segment[] = [];
  const n = d.at.length;
  for (let k = 0; k < n; ) {
    const body = d.body[k] === 1;
    const category = body ? undefined : (d.category[k] ?? 'navigation');
    const evidence = SegmentEvidence.shared();
    let confidence = 0;
    let e = k;
    for (; e < n && (d.body[e] === 1) === body && (body || (d.category[e] ?? 'navigation') === category); e++) {
      const f = d.features[d.at[e] as number] as LineFeatures;
      confidence += d.confidence[e] as number;
      evidence.addLine(
        d.context[e] as number, d.score[e] as number, f.words, f.stopwordDensity, f.linkDensity, f.terminal,
        f.cue?.text ?? null, f.callToAction, d.repeated[e] as number,
      );
    }
    const { blocks } = d.units;
    segments.push(closeSegment(blocks[d.at[k] as number]!.start + 1, blocks[d.at[e - 1] as number]!.end + 1, body, category, confidence / (e - k), evidence));
    k = e;
  }
  return segments;
}

function decide(lines: readonly string[], options: ClassifyOptions | undefined, p: ClassifierParams): Decisions {
  // The classifier labels the layout's blocks (paragraphs); a block is one line unless the
  // document is hard-wrapped or has mail structure.
  const units = unitsOf(lines, options);
  const layoutBlocks = units.blocks;
  const { features, tokens } = extractFeatures(units.texts, units.normalised, units.tokens, units.tokenHashes);
  const template = options?.templateCounts;
  // Work on non-blank units only: `at[k]` is the block index of the k-th non-blank unit.
  const at: number[] = [];
  for (let i = 0; i < features.length; i++) if (!(features[i] as LineFeatures).blank) at.push(i);
  const n = at.length;
  const total = Math.max(1, lines.length);
  const f = (k: number): LineFeatures => features[at[k] as number] as LineFeatures;
  const startOf = (k: number): number => layoutBlocks[at[k] as number]!.start;
  // Corpus evidence is keyed by a block's first line.
  const templateCount = (k: number): number => template?.get(startOf(k)) ?? 0;
  const roleOf = (k: number): BlockRole => layoutBlocks[at[k] as number]!.role;
  // Mail structure (header, quoted text, signature) is never the author's own text.
  const structural = (k: number): boolean => roleOf(k) !== 'text';

  const scores: number[] = new Array(n);
  for (let k = 0; k < n; k++) {
    scores[k] = templateCount(k) > 0 || structural(k) ? p.templateScore : lineScore(f(k), startOf(k) / total, p) + p.shift;
  }

  // Context: smoothing, then the article as the heaviest block plus blocks close to it.
  const arrays = lineArraysFor(n);
  const smoothed = smooth(scores, p.switchCost, arrays);
  const blocks = blocksOf(smoothed, scores);
  const body = arrays.body.subarray(0, n).fill(0);
  const why = arrays.why.subarray(0, n).fill(CONTEXT.none); // the context rule behind each decision
  let articleStart = -1;
  let articleEnd = -1;
  let mainMass = 0;
  if (blocks.length > 0) {
    let main = 0;
    for (let b = 1; b < blocks.length; b++) if ((blocks[b] as Block).mass > (blocks[main] as Block).mass) main = b;
    let lo = main;
    let hi = main;
    while (lo > 0 && (blocks[lo] as Block).start - (blocks[lo - 1] as Block).end - 1 <= p.joinGap) lo--;
    while (hi + 1 < blocks.length && (blocks[hi + 1] as Block).start - (blocks[hi] as Block).end - 1 <= p.joinGap) hi++;
    for (let b = lo; b <= hi; b++) {
      const block = blocks[b] as Block;
      mainMass += block.mass;
      for (let k = block.start; k <= block.end; k++) body[k] = 1;
    }
    articleStart = (blocks[lo] as Block).start;
    articleEnd = (blocks[hi] as Block).end;
    for (let k = 0; k < n; k++) {
      if (body[k]) why[k] = CONTEXT.main;
      else if (smoothed[k]) why[k] = k < articleStart ? CONTEXT.before : CONTEXT.after;
      else why[k] = CONTEXT.neighbours;
    }
    // Short gaps inside the article (lists, subheadings, short quotes) belong to it unless
    // something marks them as boilerplate.
    for (let k = articleStart; k <= articleEnd; ) {
      if (body[k]) {
        k++;
        continue;
      }
      let e = k;
      while (e + 1 <= articleEnd && !body[e + 1]) e++;
      if (e - k + 1 <= p.fillGap) {
        let plain = true;
        for (let j = k; j <= e && plain; j++) {
          const fj = f(j);
          if (fj.cue || fj.callToAction || templateCount(j) > 0 || structural(j) || fj.linkDensity >= 0.5) plain = false;
        }
        if (plain) {
          for (let j = k; j <= e; j++) {
            body[j] = 1;
            why[j] = CONTEXT.inside;
          }
        }
      }
      k = e + 1;
    }

    // Headline: the line before the article that best looks like one. The article's opening
    // words are only gathered when some line qualifies.
    const vocab = HEADLINE_VOCAB;
    vocab.clear();
    let candidates = false;
    for (let k = Math.max(0, articleStart - p.headlineWindow); k < articleStart && !candidates; k++) {
      if (!body[k] && templateCount(k) === 0 && !structural(k)) candidates = true;
    }
    if (candidates) {
      for (let k = articleStart; k <= Math.min(articleEnd, articleStart + HEADLINE_VOCAB_LINES - 1); k++) {
        for (const t of tokens[at[k] as number] as readonly string[]) {
          if (t.length >= 3) vocab.add(t);
          if (vocab.size >= HEADLINE_VOCAB_WORDS) break;
        }
      }
    }
    let best = -1;
    let bestScore = -Infinity;
    for (let k = Math.max(0, articleStart - p.headlineWindow); k < articleStart; k++) {
      if (body[k] || templateCount(k) > 0 || structural(k)) continue;
      const s = headlineScore(f(k), tokens[at[k] as number] as readonly string[], articleStart - k, vocab);
      if (s > bestScore) {
        bestScore = s;
        best = k;
      }
    }
    if (best >= 0 && bestScore > p.headlineThreshold) {
      body[best] = 1;
      why[best] = CONTEXT.headline;
      scores[best] = Math.max(scores[best] as number, bestScore - p.headlineThreshold);
    }
  }

  // Evidence that overrides the features.
  const cueCategory: (BoilerplateCategory | undefined)[] = new Array(n);
  const hard = arrays.hard.subarray(0, n).fill(0); // boilerplate whatever the context
  for (let k = 0; k < n; k++) {
    const fk = f(k);
    if (templateCount(k) > 0) hard[k] = 1;
    const role = roleOf(k);
    if (role !== 'text') {
      cueCategory[k] = role;
      hard[k] = 1;
    } else if (fk.cue) {
      cueCategory[k] = fk.cue.category;
      // A cue phrase inside a long paragraph is weaker evidence: there it only lowers the score.
      if (fk.cue.tier === 'strong' ? fk.words <= p.strongCueMaxWords : fk.words <= 8) hard[k] = 1;
    } else if (fk.callToAction) {
      cueCategory[k] = 'promo';
      hard[k] = 1;
    }
    if (hard[k]) body[k] = 0;
  }

  const clearly = (k: number): boolean => !hard[k] && (scores[k] as number) >= p.clearBody;

  // Tail: the first hard boilerplate line in the article after which little body mass remains;
  // from there on everything is boilerplate unless clearly body.
  if (articleStart >= 0 && mainMass > 0) {
    const after = arrays.massAfter; // body mass strictly after line k
    after[n] = 0;
    for (let k = n - 1; k >= 0; k--) after[k] = (after[k + 1] as number) + (k + 1 < n && body[k + 1] ? Math.max(0, scores[k + 1] as number) : 0);
    for (let k = articleStart + 1; k <= Math.min(articleEnd, n - 1); k++) {
      if (!hard[k] || structural(k) || (after[k] as number) >= p.tailShare * mainMass) continue;
      for (let j = k + 1; j < n; j++) {
        if (body[j] && !clearly(j)) {
          body[j] = 0;
          why[j] = CONTEXT.tail;
        }
      }
      break;
    }
  }

  // Between boilerplate: a short run of uncertain body lines with hard boilerplate on both sides.
  for (let k = 0; k < n; ) {
    if (!body[k]) {
      k++;
      continue;
    }
    let e = k;
    while (e + 1 < n && body[e + 1]) e++;
    const left = k - 1;
    const right = e + 1;
    if (e - k + 1 <= p.sandwichRun && left >= 0 && right < n && hard[left] && hard[right]) {
      let uncertain = true;
      for (let j = k; j <= e; j++) if (clearly(j)) uncertain = false;
      if (uncertain) {
        for (let j = k; j <= e; j++) {
          body[j] = 0;
          why[j] = CONTEXT.between;
        }
      }
    }
    k = e + 1;
  }

  // No evidence, no boilerplate: in a document where no unit carries any evidence of boilerplate
  // (no cue, call to action, link-like text, template line or mail structure), the units that
  // context alone set apart (lists, tables, line-ups, a wire story's sign-off) are the article's.
  // Shape alone is not enough to drop text from the comparison.
  let evidence = false;
  for (let k = 0; k < n && !evidence; k++) {
    const fk = f(k);
    if (hard[k] || fk.cue || fk.callToAction || fk.linkDensity >= p.evidenceLinkDensity) evidence = true;
  }
  if (!evidence) {
    for (let k = 0; k < n; k++) {
      if (body[k]) continue;
      body[k] = 1;
      why[k] = CONTEXT.noEvidence;
    }
  }

  // Categories and confidences. A line's reasons quote the score of "boilerplate neighbours" as
  // it was when that rule applied: only the headline's score changes later, and it is not one.
  const confidences = arrays.confidence.subarray(0, n);
  const context = arrays.context.subarray(0, n);
  const repeated = arrays.repeated.subarray(0, n).fill(0);
  const score = arrays.score.subarray(0, n);
  score.set(scores);
  for (let k = 0; k < n; k++) {
    const fk = f(k);
    const s = scores[k] as number;
    if (body[k]) {
      confidences[k] = round(clamp(sigmoid(s)));
      context[k] = why[k] as number;
      continue;
    }
    let confidence = clamp(sigmoid(-s));
    const count = templateCount(k);
    if (count > 0 || structural(k)) confidence = Math.max(confidence, 0.95);
    if (fk.cue) confidence = Math.max(confidence, fk.cue.tier === 'short' ? 0.75 : 0.9);
    else if (fk.callToAction) confidence = Math.max(confidence, 0.8);
    if (!hard[k] && s > 0) confidence = clamp(0.5 + 0.4 * (1 - sigmoid(s)));
    confidences[k] = round(confidence);
    context[k] = structural(k) ? STRUCTURE_CONTEXT[roleOf(k)] : hard[k] ? -1 : (why[k] as number);
    repeated[k] = count;
  }
  return {
    lineCount: lines.length,
    units,
    at,
    features,
    body,
    category: categoriesOf(body, cueCategory, n),
    confidence: confidences,
    context,
    score,
    repeated,
  };
}

function evidenceOf(d: Decisions, k: number): LineEvidence {
  const fk = d.features[d.at[k] as number] as LineFeatures;
  return {
    context: d.context[k] as number,
    score: d.score[k] as number,
    words: fk.words,
    stopwordDensity: fk.stopwordDensity,
    linkDensity: fk.linkDensity,
    terminal: fk.terminal,
    cue: fk.cue?.text ?? null,
    callToAction: fk.callToAction,
    repeated: d.repeated[k] as number,
  };
}

/** Lines without a cue take the category of the nearest cue in their run of boilerplate. */
function categoriesOf(
  body: Uint8Array,
  cueCategory: readonly (BoilerplateCategory | undefined)[],
  n: number,
): (BoilerplateCategory | undefined)[] {
  const out: (BoilerplateCategory | undefined)[] = new Array(n);
  for (let k = 0; k < n; ) {
    if (body[k]) {
      k++;
      continue;
    }
    let e = k;
    while (e + 1 < n && !body[e + 1]) e++;
    for (let j = k; j <= e; j++) {
      const own = cueCategory[j];
      if (own) {
        out[j] = own;
        continue;
      }
      let cat: BoilerplateCategory | undefined;
      for (let d = 1; j - d >= k || j + d <= e; d++) {
        const before = j - d >= k ? cueCategory[j - d] : undefined;
        const after = j + d <= e ? cueCategory[j + d] : undefined;
        cat = before ?? after;
        if (cat) break;
      }
      out[j] = cat ?? 'navigation';
    }
    k = e + 1;
  }
  return out;
}

function headlineScore(fk: LineFeatures, toks: readonly string[], distance: number, vocab: WordSet): number {
  let long = 0;
  let shared = 0;
  for (const t of toks) {
    if (t.length < 3) continue;
    long++;
    if (vocab.has(t)) shared++;
  }
  const h = HEADLINE;
  return (
    h.bias +
    h.logDistance * Math.log(distance) +
    h.logWords * Math.log1p(fk.words) +
    (fk.words < 3 ? h.tooShort : 0) +
    (fk.words > 25 ? h.tooLong : 0) +
    h.capShare * fk.capShare +
    (fk.terminal ? h.terminal : 0) +
    (fk.colon ? h.colon : 0) +
    (fk.linkDensity > 0 ? h.link : 0) +
    h.digitShare * fk.digitShare +
    h.upperShare * fk.upperShare +
    h.stopwordDensity * fk.stopwordDensity +
    (fk.cue || fk.callToAction ? h.anyCue : 0) +
    (fk.cue && fk.cue.tier !== 'short' ? h.strongCue : 0) +
    h.overlap * (long > 0 ? shared / long : 0)
  );
}

const clamp = (x: number): number => Math.min(0.99, Math.max(0.5, x));
const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Label every line of a document. `lines` are the original lines (splitLines of the decoded
 * file); `templateCounts` is the corpus evidence from findTemplateLines.
 */
export function classifyLines(lines: readonly string[], options?: ClassifyOptions): LineLabel[] {
  return classifyWith(lines, options, DEFAULT_PARAMS);
}

/**
 * The segments of a document: mergeSegments(classifyLines(...)), without the per-line labels and
 * reason strings (segments build theirs from the lines' evidence). What the pipeline uses.
 */
export function segmentLines(lines: readonly string[], options?: ClassifyOptions): Segment[] {
  return segmentWith(lines, options, DEFAULT_PARAMS);
}
