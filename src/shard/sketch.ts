import { chooseBands } from '../candidates/lsh.js';
import type { AnalyseOptions } from '../core/options.js';
import type { SketchSession } from '../core/parallel.js';
import { applyTemplateCounts, distinctTexts, expandSketches } from '../core/analyse.js';
import type { SourceDocument } from '../input/read.js';
import { describeDocument } from '../report/describe.js';
import { sketcherFor } from '../sketch/index.js';
import { documentTables, type DocumentTables } from './tables.js';

/** Documents sketched per batch (and, in dedupe sketch, read per batch): what is held at once. */
export const BATCH_DOCUMENTS = 4096;

/**
 * Sketch documents for the tables, batch by batch: each document alone (its own segmentation,
 * shingles, signature and band keys), so any split of a corpus into shards gives the same rows.
 * Corpus evidence (an outlet's template lines, found across documents) comes from `templates`:
 * for each template key, the number of unrelated documents it recurs in, as `dedupe pairs
 * --templates` counts them over a first sketch of every shard. Without it, none.
 */
export async function* sketchTables(
  sources: readonly SourceDocument[],
  options: AnalyseOptions,
  {
    session,
    onProgress,
    templates,
  }: {
    /** The pool to sketch on: the caller's, for all its calls (it closes it). */
    session: SketchSession;
    onProgress?: (done: number, total: number) => void;
    templates?: ReadonlyMap<number, number>;
  },
): AsyncGenerator<DocumentTables[]> {
  const bandParams = chooseBands(options.numPerm, options.threshold, options.recall);
  const hasher = sketcherFor(options.sketch, options.numPerm, options.seed);
  const evidence = templates && templates.size > 0 && options.boilerplate ? templates : undefined;
  for (let start = 0; start < sources.length; start += BATCH_DOCUMENTS) {
    const batch = sources.slice(start, start + BATCH_DOCUMENTS);
    const { distinct, slot } = distinctTexts(batch);
    const sketches = expandSketches(await session.sketch(distinct), slot);
    yield batch.map((source, i) => {
      const sketch = sketches[i]!;
      if (evidence) {
        const templateCounts = new Map<number, number>();
        sketch.templateKeys.forEach((key, line) => {
          const count = key === 0 ? undefined : evidence.get(key);
          if (count !== undefined) templateCounts.set(line, count);
        });
        if (applyTemplateCounts(sketch, source.text, templateCounts, options)) sketch.signature = hasher.sketch(sketch.shingles);
      }
      const { path: _path, ...description } = describeDocument(source, sketch);
      return documentTables(source, sketch, options, bandParams, description);
    });
    onProgress?.(Math.min(start + BATCH_DOCUMENTS, sources.length), sources.length);
  }
}
