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

import { round as roundTo } from '../types/numbers.js';
import type { BlockRole } from '../layout/index.js';
import { unitFeatures, type LineFeatures } from './features.js';
import { CONTEXT, lineReasons, SegmentEvidence } from './reasons.js';
import { closeSegment } from './merge.js';
import type { BoilerplateCategory, ClassifyOptions, LineEvidence, LineLabel, Segment } from './types.js';
import { unitView, wordLengths, type UnitView } from './units.js';
import { CONFIDENCE, DEFAULT_PARAMS, HEADLINE_SHAPE, HEADLINE_WEIGHT_NAMES, type ClassifierParams, type HeadlineWeights } from './params.js';

export { DEFAULT_PARAMS, type ClassifierParams } from './params.js';
/**
 * A set of words for the headline vocabulary (at most HEADLINE_SHAPE.openingWords plus one unit's
 * words), by their hashString (which the units already hold) and length: open addressing, no
 * string per word. Two words of one length with the same 32-bit hash count as one: with 300
 * words in the set, about one headline word in ten million. The table is shared and emptied by
 * moving to a new generation, so a document allocates nothing. There is one instance, made at
 * load: a per-document instance lets a full GC collect the class's object layout between
 * documents, and optimised code that checks for that layout is then thrown away.
 */
class WordSet {
  private static readonly BITS = 10;
  private static readonly lengths = new Int32Array(1 << WordSet.BITS);
  private static readonly hashes = new Int32Array(1 << WordSet.BITS);
  private static readonly generation = new Int32Array(1 << WordSet.BITS);
  private static current = 0;
  private gen = 0;
  size = 0;

  /** Empty the set. */
  clear(): void {
    this.gen = ++WordSet.current;
    this.size = 0;
  }

  /** The slot holding the word of hashString `hash` and `length`, or the empty slot where it would go. */
  private find(hash: number, length: number): number {
    const mask = (1 << WordSet.BITS) - 1;
    const h = hash | 0;
    let slot = (h ^ (h >>> 16)) & mask;
    while (WordSet.generation[slot] === this.gen && (WordSet.hashes[slot] !== h || WordSet.lengths[slot] !== length)) slot = (slot + 1) & mask;
    return slot;
  }

  add(hash: number, length: number): void {
    const slot = this.find(hash, length);
    if (WordSet.generation[slot] === this.gen) return;
    WordSet.generation[slot] = this.gen;
    WordSet.hashes[slot] = hash | 0;
    WordSet.lengths[slot] = length;
    this.size++;
  }

  has(hash: number, length: number): boolean {
    return WordSet.generation[this.find(hash, length)] === this.gen;
  }
}

const HEADLINE_VOCAB = new WordSet();

/** The context rule that reports a structural block. */
const STRUCTURE_CONTEXT: Record<BlockRole, number> = { text: CONTEXT.none, header: CONTEXT.header, quote: CONTEXT.quote, signature: CONTEXT.signature };

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * The inputs of lineScore as a vector, in the order of LINE_WEIGHT_NAMES: what the fitting script
 * regresses on (lineScore itself is written out, it runs for every unit).
 */
export function lineFeatureVector(f: LineFeatures, position: number): number[] {
  const tier = f.cue?.tier;
  return [
    1, Math.log1p(f.words), f.stopwordDensity, f.terminal ? 1 : 0, f.colon ? 1 : 0, f.upperShare, f.capShare, f.digitShare,
    f.linkDensity, tier === 'strong' ? 1 : 0, tier === 'whole' ? 1 : 0, tier === 'short' ? 1 : 0, position, f.callToAction ? 1 : 0,
  ];
}

