import { Worker } from 'node:worker_threads';
import { originOf, recordFileDocuments, rereadInOrder, type ReadResult, type ReadTask, type SideReadOptions, type SourceDocument } from '../input/read.js';
import type { RecordFormat, RecordOptions } from '../input/records.js';
import { describeError } from '../input/discover.js';
import { chooseBands, type BandParams } from '../candidates/lsh.js';
import { sketcherFor, type Sketcher } from '../sketch/index.js';
import type { ProgressCallback } from '../types/progress.js';
import { applySegments, distinctTexts, expandSketches, gatherSketches, perDocumentStage, sketchAll, templateJobs, type CorpusState } from './analyse.js';
import { bodyRanges, sketchDocument, type DocumentSketch, type Relabelled } from './document.js';
import { defaultJobs } from '../options/table.js';
import type { AnalyseOptions } from './options.js';
import type { WorkerRequest, WorkerResponse } from './sketch-worker.js';
import { readAndSketch, receiveReads, segmentAgain, type FileRead, type SegmentJob, type SentReads } from './read-sketch.js';
import { packOptionsOf, packSketches, StringPool, unpackSketches, type PackedSketches, type SentPacking } from './sketch-transfer.js';

/**
 * Below this much text, starting workers (each loads and warms up the pipeline's code) costs
 * more than it saves: measured on 2 cores, BBC's 5 MB is about even.
 */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;
const BATCH_DOCUMENTS = 32;
const BATCHES_IN_FLIGHT = 4;
/** Record batches read ahead of sketching at most: what bounds the texts held while a record file streams. */
const QUEUED_BATCHES = 16;

