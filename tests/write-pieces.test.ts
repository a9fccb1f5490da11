import { describe, expect, it } from 'vitest';
import { writeBytesInPieces } from '../src/cli/io.js';

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
