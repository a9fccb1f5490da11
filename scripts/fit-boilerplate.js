#!/usr/bin/env node
// Refit the classifier's logistic weights from the labelled dev pages, in both layouts, and print
// them beside the values in src/segment/params.ts with the metrics each set gives.
//
//   npm run fit:boilerplate [-- --l3s DIR --wrapped DIR --lambda X --check]
//
// - Line model: one example per unit (a line, or a rebuilt paragraph of a hard-wrapped page),
//   labelled body when most of its scored lines are headline or full text ({1, 2}), boilerplate
//   when most are {0, 4, 5}; units of unscored lines (3) are left out. L2-regularised logistic
//   regression by Newton's method: deterministic, no learning rate to tune.
// - Headline model: the candidates the headline phase considers before the article the
//   classifier finds, labelled by whether their lines are headline (1).
// - Metrics: body line P/R/F1 on each layout with the weights in the code and with the refit
//   ones (each page on its own, no corpus evidence), and the refit on one half of the pages
//   scored on the other.
// --check exits 1 when a refit weight differs from the code by more than 0.05, i.e. when the
// numbers in the code are not what this script regenerates.
// Run `npm run build` first (this uses the compiled library's dedupe/lowlevel entry).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lowlevel } from './lib/dist.js';

const { headlineCandidates, lineFeatureVector, segmentWith, extractFeatures, unitsOf, bodyLineMask, documentLines, normaliseText, splitLines, tokenise, detectLayout, round } =
  lowlevel;
const { DEFAULT_PARAMS, HEADLINE_WEIGHT_NAMES, HEADLINE_WEIGHTS, LINE_WEIGHT_NAMES } = lowlevel;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const corpora = [
  ['l3s-dev', option('--l3s', '../shared/corpora/l3s-dev')],
  ['l3s-dev-wrapped', option('--wrapped', '../shared/corpora/l3s-dev-wrapped')],
];
const lambda = Number(option('--lambda', '0.001'));
for (const [, dir] of corpora) {
  if (!existsSync(dir)) {
    console.error(`fit-boilerplate: ${dir}: no such directory (the labelled dev pages; see ../shared/corpora/README.md)`);
    process.exit(2);
  }
}

/** Pages with their gold line labels. */
function load(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.labels'))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f.replace(/\.labels$/, '.txt')), 'utf8');
      const lines = documentLines(text);
      const normalised = lines.map(normaliseText);
      // What does not depend on the weights is worked out once.
      const options = { normalised, tokens: normalised.map(tokenise), layout: detectLayout(lines) };
      return { id: f, lines, options, gold: splitLines(readFileSync(join(dir, f), 'utf8')).map((l) => l.trim()) };
    });
}

const isBody = (g) => g === '1' || g === '2';
const isBoilerplate = (g) => g === '0' || g === '4' || g === '5';

/** Line-model examples of one page: [vector, label]. */
function lineExamples(page) {
  const units = unitsOf(page.lines, page.options);
  const { features } = extractFeatures(units.texts, units.normalised, units.tokens);
  const total = Math.max(1, page.lines.length);
  const out = [];
  units.blocks.forEach((block, b) => {
    if (features[b].blank) return;
    let body = 0;
    let boilerplate = 0;
    for (let i = block.start; i <= block.end; i++) {
      if (isBody(page.gold[i])) body++;
      else if (isBoilerplate(page.gold[i])) boilerplate++;
    }
    if (body + boilerplate === 0 || body === boilerplate) return;
    out.push([lineFeatureVector(features[b], block.start / total), body > boilerplate ? 1 : 0]);
  });
  return out;
}

function headlineExamples(page) {
  return headlineCandidates(page.lines, page.options).map((c) => {
    let headline = false;
    for (let i = c.startLine - 1; i < c.endLine; i++) if (page.gold[i] === '1') headline = true;
    return [c.vector, headline ? 1 : 0];
  });
}

/** L2-regularised logistic regression by Newton's method (the bias is not regularised). */
function fitLogistic(examples, dims) {
  let w = new Array(dims).fill(0);
  for (let iter = 0; iter < 50; iter++) {
    const grad = new Array(dims).fill(0);
    const hess = Array.from({ length: dims }, () => new Array(dims).fill(0));
    for (const [x, y] of examples) {
      let z = 0;
      for (let i = 0; i < dims; i++) z += w[i] * x[i];
      const p = 1 / (1 + Math.exp(-z));
      const r = p * (1 - p);
      for (let i = 0; i < dims; i++) {
        grad[i] += (p - y) * x[i];
        for (let j = 0; j < dims; j++) hess[i][j] += r * x[i] * x[j];
      }
    }
    const m = examples.length;
    for (let i = 0; i < dims; i++) {
      grad[i] = grad[i] / m + (i > 0 ? lambda * w[i] : 0);
      for (let j = 0; j < dims; j++) hess[i][j] = hess[i][j] / m + (i === j && i > 0 ? lambda : 0);
    }
    const step = solve(hess, grad);
    w = w.map((v, i) => v - step[i]);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return w;
}

/** Gaussian elimination with partial pivoting. */
function solve(a, b) {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    if (Math.abs(m[c][c]) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => (Math.abs(row[i]) < 1e-12 ? 0 : row[n] / row[i]));
}

/** Body line counts of one page under a parameter set (the page on its own). */
function counts(page, params) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const mask = bodyLineMask(segmentWith(page.lines, page.options, params), page.lines.length);
  page.lines.forEach((line, i) => {
    const g = page.gold[i];
    if (line.trim() === '' || !(isBody(g) || isBoilerplate(g))) return;
    if (mask[i] === 1 && isBody(g)) tp++;
    else if (mask[i] === 1) fp++;
    else if (isBody(g)) fn++;
  });
  return { tp, fp, fn };
}

