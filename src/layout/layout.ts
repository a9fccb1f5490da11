// Layout: the blocks (paragraphs) a document is made of, rebuilt from its physical lines before
// any body/boilerplate feature is computed.
//
// Plain text comes in two layouts: one paragraph per line (web pages rendered to text, most
// exports) and hard-wrapped at a fixed width (e-mail, wire copy, Usenet, books), where one
// paragraph is several short physical lines. A wrapped document is recognised by its breaks: a
// wrapper breaks a line only where the next word would not have fitted, so inside a paragraph
// almost every line is "full" for the next line's first word. Paragraph boundaries are then a
// blank line, a line the next word would have fitted on, an indented first line, a list item or
// a table row. Mail and Usenet structure (a leading header block, quoted text, attribution lines,
// signatures) is recognised first and kept in blocks of its own with a role.

import { endsLikeSentence, isSpace } from '../normalise/characters.js';
import { NO_SPACES } from '../tokenise/tokenise.js';
import { LAYOUT } from './params.js';

export type BlockRole = 'text' | 'header' | 'quote' | 'signature';

/** Consecutive non-blank physical lines read as one paragraph; lines are 0-based and inclusive. */
export interface Block {
  start: number;
  end: number;
  role: BlockRole;
}

export interface Layout {
  /** `wrapped`: hard-wrapped text whose lines were joined into paragraphs; `lines`: one block per line. */
  kind: 'lines' | 'wrapped';
  /** The wrap width found (columns), 0 for `lines`. */
  width: number;
  /** Every non-blank line is in exactly one block; blocks are in document order. */
  blocks: Block[];
}

// What each physical line looks like to the layout rules, one slot per line in typed arrays
// reused from one document to the next (a wrapped document has thousands of lines; an object
// per line was the largest allocation of the per-document pass). The length (without trailing
// white space, UTF-16 code units), the leading spaces and tabs, the length of the first word (a
// character of a script written without spaces counts as one), the `>`-quote depth (0: not
// quoted) and the flags below are measured on every line; the flags from STARTS_LOWER on only
// once a document's line lengths make a wrap width possible.
let lengthOf = new Int32Array(1024);
let indentOf = new Int32Array(1024);
let firstWordOf = new Int32Array(1024);
let quoteOf = new Int32Array(1024);
let flagsOf = new Uint8Array(1024);
/** Each line's role, an index into ROLES. */
let roleOf = new Uint8Array(1024);
// plainLineBlocks' non-blank lines, and the lengths a wrap width is sized from.
let plainLines = new Int32Array(1024);
let plainLengths = new Int32Array(1024);

/** Room for the shapes and roles of `n` lines. */
function reserveLines(n: number): void {
  if (n <= lengthOf.length) return;
  const size = 2 * n;
  lengthOf = new Int32Array(size);
  indentOf = new Int32Array(size);
  firstWordOf = new Int32Array(size);
  quoteOf = new Int32Array(size);
  flagsOf = new Uint8Array(size);
  roleOf = new Uint8Array(size);
  plainLines = new Int32Array(size);
  plainLengths = new Int32Array(size);
}

const BLANK = 1;
/** Has white space after its indent (a wrapper could have broken it). */
const SPACED = 2;
const STARTS_LOWER = 4;
const ENDS_SENTENCE = 8;
const LIST_ITEM_LINE = 16;
/** The list marker is a dash (also used as a dash in prose). */
const DASH = 32;
const TABLE_ROW_LINE = 64;

const ROLES: readonly BlockRole[] = ['text', 'header', 'quote', 'signature'];
const TEXT = 0;
const HEADER = 1;
const QUOTE = 2;
const SIGNATURE = 3;

const LIST_ITEM = /^\s*(?:[-*+•·–—▪◦]\s+|\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]\s+)/i;
// A row of a plain-text table: columns apart by a tab or three spaces, or cells between bars.
const TABLE_ROW = /\S(?:\t| {3,})\S|^\s*\|.*\|\s*$/;
const STARTS_LOWER_RE = /^\p{Ll}/u;
const DASH_ITEM = /^[-–—]\s/;

