import { chooseBands } from '../candidates/lsh.js';
import { documentLines } from '../core/document.js';
import type { AnalyseOptions } from '../core/options.js';
import { sketchAllParallel } from '../core/parallel.js';
import { distinctTexts, expandSketches } from '../core/analyse.js';
import type { SourceDocument } from '../input/read.js';
import { describeDocument } from '../report/describe.js';
import { documentTables, type DocumentTables } from './tables.js';

/** Documents sketched per batch: what is held at once besides the texts. */
const BATCH_DOCUMENTS = 4096;

/**
 * Sketch documents for the tables, batch by batch: each document alone (its own segmentation,
 * shingles, signature and band keys), so any split of a corpus into shards gives the same rows.
 * There is no corpus evidence here (an outlet's template lines found across documents): see the
 * README's "Large corpora".
 */
export async function* sketchTables(
  sources: readonly SourceDocument[],
  options: AnalyseOptions,
  { threads, onProgress }: { threads?: number; onProgress?: (done: number, total: number) => void } = {},
): AsyncGenerator<DocumentTables[]> {
  const bandParams = chooseBands(options.numPerm, options.threshold, options.recall);
  for (let start = 0; start < sources.length; start += BATCH_DOCUMENTS) {
    const batch = sources.slice(start, start + BATCH_DOCUMENTS);
    const { distinct, slot } = distinctTexts(batch);
    const sketches = expandSketches(await sketchAllParallel(distinct, options, { threads }), slot);
    yield batch.map((source, i) => {
      const sketch = sketches[i]!;
      const { path: _path, ...description } = describeDocument(source, documentLines(source.text), sketch, false);
      return documentTables(source, sketch, options, bandParams, description);
    });
    onProgress?.(Math.min(start + BATCH_DOCUMENTS, sources.length), sources.length);
  }
}
