import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachContainmentCandidate } from '../src/candidates/ensemble.js';
import { MAX_CONTAINERS_PER_DOCUMENT } from '../src/core/containment.js';
import { OnePermutationHasher } from '../src/sketch/oph.js';
import { sharedIfContained } from '../src/verify/containment.js';
import { dedupe, SEEDS, tempDir } from './helpers/cli.js';
import { seededRandom, setPair } from './helpers/random.js';
import { reportSchemaErrors, sarifSchemaErrors } from './helpers/schema.js';

// Texts of made-up words from a seeded generator: no corpus text. A vocabulary of thousands of
// words keeps unrelated documents from sharing 5-word shingles by chance.
function prose(seed: number) {
  const random = seededRandom(seed);
  const syllables = ['ka', 'lo', 'mir', 'ten', 'sa', 'vu', 'dre', 'pon', 'li', 'gas', 'ho', 'ne', 'tru', 'bel', 'sic', 'om', 'fa', 'zed', 'qui', 'ran'];
  const glue = ['the', 'of', 'and', 'to', 'in', 'a', 'that', 'was', 'for', 'on', 'with', 'said'];
  const word = () => {
    if (random() < 0.3) return glue[Math.floor(random() * glue.length)]!;
    let w = '';
    const n = 2 + Math.floor(random() * 3);
    for (let i = 0; i < n; i++) w += syllables[Math.floor(random() * syllables.length)];
    return w;
  };
  const sentence = () => {
    const words = Array.from({ length: 8 + Math.floor(random() * 12) }, word);
    return `${words[0]!.charAt(0).toUpperCase()}${words.join(' ').slice(1)}.`;
  };
  /** An article of about `words` words, in paragraphs of three or four sentences. */
  return (words: number) => {
    const paragraphs: string[] = [];
    let count = 0;
    while (count < words) {
      const p = Array.from({ length: 3 + Math.floor(random() * 2) }, sentence).join(' ');
      count += p.split(' ').length;
      paragraphs.push(p);
    }
    return paragraphs.join('\n\n');
  };
}

function writeCorpus(dir: string, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), `${text}\n`);
  }
}

interface ContainmentJson {
  contained: string;
  container: string;
  containment: number;
  similarity: number;
}

const json = async (args: string[], cwd: string) => {
  const result = await dedupe([...args, '--format', 'json'], { cwd });
  return { ...result, report: JSON.parse(result.stdout) as { containments?: ContainmentJson[]; summary: { contained?: number }; warnings: Array<{ path: string; message: string }> } };
};

