// Worker thread: sketches batches of documents, and segments them again with the corpus
// evidence, with the same code the main thread would run.
import { parentPort, workerData } from 'node:worker_threads';
import type { Segment } from '../segment/index.js';
import { sketcherFor } from '../sketch/index.js';
import { resegment } from './analyse.js';
import { sketchDocument } from './document.js';
import { packSketches, type PackedSketches } from './sketch-transfer.js';
import type { AnalyseOptions } from './options.js';

export interface WorkerRequest {
  batch: number;
  work:
    | { kind: 'sketch'; texts: string[] }
    /** Template lines as [line, documents] entries (a Map does not cross threads as one). */
    | { kind: 'segment'; jobs: Array<{ text: string; templateLines: Array<[number, number]> }> };
}

export interface WorkerResponse {
  batch: number;
  results: PackedSketches | Segment[][];
}

const options = workerData as AnalyseOptions;
const hasher = sketcherFor(options.sketch, options.numPerm, options.seed);

parentPort?.on('message', ({ batch, work }: WorkerRequest) => {
  if (work.kind === 'segment') {
    const results = work.jobs.map((job) => resegment(job.text, new Map(job.templateLines)));
    parentPort?.postMessage({ batch, results } satisfies WorkerResponse);
    return;
  }
  const packed = packSketches(work.texts.map((text) => sketchDocument(text, options, hasher)));
  // Hand the two buffers over instead of copying them.
  parentPort?.postMessage({ batch, results: packed } satisfies WorkerResponse, [packed.arrays.buffer as ArrayBuffer, packed.signatures.buffer as ArrayBuffer]);
});
