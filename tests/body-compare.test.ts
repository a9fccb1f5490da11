import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCorpus, extractBodies, findPairs, sketchAll } from '../src/core/analyse.js';
import { analyseCorpus } from '../src/report/build.js';
import { DEFAULT_OPTIONS } from '../src/core/options.js';
import type { SourceDocument } from '../src/input/read.js';
import { TEMPLATE_MAX_WORDS } from '../src/segment/index.js';
import type { Report } from '../src/report/types.js';
import { dedupe, ROOT, SEEDS } from './helpers/cli.js';

const tool = { name: 'dedupe', version: 'test' };
const fixture = (name: string) => readFileSync(path.join(ROOT, 'fixtures/boilerplate', name), 'utf8');
const doc = (p: string, text: string): SourceDocument => ({ path: p, bytes: Buffer.byteLength(text), text });
const seeds = () => readdirSync(SEEDS).sort().map((f) => doc(`seeds/${f}`, readFileSync(path.join(SEEDS, f), 'utf8')));

const harbour = fixture('article-harbour.txt');
const library = fixture('article-library.txt');
const orchard = fixture('article-orchard.txt');
const courier = fixture('footer-courier.txt');
const gazette = fixture('footer-gazette.txt');

describe('deduplicating on the body', () => {
  it('seeds: 000 and 001 have body similarity 1.0; the full texts differ', async () => {
    const report = analyseCorpus(seeds(), DEFAULT_OPTIONS, { tool });
    expect(report.pairs).toHaveLength(1);
    const pair = report.pairs[0]!;
    expect(pair.bodySimilarity).toBe(1);
    expect(pair.similarity).toBe(pair.bodySimilarity);
    expect(pair.fullSimilarity).toBeLessThan(1);
  });

  it('does not cluster two different articles under one identical 10-line footer', async () => {
    expect(courier.trim().split('\n')).toHaveLength(10);
    const docs = [doc('harbour.txt', `${harbour}${courier}`), doc('library.txt', `${library}${courier}`)];
    const body = analyseCorpus(docs, DEFAULT_OPTIONS, { tool });
    expect(body.clusters).toEqual([]);
    // On the full text the shared footer does make them look alike: the body is what separates them.
    const full = analyseCorpus(docs, { ...DEFAULT_OPTIONS, compare: 'full', threshold: 0.15 }, { tool });
    expect(full.pairs).toHaveLength(1);
    expect(full.pairs[0]!.fullSimilarity).toBeGreaterThan(full.pairs[0]!.bodySimilarity);
  });

  it('clusters one article under two different footers, and with no footer at all', async () => {
    const docs = [doc('courier.txt', `${harbour}${courier}`), doc('gazette.txt', `${harbour}${gazette}`), doc('bare.txt', harbour)];
    const report = analyseCorpus(docs, DEFAULT_OPTIONS, { tool });
    expect(report.clusters).toHaveLength(1);
    expect(report.clusters[0]!.members).toHaveLength(3);
    for (const pair of report.pairs) {
      expect(pair.bodySimilarity).toBe(1);
      expect(pair.fullSimilarity).toBeLessThan(0.8);
    }
    // Comparing full texts, the footers keep them apart: the default is what finds them.
    expect(analyseCorpus(docs, { ...DEFAULT_OPTIONS, compare: 'full' }, { tool }).clusters.flatMap((c) => c.members)).not.toHaveLength(3);
  });
});

