import { describe, expect, it } from 'vitest';
import { tokenise } from '../src/tokenise/tokenise.js';
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
