import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SarifLog } from '../src/report/formats/sarif.js';
import { analyse, formatReport } from '../src/index.js';
import { BOILERPLATE_DOCUMENTS, CLUSTER_MEMBERS, UNIQUE_LINES } from '../src/report/formats/text.js';
import { percent, plural } from '../src/report/numbers.js';
import type { Report } from '../src/report/types.js';
import { dedupe, ROOT, tempDir } from './helpers/cli.js';
import { seededRandom } from './helpers/random.js';

// The text report at scale, paths and sides (--root, --against), and the CLI's consistency:
// one error style, suggestions, `dedupe help`, options that need a value or a format.

/** Made-up words from syllables: generated text, never taken from a corpus. */
function article(random: () => number, words = 90): string[] {
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tas', 'vu', 'po', 'sel', 'dri', 'ne', 'fa', 'gor', 'hu', 'jin', 'qua', 'bex'];
  const word = () => Array.from({ length: 2 + Math.floor(random() * 3) }, () => syllables[Math.floor(random() * syllables.length)]).join('');
  return Array.from({ length: words }, word);
}
const asText = (words: readonly string[]) => `${words.slice(0, 45).join(' ')}.\n${words.slice(45).join(' ')}.\n`;
/** One word changed: about 0.88 Jaccard on word 5-grams, above the 0.8 threshold. */
const edited = (words: readonly string[]) => words.map((w, i) => (i === 40 ? 'zzzchanged' : w));

let dir: string;
let cleanup: () => void;
const UNIQUE = 60;

beforeAll(() => {
  ({ dir, cleanup } = tempDir('dedupe-report-'));
  const random = seededRandom(13);
  const write = (name: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, 'corpus', name)), { recursive: true });
    writeFileSync(path.join(dir, 'corpus', name), text);
  };
  // By path, the clusters sort a (near pair), b (identical pair), z (three): by size and
  // similarity, the three come first, then the identical pair, then the near pair.
  const three = article(random);
  write('z/one.txt', asText(three));
  write('z/two.txt', asText(three));
  write('z/three.txt', asText(edited(three)));
  const same = article(random);
  write('b/first.txt', asText(same));
  write('b/second.txt', asText(same));
  const near = article(random);
  write('a/original.txt', asText(near));
  write('a/edited.txt', asText(edited(near)));
  for (let i = 0; i < UNIQUE; i++) write(`unique/a-rather-long-file-name-${String(i).padStart(3, '0')}.txt`, asText(article(random)));
});
afterAll(() => cleanup());

const clusterHeads = (text: string) => [...text.matchAll(/^Cluster (\d+) \((\d+) documents?(, identical)?\)$/gm)].map((m) => ({ size: Number(m[2]), identical: Boolean(m[3]) }));

