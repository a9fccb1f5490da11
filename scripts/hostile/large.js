// Hostile corpora of issue 9 that are large or crafted rather than broken: huge clusters, a dense
// corpus with no duplicates, --jobs far past the CPU count, disguised copies and terminal escapes.
// Text is made-up words from a seeded generator; nothing is copied from any corpus.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeCorpus } from '../hostile-corpora.js';

/** The ceilings issue 9 sets for the large corpora. */
const LARGE = { maxSeconds: 10, maxRssMB: 500 };

const problems = (...list) => list.filter(Boolean).join('; ') || undefined;
const clusterSizes = (report) => report.clusters.map((c) => c.members.length);

export const cases = [
  {
    name: 'identical-10000',
    about: '10,000 identical files: one exact cluster, at most 2(n - 1) pairs (crashed with "Set maximum size exceeded")',
    setup: (dir) => writeCorpus('identical', path.join(dir, 'corpus'), 10000),
    args: ['corpus', '-q'],
    expectExit: 1,
    ...LARGE,
    check: ({ report }) =>
      problems(
        JSON.stringify(clusterSizes(report)) === '[10000]' ? undefined : `clusters ${JSON.stringify(clusterSizes(report))}`,
        report.clusters[0]?.exact === true ? undefined : 'the cluster is not marked exact',
        report.pairs.length <= 2 * 9999 ? undefined : `${report.pairs.length} pairs`,
        report.summary.duplicates === 9999 ? undefined : `summary.duplicates ${report.summary.duplicates}`,
      ),
  },
  {
    name: 'similar-7500',
    about: '7,500 files all ~0.6 similar, no two near-duplicates: a clean report (crashed after 36 s and 1.9 GB)',
    setup: (dir) => writeCorpus('similar', path.join(dir, 'corpus'), 7500),
    args: ['corpus', '-q'],
    expectExit: 0,
    ...LARGE,
    check: ({ report }) => problems(report.clusters.length === 0 ? undefined : `${report.clusters.length} clusters`, report.summary.documents === 7500 ? undefined : `${report.summary.documents} documents`),
  },
  {
    name: 'jobs-1000',
    about: '--jobs 1000 is capped at the CPU count, with a note (started ~1,000 workers: 27.6 s, 1.5 GB)',
    setup: (dir) => writeCorpus('near', path.join(dir, 'corpus'), 3000),
    args: ['corpus', '--jobs', '1000'],
    expectExit: 1,
    ...LARGE,
    check: ({ report, stderr }) =>
      problems(/--jobs/.test(stderr) ? undefined : `no note about --jobs on stderr: ${stderr.slice(0, 200)}`, JSON.stringify(clusterSizes(report)) === '[3000]' ? undefined : `clusters ${JSON.stringify(clusterSizes(report))}`),
  },
  {
    name: 'disguised-copies',
    about: 'copies disguised with zero-width spaces, soft hyphens and Cyrillic look-alikes still cluster with the original',
    setup: (dir) => {
      mkdirSync(path.join(dir, 'corpus'));
      const original = 'The harbour authority approved the new ferry terminal on Thursday after a review that lasted more than two years and drew objections from fishermen, residents and two shipping companies, who said the new breakwater would change the currents.\n';
      writeFileSync(path.join(dir, 'corpus/original.txt'), original);
      writeFileSync(path.join(dir, 'corpus/zero-width.txt'), original.replace(/([a-z])([a-z])/g, '$1\u200b$2'));
      writeFileSync(path.join(dir, 'corpus/soft-hyphen.txt'), original.replace(/([a-z]{3})([a-z]{3})/g, '$1\u00ad$2'));
      writeFileSync(path.join(dir, 'corpus/cyrillic.txt'), original.replace(/a/g, '\u0430').replace(/o/g, '\u043e').replace(/e/g, '\u0435'));
    },
    args: ['corpus', '--all-pairs'],
    expectExit: 1,
    maxSeconds: 5,
    maxRssMB: 200,
    check: ({ report }) => problems(JSON.stringify(clusterSizes(report)) === '[4]' ? undefined : `clusters ${JSON.stringify(clusterSizes(report))}`, report.pairs.every((p) => p.similarity === 1) ? undefined : 'a disguised pair below similarity 1'),
  },
  {
    name: 'terminal-escapes',
    about: 'file names and contents with ESC, OSC and BEL: the text report shows them escaped, never raw',
    setup: (dir) => {
      mkdirSync(path.join(dir, 'corpus'));
      const body = 'A plain article about a new library that will open on Sundays from next month, after a survey of members.\n';
      writeFileSync(path.join(dir, 'corpus', 'title\u001b]0;owned\u0007.txt'), `\u001b[2J\u001b]0;owned\u0007Subscribe now! \u001b[31mred\u001b[0m\n${body}`);
      writeFileSync(path.join(dir, 'corpus', 'copy.txt'), `\u001b[2J\u001b]0;owned\u0007Subscribe now! \u001b[31mred\u001b[0m\n${body}`);
    },
    args: ['corpus', '--no-color', '-v'],
    format: false,
    expectExit: 1,
    maxSeconds: 5,
    maxRssMB: 200,
    // eslint-disable-next-line no-control-regex
    check: ({ stdout, stderr }) => problems(/[\u0000-\u0008\u000b-\u001f\u007f]/.test(stdout) ? 'a raw control character on stdout' : undefined, /[\u0000-\u0008\u000b-\u001f\u007f]/.test(stderr) ? 'a raw control character on stderr' : undefined, /\\x1b/.test(stdout) ? undefined : 'no visible \\x1b escape in the report'),
  },
];
