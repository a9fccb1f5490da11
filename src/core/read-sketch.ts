import { originOf, readTextFile, rereadFile, type ReadTask, type SourceDocument, type TextOrigin } from '../input/read.js';
import type { Sketcher } from '../sketch/index.js';
import type { Warning } from '../types/warning.js';
import { resegment } from './analyse.js';
import { sketchDocument, type DocumentSketch, type Labels } from './document.js';
import type { AnalyseOptions } from './options.js';

/** What reading one text file gave, without its text: a document (origin says how to read it again), or a skip. */
export interface FileRead {
  doc?: SourceDocument;
  warning?: Warning;
  skipped?: boolean;
  error?: boolean;
}

/**
 * Read text files and sketch them, on whichever thread: each text is let go once sketched.
 * `sketches` holds one sketch per document read, in order.
 */
export function readAndSketch(tasks: readonly ReadTask[], maxFileSize: number, options: AnalyseOptions, hasher: Sketcher): { reads: FileRead[]; sketches: DocumentSketch[] } {
  const sketches: DocumentSketch[] = [];
  const reads = tasks.map((task): FileRead => {
    const { doc, warning, skipped, error } = readTextFile(task, maxFileSize);
    if (doc) {
      sketches.push(sketchDocument(doc.text, options, hasher));
      doc.origin = originOf(doc.text, task.reach);
      doc.text = '';
    }
    return { ...(doc ? { doc } : {}), ...(warning ? { warning } : {}), ...(skipped ? { skipped } : {}), ...(error ? { error } : {}) };
  });
  return { reads, sketches };
}

/** A document to segment again with corpus evidence: its text, or (a text file's) where to read it. */
export interface SegmentJob {
  text?: string;
  origin?: TextOrigin;
  /** Template lines as [line, documents] entries (a Map does not cross threads as one). */
  templateLines: Array<[number, number]>;
}

/** The labels with the corpus evidence, on whichever thread; null when the file is no longer the text sketched. */
export function segmentAgain(job: SegmentJob): Labels | null {
  const text = job.text ?? (job.origin ? rereadFile(job.origin) : undefined);
  return text === undefined ? null : resegment(text, new Map(job.templateLines));
}
