import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../src/index.js';
import type { Report } from '../src/report/types.js';
import { comparedText, diffTexts, DIFF_LIMITS } from '../src/report/word-diff.js';
import { dedupe, SEEDS, tempDir } from './helpers/cli.js';
import { seededRandom } from './helpers/random.js';
import { reportSchemaErrors } from './helpers/schema.js';

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vo', 'ni', 'pel', 'dor', 'ga', 'shi', 'bu', 'ter', 'wen'];

/** Made-up words, seeded: text that is no one's article. */
function prose(seed: number, lines: number, wordsPerLine = 24): string[] {
  const random = seededRandom(seed);
  const word = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join('');
  return Array.from({ length: lines }, () => `${Array.from({ length: wordsPerLine }, word).join(' ')}.`);
}

const whole = (lines: readonly string[]) => comparedText(lines, [], 'full');

describe('word diff', () => {
  it('finds a changed word, with a few words of context and the line in each document', () => {
    const rep = prose(1, 6);
    const member = [...rep];
    const words = member[3]!.split(' ');
    words[10] = 'CHANGED';
    member[3] = words.join(' ');
    // Spacing and line breaks are not differences: the member is also reflowed.
    const diff = diffTexts(whole(rep), whole(['', ...member.map((l) => `  ${l.replaceAll(' ', '   ')}`)]), 'full');
    expect(diff.identical).toBe(false);
    expect(diff.hunks).toHaveLength(1);
    const hunk = diff.hunks[0]!;
    expect([hunk.representativeLine, hunk.line]).toEqual([4, 5]);
    expect(hunk.parts.filter((p) => p.op === 'removed').map((p) => p.text)).toEqual([rep[3]!.split(' ')[10]]);
    expect(hunk.parts.filter((p) => p.op === 'added').map((p) => p.text)).toEqual(['CHANGED']);
    const context = hunk.parts.filter((p) => p.op === 'same').map((p) => p.text.trim().split(/\s+/).length);
    expect(context).toEqual([DIFF_LIMITS.contextWords, DIFF_LIMITS.contextWords]);
    expect([diff.addedWords, diff.removedWords]).toEqual([1, 1]);
  });

  it('says identical when only spacing, line breaks and case differ, as the similarity ignores them', () => {
    const rep = prose(2, 4);
    const reflowed = rep.join(' ').split(' ').map((w, i) => (i % 7 === 6 ? `${w}\n` : i % 5 === 0 ? `${w.toUpperCase()} ` : `${w} `));
    const diff = diffTexts(whole(rep), whole(reflowed.join('').split('\n')), 'full');
    expect(diff).toMatchObject({ identical: true, hunks: [], omittedHunks: 0 });
  });

  it('lists at most hunksPerMember passages per member and counts the rest', () => {
    const rep = prose(3, 40);
    const member = rep.map((line, i) => (i % 2 === 0 ? line.replace(/^\S+/, 'EDITED') : line));
    const diff = diffTexts(whole(rep), whole(member), 'full');
    expect(diff.hunks).toHaveLength(DIFF_LIMITS.hunksPerMember);
    expect(diff.omittedHunks).toBe(20 - DIFF_LIMITS.hunksPerMember);
    expect(diff.hunks.map((h) => h.line)).toEqual(Array.from({ length: DIFF_LIMITS.hunksPerMember }, (_, i) => 2 * i + 1));
  });

  it('shortens a long added passage and says how many words it left out', () => {
    const rep = prose(4, 5);
    const member = [...rep.slice(0, 2), prose(5, 1, 100)[0]!, ...rep.slice(2)];
    const diff = diffTexts(whole(rep), whole(member), 'full');
    const added = diff.hunks.flatMap((h) => h.parts).filter((p) => p.op === 'added');
    expect(added).toHaveLength(1);
    expect(added[0]!.text.trim().split(/\s+/)).toHaveLength(DIFF_LIMITS.wordsPerPart);
    expect(added[0]!.omittedWords).toBe(100 - DIFF_LIMITS.wordsPerPart);
    expect(diff.addedWords).toBe(100);
  });

  it('gives up on texts with too many changes, and says so', () => {
    const diff = diffTexts(whole(prose(6, 120)), whole(prose(7, 120)), 'full');
    expect(diff).toMatchObject({ identical: false, tooManyChanges: true, hunks: [] });
  });

  it('diffs the body when both were compared on it', () => {
    const lines = ['Menu | Home | News', ...prose(8, 3)];
    const segments = [
      { startLine: 1, endLine: 1, kind: 'boilerplate' as const, category: 'navigation' as const, confidence: 1, reasons: [] },
      { startLine: 2, endLine: 4, kind: 'body' as const, confidence: 1, reasons: [] },
    ];
    expect(comparedText(lines, segments, 'body').text).toBe(lines.slice(1).join(' '));
    expect(comparedText(lines, segments, 'body').lineNumbers).toEqual([2, 3, 4]);
  });
});

