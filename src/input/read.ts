import { readFile } from 'node:fs';
import path from 'node:path';
import type { Warning } from '../report/types.js';
import { decodeFile } from './decode.js';
import { describeError } from './discover.js';

export interface SourceDocument {
  /** Display path: relative to the working directory, with `/` separators. */
  path: string;
  bytes: number;
  text: string;
  /** Other paths of the same file (symlinks to it, hard links), as display paths, sorted. */
  aliases?: string[];
  /** With --against: whether the file is in the incoming batch or the baseline corpus. */
  side?: 'incoming' | 'baseline';
}

export interface ReadResult {
  documents: SourceDocument[];
  warnings: Warning[];
  /** Files skipped as binary or unreadable. */
  skipped: number;
  /** Some file could not be read at all: the run completes, but exits 2. */
  readErrors: number;
}

/** fs.readFile with a callback: about 1.6× faster than fs/promises' readFile on many small files. */
function readBytes(file: string): Promise<Buffer> {
  return new Promise((resolve, reject) => readFile(file, (error, bytes) => (error ? reject(error) : resolve(bytes))));
}

export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return (relative === '' ? '.' : relative).split(path.sep).join('/');
}

/**
 * Read and decode files with at most `concurrency` reads in flight; results keep the input
 * order whatever order the reads finish in. Inputs are only ever opened for reading.
 */
export async function readDocuments(
  files: readonly string[],
  cwd: string,
  options: {
    concurrency?: number;
    onProgress?: (done: number, total: number) => void;
    /** Other paths of a file (from discovery), carried into its document. */
    aliases?: ReadonlyMap<string, readonly string[]>;
  } = {},
): Promise<ReadResult> {
  const concurrency = Math.max(1, options.concurrency ?? 32);
  const slots: Array<{ doc?: SourceDocument; warning?: Warning; skipped?: boolean; error?: boolean }> = new Array(files.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      const file = files[index] as string;
      const shown = displayPath(file, cwd);
      try {
        const bytes = await readBytes(file);
        const decoded = decodeFile(bytes);
        if (decoded.kind === 'binary') {
          slots[index] = { skipped: true, warning: { path: shown, message: 'skipped: binary file (NUL byte in the first 8 KiB)' } };
        } else {
          // Two spellings of one path (`a.txt`, `./a.txt`) show as one: not an alias of itself.
          const names = new Set(options.aliases?.get(file)?.map((a) => displayPath(a, cwd)));
          names.delete(shown);
          const aliases = [...names].sort();
          slots[index] = {
            doc: { path: shown, ...(aliases.length ? { aliases } : {}), bytes: bytes.length, text: decoded.text },
            ...(decoded.invalidUtf8 ? { warning: { path: shown, message: 'invalid UTF-8: undecodable bytes read as U+FFFD' } } : {}),
          };
        }
      } catch (error) {
        slots[index] = { skipped: true, error: true, warning: { path: shown, message: `cannot read: ${describeError(error)}` } };
      }
      options.onProgress?.(++done, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));

  const result: ReadResult = { documents: [], warnings: [], skipped: 0, readErrors: 0 };
  for (const slot of slots) {
    if (slot.doc) result.documents.push(slot.doc);
    if (slot.warning) result.warnings.push(slot.warning);
    if (slot.skipped) result.skipped++;
    if (slot.error) result.readErrors++;
  }
  return result;
}
