import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLayout, type Layout } from '../src/layout/index.js';
import { headerFieldLength, quotedProse } from '../src/layout/layout.js';
import { LAYOUT } from '../src/layout/params.js';
import { mulberry32 } from '../src/types/numbers.js';
import { documentLines } from '../src/core/document.js';
import { classifyLines, segmentLines } from '../src/segment/index.js';
import { dedupe, tempDir } from './helpers/cli.js';
import { layOut, wrap, type ParagraphStyle } from './helpers/wrap.js';

// Paragraphs written for these tests: long and short ones, one that is a single short sentence.
const STORY = [
  'The water company said on Friday that it would replace the main pipe under the high street over the summer, closing the road to traffic for six weeks while the work is carried out in stages.',
  'Shopkeepers on the street said they had not been consulted and feared that the closure would keep customers away during the busiest part of the year, when visitors come for the festival.',
  '"We understand the disruption this causes," a spokeswoman said.',
  'The company said the old pipe, laid more than a century ago, had burst four times in the past two years, each time flooding cellars and cutting off the supply to several hundred homes for a day or more.',
  'A temporary pipe will run along the pavement while the work goes on, and the company has promised that no household will be without water for more than a few hours at a time during the switch-over.',
  'Council officers will meet the traders next week to discuss parking and deliveries, and a bus diversion will be announced once the dates of each stage are known.',
];

/**
 * With nothing between paragraphs, a paragraph whose last line is full (the next word would not
 * have fitted) cannot be told from a wrapped line: the two paragraphs read as one block.
 */
function mergeFullEndings(lines: readonly string[], spans: ReadonlyArray<[number, number]>, width: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [start, end] of spans) {
    const previous = out[out.length - 1];
    const last = previous ? lines[previous[1]]! : '';
    const firstWord = lines[start]!.trim().split(' ')[0]!;
    if (previous && last.length + 1 + firstWord.length > width - 1) previous[1] = end;
    else out.push([start, end]);
  }
  return out;
}

const spansOf = (layout: Layout): Array<[number, number]> => layout.blocks.map((b) => [b.start, b.end]);
const LAYOUTS = join(import.meta.dirname, '..', 'fixtures', 'layouts');
const fixture = (name: string): string[] => documentLines(readFileSync(join(LAYOUTS, name), 'utf8'));

describe('paragraphs before labels', () => {
  it('keeps one block per line when each paragraph is one line', async () => {
    for (const lines of [STORY, STORY.flatMap((p, i) => (i > 0 ? ['', p] : [p]))]) {
      const layout = detectLayout(lines);
      expect(layout.kind).toBe('lines');
      expect(layout.blocks).toHaveLength(STORY.length);
      for (const b of layout.blocks) expect(b.end).toBe(b.start);
    }
  });

  const styles: ParagraphStyle[] = ['blank', 'indent', 'none'];
  for (const style of styles) {
    it(`rebuilds hard-wrapped paragraphs (${style === 'none' ? 'no separator' : style === 'blank' ? 'blank lines' : 'indented first lines'}) at any width from 58 to 78`, async () => {
      for (let width = 58; width <= 78; width += 4) {
        const { lines, spans } = layOut(STORY, width, style);
        const layout = detectLayout(lines);
        expect(layout.kind, `width ${width}`).toBe('wrapped');
        expect(spansOf(layout), `width ${width}`).toEqual(style === 'none' ? mergeFullEndings(lines, spans, width) : spans);
      }
    });
  }

  it('does not join list items or table rows, but joins a dash that continues a sentence', async () => {
    const intro = wrap('The committee published its recommendations on Monday, and the three that matter most to residents are these, in the order the report gives them:', 64);
    const items = ['- Extend the opening hours of the recycling centre', '- Collect garden waste every week in summer', '- Publish the collection calendar online'];
    const table = ['Ward          Households   Collections', 'North         4,120        52', 'South         3,870        52'];
    // At width 64 this sentence breaks right before a dash.
    const dashed = wrap('Officials said the plan, which had been delayed twice by the budget row at the council - and by a dispute over who should pay - would now go ahead.', 64);
    expect(dashed.slice(1).some((line) => line.startsWith('- '))).toBe(true);
    const body = wrap(STORY[0]!, 64).concat(wrap(STORY[1]!, 64));
    const lines = [...body, '', ...intro, ...items, '', ...table, '', ...dashed];
    const layout = detectLayout(lines);
    expect(layout.kind).toBe('wrapped');
    const starts = layout.blocks.map((b) => lines[b.start]);
    for (const item of items) expect(starts).toContain(item);
    for (const row of table) expect(starts).toContain(row);
    const dashedBlock = layout.blocks.find((b) => lines[b.start] === dashed[0])!;
    expect(dashedBlock.end - dashedBlock.start + 1).toBe(dashed.length);
  });

  it('labels every physical line of a wrapped document with its paragraph\'s label, keeping line numbers', async () => {
    const { lines } = layOut(STORY, 66, 'blank');
    const labels = classifyLines(lines);
    lines.forEach((line, i) => expect(labels[i]!.kind, `line ${i + 1}`).toBe(line === '' ? 'blank' : 'body'));
    expect(segmentLines(lines)).toEqual([expect.objectContaining({ startLine: 1, endLine: lines.length, kind: 'body' })]);
  });

  it('reads a hard-wrapped wire story as article body, sign-off included', async () => {
    const lines = fixture('wire-story.txt');
    expect(detectLayout(lines).kind).toBe('wrapped');
    expect(segmentLines(lines)).toEqual([expect.objectContaining({ startLine: 1, endLine: lines.length, kind: 'body' })]);
  });

  it('finds the promo and the copyright line under a newsletter with indented paragraphs', async () => {
    const lines = fixture('newsletter-indented.txt');
    const labels = classifyLines(lines);
    const promo = lines.findIndex((l) => l.startsWith('Like this newsletter?'));
    const legal = lines.findIndex((l) => l.startsWith('Copyright'));
    expect(labels[promo]).toMatchObject({ kind: 'boilerplate', category: 'promo' });
    expect(labels[legal]).toMatchObject({ kind: 'boilerplate', category: 'legal' });
    for (let i = 0; i < promo; i++) if (lines[i]!.trim() !== '') expect(labels[i]!.kind, `line ${i + 1}`).toBe('body');
  });
});

