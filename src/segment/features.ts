// Shallow text features of one line, in the spirit of jusText and boilerpipe but for plain text:
// length, stopword density, sentence punctuation, capitalisation, and a stand-in for link density
// (URLs, domains, e-mail addresses, @handles and menu separators). One pass per line.

import { endsLikeSentence, isSpace } from '../normalise/characters.js';
import { normaliseText } from '../normalise/normalise.js';
import { hashString } from '../tokenise/hash.js';
import { tokenise } from '../tokenise/tokenise.js';
import { isCallToAction, matchCueOf, STRONG_BY_WORD, STRONG_CUES, type CueMatch, type StrongCue } from './cues.js';
import type { Block } from '../layout/index.js';
import type { TokenHashes, UnitView } from './units.js';
import { pickLanguage, STOPWORD_BITS, STOPWORD_LANGUAGES, votes, type StopwordLanguage } from './stopwords.js';

export interface LineFeatures {
  blank: boolean;
  /** normaliseText of the line. */
  norm: string;
  /** Number of words (tokenise of `norm`). */
  words: number;
  /** Length of `norm` in characters. */
  chars: number;
  /** Stopwords / words, with the document language's list. */
  stopwordDensity: number;
  /** Ends like a sentence: . ! ? or … possibly followed by closing quotes or brackets. */
  terminal: boolean;
  /** Ends with a colon (a label or a lead-in). */
  colon: boolean;
  /** Upper-case letters / letters. */
  upperShare: number;
  /** Words that start with a capital / words that start with a letter. */
  capShare: number;
  /** Digits / (letters + digits). */
  digitShare: number;
  /** URLs, domains, e-mail addresses, @handles and separators (| » › • ·) per word. */
  linkDensity: number;
  /** First cue phrase found, if any. */
  cue: CueMatch | null;
  /** Reads like a call to action (imperative opening, or "you" with "!"). */
  callToAction: boolean;
}

// URLs (counted once), e-mail addresses and @handles (the "@"), bare domains (".com") and menu
// separators. Literal-led alternatives keep the scan cheap.
const LINKISH =
  /(?:https?:\/\/|www\.)[^\s]*|@|\.(?:com|org|net|edu|gov|info|biz|uk|fr|ru|ua|nl|pl|br|mx|ca|au|nz|cn|jp|tv|io|eu|ie|za)(?![\p{L}\p{N}])|[|»›•·«‹]/gu;
// Every LINKISH match contains one of these: a separator, "@", a dot before a letter (domains),
// "ww." (www.) or "://" (URLs); LINKISH only runs on the lines that hold one. One native scan,
// and most lines hold none. (Plain literals such as "http" make the scan twice as slow.)
const LINK_HINT = /[@|»›•·«‹]|\.[a-z]|ww\.|:\/\//;

function countLinks(norm: string): number {
  return LINK_HINT.test(norm) ? (norm.match(LINKISH)?.length ?? 0) : 0;
}

// Every LineFeatures object is built by this one literal, so they all share one shape (keeps
// property access monomorphic in the classifier's loops).
function makeFeatures(
  blank: boolean, norm: string, words: number, stopwordDensity: number, terminal: boolean, colon: boolean,
  upperShare: number, capShare: number, digitShare: number, linkDensity: number, cue: CueMatch | null,
  callToAction: boolean,
): LineFeatures {
  return {
    blank, norm, words, chars: norm.length, stopwordDensity, terminal, colon, upperShare, capShare, digitShare,
    linkDensity, cue, callToAction,
  };
}

const BLANK: LineFeatures = makeFeatures(true, '', 0, 0, false, false, 0, 0, 0, 0, null, false);

const LETTER_STATS_CHARS = 160;
const UPPER = /\p{Lu}/u;
const LETTER = /\p{L}/u;

// Character classes for letterStats, as bits: a letter, an upper-case letter (also a letter), a
// digit, a space (a word starts after it), or anything else (leaves "at a word start" as it was).
// Surrogates (astral characters, emoji) count as anything else. Filled in on first sight.
const C_LETTER = 1;
const C_UPPER = 2;
const C_DIGIT = 4;
const C_SPACE = 8;
const C_OTHER = 16;
const CHAR_CLASS = new Uint8Array(0x10000);

function charClass(c: number): number {
  let k: number;
  if (c < 128) {
    if (c >= 97 && c <= 122) k = C_LETTER;
    else if (c >= 65 && c <= 90) k = C_LETTER | C_UPPER;
    else if (c >= 48 && c <= 57) k = C_DIGIT;
    else if (c === 32 || c === 9) k = C_SPACE;
    else k = C_OTHER;
  } else if (c >= 0xd800 && c <= 0xdfff) {
    k = C_OTHER;
  } else {
    const ch = String.fromCharCode(c);
    if (LETTER.test(ch)) k = UPPER.test(ch) ? C_LETTER | C_UPPER : C_LETTER;
    else k = c === 0xa0 || c === 0x3000 ? C_SPACE : C_OTHER;
  }
  CHAR_CLASS[c] = k;
  return k;
}
for (let c = 0; c < 256; c++) charClass(c);