describe('template boilerplate across the corpus', () => {
  const tagline = 'The Valley Courier has served the towns and farms of the upper river valley since it was founded in 1921.';

  it('marks a line repeated under three different articles as boilerplate, whatever it looks like', async () => {
    const docs = [harbour, library, orchard].map((a, i) => doc(`a${i}.txt`, `${a}${tagline}\n`));
    const report = analyseCorpus(docs, DEFAULT_OPTIONS, { tool });
    for (const d of report.documents) {
      const last = d.segments.find((s) => s.endLine === d.lines)!;
      expect(last.kind).toBe('boilerplate');
      expect(last.reasons.join(' ')).toMatch(/repeated in 3 documents/);
    }
    // Alone, the same line reads as body: the corpus is what makes it a template.
    const alone = analyseCorpus([docs[0]!], DEFAULT_OPTIONS, { tool }).documents[0]!;
    expect(alone.segments.find((s) => s.endLine === alone.lines)!.kind).toBe('body');
  });

  it('leaves a sentence that several articles share inside their text as body (a quotation, not a template)', async () => {
    const quote = '"We will not accept any plan that leaves the valley without a hospital," the regional health minister told reporters.';
    const insert = (article: string) => {
      const lines = article.split('\n');
      lines.splice(3, 0, quote);
      return lines.join('\n');
    };
    const docs = [harbour, library, orchard].map((a, i) => doc(`q${i}.txt`, insert(a)));
    const report = analyseCorpus(docs, DEFAULT_OPTIONS, { tool });
    for (const d of report.documents) {
      const segment = d.segments.find((s) => s.startLine <= 4 && s.endLine >= 4)!;
      expect(segment.kind).toBe('body');
    }
  });

  it('leaves a shared sentence between long paragraphs as body: a paragraph of more than 30 words is article text around it', async () => {
    // Each article as a short headline and paragraphs of two sentences each (over 30 words, so
    // none could be a template line), the shared sentence after the first paragraph.
    const quote = '"We will not accept any plan that leaves the valley without a hospital," the regional health minister told reporters.';
    const longParagraphs = (article: string) => {
      const lines = article.trimEnd().split('\n').slice(1);
      const paragraphs: string[] = [];
      for (let i = 0; i + 1 < lines.length; i += 2) paragraphs.push(`${lines[i]} ${lines[i + 1]}`);
      expect(paragraphs.every((p) => p.split(' ').length > TEMPLATE_MAX_WORDS)).toBe(true);
      return ['Valley news in brief', paragraphs[0], quote, ...paragraphs.slice(1)].join('\n\n') + '\n';
    };
    const docs = [harbour, library, orchard, seeds()[2]!.text].map((a, i) => doc(`p${i}.txt`, longParagraphs(a)));
    const report = analyseCorpus(docs, DEFAULT_OPTIONS, { tool });
    for (const d of report.documents) {
      const segment = d.segments.find((s) => s.startLine <= 5 && s.endLine >= 5)!;
      expect([d.path, segment.kind]).toEqual([d.path, 'body']);
    }
  });

  it('keeps a long paragraph that unrelated documents quote in the body of the article it comes from', async () => {
    // Forty words closing the article, quoted in replies to three other articles: recurring in
    // four unrelated documents is what makes a line template, but a paragraph this long is the
    // article quoted, not a footer.
    const closing =
      'Members of the authority said the final design would be put on show in the library for a month, and that residents who wanted to comment on it could do so in writing or at two open meetings in the old market hall.';
    expect(closing.split(' ').length).toBeGreaterThan(TEMPLATE_MAX_WORDS);
    const article = `${harbour}${closing}\n`;
    const quoting = (text: string) => `${text}\n${closing}\n`;
    const docs = [
      doc('a1.txt', article),
      doc('a2.txt', article.replace(' the ', ' a ')),
      doc('q1.txt', quoting(library)),
      doc('q2.txt', quoting(orchard)),
      doc('q3.txt', quoting(seeds()[2]!.text)),
    ];
    const report = analyseCorpus(docs, DEFAULT_OPTIONS, { tool });
    for (const d of report.documents.slice(0, 2)) {
      const last = d.segments.find((s) => s.endLine === d.lines)!;
      expect(last.kind).toBe('body');
      expect(last.reasons.join(' ')).not.toMatch(/repeated in/);
    }
    expect(report.clusters.map((c) => c.members.map((m) => m.path))).toEqual([['a1.txt', 'a2.txt']]);
  });

  it('keeps a short paragraph that replies quote in the body of the article it comes from', async () => {
    // Replies to three other threads quote the harbour article's opening paragraph under an
    // attribution: the paragraph recurs in four unrelated documents, as an outlet's tagline
    // would, above the rest of the article (a short headline, long paragraphs, blank lines
    // between, as news wires lay it out), but a quoted paragraph is the article cited.
    const lines = harbour.trimEnd().split('\n');
    lines[0] = 'Fish market plan approved';
    const quoted = `${lines[1]!.split(' ').slice(0, 20).join(' ')}.`;
    lines[1] = quoted;
    const paragraph = 2; // 0-based: the headline, a blank line, the paragraph
    const article = `${lines.join('\n\n')}\n`;
    const reply = (name: string, answer: string) => `${name} wrote:\n> ${quoted}\n\n${answer}`;
    const docs = [
      doc('article.txt', article),
      doc('r1.txt', reply('Jane Doe', library)),
      doc('r2.txt', reply('John Roe', orchard)),
      doc('r3.txt', reply('Ann Poe', seeds()[2]!.text)),
    ];
    const report = analyseCorpus(docs, DEFAULT_OPTIONS, { tool });
    const inArticle = report.documents[0]!.segments.find((s) => s.startLine <= paragraph + 1 && s.endLine >= paragraph + 1)!;
    expect(inArticle.kind).toBe('body');
    expect(inArticle.reasons.join(' ')).not.toMatch(/repeated in/);
    // Unquoted, the same paragraph in the same three documents is an outlet's line: the rule is about quoting.
    const unquoted = docs.map((d, i) => (i === 0 ? d : doc(d.path, d.text.replace(`> ${quoted}`, quoted))));
    const lineOf = analyseCorpus(unquoted, DEFAULT_OPTIONS, { tool }).documents[0]!.segments.find((s) => s.startLine <= paragraph + 1 && s.endLine >= paragraph + 1)!;
    expect(lineOf.reasons.join(' ')).toMatch(/repeated in 4 documents/);
  });

  it("keeps an article's headline that briefs repeat as its headline, and a recurring sentence above the article as template", async () => {
    // Three briefs repeat the harbour article's headline above a sentence of their own: the line
    // recurs in four unrelated documents, right above each one's text, and is each one's title.
    const [headline, ...rest] = harbour.trimEnd().split('\n');
    const article = `${headline}\n\n${rest.join('\n\n')}\n`;
    const sentenceOf = (text: string) => text.split('\n').find((line) => line.split(' ').length > 20)!;
    const briefs = [library, orchard, seeds()[2]!.text].map((text, i) => doc(`brief${i}.txt`, `${headline}\n${sentenceOf(text)}\n`));
    const report = analyseCorpus([doc('article.txt', article), ...briefs], DEFAULT_OPTIONS, { tool });
    for (const d of report.documents) {
      const first = d.segments.find((s) => s.startLine === 1)!;
      expect([d.path, first.kind, first.reasons.some((r) => r.startsWith('repeated in'))]).toEqual([d.path, 'body', false]);
    }
    // A line that ends like a sentence is no title: above the article in four documents, it is the outlet's.
    const above = (text: string) => `${tagline}\n\n${text}`;
    const tagged = analyseCorpus([doc('article.txt', above(article)), ...briefs.map((b) => doc(b.path, above(b.text)))], DEFAULT_OPTIONS, { tool });
    for (const d of tagged.documents) {
      const first = d.segments.find((s) => s.startLine === 1)!;
      expect([d.path, first.kind, first.reasons[0]]).toEqual([d.path, 'boilerplate', 'repeated in 4 documents']);
    }
  });

  it('after the template pass changes some bodies, finds the same pairs as a search from scratch', async () => {
    // The tagline becomes template in the harbour copies, library and orchard, and their bodies
    // shrink; the seeds' pair is untouched. Near-duplicates on both sides of that line.
    const docs = [
      ...seeds(),
      doc('h1.txt', `${harbour}${tagline}\n`),
      // One word changed: a near-duplicate, not an identical copy (those never go through the pair search).
      doc('h2.txt', `${harbour.replace(' the ', ' a ')}${tagline}\n`),
      doc('l.txt', `${library}${tagline}\n`),
      doc('o.txt', `${orchard}${tagline}\n`),
    ];
    const state = buildCorpus(docs, sketchAll(docs, DEFAULT_OPTIONS), DEFAULT_OPTIONS);
    expect(state.resketched?.some((v) => v === 1)).toBe(true);
    const incremental = findPairs(state);
    const fromScratch = findPairs({ ...state, verifiedCache: undefined, resketched: undefined });
    expect(incremental).toEqual(fromScratch);
    expect(incremental.map(({ a, b }) => [docs[a]!.path, docs[b]!.path])).toEqual(
      expect.arrayContaining([expect.arrayContaining(['h1.txt', 'h2.txt'])]),
    );
    expect(incremental.length).toBeGreaterThanOrEqual(2);
  });

  it('does not let copies of one article vote: three copies keep their body and still cluster', async () => {
    const docs = [doc('c1.txt', harbour), doc('c2.txt', harbour), doc('c3.txt', harbour), doc('other.txt', library)];
    const report = analyseCorpus(docs, DEFAULT_OPTIONS, { tool });
    expect(report.clusters).toHaveLength(1);
    expect(report.clusters[0]!.members.map((m) => m.path)).toEqual(['c1.txt', 'c2.txt', 'c3.txt']);
    for (const d of report.documents.slice(0, 3)) expect(d.counts.boilerplateLines).toBe(0);
  });
});

