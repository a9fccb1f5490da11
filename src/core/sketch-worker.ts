// Worker thread: sketches batches of documents, and segments them again with the corpus
// evidence, with the same code the main thread would run.
import { parentPort, workerData } from 'node:worker_threads';
import { chooseBands } from '../candidates/lsh.js';
import { sketcherFor } from '../sketch/index.js';
import { sketchDocument, type Relabelled } from './document.js';
import type { ReadTask } from '../input/read.js';
import { readAndSketch, segmentAgain, sendReads, type SegmentJob, type SentReads } from './read-sketch.js';
import { packOptionsOf, packSketches, type PackedSketches, type SentPacking } from './sketch-transfer.js';
import type { AnalyseOptions } from './options.js';

export interface WorkerRequest {
  work:
    | { kind: 'sketch'; texts: string[]; pack: SentPacking }
    /** Text files to read and sketch here (their texts never cross threads). */
    | { kind: 'read'; tasks: ReadTask[]; maxFileSize: number; pack: SentPacking }
    | { kind: 'segment'; jobs: SegmentJob[] };
}

export interface WorkerResponse {
  results: PackedSketches | Array<Relabelled | null> | { reads: SentReads; packed: PackedSketches };
}

const options = workerData as AnalyseOptions;
const hasher = sketcherFor(options.sketch, options.numPerm, options.seed);
const bandParams = chooseBands(options.numPerm, options.threshold, options.recall);

const packOptions = (sent: SentPacking) => packOptionsOf(sent, bandParams, options.ngram);

const buffersOf = (packed: PackedSketches) => [packed.arrays.buffer as ArrayBuffer, packed.signatures.buffer as ArrayBuffer, ...(packed.digests.length > 0 ? [packed.digests.buffer as ArrayBuffer] : [])];

// Answers go back in the order requests came: the pool matches them by that order.
parentPort?.on('message', ({ work }: WorkerRequest) => {
  if (work.kind === 'segment') {
    const results = work.jobs.map((job) => segmentAgain(job, options));
    parentPort?.postMessage({ results } satisfies WorkerResponse);
    return;
  }
  if (work.kind === 'read') {
    const { reads, sketches } = readAndSketch(work.tasks, work.maxFileSize, options, hasher);
    const packed = packSketches(sketches, packOptions(work.pack));
    const sent = sendReads(reads);
    parentPort?.postMessage({ results: { reads: sent, packed } } satisfies WorkerResponse, [...buffersOf(packed), sent.numbers.buffer as ArrayBuffer]);
    return;
  }
  const packed = packSketches(work.texts.map((text) => sketchDocument(text, options, hasher)), packOptions(work.pack));
  // Hand the buffers over instead of copying them.
  parentPort?.postMessage({ results: packed } satisfies WorkerResponse, buffersOf(packed));
});
