import { describe, expect, it } from 'vitest';
import { SEGMENT_WINDOW, tokenise } from '../src/tokenise/tokenise.js';
import { normaliseText } from '../src/normalise/normalise.js';
import { dedupe } from './helpers/cli.js';

// Chinese and Japanese articles written for these tests (fixtures/scripts): a library that opens
// on Sundays, a copy with three small edits, and an unrelated article about a harbour.
describe('scripts written without spaces', () => {
  it('splits Chinese, Japanese and Thai runs into words, and leaves spaced text as it was', () => {
    expect(tokenise(normaliseText('市图书馆周一宣布将在星期日开放')).length).toBeGreaterThan(4);
    expect(tokenise(normaliseText('市立図書館は月曜日、来月から日曜日も開館すると発表した。')).length).toBeGreaterThan(6);
    expect(tokenise(normaliseText('รัฐบาลประกาศขยายเครือข่ายรถเมล์กลางคืน')).length).toBeGreaterThan(3);
    expect(tokenise(normaliseText("The council's plan, 2024: don't wait"))).toEqual(['the', 'council', 's', 'plan', '2024', 'don', 't', 'wait']);
    expect(tokenise(normaliseText('Привет, мир'))).toEqual(['привет', 'мир']);
  });

  it('splits a run longer than SEGMENT_WINDOW (punctuation stripped) into the words ICU finds in it whole, never a half surrogate pair', () => {
    // Made-up text from common words, no punctuation: ICU's break engine is far from linear in a
    // run's length (a 100,000-character run took 12 s), so long runs go through it in windows.
    const words = ['图书馆', '星期日', '开放', '市民', '宣布', '图書館', '月曜日', '来月', '発表', 'した', '港口', '渡轮', '码头'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
    let run = '';
    while (run.length < 6 * SEGMENT_WINDOW) run += words[Math.floor(next() * words.length)];
    const whole = [...new Intl.Segmenter(undefined, { granularity: 'word' }).segment(run)].filter((p) => p.isWordLike).map((p) => p.segment);
    expect(tokenise(run)).toEqual(whole);
    // Han outside the BMP (surrogate pairs) in a run ICU has no dictionary words for: every character kept whole.
    // (One BMP character first, so that windows end between the two halves of a pair.)
    const astral = `港${'\u{20000}\u{20001}\u{2A700}'.repeat(SEGMENT_WINDOW)}`;
    const tokens = tokenise(astral);
    expect(tokens.join('')).toBe(astral);
    expect(tokens.every((t) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(t))).toBe(true);
  });

  it('finds near-copies of Chinese and Japanese articles at the default threshold, and does not pair different articles', async () => {
    const { status, stdout } = await dedupe(['fixtures/scripts', '--format', 'json', '--all-pairs']);
    expect(status).toBe(1);
    const report = JSON.parse(stdout);
    const clusters = report.clusters.map((c: { members: Array<{ path: string }> }) => c.members.map((m) => m.path.split('/').pop()).sort());
    expect(clusters).toEqual([
      ['ja-library-edited.txt', 'ja-library.txt'],
      ['zh-library-edited.txt', 'zh-library.txt'],
    ]);
    for (const pair of report.pairs) expect(pair.similarity).toBeLessThan(1); // edited, not identical
    // Every line of these clean articles is body: no stopword list for them must not make them boilerplate.
    for (const doc of report.documents) expect(doc.counts.boilerplateLines).toBe(0);
    const different = JSON.parse((await dedupe(['fixtures/scripts', '--format', 'json', '--threshold', '0.3'])).stdout);
    expect(different.pairs.every((p: { a: string; b: string }) => p.a.includes('library') && p.b.includes('library'))).toBe(true);
  });
});