describe('mail and Usenet structure', () => {
  it('labels the header block, the quoted text with its attribution, and the signature; the reply is the body', async () => {
    const lines = fixture('usenet-reply-ann.txt');
    const labels = classifyLines(lines);
    const at = (start: string) => lines.findIndex((l) => l.startsWith(start));
    for (let i = 0; i < at('Lines:') + 1; i++) expect(labels[i], `line ${i + 1}`).toMatchObject({ kind: 'boilerplate', category: 'header' });
    expect(labels[at('In article <')]).toMatchObject({ kind: 'boilerplate', category: 'quote' });
    lines.forEach((line, i) => {
      if (line.startsWith('>')) expect(labels[i], `line ${i + 1}`).toMatchObject({ kind: 'boilerplate', category: 'quote' });
    });
    for (let i = at('-- '); i < lines.length; i++) expect(labels[i], `line ${i + 1}`).toMatchObject({ kind: 'boilerplate', category: 'signature' });
    for (let i = at('Yellowing'); i < at('-- '); i++) if (lines[i]!.trim() !== '') expect(labels[i]!.kind, `line ${i + 1}`).toBe('body');
  });

  it('recognises "On … wrote:" attributions and nested quotes without a header', async () => {
    const own = wrap(STORY[0]!, 70).concat([''], wrap(STORY[3]!, 70));
    const lines = [
      'On Tue, 3 Mar 2009 at 10:14, Jane Example <jane@example.org>',
      'wrote:',
      '> > The first message, quoted twice over by now, which nobody reads',
      '> > any more but which every reply still carries along with it.',
      '> And the second message, which answered the first one at length and',
      '> was itself quoted in full by the next person who replied to it.',
      '',
      ...own,
    ];
    const labels = classifyLines(lines);
    for (let i = 0; i < 6; i++) expect(labels[i], `line ${i + 1}`).toMatchObject({ kind: 'boilerplate', category: 'quote' });
    for (let i = 7; i < lines.length; i++) if (lines[i] !== '') expect(labels[i]!.kind, `line ${i + 1}`).toBe('body');
  });

  it('does not take a web page\'s "> Section" breadcrumbs for quoted mail', async () => {
    const lines = ['> News', '> World', '> Europe', ...STORY];
    const layout = detectLayout(lines);
    expect(layout.blocks.every((b) => b.role === 'text')).toBe(true);
  });
});