const blank = (i: number): boolean => (flagsOf[i]! & BLANK) !== 0;

function measure(line: string, i: number): void {
  let end = line.length;
  while (end > 0 && isSpace(line.charCodeAt(end - 1))) end--;
  let indent = 0;
  while (indent < end && (line.charCodeAt(indent) === 32 || line.charCodeAt(indent) === 9)) indent++;
  let start = indent;
  while (start < end && isSpace(line.charCodeAt(start))) start++;
  let space = start;
  while (space < end && !isSpace(line.charCodeAt(space))) space++;
  let quote = 0;
  if (indent <= 3 && line.charCodeAt(indent) === 62) {
    // ">", "> >", ">>": count the marks, spaces and tabs between them allowed.
    for (let k = indent; k < end; k++) {
      const c = line.charCodeAt(k);
      if (c === 62) quote++;
      else if (c !== 32 && c !== 9) break;
    }
  }
  // Scripts written without spaces start at U+0E00 (Thai); below it a word ends at a space.
  const noSpaces = start < end && line.charCodeAt(start) >= 0x0e00 && NO_SPACES.test(line.charAt(start));
  lengthOf[i] = end;
  indentOf[i] = indent;
  firstWordOf[i] = noSpaces ? 1 : space - start;
  quoteOf[i] = quote;
  flagsOf[i] = (start === end ? BLANK : 0) | (space < end ? SPACED : 0);
}

const BULLETS = new Set([...'-*+•·–—▪◦('].map((c) => c.charCodeAt(0)));

/**
 * The rest of a line's shape, for the wrap rules. Each regular expression runs only on lines
 * that hold what it looks for (a bullet or a "1." near the start, a tab or a run of spaces, a
 * bar): wrapped prose holds none of it, and this runs on every line of a wrapped document.
 */
function detail(line: string, i: number): void {
  let flags = flagsOf[i]!;
  if (flags & BLANK) return;
  const start = indentOf[i]!;
  const end = lengthOf[i]!;
  const c0 = line.charCodeAt(start);
  if (c0 < 128 ? c0 >= 97 && c0 <= 122 : STARTS_LOWER_RE.test(line.slice(start, start + 2))) flags |= STARTS_LOWER;
  if (endsLikeSentence(line, start, end)) flags |= ENDS_SENTENCE;
  // A list marker sits in the first characters: a bullet, or "1." "a)" "iv." "(3)".
  let marker = BULLETS.has(c0);
  for (let k = start + 1; k < Math.min(end, start + 7) && !marker; k++) {
    const c = line.charCodeAt(k);
    marker = c === 46 || c === 41;
  }
  if (marker && LIST_ITEM.test(line)) {
    flags |= LIST_ITEM_LINE;
    if (DASH_ITEM.test(line.slice(start, start + 2))) flags |= DASH;
  }
  const tabOrRun = line.indexOf('\t', start) >= 0 || line.indexOf('   ', start) >= 0;
  if ((tabOrRun || c0 === 124) && TABLE_ROW.test(line.slice(start, end))) flags |= TABLE_ROW_LINE;
  flagsOf[i] = flags;
}


// RFC 822 / RFC 1036 header fields that mark a mail or news header block.
const HEADER_FIELD = /^([A-Za-z][A-Za-z0-9-]{0,40}):(?:\s|$)/;
const KNOWN_HEADERS = new Set([
  'from', 'to', 'cc', 'bcc', 'subject', 'date', 'newsgroups', 'organization', 'organisation', 'lines', 'message-id',
  'path', 'reply-to', 'sender', 'references', 'in-reply-to', 'xref', 'nntp-posting-host', 'keywords', 'summary',
  'distribution', 'approved', 'followup-to', 'content-type', 'mime-version', 'content-transfer-encoding',
  'return-path', 'received', 'article-i.d.', 'expires', 'x-newsreader', 'x-mailer', 'user-agent', 'list-id',
]);

const nameChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45;

/**
 * The length of the field name of a `Field: value` line (what HEADER_FIELD captures), 0 when the
 * line is none; scanned in place, as a mail post's every header line is tested.
 */
export function headerFieldLength(line: string): number {
  const c0 = line.charCodeAt(0) | 32;
  if (!(c0 >= 97 && c0 <= 122)) return 0;
  let k = 1;
  while (k < line.length && nameChar(line.charCodeAt(k))) k++;
  if (k > 41 || line.charCodeAt(k) !== 58) return 0;
  return k + 1 === line.length || isSpace(line.charCodeAt(k + 1)) ? k : 0;
}

/**
 * The header block at the start of a mail or news post: consecutive `Field: value` lines (and
 * their indented continuations) from the first non-blank line, holding at least two known fields.
 * Returns the index after its last line, or -1 when there is none.
 */
function headerBlockEnd(lines: readonly string[]): number {
  let i = 0;
  while (i < lines.length && blank(i)) i++;
  let known = 0;
  let end = i;
  for (; end < lines.length; end++) {
    const line = lines[end]!;
    if (blank(end)) break;
    const field = headerFieldLength(line);
    if (field > 0) {
      const name = line.slice(0, field).toLowerCase();
      if (KNOWN_HEADERS.has(name) || name.startsWith('x-')) known++;
    } else if (!(end > i && /^[ \t]/.test(line))) {
      break;
    }
  }
  return known >= LAYOUT.headerMinKnownFields && end > i ? end : -1;
}

// "In article <…> X writes:", "On Mon, 3 Jan 2005, X wrote:", "X said:" before quoted text.
const ATTRIBUTION = /(?:^\s*in (?:article|message|reply to)\b.*|\b(?:writes|wrote|said|schrieb|a écrit|escribió|scripsit))\s*:\s*$/i;

/**
 * A quoted line that reads like text: several words, and no `>` separators between them. The
 * text is what follows the quote prefix (up to three spaces or tabs, then `>` marks each followed
 * by at most one space or tab); its words are counted in place rather than split out.
 */
export function quotedProse(line: string): boolean {
  let from = 0;
  while (from < 3 && (line.charCodeAt(from) === 32 || line.charCodeAt(from) === 9)) from++;
  if (line.charCodeAt(from) === 62) {
    while (line.charCodeAt(from) === 62) {
      from++;
      const c = line.charCodeAt(from);
      if (c === 32 || c === 9) from++;
    }
  } else {
    from = 0;
  }
  if (line.indexOf(' > ', from) >= 0) return false;
  // Enough words end the count: quoted lines are mostly long.
  let words = 0;
  let inWord = false;
  for (let k = from; k < line.length; k++) {
    const space = isSpace(line.charCodeAt(k));
    if (!space && !inWord && ++words >= LAYOUT.quotedTextMinWords) return true;
    inWord = !space;
  }
  // An empty text still splits into one (empty) word.
  return Math.max(words, 1) >= LAYOUT.quotedTextMinWords;
}

const SIGNATURE_DELIMITER = /^-- ?$/;
/** Whether a line may be a signature delimiter, without a regex (most lines are not). */
const mayBeDelimiter = (line: string): boolean => line.length <= 3 && line.charCodeAt(0) === 45 && SIGNATURE_DELIMITER.test(line);

