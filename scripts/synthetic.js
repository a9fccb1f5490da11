import { mulberry32 as rng } from '../dist/types/numbers.js';

// Deterministic synthetic articles for tests and the scale benchmark: made-up words from a fixed
// syllable table (no text from any corpus), paragraphs of sentences, and near-copies with a few
// words changed. Same arguments, same text.

const SYLLABLES = [
  'ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vel', 'dor', 'ni', 'pa', 'qui', 'ber', 'tos', 'fa', 'gim', 'hul',
  'ja', 'ko', 'lem', 'mus', 'nor', 'op', 'rin', 'sel', 'tam', 'ur', 'vas', 'wen', 'xi', 'yor', 'zu', 'bri',
];

/** A vocabulary of `size` distinct made-up words. */
export function vocabulary(size = 20000) {
  const words = [];
  const seen = new Set();
  const next = rng(12345);
  while (words.length < size) {
    const n = 2 + Math.floor(next() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(next() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

const VOCABULARY = vocabulary();

/** Article number `id`: about `words` words in paragraphs of 3–5 sentences, one paragraph per line. */
export function article(id, words = 300) {
  const next = rng(id * 2654435761 + 1);
  // Zipf-like: frequent words recur, as in real text.
  const word = () => VOCABULARY[Math.floor(VOCABULARY.length * next() ** 3)];
  const paragraphs = [];
  let count = 0;
  while (count < words) {
    const sentences = [];
    const n = 3 + Math.floor(next() * 3);
    for (let s = 0; s < n && count < words; s++) {
      const len = 8 + Math.floor(next() * 12);
      const parts = [];
      for (let i = 0; i < len; i++) parts.push(word());
      count += len;
      const sentence = parts.join(' ');
      sentences.push(sentence[0].toUpperCase() + sentence.slice(1) + '.');
    }
    paragraphs.push(sentences.join(' '));
  }
  return `${paragraphs.join('\n\n')}\n`;
}

/** `text` with `edits` words replaced (deterministically by `seed`): a near-copy. */
export function nearCopy(text, seed, edits = 3) {
  const next = rng(seed);
  const tokens = text.split(' ');
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * tokens.length);
    if (!tokens[at].includes('\n')) tokens[at] = VOCABULARY[Math.floor(next() * VOCABULARY.length)];
  }
  return tokens.join(' ');
}
