import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { PacedWriter, writeBytesInPieces } from '../src/cli/io.js';

/** The bytes writeBytesInPieces hands to its writer, joined, and the writes' sizes. */
async function written(pieces: string[]): Promise<{ bytes: Buffer; sizes: number[] }> {
  const chunks: Buffer[] = [];
  await writeBytesInPieces(pieces, async (bytes) => {
    chunks.push(Buffer.from(bytes)); // a copy: the writer's buffer is reused after this resolves
  });
  return { bytes: Buffer.concat(chunks), sizes: chunks.map((c) => c.length) };
}

describe('writeBytesInPieces', () => {
  it('writes the UTF-8 of the joined pieces, characters whole across its buffer boundaries', async () => {
    // Pieces larger than the buffer, of 1-, 2-, 3- and 4-byte characters, so that boundaries fall
    // inside each, and a lone surrogate (written as U+FFFD, as Buffer.from does).
    const pieces = ['{', 'a'.repeat(700_000), 'é'.repeat(400_001), '', '€'.repeat(500_000), '\u{1f600}'.repeat(300_000), '\ud800x', '\n'];
    const { bytes, sizes } = await written(pieces);
    expect(bytes.equals(Buffer.from(pieces.join('')))).toBe(true);
    expect(sizes.length).toBeGreaterThan(4);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1 << 20);
  });

  it('gathers small pieces into one write, and writes nothing for no text', async () => {
    const pieces = Array.from({ length: 1000 }, (_, i) => `${i},\u2028`);
    const { bytes, sizes } = await written(pieces);
    expect(bytes.toString('utf8')).toBe(pieces.join(''));
    expect(sizes).toHaveLength(1);
    expect((await written([])).sizes).toEqual([]);
    expect((await written(['', ''])).sizes).toEqual([]);
  });
});

/** A stream with a small high-water mark whose reader takes a chunk only when `take` is called. */
function slowStream() {
  const received: string[] = [];
  const pending: Array<() => void> = [];
  const stream = new Writable({
    highWaterMark: 4,
    write(chunk, _encoding, done) {
      received.push(String(chunk));
      pending.push(done);
    },
  });
  const take = () => pending.shift()?.();
  return { stream, received, take, pendingCount: () => pending.length };
}

describe('PacedWriter', () => {
  it('makes and writes a part only while the stream is below its high-water mark, in order, and is flushed once all are out', async () => {
    const { stream, received, take } = slowStream();
    const paced = new PacedWriter(stream);
    const made: number[] = [];
    for (let i = 0; i < 5; i++) {
      paced.later(() => {
        made.push(i);
        stream.write(`part ${i}...`); // over the high-water mark: the stream is full after each
      });
    }
    // One part went out; the others wait (and are not even made) until the reader takes it.
    expect(made).toEqual([0]);
    let flushed = false;
    void paced.flushed().then(() => (flushed = true));
    for (let round = 1; round < 5; round++) {
      take();
      await new Promise((resolve) => setImmediate(resolve));
      expect(made).toHaveLength(round + 1);
    }
    expect(flushed).toBe(true);
    take();
    expect(received).toEqual([0, 1, 2, 3, 4].map((i) => `part ${i}...`));
  });

  it('drops what waits when the stream fails, and is flushed', async () => {
    const { stream } = slowStream();
    const paced = new PacedWriter(stream);
    const made: number[] = [];
    for (let i = 0; i < 3; i++) paced.later(() => (made.push(i), stream.write('0123456789')));
    stream.destroy(new Error('EPIPE'));
    await paced.flushed();
    expect(made).toEqual([0]);
  });

  it('takes no part after the stream failed while a drain was awaited, and is still flushed (a reader gone under | head)', async () => {
    const { stream } = slowStream();
    const paced = new PacedWriter(stream);
    const made: number[] = [];
    paced.later(() => (made.push(0), stream.write('0123456789')));
    paced.later(() => made.push(1)); // waits for a 'drain'
    stream.destroy(new Error('EPIPE'));
    await new Promise((resolve) => setImmediate(resolve));
    paced.later(() => made.push(2)); // queued after the stream went
    await paced.flushed();
    expect(made).toEqual([0]);
  });

  it('runs each part at once on a stream without back-pressure', () => {
    const out: string[] = [];
    const plain = { write: (text: string) => (out.push(text), true), on: () => plain, once: () => plain } as unknown as NodeJS.WritableStream;
    const paced = new PacedWriter(plain);
    for (let i = 0; i < 3; i++) paced.later(() => plain.write(String(i)));
    expect(out).toEqual(['0', '1', '2']);
  });
});
