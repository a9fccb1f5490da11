import { describe, expect, it } from 'vitest';
import { comparedShingles, comparedShinglesInto, comparedUnitCount, documentLines, prepareDocument, selectUnits } from '../src/core/document.js';
import type { Segment } from '../src/segment/index.js';
import { normaliseText } from '../src/normalise/normalise.js';
import { tokenise } from '../src/tokenise/tokenise.js';
import { SetArena, shingleHashes } from '../src/shingle/shingle.js';
import { exactJaccard } from '../src/verify/jaccard.js';
import { combineHashes, hashString } from '../src/tokenise/hash.js';
import { mulberry32 } from '../src/types/numbers.js';

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

describe('shingleHashes against its definition', () => {
  // The definition: combineHashes of every window, sorted, without repeats. shingleHashes writes
  // the combination out and sorts by buckets; the values must be the same, as indexes keep them.
  const byDefinition = (units: Uint32Array, n: number): Uint32Array => {
    const count = units.length - n + 1;
    if (count <= 0) return new Uint32Array(0);
    const all = new Uint32Array(count);
    for (let i = 0; i < count; i++) all[i] = combineHashes(units, i, n);
    return Uint32Array.from(new Set(all.sort()));
  };

  it('gives the same hashes on random units, few repeated units and char units, n = 1..9', () => {
    const random = mulberry32(7);
    const word = () => Math.floor(random() * 0x100000000);
    for (const length of [0, 1, 2, 5, 9, 31, 32, 33, 64, 100, 1000, 5000]) {
      for (let n = 1; n <= 9; n++) {
        const units = Uint32Array.from({ length }, word);
        expect(Array.from(shingleHashes(units, n))).toEqual(Array.from(byDefinition(units, n)));
        // Few distinct units: many repeated windows, and buckets that hold many copies of one hash.
        const few = Uint32Array.from({ length }, () => Math.floor(random() * 3));
        expect(Array.from(shingleHashes(few, n))).toEqual(Array.from(byDefinition(few, n)));
      }
    }
    const text = 'Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich.\nThe quick brown fox jumps over the lazy dog, again and again and again.';
    const chars = prepareDocument(text.repeat(20), 'char').units;
    for (let n = 1; n <= 9; n++) expect(Array.from(shingleHashes(chars, n))).toEqual(Array.from(byDefinition(chars, n)));
  });
});

describe('prepareDocument units', () => {
  // The definition: word units are hashString of each word; char units hashString of each code
  // point of each word (for…of), then of a space.
  const byDefinition = (text: string, kind: 'word' | 'char'): number[] => {
    const units: number[] = [];
    for (const line of documentLines(text)) {
      for (const token of tokenise(normaliseText(line))) {
        if (kind === 'word') units.push(hashString(token));
        else {
          for (const ch of token) units.push(hashString(ch));
          units.push(hashString(' '));
        }
      }
    }
    return units;
  };

  it('are the hashes of the words, or of their code points, astral and lone surrogates included', () => {
    const text = 'Grüße aus Köln, 東京 and 𝒳𝒴 math \uD835 lone\uDC00 surrogates.\n\n  Second LINE   here 😀 x\r\nthird';
    for (const kind of ['word', 'char'] as const) {
      const doc = prepareDocument(text.repeat(50), kind);
      expect(Array.from(doc.units)).toEqual(byDefinition(text.repeat(50), kind));
      expect(doc.lineUnitStart[doc.lines.length]).toBe(doc.units.length);
    }
  });
});

describe('comparedShinglesInto', () => {
  it('lays each set in the arena as comparedShingles makes it, body or full, growing the arena when it falls short', () => {
    const text = 'Home | News | Sport\n\nThe council met on Tuesday to agree the budget for the coming year.\nIt was passed by nine votes to four after a long debate.\n\nCopyright 2020 Example Media. All rights reserved.\n';
    const doc = prepareDocument(text, 'word');
    const sketch = { units: doc.units, lineUnitStart: doc.lineUnitStart, lineCount: doc.lines.length };
    const segments: Segment[] = [
      { startLine: 1, endLine: 1, kind: 'boilerplate', confidence: 1, reasons: [] },
      { startLine: 3, endLine: 4, kind: 'body', confidence: 1, reasons: [] },
      { startLine: 6, endLine: 6, kind: 'boilerplate', confidence: 1, reasons: [] },
    ];
    const arena = new SetArena(1);
    for (const compare of ['body', 'full', 'body'] as const) {
      const expected = comparedShingles(sketch, segments, { compare, ngram: 3 });
      expect(comparedUnitCount(sketch, segments, compare) - 2).toBeGreaterThanOrEqual(expected.length);
      const start = comparedShinglesInto(sketch, segments, { compare, ngram: 3 }, arena);
      expect(Array.from(arena.hashes.subarray(start, arena.used))).toEqual(Array.from(expected));
    }
  });
});
