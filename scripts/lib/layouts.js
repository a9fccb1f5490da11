// The layout check of issue 8: the BBC articles as shipped (one paragraph per line) and
// hard-wrapped the way wire copy, mail and Usenet are, each run through the CLI with default
// options, so the figures are exactly what a user gets. Per layout: recall of bbc-pairs.tsv and
// the share of non-blank lines labelled body. The wrapped copies live in a temp folder only.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from './corpus.js';

export const MUST_FIND = 0.83; // every listed pair at or above this must be reported
export const NOTHING_BELOW = 0.77; // no reported pair may have a true Jaccard below this
export const BODY_SHARE_TARGET = 0.995; // BBC has no boilerplate: nearly every line is body
const FIXED_WIDTH = 70;
const WIDTH_RANGE = [58, 78]; // inclusive, drawn per file

/**
 * One line as `fold -s -w width` prints it: break after the last blank that still fits, keeping
 * the blank at the end of the line; a run with no blank is cut at the width. Works on a string
 * with one char per byte (latin1), because GNU fold counts bytes: this keeps the copies
 * byte-identical to fold's and leaves the one Latin-1 file's encoding as it was.
 */
export function foldLine(line, width) {
  const out = [];
  let buf = '';
  let column = 0;
  const advance = (col, ch) => (ch === '\t' ? col + 8 - (col % 8) : ch === '\b' ? Math.max(0, col - 1) : ch === '\r' ? 0 : col + 1);
  for (const ch of line) {
    if (advance(column, ch) > width && buf !== '') {
      const blank = Math.max(buf.lastIndexOf(' '), buf.lastIndexOf('\t'));
      if (blank >= 0) {
        out.push(buf.slice(0, blank + 1));
        buf = buf.slice(blank + 1);
      } else {
        out.push(buf);
        buf = '';
      }
      column = [...buf].reduce(advance, 0);
      // The character is tried again against what is left, as fold does.
      if (advance(column, ch) > width && buf !== '') {
        out.push(buf);
        buf = '';
        column = 0;
      }
    }
    buf += ch;
    column = advance(column, ch);
  }
  out.push(buf);
  return out.join('\n');
}

export const foldText = (text, width) => text.split('\n').map((line) => foldLine(line, width)).join('\n');

/** BBC's articles as raw bytes, topic folder then file name, paths relative to bbc/ like bbc-pairs.tsv. */
function bbcFiles(root) {
  const folders = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const files = [];
  for (const folder of folders) {
    for (const name of readdirSync(path.join(root, folder)).filter((f) => f.endsWith('.txt')).sort()) {
      files.push({ path: `${folder}/${name}`, bytes: readFileSync(path.join(root, folder, name)) });
    }
  }
  return { folders, files };
}

/** Write every file re-wrapped at widthOf(file) under dir; returns the new files' bytes. */
function writeWrapped(files, dir, widthOf) {
  return files.map((file) => {
    const bytes = Buffer.from(foldText(file.bytes.toString('latin1'), widthOf(file)), 'latin1');
    const target = path.join(dir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, bytes);
    return { path: file.path, bytes };
  });
}

/**
 * The three layouts: as shipped (read in place), folded at 70 columns, and folded at a width
 * drawn per file from 58–78 with a seeded PRNG (so every run builds the same copy).
 */
export function buildLayouts(bbcRoot, tempDir, seed) {
  const { folders, files } = bbcFiles(bbcRoot);
  const rand = mulberry32(seed);
  const [lo, hi] = WIDTH_RANGE;
  return [
    { name: 'as shipped', root: bbcRoot, folders, files },
    { name: `fold -s -w ${FIXED_WIDTH}`, root: path.join(tempDir, 'fixed'), folders, files: writeWrapped(files, path.join(tempDir, 'fixed'), () => FIXED_WIDTH) },
    { name: `fold -s, widths ${lo}–${hi}`, root: path.join(tempDir, 'mixed'), folders, files: writeWrapped(files, path.join(tempDir, 'mixed'), () => lo + Math.floor(rand() * (hi - lo + 1))) },
  ];
}

/**
 * The CLI's JSON report on one layout. Run from the layout's root on its topic folders, so the
 * report's paths read like bbc-pairs.tsv's and README.TXT beside them is not taken in.
 */
export function runCli(projectRoot, layout) {
  const bin = path.join(projectRoot, 'bin', 'dedupe.js');
  const argv = [bin, '--format', 'json', '--quiet', '--exit-zero', ...layout.folders];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: layout.root, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`dedupe exited ${code} on ${layout.name}: ${err.trim()}`));
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')));
      } catch (error) {
        reject(new Error(`dedupe printed unreadable JSON on ${layout.name}: ${error.message}`));
      }
    });
  });
}

const keyOf = (a, b) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/**
 * Score one report. The truth for a pair is its listed Jaccard, exact on the full text; folding
 * at a blank does not change the words, so it holds for every layout, and a pair that is not
 * listed is below 0.5. Body lines are counted here from the segments' physical line ranges over
 * our own reading of the files, not from the report's counts, so the check does not trust the
 * code it measures.
 */
export function scoreLayout(layout, report, listed) {
  const truth = new Map(listed.map((p) => [keyOf(p.a, p.b), p.jaccard]));
  const reported = new Set(report.pairs.map((p) => keyOf(p.a, p.b)));
  const mustFind = listed.filter((p) => p.jaccard >= MUST_FIND);
  const missed = mustFind.filter((p) => !reported.has(keyOf(p.a, p.b)));
  const below = report.pairs
    .map((p) => ({ a: p.a, b: p.b, similarity: p.similarity, listed: truth.get(keyOf(p.a, p.b)) }))
    .filter((p) => (p.listed ?? 0) < NOTHING_BELOW);

  const segmentsOf = new Map(report.documents.map((d) => [d.path, d.segments]));
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let nonBlank = 0;
  let body = 0;
  let documentsWithBoilerplate = 0;
  for (const file of layout.files) {
    // Numbered as the report numbers lines: 1-based, split at any line break.
    const lines = decoder.decode(file.bytes).split(/\r\n|\r|\n/);
    const isBody = new Uint8Array(lines.length);
    for (const s of segmentsOf.get(file.path) ?? []) if (s.kind === 'body') isBody.fill(1, s.startLine - 1, s.endLine);
    let other = 0;
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      nonBlank++;
      if (isBody[i]) body++;
      else other++;
    });
    if (other > 0) documentsWithBoilerplate++;
  }
  const bodyShare = nonBlank === 0 ? 0 : body / nonBlank;
  return {
    layout: layout.name,
    documents: layout.files.length,
    reportedDocuments: report.documents.length,
    params: { threshold: report.params.threshold, compare: report.params.compare, sketch: report.params.sketch },
    mustFind: mustFind.length,
    mustFound: mustFind.length - missed.length,
    missed,
    reported: report.pairs.length,
    below,
    nonBlank,
    body,
    bodyShare,
    documentsWithBoilerplate,
    pairsPass: missed.length === 0 && below.length === 0,
    bodySharePass: bodyShare >= BODY_SHARE_TARGET,
  };
}
