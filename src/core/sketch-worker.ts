// Worker thread: sketches batches of documents with the same code the main thread would run.
import { parentPort, workerData } from 'node:worker_threads';
import { sketcherFor } from '../sketch/index.js';
import { sketchDocument, type DocumentSketch } from './document.js';
import type { AnalyseOptions } from './options.js';

export interface SketchRequest {
  batch: number;
  texts: string[];
}

export interface SketchResponse {
  batch: number;
  sketches: DocumentSketch[];
}

const options = workerData as AnalyseOptions;
const hasher = sketcherFor(options.sketch, options.numPerm, options.seed);

parentPort?.on('message', ({ batch, texts }: SketchRequest) => {
  const sketches = texts.map((text) => sketchDocument(text, options, hasher));
  // Hand the typed arrays over instead of copying them; a buffer may back two views, list it once.
  const buffers = new Set<ArrayBuffer>();
  for (const s of sketches) for (const a of [s.lineKeys, s.templateKeys, s.units, s.lineUnitStart, s.lineWords, s.shingles, s.signature]) buffers.add(a.buffer as ArrayBuffer);
  parentPort?.postMessage({ batch, sketches } satisfies SketchResponse, [...buffers]);
});