/** A unit's body score before the prior shift: the line weights of `p` over lineFeatureVector. */
export function lineScore(f: LineFeatures, position: number, p: ClassifierParams): number {
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
  units: UnitView;
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

/**
 * What decide() knows about a document as it goes through its phases: per non-blank unit k (the
 * unit at[k]) its features, score and current decision.
 */
interface DecisionState {
  lineCount: number;
  units: UnitView;
  at: number[];
  n: number;
  features: LineFeatures[];
  templateCounts: ReadonlyMap<number, number> | undefined;
  arrays: LineArrays;
  scores: number[];
  /** 1 = body. */
  body: Uint8Array;
  /** The context rule behind each decision (CONTEXT). */
  why: Uint8Array;
  /** 1 = boilerplate whatever the context (a cue, a call to action, a template line, mail structure). */
  hard: Uint8Array;
  cueCategory: (BoilerplateCategory | undefined)[];
  /** The article: the units from articleStart to articleEnd (-1 when none was found), and its body mass. */
  articleStart: number;
  articleEnd: number;
  mainMass: number;
}

const featureOf = (s: DecisionState, k: number): LineFeatures => s.features[s.at[k] as number] as LineFeatures;
const blockOf = (s: DecisionState, k: number) => s.units.blocks[s.at[k] as number]!;
/** Corpus evidence is keyed by a block's first line. */
const templateCount = (s: DecisionState, k: number): number => s.templateCounts?.get(blockOf(s, k).start) ?? 0;
/** Mail structure (header, quoted text, signature) is never the author's own text. */
const structural = (s: DecisionState, k: number): boolean => blockOf(s, k).role !== 'text';
const clearlyBody = (s: DecisionState, k: number, p: ClassifierParams): boolean => !s.hard[k] && (s.scores[k] as number) >= p.clearBody;

function decide(lines: readonly string[], options: ClassifyOptions | undefined, p: ClassifierParams): Decisions {
  const s = scoreUnits(lines, options, p);
  findArticle(s, p);
  pickHeadline(s, p);
  applyHardEvidence(s, p);
  cutTail(s, p);
  dropBetweenBoilerplate(s, p);
  keepWithoutEvidence(s, p);
  keepAuthorsText(s);
  return finish(s);
}

/**
 * Phase 1: the units (the layout's blocks: a block is one line unless the document is
 * hard-wrapped or has mail structure), their features, and each one's body score.
 */
function scoreUnits(lines: readonly string[], options: ClassifyOptions | undefined, p: ClassifierParams): DecisionState {
  const units = unitView(lines, options);
  const { features } = unitFeatures(units);
  // Work on non-blank units only: `at[k]` is the block index of the k-th non-blank unit.
  const at: number[] = [];
  for (let i = 0; i < features.length; i++) if (!(features[i] as LineFeatures).blank) at.push(i);
  const n = at.length;
  const arrays = lineArraysFor(n);
  const s: DecisionState = {
    lineCount: lines.length,
    units,
    at,
    n,
    features,
    templateCounts: options?.templateCounts,
    arrays,
    scores: new Array<number>(n),
    body: arrays.body.subarray(0, n).fill(0),
    why: arrays.why.subarray(0, n).fill(CONTEXT.none),
    hard: arrays.hard.subarray(0, n).fill(0),
    cueCategory: new Array<BoilerplateCategory | undefined>(n),
    articleStart: -1,
    articleEnd: -1,
    mainMass: 0,
  };
  const total = Math.max(1, lines.length);
  for (let k = 0; k < n; k++) {
    s.scores[k] = templateCount(s, k) > 0 || structural(s, k) ? p.templateScore : lineScore(featureOf(s, k), blockOf(s, k).start / total, p) + p.shift;
  }
  return s;
}

/**
 * Phase 2, context: smoothing, then the article as the heaviest block plus the blocks close to
 * it; short gaps inside the article without boilerplate evidence are body.
 */
function findArticle(s: DecisionState, p: ClassifierParams): void {
  const { n, body, why, scores } = s;
  const smoothed = smooth(scores, p.switchCost, s.arrays);
  const blocks = blocksOf(smoothed, scores);
  if (blocks.length === 0) return;
  let main = 0;
  for (let b = 1; b < blocks.length; b++) if ((blocks[b] as Block).mass > (blocks[main] as Block).mass) main = b;
  let lo = main;
  let hi = main;
  while (lo > 0 && (blocks[lo] as Block).start - (blocks[lo - 1] as Block).end - 1 <= p.joinGap) lo--;
  while (hi + 1 < blocks.length && (blocks[hi + 1] as Block).start - (blocks[hi] as Block).end - 1 <= p.joinGap) hi++;
  for (let b = lo; b <= hi; b++) {
    const block = blocks[b] as Block;
    s.mainMass += block.mass;
    for (let k = block.start; k <= block.end; k++) body[k] = 1;
  }
  const articleStart = (s.articleStart = (blocks[lo] as Block).start);
  const articleEnd = (s.articleEnd = (blocks[hi] as Block).end);
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
        const fj = featureOf(s, j);
        if (fj.cue || fj.callToAction || templateCount(s, j) > 0 || structural(s, j) || fj.linkDensity >= p.fillGapLinkDensity) plain = false;
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
}

/**
 * A line the corpus calls template that may still be this document's headline: right above the
 * article, shaped like a title (at most HEADLINE_SHAPE.maxWords words, not ending like a
 * sentence). Headlines recur in unrelated documents (related-story links, briefs, digests) as
 * page furniture does; on the benchmark corpus, briefs repeating BBC headlines made 700 of the
 * 2,225 originals' headlines "navigation". A tagline or standfirst ends like a sentence.
 */
function recurringTitle(s: DecisionState, k: number): boolean {
  const f = featureOf(s, k);
  return k === s.articleStart - 1 && !f.terminal && f.words <= HEADLINE_SHAPE.maxWords;
}

/**
 * Phase 3: the headline, the unit before the article that best looks like one. The article's
 * opening words are only gathered when some unit qualifies.
 */
function pickHeadline(s: DecisionState, p: ClassifierParams): void {
  const { articleStart, body } = s;
  if (articleStart < 0) return;
  const candidate = (k: number) => !body[k] && (templateCount(s, k) === 0 || recurringTitle(s, k)) && !structural(s, k);
  const first = Math.max(0, articleStart - p.headlineWindow);
  let any = false;
  for (let k = first; k < articleStart && !any; k++) if (candidate(k)) any = true;
  if (!any) return;
  const vocab = openingVocabulary(s);
  let best = -1;
  let bestScore = -Infinity;
  for (let k = first; k < articleStart; k++) {
    if (!candidate(k)) continue;
    const score = headlineScore(featureOf(s, k), s.units, s.at[k] as number, articleStart - k, vocab, p.headline);
    if (score > bestScore) {
      bestScore = score;
      best = k;
    }
  }
  if (best >= 0 && bestScore > p.headlineThreshold) {
    body[best] = 1;
    s.why[best] = CONTEXT.headline;
    s.scores[best] = Math.max(s.scores[best] as number, bestScore - p.headlineThreshold);
  }
}

/** The words of the article's opening units (the headline shares some of them). */
function openingVocabulary(s: DecisionState): WordSet {
  const vocab = HEADLINE_VOCAB;
  vocab.clear();
  for (let k = s.articleStart; k <= Math.min(s.articleEnd, s.articleStart + HEADLINE_SHAPE.openingUnits - 1); k++) {
    // Once the vocabulary is full, a unit's words are read up to its first one.
    const { start, end } = blockOf(s, k);
    unit: for (let i = start; i <= end; i++) {
      const words = wordLengths.of(s.units, i);
      const lengths = wordLengths.array;
      const at = s.units.lineStart[i] as number;
      for (let j = 0; j < words; j++) {
        const length = lengths[j] as number;
        if (length >= HEADLINE_SHAPE.overlapMinChars) vocab.add(s.units.hashes[at + j] as number, length);
        if (vocab.size >= HEADLINE_SHAPE.openingWords) break unit;
      }
    }
  }
  return vocab;
}

/** Phase 4: evidence that overrides the features (cues, calls to action, templates, mail structure). */
function applyHardEvidence(s: DecisionState, p: ClassifierParams): void {
  const { hard, body, cueCategory } = s;
  for (let k = 0; k < s.n; k++) {
    const fk = featureOf(s, k);
    if (templateCount(s, k) > 0 && s.why[k] !== CONTEXT.headline) hard[k] = 1;
    const role = blockOf(s, k).role;
    if (role !== 'text') {
      cueCategory[k] = role;
      hard[k] = 1;
    } else if (fk.cue) {
      cueCategory[k] = fk.cue.category;
      // A cue phrase inside a long paragraph is weaker evidence: there it only lowers the score.
      if (fk.words <= (fk.cue.tier === 'strong' ? p.strongCueMaxWords : p.shortCueMaxWords)) hard[k] = 1;
    } else if (fk.callToAction) {
      cueCategory[k] = 'promo';
      hard[k] = 1;
    }
    if (hard[k]) body[k] = 0;
  }
}

/**
 * Phase 5, the tail: the first hard boilerplate unit in the article (mail structure aside) after
 * which little body mass remains; from there on everything is boilerplate unless clearly body.
 */
function cutTail(s: DecisionState, p: ClassifierParams): void {
  const { n, body, scores, articleStart, articleEnd } = s;
  if (articleStart < 0 || s.mainMass <= 0) return;
  const after = s.arrays.massAfter; // body mass strictly after unit k
  after[n] = 0;
  for (let k = n - 1; k >= 0; k--) after[k] = (after[k + 1] as number) + (k + 1 < n && body[k + 1] ? Math.max(0, scores[k + 1] as number) : 0);
  for (let k = articleStart + 1; k <= Math.min(articleEnd, n - 1); k++) {
    if (!s.hard[k] || structural(s, k) || (after[k] as number) >= p.tailShare * s.mainMass) continue;
    for (let j = k + 1; j < n; j++) {
      if (body[j] && !clearlyBody(s, j, p)) {
        body[j] = 0;
        s.why[j] = CONTEXT.tail;
      }
    }
    return;
  }
}

/** Phase 6: a short run of uncertain body units with hard boilerplate (cues, templates) on both sides is boilerplate. */
function dropBetweenBoilerplate(s: DecisionState, p: ClassifierParams): void {
  const { n, body, hard } = s;
  for (let k = 0; k < n; ) {
    if (!body[k]) {
      k++;
      continue;
    }
    let e = k;
    while (e + 1 < n && body[e + 1]) e++;
    const left = k - 1;
    const right = e + 1;
    // Mail structure does not count: a short reply between a quote and a signature is the post.
    const hardAt = (j: number) => hard[j] === 1 && !structural(s, j);
    if (e - k + 1 <= p.sandwichRun && left >= 0 && right < n && hardAt(left) && hardAt(right)) {
      let uncertain = true;
      for (let j = k; j <= e; j++) if (clearlyBody(s, j, p)) uncertain = false;
      if (uncertain) {
        for (let j = k; j <= e; j++) {
          body[j] = 0;
          s.why[j] = CONTEXT.between;
        }
      }
    }
    k = e + 1;
  }
}

/**
 * Phase 7, no evidence, no boilerplate: in a document where no unit carries any evidence of
 * boilerplate (no cue, call to action, link-like text, template line or mail structure), the units
 * that context alone set apart (lists, tables, line-ups, a wire story's sign-off) are the
 * article's. Shape alone is not enough to drop text from the comparison.
 */
function keepWithoutEvidence(s: DecisionState, p: ClassifierParams): void {
  for (let k = 0; k < s.n; k++) {
    const fk = featureOf(s, k);
    if (s.hard[k] || fk.cue || fk.callToAction || fk.linkDensity >= p.evidenceLinkDensity) return;
  }
  for (let k = 0; k < s.n; k++) {
    if (s.body[k]) continue;
    s.body[k] = 1;
    s.why[k] = CONTEXT.noEvidence;
  }
}

/**
 * Phase 8, mail: in a post with a header block or quoted text, the text that is neither structure
 * nor marked by a cue, a call to action or a template is the author's own, however short (a
 * one-line reply between a quote and a signature is the whole post).
 */
function keepAuthorsText(s: DecisionState): void {
  let mail = false;
  for (let k = 0; k < s.n && !mail; k++) {
    const role = blockOf(s, k).role;
    if (role === 'header' || role === 'quote') mail = true;
  }
  if (!mail) return;
  for (let k = 0; k < s.n; k++) {
    if (s.body[k] || s.hard[k]) continue;
    s.body[k] = 1;
    s.why[k] = CONTEXT.authorsText;
  }
}

/**
 * Phase 9: categories and confidences. A unit's reasons quote the score of "boilerplate
 * neighbours" as it was when that rule applied: only the headline's score changes later, and it
 * is not one.
 */
function finish(s: DecisionState): Decisions {
  const { n, arrays, body, hard, why, scores } = s;
  const confidences = arrays.confidence.subarray(0, n);
  const context = arrays.context.subarray(0, n);
  const repeated = arrays.repeated.subarray(0, n).fill(0);
  const score = arrays.score.subarray(0, n);
  score.set(scores);
  for (let k = 0; k < n; k++) {
    const fk = featureOf(s, k);
    const sk = scores[k] as number;
    if (body[k]) {
      confidences[k] = round(clamp(sigmoid(sk)));
      context[k] = why[k] as number;
      continue;
    }
    let confidence = clamp(sigmoid(-sk));
    const count = templateCount(s, k);
    if (count > 0 || structural(s, k)) confidence = Math.max(confidence, CONFIDENCE.template);
    if (fk.cue) confidence = Math.max(confidence, fk.cue.tier === 'short' ? CONFIDENCE.shortCue : CONFIDENCE.cue);
    else if (fk.callToAction) confidence = Math.max(confidence, CONFIDENCE.callToAction);
    if (!hard[k] && sk > 0) confidence = clamp(CONFIDENCE.floor + CONFIDENCE.overruled * (1 - sigmoid(sk)));
    confidences[k] = round(confidence);
    context[k] = structural(s, k) ? STRUCTURE_CONTEXT[blockOf(s, k).role] : hard[k] ? -1 : (why[k] as number);
    repeated[k] = count;
  }
  return {
    lineCount: s.lineCount,
    units: s.units,
    at: s.at,
    features: s.features,
    body,
    category: categoriesOf(body, s.cueCategory, n),
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

/** The inputs of the headline model as a vector, in the order of HEADLINE_WEIGHT_NAMES. */
function headlineVector(fk: LineFeatures, units: UnitView, b: number, distance: number, vocab: WordSet): number[] {
  let long = 0;
  let shared = 0;
  const { start, end } = units.blocks[b]!;
  for (let i = start; i <= end; i++) {
    const words = wordLengths.of(units, i);
    const lengths = wordLengths.array;
    const at = units.lineStart[i] as number;
    for (let j = 0; j < words; j++) {
      const length = lengths[j] as number;
      if (length < HEADLINE_SHAPE.overlapMinChars) continue;
      long++;
      if (vocab.has(units.hashes[at + j] as number, length)) shared++;
    }
  }
  return [
    1,
    Math.log(distance),
    Math.log1p(fk.words),
    fk.words < HEADLINE_SHAPE.minWords ? 1 : 0,
    fk.words > HEADLINE_SHAPE.maxWords ? 1 : 0,
    fk.capShare,
    fk.terminal ? 1 : 0,
    fk.colon ? 1 : 0,
    fk.linkDensity > 0 ? 1 : 0,
    fk.digitShare,
    fk.upperShare,
    fk.stopwordDensity,
    fk.cue || fk.callToAction ? 1 : 0,
    fk.cue && fk.cue.tier !== 'short' ? 1 : 0,
    long > 0 ? shared / long : 0,
  ];
}

function headlineScore(fk: LineFeatures, units: UnitView, b: number, distance: number, vocab: WordSet, weights: HeadlineWeights): number {
  const x = headlineVector(fk, units, b, distance, vocab);
  let score = 0;
  for (let i = 0; i < HEADLINE_WEIGHT_NAMES.length; i++) score += weights[HEADLINE_WEIGHT_NAMES[i]!] * x[i]!;
  return score;
}

/** A unit the headline model may pick, for fitting it: its physical lines and its inputs. */
export interface HeadlineCandidate {
  startLine: number;
  endLine: number;
  vector: number[];
}

/** The units the headline phase would consider in a document (after phases 1 and 2), with their inputs. */
export function headlineCandidates(lines: readonly string[], options?: ClassifyOptions, p: ClassifierParams = DEFAULT_PARAMS): HeadlineCandidate[] {
  const s = scoreUnits(lines, options, p);
  findArticle(s, p);
  const out: HeadlineCandidate[] = [];
  if (s.articleStart < 0) return out;
  const vocab = openingVocabulary(s);
  for (let k = Math.max(0, s.articleStart - p.headlineWindow); k < s.articleStart; k++) {
    if (s.body[k] || templateCount(s, k) > 0 || structural(s, k)) continue;
    const block = blockOf(s, k);
    out.push({ startLine: block.start + 1, endLine: block.end + 1, vector: headlineVector(featureOf(s, k), s.units, s.at[k] as number, s.articleStart - k, vocab) });
  }
  return out;
}

const clamp = (x: number): number => Math.min(CONFIDENCE.ceiling, Math.max(CONFIDENCE.floor, x));
const round = (x: number): number => roundTo(x, 3);

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
