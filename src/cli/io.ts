/** Thrown when the reader of stdout went away (`dedupe … | head`): a quiet exit, not a crash. */
export class BrokenPipeError extends Error {}

const guarded = new WeakSet<NodeJS.WritableStream>();

/**
 * Write through the stream (never process.exit right after writing) and wait until it is flushed.
 * The stream keeps an error listener for good: node emits EPIPE as an 'error' event after the
 * failed write's callback, and an unhandled one would crash with a stack trace.
 */
export function writeAll(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!guarded.has(stream)) {
    guarded.add(stream);
    stream.on('error', () => {});
  }
  return new Promise((resolve, reject) => {
    stream.write(text, (error?: Error | null) => {
      if (!error) resolve();
      else reject((error as NodeJS.ErrnoException).code === 'EPIPE' ? new BrokenPipeError() : error);
    });
  });
}

/**
 * Pieces of output gathered up to about this many characters per write. Small: a longer joined
 * text is a large-object allocation and copy; written to stdout, the realcorpus JSON report
 * took 2.3 times the CPU in writes of a megabyte.
 */
const WRITE_CHARS = 1 << 14;

/**
 * Output given in pieces (a large JSON report), gathered into writes of some kilobytes:
 * `write` is awaited each time, so a slow reader holds the writer back rather than the pieces
 * piling up in memory.
 */
export async function writeInPieces(pieces: Iterable<string>, write: (text: string) => Promise<void>): Promise<void> {
  let buffered: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    buffered.push(piece);
    size += piece.length;
    if (size < WRITE_CHARS) continue;
    await write(buffered.join(''));
    buffered = [];
    size = 0;
  }
  if (buffered.length > 0 || size === 0) await write(buffered.join(''));
}

/** Bytes gathered per write to a file descriptor. */
const WRITE_BYTES = 1 << 20;

const encoder = new TextEncoder();

/**
 * Output given in pieces, written as UTF-8 a buffer at a time: each piece is encoded straight
 * into one buffer that every write reuses (a large piece over several writes), so no piece is
 * joined to the next and no buffer allocated per write. `write` must be done with the bytes when
 * it resolves. The same bytes as writing the joined text: encodeInto never splits a character.
 */
export async function writeBytesInPieces(pieces: Iterable<string>, write: (bytes: Buffer) => Promise<void>): Promise<void> {
  const buffer = Buffer.allocUnsafe(WRITE_BYTES);
  let used = 0;
  for (const piece of pieces) {
    for (let read = 0; ; ) {
      const done = encoder.encodeInto(read === 0 ? piece : piece.slice(read), buffer.subarray(used));
      read += done.read;
      used += done.written;
      if (read === piece.length) break;
      await write(buffer.subarray(0, used)); // full: the rest of the piece goes into the emptied buffer
      used = 0;
    }
  }
  if (used > 0) await write(buffer.subarray(0, used));
}

export async function readAllBytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

export async function readAllText(stream: NodeJS.ReadableStream): Promise<string> {
  return (await readAllBytes(stream)).toString('utf8');
}

/**
 * Parts of a stream's output written no faster than the stream takes them: each part is a
 * function that writes (so what it writes is made only when its turn comes), run while the
 * stream is below its high-water mark, the rest on 'drain', in order. A stream that fails or
 * closes drops what waits (the caller's last, awaited write says why). A stream without
 * back-pressure (no `writableNeedDrain`) has each part run at once.
 */
export class PacedWriter {
  private readonly parts: Array<() => void> = [];
  private readonly idle: Array<() => void> = [];
  private waiting = false;
  private stopped = false;

  constructor(private readonly stream: NodeJS.WritableStream & { writableNeedDrain?: boolean }) {
    const stop = () => {
      this.stopped = true;
      this.pump();
    };
    // Also what keeps an EPIPE from being an unhandled 'error' (a stack trace under `| head`).
    stream.on('error', stop);
    stream.on('close', stop);
  }

  later(part: () => void): void {
    // A stream gone (a reader that closed while a 'drain' was awaited) takes nothing more: the
    // 'drain' will never come, and a part queued behind it would hold flushed() forever.
    if (this.stopped) return;
    this.parts.push(part);
    if (!this.waiting) this.pump();
  }

  /** Resolves once every part given so far has run (or the stream is gone). */
  flushed(): Promise<void> {
    return new Promise((resolve) => (this.parts.length === 0 || this.stopped ? resolve() : this.idle.push(resolve)));
  }

  private pump(): void {
    while (this.parts.length > 0 && !this.stopped) {
      if (this.stream.writableNeedDrain === true) {
        if (!this.waiting) {
          this.waiting = true;
          this.stream.once('drain', () => {
            this.waiting = false;
            this.pump();
          });
        }
        return;
      }
      this.parts.shift()!();
    }
    if (this.stopped) this.parts.length = 0;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}

/**
 * The streams, environment, working directory and clock the CLI may touch; tests pass their own.
 * Relative paths (inputs, --output, --config) are resolved against `cwd`.
 */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Milliseconds from an arbitrary start, for the timing line (-v) and the progress bar's delay. */
  now: () => number;
}
