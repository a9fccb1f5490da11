/**
 * The most lines one document may have: a text of more is skipped with a warning, as a file over
 * --max-file-size is. Every stage after reading holds arrays with a slot per line (about 60 bytes
 * a line in all), and the engine's arrays end at about 134 million slots: a 150 MB file of empty
 * lines stopped the whole run with "invalid array length". Ten million lines is some 600 MB for
 * the one document, and far past any article.
 */
export const MAX_DOCUMENT_LINES = 10_000_000;

/**
 * Why `text` is too long to read as one document, or undefined. Lines are counted as the report
 * numbers them (`\n`, `\r\n` and a lone `\r` each end one), and only as far as the limit: a text
 * of no more characters than the limit cannot have more lines.
 */
export function tooManyLines(text: string): string | undefined {
  if (text.length <= MAX_DOCUMENT_LINES) return undefined;
  let breaks = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      // A break that ends the text ends the last line rather than starting one.
      if (++breaks >= MAX_DOCUMENT_LINES && i < n - 1) return `more than ${MAX_DOCUMENT_LINES.toLocaleString('en-US')} lines (the most dedupe reads in one document)`;
    }
  }
  return undefined;
}
