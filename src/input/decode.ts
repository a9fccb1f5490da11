/** How many leading bytes are searched for a NUL to call a file binary (as git and grep do). */
export const BINARY_SNIFF_BYTES = 8192;

export type Decoded =
  | { kind: 'text'; text: string; invalidUtf8: boolean }
  | { kind: 'binary' };

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

/**
 * Bytes to text: a NUL in the first 8 KiB means binary; otherwise UTF-8 with the BOM stripped.
 * Invalid sequences become U+FFFD and are flagged, so the caller can warn, never crash.
 */
export function decodeFile(bytes: Uint8Array): Decoded {
  const sniff = bytes.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) return { kind: 'binary' };
  try {
    return { kind: 'text', text: strict.decode(bytes), invalidUtf8: false };
  } catch {
    return { kind: 'text', text: lenient.decode(bytes), invalidUtf8: true };
  }
}
