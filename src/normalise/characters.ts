// Character tests on raw lines, shared by the stages that scan them (layout, segment) without a
// regular expression or a new string per line.

/** \s of a regular expression (and of String.prototype.trim). */
export function isSpace(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** . ! ? … 。 ！ ？ */
function isSentenceEnd(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 0x2026 || c === 0x3002 || c === 0xff01 || c === 0xff1f;
}

/** " ' ” ’ » ) ] ? (closing quotes and brackets that may follow the end of a sentence) */
function isCloser(c: number): boolean {
  return c === 34 || c === 39 || c === 0x201d || c === 0x2019 || c === 0xbb || c === 41 || c === 93 || c === 63;
}

/**
 * Whether line[start, end) ends like a sentence: /[.!?…。！？]["'”’»)\]?]*\s*$/ without the regex
 * (a sentence end, then closing quotes or brackets, then spaces).
 */
export function endsLikeSentence(line: string, start: number, end: number): boolean {
  let k = end;
  while (k > start && isSpace(line.charCodeAt(k - 1))) k--;
  // The run of closers before the spaces; "?" is both a closer and a sentence end.
  while (k > start) {
    const c = line.charCodeAt(k - 1);
    if (!isCloser(c)) return isSentenceEnd(c);
    if (c === 63) return true;
    k--;
  }
  return false;
}
