import { describe, expect, it } from 'vitest';
import { prepareDocument, selectUnits } from '../src/core/document.js';
import { shingleHashes } from '../src/shingle/shingle.js';
import { exactJaccard } from '../src/verify/jaccard.js';

const shinglesOf = (text: string, n = 5, kind: 'word' | 'char' = 'word') => shingleHashes(prepareDocument(text, kind).units, n);

describe('shingleHashes', () => {
  it('makes one shingle per window, sorted and without repeats', () => {
    const s = shinglesOf('one two three four five six seven', 5);
    expect(s.length).toBe(3);
    for (let i = 1; i < s.length; i++) expect(s[i]! > s[i - 1]!).toBe(true);
    expect(shinglesOf('a b a b a b a b', 2).length).toBe(2); // "a b" and "b a"
  });

  it('gives a document shorter than one shingle no shingles', () => {
    expect(shinglesOf('only four words here', 5).length).toBe(0);
    expect(shinglesOf('', 5).length).toBe(0);
  });

  it('ignores case, punctuation, blank lines and line breaks', () => {
    const a = 'The quick brown fox jumps over the lazy dog.\nIt was not amused.';
    const b = 'the QUICK brown fox — jumps over\n\n\nthe lazy dog it was not amused';
    expect(Array.from(shinglesOf(a))).toEqual(Array.from(shinglesOf(b)));
  });

  it('is sensitive to word order', () => {
    expect(exactJaccard(shinglesOf('a b c d e f'), shinglesOf('f e d c b a'))).toBe(0);
  });

  it('builds character shingles from words joined by single spaces', () => {
    const a = shinglesOf('Hello,   world!', 3, 'char');
    const b = shinglesOf('hello world', 3, 'char');
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(a.length).toBe(new Set(['hel', 'ell', 'llo', 'lo ', 'o w', ' wo', 'wor', 'orl', 'rld', 'ld ']).size);
  });
});

describe('selectUnits', () => {
  it('keeps only the chosen lines, so a comparison can ignore boilerplate', () => {
    const doc = prepareDocument('alpha beta gamma\nSUBSCRIBE NOW\ndelta epsilon', 'word');
    const body = selectUnits(doc, (line) => line !== 1);
    expect(body.length).toBe(5);
    expect(Array.from(body)).toEqual(Array.from(prepareDocument('alpha beta gamma delta epsilon', 'word').units));
  });
});

describe('exactJaccard', () => {
  it('computes |A∩B| / |A∪B| by merge', () => {
    const a = Uint32Array.from([1, 2, 3, 4]);
    const b = Uint32Array.from([3, 4, 5, 6, 7, 8]);
    expect(exactJaccard(a, b)).toBeCloseTo(2 / 8, 12);
    expect(exactJaccard(a, a)).toBe(1);
    expect(exactJaccard(a, Uint32Array.from([9]))).toBe(0);
    expect(exactJaccard(new Uint32Array(0), new Uint32Array(0))).toBe(0);
  });
});
