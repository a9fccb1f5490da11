// The benchmark corpus of issue 12, item 4: files on disk shaped like a real news and Usenet
// collection (42,648 files, 58 MB, many short lines), built from ../shared/corpora in a folder
// the caller owns (a temp folder; never the project). Seeded: the same seed builds the same bytes.
//
//   bbc/c0 … bbc/c9   BBC ten times: c0 as shipped, the others with small edits (headline, a few
//                     words, a paragraph dropped, a footer added); c5–c9 hard-wrapped, c8–c9 as
//                     Usenet posts (headers, signature): near-duplicate clusters in both layouts
//   l3s/plain, l3s/wrapped   the L3S pages, both layouts (the .txt files only)
//   posts/            many small files: Usenet replies (headers, a quoted paragraph, a reply made
//                     of sentences drawn from the whole corpus, a signature) and one-line briefs
//   digests/          a few large files: many articles one after another, hard-wrapped
//
// Text is Latin-1 strings throughout (one char per byte), as scripts/lib/layouts.js does, so the
// one Latin-1 BBC file keeps its encoding and byte counts are string lengths.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from './corpus.js';
import { foldText } from './layouts.js';

/** Bump when the generator changes: a kept --corpus-dir built by another version is rebuilt. */
export const GENERATOR_VERSION = 1;
const MARKER = '.dedupe-bench-corpus.json';

export const SIZES = {
  // The full corpus: ≥ 40k files, ≥ 50 MB (BBC ×10 alone is 50 MB in 22,250 files).
  full: { bbcCopies: 10, posts: 17000, briefs: 2000, digests: 6 },
  // --quick: the same mix, about a fifth of it.
  quick: { bbcCopies: 2, posts: 3500, briefs: 500, digests: 2 },
};

