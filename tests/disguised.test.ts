import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseCorpus } from '../src/report/build.js';
import { DEFAULT_OPTIONS } from '../src/core/options.js';
import type { SourceDocument } from '../src/input/read.js';
import { ROOT } from './helpers/cli.js';

const tool = { name: 'dedupe', version: 'test' };
const fixture = (name: string) => readFileSync(path.join(ROOT, 'fixtures/boilerplate', name), 'utf8');
const doc = (p: string, text: string): SourceDocument => ({ path: p, bytes: Buffer.byteLength(text), text });

/** Every word of four letters or more gets `mark` after its second letter: the copy reads the same. */
const hideInWords = (text: string, mark: string) => text.replace(/\b([A-Za-z]{2})([A-Za-z]{2,})/g, `$1${mark}$2`);

// Latin letters swapped for the Cyrillic ones drawn the same: а е о р с у х і ј ѕ, and capitals.
const CYRILLIC: Record<string, string> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', y: 'у', x: 'х', i: 'і', j: 'ј', s: 'ѕ', T: 'Т', H: 'Н', B: 'В' };
const disguise = (text: string) => text.replace(/[aeopcyxijsTHB]/g, (c) => CYRILLIC[c] as string);

const original = fixture('article-harbour.txt');
const other = fixture('article-library.txt');

function clusterOf(copy: string) {
  const report = analyseCorpus([doc('original.txt', original), doc('copy.txt', copy), doc('other.txt', other)], DEFAULT_OPTIONS, { tool });
  const pair = report.pairs.find((p) => [p.a, p.b].sort().join() === 'copy.txt,original.txt');
  return { report, similarity: pair?.similarity };
}

describe('a disguised copy still clusters with its original', () => {
  it('with zero-width spaces and soft hyphens between letters', () => {
    for (const mark of ['\u200B', '\u00AD', '\u200B\u00AD\u2060']) {
      const copy = hideInWords(original, mark);
      expect(copy).not.toBe(original);
      const { report, similarity } = clusterOf(copy);
      expect(similarity).toBe(1);
      expect(report.clusters.map((c) => c.members.map((m) => m.path).sort())).toEqual([['copy.txt', 'original.txt']]);
    }
  });

  it('with Cyrillic look-alikes in its English words', () => {
    const copy = disguise(original);
    expect(copy.match(/[а-яіјѕ]/giu)!.length).toBeGreaterThan(200);
    const { report, similarity } = clusterOf(copy);
    expect(similarity).toBe(1);
    expect(report.clusters).toHaveLength(1);
    // The report quotes the copy as it is: folding is for comparison only.
    const copyReport = report.documents.find((d) => d.path === 'copy.txt')!;
    expect(copyReport.segments[0]!.preview).toMatch(/[а-яіјѕ]/iu);
  });
});