// unitText writes its results here (no object per unit).
let upperShareOut = 0;
let capShareOut = 0;
let digitShareOut = 0;
let terminalOut = false;
let colonOut = false;

/**
 * The text measures of a unit whose text is its physical lines `first` to `last`, each trimmed,
 * joined by single spaces, the whole trimmed (as unitsOf's texts are), read in place: the shares
 * of upper-case letters, capitalised words and digits in its head, whether it ends like a
 * sentence, and whether it ends with a colon.
 */
function unitText(lines: readonly string[], first: number, last: number): void {
  let letters = 0;
  let upper = 0;
  let digits = 0;
  let wordStarts = 0;
  let capStarts = 0;
  let atStart = 1;
  // The head of a long text is enough for shares, and bounds the cost.
  let budget = LETTER_STATS_CHARS;
  // Joining spaces after the first non-empty line, not yet read (trailing ones are trimmed).
  let pending = 0;
  let seen = false;
  let lastLine = '';
  let lastStart = 0;
  let lastEnd = 0;
  for (let i = first; i <= last; i++) {
    const line = lines[i] as string;
    let start = 0;
    let end = line.length;
    while (start < end && isSpace(line.charCodeAt(start))) start++;
    while (end > start && isSpace(line.charCodeAt(end - 1))) end--;
    if (seen) pending++;
    if (start === end) continue;
    seen = true;
    lastLine = line;
    lastStart = start;
    lastEnd = end;
    if (budget <= 0) continue;
    if (pending > 0) {
      // A space only marks the next letter as a word start.
      budget -= pending;
      atStart = 1;
      pending = 0;
    }
    // Counting is branch-free: mixed text makes branches on the character class unpredictable.
    const stop = Math.min(end, start + budget);
    for (let j = start; j < stop; j++) {
      const c = line.charCodeAt(j);
      let k = CHAR_CLASS[c] as number;
      if (k === 0) k = charClass(c);
      letters += k & C_LETTER;
      upper += (k >> 1) & 1;
      digits += (k >> 2) & 1;
      wordStarts += atStart & k & C_LETTER;
      capStarts += atStart & (k >> 1) & 1;
      atStart = (atStart & (k >> 4)) | ((k >> 3) & 1);
    }
    budget -= end - start;
  }
  upperShareOut = letters > 0 ? upper / letters : 0;
  capShareOut = wordStarts > 0 ? capStarts / wordStarts : 0;
  digitShareOut = letters + digits > 0 ? digits / (letters + digits) : 0;
  // Across a joining space nothing ends a sentence: the last line decides.
  terminalOut = seen && endsLikeSentence(lastLine, lastStart, lastEnd);
  colonOut = seen && lastLine.charCodeAt(lastEnd - 1) === 58;
}

