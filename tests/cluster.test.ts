import { describe, expect, it } from 'vitest';
import { analyseCorpus } from '../src/report/build.js';
import { DEFAULT_OPTIONS, type AnalyseOptions } from '../src/core/options.js';
import type { SourceDocument } from '../src/input/read.js';
import { seededRandom } from './helpers/random.js';

const tool = { name: 'dedupe', version: 'test' };
const doc = (path: string, text: string): SourceDocument => ({ path, bytes: Buffer.byteLength(text), text });

/** A paragraph of plausible words, different for every seed. */
function prose(seed: number, sentences: number): string {
  const random = seededRandom(seed);
  const vocabulary = 'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were her she there one all we their been has when who will more no if out so said what up its about into than them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three'.split(' ');
  return Array.from({ length: sentences }, () => {
    const n = 14 + Math.floor(random() * 10);
    const words = Array.from({ length: n }, () => vocabulary[Math.floor(random() * vocabulary.length)]);
    return `${words.join(' ')}.`.replace(/^./, (c) => c.toUpperCase());
  }).join(' ');
}

/** Replace every k-th word, to make a copy of known, moderate similarity. */
const edit = (text: string, every: number, replacement: string) =>
  text.split(' ').map((w, i) => (i % every === every - 1 ? replacement : w)).join(' ');

describe('clusters', () => {
  it('flags a member that joined through a chain: its own similarity to the representative is below the threshold', () => {
    const base = prose(1, 30);
    const a = base;
    const b = edit(base, 40, 'zebra'); // close to a
    const c = edit(b, 37, 'yak'); // close to b, further from a
    const options: AnalyseOptions = { ...DEFAULT_OPTIONS, threshold: 0.7, keep: 'first' };
    const report = analyseCorpus([doc('a.txt', a), doc('b.txt', b), doc('c.txt', c)], options, { tool });
    const pairs = new Map(report.pairs.map((p) => [`${p.a}|${p.b}`, p.similarity]));
    expect(pairs.has('a.txt|b.txt') && pairs.has('b.txt|c.txt')).toBe(true);
    expect(pairs.has('a.txt|c.txt')).toBe(false); // the chain's ends are not a verified pair
    expect(report.clusters).toHaveLength(1);
    const cluster = report.clusters[0]!;
    expect(cluster.representative).toBe('a.txt');
    const c_ = cluster.members.find((m) => m.path === 'c.txt')!;
    expect(c_.belowThreshold).toBe(true);
    expect(c_.similarity).toBeLessThan(0.7);
    expect(cluster.members.find((m) => m.path === 'b.txt')!.belowThreshold).toBe(false);
  });

  it('keeps the longest copy by default (ties by path) or the first with keep: first', () => {
    const text = prose(2, 20);
    const docs = [doc('b-short.txt', text), doc('a-long.txt', `${text}\n${prose(3, 1)}`), doc('c-same.txt', text)];
    expect(analyseCorpus(docs, DEFAULT_OPTIONS, { tool }).clusters[0]!.representative).toBe('a-long.txt');
    expect(analyseCorpus(docs, { ...DEFAULT_OPTIONS, keep: 'first' }, { tool }).clusters[0]!.representative).toBe('b-short.txt');
    const tie = [doc('z.txt', text), doc('m.txt', text)];
    expect(analyseCorpus(tie, DEFAULT_OPTIONS, { tool }).clusters[0]!.representative).toBe('m.txt');
  });

  it('reports only verified pairs at or above the threshold', () => {
    const base = prose(4, 25);
    const docs = [doc('x.txt', base), doc('y.txt', edit(base, 15, 'qq')), doc('z.txt', prose(5, 25))];
    for (const threshold of [0.3, 0.5, 0.9]) {
      const report = analyseCorpus(docs, { ...DEFAULT_OPTIONS, threshold }, { tool });
      for (const p of report.pairs) expect(p.similarity).toBeGreaterThanOrEqual(threshold);
      expect(report.pairs.some((p) => p.b === 'z.txt' || p.a === 'z.txt')).toBe(false);
    }
    expect(analyseCorpus(docs, { ...DEFAULT_OPTIONS, threshold: 0.3 }, { tool }).pairs).toHaveLength(1);
    expect(analyseCorpus(docs, { ...DEFAULT_OPTIONS, threshold: 0.9 }, { tool }).pairs).toHaveLength(0);
  });
});
