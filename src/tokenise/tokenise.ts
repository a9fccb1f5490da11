import { RegexpTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';

// A word is a run of letters, combining marks and digits in any script; everything else
// (punctuation, symbols, apostrophes) separates words. `gaps: false` makes natural return the
// matches themselves, which is one native regex pass per line.
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const tokenizer = new RegexpTokenizer({ pattern: WORD, gaps: false });

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
  if (normalised.length === 0) return [];
  const tokens = tokenizer.tokenize(normalised) ?? [];
  if (!NO_SPACES.test(normalised)) return tokens;
  const out: string[] = [];
  for (const token of tokens) {
    if (!NO_SPACES.test(token)) {
      out.push(token);
      continue;
    }
    segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' });
    for (const part of segmenter.segment(token)) if (part.isWordLike) out.push(part.segment);
  }
  return out;
}
