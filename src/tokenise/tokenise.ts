import { FNV_OFFSET, FNV_PRIME, fmix32, hashString } from './hash.js';

// A word is a run of letters, combining marks and digits in any script; everything else
// (punctuation, symbols, apostrophes) separates words.
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
/** 1 for the ASCII characters WORD matches (0-9, A-Z, a-z). */
const WORD_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) WORD_CHAR[c] = /[\p{L}\p{M}\p{N}]/u.test(String.fromCharCode(c)) ? 1 : 0;

// Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, Japanese kana and Han.
// A run of them is a clause, not a word; ICU's dictionary-based word breaking (Intl.Segmenter)
// splits it into words. Korean (Hangul) puts spaces between words and is not listed.
export const NO_SPACES = /[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3040-\u30FF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/;
// Made on first use: building it costs about 13 ms, which a corpus in spaced scripts never needs.
let segmenter: Intl.Segmenter | undefined;

/**
 * Words of already-normalised text, in order. Runs of letters in scripts written without spaces
 * are split into dictionary words, so word shingles mean words in every language; other text is
 * split as before (the same words whatever the script around them).
 */
export function tokenise(normalised: string): string[] {
  return tokeniseHashing(normalised, undefined, 0);
}

/**
 * tokenise, also writing hashString of each word to hashes[at ..] when `hashes` is given (it
 * needs room for normalised.length of them: a word is at least one character).
 */
export function tokeniseHashing(normalised: string, hashes: Uint32Array | undefined, at: number): string[] {
  if (normalised.length === 0) return [];
  const ascii = asciiWords(normalised, hashes, at);
  if (ascii !== undefined) return ascii;
  const tokens = normalised.match(WORD) ?? [];
  const words = NO_SPACES.test(normalised) ? dictionaryWords(tokens) : tokens;
  if (hashes !== undefined) for (let i = 0; i < words.length; i++) hashes[at + i] = hashString(words[i] as string);
  return words;
}

function dictionaryWords(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    if (!NO_SPACES.test(token)) {
      out.push(token);
      continue;
    }
    segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' });
    if (token.length <= SEGMENT_WINDOW) {
      for (const part of segmenter.segment(token)) if (part.isWordLike) out.push(part.segment);
    } else segmentLongRun(segmenter, token, out);
  }
  return out;
}

/**
 * The longest run of letters ICU segments in one call. Its dictionary word breaking is far from
 * linear in the run: 50,000 Han characters with no punctuation took 0.3 s, 100,000 took 12 s and
 * 200,000 took 40 s, so one line of Chinese with its punctuation stripped stalled a run for
 * minutes. Runs of at most 1,000 characters cost about what runs of 100 do.
 */
export const SEGMENT_WINDOW = 1000;

/**
 * The words of a run longer than SEGMENT_WINDOW, a window at a time. Each window's last segment
 * may be a word the window cut, so it is not taken: the next window starts where it starts. A
 * window that is one segment (no break ICU knows) is taken whole, never cutting a surrogate pair.
 */
function segmentLongRun(segmenter: Intl.Segmenter, run: string, out: string[]): void {
  for (let start = 0; start < run.length; ) {
    let end = Math.min(run.length, start + SEGMENT_WINDOW);
    const code = run.charCodeAt(end - 1);
    if (end < run.length && code >= 0xd800 && code <= 0xdbff) end--;
    const parts = [...segmenter.segment(run.slice(start, end))];
    let take = parts.length;
    let next = end;
    if (end < run.length && parts.length > 1) {
      take--;
      next = start + (parts[take] as Intl.SegmentData).index;
    }
    for (let i = 0; i < take; i++) {
      const part = parts[i] as Intl.SegmentData;
      if (part.isWordLike) out.push(part.segment);
    }
    start = next;
  }
}

/**
 * The words of an ASCII string, as WORD finds them (in ASCII its letters and digits are A-Z, a-z
 * and 0-9), without the Unicode regex; undefined when the string is not all ASCII. One pass
 * counts the words, so the array is made at its size; the second hashes each word as it reads it
 * (when asked to).
 */
function asciiWords(s: string, hashes: Uint32Array | undefined, at: number): string[] | undefined {
  const n = s.length;
  let count = 0;
  let inWord = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return undefined;
    const word = WORD_CHAR[c] as number;
    count += word & ~inWord;
    inWord = word;
  }
  // (Past 2^16 elements, a preallocated array may be a slow dictionary; such a line is rare.)
  const out: string[] = count <= 0x10000 ? new Array<string>(count) : [];
  const hashing = hashes !== undefined;
  let w = 0;
  for (let i = 0; i < n; ) {
    let c = s.charCodeAt(i);
    if (WORD_CHAR[c] === 0) {
      i++;
      continue;
    }
    const start = i;
    let h = FNV_OFFSET | 0;
    for (; i < n && WORD_CHAR[(c = s.charCodeAt(i))] === 1; i++) if (hashing) h = Math.imul(h ^ c, FNV_PRIME);
    out[w++] = start === 0 && i === n ? s : s.slice(start, i);
    if (hashing) (hashes as Uint32Array)[at++] = fmix32(h);
  }
  return out;
}

/**
 * The number of words tokenise finds in already-normalised text, writing hashString of each to
 * hashes[at ..] (room for normalised.length of them, as tokeniseHashing needs): what
 * tokeniseHashing gives, without a string per word when the text is ASCII.
 */
export function hashWords(normalised: string, hashes: Uint32Array, at: number): number {
  const n = normalised.length;
  let w = at;
  for (let i = 0; i < n; ) {
    let c = normalised.charCodeAt(i);
    if (c >= 128) return tokeniseHashing(normalised, hashes, at).length;
    if (WORD_CHAR[c] === 0) {
      i++;
      continue;
    }
    let h = FNV_OFFSET | 0;
    for (; i < n && (c = normalised.charCodeAt(i)) < 128 && WORD_CHAR[c] === 1; i++) h = Math.imul(h ^ c, FNV_PRIME);
    hashes[w++] = fmix32(h);
  }
  return w - at;
}

/**
 * The lengths (UTF-16 code units) of the words tokenise finds in already-normalised text, in
 * order, written to lengths[0 ..] (room for normalised.length of them); their number, or -1 when
 * the text is not all ASCII (tokenise it instead). No string per word.
 */
export function asciiWordLengths(normalised: string, lengths: Uint32Array): number {
  const n = normalised.length;
  let w = 0;
  for (let i = 0; i < n; ) {
    let c = normalised.charCodeAt(i);
    if (c >= 128) return -1;
    if (WORD_CHAR[c] === 0) {
      i++;
      continue;
    }
    const start = i;
    // A non-ASCII character ends the word here and the line on the next turn, as in hashWords.
    for (; i < n && (c = normalised.charCodeAt(i)) < 128 && WORD_CHAR[c] === 1; i++);
    lengths[w++] = i - start;
  }
  return w;
}

/**
 * A buffer of word hashes reused from one document to the next: hashWords and tokeniseHashing
 * write a document's words into it line after line, and it grows (keeping what is written) when
 * a document needs more room.
 */
export class HashScratch {
  array = new Uint32Array(4096);

  /** The buffer, with room for `more` hashes after the first `used`. */
  reserve(used: number, more: number): Uint32Array {
    if (used + more > this.array.length) {
      const grown = new Uint32Array(Math.max(2 * this.array.length, used + more));
      grown.set(this.array.subarray(0, used));
      this.array = grown;
    }
    return this.array;
  }
}