describe('the default comparison on other layouts (CLI)', () => {
  const wire = readFileSync(join(LAYOUTS, 'wire-story.txt'), 'utf8');

  it('reports two copies of a hard-wrapped wire story, and its one-paragraph-per-line original, as one cluster', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, 'a.txt'), wire);
      writeFileSync(join(dir, 'b.txt'), wire);
      // The same story as a web page would render it: one paragraph per line.
      const paragraphs = detectLayout(documentLines(wire)).blocks.map((b) => documentLines(wire).slice(b.start, b.end + 1).join(' ').trim());
      writeFileSync(join(dir, 'c.txt'), `${paragraphs.join('\n')}\n`);
      const result = await dedupe([dir, '--format', 'json']);
      expect(result.status).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.clusters).toHaveLength(1);
      expect(report.clusters[0].members.map((m: { path: string }) => m.path.split('/').pop()).sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
      for (const doc of report.documents) expect(doc).toMatchObject({ compared: 'body', counts: { boilerplateLines: 0 } });
      expect(report.documents.find((d: { path: string }) => d.path.endsWith('c.txt')).layout.kind).toBe('lines');
      expect(report.documents.find((d: { path: string }) => d.path.endsWith('a.txt')).layout).toMatchObject({ kind: 'wrapped', width: 68 });
    } finally {
      cleanup();
    }
  });

  it('does not pair two replies that quote the same message, and `dedupe body` prints only the author\'s own text', async () => {
    const replies = ['usenet-reply-ann.txt', 'usenet-reply-raj.txt'].map((f) => join(LAYOUTS, f));
    const result = await dedupe([...replies, '--format', 'json', '--threshold', '0.5']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).pairs).toEqual([]);
    const body = await dedupe(['body', replies[0]!]);
    expect(body.status).toBe(0);
    expect(body.stdout).toContain('Yellowing of the oldest leaves');
    for (const line of body.stdout.split('\n')) {
      expect(line).not.toMatch(/^(>|From:|Subject:|In article|-- |Ann Field, )/);
    }
  });

  it('compares a document on its full text when its detected body is too small to trust, and says so', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const page = [
        'Home | News | Sport | Weather | Contact us',
        'Subscribe now and get three months free!',
        'Sign up for our newsletter to get the best stories in your inbox.',
        'Follow us on Twitter and Facebook for the latest updates.',
        'Read more: the ten most popular stories this week',
        'Short note.',
        'Terms of use | Privacy policy | Cookie settings',
        'Copyright 2025 Example Media. All rights reserved.',
      ].join('\n');
      writeFileSync(join(dir, 'page.txt'), `${page}\n`);
      const report = JSON.parse((await dedupe([dir, '--format', 'json'])).stdout);
      expect(report.documents[0]).toMatchObject({ compared: 'full' });
      expect(report.documents[0].comparedReason).toMatch(/too small to trust/);
      const text = (await dedupe([dir])).stdout;
      expect(text).toMatch(/Compared on full text \(1\)/);
    } finally {
      cleanup();
    }
  });
});

describe('signature boxes', () => {
  it('labels a boxed signature at the end of a reply, with no "-- " delimiter', async () => {
    const lines = [
      'From: Sam Ray <sam@example.org>',
      'Newsgroups: rec.crafts.woodworking',
      'Subject: Re: Oiling a beech worktop',
      '',
      'In article <w1@example.org>, Lee <lee@example.org> writes:',
      '> How many coats of oil does a new beech worktop need before it is used?',
      '',
      ...wrap(STORY[0]!, 70),
      '',
      '+--------------------------------------------------+',
      '| Sam Ray          Woodwork classes on Thursdays   |',
      '| sam@example.org  Room 4, the old school building |',
      '+--------------------------------------------------+',
    ];
    const labels = classifyLines(lines);
    const box = lines.indexOf('+--------------------------------------------------+');
    for (let i = box; i < lines.length; i++) expect(labels[i], `line ${i + 1}`).toMatchObject({ kind: 'boilerplate', category: 'signature' });
    expect(labels[box - 2]!.kind).toBe('body');
  });
});

describe('layout line scans against their regular-expression definitions', () => {
  // Random short lines over the characters the definitions turn on: quote marks, colons, name
  // characters, spaces, tabs and other white space.
  const random = mulberry32(17);
  const alphabet = 'aZx09-:>>>  \t\u00a0\u2003\u3000|.,é';
  const lines = Array.from({ length: 5000 }, () => {
    let s = '';
    const length = Math.floor(random() * (random() < 0.1 ? 60 : 16));
    for (let i = 0; i < length; i++) s += random() < 0.3 ? 'a' : alphabet[Math.floor(random() * alphabet.length)];
    return s;
  });
  lines.push('', '>', 'A:', 'X-Long-Name-That-Runs-Past-Forty-Characters-Here: x', `${'a'.repeat(41)}: x`, `${'a'.repeat(42)}: x`);

  it('quotedProse counts the words after the quote prefix as split(/\\s+/) does', () => {
    const QUOTE_PREFIX = /^[ \t]{0,3}((?:>[ \t]?)+)/;
    const old = (line: string): boolean => {
      const text = line.replace(QUOTE_PREFIX, '');
      return !text.includes(' > ') && text.trim().split(/\s+/).length >= LAYOUT.quotedTextMinWords;
    };
    for (const line of lines) expect(quotedProse(line), JSON.stringify(line)).toBe(old(line));
  });

  it('headerFieldLength is the length of the name HEADER_FIELD captures', () => {
    const HEADER_FIELD = /^([A-Za-z][A-Za-z0-9-]{0,40}):(?:\s|$)/;
    for (const line of lines) expect(headerFieldLength(line), JSON.stringify(line)).toBe(HEADER_FIELD.exec(line)?.[1]!.length ?? 0);
  });
});
