// Normalisation is for comparison only: reports always quote the original text.

const QUOTES_AND_DASHES: ReadonlyArray<[RegExp, string]> = [
  [/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g, "'"],
  [/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"'],
  [/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g, '-'],
];

/** Unicode NFKC, case fold, curly quotes and dashes unified, whitespace collapsed and trimmed. */
export function normaliseText(text: string): string {
  let out = text.normalize('NFKC').toLowerCase();
  for (const [pattern, replacement] of QUOTES_AND_DASHES) out = out.replace(pattern, replacement);
  return out.replace(/\s+/gu, ' ').trim();
}

/**
 * Split decoded text into lines the way the report counts them: `\n`, `\r\n` and a lone `\r`
 * each end one line, so line numbers match what editors show.
 */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