/** Worker threads unless told otherwise: the option table's default for --jobs. */
export function defaultThreads(): number {
  return defaultJobs();
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

type Request = WorkerRequest['work'];

/** One batch of work: what a worker is sent, the same work on this thread, and where its result goes. */
interface Job<R> {
  request: () => Request;
  here: () => R;
  fromWorker: (results: WorkerResponse['results']) => R;
  done: (result: R) => void;
}

/**
 * `threads - 1` workers and this thread, taking batches from one queue. A pool lives through a
 * whole corpus build (reading and sketching, then re-segmenting with the corpus evidence), so
 * the workers load and warm up the pipeline's code once. With no workers everything runs here.
 */
class SketchPool {
  private readonly workers: Worker[];
  private readonly queue: Array<Job<unknown>> = [];
  /** Per worker, its jobs in the order sent (a worker answers in that order). */
  private readonly sent = new Map<Worker, Array<Job<unknown>>>();
  private failure: unknown;
  private wake: (() => void) | undefined;

  constructor(workerCount: number, options: AnalyseOptions) {
    this.workers = Array.from({ length: workerCount }, () => new Worker(new URL('./sketch-worker.js', import.meta.url), { workerData: options }));
    for (const worker of this.workers) {
      this.sent.set(worker, []);
      worker.on('message', ({ results }: WorkerResponse) => {
        const job = this.sent.get(worker)!.shift()!;
        job.done(job.fromWorker(results));
        this.feed(worker);
        this.wake?.();
      });
      worker.on('error', (error: unknown) => {
        this.failure ??= error;
        this.wake?.();
      });
      worker.on('exit', (code: number) => {
        this.failure ??= new Error(`sketch worker stopped early (exit code ${code})`);
        this.wake?.();
      });
    }
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  private feed(worker: Worker): void {
    const mine = this.sent.get(worker)!;
    while (mine.length < BATCHES_IN_FLIGHT && this.queue.length > 0) {
      const job = this.queue.shift()!;
      mine.push(job);
      worker.postMessage({ work: job.request() } satisfies WorkerRequest);
    }
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  submit<R>(job: Job<R>): void {
    this.queue.push(job as Job<unknown>);
    for (const worker of this.workers) this.feed(worker);
  }

  /** Run one queued job on this thread, then let the workers' answers in. */
  private async runOneHere(): Promise<void> {
    const job = this.queue.shift()!;
    job.done(job.here());
    await nextTurn();
    this.check();
  }

  /** Hold a producer back while `limit` or more jobs wait: this thread works meanwhile. */
  async throttle(limit = QUEUED_BATCHES): Promise<void> {
    this.check();
    while (this.queue.length >= limit) await this.runOneHere();
  }

  /** Until every submitted job is done; this thread takes queued jobs too. */
  async drain(): Promise<void> {
    for (;;) {
      this.check();
      if (this.queue.length > 0) await this.runOneHere();
      else if ([...this.sent.values()].some((jobs) => jobs.length > 0)) await new Promise<void>((resolve) => (this.wake = resolve));
      else return;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

const batchOf = <T>(items: readonly T[], batch: number) => items.slice(batch * BATCH_DOCUMENTS, (batch + 1) * BATCH_DOCUMENTS);

/** Run `count` batches through the pool: results in input order, identical to the single-threaded path. */
async function runBatches<R>(pool: SketchPool, count: number, job: (batch: number) => Omit<Job<R[]>, 'done'>, store: (batch: number, results: R[]) => void): Promise<void> {
  for (let batch = 0; batch < count; batch++) pool.submit({ ...job(batch), done: (results) => store(batch, results) });
  await pool.drain();
}

/** Sketch documents on the pool; results in input order. */
async function sketchOnPool(pool: SketchPool, sources: readonly SourceDocument[], options: AnalyseOptions, hasher: Sketcher, onProgress?: ProgressCallback): Promise<DocumentSketch[]> {
  const results: DocumentSketch[] = new Array(sources.length);
  let done = 0;
  await runBatches<DocumentSketch>(
    pool,
    Math.ceil(sources.length / BATCH_DOCUMENTS),
    (batch) => ({
      // Everything kept: the index stores the units and the signatures.
      request: () => ({ kind: 'sketch', texts: batchOf(sources, batch).map((s) => s.text), pack: { lines: true, keys: false, units: true } }),
      here: () => batchOf(sources, batch).map((s) => sketchDocument(s.text, options, hasher)),
      fromWorker: (packed) => unpackSketches(packed as PackedSketches),
    }),
    (batch, sketches) => {
      sketches.forEach((sketch, i) => (results[batch * BATCH_DOCUMENTS + i] = sketch));
      done += sketches.length;
      onProgress?.(done, sources.length, perDocumentStage(options));
    },
  );
  return results;
}

/** The workers a run of `documents` and `totalBytes` pays for: none below minBytes, at most a batch each. */
function workersFor(totalBytes: number, documents: number, threads: number, minBytes: number): number {
  const workerCount = Math.min(threads, Math.ceil(documents / BATCH_DOCUMENTS)) - 1;
  return workerCount < 1 || totalBytes < minBytes ? 0 : workerCount;
}

/** A pool when the run is big enough to pay for one, else one that runs everything on this thread. */
function poolFor(totalBytes: number, documents: number, options: AnalyseOptions, threads: number, minBytes: number): SketchPool {
  return new SketchPool(workersFor(totalBytes, documents, threads, minBytes), options);
}

/**
 * Sketch documents on `threads` threads when the run is big enough to pay for them: this thread
 * plus `threads - 1` workers, all taking batches from one queue. Results come back in input order,
 * identical to the single-threaded path.
 */
export async function sketchAllParallel(
  sources: readonly SourceDocument[],
  options: AnalyseOptions,
  { threads, minBytes, onProgress }: { threads?: number; minBytes?: number; onProgress?: ProgressCallback } = {},
): Promise<DocumentSketch[]> {
  const session = new SketchSession(options, threads, minBytes);
  try {
    return await session.sketch(sources, onProgress);
  } finally {
    await session.close();
  }
}

/**
 * sketchAllParallel for a run that sketches in many calls (the index's chunks, a shard's
 * batches): one pool for all of them, so its workers load and optimise the pipeline once, not
 * once a call. The pool starts with the first call big enough to pay for it; close() ends it.
 */
export class SketchSession {
  private pool: SketchPool | undefined;
  private readonly hasher: Sketcher;

  constructor(
    private readonly options: AnalyseOptions,
    private readonly threads: number = defaultThreads(),
    private readonly minBytes: number = PARALLEL_MIN_BYTES,
  ) {
    this.hasher = sketcherFor(options.sketch, options.numPerm, options.seed);
  }

  /** The threads working now: 1 until a call big enough starts the workers, and after close(). */
  get threadsStarted(): number {
    return this.pool?.threads ?? 1;
  }

  async sketch(sources: readonly SourceDocument[], onProgress?: ProgressCallback): Promise<DocumentSketch[]> {
    const workers = workersFor(sources.reduce((sum, s) => sum + s.bytes, 0), sources.length, this.threads, this.minBytes);
    if (!this.pool || this.pool.threads < workers + 1) {
      await this.pool?.close();
      this.pool = new SketchPool(workers, this.options);
    }
    if (this.pool.threads === 1) return sketchAll(sources, this.options, onProgress);
    return sketchOnPool(this.pool, sources, this.options, this.hasher, onProgress);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}

/** One batch's share of a side's read (see StreamingBuild.readSide). */
type Part = ReadResult & { open: boolean };

/** Each document's text, or where another thread may read it, in the documents' order. */
type TextSource = (documents: readonly SourceDocument[]) => AsyncIterable<Pick<SegmentJob, 'text' | 'origin'>>;

/**
 * Segment again the documents the corpus evidence speaks for (templateJobs), on the pool. A
 * document whose file is no longer the text sketched keeps its labels.
 */
async function applyTemplates(pool: SketchPool, state: CorpusState, textsOf: TextSource, onFinal?: (from: number, to: number) => void): Promise<void> {
  const jobs = templateJobs(state);
  const { sources } = state;
  // Documents [0, final) have their last labels: all but those still to segment again, in order.
  const waiting = new Uint8Array(sources.length);
  for (const job of jobs) waiting[job.document] = 1;
  let final = 0;
  const advance = () => {
    const from = final;
    while (final < sources.length && waiting[final] === 0) final++;
    if (final > from) onFinal?.(from, final);
  };
  advance();
  let work: SegmentJob[] = [];
  let documents: number[] = [];
  const submit = () => {
    const [batch, batchDocuments] = [work, documents];
    [work, documents] = [[], []];
    pool.submit<Array<Relabelled | null>>({
      request: () => ({ kind: 'segment', jobs: batch }),
      here: () => batch.map((job) => segmentAgain(job, state.options)),
      fromWorker: (results) => results as Array<Relabelled | null>,
      // Each document's labels are its own: the order batches finish in does not matter.
      done: (labels) => {
        labels.forEach((l, i) => {
          // A kept sketch packs the new labels, its reasons as indices into the run's string pool.
          if (l) applySegments(state, batchDocuments[i]!, l);
          else (state.changed ??= new Set()).add(batchDocuments[i]!);
          waiting[batchDocuments[i]!] = 0;
        });
        advance();
      },
    });
  };
  let j = 0;
  // Texts are read as batches are queued: at most QUEUED_BATCHES batches of texts are held.
  for await (const text of textsOf(jobs.map((job) => sources[job.document]!))) {
    const job = jobs[j++]!;
    work.push({ ...text, templateLines: [...job.templateLines], bodyBefore: bodyRanges(state.sketches[job.document]!.segments) });
    documents.push(job.document);
    if (work.length < BATCH_DOCUMENTS) continue;
    submit();
    await pool.throttle();
  }
  if (work.length > 0) submit();
  await pool.drain();
}

async function* inMemory(documents: readonly SourceDocument[]): AsyncGenerator<Pick<SegmentJob, 'text'>> {
  for (const d of documents) yield { text: d.text };
}

/** buildCorpus, with the per-document work (sketching, re-segmenting) spread over worker threads when it pays. */
export async function buildCorpusParallel(
  sources: readonly SourceDocument[],
  options: AnalyseOptions,
  context: { threads?: number; minBytes?: number; onProgress?: ProgressCallback },
): Promise<CorpusState> {
  // Byte-identical files are sketched once.
  const { distinct, slot } = distinctTexts(sources);
  const totalBytes = distinct.reduce((sum, s) => sum + s.bytes, 0);
  const pool = poolFor(totalBytes, distinct.length, options, context.threads ?? defaultThreads(), context.minBytes ?? PARALLEL_MIN_BYTES);
  try {
    const hasher = sketcherFor(options.sketch, options.numPerm, options.seed);
    const sketches = pool.threads > 1 ? await sketchOnPool(pool, distinct, options, hasher, context.onProgress) : sketchAll(distinct, options, context.onProgress);
    // From here to the clusters is verification (the corpus evidence needs a first verified-pair pass).
    context.onProgress?.(0, 1, 'verifying');
    const state = gatherSketches(sources, expandSketches(sketches, slot), options);
    await applyTemplates(pool, state, inMemory);
    return state;
  } finally {
    await pool.close();
  }
}

/**
 * Reading, labelling and sketching as one pass: each file is read where it is sketched (a
 * worker thread or this one) and its text let go at once, so memory holds sketches, never the
 * corpus's texts; a record file streams through in batches. What the report needs of a text
 * later (re-segmenting with corpus evidence, diffs) is read again (SourceDocument.origin).
 *
 * Use: `readSide` as loadCorpus's reader for each side, then `corpus(documents)` with the
 * documents loadCorpus gave (in any order or subset), then `close()`.
 */
export class StreamingBuild {
  /**
   * Called in order with documents whose labels are final, as soon as they are: with boilerplate
   * detection off as they are read and sketched (readSide, in the files' order); with it on during
   * corpus() (in the documents' order), once the corpus evidence leaves them as they are or has
   * segmented them again. A stream of documents (NDJSON) need not wait for the report.
   */
  onFinal?: (documents: readonly SourceDocument[], sketches: readonly DocumentSketch[]) => void;
  private pool: SketchPool | undefined;
  private readonly sketches = new WeakMap<SourceDocument, DocumentSketch>();
  private readonly hasher: Sketcher;
  private readonly strings = new StringPool();

  constructor(
    private readonly options: AnalyseOptions,
    private readonly threads: number = defaultThreads(),
    private readonly minBytes: number = PARALLEL_MIN_BYTES,
    private readonly recordOptions: RecordOptions = {},
  ) {
    this.hasher = sketcherFor(options.sketch, options.numPerm, options.seed);
    this.bands = chooseBands(options.numPerm, options.threshold, options.recall);
    // Per-line arrays only for boilerplate detection's stages, which alone read them; the units
    // let go (the report reads none); band keys for signatures unless the containment search
    // needs them whole (it bands them by size).
    this.packing = { lines: options.boilerplate, keys: !(options.containment > 0), units: false };
  }

  private poolOf(bytes: number, files: number): SketchPool {
    // One pool for every side and the template pass, started by the first side that pays for it.
    if (!this.pool || (this.pool.threads === 1 && bytes >= this.minBytes)) {
      const old = this.pool;
      this.pool = poolFor(bytes, files, this.options, this.threads, this.minBytes);
      void old?.close();
    }
    return this.pool;
  }

  /**
   * Start the workers while the files are still being found, once `bytes` and `files` (so far)
   * would start them anyway: a worker loads its modules for about a quarter of a second before its
   * first batch, which discovery's stats now cover. The pool is the one readSide would make.
   */
  warmUp = (bytes: number, files: number): void => {
    if (this.pool || bytes < this.minBytes || files < this.threads * BATCH_DOCUMENTS) return;
    this.pool = poolFor(bytes, files, this.options, this.threads, this.minBytes);
  };

  /** The threads working now: 1 until the workers start. */
  get threadsStarted(): number {
    return this.pool?.threads ?? 1;
  }

  /** Read and sketch one side's files; the documents come back with their texts let go. */
  readSide = async (tasks: readonly ReadTask[], read: SideReadOptions): Promise<ReadResult> => {
    // A record file holds any number of documents: its bytes, not the count of files, say whether
    // workers pay (one 47 MB JSONL file of 200,000 records ran on one thread).
    const pool = this.poolOf(read.bytes, tasks.some((task) => task.format !== undefined) ? Number.POSITIVE_INFINITY : tasks.length);
    const { options, hasher } = this;
    // Results by batch, in the order batches were made: the files' order. A part is open until
    // its documents are in; closed parts go to onFinal in order.
    const parts: Part[] = [];
    const part = (): Part => {
      const p: Part = { documents: [], warnings: [], skipped: 0, readErrors: 0, open: true };
      parts.push(p);
      return p;
    };
    let emitted = 0;
    const close = (p: Part) => {
      p.open = false;
      for (; emitted < parts.length && !parts[emitted]!.open; emitted++) {
        const { documents } = parts[emitted]!;
        if (documents.length > 0 && this.onFinal && !options.boilerplate) this.onFinal(documents, documents.map((d) => this.sketches.get(d)!));
      }
    };
    let filesDone = 0;
    const progress = (files: number) => {
      filesDone += files;
      // One pass reads, labels and sketches: the bar counts files read.
      read.onProgress?.(filesDone, tasks.length, 'reading');
    };
    read.onProgress?.(0, tasks.length, 'reading');
    const textBatch: ReadTask[] = [];
    const flushTexts = () => {
      if (textBatch.length === 0) return;
      const batch = textBatch.splice(0);
      const into = part();
      pool.submit<{ reads: FileRead[]; sketches: DocumentSketch[] }>({
        request: () => ({ kind: 'read', tasks: batch, maxFileSize: read.maxFileSize, pack: this.packing }),
        here: () => {
          const { reads, sketches } = readAndSketch(batch, read.maxFileSize, options, hasher);
          return { reads, sketches: this.asKept(sketches) };
        },
        fromWorker: (results) => {
          const { reads, packed } = results as { reads: SentReads; packed: PackedSketches };
          return { reads: receiveReads(reads, batch), sketches: unpackSketches(packed, this.strings) };
        },
        done: ({ reads, sketches }) => {
          let s = 0;
          reads.forEach((r) => {
            if (r.doc) this.keep(into, r.doc, sketches[s++]!);
            if (r.warning) into.warnings.push(r.warning);
            if (r.skipped) into.skipped++;
            if (r.error) into.readErrors++;
            progress(1);
          });
          close(into);
        },
      });
    };

    for (const task of tasks) {
      if (task.format === undefined) {
        textBatch.push(task);
        if (textBatch.length === BATCH_DOCUMENTS) flushTexts();
        await pool.throttle();
        continue;
      }
      flushTexts();
      await this.streamRecords(pool, { ...task, format: task.format }, read, part, close);
      progress(1);
    }
    flushTexts();
    await pool.drain();
    const result: ReadResult = { documents: [], warnings: [], skipped: 0, readErrors: 0 };
    for (const p of parts) {
      for (const d of p.documents) result.documents.push(d);
      for (const w of p.warnings) result.warnings.push(w);
      result.skipped += p.skipped;
      result.readErrors += p.readErrors;
    }
    return result;
  };

  /** A record file's records, sketched in batches as they are read: its texts are let go batch by batch. */
  private async streamRecords(pool: SketchPool, task: ReadTask & { format: RecordFormat }, read: SideReadOptions, part: () => Part, close: (p: Part) => void): Promise<void> {
    const { options, hasher } = this;
    let into = part();
    let batch: SourceDocument[] = [];
    const flush = () => {
      if (batch.length === 0) return;
      const docs = batch;
      const mine = into;
      batch = [];
      // Warnings about later records go after this batch's documents, as they were met.
      into = part();
      const texts = docs.map((d) => d.text);
      for (const d of docs) {
        d.origin = originOf(d.text, task.reach, { format: task.format, position: d.record?.position ?? 0 });
        d.text = '';
      }
      pool.submit<DocumentSketch[]>({
        request: () => ({ kind: 'sketch', texts, pack: this.packing }),
        here: () => this.asKept(texts.map((text) => sketchDocument(text, options, hasher))),
        fromWorker: (packed) => unpackSketches(packed as PackedSketches, this.strings),
        done: (sketches) => {
          sketches.forEach((sketch, i) => this.keep(mine, docs[i]!, sketch));
          close(mine);
        },
      });
    };
    const recordOptions = { textField: read.textField, idField: read.idField, maxRecordSize: read.maxFileSize };
    const head = into;
    try {
      const documents = recordFileDocuments(task.format, task.reach, task.shown, recordOptions, (w) => into.warnings.push(w));
      for (;;) {
        const next = await documents.next();
        if (next.done) {
          if (next.value.skipped) head.skipped++;
          break;
        }
        batch.push(next.value);
        if (batch.length === BATCH_DOCUMENTS) {
          flush();
          await pool.throttle();
        }
      }
      flush();
    } catch (error) {
      flush();
      into.warnings.push({ path: task.shown, message: `cannot read: ${describeError(error)}` });
      into.skipped++;
      into.readErrors++;
    }
    // The part after the last batch holds warnings only.
    close(into);
  }

  /**
   * Sketches made on this thread, held as a worker's are: one buffer per batch, not seven per
   * document, and their repeated strings once (on 42,000 files, 140,000 fewer buffers and 250,000
   * fewer strings).
   */
  private asKept(sketches: DocumentSketch[]): DocumentSketch[] {
    return unpackSketches(packSketches(sketches, packOptionsOf(this.packing, this.bands, this.options.ngram)), this.strings);
  }

  private readonly bands: BandParams;
  /** What is packed of a sketch, here and in the workers (see PackOptions). */
  private readonly packing: SentPacking;

  /** A document read and sketched: its sketch waits for corpus(). */
  private keep(into: ReadResult, doc: SourceDocument, sketch: DocumentSketch): void {
    this.sketches.set(doc, sketch);
    into.documents.push(doc);
  }

  /**
   * The corpus of `documents`: those read by readSide keep their sketches; any other (the text on
   * stdin) is sketched here. Then the corpus evidence, with texts read again where it needs them.
   */
  async corpus(documents: readonly SourceDocument[], onProgress?: ProgressCallback): Promise<CorpusState> {
    const pool = this.pool ?? this.poolOf(0, 0);
    // Each sketch is handed over, not kept: the corpus state alone holds them, and goes with it.
    const sketches = documents.map((doc) => {
      const sketch = this.sketches.get(doc) ?? sketchDocument(doc.text, this.options, this.hasher);
      this.sketches.delete(doc);
      return sketch;
    });
    onProgress?.(0, 1, 'verifying');
    const state = gatherSketches(documents, sketches, this.options);
    // A text file is read again by the thread that segments it; a record here (its file streamed once).
    const recordOptions = this.recordOptions;
    await applyTemplates(pool, state, async function* (docs) {
      const records = docs.filter((d) => d.origin?.format !== undefined);
      const texts = rereadInOrder(records, recordOptions);
      for (const d of docs) {
        if (d.origin?.format === undefined) yield d.origin ? { origin: d.origin } : { text: d.text };
        else yield { text: (await texts.next()).value ?? undefined };
      }
    }, this.onFinal && this.options.boilerplate ? (from, to) => this.onFinal!(documents.slice(from, to), sketches.slice(from, to)) : undefined);
    // Nothing after this needs the workers: their heaps go before the pair search and the report.
    await this.close();
    return state;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}