// One lookup per token, for its stopword languages and the strong cues it triggers: an
// open-addressing table keyed by the token's 32-bit hash (hashString, which prepareDocument has
// already computed for every word: the shingles' units), so a lookup is one integer probe. Most
// tokens are no stopword and no trigger, and land on an empty slot. The word itself is not
// compared: another word with the same hash (about one in 1.6 million words, given ~2,700 table
// words) would only count as a stopword, and a strong cue is confirmed on the text anyway.
const TABLE_BITS = 15;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const TABLE_HASH = new Uint32Array(TABLE_MASK + 1);
// Which slots are taken, one bit each: 4 KB that stay in the L1 cache, so a token that is no
// stopword (most of them) is ruled out without touching the larger arrays.
const TABLE_USED_BITS = new Int32Array((TABLE_MASK + 1) >> 5);
const slotUsed = (slot: number): boolean => ((TABLE_USED_BITS[slot >> 5] as number) & (1 << (slot & 31))) !== 0;
// The stopword languages of a slot's word, as one count per language packed into four integers
// of four 8-bit fields (language l in field l & 3 of TABLE_PACKED[slot * 4 + (l >> 2)]): a line's
// counts for every language are four additions per token. Zero for triggers that are no stopword.
const TABLE_PACKED = new Int32Array((TABLE_MASK + 1) * 4);
// Four integers of four 8-bit fields hold 16 languages: a 17th would silently add into another's count.
if (STOPWORD_LANGUAGES.length > 16) throw new Error(`stopword table: ${STOPWORD_LANGUAGES.length} languages, at most 16 fit the packed counts`);
/** Whether the slot's word is a stopword that takes part in the language vote. */
const TABLE_VOTES = new Uint8Array(TABLE_MASK + 1);
const TABLE_CUES: (readonly StrongCue[] | null)[] = new Array<readonly StrongCue[] | null>(TABLE_MASK + 1).fill(null);
{
  const words = new Map<string, { stop: number; cues: readonly StrongCue[] | null }>();
  for (const [w, bits] of STOPWORD_BITS) words.set(w, { stop: bits, cues: null });
  for (const [w, cues] of STRONG_BY_WORD) words.set(w, { stop: words.get(w)?.stop ?? 0, cues });
  for (const [w, info] of words) {
    if (w.length === 0) continue;
    const h = hashString(w);
    let slot = h & TABLE_MASK;
    for (; slotUsed(slot); slot = (slot + 1) & TABLE_MASK) {
      // The lists are fixed, so this either never happens or fails every run (and every test).
      if (TABLE_HASH[slot] === h) throw new Error(`stopword table: "${w}" has the hash of another word`);
    }
    TABLE_USED_BITS[slot >> 5] = (TABLE_USED_BITS[slot >> 5] as number) | (1 << (slot & 31));
    TABLE_HASH[slot] = h;
    for (let l = 0; l < STOPWORD_LANGUAGES.length; l++) {
      if (info.stop & (1 << l)) TABLE_PACKED[slot * 4 + (l >> 2)] = (TABLE_PACKED[slot * 4 + (l >> 2)] as number) | (1 << (8 * (l & 3)));
    }
    TABLE_VOTES[slot] = info.stop !== 0 && votes(w) ? 1 : 0;
    TABLE_CUES[slot] = info.cues;
  }
}

/** The table slot of a token's hashString, or -1 when it is no stopword and no trigger. */
function lookup(hash: number): number {
  for (let slot = hash & TABLE_MASK; slotUsed(slot); slot = (slot + 1) & TABLE_MASK) {
    if (TABLE_HASH[slot] === hash) return slot;
  }
  return -1;
}

/** Count of language l in four packed integers (see TABLE_PACKED). */
const unpack = (packed: Int32Array, at: number, l: number): number => ((packed[at + (l >> 2)] as number) >>> (8 * (l & 3))) & 255;

const LANGUAGES = STOPWORD_LANGUAGES.length;
/** Tokens that vote for the document's language (enough to tell, cheap on long documents). */
const LANGUAGE_VOTES = 2000;
/** Tokens of a line looked up: the first SCAN_HEAD and the last SCAN_TAIL. */
const SCAN_HEAD = 48;
const SCAN_TAIL = 16;

// Strong cues already collected for the current line (by id): a cue triggered by several of
// its tokens is tried once.
const cueStamp = new Float64Array(STRONG_CUES.length);
let stamp = 0;

// Per-line counts, reused from one document to the next (every entry a document reads, it has
// written first): allocating them per document cost more than filling them.
const lineBuffers = (lines: number) => ({
  stopCounts: new Int32Array(lines * 4),
  cueStart: new Int32Array(lines),
  scanned: new Uint16Array(lines),
});
let perLine = lineBuffers(1024);
const LANGUAGE_VOTE_COUNTS = new Int32Array(STOPWORD_LANGUAGES.length);


/**
 * Features of every line; the language is detected once for the whole document. `normalised`,
 * when given, must be normaliseText of each line (it saves normalising twice).
 */
export function extractFeatures(
  lines: readonly string[],
  normalised?: readonly string[],
  tokenised?: readonly (readonly string[])[],
  tokenHashes?: TokenHashes,
): {
  features: LineFeatures[];
  tokens: (readonly string[])[];
  language: StopwordLanguage;
} {
  // Each line is a unit of its own.
  const n = lines.length;
  const norms: string[] = new Array(n);
  const tokens: (readonly string[])[] = new Array(n);
  const hashes: number[] = [];
  const lineStart = new Uint32Array(n + 1);
  const blocks: Block[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const norm = normalised?.[i] ?? normaliseText(lines[i] as string);
    const given = normalised && tokenised?.[i];
    const toks = given ?? tokenise(norm);
    norms[i] = norm;
    tokens[i] = toks;
    blocks[i] = { start: i, end: i, role: 'text' };
    lineStart[i] = hashes.length;
    for (let j = 0; j < toks.length; j++) {
      hashes.push(given && tokenHashes ? (tokenHashes.hashes[(tokenHashes.lineStart[i] as number) + j] as number) : hashString(toks[j] as string));
    }
  }
  lineStart[n] = hashes.length;
  const view: UnitView = {
    layout: { kind: 'lines', width: 0, blocks },
    blocks,
    lines,
    normalised: norms,
    lineNormalised: norms,
    lineTokens: tokens,
    tokenised: undefined,
    hashes: Uint32Array.from(hashes),
    lineStart,
  };
  return { ...unitFeatures(view), tokens };
}

