#!/usr/bin/env node
// The npm `minhash` pipeline (scripts/lib/pipelines.js) on files: read every file under DIR (or
// LIMIT of them, evenly spaced in walk order, so the sample has the corpus's mix), then tokenise, shingle, MinHash, LSH and verify on one thread
// with our default parameters. A child of the bench, measured like the CLI runs.
//
//   node scripts/lib/minhash-child.js DIR [LIMIT]   → prints { files, bytes, pairs } as JSON
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadLibrary, runMinhash } from './pipelines.js';

const [root, limitArg] = process.argv.slice(2);
if (!root) {
  console.error('usage: node scripts/lib/minhash-child.js DIR [LIMIT]');
  process.exit(2);
}
const limit = limitArg === undefined ? Infinity : Number(limitArg);
const lib = await loadLibrary();
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.isFile()) files.push(full);
  }
};
walk(root);
const step = files.length / Math.min(limit, files.length);
const sources = Array.from({ length: Math.min(limit, files.length) }, (_, i) => {
  const file = files[Math.floor(i * step)];
  return { path: file, text: readFileSync(file, 'utf8') };
});
const bytes = sources.reduce((sum, s) => sum + Buffer.byteLength(s.text), 0);
const options = lib.DEFAULT_OPTIONS;
const result = runMinhash(sources, options, lib.chooseBands(options.numPerm, options.threshold, options.recall));
process.stdout.write(`${JSON.stringify({ files: sources.length, bytes, pairs: result.pairs.length })}\n`);
