// Hostile corpora for --containment: a short text inside thousands of pages, and thousands of
// documents each largely inside all the others. The search must stay bounded (caps per
// document, with warnings), not grow with the number of containing pairs.
// Text is made-up words from a seeded generator; nothing is copied from any corpus.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeCorpus } from '../hostile-corpora.js';
import { mulberry32 } from '../lib/corpus.js';

const LARGE = { maxSeconds: 10, maxRssMB: 600 };
const MAX_CONTAINERS = 20;

const problems = (...list) => list.filter(Boolean).join('; ') || undefined;

/** `pages` different pages of made-up words, each carrying the same short notice. */
function tinyInPages(dir, pages) {
  const random = mulberry32(9101);
  const syllables = ['ta', 'ven', 'lo', 'mar', 'si', 'kor', 'pe', 'dun', 'ri', 'ga', 'hol', 'me'];
  const word = () => Array.from({ length: 2 + Math.floor(random() * 3) }, () => syllables[Math.floor(random() * syllables.length)]).join('');
  const sentence = (n) => `${Array.from({ length: n }, word).join(' ')}.`;
  mkdirSync(path.join(dir, 'corpus', 'pages'), { recursive: true });
  const notice = [sentence(14), sentence(12)].join(' ');
  writeFileSync(path.join(dir, 'corpus', 'notice.txt'), `${notice}\n`);
  for (let i = 0; i < pages; i++) {
    writeFileSync(path.join(dir, 'corpus', 'pages', `${i}.txt`), `${sentence(18)} ${sentence(16)}\n\n${notice}\n\n${sentence(20)} ${sentence(15)}\n`);
  }
}

export const cases = [
  {
    name: 'contained-in-10000',
    about: 'one short notice inside 10,000 different pages, --containment 0.8: listed 20 times with a warning, not 10,000',
    setup: (dir) => tinyInPages(dir, 10000),
    // Full texts: on bodies, a text in thousands of pages is the outlet's template, not body.
    args: ['corpus', '--containment', '0.8', '--compare', 'full'],
    expectExit: 1,
    ...LARGE,
    check: ({ report }) => {
      const listed = (report.containments ?? []).filter((c) => c.contained === 'corpus/notice.txt').length;
      return problems(
        listed === MAX_CONTAINERS ? undefined : `notice.txt listed in ${listed} containers, not ${MAX_CONTAINERS}`,
        report.warnings.some((w) => w.path === 'corpus/notice.txt' && /more than 20/.test(w.message)) ? undefined : 'no warning about the cap',
      );
    },
  },
  {
    name: 'contained-similar-7500',
    about: '7,500 files all ~0.6 similar (each about 0.75 inside every other), --containment 0.7: at most 20 containers each, bounded time',
    setup: (dir) => writeCorpus('similar', path.join(dir, 'corpus'), 7500),
    args: ['corpus', '-q', '--containment', '0.7'],
    expectExit: 1,
    // Every document is a candidate for every other here: about 1.5× the CPU time of similar-7500 (5.6 s against 3.7 s, measured under load).
    maxSeconds: 15,
    maxRssMB: 600,
    check: ({ report }) => {
      const per = new Map();
      for (const c of report.containments ?? []) per.set(c.contained, (per.get(c.contained) ?? 0) + 1);
      const most = Math.max(0, ...per.values());
      return problems(
        most <= MAX_CONTAINERS ? undefined : `a document listed in ${most} containers`,
        report.clusters.length === 0 ? undefined : `${report.clusters.length} clusters: containments joined clusters`,
        (report.containments ?? []).length > 0 ? undefined : 'no containments found',
      );
    },
  },
];