describe('--containment', () => {
  let corpus: { dir: string; cleanup: () => void };
  beforeAll(() => {
    corpus = tempDir();
    const article = prose(1);
    const first = article(350);
    const second = article(420);
    const files: Record<string, string> = {
      'wire/harbour.txt': first,
      'wire/orchard.txt': second,
      // A page that carries two stories: each lies wholly inside it; Jaccard about 0.45.
      'site/digest.txt': `${first}\n\n${second}`,
    };
    for (let i = 0; i < 12; i++) files[`other/${i}.txt`] = article(150 + 60 * i);
    writeCorpus(corpus.dir, files);
  });
  afterAll(() => corpus.cleanup());

  it('reports an article inside a longer file with another article, and nothing without the option', async () => {
    const on = await json(['.', '--containment', '0.8'], corpus.dir);
    expect(on.status).toBe(1);
    const found = on.report.containments!.map((c) => [c.contained, c.container]);
    expect(found).toEqual([
      ['wire/harbour.txt', 'site/digest.txt'],
      ['wire/orchard.txt', 'site/digest.txt'],
    ]);
    for (const c of on.report.containments!) {
      expect(c.containment).toBeGreaterThanOrEqual(0.9);
      expect(c.similarity).toBeLessThan(0.8);
    }
    expect(on.report.summary.contained).toBe(2);
    expect(reportSchemaErrors(on.report)).toEqual([]);

    const off = await json(['.'], corpus.dir);
    expect(off.status).toBe(0);
    expect(off.report.containments).toBeUndefined();
    expect(off.stdout).not.toMatch(/contained|containments|containmentCurve/);

    const text = await dedupe(['.', '--containment', '0.8'], { cwd: corpus.dir });
    expect(text.stdout).toContain('wire/harbour.txt is contained in site/digest.txt (100.0%)');
    expect(text.stdout).toMatch(/2 contained/);
  });

  it('does not merge clusters; lists contained documents to drop only with --drop-contained', async () => {
    const on = await json(['.', '--containment', '0.8'], corpus.dir);
    expect(JSON.parse((await dedupe(['.', '--containment', '0.8', '--format', 'json'], { cwd: corpus.dir })).stdout).clusters).toEqual([]);
    expect(on.report.containments!.length).toBe(2);
    const paths = await dedupe(['.', '--containment', '0.8', '--format', 'paths'], { cwd: corpus.dir });
    expect(paths.stdout).toBe('');
    const drop = await dedupe(['.', '--containment', '0.8', '--format', 'paths', '--drop-contained'], { cwd: corpus.dir });
    expect(drop.stdout.split('\n').filter(Boolean).sort()).toEqual(['wire/harbour.txt', 'wire/orchard.txt']);
    const keep = await dedupe(['.', '--containment', '0.8', '--format', 'paths', '--drop-contained', '--list-kept'], { cwd: corpus.dir });
    expect(keep.stdout).toContain('site/digest.txt\n');
    expect(keep.stdout).not.toContain('wire/harbour.txt');
    const usage = await dedupe(['.', '--drop-contained', '--format', 'paths'], { cwd: corpus.dir });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--drop-contained needs --containment/);
    // Exit 1 is a finding; --exit-zero and --max-duplicates apply to containments too.
    expect((await dedupe(['.', '--containment', '0.8', '--exit-zero'], { cwd: corpus.dir })).status).toBe(0);
    expect((await dedupe(['.', '--containment', '0.8', '--max-duplicates', '2'], { cwd: corpus.dir })).status).toBe(0);
  });

  it('shows containments in SARIF (own rule), GitHub annotations and NDJSON', async () => {
    const sarif = JSON.parse((await dedupe(['.', '--containment', '0.8', '--format', 'sarif'], { cwd: corpus.dir })).stdout);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toContain('contained-document');
    const results = run.results.filter((r: { ruleId: string }) => r.ruleId === 'contained-document');
    expect(results).toHaveLength(2);
    expect(results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/^wire\//);
    expect(results[0].relatedLocations[0].physicalLocation.artifactLocation.uri).toBe('site/digest.txt');

    const github = (await dedupe(['.', '--containment', '0.8', '--format', 'github'], { cwd: corpus.dir })).stdout;
    expect(github).toMatch(/^::warning file=wire\/harbour\.txt,line=1,title=Contained in site\/digest\.txt::wire\/harbour\.txt is contained in site\/digest\.txt \(100\.0%/m);
    expect(github).toMatch(/2 containments/);

    const lines = (await dedupe(['.', '--containment', '0.8', '--format', 'ndjson'], { cwd: corpus.dir })).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const messages = lines.filter((m) => m.type === 'containment');
    expect(messages).toHaveLength(2);
    for (const m of lines) expect(reportSchemaErrors(m, 'ndjsonMessage')).toEqual([]);
    const off = (await dedupe(['.', '--format', 'sarif'], { cwd: corpus.dir })).stdout;
    expect(off).not.toContain('contained-document');
  });

  it('finds a short excerpt in a document twenty times longer, and no containment between unrelated documents', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const article = prose(2);
      const files: Record<string, string> = {};
      const excerpt = article(100);
      const long = article(2000).split('\n\n');
      long.splice(long.length >> 1, 0, excerpt);
      files['long/report.txt'] = long.join('\n\n');
      files['excerpt.txt'] = excerpt;
      // Unrelated documents of every size from 40 to 2,400 words.
      for (let i = 0; i < 40; i++) files[`unrelated/${i}.txt`] = article(40 + 60 * i);
      writeCorpus(dir, files);
      const { report, status } = await json(['.', '--containment', '0.8'], dir);
      expect(status).toBe(1);
      expect(report.containments).toEqual([expect.objectContaining({ contained: 'excerpt.txt', container: 'long/report.txt', containment: 1 })]);

      const unrelated = await json(['unrelated', '--containment', '0.5'], dir);
      expect(unrelated.status).toBe(0);
      expect(unrelated.report.containments).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('caps and warns when tiny documents lie inside many others', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const article = prose(3);
      const tiny = Array.from({ length: 5 }, () => article(25));
      const files: Record<string, string> = {};
      tiny.forEach((t, i) => (files[`tiny/${i}.txt`] = t));
      // 300 different pages, each carrying every tiny text.
      for (let i = 0; i < 300; i++) files[`pages/${i}.txt`] = [article(60), ...tiny].join('\n\n');
      writeCorpus(dir, files);
      const started = performance.now();
      // Full texts: on bodies, text recurring in hundreds of pages is the outlet's template, not body.
      const { report, status, stderr } = await json(['.', '--containment', '0.8', '--compare', 'full'], dir);
      expect(performance.now() - started).toBeLessThan(20_000);
      expect(status).toBe(1);
      for (let i = 0; i < 5; i++) {
        const listed = report.containments!.filter((c) => c.contained === `tiny/${i}.txt`);
        expect(listed).toHaveLength(MAX_CONTAINERS_PER_DOCUMENT);
        expect(report.warnings).toContainEqual({ path: `tiny/${i}.txt`, message: expect.stringMatching(/contained in more than 20 documents/) });
      }
      expect(stderr).toMatch(/tiny\/0\.txt: contained in more than 20 documents/);
      expect(report.containments!.length).toBeLessThanOrEqual(MAX_CONTAINERS_PER_DOCUMENT * 305);
    } finally {
      cleanup();
    }
  });

  it('with --against: reports containments with an incoming document, sides given, never two baseline documents', async () => {
    // site/ incoming, wire/ and other/ the baseline: the incoming digest holds two baseline articles.
    const incoming = await json(['site', '--against', 'wire', 'other', '--containment', '0.8'], corpus.dir);
    expect(incoming.status).toBe(1);
    expect(incoming.report.containments).toEqual([
      expect.objectContaining({ contained: 'wire/harbour.txt', container: 'site/digest.txt', containedSide: 'baseline', containerSide: 'incoming' }),
      expect.objectContaining({ contained: 'wire/orchard.txt', container: 'site/digest.txt', containedSide: 'baseline', containerSide: 'incoming' }),
    ]);
    // The incoming digest holds baseline articles: it is the finding, counted once; nothing to drop.
    expect(incoming.report.summary.contained).toBe(1);
    const drop = await dedupe(['site', '--containment', '0.8', '--format', 'paths', '--drop-contained', '--against', 'wire'], { cwd: corpus.dir });
    expect(drop.stdout).toBe('');
    // Both sides baseline: not looked at.
    const baselineOnly = await json(['other', '--against', 'wire', 'site', '--containment', '0.8'], corpus.dir);
    expect(baselineOnly.report.containments).toEqual([]);
    expect(baselineOnly.status).toBe(0);
  });

  it('leaves every output byte-identical when off: the seeds and a generated corpus', async () => {
    const strip = (out: string) => {
      const r = JSON.parse(out);
      delete r.containments;
      delete r.params.containment;
      delete r.params.containmentCurve;
      delete r.summary.contained;
      r.warnings = r.warnings.filter((w: { message: string }) => !/contained in more than|containment search/.test(w.message));
      return JSON.stringify(r, null, 2);
    };
    for (const [target, cwd] of [
      [SEEDS, undefined],
      ['.', corpus.dir],
    ] as const) {
      const off = await dedupe([target, '--format', 'json'], { cwd });
      const zero = await dedupe([target, '--format', 'json', '--containment', '0'], { cwd });
      const on = await dedupe([target, '--format', 'json', '--containment', '0.8'], { cwd });
      expect(zero.stdout).toBe(off.stdout);
      // The option adds its own fields and changes nothing else.
      expect(strip(on.stdout)).toBe(JSON.stringify(JSON.parse(off.stdout), null, 2));
      for (const format of ['text', 'sarif', 'github', 'ndjson', 'paths']) {
        const out = (await dedupe([target, '--format', format], { cwd })).stdout;
        expect(out).not.toMatch(/contained|containments|containmentCurve/i);
      }
    }
  });
});

