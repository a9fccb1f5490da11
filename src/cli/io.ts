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

/** Pieces of output gathered up to about this many characters per write. */
const WRITE_CHARS = 1 << 20;

/**
 * Output given in pieces (a large JSON report), gathered into writes of about a megabyte:
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

export async function readAllBytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

export async function readAllText(stream: NodeJS.ReadableStream): Promise<string> {
  return (await readAllBytes(stream)).toString('utf8');
}
