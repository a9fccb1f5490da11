#!/usr/bin/env node
// npm run lint:deps: the import graph of src/ (type-only imports included, read by madge) must
// point down the pipeline only. Fails (exit 1) on
// - any circular dependency;
// - an upward import: a module may import its own layer and the layers below it, never above;
//   among the stages, a stage may import only itself and the stages before it in pipeline order;
// - an import of anything outside src/ by path (scripts/, tests/, dist/…): packages are fine.
// dependency-cruiser would say this in its config, but its current major (18) refuses to run on
// Node 20 (engines ^22), which this package supports; madge gives the graph, the rules are here.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');

// The stages in pipeline order, as the README's table lists them.
const STAGES = ['input', 'normalise', 'tokenise', 'layout', 'segment', 'shingle', 'sketch', 'exact', 'candidates', 'verify', 'cluster'];
// The layers, bottom first. A path belongs to the first group whose pattern it matches
// (paths relative to src/, `/` separators).
const LAYERS = [
  // Leaf types and the option table: import nothing above themselves.
  { name: 'types', pattern: /^(types|options)\// },
  // The pipeline stages, in pipeline order (each is its own group, see stageRank).
  { name: 'stages', pattern: new RegExp(`^(${STAGES.join('|')})/`) },
  // Runs the stages over a corpus: sketching, corpus evidence, pair search, clustering.
  { name: 'core', pattern: /^core\// },
  // The persistent index (DuckDB): stores what core computes; stages and core never import it.
  { name: 'store', pattern: /^index\// },
  // The report: its data types and how the corpus is described in it (documents, clusters, pairs, duplicates).
  { name: 'report model', pattern: /^report\/[^/]+$/ },
  // Shards past one machine: per-document sketches as tables, and the report from verified pairs.
  { name: 'shard', pattern: /^shard\// },
  // Output formats: the report as text, JSON, NDJSON, SARIF, GitHub annotations, paths.
  { name: 'formats', pattern: /^report\/formats\// },
  // Entry points: the CLI and the library's public modules at the top of src/.
  { name: 'cli', pattern: /^(cli\/|[^/]+$)/ },
];

const layerOf = (file) => LAYERS.findIndex((l) => l.pattern.test(file));
const stageRank = (file) => STAGES.indexOf(file.split('/')[0]);

const result = await madge(src, {
  baseDir: src,
  fileExtensions: ['ts'],
  tsConfig: path.join(root, 'tsconfig.json'),
  // `import type` counts: a type cycle is a cycle in what a reader must hold in mind.
  detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
});

const problems = [];
const graph = result.obj();
for (const [file, deps] of Object.entries(graph)) {
  if (file.startsWith('..')) continue; // outside src/: reported as the import that reached it
  const from = layerOf(file);
  if (from < 0) problems.push(`${file}: in no layer (add it to LAYERS in scripts/lint-deps.js)`);
  for (const dep of deps) {
    if (dep.startsWith('..') || path.isAbsolute(dep)) {
      problems.push(`${file} -> ${dep}: src/ imports only src/ and packages (never scripts/, tests/ or dist/)`);
      continue;
    }
    const to = layerOf(dep);
    if (from < 0 || to < 0) continue;
    if (to > from) {
      problems.push(`${file} -> ${dep}: upward import (${LAYERS[from].name} may not import ${LAYERS[to].name})`);
    } else if (to === from && LAYERS[from].name === 'stages' && stageRank(dep) > stageRank(file)) {
      problems.push(`${file} -> ${dep}: upward import (stage ${file.split('/')[0]} comes before stage ${dep.split('/')[0]})`);
    }
  }
}
for (const cycle of result.circular()) problems.push(`circular: ${[...cycle, cycle[0]].join(' -> ')}`);
// An import madge cannot resolve is a graph with a hole in it: a typo, or a path outside src/ that does not exist.
for (const skipped of result.warnings().skipped) problems.push(`unresolved import: ${skipped}`);

const files = Object.keys(graph).filter((f) => !f.startsWith('..')).length;
if (problems.length) {
  console.error(`lint:deps: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} modules`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`lint:deps: ${files} modules, no cycles, no upward imports`);