describe('containment search', () => {
  it('checks exactly: shared shingles when at least the threshold of the smaller set, else -1', () => {
    const random = seededRandom(5);
    const [a, b] = setPair(random, 90, 10, 2000); // 90% of a inside b
    expect(sharedIfContained(a, b, 0.9)).toBe(90);
    expect(sharedIfContained(b, a, 0.9)).toBe(90);
    expect(sharedIfContained(a, b, 0.91)).toBe(-1);
  });

  it('partitions by size: the excerpt is a candidate either way, with far fewer candidates than one partition', () => {
    const random = seededRandom(9);
    const hasher = new OnePermutationHasher(128, 1);
    const sets: Uint32Array[] = [];
    // Documents of sizes from 30 to 3,000 that share a few shingles with each other (common phrases).
    const common = Array.from({ length: 200 }, () => Math.floor(random() * 2 ** 32));
    for (let i = 0; i < 300; i++) {
      const size = Math.round(30 * Math.pow(100, i / 299));
      const values = new Set<number>();
      while (values.size < size) values.add(random() < 0.05 ? common[Math.floor(random() * common.length)]! : Math.floor(random() * 2 ** 32));
      sets.push(Uint32Array.from(values).sort());
    }
    // An excerpt of 100 shingles inside the document of 2,000.
    const host = sets.findIndex((s) => s.length >= 2000);
    const excerpt = Uint32Array.from(sets[host]!.filter(() => random() < 100 / sets[host]!.length)).sort();
    sets.push(excerpt);
    const signatures = new Uint32Array(sets.length * 128);
    sets.forEach((s, d) => hasher.sketchInto(s, signatures, d * 128));
    const docs = sets.map((_, d) => d);
    const sizes = sets.map((s) => s.length);
    const run = (partitions: number) => {
      const pairs: Array<[number, number]> = [];
      forEachContainmentCandidate(signatures, docs, sizes, { numPerm: 128, threshold: 0.8, recall: 0.99, partitions }, (a, b) => {
        pairs.push([a, b]);
      });
      return pairs;
    };
    const partitioned = run(16);
    const single = run(1);
    const excerptPair = ([a, b]: [number, number]) => a === sets.length - 1 && b === host;
    expect(partitioned.some(excerptPair)).toBe(true);
    expect(single.some(excerptPair)).toBe(true);
    // Every pair once, the smaller set first.
    expect(new Set(partitioned.map(([a, b]) => `${a},${b}`)).size).toBe(partitioned.length);
    for (const [a, b] of partitioned) expect(sizes[a]!).toBeLessThanOrEqual(sizes[b]!);
    expect(partitioned.length * 2).toBeLessThan(single.length);
  });
});
