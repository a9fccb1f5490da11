import { originOf, readTextFile, rereadFile, taskDocument, type ReadTask, type SourceDocument, type TextOrigin } from '../input/read.js';
import type { Sketcher } from '../sketch/index.js';
import type { Warning } from '../types/warning.js';
import { relabel, sketchDocument, type DocumentSketch, type Relabelled } from './document.js';
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

/**
 * Reads as they cross threads: per task its document's byte count, text length and check (or, a
 * file with no document being skipped, -1, or -2 after an error), and the warnings by task. The
 * thread that asked has the tasks, so paths and aliases need not come back: on 41,862 files the
 * clone of a document, its origin and their paths per file cost the worker about 50 ms (profiles)
 * and the main thread held the paths twice.
 */
export interface SentReads {
  numbers: Float64Array;
  warnings: Array<[number, Warning]>;
}

const NUMBERS_PER_READ = 3;

export function sendReads(reads: readonly FileRead[]): SentReads {
  const numbers = new Float64Array(reads.length * NUMBERS_PER_READ);
  const warnings: Array<[number, Warning]> = [];
  reads.forEach(({ doc, warning, error }, i) => {
    if (warning) warnings.push([i, warning]);
    const at = i * NUMBERS_PER_READ;
    if (!doc) {
      numbers[at] = error ? -2 : -1;
      return;
    }
    numbers[at] = doc.bytes;
    numbers[at + 1] = doc.origin!.length;
    numbers[at + 2] = doc.origin!.check;
  });
  return { numbers, warnings };
}

/** The reads sendReads sent, whole again: each document as readAndSketch made it for its task. */
export function receiveReads({ numbers, warnings }: SentReads, tasks: readonly ReadTask[]): FileRead[] {
  const warningOf = new Map(warnings);
  return tasks.map((task, i): FileRead => {
    const warning = warningOf.get(i);
    const at = i * NUMBERS_PER_READ;
    const bytes = numbers[at]!;
    if (bytes < 0) return { ...(warning ? { warning } : {}), skipped: true, ...(bytes === -2 ? { error: true } : {}) };
    const doc = taskDocument(task, bytes, '', { reach: task.reach, length: numbers[at + 1]!, check: numbers[at + 2]! });
    return { doc, ...(warning ? { warning } : {}) };
  });
}

/** A document to segment again with corpus evidence: its text, or (a text file's) where to read it. */
export interface SegmentJob {
  text?: string;
  origin?: TextOrigin;
  /** Template lines as [line, documents] entries (a Map does not cross threads as one). */
  templateLines: Array<[number, number]>;
  /** The body lines the document has now (bodyRanges): its comparison is redone only if they change. */
  bodyBefore: Array<[number, number]>;
}

/** The labels with the corpus evidence, on whichever thread; null when the file is no longer the text sketched. */
export function segmentAgain(job: SegmentJob, options: AnalyseOptions): Relabelled | null {
  const text = job.text ?? (job.origin ? rereadFile(job.origin) : undefined);
  return text === undefined ? null : relabel(text, new Map(job.templateLines), options, job.bodyBefore);
}