describe('reporting boilerplate', () => {
  it('says what each cluster member adds, by category and line range', async () => {
    const { stdout } = await dedupe(['fixtures/seeds']);
    expect(stdout).toMatch(/000_07ea92c0e8dc5bc0\.txt adds bio \(lines 19–20\) and legal \(line 21\)/);
    expect(stdout).toMatch(/all share boilerplate: promo/);
    expect(stdout).toMatch(/promo lines 6–18: "GET TODAY NEWSMAX\+:"/);
    expect(stdout).toMatch(/credit line 13: "ROBERTO SCHMIDT\/AFP via Getty Images;/);
  });

  it('shows reasons with -v and full segments with --show-boilerplate', async () => {
    const verbose = (await dedupe(['fixtures/seeds', '-v'])).stdout;
    expect(verbose).toMatch(/legal line 21: .*\[\d\.\d\d; .*cue:"all rights reserved"/);
    expect(verbose).toMatch(/body lines 1–5: /);
    const full = (await dedupe(['fixtures/seeds', '--show-boilerplate'])).stdout;
    expect(full).toMatch(/│ Start your FREE trial now: NewsmaxPlus\.com/);
  });

  it('gives segments and counts per document in JSON', async () => {
    const report = JSON.parse((await dedupe(['fixtures/seeds', '--format', 'json'])).stdout) as Report;
    const first = report.documents[0]!;
    expect(first.segments[0]).toMatchObject({ startLine: 1, endLine: 5, kind: 'body' });
    expect(first.counts).toMatchObject({ bodyLines: 5, boilerplateLines: 16, categories: { promo: 13, bio: 2, legal: 1 } });
    expect(report.documents.some((d) => d.counts.blankLines > 0)).toBe(true);
    for (const d of report.documents) {
      // `lines` counts every line; the counts split them into body, boilerplate and blank.
      expect(d.counts.bodyLines + d.counts.boilerplateLines + d.counts.blankLines, d.path).toBe(d.lines);
      for (const s of d.segments) {
        expect(s.confidence).toBeGreaterThanOrEqual(0);
        expect(s.confidence).toBeLessThanOrEqual(1);
        expect(Array.isArray(s.reasons)).toBe(true);
      }
    }
  });

  it('`dedupe body` prints only the article body', async () => {
    const { status, stdout } = await dedupe(['body', 'fixtures/seeds/000_07ea92c0e8dc5bc0.txt']);
    expect(status).toBe(0);
    const original = readFileSync(path.join(SEEDS, '000_07ea92c0e8dc5bc0.txt'), 'utf8').split('\n');
    expect(stdout).toBe(`${original.slice(0, 5).join('\n')}\n`);
    const bodies = extractBodies([doc('h.txt', `${harbour}${courier}`)], DEFAULT_OPTIONS);
    expect(bodies[0]).toBe(harbour.trimEnd());
  });
});

describe('--no-boilerplate', () => {
  it('labels every line body and compares full texts', async () => {
    const { status, stdout } = await dedupe(['fixtures/seeds', '--no-boilerplate', '--format', 'json']);
    const report = JSON.parse(stdout) as Report;
    for (const d of report.documents) {
      expect(d.counts.boilerplateLines).toBe(0);
      expect(d.segments.every((s) => s.kind === 'body')).toBe(true);
    }
    // 000 and 001 differ only by 000's bio and copyright: still near-duplicates on the full text.
    expect(report.clusters).toHaveLength(1);
    expect(report.pairs[0]!.similarity).toBeLessThan(1);
    expect(status).toBe(1);
  });
});
