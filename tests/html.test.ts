import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse, formatReport } from '../src/index.js';
import { HTML_LIMITS } from '../src/report/formats/html.js';
import { dedupe, SEEDS, tempDir } from './helpers/cli.js';

// The page's structure and escaping, read as text; tests/html-browser.test.ts opens it in Chromium.

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');
const between = (html: string, open: string, close: string) => html.slice(html.indexOf(open) + open.length, html.indexOf(close));

describe('--format html', () => {
  const { dir, cleanup } = tempDir('dedupe-html-');
  afterAll(cleanup);

  it('writes one page with the seeds cluster, its diff and every document', async () => {
    const out = path.join(dir, 'seeds.html');
    const { status } = await dedupe([SEEDS, '--format', 'html', '--output', out]);
    expect(status).toBe(1);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html.match(/<section class="cluster"/g)).toHaveLength(1);
    expect(html).toContain(' <del>Solange Reyner');
    for (const f of readdirSeeds()) expect(html).toContain(`<span class="path">fixtures/seeds/${f}</span>`);
    for (const category of ['promo', 'bio', 'legal', 'credit']) expect(html).toContain(`<span class="chip">${category}`);
  });

  it('makes no request: no URL to load, and a policy that allows only its own style and script', async () => {
    const { stdout } = await dedupe([SEEDS, '--format', 'html']);
    expect(stdout).not.toMatch(/\b(src|href)="(?!#)/);
    expect(stdout).not.toMatch(/url\(|@import|https?:\/\//);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(stdout)![1]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src 'sha256-${sha256(between(stdout, '<style>', '</style>'))}'`);
    expect(csp).toContain(`script-src 'sha256-${sha256(between(stdout, '<script>', '</script>'))}'`);
  });

  it('escapes hostile file names and texts', async () => {
    const corpus = path.join(dir, 'hostile');
    const story = readFileSync(path.join(SEEDS, '002_59aa2b53633dd852.txt'), 'utf8');
    await import('node:fs').then((fs) => fs.mkdirSync(corpus));
    writeFileSync(path.join(corpus, '<script>alert(1)<\\script>.txt'), story);
    writeFileSync(path.join(corpus, '"><img src=x onerror=alert(2)>.txt'), story.replace('Trump', '<script>alert(3)</script>\u202e'));
    const { stdout } = await dedupe([corpus, '--format', 'html'], { cwd: dir });
    expect(stdout.match(/<script>/g)).toHaveLength(1);
    expect(stdout).not.toContain('<img');
    expect(stdout).toContain('&#60;script&#62;alert(1)&#60;\\script&#62;.txt');
    expect(stdout).toMatch(/<(ins|del)>&#60;script&#62;alert\(3\)&#60;\/script&#62;/);
    expect(stdout).toContain('\\u202e');
    expect(stdout).not.toContain('\u202e');
  });

  it('never marks a baseline document drop (--against)', async () => {
    const fixtures = path.join(SEEDS, '..', 'against');
    const { stdout } = await dedupe([path.join(fixtures, 'incoming-dup'), '--against', path.join(fixtures, 'baseline'), '--format', 'html']);
    const rows = stdout.match(/<tr data-path=.*?<\/tr>/g)!;
    expect(rows.filter((row) => row.includes('tag base"'))).toHaveLength(1); // the baseline copy that is not kept
    for (const row of rows) expect(row.includes('baseline/') ? /tag (keep|base)"/.test(row) : row.includes('tag drop')).toBe(true);
  });

  it('lists contained documents (--containment) apart from the groups, marking neither copy drop', async () => {
    const words = (seed: number) => Array.from({ length: 220 }, (_, i) => `w${(seed * 7919 + i * 104729) % 5003}`).join(' ');
    const sources = [
      { path: 'excerpt.txt', text: `${words(1)}.` },
      { path: 'digest.txt', text: `${words(1)}.\n\n${words(2)}.` },
      { path: 'other.txt', text: `${words(3)}.` },
    ];
    const html = formatReport(await analyse(sources, { containment: 0.8, threads: 1 }), 'html');
    const start = html.indexOf('<section id="contained"');
    expect(start).toBeGreaterThan(html.indexOf('<section id="groups"'));
    const section = html.slice(start, html.indexOf('</section>', start));
    expect(section).toContain('<code>excerpt.txt</code> is contained in <code>digest.txt</code> (100.0% of its phrases');
    expect(html).not.toContain('tag drop');
    // Without the option, no such section.
    expect(formatReport(await analyse(sources, { threads: 1 }), 'html')).not.toContain('id="contained"');
  });

  it('caps what it shows of a large corpus, and says so', async () => {
    const sources = Array.from({ length: HTML_LIMITS.documents + 30 }, (_, i) => ({ path: `doc-${String(i).padStart(4, '0')}.txt`, text: `Document ${i} says little of note, and nothing twice.` }));
    const shared = 'One story told in the same words by every outlet that printed it, with no change at all to the wording of it.';
    const copies = HTML_LIMITS.listedMembers + 5;
    for (let i = 0; i < copies; i++) sources.push({ path: `copy-${i}.txt`, text: `${shared} Copy ${i % 2 === 0 ? 'even' : 'odd'}.` });
    const html = formatReport(await analyse(sources, { diff: true, segmentText: true, threads: 1 }), 'html');
    // The copy to keep and the others: some diffed, more listed, the rest counted.
    expect(html.match(/<div class="pair">/g)).toHaveLength(HTML_LIMITS.diffedMembers);
    expect(html).toContain(`The other ${copies - 1 - HTML_LIMITS.diffedMembers} members are shown without their diff (at most ${HTML_LIMITS.diffedMembers} per group).`);
    expect(html.match(/<tr data-path="copy-/g)).toHaveLength(HTML_LIMITS.listedMembers);
    expect(html).toContain(`… and 5 more members (at most ${HTML_LIMITS.listedMembers} listed per group; the JSON report has all)`);
    expect(html).toContain(`more documents not shown (at most ${HTML_LIMITS.documents} per page; the JSON report has all).`);
    expect(html.match(/<details class="doc"/g)).toHaveLength(HTML_LIMITS.documents);
  });
});

function readdirSeeds(): string[] {
  return ['000_07ea92c0e8dc5bc0.txt', '001_aa7fafff98e3fb85.txt', '002_59aa2b53633dd852.txt', '003_e99bd238092f2c2c.txt'];
}
