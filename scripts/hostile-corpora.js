#!/usr/bin/env node
// Generate the large hostile corpora of issue 9 (deterministic: the same files on every run).
//
//   node scripts/hostile-corpora.js identical <dir> [count=10000]
//       count identical files (one ~300-word article)
//   node scripts/hostile-corpora.js similar <dir> [count=7500]
//       count files that are all ~0.6 similar to each other (word 5-grams): one shared 300-word
//       text with 9 different random words inserted into each, so no two are near-duplicates
//   node scripts/hostile-corpora.js near <dir> [count=10000]
//       count files that are all ~0.95 similar: one different word inserted into each, so they
//       are one cluster of near-duplicates and no two are identical
//
// The text is made-up words from a seeded generator; nothing is copied from any corpus.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { mulberry32 as seededRandom } from './lib/corpus.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
function word(random, min = 2, max = 9) {
  const n = min + Math.floor(random() * (max - min + 1));
  let w = '';
  for (let i = 0; i < n; i++) w += LETTERS[Math.floor(random() * LETTERS.length)];
  return w;
}

/** The shared text: `count` words from a vocabulary of 400 made-up words. */
function sharedWords(random, count = 300) {
  const vocabulary = Array.from({ length: 400 }, () => word(random));
  return Array.from({ length: count }, () => vocabulary[Math.floor(random() * vocabulary.length)]);
}

/** Words as prose: sentences of 12–20 words, paragraphs of ~60 words one per line, blank lines between. */
function layout(words) {
  const paragraphs = [];
  let paragraph = [];
  let sentence = [];
  let sentenceLength = 15;
  words.forEach((w, i) => {
    sentence.push(sentence.length === 0 ? w[0].toUpperCase() + w.slice(1) : w);
    if (sentence.length >= sentenceLength || i === words.length - 1) {
      paragraph.push(`${sentence.join(' ')}.`);
      sentence = [];
      sentenceLength = 12 + (i % 9);
      if (paragraph.join(' ').split(' ').length >= 60 || i === words.length - 1) {
        paragraphs.push(paragraph.join(' '));
        paragraph = [];
      }
    }
  });
  return `${paragraphs.join('\n\n')}\n`;
}

/** Write `count` files of a kind (see the header) into dir. */
export function writeCorpus(kind, dir, count = kind === 'similar' ? 7500 : 10000) {
  const inserted = { identical: 0, similar: 9, near: 1 }[kind];
  if (inserted === undefined) throw new Error(`unknown corpus kind ${kind}`);
  mkdirSync(dir, { recursive: true });
  const random = seededRandom({ identical: 9001, similar: 9002, near: 9003 }[kind]);
  const shared = sharedWords(random);
  const width = String(count - 1).length;
  for (let i = 0; i < count; i++) {
    let words = shared;
    if (inserted > 0) {
      words = [...shared];
      for (let k = 0; k < inserted; k++) words.splice(Math.floor(random() * (words.length + 1)), 0, `${word(random, 6, 10)}${i}`);
    }
    writeFileSync(path.join(dir, `doc-${String(i).padStart(width, '0')}.txt`), layout(words));
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const [kind, dir, countArg] = process.argv.slice(2);
  if (!['identical', 'similar', 'near'].includes(kind) || !dir) {
    process.stderr.write('usage: node scripts/hostile-corpora.js identical|similar|near <dir> [count]\n');
    process.exit(2);
  }
  const count = countArg === undefined ? undefined : Number(countArg);
  writeCorpus(kind, dir, count);
  process.stdout.write(`${count ?? (kind === 'similar' ? 7500 : 10000)} ${kind} files in ${dir}\n`);
}
