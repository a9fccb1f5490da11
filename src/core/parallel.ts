import { Worker } from 'node:worker_threads';
import type { SourceDocument } from '../input/read.js';
import { sketcherFor } from '../sketch/index.js';
import type { ProgressCallback } from '../types/progress.js';
import { buildCorpus, distinctTexts, expandSketches, perDocumentStage, sketchAll, type CorpusState } from './analyse.js';
import { sketchDocument, type DocumentSketch } from './document.js';
import { defaultJobs } from '../options/table.js';
import type { AnalyseOptions } from './options.js';
import type { SketchRequest, SketchResponse } from './sketch-worker.js';

/**
 * Below this much text, starting workers (each loads and warms up the pipeline's code) costs
 * more than it saves: measured on 2 cores, BBC's 5 MB is about even.
 */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;
const BATCH_DOCUMENTS = 32;
const BATCHES_IN_FLIGHT = 2;

/** Worker threads unless told otherwise: the option table's default for --jobs. */
export function defaultThreads(): number {
  return defaultJobs();
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Sketch documents on `threads` threads when the run is big enough to pay for them: this thread
 * plus `threads - 1` workers, all taking batches from one queue. Results come back in input order,
 * identical to the single-threaded path.
 */
export async function sketchAllParallel(
  sources: readonly SourceDocument[],
  options: AnalyseOptions,
  {
    threads = defaultThreads(),
    minBytes = PARALLEL_MIN_BYTES,
    onProgress,
  }: { threads?: number; minBytes?: number; onProgress?: ProgressCallback } = {},
): Promise<DocumentSketch[]> {
  const totalBytes = sources.reduce((sum, s) => sum + s.bytes, 0);
  const batches = Math.ceil(sources.length / BATCH_DOCUMENTS);
  const workerCount = Math.min(threads, batches) - 1;
  if (workerCount < 1 || totalBytes < minBytes) return sketchAll(sources, options, onProgress);

  const results: DocumentSketch[] = new Array(sources.length);
  const batchTexts = (batch: number) => sources.slice(batch * BATCH_DOCUMENTS, (batch + 1) * BATCH_DOCUMENTS).map((s) => s.text);
  let nextBatch = 0;
  let finished = 0;
  let done = 0;
  let failure: unknown;
  const store = (batch: number, sketches: DocumentSketch[]) => {
    sketches.forEach((sketch, i) => (results[batch * BATCH_DOCUMENTS + i] = sketch));
    finished++;
    done += sketches.length;
    onProgress?.(done, sources.length, perDocumentStage(options));
  };

  const pool = Array.from({ length: workerCount }, () => new Worker(new URL('./sketch-worker.js', import.meta.url), { workerData: options }));
  const send = (worker: Worker) => {
    if (nextBatch >= batches) return;
    const batch = nextBatch++;
    worker.postMessage({ batch, texts: batchTexts(batch) } satisfies SketchRequest);
  };
  let wake: (() => void) | undefined;
  for (const worker of pool) {
    worker.on('message', ({ batch, sketches }: SketchResponse) => {
      store(batch, sketches);
      send(worker);
      wake?.();
    });
    worker.on('error', (error) => {
      failure ??= error;
      wake?.();
    });
    worker.on('exit', (code) => {
      if (finished < batches) failure ??= new Error(`sketch worker stopped early (exit code ${code})`);
      wake?.();
    });
    for (let i = 0; i < BATCHES_IN_FLIGHT; i++) send(worker);
  }

  try {
    // This thread takes batches from the same queue, yielding between them so that finished
    // batches are collected and workers are fed without waiting.
    const hasher = sketcherFor(options.sketch, options.numPerm, options.seed);
    while (nextBatch < batches && failure === undefined) {
      const batch = nextBatch++;
      store(batch, batchTexts(batch).map((text) => sketchDocument(text, options, hasher)));
      await nextTurn();
    }
    while (finished < batches && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
    if (failure !== undefined) throw failure;
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}

/** buildCorpus, with the per-document work spread over worker threads when it pays. */
export async function buildCorpusParallel(
  sources: readonly SourceDocument[],
  options: AnalyseOptions,
  context: { threads?: number; onProgress?: ProgressCallback },
): Promise<CorpusState> {
  // Byte-identical files are sketched once.
  const { distinct, slot } = distinctTexts(sources);
  const sketches = expandSketches(await sketchAllParallel(distinct, options, { threads: context.threads, onProgress: context.onProgress }), slot);
  return buildCorpus(sources, sketches, options, context.onProgress);
}
