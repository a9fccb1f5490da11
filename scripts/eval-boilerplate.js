#!/usr/bin/env node
// Line-level evaluation of the boilerplate classifier against labelled pages.
//
//   npm run eval:boilerplate           # build, then score l3s-dev and l3s-dev-wrapped
//   node scripts/eval-boilerplate.js [DIR] [--halves] [--no-template] [--errors N] [--min-f1 X]
//
// Without DIR, scores ../shared/corpora/l3s-dev and ../shared/corpora/l3s-dev-wrapped: the same
// pages one block per line and hard-wrapped, so a labeller that only works on one layout shows.
// DIR holds <id>.txt (one text block per line) and <id>.labels (one digit per line:
// 0 boilerplate, 1 headline, 2 full text, 3 supplemental, 4 related content, 5 user comments).
// Body = {1, 2}; boilerplate = {0, 4, 5}; lines labelled 3 are not scored. Prints precision,
// recall and F1 of the body class, micro-averaged over all scored lines. As the pipeline does,
// template lines are found across the directory first (every page its own group).
// Exit status: 0; 1 if --min-f1 X is given and a directory's F1 is below X; 2 if a directory is
// missing or holds no labelled pages.
// Run `npm run build` first: this uses the compiled library (its public entry and dedupe/lowlevel).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, lowlevel } from './lib/dist.js';

const { extractBodies } = api;
const { bodyLineMask, documentLines, splitLines } = lowlevel;

const USAGE = 'usage: node scripts/eval-boilerplate.js [DIR] [--halves] [--no-template] [--errors N] [--min-f1 X]';
const corpora = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'corpora');
// The issue 8 targets, printed beside the default corpora's F1 (not a gate: see --min-f1).
const DEFAULT_DIRS = [
  { dir: join(corpora, 'l3s-dev'), target: 0.94 },
  { dir: join(corpora, 'l3s-dev-wrapped'), target: 0.92 },
];

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const valueOf = (flag) => {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const n = Number(args[at + 1]);
  if (args[at + 1] === undefined || !Number.isFinite(n)) fail(2, `${flag} takes a number\n${USAGE}`);
  return n;
};
function fail(code, message) {
  console.error(`eval-boilerplate: ${message}`);
  process.exit(code);
}
const showErrors = valueOf('--errors') ?? 0;
const minF1 = valueOf('--min-f1');
const valued = new Set(['--errors', '--min-f1'].map((f) => args.indexOf(f) + 1).filter((i) => i > 0));
const known = new Set(['--halves', '--no-template', '--errors', '--min-f1']);
const unknown = [...flags].filter((f) => !known.has(f));
if (unknown.length > 0) fail(2, `unknown option ${unknown[0]}\n${USAGE}`);
const positional = args.filter((a, i) => !a.startsWith('--') && !valued.has(i));
if (positional.length > 1) fail(2, `one DIR at most\n${USAGE}`);
const targets = positional.length === 1 ? [{ dir: positional[0] }] : DEFAULT_DIRS;

const missing = targets.filter((t) => !existsSync(t.dir));
if (missing.length > 0) {
  fail(
    2,
    `${missing.map((t) => t.dir).join(', ')} not found.` +
      (positional.length === 0 ? ' The labelled L3S corpora live in ../shared/corpora beside the project (see its README.md); they are not part of the repository.' : ''),
  );
}

let belowMin = false;
targets.forEach((target, i) => {
  if (i > 0) console.log('');
  const f1 = evaluate(target);
  if (minF1 !== undefined && !(f1 >= minF1)) belowMin = true;
});
if (minF1 !== undefined) console.log(`\n--min-f1 ${minF1}: ${belowMin ? 'FAIL' : 'PASS'}`);
process.exitCode = belowMin ? 1 : 0;

/** Score one directory, print its lines, and return the body F1 over all scored lines. */
function evaluate({ dir, target }) {
  const ids = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => f.slice(0, -4))
    .sort();
  const docs = [];
  for (const id of ids) {
    let labelText;
    try {
      labelText = readFileSync(join(dir, `${id}.labels`), 'utf8');
    } catch {
      continue; // unlabelled page
    }
    const text = readFileSync(join(dir, `${id}.txt`), 'utf8');
    const gold = splitLines(labelText).map((l) => l.trim());
    docs.push({ id, text, lines: documentLines(text), gold });
  }
  if (docs.length === 0) fail(2, `${dir}: no labelled pages (<id>.txt with <id>.labels)`);
  console.log(`== ${path.relative(process.cwd(), dir) || dir} ==`);

  // The segments the tool itself would report: the same pipeline, corpus evidence included
  // (--no-template: each page on its own, so no line can recur across documents).
  const started = performance.now();
  const sources = docs.map((d) => ({ path: d.id, text: d.text }));
  const segmentsOf = (batch) => extractBodies(batch).map((b) => b.segments);
  const segments = flags.has('--no-template') ? sources.flatMap((s) => segmentsOf([s])) : segmentsOf(sources);

  const tally = () => ({ tp: 0, fp: 0, fn: 0, tn: 0, lines: 0, unscored: 0, docs: 0 });
  const all = tally();
  const halves = [tally(), tally()];
  const errors = [];
  docs.forEach((doc, d) => {
    const body = bodyLineMask(segments[d], doc.lines.length);
    const segmentAt = (i) => segments[d].find((s) => s.startLine <= i + 1 && i + 1 <= s.endLine);
    const t = halves[d % 2];
    all.docs++;
    t.docs++;
    doc.lines.forEach((line, i) => {
      const g = doc.gold[i];
      if (g === undefined || g === '' || line.trim() === '') return;
      if (g === '3') {
        all.unscored++;
        t.unscored++;
        return;
      }
      const gold = g === '1' || g === '2';
      const pred = body[i] === 1;
      for (const s of [all, t]) {
        s.lines++;
        if (gold && pred) s.tp++;
        else if (!gold && pred) s.fp++;
        else if (gold && !pred) s.fn++;
        else s.tn++;
      }
      if (gold !== pred && showErrors > 0) {
        errors.push(`${gold ? 'FN' : 'FP'} ${g} ${doc.id}:${i + 1} [${segmentAt(i)?.reasons.join('; ') ?? ''}] ${line.slice(0, 100)}`);
      }
    });
  });
  const elapsed = performance.now() - started;

  function report(name, s, note = '') {
    const p = s.tp / Math.max(1, s.tp + s.fp);
    const r = s.tp / Math.max(1, s.tp + s.fn);
    const f1 = p + r > 0 ? (2 * p * r) / (p + r) : 0;
    console.log(
      `${name.padEnd(8)} body P ${p.toFixed(3)}  R ${r.toFixed(3)}  F1 ${f1.toFixed(3)}${note}  ` +
        `(${s.docs} documents, ${s.lines} scored lines, ${s.unscored} unscored; tp ${s.tp} fp ${s.fp} fn ${s.fn} tn ${s.tn})`,
    );
    return f1;
  }
  const f1 = report('all', all, target === undefined ? '' : ` (target ≥ ${target})`);
  if (flags.has('--halves')) {
    report('half A', halves[0]);
    report('half B', halves[1]);
  }
  const templated = segments.flat().filter((s) => s.reasons.some((r) => r.startsWith('repeated in'))).length;
  console.log(`segments with template lines: ${templated}; analysed in ${elapsed.toFixed(0)} ms`);
  if (showErrors > 0) {
    // A deterministic sample spread over the list.
    const step = Math.max(1, Math.floor(errors.length / showErrors));
    for (let i = 0; i < errors.length && i / step < showErrors; i += step) console.log(errors[i]);
  }
  return f1;
}
