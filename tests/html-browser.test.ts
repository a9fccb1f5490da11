import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { ElementHandle, type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report/types.js';
import { dedupe, ROOT, SEEDS, tempDir } from './helpers/cli.js';
import { seededRandom } from './helpers/random.js';

// The HTML report in a real browser: Debian's chromium (.ci/run installs it with apt), driven by
// puppeteer-core, which never downloads a browser. Without chromium the suite is skipped here with
// a reason, but fails in CI (CI=true), so the test cannot pass there by not running.

const SCREENSHOTS = path.join(ROOT, 'artifacts', 'screenshots');
/** `which chromium`, or the browser DEDUPE_CHROMIUM names (another Chromium build; a missing path is no browser). */
const chromium = (() => {
  const named = process.env.DEDUPE_CHROMIUM;
  if (named !== undefined) return existsSync(named) ? named : undefined;
  const found = spawnSync('which', ['chromium'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
})();
const inCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
if (!chromium && !inCI) console.log('html-browser.test.ts skipped: no chromium on PATH (apt-get install chromium, or DEDUPE_CHROMIUM=path); with CI set it fails instead');

/** Made-up words, seeded: text that is no one's article. */
function madeUpWords(random: () => number, count: number): string {
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vo', 'ni', 'pel', 'dor', 'ga', 'shi', 'bu', 'ter', 'wen', 'ost', 'ria'];
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(Array.from({ length: 1 + Math.floor(random() * 3) }, () => syllables[Math.floor(random() * syllables.length)]).join(''));
  return words.join(' ');
}

/**
 * A corpus of 600 documents in 3 made-up outlets, each with its own footer (subscription pitch,
 * copyright line), 60 groups of near-copies (2 to 7 members, a few words changed in each), and
 * hostile names and texts.
 */
function writeLargeCorpus(dir: string): void {
  const random = seededRandom(13);
  const outlets = ['kalo-herald', 'vendor-post', 'tursa-daily'];
  const footer = (o: string) => `Subscribe to the ${o} for 1 pound a week and get every edition first. Sign up now.\n© 2025 ${o} Media Ltd. All rights reserved.`;
  for (const o of outlets) mkdirSync(path.join(dir, o), { recursive: true });
  const article = () => Array.from({ length: 6 }, () => `${madeUpWords(random, 28)}.`).join('\n\n');
  let n = 0;
  const write = (outlet: string, body: string, name = `story-${String(n++).padStart(4, '0')}.txt`) => writeFileSync(path.join(dir, outlet, name), `${body}\n\n${footer(outlet)}\n`);
  const edit = (body: string) => {
    const words = body.split(' ');
    for (let k = 0; k < 2; k++) words[Math.floor(random() * words.length)] = madeUpWords(random, 1).toUpperCase();
    return words.join(' ');
  };
  for (let g = 0; g < 60; g++) {
    const body = article();
    const size = 2 + (g % 6);
    for (let m = 0; m < size; m++) write(outlets[(g + m) % 3]!, m === 0 ? body : edit(body));
  }
  while (n < 600) write(outlets[n % 3]!, article());
  // Hostile: markup in a file name (a name cannot hold `/`) and in the text of a near-copy.
  const hostile = `${article()}`;
  write('kalo-herald', hostile, '<script>alert(1)<\\script>.txt');
  write('kalo-herald', hostile.replace(/^\S+ \S+/, '<script>alert(2)</script> <img src=x onerror=alert(3)>'), '"><img src=x onerror=alert(4)>.txt');
}

interface Watched {
  page: Page;
  /** Requests other than the report file itself: each was aborted. */
  blocked: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
  dialogs: string[];
}

async function open(browser: Browser, file: string): Promise<Watched> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const url = pathToFileURL(file).href;
  const watched: Watched = { page, blocked: [], errors: [], dialogs: [] };
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === url) void request.continue();
    else {
      watched.blocked.push(request.url());
      void request.abort();
    }
  });
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(message.text());
  });
  page.on('pageerror', (error) => watched.errors.push(String(error)));
  page.on('dialog', (dialog) => {
    watched.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return watched;
}

/** Save a screenshot of the page (or one element of it) and print where. */
async function screenshot(target: Page | ElementHandle, name: string, fullPage = false): Promise<void> {
  const file = path.join(SCREENSHOTS, `${name}.png`) as `${string}.png`;
  await (target instanceof ElementHandle ? target.screenshot({ path: file }) : target.screenshot({ path: file, fullPage }));
  console.log(`screenshot: ${path.relative(ROOT, file)}`);
}

/** Nothing left the page, nothing failed, nothing popped up: then close it. */
async function closeClean({ page, blocked, errors, dialogs }: Watched): Promise<void> {
  expect(blocked, 'requests other than the report file').toEqual([]);
  expect(errors, 'console errors').toEqual([]);
  expect(dialogs, 'dialogs opened').toEqual([]);
  await page.close();
}

/** The text of the elements matching `selector` that are displayed (not hidden by the filter). */
const visibleTexts = (page: Page, selector: string) =>
  page.$$eval(selector, (els) => els.filter((el) => (el as HTMLElement).offsetParent !== null).map((el) => el.textContent ?? ''));

describe.skipIf(!chromium && !inCI)('the HTML report in Chromium', () => {
  const { dir, cleanup } = tempDir('dedupe-html-browser-');
  let browser: Browser;

  beforeAll(async () => {
    if (!chromium) throw new Error(`CI is set but there is no chromium (${process.env.DEDUPE_CHROMIUM ?? 'not on PATH'}): .ci/run installs it with apt-get install chromium`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await puppeteer.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    cleanup();
  });

  it('shows the seeds cluster with its diff and every document boilerplate, and loads nothing', async () => {
    const file = path.join(dir, 'seeds.html');
    expect((await dedupe([SEEDS, '--format', 'html', '--output', file])).status).toBe(1);
    const watched = await open(browser, file);
    const { page } = watched;

    const groups = await visibleTexts(page, 'section.cluster');
    expect(groups).toHaveLength(1);
    expect(groups[0]).toContain('fixtures/seeds/000_07ea92c0e8dc5bc0.txt');
    expect(groups[0]).toContain('fixtures/seeds/001_aa7fafff98e3fb85.txt');
    // The copy to keep has the author bio and copyright line the other lacks: highlighted.
    const removed = await visibleTexts(page, 'section.cluster del');
    expect(removed.join(' ')).toMatch(/Solange Reyner.*All rights reserved/);
    const highlight = await page.$eval('section.cluster del', (el) => getComputedStyle(el).backgroundColor);
    expect(highlight).not.toBe('rgba(0, 0, 0, 0)');
    // Boilerplate: each category, shown dimmed.
    const chips = await visibleTexts(page, '#documents .seg.boilerplate .chip');
    expect(new Set(chips.map((c) => c.trim()))).toEqual(new Set(['promo', 'bio', 'legal', 'credit']));
    const opacity = await page.$eval('#documents .seg.boilerplate', (el) => Number(getComputedStyle(el).opacity));
    expect(opacity).toBeLessThan(1);

    await screenshot(page, 'seeds-full', true);
    await screenshot((await page.$('section.cluster'))!, 'seeds-cluster');
    await closeClean(watched);
  }, 120_000);

  it('filters by path from the keyboard, with a visible focus', async () => {
    const file = path.join(dir, 'seeds-keys.html');
    await dedupe([SEEDS, '--format', 'html', '--output', file]);
    const watched = await open(browser, file);
    const { page } = watched;

    // Tab from the top reaches the filter, and the focused control shows an outline.
    let reached = false;
    for (let i = 0; i < 4 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'filter');
    }
    expect(reached).toBe(true);
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());

    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter');
    await page.keyboard.type('003_');
    expect(await visibleTexts(page, 'section.cluster')).toEqual([]);
    const docs = await visibleTexts(page, '#documents details.doc summary .path');
    expect(docs).toEqual(['fixtures/seeds/003_e99bd238092f2c2c.txt']);
    expect(await page.$eval('#filter-count', (el) => el.textContent)).toBe('0 of 1 groups, 1 of 4 documents match');
    await screenshot(page, 'seeds-filtered');

    await page.keyboard.press('Escape');
    expect(await visibleTexts(page, '#documents details.doc summary .path')).toHaveLength(4);
    await page.keyboard.press('j');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('group-1');
    await page.keyboard.press('?');
    expect(await page.$eval('#help', (el) => (el as HTMLDetailsElement).open)).toBe(true);

    // A phone in dark mode: nothing wider than the screen.
    await page.setViewport({ width: 400, height: 1400 });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await screenshot(page, 'seeds-narrow-dark');
    await closeClean(watched);
  }, 120_000);

  it('shows a larger corpus largest group first, escapes hostile names and texts, and loads nothing', async () => {
    const corpus = path.join(dir, 'large');
    writeLargeCorpus(corpus);
    const file = path.join(dir, 'large.html');
    expect((await dedupe(['large', '--format', 'html', '--output', file], { cwd: dir })).status).toBe(1);
    // What the page should show, from the same run's JSON.
    const report = JSON.parse((await dedupe(['large', '--format', 'json'], { cwd: dir })).stdout) as Report;
    const groups = report.clusters.length;
    const largest = Math.max(...report.clusters.map((c) => c.members.length));
    expect(groups).toBeGreaterThan(40);
    const watched = await open(browser, file);
    const { page } = watched;

    const heading = await page.$eval('#h-groups', (el) => el.textContent);
    expect(heading).toBe(`Groups of duplicates, largest first (${groups})`);
    const sizes = (await visibleTexts(page, 'section.cluster h3 .sub')).map((s) => Number(/^(\d+) documents/.exec(s)![1]));
    expect(sizes[0]).toBe(largest);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(await page.$$eval('section.cluster ins', (els) => els.length)).toBeGreaterThan(0);
    // Every outlet's footer is its boilerplate, named by category.
    const chips = new Set((await page.$$eval('section.cluster .members .chip', (els) => els.map((e) => e.firstChild?.textContent?.trim()))).filter(Boolean));
    expect(chips.size).toBeGreaterThan(0);

    // The hostile names and text are shown as text; nothing of them ran or loaded.
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).toContain('large/kalo-herald/<script>alert(1)<\\script>.txt');
    expect(text).toContain('large/kalo-herald/"><img src=x onerror=alert(4)>.txt');
    expect(text).toContain('<script>alert(2)</script>');
    expect(await page.$$eval('img', (els) => els.length)).toBe(0);
    expect(await page.$$eval('script', (els) => els.length)).toBe(1);

    await screenshot(page, 'large-top');
    await page.keyboard.press('/');
    await page.keyboard.type('tursa');
    const shown = await visibleTexts(page, 'section.cluster');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(groups);
    for (const g of shown) expect(g).toContain('tursa-daily/');
    await screenshot(page, 'large-filtered');
    await closeClean(watched);
  }, 180_000);
});
