// Benchmark corpora: a seeded synthetic corpus with planted near-duplicates, and the BBC research
// corpus read in place from ../shared/corpora (never copied into the project).

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { lowlevel } from './dist.js';

const { mulberry32 } = lowlevel;

// The seeded generator the whole synthetic corpus depends on; re-exported for the other scripts.
export { mulberry32 };

const int = (rand, lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive

// Function words in rough English frequency order, so that the head of the Zipf distribution
// reads like prose: the boilerplate classifier uses stopword density, and with invented words
// only every line would look like navigation and the body-comparison path would be untested.
const FUNCTION_WORDS = (
  'the of and to a in is that for it was on with as he be at by this had not are but from or have ' +
  'an they which one you were her all she there would their we him been has when who will more no ' +
  'if out so said what up its about into than them can only other new some could time these two may ' +
  'then do first any my now such like our over man me even most made after also did many before must ' +
  'through back years where much your way well down should because each just those people how too'
).split(' ');

const SYLLABLES = (() => {
  const onsets = ['b', 'c', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'br', 'ch', 'dr', 'gr', 'pl', 'st', 'tr', 'sh'];
  const nuclei = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou'];
  const codas = ['', '', '', 'n', 'r', 's', 't', 'l', 'nd', 'st'];
  const out = [];
  for (const o of onsets) for (const n of nuclei) for (const c of codas) out.push(o + n + c);
  return out;
})();

/** Vocabulary by rank: function words first, then distinct invented words of 1–4 syllables. */
function makeVocabulary(rand, size) {
  const words = [...FUNCTION_WORDS];
  const seen = new Set(words);
  while (words.length < size) {
    let w = '';
    const syllables = int(rand, 1, 4);
    for (let i = 0; i < syllables; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

/** Zipf(s) sampler over ranks 0..n-1 by binary search in the cumulative distribution. */
function zipfSampler(rand, n, s) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cdf[r] = sum += 1 / Math.pow(r + 1, s);
  for (let r = 0; r < n; r++) cdf[r] /= sum;
  return () => {
    const u = rand();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

// A document is kept as paragraphs → sentences → word ranks, so a planted copy can be edited
// word by word and rendered the same way as its original.
function makeArticle(rand, word, words) {
  const headline = Array.from({ length: int(rand, 4, 10) }, word);
  const paragraphs = [];
  let left = words;
  while (left > 0) {
    const sentences = [];
    for (let s = int(rand, 2, 5); s > 0 && left > 0; s--) {
      const len = Math.min(left, int(rand, 8, 28));
      sentences.push(Array.from({ length: len }, word));
      left -= len;
    }
    paragraphs.push(sentences);
  }
  return { headline, paragraphs };
}

function render(article, vocab) {
  const sentence = (ranks) => {
    const text = ranks.map((r) => vocab[r]).join(' ');
    return text.charAt(0).toUpperCase() + text.slice(1);
  };
  const lines = [sentence(article.headline), ''];
  for (const p of article.paragraphs) {
    if (p.length === 0) continue;
    lines.push(p.map((s) => `${sentence(s)}.`).join(' '), '');
  }
  return lines.join('\n');
}

/** Substitute, delete or insert each body word with probability `rate` (a third each). */
function editArticle(rand, article, word, rate) {
  const editSentence = (ranks) => {
    const out = [];
    for (const r of ranks) {
      if (rand() >= rate) {
        out.push(r);
        continue;
      }
      const op = rand();
      if (op < 1 / 3) out.push(word());
      else if (op < 2 / 3) continue;
      else out.push(r, word());
    }
    return out;
  };
  return {
    headline: article.headline.slice(),
    paragraphs: article.paragraphs.map((p) => p.map(editSentence).filter((s) => s.length > 0)),
  };
}

/**
 * Edit rate that gives roughly Jaccard `j` on word 5-grams: an edit breaks about five shingles,
 * so a fraction q = (1 − rate)^5 survives, and J ≈ q / (2 − q).
 */
const rateForJaccard = (j) => 1 - Math.pow((2 * j) / (1 + j), 1 / 5);

/**
 * `docs` documents in total, of which `planted` are edited copies of distinct originals, with
 * target similarities spread evenly over 0.3–1.0 (a tenth are exact copies). The order is
 * shuffled so copies are not next to their originals. Returns sources as analyse wants
 * them, plus the planted pairs as index pairs into `sources`.
 */
export function syntheticCorpus({ docs = 5000, seed = 42, plantedShare = 0.1, vocabulary = 30000 } = {}) {
  const rand = mulberry32(seed);
  const vocab = makeVocabulary(rand, vocabulary);
  const rank = zipfSampler(rand, vocab.length, 1.0);
  const planted = Math.floor(docs * plantedShare);
  const originals = docs - planted;
  const articles = [];
  for (let d = 0; d < originals; d++) articles.push(makeArticle(rand, rank, int(rand, 200, 800)));
  const pairs = [];
  for (let p = 0; p < planted; p++) {
    const target = p < planted / 10 ? 1 : 0.3 + 0.7 * rand();
    const of = Math.floor((p * originals) / planted); // distinct originals, spread evenly
    articles.push(editArticle(rand, articles[of], rank, rateForJaccard(target)));
    pairs.push([of, originals + p]);
  }
  // Fisher–Yates, then map the planted pairs through the permutation.
  const order = Array.from({ length: docs }, (_, i) => i);
  for (let i = docs - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const position = new Uint32Array(docs);
  order.forEach((from, to) => (position[from] = to));
  const sources = order.map((from, to) => {
    const text = render(articles[from], vocab);
    return { path: `synthetic/${String(to).padStart(5, '0')}.txt`, bytes: Buffer.byteLength(text), text };
  });
  const plantedPairs = pairs.map(([a, b]) => {
    const x = position[a];
    const y = position[b];
    return x < y ? [x, y] : [y, x];
  });
  return { name: 'synthetic', sources, plantedPairs };
}

/** Where the shared corpora live: ../shared/corpora relative to the project root. */
export function corporaDir(projectRoot) {
  return path.resolve(projectRoot, '..', 'shared', 'corpora');
}

/**
 * All BBC articles in a fixed order (folder, then file name), with paths relative to bbc/ as in
 * bbc-pairs.tsv. Decoding is lenient UTF-8, so the one Latin-1 file reads with U+FFFD in place
 * of its £ sign, which tokenises as a separator either way. Returns undefined when absent.
 */
export function bbcCorpus(projectRoot) {
  const root = path.join(corporaDir(projectRoot), 'bbc');
  if (!existsSync(root)) return undefined;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const sources = [];
  const folders = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const folder of folders) {
    const files = readdirSync(path.join(root, folder)).filter((f) => f.endsWith('.txt')).sort();
    for (const file of files) {
      const bytes = readFileSync(path.join(root, folder, file));
      sources.push({ path: `${folder}/${file}`, bytes: bytes.length, text: decoder.decode(bytes) });
    }
  }
  return { name: 'bbc', sources, plantedPairs: [] };
}

/** The exactly computed BBC pair list: [{ jaccard, a, b }] with a < b as path strings. */
export function bbcPairs(projectRoot) {
  const file = path.join(corporaDir(projectRoot), 'bbc-pairs.tsv');
  if (!existsSync(file)) return undefined;
  const rows = [];
  for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const [jaccard, x, y] = line.split('\t');
    const [a, b] = x < y ? [x, y] : [y, x];
    rows.push({ jaccard: Number(jaccard), a, b });
  }
  return rows;
}