describe('the text report', () => {
  it('orders clusters by size, then similarity, whatever their paths', async () => {
    const { status, stdout } = await dedupe(['corpus'], { cwd: dir });
    expect(status).toBe(1);
    expect(clusterHeads(stdout)).toEqual([
      { size: 3, identical: false },
      { size: 2, identical: true },
      { size: 2, identical: false },
    ]);
    // Exact copies say so; a near copy gives its similarity, once, as a percentage.
    expect(stdout).toMatch(/drop\s+corpus\/b\/second\.txt\s+.*\bidentical$/m);
    expect(stdout).toMatch(/drop\s+corpus\/a\/(edited|original)\.txt\s+.*\b\d+\.\d% similar$/m);
    expect(stdout).not.toMatch(/similarity 0\.\d/);
  });

  it('--max-clusters N prints N clusters and the rest in one line', async () => {
    const { stdout } = await dedupe(['corpus', '--max-clusters', '1'], { cwd: dir });
    expect(clusterHeads(stdout)).toHaveLength(1);
    const rest = stdout.split('\n').filter((line) => line.includes('more cluster'));
    expect(rest).toEqual(['… 2 more clusters (4 documents, the largest of 2); --max-clusters 0 lists them all']);
    const all = await dedupe(['corpus', '--max-clusters', '0'], { cwd: dir });
    expect(clusterHeads(all.stdout)).toHaveLength(3);
    expect(all.stdout).not.toMatch(/more cluster/);
  });

  it('shows the first lines of the unique documents, and all of them with --show-unique', async () => {
    const names = (text: string) => text.match(/a-rather-long-file-name-\d+\.txt/g) ?? [];
    const short = (await dedupe(['corpus'], { cwd: dir })).stdout;
    const section = short.slice(short.indexOf('Unique ('), short.indexOf('\n\n', short.indexOf('Unique (')));
    const lines = section.split('\n');
    expect(lines[0]).toBe(`Unique (${UNIQUE})`);
    expect(lines).toHaveLength(1 + UNIQUE_LINES + 1);
    const more = /… (\d+) more; --show-unique lists them all/.exec(lines.at(-1)!);
    expect(more).not.toBeNull();
    expect(names(section).length + Number(more![1])).toBe(UNIQUE);

    const full = (await dedupe(['corpus', '--show-unique'], { cwd: dir })).stdout;
    expect(new Set(names(full)).size).toBe(UNIQUE);
    expect(full).not.toMatch(/--show-unique lists them all/);
  });

  it('--summary prints the counts alone', async () => {
    const { status, stdout } = await dedupe(['corpus', '--summary'], { cwd: dir });
    expect(status).toBe(1);
    expect(stdout.trimEnd().split('\n')).toEqual([
      `${UNIQUE + 7} documents: 3 clusters, 4 duplicates, ${UNIQUE} unique, 0 skipped`,
      expect.stringMatching(/^threshold 80\.0% on article body/),
    ]);
  });

  it('says "1 document", never "1 documents", and numbers one way', async () => {
    expect(plural(1, 'document')).toBe('1 document');
    expect(plural(2225, 'document')).toBe('2,225 documents');
    expect(percent(0.7996)).toBe('79.9%'); // never shown as the 80% threshold it is below
    expect(percent(1)).toBe('100.0%');
    const { stdout } = await dedupe(['fixtures/against/incoming-clean', '--against', 'fixtures/against/baseline']);
    expect(stdout).toMatch(/^4 documents \(1 incoming, 3 baseline\): 0 clusters, 0 incoming duplicates/);
    for (const text of [stdout, (await dedupe(['fixtures/seeds'])).stdout]) {
      expect(text).not.toMatch(/(?<![\d,.])1 (documents|clusters|duplicates|bytes|members|lines|body lines|boilerplate lines)\b/);
    }
  });

  it('with --against, every path says its side, and a baseline file is never "drop"', async () => {
    const { stdout } = await dedupe(['fixtures/against/incoming-dup', '--against', 'fixtures/against/baseline']);
    expect(stdout.split('\n')[0]).toBe('5 documents (2 incoming, 3 baseline): 1 cluster, 1 incoming duplicate, 2 unique (1 incoming, 1 baseline), 0 skipped');
    const paths = stdout.split('\n').filter((line) => /fixtures\/against\/(baseline|incoming)/.test(line) && !/^Unique|^ {2}[^ ]+\.txt$/.test(line));
    expect(paths.length).toBeGreaterThan(4);
    for (const line of paths) {
      for (const m of line.matchAll(/fixtures\/against\/(baseline|incoming-dup)\/\S+/g)) {
        expect(line.slice(m.index! + m[0].length), line).toMatch(m[1] === 'baseline' ? /^ \(baseline\)/ : /^ \(incoming\)/);
      }
    }
    const members = stdout.split('\n').filter((line) => /^ {2}(keep|drop) /.test(line));
    expect(members.filter((l) => l.startsWith('  drop'))).toEqual([expect.stringContaining('(incoming)')]);
    expect(members.filter((l) => l.includes('(baseline)')).every((l) => l.startsWith('  keep'))).toBe(true);
    // The unique documents are listed per side.
    expect(stdout).toMatch(/^Unique, incoming \(1\)$/m);
    expect(stdout).toMatch(/^Unique, baseline \(1\)$/m);
  });
});

describe('the text report of a large corpus', () => {
  it('lists the first members of a big cluster and the first documents with boilerplate, and counts the rest', async () => {
    const random = seededRandom(7);
    const words = article(random);
    const copies = Array.from({ length: CLUSTER_MEMBERS + 5 }, (_, i) => ({ path: `copies/${String(i).padStart(2, '0')}.txt`, text: asText(words) }));
    const legal = Array.from({ length: BOILERPLATE_DOCUMENTS + 4 }, (_, i) => ({
      path: `legal/${String(i).padStart(2, '0')}.txt`,
      text: `${asText(article(random))}\n© 2024 Harbour Gazette Media Ltd. All rights reserved.\n`,
    }));
    const report = await analyse([...copies, ...legal], { threads: 1 });
    const text = formatReport(report, 'text');
    expect(text.match(/^ {2}(keep|drop) /gm)).toHaveLength(CLUSTER_MEMBERS);
    expect(text).toContain('  … 5 more members (-v or --format json lists them all)');
    expect(text).toContain('  … 4 more documents with boilerplate; --show-boilerplate lists them all');
    expect(text).toMatch(/^Boilerplate \(documents per category: legal 14\)$/m);
    const all = formatReport(report, 'text', { verbose: true });
    expect(all.match(/^ {2}(keep|drop) /gm)).toHaveLength(CLUSTER_MEMBERS + 5);
    expect(formatReport(report, 'text', { showBoilerplate: true })).not.toMatch(/more documents with boilerplate/);
  });
});

