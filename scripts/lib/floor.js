#!/usr/bin/env node
// The Node floor of issue 12: read every file under a folder (hidden entries skipped, as dedupe
// does), lowercase it, split it into words. No pipeline can read the corpus faster than this
// does on one thread; the bench states every run as a multiple of it.
//
//   node scripts/lib/floor.js DIR   → prints { files, bytes, words } as JSON
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = process.argv[2];
if (!root) {
  console.error('usage: node scripts/lib/floor.js DIR');
  process.exit(2);
}
let files = 0;
let bytes = 0;
let words = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.isFile()) {
      const text = readFileSync(full, 'utf8');
      files++;
      bytes += text.length;
      words += text.toLowerCase().split(/[^\p{L}\p{N}]+/u).length;
    }
  }
};
walk(root);
process.stdout.write(`${JSON.stringify({ files, bytes, words })}\n`);