const int = (rand, lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive
const pick = (rand, xs) => xs[Math.floor(rand() * xs.length)];

// Invented furniture for the edited copies and posts: never text from the corpora.
const FOOTERS = [
  'Copyright 2005 The Daily Example. All rights reserved.',
  'Share this article: Email | Print | Facebook | Twitter',
  'Sign up for our morning newsletter and never miss a story.',
  'This story was filed by our news desk. Corrections: desk@example.org',
];
const GROUPS = ['uk.politics.misc', 'rec.sport.football', 'comp.misc', 'alt.business', 'rec.arts.movies', 'uk.media', 'sci.tech.news'];
const NAMES = ['J. Smith', 'A. Jones', 'P. Brown', 'M. Taylor', 'R. Wilson', 'K. Evans', 'L. Thomas', 'S. Roberts'];
const ORGS = ['Example University', 'Widget Corp.', 'The Internet Cafe', 'Somewhere Ltd', ''];

function bbcArticles(bbcRoot) {
  const out = [];
  for (const folder of readdirSync(bbcRoot, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    for (const name of readdirSync(path.join(bbcRoot, folder)).filter((f) => f.endsWith('.txt')).sort()) {
      out.push({ path: `${folder}/${name}`, text: readFileSync(path.join(bbcRoot, folder, name)).toString('latin1') });
    }
  }
  return out;
}

/** Paragraphs of a BBC article: headline first; blank lines dropped. */
const paragraphsOf = (text) => text.split(/\r?\n/).filter((line) => line.trim() !== '');
const sentencesOf = (paragraph) => paragraph.match(/[^.!?]+[.!?]+["']?\s*/g)?.map((s) => s.trim()).filter((s) => s.length > 20) ?? [];

/** A copy with small edits: what a syndicated or re-published article looks like. */
function editedCopy(rand, paragraphs) {
  const [headline, ...body] = paragraphs;
  const out = [rand() < 0.5 ? headline : rand() < 0.5 ? `${headline} (updated)` : headline.replace(/\s\S+$/, '')];
  let dropped = false;
  for (const p of body) {
    // At most one paragraph dropped, and only from longer articles: most copies stay above 0.8.
    if (!dropped && body.length > 8 && rand() < 0.08) {
      dropped = true;
      continue;
    }
    // A word changed here and there, as a sub-editor does.
    out.push(rand() < 0.15 ? p.replace(/\b(the|a|said|has|was)\b/, (w) => ({ the: 'this', a: 'one', said: 'says', has: 'had', was: 'is' })[w]) : p);
  }
  if (rand() < 0.4) out.push(pick(rand, FOOTERS));
  return out;
}

function usenetHeaders(rand, subject, id) {
  const name = pick(rand, NAMES);
  return [
    `From: ${name} <${name.toLowerCase().replace(/[^a-z]/g, '')}@example.org>`,
    `Newsgroups: ${pick(rand, GROUPS)}`,
    `Subject: ${subject}`,
    `Date: ${int(rand, 1, 28)} ${pick(rand, ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'])} 2005 ${String(int(rand, 0, 23)).padStart(2, '0')}:${String(int(rand, 0, 59)).padStart(2, '0')}:00 GMT`,
    `Message-ID: <${id}.${int(rand, 1000, 9999)}@news.example.org>`,
    '',
  ];
}

function signature(rand) {
  const org = pick(rand, ORGS);
  return ['', '-- ', pick(rand, NAMES), ...(org ? [org] : [])];
}

const joinParagraphs = (paragraphs) => `${paragraphs.join('\n\n')}\n`;

/**
 * Write the corpus under `dir` (created if need be). Returns { files, bytes, parts } where parts
 * counts files and bytes per folder. `size` is 'full' or 'quick'.
 */
export function buildRealCorpus(corporaRoot, dir, { size = 'full', seed = 42 } = {}) {
  const plan = SIZES[size];
  const rand = mulberry32(seed);
  const articles = bbcArticles(path.join(corporaRoot, 'bbc'));
  const paragraphs = articles.map((a) => paragraphsOf(a.text));
  const sentences = paragraphs.flatMap((ps) => ps.slice(1).flatMap(sentencesOf));
  const parts = {};
  const write = (part, rel, text) => {
    const file = path.join(dir, part, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(text, 'latin1'));
    parts[part] ??= { files: 0, bytes: 0 };
    parts[part].files++;
    parts[part].bytes += text.length;
  };

  // BBC ×copies: c0 as shipped; the others edited; c5–c9 hard-wrapped; c8–c9 Usenet posts.
  for (let c = 0; c < plan.bbcCopies; c++) {
    articles.forEach((article, i) => {
      if (c === 0) return write('bbc', `c0/${article.path}`, article.text);
      const edited = editedCopy(rand, paragraphs[i]);
      let text = joinParagraphs(edited);
      if (c >= 5) text = foldText(text, int(rand, 60, 76));
      if (c >= 8) text = [...usenetHeaders(rand, edited[0], `c${c}.${i}`), text.trimEnd(), ...signature(rand)].join('\n') + '\n';
      write('bbc', `c${c}/${article.path}`, text);
    });
  }

  // L3S, both layouts, the pages only (their .labels are not documents).
  for (const [from, to] of [['l3s-dev', 'plain'], ['l3s-dev-wrapped', 'wrapped']]) {
    const root = path.join(corporaRoot, from);
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root).filter((f) => f.endsWith('.txt')).sort()) {
      write('l3s', `${to}/${name}`, readFileSync(path.join(root, name)).toString('latin1'));
    }
  }

  // Small files: Usenet replies, each quoting a paragraph of some article and answering in
  // sentences drawn from the whole corpus (so no two replies are near-duplicates), wrapped short.
  for (let p = 0; p < plan.posts; p++) {
    const a = Math.floor(rand() * articles.length);
    const width = int(rand, 60, 76);
    const body = paragraphs[a].slice(1);
    const quoted = rand() < 0.5 && body.length > 0 ? foldText(pick(rand, body), width - 2).split('\n').map((l) => `> ${l}`) : [];
    const reply = Array.from({ length: int(rand, 1, 2) }, () =>
      foldText(Array.from({ length: int(rand, 1, 3) }, () => pick(rand, sentences)).join(' '), width),
    );
    const lines = [
      ...usenetHeaders(rand, `Re: ${paragraphs[a][0]}`, `p${p}`),
      ...(quoted.length ? [`${pick(rand, NAMES)} wrote:`, ...quoted, ''] : []),
      reply.join('\n\n'),
      ...(rand() < 0.7 ? signature(rand) : []),
    ];
    write('posts', `${String(Math.floor(p / 1000)).padStart(3, '0')}/${String(p).padStart(6, '0')}.txt`, `${lines.join('\n')}\n`);
  }
  // One-line briefs: a headline and a sentence or two, one paragraph per line.
  for (let b = 0; b < plan.briefs; b++) {
    const text = `${pick(rand, paragraphs)[0]}\n${Array.from({ length: int(rand, 1, 2) }, () => pick(rand, sentences)).join(' ')}\n`;
    write('posts', `briefs/${String(b).padStart(5, '0')}.txt`, text);
  }

  // Digests: 30–200 whole articles each, hard-wrapped, with a separator line between them.
  for (let d = 0; d < plan.digests; d++) {
    const count = int(rand, 30, 200);
    const width = int(rand, 64, 78);
    const items = Array.from({ length: count }, () => foldText(joinParagraphs(paragraphs[Math.floor(rand() * articles.length)]).trimEnd(), width));
    write('digests', `digest-${String(d).padStart(2, '0')}.txt`, `${items.join('\n\n------------------------------\n\n')}\n`);
  }

  const files = Object.values(parts).reduce((s, p) => s + p.files, 0);
  const bytes = Object.values(parts).reduce((s, p) => s + p.bytes, 0);
  const summary = { version: GENERATOR_VERSION, size, seed, files, bytes, parts };
  writeFileSync(path.join(dir, MARKER), `${JSON.stringify(summary)}\n`);
  return summary;
}

/** The corpus a kept folder holds, if the same generator built it with the same size and seed. */
export function existingCorpus(dir, { size = 'full', seed = 42 } = {}) {
  try {
    const summary = JSON.parse(readFileSync(path.join(dir, MARKER), 'utf8'));
    return summary.version === GENERATOR_VERSION && summary.size === size && summary.seed === seed ? summary : undefined;
  } catch {
    return undefined;
  }
}
