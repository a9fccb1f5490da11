/** How many leading bytes are searched for a NUL to call a file binary (as git and grep do). */
export const BINARY_SNIFF_BYTES = 8192;

/** The encoding a file was read in. */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export type Decoded =
  | {
      kind: 'text';
      text: string;
      encoding: Encoding;
      /** Undecodable bytes (or unpaired UTF-16 surrogates) became U+FFFD. */
      invalid: boolean;
    }
  | { kind: 'binary' };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
const utf16 = {
  'utf-16le': { strict: new TextDecoder('utf-16le', { fatal: true }), lenient: new TextDecoder('utf-16le') },
  'utf-16be': { strict: new TextDecoder('utf-16be', { fatal: true }), lenient: new TextDecoder('utf-16be') },
} as const;

/**
 * Windows-1252 is Latin-1 but for 0x80–0x9F, which hold € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™
 * š › œ ž Ÿ (WHATWG index; 0x81, 0x8D, 0x8F, 0x90, 0x9D stay C1 controls). Not TextDecoder:
 * since Node 20.18.3 its 'windows-1252' takes a Latin-1 fast path and gets this block wrong
 * (nodejs/node#60888).
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] as number));
}

/** The encoding a byte-order mark announces, if the bytes start with one. */
function bomEncoding(bytes: Uint8Array): Encoding | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  // FF FE 00 00 is UTF-32 LE's mark: not decoded, so it falls to the NUL check (binary).
  if (bytes[0] === 0xff && bytes[1] === 0xfe && !(bytes[2] === 0 && bytes[3] === 0)) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/**
 * Whether invalid UTF-8 looks like a legacy 8-bit encoding rather than UTF-8 with a few damaged
 * bytes: it holds fewer well-formed multi-byte sequences than bytes that fit none.
 */
function looksLegacy(bytes: Uint8Array): boolean {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = length > 0 && i + length <= bytes.length;
    for (let k = 1; ok && k < length; k++) ok = ((bytes[i + k] as number) & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += length;
    } else {
      invalid++;
      i++;
    }
  }
  return invalid > valid;
}

/** Whether the first bytes of a file say it is binary: a NUL in the first 8 KiB, unless a UTF-16 mark explains it. */
export function looksBinary(head: Uint8Array): boolean {
  const bom = bomEncoding(head);
  if (bom === 'utf-16le' || bom === 'utf-16be') return false;
  return head.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/**
 * Bytes to text. A UTF-16 (LE or BE) byte-order mark means UTF-16; otherwise a NUL in the first
 * 8 KiB means binary; otherwise UTF-8 with the BOM stripped. Bytes that are not UTF-8 are read as
 * Windows-1252 (the usual Latin-1 superset) when most of them fit no UTF-8 sequence, else as
 * U+FFFD. The caller warns about anything but clean UTF-8 and UTF-16; this never throws.
 */
export function decodeFile(bytes: Uint8Array): Decoded {
  const bom = bomEncoding(bytes);
  if (bom === 'utf-16le' || bom === 'utf-16be') {
    const { strict, lenient } = utf16[bom];
    let text: string;
    let invalid = false;
    try {
      text = strict.decode(bytes);
    } catch {
      text = lenient.decode(bytes);
      invalid = true;
    }
    // A NUL character is as binary in UTF-16 as a NUL byte is in UTF-8.
    if (text.slice(0, BINARY_SNIFF_BYTES / 2).includes('\0')) return { kind: 'binary' };
    return { kind: 'text', text, encoding: bom, invalid };
  }
  if (looksBinary(bytes)) return { kind: 'binary' };
  try {
    return { kind: 'text', text: strictUtf8.decode(bytes), encoding: 'utf-8', invalid: false };
  } catch {
    if (looksLegacy(bytes)) return { kind: 'text', text: decodeWindows1252(bytes), encoding: 'windows-1252', invalid: false };
    return { kind: 'text', text: lenientUtf8.decode(bytes), encoding: 'utf-8', invalid: true };
  }
}
