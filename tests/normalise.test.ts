import { describe, expect, it } from 'vitest';
import { normaliseText, splitLines } from '../src/normalise/normalise.js';
import { tokenise } from '../src/tokenise/tokenise.js';

describe('normaliseText', () => {
  it('folds case, unifies curly quotes and dashes, collapses whitespace', () => {
    expect(normaliseText('  There\u2019s  \u201Csome\u201D\tprogress \u2014 NOW  ')).toBe(`there's "some" progress - now`);
  });

  it('applies NFKC so compatibility forms compare equal', () => {
    expect(normaliseText('\uFB01nance \u2460 \uFF21')).toBe(normaliseText('finance 1 A'));
    // A decomposed é and a precomposed é are the same word.
    expect(normaliseText('cafe\u0301')).toBe(normaliseText('caf\u00e9'));
  });
});

describe('splitLines', () => {
  it('counts \\r\\n and a lone \\r as one break each', () => {
    expect(splitLines('a\r\nb\rc\nd')).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('tokenise', () => {
  it('keeps words of any script and drops punctuation', () => {
    const text = normaliseText('Привет, мир! Καλημέρα κόσμε. Café «crème» — 2025; naïve');
    expect(tokenise(text)).toEqual(['привет', 'мир', 'καλημέρα', 'κόσμε', 'café', 'crème', '2025', 'naïve']);
  });

  it('splits at apostrophes like the reference tokenisation of the BBC pair list', () => {
    expect(tokenise(normaliseText('didn\u2019t stop'))).toEqual(['didn', 't', 'stop']);
  });

  it('returns nothing for text without words', () => {
    expect(tokenise('')).toEqual([]);
    expect(tokenise(normaliseText(' -- ... !!! '))).toEqual([]);
  });
});