/** Roles from mail and Usenet structure, per line (TEXT where none applies), into roleOf. */
function structuralRoles(lines: readonly string[]): void {
  const n = lines.length;
  roleOf.fill(TEXT, 0, n);
  const headerEnd = headerBlockEnd(lines);
  for (let i = 0; i < headerEnd; i++) if (!blank(i)) roleOf[i] = HEADER;
  // `>` also marks breadcrumbs and menu items on web pages ("> Sport"): quoting needs a mail
  // header, an attribution line, or quoted lines that read like text.
  let quotedText = 0;
  for (let i = 0; i < n; i++) if (quoteOf[i]! > 0 && quotedProse(lines[i]!)) quotedText++;
  const mail = headerEnd > 0;
  let quoting = mail || quotedText >= LAYOUT.minQuotedTextLines;
  for (let i = 0; i + 1 < n && !quoting; i++) quoting = quoteOf[i + 1]! > 0 && ATTRIBUTION.test(lines[i]!);
  let quoted = false;
  for (let i = Math.max(0, headerEnd); i < n; i++) {
    if (blank(i)) continue;
    if (quoteOf[i]! > 0) {
      if (quoting) {
        roleOf[i] = QUOTE;
        quoted = true;
      }
      continue;
    }
    // An attribution line introduces quoted text: the next non-blank line is quoted.
    let next = i + 1;
    while (next < n && blank(next)) next++;
    if (next < n && quoteOf[next]! > 0 && ATTRIBUTION.test(lines[i]!)) {
      roleOf[i] = QUOTE;
      quoted = true;
      // A long attribution wraps: "On Mon, 3 Jan 2005, Jane Doe" / "<jane@example.org> wrote:".
      if (i > 0 && !blank(i - 1) && roleOf[i - 1] === TEXT && /^\s*(?:on|in article|in message)\b/i.test(lines[i - 1]!)) {
        roleOf[i - 1] = QUOTE;
      }
    }
  }
  // The signature: from a "-- " line to the end (a signature is short; past the limit, the
  // delimiter was something else).
  let signed = false;
  for (let i = Math.max(0, headerEnd); i < n; i++) {
    if (!mayBeDelimiter(lines[i]!)) continue;
    if (!mail && !/^-- $/.test(lines[i]!) && !quoted) continue;
    let nonBlank = 0;
    for (let j = i + 1; j < n; j++) if (!blank(j)) nonBlank++;
    if (nonBlank > LAYOUT.signatureMaxLines) continue;
    for (let j = i; j < n; j++) if (!blank(j)) roleOf[j] = SIGNATURE;
    signed = true;
    break;
  }
  if ((mail || quoting) && !signed) markSignatureBox(lines);
}