/** Body line counts over pages, each page on its own. */
function pooledCounts(pages, params) {
  const total = { tp: 0, fp: 0, fn: 0 };
  for (const page of pages) {
    const c = counts(page, params);
    total.tp += c.tp;
    total.fp += c.fp;
    total.fn += c.fn;
  }
  return total;
}

/** Body line P/R/F1 of a parameter set on pages, each page on its own. */
function score(pages, params) {
  const { tp, fp, fn } = pooledCounts(pages, params);
  const p = tp / Math.max(1, tp + fp);
  const r = tp / Math.max(1, tp + fn);
  return { p, r, f1: p + r > 0 ? (2 * p * r) / (p + r) : 0 };
}

const round3 = (x) => round(x, 3);
const named = (names, w) => Object.fromEntries(names.map((n, i) => [n, round3(w[i])]));

/** The logistic fits of both models, then the line weights tuned for F1 (see tune). */
function refit(pages) {
  const line = named(LINE_WEIGHT_NAMES, fitLogistic(pages.flatMap(lineExamples), LINE_WEIGHT_NAMES.length));
  const headline = named(HEADLINE_WEIGHT_NAMES, fitLogistic(pages.flatMap(headlineExamples), HEADLINE_WEIGHT_NAMES.length));
  return { logistic: line, line: tune(pages, line, headline), headline };
}

/**
 * The logistic fit maximises the likelihood of each unit's label on its own; the classifier then
 * smooths, joins and overrides. Starting from the fit, a coordinate search moves one line weight
 * at a time by a few fixed steps while the pooled body F1 of both layouts improves.
 */
function tune(pages, start, headline) {
  const pooled = (params) => score(pages, params).f1;
  let params = { ...DEFAULT_PARAMS, ...start, headline };
  let best = pooled(params);
  for (const step of TUNE_STEPS) {
    for (let improved = true; improved; ) {
      improved = false;
      for (const name of LINE_WEIGHT_NAMES) {
        for (const delta of [step, -step]) {
          const trial = { ...params, [name]: round3(params[name] + delta) };
          const f1 = pooled(trial);
          if (f1 > best + 1e-6) {
            best = f1;
            params = trial;
            improved = true;
          }
        }
      }
    }
  }
  return Object.fromEntries(LINE_WEIGHT_NAMES.map((n) => [n, params[n]]));
}
const TUNE_STEPS = [0.4, 0.1, 0.025];

const started = performance.now();
const layouts = corpora.map(([name, dir]) => ({ name, pages: load(dir) }));
const allPages = layouts.flatMap((l) => l.pages);
const fitted = refit(allPages);
// The score's prior shift and the context rules are kept as they are: the refit moves the weights.
const refitParams = { ...DEFAULT_PARAMS, ...fitted.line, headline: fitted.headline };

function table(title, names, code, refit) {
  console.log(`\n${title}`);
  console.log(`${'weight'.padEnd(16)}${'in code'.padStart(9)}${'refit'.padStart(9)}${'diff'.padStart(9)}`);
  let worst = 0;
  for (const n of names) {
    const d = refit[n] - code[n];
    worst = Math.max(worst, Math.abs(d));
    console.log(`${n.padEnd(16)}${code[n].toFixed(3).padStart(9)}${refit[n].toFixed(3).padStart(9)}${d.toFixed(3).padStart(9)}`);
  }
  return worst;
}
const worstLine = table(`Line model (${allPages.flatMap(lineExamples).length} units, both layouts, lambda ${lambda})`, LINE_WEIGHT_NAMES, DEFAULT_PARAMS, fitted.line);
const worstHeadline = table('Headline model (candidates before the article found with the code weights)', HEADLINE_WEIGHT_NAMES, HEADLINE_WEIGHTS, fitted.headline);

const fmt = ({ p, r, f1 }) => `P ${p.toFixed(3)}  R ${r.toFixed(3)}  F1 ${f1.toFixed(3)}`;
console.log('\nBody line metrics, each page on its own (no corpus evidence)');
for (const { name, pages } of layouts) {
  console.log(`${name.padEnd(16)} code:  ${fmt(score(pages, DEFAULT_PARAMS))}`);
  console.log(`${''.padEnd(16)} refit: ${fmt(score(pages, refitParams))}`);
}
// Held-out halves: fit on the even pages of both layouts, score the odd ones, and the reverse.
const half = (pages, parity) => pages.filter((_, i) => i % 2 === parity);
for (const parity of [0, 1]) {
  const fit = refit(layouts.flatMap((l) => half(l.pages, parity)));
  const params = { ...DEFAULT_PARAMS, ...fit.line, headline: fit.headline };
  for (const { name, pages } of layouts) console.log(`held out ${parity ? 'even' : 'odd '} ${name.padEnd(16)} ${fmt(score(half(pages, 1 - parity), params))}`);
}
console.log('\nAs src/segment/params.ts writes them:');
console.log(LINE_WEIGHT_NAMES.map((n) => `  ${n}: ${fitted.line[n]},`).join('\n'));
console.log(`  headline: { ${HEADLINE_WEIGHT_NAMES.map((n) => `${n}: ${fitted.headline[n]}`).join(', ')} }`);
console.log(`\nfitted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (args.includes('--check') && Math.max(worstLine, worstHeadline) > 0.05) {
  console.error(`fit-boilerplate: the code's weights differ from the refit by up to ${Math.max(worstLine, worstHeadline).toFixed(3)}`);
  process.exit(1);
}