describe('--diff', () => {
  const { dir, cleanup } = tempDir('dedupe-diff-');
  afterAll(cleanup);
  const story = prose(11, 8);
  const corpus = path.join(dir, 'corpus');
  mkdirSync(corpus);
  writeFileSync(path.join(corpus, 'a.txt'), `${story.join('\n')}\n`);
  writeFileSync(path.join(corpus, 'b.txt'), `${story.map((l, i) => (i === 2 ? l.replace(/\S+\.$/, 'swapped.') : l)).join('\n')}\n`);
  writeFileSync(path.join(corpus, 'c.txt'), `${story.join('\n\n')}\n`); // an exact copy of a.txt
  // A changed word that would drive a terminal.
  writeFileSync(path.join(corpus, 'd.txt'), `${story.map((l, i) => (i === 5 ? l.replace(/^\S+/, '\u001b]0;owned\u0007') : l)).join('\n')}\n`);
  const removedWord = story[2]!.split(' ').at(-1)!.replace(/\.$/, '');

  it('prints each change under its member, marked without colour; exact copies say identical', async () => {
    const { status, stdout } = await dedupe([corpus, '--diff'], { cwd: dir });
    expect(status).toBe(1);
    expect(stdout).toContain(`[-${removedWord}-]{+swapped+}`);
    // c.txt (blank lines between paragraphs) is the longest, so the copy to keep: its line 5 is their line 3.
    expect(stdout).toMatch(/corpus\/b\.txt .*\n {6}line 3 \(keep: 5\): .*\[-/);
    expect(stdout).toMatch(/corpus\/a\.txt .*identical\n {2}drop/); // no diff lines under an exact copy
    expect(stdout).toContain('{+\\x1b]0;owned\\x07+}');
    expect(stdout).not.toContain('\u001b');
    // Without --diff, none of it.
    expect((await dedupe([corpus], { cwd: dir })).stdout).not.toContain('{+');
  });

  it('colours the change on a terminal, as the text report does', async () => {
    const { stdout } = await dedupe([corpus, '--diff', '--color'], { cwd: dir });
    expect(stdout).toContain('\u001b[32mswapped');
    expect(stdout).not.toContain('{+swapped+}');
  });

  it('puts the same hunks in JSON, valid against the schema; not without --diff', async () => {
    const report = JSON.parse((await dedupe([corpus, '--diff', '--format', 'json'], { cwd: dir })).stdout) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    const members = report.clusters[0]!.members;
    expect(members[0]!.diff).toBeUndefined();
    const b = members.find((m) => m.path.endsWith('b.txt'))!;
    expect(b.diff!.hunks[0]!.parts).toEqual(expect.arrayContaining([{ op: 'removed', text: removedWord }, { op: 'added', text: 'swapped' }]));
    expect(members.find((m) => m.path.endsWith('a.txt'))!.diff).toEqual({ identical: true, diffed: 'body', addedWords: 0, removedWords: 0, hunks: [], omittedHunks: 0 });
    const plain = JSON.parse((await dedupe([corpus, '--format', 'json'], { cwd: dir })).stdout) as Report;
    expect(plain.clusters[0]!.members.some((m) => 'diff' in m)).toBe(false);
  });

  it('shows the boilerplate one copy adds when the bodies have the same words (the seeds)', async () => {
    const { stdout } = await dedupe([SEEDS, '--diff']);
    expect(stdout).toContain('the same article body word for word; the full texts differ:');
    expect(stdout).toMatch(/\[-Solange Reyner .*© 2025 Newsmax\. All rights reserved\.-\]/);
  });

  it('is the same from the library', async () => {
    const sources = ['a.txt', 'b.txt'].map((f) => ({ path: f, text: story.map((l, i) => (f === 'b.txt' && i === 2 ? l.replace(/\S+\.$/, 'swapped.') : l)).join('\n') }));
    const report = await analyse(sources, { diff: true });
    expect(report.clusters[0]!.members[1]!.diff).toMatchObject({ identical: false, diffed: 'body', addedWords: 1, removedWords: 1 });
  });
});