// A border line of a signature box: a run of one punctuation mark ("-----", "=====", "+---+").
const BOX_BORDER = /^\s*\+?([-=_*~#])\1{9,}\+?\s*$/;

/**
 * A signature without a delimiter, drawn as a box at the end of a post: a border line, a few
 * short lines, and nothing after them but perhaps a closing border.
 */
function markSignatureBox(lines: readonly string[]): void {
  let last = lines.length - 1;
  while (last >= 0 && blank(last)) last--;
  if (last < 0) return;
  // The opening border: the nearest border line above the last line, or the last one itself
  // when the box is closed (look above it for the opening one).
  let top = -1;
  for (let i = last - (BOX_BORDER.test(lines[last]!) ? 1 : 0); i >= Math.max(0, last - LAYOUT.signatureBoxMaxLines - 1); i--) {
    if (BOX_BORDER.test(lines[i]!)) {
      top = i;
      break;
    }
  }
  if (top < 0 || top === last) return;
  for (let i = top; i <= last; i++) {
    if (roleOf[i] !== TEXT) return;
    if (lengthOf[i]! > LAYOUT.signatureBoxMaxWidth) return;
  }
  for (let i = top; i <= last; i++) if (!blank(i)) roleOf[i] = SIGNATURE;
}

/** Whether line i and the next (of n) are both non-blank text lines. */
const textPair = (i: number, n: number): boolean =>
  i + 1 < n && !blank(i) && !blank(i + 1) && roleOf[i] === TEXT && roleOf[i + 1] === TEXT;

/** The break after line a was forced: line b's first word would not have fitted. */
const forcedBreak = (a: number, b: number, width: number): boolean => lengthOf[a]! + 1 + firstWordOf[b]! > width - LAYOUT.slack;

/**
 * The width a wrapper could have used, from the lengths of the lines it could have broken: the
 * length all but a few lines (a pasted URL line, a table row) stay within; 0 when there are too
 * few lines to tell or the width is no wrapper's.
 */
function candidateWidth(lengths: Int32Array): number {
  if (lengths.length < LAYOUT.minWrappedLines) return 0;
  // The index-th longest, read from an ascending numeric sort, in place (a typed array sorts
  // natively; a comparator sort called back into JS for every comparison).
  const index = Math.floor(LAYOUT.maxOverlongLines + LAYOUT.maxOverlongShare * lengths.length);
  const width = index < lengths.length ? (lengths.sort()[lengths.length - 1 - index] as number) : 0;
  return width < LAYOUT.minWidth || width > LAYOUT.maxWidth ? 0 : width;
}

/**
 * The wrap width of a document's text lines, or 0 when they do not look hard-wrapped. The width
 * is the length that all but a few lines stay within; the text is wrapped when most lines long
 * enough to be inside a paragraph were broken where the next word would not have fitted. `base`
 * is the smallest indent of a text line.
 */
function wrapWidth(lines: readonly string[], base: number): number {
  const n = lines.length;
  // Lengths of the lines a wrapper could have broken (one unbreakable word can be longer).
  let count = 0;
  for (let i = 0; i < n; i++) {
    if ((flagsOf[i]! & (BLANK | SPACED)) === SPACED && roleOf[i] === TEXT) plainLengths[count++] = lengthOf[i]!;
  }
  const width = candidateWidth(plainLengths.subarray(0, count));
  if (width === 0) return 0;
  for (let i = 0; i < n; i++) detail(lines[i]!, i);
  let long = 0;
  let forced = 0;
  for (let a = 0; a + 1 < n; a++) {
    if (!textPair(a, n)) continue;
    const b = a + 1;
    if (lengthOf[a]! > width || lengthOf[a]! < width * LAYOUT.longLineShare) continue;
    // A break before an indented line or a list item is explained by the layout, not the width.
    if ((indentOf[b]! > base && !(flagsOf[a]! & LIST_ITEM_LINE)) || flagsOf[b]! & LIST_ITEM_LINE) continue;
    long++;
    if (forcedBreak(a, b, width)) forced++;
  }
  return forced >= LAYOUT.minForcedBreaks && forced >= long * LAYOUT.minForcedShare ? width : 0;
}

/**
 * Whether paragraphs start with an indented first line: full indented lines are continued by
 * lines at the base indent more often than by lines indented as much (a block quote).
 */
function indentedFirstLines(n: number, base: number, width: number): boolean {
  let toBase = 0;
  let toSame = 0;
  for (let a = 0; a + 1 < n; a++) {
    if (!textPair(a, n)) continue;
    const b = a + 1;
    if (indentOf[a]! <= base || !forcedBreak(a, b, width)) continue;
    if (indentOf[b] === base) toBase++;
    else if (indentOf[b] === indentOf[a]) toSame++;
  }
  return toBase >= LAYOUT.minForcedBreaks && toBase > toSame;
}

/**
 * Whether line b = a+1 continues the paragraph of line a in text wrapped at `width`. With
 * `indentedFirst`, paragraphs start with an indented line, so every indented line starts one.
 */
function continues(a: number, b: number, base: number, width: number, indentedFirst: boolean): boolean {
  const fa = flagsOf[a]!;
  const fb = flagsOf[b]!;
  if (indentedFirst && indentOf[b]! > base) return false;
  if ((fa | fb) & TABLE_ROW_LINE) return false;
  const full = forcedBreak(a, b, width);
  // A list item starts a block; but a dash after a full line that ends no sentence is prose
  // ("the bank" / "- would continue").
  if (fb & LIST_ITEM_LINE && !(fb & DASH && full && !(fa & ENDS_SENTENCE))) return false;
  // A line well past the width was not wrapped there (unless it is one unbreakable word).
  const longest = width * (1 + LAYOUT.overlongMargin);
  if ((lengthOf[a]! > longest && fa & SPACED) || (lengthOf[b]! > longest && fb & SPACED)) return false;
  // An indented line starts a paragraph (unless line a is a list item's first line, whose
  // continuation hangs under its text).
  if (indentOf[b]! > indentOf[a]! && !(fa & LIST_ITEM_LINE)) return false;
  if (full) return true;
  // A sentence that runs on to a lower-case word, from a line not far from the width.
  return !(fa & ENDS_SENTENCE) && (fb & STARTS_LOWER) !== 0 && lengthOf[a]! >= width * LAYOUT.runOnShare;
}

/**
 * Most documents are one paragraph per line with no mail structure. A first scan, with no
 * per-line object, says so when no line could start mail structure (a header field on the first
 * line, a `>` quote, a `--` delimiter) and no wrap width is possible, and then its one block per
 * non-blank line is the layout; otherwise undefined.
 */
function plainLineBlocks(lines: readonly string[]): Block[] | undefined {
  // The non-blank lines and the lengths to size a wrap width from go to scratch arrays: the
  // blocks are made only once the document is known to be plain (half the benchmark's are not).
  reserveLines(lines.length);
  let nonBlank = 0;
  let spacedLines = 0;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as string;
    let end = line.length;
    while (end > 0 && isSpace(line.charCodeAt(end - 1))) end--;
    let start = 0;
    while (start < end && isSpace(line.charCodeAt(start))) start++;
    if (start === end) continue;
    const c = line.charCodeAt(start);
    if (c === 62 || (c === 45 && line.charCodeAt(start + 1) === 45)) return undefined;
    if (nonBlank === 0 && HEADER_FIELD.test(line)) return undefined;
    plainLines[nonBlank++] = n;
    let spaced = false;
    for (let i = start; i < end && !spaced; i++) spaced = isSpace(line.charCodeAt(i));
    if (spaced) plainLengths[spacedLines++] = end;
  }
  if (candidateWidth(plainLengths.subarray(0, spacedLines)) !== 0) return undefined;
  const blocks: Block[] = [];
  for (let k = 0; k < nonBlank; k++) {
    const n = plainLines[k] as number;
    blocks.push({ start: n, end: n, role: 'text' });
  }
  return blocks;
}

/** The blocks of a document (see the header comment). */
export function detectLayout(lines: readonly string[]): Layout {
  const plain = plainLineBlocks(lines);
  if (plain) return { kind: 'lines', width: 0, blocks: plain };
  const n = lines.length;
  for (let i = 0; i < n; i++) measure(lines[i]!, i);
  structuralRoles(lines);
  let base = Infinity;
  for (let i = 0; i < n; i++) if (!blank(i) && roleOf[i] === TEXT) base = Math.min(base, indentOf[i]!);
  const width = wrapWidth(lines, base);
  const indentedFirst = width > 0 && indentedFirstLines(n, base, width);
  const blocks: Block[] = [];
  for (let i = 0; i < n; i++) {
    if (blank(i)) continue;
    const role = roleOf[i]!;
    let end = i;
    if (role === TEXT) {
      while (width > 0 && end + 1 < n && roleOf[end + 1] === TEXT && !blank(end + 1) && continues(end, end + 1, base, width, indentedFirst)) end++;
    } else {
      // Structure blocks run until the role (or the quote depth) changes.
      while (end + 1 < n && roleOf[end + 1] === role && !blank(end + 1) && quoteOf[end + 1] === quoteOf[i]) end++;
    }
    blocks.push({ start: i, end, role: ROLES[role]! });
    i = end;
  }
  return { kind: width > 0 ? 'wrapped' : 'lines', width, blocks };
}