describe('--root: paths relative to one directory', () => {
  it('shows paths relative to the root in every format, and absolute outside it, never ../', async () => {
    const elsewhere = tempDir('dedupe-elsewhere-');
    try {
      const corpus = path.join(dir, 'corpus');
      const json = async (args: string[]) => JSON.parse((await dedupe([...args, '--format', 'json'], { cwd: elsewhere.dir })).stdout) as Report;
      const rooted = await json([path.join(corpus, 'z'), '--root', corpus]);
      expect(rooted.documents.map((d) => d.path).sort()).toEqual(['z/one.txt', 'z/three.txt', 'z/two.txt']);
      // Without --root, the working directory is the root: the corpus is outside it.
      const absolute = await json([path.join(corpus, 'z')]);
      expect(absolute.documents.map((d) => d.path).sort()).toEqual(['one.txt', 'three.txt', 'two.txt'].map((f) => `${corpus}/z/${f}`));
      // A relative path that climbs out of the working directory is shown absolute too.
      const climbing = await json([path.relative(elsewhere.dir, path.join(corpus, 'z'))]);
      expect(climbing.documents.every((d) => d.path.startsWith(`${corpus}/z/`))).toBe(true);
      const text = (await dedupe([path.join(corpus, 'z'), '--root', dir], { cwd: elsewhere.dir })).stdout;
      expect(text).toMatch(/keep\s+corpus\/z\//);
      expect(text).not.toMatch(/\.\.\//);
    } finally {
      elsewhere.cleanup();
    }
  });

  it('SARIF from a run in another folder declares the root, and every uri resolves against it to the file', async () => {
    const elsewhere = tempDir('dedupe-elsewhere-');
    try {
      const { status, stdout } = await dedupe([path.join(dir, 'corpus'), '--root', dir, '--format', 'sarif'], { cwd: elsewhere.dir });
      expect(status).toBe(1);
      const run = (JSON.parse(stdout) as SarifLog).runs[0]!;
      const base = run.originalUriBaseIds?.SRCROOT?.uri;
      expect(base).toBe(`${pathToFileURL(dir).href}/`);
      const locations = run.results.flatMap((r) => [...r.locations, ...r.relatedLocations].map((l) => l.physicalLocation.artifactLocation));
      expect(locations.length).toBe(2 * 3 + 2 * 2); // 4 duplicates, each with the other members of its cluster
      for (const location of locations) {
        expect(location.uriBaseId).toBe('SRCROOT');
        expect(location.uri).toMatch(/^corpus\//); // relative to the repository root, as code scanning wants
        expect(existsSync(fileURLToPath(new URL(location.uri, base)))).toBe(true);
      }
    } finally {
      elsewhere.cleanup();
    }
  });

  it('gives a file outside the root an absolute file:// uri with no base', async () => {
    const { stdout } = await dedupe([path.join(dir, 'corpus', 'b'), '--root', ROOT, '--format', 'sarif']);
    const location = (JSON.parse(stdout) as SarifLog).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation;
    expect(location.uriBaseId).toBeUndefined();
    expect(location.uri).toBe(pathToFileURL(path.join(dir, 'corpus', 'b', 'second.txt')).href);
  });

  it('names the files of dedupe body relative to it', async () => {
    const { stdout } = await dedupe(['body', '--root', 'fixtures', 'fixtures/seeds/000_07ea92c0e8dc5bc0.txt', 'fixtures/seeds/002_59aa2b53633dd852.txt']);
    expect(stdout.split('\n').filter((line) => line.startsWith('==> '))).toEqual(['==> seeds/000_07ea92c0e8dc5bc0.txt <==', '==> seeds/002_59aa2b53633dd852.txt <==']);
  });

  it('is an error when it is not a directory', async () => {
    const { status, stderr } = await dedupe(['fixtures/seeds', '--root', 'no/such/dir']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^dedupe: error: --root no\/such\/dir: no such directory\nhint: /);
  });
});

describe('one CLI: errors, suggestions, help', () => {
  const oneError = /^dedupe: error: [^\n]+\nhint: [^\n]+\n$/;

  it('prints every usage error as "dedupe: error: …" and a hint, commander\'s too, with exit 2', async () => {
    for (const args of [['fixtures/seeds', '--no-such-flag'], ['fixtures/seeds', '--threshold', 'x'], ['fixtures/seeds', '--threshold', '5'], ['no/such/dir'], ['body', '--ngram']]) {
      const { status, stdout, stderr } = await dedupe(args);
      expect([status, stdout], args.join(' ')).toEqual([2, '']);
      expect(stderr, args.join(' ')).toMatch(oneError);
    }
  });

  it('suggests the subcommand, the flag, the choice and the config key that were meant', async () => {
    expect((await dedupe(['bdy', 'fixtures/seeds'])).stderr).toBe('dedupe: error: bdy: no such file or directory\nhint: did you mean dedupe body?\n');
    expect((await dedupe(['fixtures/seeds', '--thresold', '0.5'])).stderr).toMatch(/\nhint: did you mean --threshold\?\n$/);
    expect((await dedupe(['fixtures/seeds', '--format', 'jsn'])).stderr).toMatch(/\nhint: did you mean json\?\n$/);
    const { dir: configDir, cleanup: done } = tempDir();
    try {
      writeFileSync(path.join(configDir, 'dedupe.config.json'), '{ "treshold": 0.9 }');
      const { status, stderr } = await dedupe([path.join(ROOT, 'fixtures/seeds')], { cwd: configDir });
      expect(status).toBe(2);
      expect(stderr).toBe('dedupe: error: dedupe.config.json: unknown key "treshold"\nhint: did you mean "threshold"?\n');
    } finally {
      done();
    }
  });

  it('dedupe help [command] prints the help, exit 0', async () => {
    const main = await dedupe(['help']);
    expect(main.status).toBe(0);
    expect(main.stdout).toMatch(/^Usage: dedupe /);
    expect(main.stdout).toMatch(/--max-clusters <n>/);
    const body = await dedupe(['help', 'body']);
    expect(body.status).toBe(0);
    expect(body.stdout).toMatch(/^Usage: dedupe body /);
    expect(await dedupe(['help', 'bdy'])).toEqual({ status: 2, stdout: '', stderr: 'dedupe: error: no command bdy\nhint: did you mean body?\n' });
  });

  it('--keep needs a value, so it never swallows the path after it; --list-kept lists the kept files', async () => {
    const swallowed = await dedupe(['--keep', 'fixtures/seeds']);
    expect(swallowed.status).toBe(2);
    expect(swallowed.stderr).toMatch(/argument 'fixtures\/seeds' is invalid[^\n]*\nhint: --keep takes longest or first; --list-kept/);
    const kept = await dedupe(['fixtures/seeds', '--format', 'paths', '--list-kept']);
    const dropped = await dedupe(['fixtures/seeds', '--format', 'paths']);
    expect(kept.stdout.trim().split('\n')).toHaveLength(3);
    expect(dropped.stdout.trim().split('\n')).toHaveLength(1);
    expect(kept.stdout).not.toContain(dropped.stdout.trim());
    expect((await dedupe(['fixtures/seeds', '--keep', 'first', '--format', 'json'])).status).toBe(1);
  });

  it('an option that does nothing in the chosen format is exit 2 on the command line, and fine in a config file', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['-0'], /^dedupe: error: -0 does nothing with --format text and no --files-from\n/],
      [['--format', 'json', '--max-clusters', '3'], /^dedupe: error: --max-clusters does nothing with --format json\nhint: it applies to --format text\n$/],
      [['--format', 'sarif', '--summary'], /--summary does nothing with --format sarif/],
      [['--format', 'json', '--show-unique'], /--show-unique does nothing/],
      [['--list-kept'], /--list-kept does nothing with --format text\nhint: it applies to --format paths\n$/],
      [['--format', 'github', '--show-boilerplate'], /--show-boilerplate does nothing with --format github/],
      [['--format', 'json', '--color'], /--color does nothing with --format json/],
    ];
    for (const [args, message] of cases) {
      const { status, stdout, stderr } = await dedupe(['fixtures/seeds', ...args]);
      expect([status, stdout], args.join(' ')).toEqual([2, '']);
      expect(stderr, args.join(' ')).toMatch(message);
    }
    const body = await dedupe(['body', 'fixtures/seeds', '--max-clusters', '3']);
    expect([body.status, body.stdout]).toEqual([2, '']);
    expect(body.stderr).toMatch(/^dedupe: error: --max-clusters does nothing with dedupe body\nhint: /);
    // What does act is accepted: -0 with --format paths, --no-color anywhere.
    expect((await dedupe(['fixtures/seeds', '--format', 'paths', '-0'])).status).toBe(1);
    expect((await dedupe(['fixtures/seeds', '--format', 'json', '--no-color'])).status).toBe(1);
    const { dir: configDir, cleanup: done } = tempDir();
    try {
      writeFileSync(path.join(configDir, 'dedupe.config.json'), '{ "max-clusters": 3, "show-unique": true }');
      const { status, stderr } = await dedupe([path.join(ROOT, 'fixtures/seeds'), '--format', 'json'], { cwd: configDir });
      expect([status, stderr]).toEqual([1, '']);
    } finally {
      done();
    }
  });
});
