// Worker thread: sketches batches of documents, and segments them again with the corpus
// evidence, with the same code the main thread would run.
import { parentPort, workerData } from 'node:worker_threads';
import { chooseBands } from '../candidates/lsh.js';
import { sketcherFor } from '../sketch/index.js';
import { sketchDocument, type Labels } from './document.js';
import type { ReadTask } from '../input/read.js';
import { readAndSketch, segmentAgain, sendReads, type SegmentJob, type SentReads } from './read-sketch.js';
import { packSketches, type PackedSketches } from './sketch-transfer.js';
import type { AnalyseOptions } from './options.js';

export interface WorkerRequest {
  work:
    /** `lines`: keep the per-line arrays; `keys`: send band keys, not signatures (packSketches). */
    | { kind: 'sketch'; texts: string[]; lines: boolean; keys: boolean }
    /** Text files to read and sketch here (their texts never cross threads). */
    | { kind: 'read'; tasks: ReadTask[]; maxFileSize: number; lines: boolean; keys: boolean }
    | { kind: 'segment'; jobs: SegmentJob[] };
}

export interface WorkerResponse {
  results: PackedSketches | Array<Labels | null> | { reads: SentReads; packed: PackedSketches };
}

const options = workerData as AnalyseOptions;
const hasher = sketcherFor(options.sketch, options.numPerm, options.seed);
const bandParams = chooseBands(options.numPerm, options.threshold, options.recall);

const buffersOf = (packed: PackedSketches) => [packed.arrays.buffer as ArrayBuffer, packed.signatures.buffer as ArrayBuffer];

// Answers go back in the order requests came: the pool matches them by that order.
parentPort?.on('message', ({ work }: WorkerRequest) => {
  if (work.kind === 'segment') {
    const results = work.jobs.map(segmentAgain);
    parentPort?.postMessage({ results } satisfies WorkerResponse);
    return;
  }
  if (work.kind === 'read') {
    const { reads, sketches } = readAndSketch(work.tasks, work.maxFileSize, options, hasher);
    const packed = packSketches(sketches, work.lines, work.keys ? bandParams : undefined);
    const sent = sendReads(reads);
    parentPort?.postMessage({ results: { reads: sent, packed } } satisfies WorkerResponse, [...buffersOf(packed), sent.numbers.buffer as ArrayBuffer]);
    return;
  }
  const packed = packSketches(work.texts.map((text) => sketchDocument(text, options, hasher)), work.lines, work.keys ? bandParams : undefined);
  // Hand the two buffers over instead of copying them.
  parentPort?.postMessage({ results: packed } satisfies WorkerResponse, buffersOf(packed));
});
