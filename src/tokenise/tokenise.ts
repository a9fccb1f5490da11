import { RegexpTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';

// A word is a run of letters, combining marks and digits in any script; everything else
// (punctuation, symbols, apostrophes) separates words. `gaps: false` makes natural return the
// matches themselves, which is one native regex pass per line.
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const tokenizer = new RegexpTokenizer({ pattern: WORD, gaps: false });

/** Words of already-normalised text, in order. */
export function tokenise(normalised: string): string[] {
  if (normalised.length === 0) return [];
  return tokenizer.tokenize(normalised) ?? [];
}
