import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SourceDocument } from '../input/read.js';
import type { Report } from '../report/types.js';
import { buildCorpus, reportCorpus, sketchAll, type AnalyseContext } from './analyse.js';
import type { DocumentSketch } from './document.js';
import type { AnalyseOptions } from './options.js';
import type { SketchRequest, SketchResponse } from './sketch-worker.js';

/** Below this much text, starting workers (each loads the pipeline's modules) costs more than it saves. */
export const PARALLEL_MIN_BYTES = 2 * 1024 * 1024;
const BATCH_DOCUMENTS = 32;
const BATCHES_IN_FLIGHT = 2;

export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/**
 * Sketch documents on worker threads when the run is big enough to pay for them, else on this
 * thread. Results come back in input order, identical to the single-threaded path.
 */
export async function sketchAllParallel(
  sources: readonly SourceDocument[],
  options: AnalyseOptions,
  {
    threads = defaultThreads(),
    minBytes = PARALLEL_MIN_BYTES,
    onProgress,
  }: { threads?: number; minBytes?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<DocumentSketch[]> {
  const totalBytes = sources.reduce((sum, s) => sum + s.bytes, 0);
  const batches = Math.ceil(sources.length / BATCH_DOCUMENTS);
  const workers = Math.min(threads, batches);
  if (workers < 2 || totalBytes < minBytes) return sketchAll(sources, options, onProgress);

  const results: DocumentSketch[] = new Array(sources.length);
  const pool = Array.from({ length: workers }, () => new Worker(new URL('./sketch-worker.js', import.meta.url), { workerData: options }));
  let nextBatch = 0;
  let finished = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const send = (worker: Worker) => {
        if (nextBatch >= batches) return;
        const batch = nextBatch++;
        const texts = sources.slice(batch * BATCH_DOCUMENTS, (batch + 1) * BATCH_DOCUMENTS).map((s) => s.text);
        worker.postMessage({ batch, texts } satisfies SketchRequest);
      };
      for (const worker of pool) {
        worker.on('message', ({ batch, sketches }: SketchResponse) => {
          sketches.forEach((sketch, i) => (results[batch * BATCH_DOCUMENTS + i] = sketch));
          done += sketches.length;
          onProgress?.(done, sources.length);
          if (++finished === batches) resolve();
          else send(worker);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (finished < batches) reject(new Error(`sketch worker stopped early (exit code ${code})`));
        });
        for (let i = 0; i < BATCHES_IN_FLIGHT; i++) send(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}

/** analyseCorpus, with the per-document work spread over worker threads when it pays. */
export async function analyseCorpusParallel(
  sources: readonly SourceDocument[],
  options: AnalyseOptions,
  context: AnalyseContext & { threads?: number },
): Promise<Report> {
  const sketches = await sketchAllParallel(sources, options, { threads: context.threads, onProgress: context.onProgress });
  return reportCorpus(buildCorpus(sources, sketches, options), context);
}
