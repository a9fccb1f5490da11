// Shallow text features of one line, in the spirit of jusText and boilerpipe but for plain text:
// length, stopword density, sentence punctuation, capitalisation, and a stand-in for link density
// (URLs, domains, e-mail addresses, @handles and menu separators). One pass per line.

import { normaliseText } from '../normalise/normalise.js';
import { tokenise } from '../tokenise/tokenise.js';
import { isCallToAction, matchCue, STRONG_BY_WORD, type CueMatch, type StrongCue } from './cues.js';
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

const TERMINAL = /[.!?…。！？]["'”’»)\]?]*\s*$/u;

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

const LETTER_STATS_CHARS = 240;
const UPPER = /\p{Lu}/u;
const LETTER = /\p{L}/u;

function letterStats(line: string): { upperShare: number; capShare: number; digitShare: number } {
  let letters = 0;
  let upper = 0;
  let digits = 0;
  let wordStarts = 0;
  let capStarts = 0;
  let atStart = true;
  // The head of a long line is enough for shares, and bounds the cost.
  const length = Math.min(line.length, LETTER_STATS_CHARS);
  for (let i = 0; i < length; i++) {
    const c = line.charCodeAt(i);
    let isLetter = false;
    let isUpper = false;
    if (c < 128) {
      if (c >= 97 && c <= 122) isLetter = true;
      else if (c >= 65 && c <= 90) isLetter = isUpper = true;
      else if (c >= 48 && c <= 57) {
        digits++;
        atStart = false;
        continue;
      } else {
        if (c === 32 || c === 9) atStart = true;
        continue;
      }
    } else if (c >= 0xd800 && c <= 0xdfff) {
      continue; // astral characters (emoji and the like) are neither letters nor spaces here
    } else {
      const ch = line[i] as string;
      isLetter = LETTER.test(ch);
      if (!isLetter) {
        if (c === 0xa0 || c === 0x3000) atStart = true;
        continue;
      }
      isUpper = UPPER.test(ch);
    }
    if (isLetter) {
      letters++;
      if (isUpper) upper++;
      if (atStart) {
        wordStarts++;
        if (isUpper) capStarts++;
      }
      atStart = false;
    }
  }
  return {
    upperShare: letters > 0 ? upper / letters : 0,
    capShare: wordStarts > 0 ? capStarts / wordStarts : 0,
    digitShare: letters + digits > 0 ? digits / (letters + digits) : 0,
  };
}

// One lookup per token: stopword languages and the strong cues the token triggers.
interface WordInfo {
  stop: number;
  cues: readonly StrongCue[] | null;
}
const WORDS = new Map<string, WordInfo>();
for (const [w, bits] of STOPWORD_BITS) WORDS.set(w, { stop: bits, cues: null });
for (const [w, cues] of STRONG_BY_WORD) WORDS.set(w, { stop: WORDS.get(w)?.stop ?? 0, cues });

// A cheap filter before the lookup: a bitmap over (first, second and last character, length),
// so most tokens that are no stopword and no trigger skip the hash lookup.
const FILTER_BITS = 1 << 18;
const FILTER = new Uint8Array(FILTER_BITS >> 3);
const filterSlot = (w: string): number =>
  (Math.imul(Math.imul(Math.imul(w.charCodeAt(0), 31) + w.charCodeAt(1) | 0, 31) + w.charCodeAt(w.length - 1) | 0, 31) + w.length) &
  (FILTER_BITS - 1);
for (const w of WORDS.keys()) {
  const slot = filterSlot(w);
  FILTER[slot >> 3] = (FILTER[slot >> 3] as number) | (1 << (slot & 7));
}

const LANGUAGES = STOPWORD_LANGUAGES.length;
/** Tokens that vote for the document's language (enough to tell, cheap on long documents). */
const LANGUAGE_VOTES = 2000;
/** Tokens of a line looked up: the first SCAN_HEAD and the last SCAN_TAIL. */
const SCAN_HEAD = 48;
const SCAN_TAIL = 16;

/**
 * Features of every line; the language is detected once for the whole document. `normalised`,
 * when given, must be normaliseText of each line (it saves normalising twice).
 */
export function extractFeatures(
  lines: readonly string[],
  normalised?: readonly string[],
  tokenised?: readonly (readonly string[])[],
): {
  features: LineFeatures[];
  tokens: (readonly string[])[];
  language: StopwordLanguage;
} {
  const n = lines.length;
  const norms: string[] = new Array(n);
  const tokens: (readonly string[])[] = new Array(n);
  const stopCounts = new Uint16Array(n * LANGUAGES);
  const triggered: (readonly StrongCue[])[][] = new Array(n);
  const scanned = new Uint16Array(n);
  const languageVotes = new Array<number>(LANGUAGES).fill(0);
  let voted = 0;
  for (let i = 0; i < n; i++) {
    const norm = normalised?.[i] ?? normaliseText(lines[i] as string);
    const toks = (normalised && tokenised?.[i]) ?? tokenise(norm);
    norms[i] = norm;
    tokens[i] = toks;
    const cues: (readonly StrongCue[])[] = [];
    // Long paragraphs are sampled: their head and tail are enough to estimate the stopword
    // density and to hold a cue, and it keeps the cost per line bounded.
    const count = toks.length;
    const scan = count <= SCAN_HEAD + SCAN_TAIL ? count : SCAN_HEAD + SCAN_TAIL;
    scanned[i] = scan;
    for (let j = 0; j < scan; j++) {
      const t = toks[j < SCAN_HEAD ? j : count - (scan - j)] as string;
      const slot = filterSlot(t);
      if (((FILTER[slot >> 3] as number) & (1 << (slot & 7))) === 0) continue;
      const info = WORDS.get(t);
      if (info === undefined) continue;
      let bits = info.stop;
      if (bits !== 0 && voted < LANGUAGE_VOTES && votes(t)) {
        voted++;
        for (let b = bits; b !== 0; b &= b - 1) {
          const l = 31 - Math.clz32(b & -b);
          languageVotes[l] = (languageVotes[l] as number) + 1;
        }
      }
      for (; bits !== 0; bits &= bits - 1) {
        const at = i * LANGUAGES + 31 - Math.clz32(bits & -bits);
        stopCounts[at] = (stopCounts[at] as number) + 1;
      }
      if (info.cues) cues.push(info.cues);
    }
    triggered[i] = cues;
  }
  const language = pickLanguage(languageVotes);
  const lang = STOPWORD_LANGUAGES.indexOf(language);

  const features: LineFeatures[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const norm = norms[i] as string;
    const toks = tokens[i] as readonly string[];
    if (norm.length === 0) {
      features[i] = BLANK;
      continue;
    }
    if (toks.length === 0) {
      // Only punctuation or symbols (a separator line, "|", "»", "©"): not blank, not text.
      features[i] = makeFeatures(false, norm, 0, 0, false, false, 0, 0, 0, 1, matchCue(norm, 0, []), false);
      continue;
    }
    const words = toks.length;
    const original = (lines[i] as string).trim();
    const stats = letterStats(original);
    const links = norm.match(LINKISH)?.length ?? 0;
    features[i] = makeFeatures(
      false,
      norm,
      words,
      (stopCounts[i * LANGUAGES + lang] as number) / Math.max(1, scanned[i] as number),
      TERMINAL.test(original),
      original.endsWith(':'),
      stats.upperShare,
      stats.capShare,
      stats.digitShare,
      Math.min(1, links / words),
      matchCue(norm, words, triggered[i] as (readonly StrongCue[])[]),
      isCallToAction(norm),
    );
  }
  return { features, tokens, language };
}
