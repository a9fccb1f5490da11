// Every number the layout rules use, in one place (see layout.ts for the rules themselves).
// Values were chosen on the labelled dev pages in both layouts and on BBC as shipped and
// re-wrapped: see scripts/eval-boilerplate.js and `npm run bench`.

export const LAYOUT = {
  /** Fewer non-blank text lines than this are never judged wrapped (too little evidence). */
  minWrappedLines: 4,
  /**
   * The wrap width is the length all lines stay within but this many, plus this share of the
   * lines (a pasted URL line, a table row): a wrapper leaves no longer line it could have broken.
   */
  maxOverlongLines: 1,
  maxOverlongShare: 0.01,
  /** A line longer than the width by more than this share of it is never joined to its neighbours. */
  overlongMargin: 0.1,
  /** Widths outside this range are not a wrapper's (a one-paragraph-per-line page has longer lines). */
  minWidth: 30,
  maxWidth: 160,
  /** Lines at least this share of the width long are the ones a paragraph's inside is made of. */
  longLineShare: 0.5,
  /** How many of those lines must have been broken where the next word would not fit ... */
  minForcedBreaks: 3,
  /** ... and what share of them. */
  minForcedShare: 0.4,
  /** Columns of slack in "the next word would not have fitted" (wrappers count the width differently). */
  slack: 1,
  /** A sentence runs on to a lower-case line from a line at least this share of the width long. */
  runOnShare: 0.6,
  /** A header block names at least this many known fields (From:, Subject:, Newsgroups: …). */
  headerMinKnownFields: 2,
  /** Without a mail header or an attribution line, `>` lines are quoted text only when at least this many read like text ... */
  minQuotedTextLines: 2,
  /** ... that is, hold at least this many words (breadcrumbs and menu items are shorter). */
  quotedTextMinWords: 6,
  /** A "-- " signature has at most this many non-blank lines after the delimiter. */
  signatureMaxLines: 15,
  /** A signature box (no delimiter, between border lines at the end of a post): at most this many lines inside ... */
  signatureBoxMaxLines: 8,
  /** ... none wider than this. */
  signatureBoxMaxWidth: 80,
} as const;
