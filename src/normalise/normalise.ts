// Normalisation is for comparison only: reports always quote the original text.

const QUOTE_AND_DASH: Record<string, string> = {};
for (const c of '\u2018\u2019\u201A\u201B\u2032\u0060\u00B4') QUOTE_AND_DASH[c] = "'";
for (const c of '\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB') QUOTE_AND_DASH[c] = '"';
for (const c of '\u2010\u2011\u2012\u2013\u2014\u2015\u2212') QUOTE_AND_DASH[c] = '-';
const QUOTES_AND_DASHES = new RegExp(`[${Object.keys(QUOTE_AND_DASH).join('')}]`, 'g');

// Invisible code points (zero-width space, soft hyphen, joiners, BOM, variation selectors, bidi
// controls…) render as nothing: one inserted between letters must not split or change a word.
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

// Cyrillic and Greek letters drawn like Latin ones, by case (Greek Ν is N but ν is v), folded to
// lower-case Latin. Only letters that pass for Latin in ordinary fonts: a disguised copy uses these.
const LOOK_ALIKE = new Map<string, string>();
const lookAlikes = (from: string, to: string) => {
  if (from.length !== to.length) throw new Error('look-alike table: lengths differ');
  for (let i = 0; i < from.length; i++) LOOK_ALIKE.set(from[i] as string, to[i] as string);
};
lookAlikes('АВЕЅІЈКМНОРСТУХҮӀԚԜ', 'abesijkmhopctyxyiqw'); // Cyrillic capitals
lookAlikes('аеорсухіјѕһԁԛԝӏү', 'aeopcyxijshdqwly'); // Cyrillic small letters
lookAlikes('ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ', 'abezhikmnoptyx'); // Greek capitals
lookAlikes('αονριυϲϳ', 'aovpiucj'); // Greek small letters

// Every Greek and Cyrillic letter is either one that folds (a look-alike, or one with an accent
// on it: Cyrillic ё folds to ë) or genuine. Both sets are built once, so a line is checked with
// one regex test each rather than letter by letter.
const FOLD = new Map<string, string>();
let genuineLetters = '';
for (const [from, to] of [[0x370, 0x52f], [0x1f00, 0x1fff]] as const) {
  for (let cp = from; cp <= to; cp++) {
    const ch = String.fromCodePoint(cp);
    if (!/\p{L}/u.test(ch)) continue;
    const parts = ch.normalize('NFD');
    const base = LOOK_ALIKE.get(parts[0] as string);
    if (base !== undefined) FOLD.set(ch, (base + parts.slice(1)).normalize('NFC'));
    else genuineLetters += ch;
  }
}
const FOLDABLE = new RegExp(`[${[...FOLD.keys()].join('')}]`, 'u');
const FOLDABLE_ALL = new RegExp(FOLDABLE.source, 'gu');
const GENUINE = new RegExp(`[${genuineLetters}]`, 'u');
/** Any Greek or Cyrillic character: a plain range test, the cheap first gate. */
const GREEK_OR_CYRILLIC = /[\u0370-\u052f\u1f00-\u1fff]/;
// Latin letters as they stand after NFKC (which has already made fullwidth and ligature forms
// plain). Spelled out: \p{Script=Latin} is several times slower on V8.
const LATIN = /[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff\uab30-\uab6f]/;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
/** Whitespace that /\s+/ → ' ' changes: any but a space, or two in a row. */
const UNCOLLAPSED = /[^\S ]|\s\s/u;
/**
 * A Latin letter next to a look-alike (marks between them allowed): on a line with genuine Greek
 * or Cyrillic letters, only such a word can fold, and most such lines have none.
 */
const MIXED = new RegExp(`${LATIN.source}\\p{M}*${FOLDABLE.source}|${FOLDABLE.source}\\p{M}*${LATIN.source}`, 'u');

/**
 * Look-alikes inside a Latin word are always folded ("pаypаl" with Cyrillic а is "paypal"). A word
 * made only of look-alikes ("а", "іѕ") is folded only on a line with Latin words and no genuine
 * Greek or Cyrillic letter: in Russian text "а", "с" and "сор" are words and must stay as they are.
 * A word with a genuine letter is never changed.
 */
function foldLookAlikes(line: string): string {
  if (!GREEK_OR_CYRILLIC.test(line) || !LATIN.test(line) || !FOLDABLE.test(line)) return line;
  const genuineLine = GENUINE.test(line);
  if (genuineLine && !MIXED.test(line)) return line;
  return line.replace(WORD, (word) => {
    // On a line with genuine letters, only Latin words can fold: test that first, it is cheapest.
    if (genuineLine && (!LATIN.test(word) || GENUINE.test(word))) return word;
    if (!FOLDABLE.test(word)) return word;
    // NFC: a folded letter may compose with a mark that follows it (Cyrillic е + acute is é).
    return word.replace(FOLDABLE_ALL, (ch) => FOLD.get(ch) as string).normalize('NFC');
  });
}

/** Printable ASCII without the backtick: NFKC and the quote map leave such text as it is. */
const PLAIN_ASCII = /^[\x20-\x5f\x61-\x7e]*$/;

/**
 * Invisible code points removed, Unicode NFKC, Cyrillic and Greek look-alikes in Latin words
 * folded, case fold, curly quotes and dashes unified, whitespace collapsed and trimmed.
 */
export function normaliseText(text: string): string {
  if (PLAIN_ASCII.test(text)) {
    // Only spaces to trim (no other whitespace is plain), and most lines have no doubled space.
    const n = text.length;
    const trimmed = n > 0 && (text.charCodeAt(0) === 32 || text.charCodeAt(n - 1) === 32) ? text.trim() : text;
    const lower = trimmed.toLowerCase();
    return lower.includes('  ') ? lower.replace(/ +/g, ' ') : lower;
  }
  return normaliseUnicode(text);
}

function normaliseUnicode(text: string): string {
  // Folded before lower-casing: which Latin letter a look-alike passes for depends on its case.
  return collapseSpaces(foldLookAlikes(text.replace(IGNORABLE, '').normalize('NFKC'))
    .toLowerCase()
    .replace(QUOTES_AND_DASHES, (c) => QUOTE_AND_DASH[c] as string));
}

/**
 * Whitespace runs as single spaces, trimmed. A line whose only whitespace is single spaces (most
 * lines) is not rebuilt: replacing every space by a space made a copy of each line.
 */
function collapseSpaces(text: string): string {
  return (UNCOLLAPSED.test(text) ? text.replace(/\s+/gu, ' ') : text).trim();
}

/**
 * Split decoded text into lines the way the report counts them: `\n`, `\r\n` and a lone `\r`
 * each end one line, so line numbers match what editors show.
 */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