/** Features of every unit of a view; the language is detected once for the whole document. */
export function unitFeatures(view: UnitView): { features: LineFeatures[]; language: StopwordLanguage } {
  const { blocks, hashes, lineStart } = view;
  const n = blocks.length;
  if (perLine.scanned.length < n + 1) perLine = lineBuffers(2 * n + 1);
  // Stopwords per unit and language, packed as in TABLE_PACKED (a unit scans at most 64 tokens,
  // so a field never overflows).
  const { stopCounts, cueStart, scanned } = perLine;
  // Strong cues triggered by unit i's tokens: triggered[cueStart[i] .. cueStart[i + 1]).
  const triggered: StrongCue[] = [];
  const languageVotes = LANGUAGE_VOTE_COUNTS.fill(0);
  let voted = 0;
  for (let i = 0; i < n; i++) {
    const block = blocks[i] as Block;
    const hashStart = lineStart[block.start] as number;
    cueStart[i] = triggered.length;
    stamp++;
    // Long paragraphs are sampled: their head and tail are enough to estimate the stopword
    // density and to hold a cue, and it keeps the cost per unit bounded.
    const count = (lineStart[block.end + 1] as number) - hashStart;
    const scan = count <= SCAN_HEAD + SCAN_TAIL ? count : SCAN_HEAD + SCAN_TAIL;
    scanned[i] = scan;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let v0 = 0;
    let v1 = 0;
    let v2 = 0;
    let v3 = 0;
    for (let j = 0; j < scan; j++) {
      const index = j < SCAN_HEAD ? j : count - (scan - j);
      const slot = lookup(hashes[hashStart + index] as number);
      if (slot < 0) continue;
      const at = slot * 4;
      const p0 = TABLE_PACKED[at] as number;
      const p1 = TABLE_PACKED[at + 1] as number;
      const p2 = TABLE_PACKED[at + 2] as number;
      const p3 = TABLE_PACKED[at + 3] as number;
      s0 += p0;
      s1 += p1;
      s2 += p2;
      s3 += p3;
      if (TABLE_VOTES[slot] === 1 && voted < LANGUAGE_VOTES) {
        voted++;
        v0 += p0;
        v1 += p1;
        v2 += p2;
        v3 += p3;
      }
      const cues = TABLE_CUES[slot] as readonly StrongCue[] | null;
      if (cues !== null) {
        for (let c = 0; c < cues.length; c++) {
          const cue = cues[c] as StrongCue;
          if (cueStamp[cue.id] === stamp) continue;
          cueStamp[cue.id] = stamp;
          triggered.push(cue);
        }
      }
    }
    stopCounts[i * 4] = s0;
    stopCounts[i * 4 + 1] = s1;
    stopCounts[i * 4 + 2] = s2;
    stopCounts[i * 4 + 3] = s3;
    if ((v0 | v1 | v2 | v3) !== 0) {
      for (let l = 0; l < LANGUAGES; l++) {
        const v = l < 4 ? v0 : l < 8 ? v1 : l < 12 ? v2 : v3;
        languageVotes[l] = (languageVotes[l] as number) + ((v >>> (8 * (l & 3))) & 255);
      }
    }
  }
  cueStart[n] = triggered.length;
  const language = pickLanguage(languageVotes);
  const lang = STOPWORD_LANGUAGES.indexOf(language);

  const features: LineFeatures[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const norm = view.normalised[i] as string;
    const block = blocks[i] as Block;
    const words = (lineStart[block.end + 1] as number) - (lineStart[block.start] as number);
    if (norm.length === 0) {
      features[i] = BLANK;
      continue;
    }
    if (words === 0) {
      // Only punctuation or symbols (a separator line, "|", "»", "©"): not blank, not text.
      features[i] = makeFeatures(false, norm, 0, 0, false, false, 0, 0, 0, 1, matchCueOf(norm, 0, triggered, 0, 0), false);
      continue;
    }
    unitText(view.lines, block.start, block.end);
    features[i] = makeFeatures(
      false,
      norm,
      words,
      unpack(stopCounts, i * 4, lang) / Math.max(1, scanned[i] as number),
      terminalOut,
      colonOut,
      upperShareOut,
      capShareOut,
      digitShareOut,
      Math.min(1, countLinks(norm) / words),
      matchCueOf(norm, words, triggered, cueStart[i] as number, cueStart[i + 1] as number),
      isCallToAction(norm),
    );
  }
  return { features, language };
}
