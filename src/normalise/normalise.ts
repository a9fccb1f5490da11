// Normalisation is for comparison only: reports always quote the original text.

const QUOTE_AND_DASH: Record<string, string> = {};
for (const c of '\u2018\u2019\u201A\u201B\u2032\u0060\u00B4') QUOTE_AND_DASH[c] = "'";
for (const c of '\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB') QUOTE_AND_DASH[c] = '"';
for (const c of '\u2010\u2011\u2012\u2013\u2014\u2015\u2212') QUOTE_AND_DASH[c] = '-';
const QUOTES_AND_DASHES = new RegExp(`[${Object.keys(QUOTE_AND_DASH).join('')}]`, 'g');

/** Printable ASCII without the backtick: NFKC and the quote map leave such text as it is. */
const PLAIN_ASCII = /^[\x20-\x5f\x61-\x7e]*$/;

/** Unicode NFKC, case fold, curly quotes and dashes unified, whitespace collapsed and trimmed. */
export function normaliseText(text: string): string {
  if (PLAIN_ASCII.test(text)) {
    const lower = text.toLowerCase();
    return lower.includes('  ') || lower.startsWith(' ') || lower.endsWith(' ') ? lower.replace(/ +/g, ' ').trim() : lower;
  }
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(QUOTES_AND_DASHES, (c) => QUOTE_AND_DASH[c] as string)
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * Split decoded text into lines the way the report counts them: `\n`, `\r\n` and a lone `\r`
 * each end one line, so line numbers match what editors show.
 */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
