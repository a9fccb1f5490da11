#!/usr/bin/env node
// npm run check:options: the README's option table (under "## Usage") lists exactly the options
// of the option table (src/options/table.ts, read compiled from dist/) with the same defaults.
// Each README row names one or more options by their long flags (`--include <glob>` /
// `--exclude <glob>`; `--color` / `--no-color` is one option); its default cell must read as the
// entry's: `defaultText` when the entry has one, else the value in backticks (sizes as 256M),
// else empty. Prints each mismatch and exits 1; the README prose is not generated, only checked.
import { readFileSync } from 'node:fs';
import { OPTIONS } from '../dist/options/table.js';

const README = new URL('../README.md', import.meta.url);
const HEADER = '| option | meaning | default |';

/** The default as the README writes it. */
function readmeDefault(spec) {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.default === undefined || spec.type.kind === 'boolean') return '';
  if (spec.type.kind === 'size') {
    const units = ['', 'K', 'M', 'G', 'T'];
    let value = spec.default;
    let unit = 0;
    while (value % 1024 === 0 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return `\`${value}${units[unit]}\``;
  }
  return `\`${spec.default}\``;
}

/** The entry a long flag names: `--num-perm`, `--no-boilerplate`, `--no-color`. */
function entryFor(flag) {
  for (const [name, spec] of Object.entries(OPTIONS)) {
    const long = /--[a-z0-9-]+/.exec(spec.flags)?.[0];
    if (flag === long || (spec.negate && flag === `--no-${name}`)) return name;
  }
  return undefined;
}

const lines = readFileSync(README, 'utf8').split('\n');
const start = lines.indexOf(HEADER);
const problems = [];
const listed = new Map();
if (start < 0) problems.push(`README.md: no option table (a line "${HEADER}")`);
else {
  for (let i = start + 2; i < lines.length && lines[i].startsWith('|'); i++) {
    // Cells split on | not escaped as \|.
    const cells = lines[i].split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    const [flags, , shown = ''] = cells;
    const names = new Set();
    for (const [flag] of flags.matchAll(/--[a-z0-9-]+/g)) {
      const name = entryFor(flag);
      if (name === undefined) problems.push(`README.md:${i + 1}: ${flag} is not in the option table`);
      else names.add(name);
    }
    for (const name of names) {
      if (listed.has(name)) problems.push(`README.md:${i + 1}: --${name} is listed twice (also line ${listed.get(name)})`);
      listed.set(name, i + 1);
      const expected = readmeDefault(OPTIONS[name]);
      if (shown !== expected) problems.push(`README.md:${i + 1}: --${name} default is ${JSON.stringify(shown)}, the option table says ${JSON.stringify(expected)}`);
    }
  }
  for (const name of Object.keys(OPTIONS)) if (!listed.has(name)) problems.push(`README.md: --${name} is in the option table but not in the README's`);
}

for (const p of problems) console.error(p);
console.log(`check:options: ${listed.size} options in the README, ${Object.keys(OPTIONS).length} in the table, ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
