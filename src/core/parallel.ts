import { Worker } from 'node:worker_threads';
import type { SourceDocument } from '../input/read.js';
import type { Segment } from '../segment/index.js';
import { sketcherFor } from '../sketch/index.js';
import type { ProgressCallback } from '../types/progress.js';
import { applySegments, distinctTexts, expandSketches, gatherSketches, perDocumentStage, resegment, sketchAll, templateJobs, type CorpusState } from './analyse.js';
import { sketchDocument, type DocumentSketch } from './document.js';
import { defaultJobs } from '../options/table.js';
import type { AnalyseOptions } from './options.js';
import type { WorkerRequest, WorkerResponse } from './sketch-worker.js';
import { unpackSketches, type PackedSketches } from './sketch-transfer.js';

/**
 * Below this much text, starting workers (each loads and warms up the pipeline's code) costs
 * more than it saves: measured on 2 cores, BBC's 5 MB is about even.
 */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;
const BATCH_DOCUMENTS = 32;
const BATCHES_IN_FLIGHT = 4;

/** Worker threads unless told otherwise: the option table's default for --jobs. */
export function defaultThreads(): number {
  return defaultJobs();
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

type Request = WorkerRequest['work'];

/**
 * `threads - 1` workers and this thread, taking batches of one job from one queue. A pool lives
 * through a whole corpus build (sketching, then re-segmenting with the corpus evidence), so the
 * workers load and warm up the pipeline's code once.
 */
class SketchPool {
  private readonly workers: Worker[];

  constructor(workerCount: number, options: AnalyseOptions) {
    this.workers = Array.from({ length: workerCount }, () => new Worker(new URL('./sketch-worker.js', import.meta.url), { workerData: options }));
  }

  /**
   * Run `batches` batches: `request(b)` is what a worker is sent for batch b, `here(b)` does the
   * same work on this thread; `store(b, result)` receives each batch's result as it comes, in any
   * order (a worker's as `fromWorker` reads its message). This thread yields between its own
   * batches so finished ones are collected and the workers fed without waiting.
   */
  async run<R>(
    batches: number,
    request: (batch: number) => Request,
    here: (batch: number) => R[],
    store: (batch: number, results: R[]) => void,
    fromWorker: (results: WorkerResponse['results']) => R[] = (results) => results as R[],
  ): Promise<void> {
    let nextBatch = 0;
    let finished = 0;
    let failure: unknown;
    let wake: (() => void) | undefined;
    const send = (worker: Worker) => {
      if (nextBatch >= batches) return;
      const batch = nextBatch++;
      worker.postMessage({ batch, work: request(batch) } satisfies WorkerRequest);
    };
    const listeners = this.workers.map((worker) => {
      const onMessage = ({ batch, results }: WorkerResponse) => {
        store(batch, fromWorker(results));
        finished++;
        send(worker);
        wake?.();
      };
      const onError = (error: unknown) => {
        failure ??= error;
        wake?.();
      };
      const onExit = (code: number) => {
        failure ??= new Error(`sketch worker stopped early (exit code ${code})`);
        wake?.();
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      return () => worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    });
    try {
      for (const worker of this.workers) for (let i = 0; i < BATCHES_IN_FLIGHT; i++) send(worker);
      while (nextBatch < batches && failure === undefined) {
        const batch = nextBatch++;
        store(batch, here(batch));
        finished++;
        await nextTurn();
      }
      while (finished < batches && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
      if (failure !== undefined) throw failure;
    } finally {
      for (const remove of listeners) remove();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** A pool when the run is big enough to pay for one, else undefined (everything on this thread). */
function poolFor(sources: readonly SourceDocument[], options: AnalyseOptions, threads: number, minBytes: number): SketchPool | undefined {
  const totalBytes = sources.reduce((sum, s) => sum + s.bytes, 0);
  const workerCount = Math.min(threads, Math.ceil(sources.length / BATCH_DOCUMENTS)) - 1;
  return workerCount < 1 || totalBytes < minBytes ? undefined : new SketchPool(workerCount, options);
}

const batchOf = <T>(items: readonly T[], batch: number) => items.slice(batch * BATCH_DOCUMENTS, (batch + 1) * BATCH_DOCUMENTS);

/** Sketch documents on the pool; results in input order, identical to the single-threaded path. */
async function sketchOnPool(
  pool: SketchPool,
  sources: readonly SourceDocument[],
  options: AnalyseOptions,
  onProgress?: ProgressCallback,
): Promise<DocumentSketch[]> {
  const results: DocumentSketch[] = new Array(sources.length);
  const hasher = sketcherFor(options.sketch, options.numPerm, options.seed);
  let done = 0;
  await pool.run<DocumentSketch>(
    Math.ceil(sources.length / BATCH_DOCUMENTS),
    (batch) => ({ kind: 'sketch', texts: batchOf(sources, batch).map((s) => s.text) }),
    (batch) => batchOf(sources, batch).map((s) => sketchDocument(s.text, options, hasher)),
    (batch, sketches) => {
      sketches.forEach((sketch, i) => (results[batch * BATCH_DOCUMENTS + i] = sketch));
      done += sketches.length;
      onProgress?.(done, sources.length, perDocumentStage(options));
    },
    (packed) => unpackSketches(packed as PackedSketches),
  );
  return results;
}

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
  const pool = poolFor(sources, options, threads, minBytes);
  if (!pool) return sketchAll(sources, options, onProgress);
  try {
    return await sketchOnPool(pool, sources, options, onProgress);
  } finally {
    await pool.close();
  }
}

/** buildCorpus, with the per-document work (sketching, re-segmenting) spread over worker threads when it pays. */
export async function buildCorpusParallel(
  sources: readonly SourceDocument[],
  options: AnalyseOptions,
  context: { threads?: number; minBytes?: number; onProgress?: ProgressCallback },
): Promise<CorpusState> {
  // Byte-identical files are sketched once.
  const { distinct, slot } = distinctTexts(sources);
  const pool = poolFor(distinct, options, context.threads ?? defaultThreads(), context.minBytes ?? PARALLEL_MIN_BYTES);
  try {
    const sketches = pool ? await sketchOnPool(pool, distinct, options, context.onProgress) : sketchAll(distinct, options, context.onProgress);
    // From here to the clusters is verification (the corpus evidence needs a first verified-pair pass).
    context.onProgress?.(0, 1, 'verifying');
    const state = gatherSketches(sources, expandSketches(sketches, slot), options);
    const jobs = templateJobs(state);
    const segmentsOf = (batch: number) => batchOf(jobs, batch).map((job) => resegment(sources[job.document]!.text, job.templateLines));
    const apply = (batch: number, segments: Segment[][]) => segments.forEach((s, i) => applySegments(state, jobs[batch * BATCH_DOCUMENTS + i]!.document, s));
    const batches = Math.ceil(jobs.length / BATCH_DOCUMENTS);
    if (pool) {
      // Segments arrive in any order; each document's are its own, so the order they are taken in does not matter.
      const request = (batch: number): Request => ({
        kind: 'segment',
        jobs: batchOf(jobs, batch).map((job) => ({ text: sources[job.document]!.text, templateLines: [...job.templateLines] })),
      });
      await pool.run<Segment[]>(batches, request, segmentsOf, apply);
    } else {
      for (let batch = 0; batch < batches; batch++) apply(batch, segmentsOf(batch));
    }
    return state;
  } finally {
    await pool?.close();
  }
}
