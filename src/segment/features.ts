// Shallow text features of one line, in the spirit of jusText and boilerpipe but for plain text:
// length, stopword density, sentence punctuation, capitalisation, and a stand-in for link density
// (URLs, domains, e-mail addresses, @handles and menu separators). One pass per line.

import { normaliseText } from '../normalise/normalise.js';
import { tokenise } from '../tokenise/tokenise.js';
import { isCallToAction, matchCue, type CueMatch } from './cues.js';
import { detectLanguage, stopwordSet, type StopwordLanguage } from './stopwords.js';

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

const LINKISH =
  /(?:https?:\/\/|www\.)[^\s]+|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+\.[\p{L}.]+|(?<![\p{L}\p{N}@])@[\p{L}\p{N}_]{2,}|(?<![\p{L}\p{N}.@])[\p{L}\p{N}-]{2,}\.(?:com|org|net|edu|gov|info|biz|co|uk|de|fr|es|it|ru|ua|nl|pl|br|mx|ar|ca|au|nz|in|cn|jp|tv|io|us|eu|ie|za)(?![\p{L}\p{N}])|[|»›•·«‹]/gu;

const TERMINAL = /[.!?…。！？]["'”’»)\]?]*\s*$/u;

const EMPTY_FEATURES: Omit<LineFeatures, 'norm'> = {
  blank: true, words: 0, chars: 0, stopwordDensity: 0, terminal: false, colon: false,
  upperShare: 0, capShare: 0, digitShare: 0, linkDensity: 0, cue: null, callToAction: false,
};

function letterStats(line: string): { upperShare: number; capShare: number; digitShare: number } {
  let letters = 0;
  let upper = 0;
  let digits = 0;
  let wordStarts = 0;
  let capStarts = 0;
  let atStart = true;
  for (const ch of line) {
    const lower = ch.toLowerCase();
    const up = ch.toUpperCase();
    const isLetter = lower !== up;
    if (isLetter) {
      letters++;
      const isUpper = ch === up;
      if (isUpper) upper++;
      if (atStart) {
        wordStarts++;
        if (isUpper) capStarts++;
      }
      atStart = false;
    } else if (ch >= '0' && ch <= '9') {
      digits++;
      atStart = false;
    } else if (ch === ' ' || ch === '\t') {
      atStart = true;
    }
  }
  return {
    upperShare: letters > 0 ? upper / letters : 0,
    capShare: wordStarts > 0 ? capStarts / wordStarts : 0,
    digitShare: letters + digits > 0 ? digits / (letters + digits) : 0,
  };
}

/** Features of every line; the language is detected once for the whole document. */
export function extractFeatures(lines: readonly string[]): {
  features: LineFeatures[];
  tokens: string[][];
  language: StopwordLanguage;
} {
  const norms = lines.map((l) => normaliseText(l));
  const tokens = norms.map((n) => tokenise(n));
  const language = detectLanguage(tokens);
  const stop = stopwordSet(language);
  const features: LineFeatures[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const norm = norms[i] as string;
    const toks = tokens[i] as string[];
    if (norm.length === 0 || toks.length === 0 && norm.replace(/[\s\p{P}\p{S}]/gu, '').length === 0) {
      features[i] = { ...EMPTY_FEATURES, blank: norm.length === 0, norm, chars: norm.length };
      if (norm.length > 0) {
        // Only punctuation or symbols (a separator line, "|", "»"): not blank, not text.
        features[i] = {
          ...EMPTY_FEATURES, blank: false, norm, chars: norm.length, linkDensity: 1, cue: matchCue(norm, 0),
        };
      }
      continue;
    }
    let sw = 0;
    for (const t of toks) if (stop.has(t)) sw++;
    const words = toks.length;
    const original = (lines[i] as string).trim();
    const stats = letterStats(original);
    LINKISH.lastIndex = 0;
    const links = norm.match(LINKISH)?.length ?? 0;
    features[i] = {
      blank: false,
      norm,
      words,
      chars: norm.length,
      stopwordDensity: sw / words,
      terminal: TERMINAL.test(original),
      colon: original.endsWith(':'),
      upperShare: stats.upperShare,
      capShare: stats.capShare,
      digitShare: stats.digitShare,
      linkDensity: Math.min(1, links / words),
      cue: matchCue(norm, words),
      callToAction: isCallToAction(norm),
    };
  }
  return { features, tokens, language };
}
