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

/**
 * What one physical line looks like to the layout rules. The first fields are measured on every
 * line with a plain character scan; the rest (`detailed`) only once a document's line lengths
 * make a wrap width possible, which most one-paragraph-per-line documents never do.
 */
interface LineShape {
  blank: boolean;
  /** Length without trailing white space (UTF-16 code units). */
  length: number;
  /** Leading spaces and tabs. */
  indent: number;
  /** Has white space after its indent (a wrapper could have broken it). */
  spaced: boolean;
  /** Length of the first word (a character of a script written without spaces counts as one). */
  firstWord: number;
  /** `>`-quote depth (0: not quoted). */
  quote: number;
  detailed: boolean;
  startsLower: boolean;
  endsSentence: boolean;
  listItem: boolean;
  /** The list marker is a dash (also used as a dash in prose). */
  dash: boolean;
  tableRow: boolean;
}

const LIST_ITEM = /^\s*(?:[-*+•·–—▪◦]\s+|\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]\s+)/i;
// A row of a plain-text table: columns apart by a tab or three spaces, or cells between bars.
const TABLE_ROW = /\S(?:\t| {3,})\S|^\s*\|.*\|\s*$/;
const QUOTE_PREFIX = /^[ \t]{0,3}((?:>[ \t]?)+)/;
const STARTS_LOWER = /^\p{Ll}/u;
const DASH_ITEM = /^[-–—]\s/;

function measure(line: string): LineShape {
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
    for (let i = indent; i < end; i++) {
      const c = line.charCodeAt(i);
      if (c === 62) quote++;
      else if (c !== 32 && c !== 9) break;
    }
  }
  // Scripts written without spaces start at U+0E00 (Thai); below it a word ends at a space.
  const noSpaces = start < end && line.charCodeAt(start) >= 0x0e00 && NO_SPACES.test(line.charAt(start));
  return {
    blank: start === end,
    length: end,
    indent,
    spaced: space < end,
    firstWord: noSpaces ? 1 : space - start,
    quote,
    detailed: false,
    startsLower: false,
    endsSentence: false,
    listItem: false,
    dash: false,
    tableRow: false,
  };
}

const BULLETS = new Set([...'-*+•·–—▪◦('].map((c) => c.charCodeAt(0)));

/**
 * The rest of a line's shape, for the wrap rules. Each regular expression runs only on lines
 * that hold what it looks for (a bullet or a "1." near the start, a tab or a run of spaces, a
 * bar): wrapped prose holds none of it, and this runs on every line of a wrapped document.
 */
function detail(shape: LineShape, line: string): void {
  if (shape.detailed || shape.blank) return;
  const start = shape.indent;
  const end = shape.length;
  const c0 = line.charCodeAt(start);
  shape.startsLower = c0 < 128 ? c0 >= 97 && c0 <= 122 : STARTS_LOWER.test(line.slice(start, start + 2));
  shape.endsSentence = endsLikeSentence(line, start, end);
  // A list marker sits in the first characters: a bullet, or "1." "a)" "iv." "(3)".
  let marker = BULLETS.has(c0);
  for (let i = start + 1; i < Math.min(end, start + 7) && !marker; i++) {
    const c = line.charCodeAt(i);
    marker = c === 46 || c === 41;
  }
  shape.listItem = marker && LIST_ITEM.test(line);
  shape.dash = shape.listItem && DASH_ITEM.test(line.slice(start, start + 2));
  const tabOrRun = line.indexOf('\t', start) >= 0 || line.indexOf('   ', start) >= 0;
  shape.tableRow = (tabOrRun || c0 === 124) && TABLE_ROW.test(line.slice(start, end));
  shape.detailed = true;
}


// RFC 822 / RFC 1036 header fields that mark a mail or news header block.
const HEADER_FIELD = /^([A-Za-z][A-Za-z0-9-]{0,40}):(?:\s|$)/;
const KNOWN_HEADERS = new Set([
  'from', 'to', 'cc', 'bcc', 'subject', 'date', 'newsgroups', 'organization', 'organisation', 'lines', 'message-id',
  'path', 'reply-to', 'sender', 'references', 'in-reply-to', 'xref', 'nntp-posting-host', 'keywords', 'summary',
  'distribution', 'approved', 'followup-to', 'content-type', 'mime-version', 'content-transfer-encoding',
  'return-path', 'received', 'article-i.d.', 'expires', 'x-newsreader', 'x-mailer', 'user-agent', 'list-id',
]);

/**
 * The header block at the start of a mail or news post: consecutive `Field: value` lines (and
 * their indented continuations) from the first non-blank line, holding at least two known fields.
 * Returns the index after its last line, or -1 when there is none.
 */
function headerBlockEnd(lines: readonly string[], shapes: readonly LineShape[]): number {
  let i = 0;
  while (i < lines.length && shapes[i]!.blank) i++;
  let known = 0;
  let end = i;
  for (; end < lines.length; end++) {
    const line = lines[end]!;
    if (shapes[end]!.blank) break;
    const field = HEADER_FIELD.exec(line);
    if (field) {
      if (KNOWN_HEADERS.has(field[1]!.toLowerCase()) || field[1]!.toLowerCase().startsWith('x-')) known++;
    } else if (!(end > i && /^[ \t]/.test(line))) {
      break;
    }
  }
  return known >= LAYOUT.headerMinKnownFields && end > i ? end : -1;
}

// "In article <…> X writes:", "On Mon, 3 Jan 2005, X wrote:", "X said:" before quoted text.
const ATTRIBUTION = /(?:^\s*in (?:article|message|reply to)\b.*|\b(?:writes|wrote|said|schrieb|a écrit|escribió|scripsit))\s*:\s*$/i;
/** A quoted line that reads like text: several words, and no `>` separators between them. */
function quotedProse(line: string): boolean {
  const text = line.replace(QUOTE_PREFIX, '');
  return !text.includes(' > ') && text.trim().split(/\s+/).length >= LAYOUT.quotedTextMinWords;
}

const SIGNATURE_DELIMITER = /^-- ?$/;
/** Whether a line may be a signature delimiter, without a regex (most lines are not). */
const mayBeDelimiter = (line: string): boolean => line.length <= 3 && line.charCodeAt(0) === 45 && SIGNATURE_DELIMITER.test(line);

/** Roles from mail and Usenet structure, per line (`text` where none applies). */
function structuralRoles(lines: readonly string[], shapes: readonly LineShape[]): BlockRole[] {
  const n = lines.length;
  const roles: BlockRole[] = new Array<BlockRole>(n).fill('text');
  const headerEnd = headerBlockEnd(lines, shapes);
  for (let i = 0; i < headerEnd; i++) if (!shapes[i]!.blank) roles[i] = 'header';
  // `>` also marks breadcrumbs and menu items on web pages ("> Sport"): quoting needs a mail
  // header, an attribution line, or quoted lines that read like text.
  let quotedText = 0;
  for (let i = 0; i < n; i++) if (shapes[i]!.quote > 0 && quotedProse(lines[i]!)) quotedText++;
  const mail = headerEnd > 0;
  const quoting = mail || quotedText >= LAYOUT.minQuotedTextLines || lines.some((line, i) => shapes[i + 1]?.quote && ATTRIBUTION.test(line));
  for (let i = Math.max(0, headerEnd); i < n; i++) {
    const s = shapes[i]!;
    if (s.blank) continue;
    if (s.quote > 0) {
      if (quoting) roles[i] = 'quote';
      continue;
    }
    // An attribution line introduces quoted text: the next non-blank line is quoted.
    let next = i + 1;
    while (next < n && shapes[next]!.blank) next++;
    if (next < n && shapes[next]!.quote > 0 && ATTRIBUTION.test(lines[i]!)) {
      roles[i] = 'quote';
      // A long attribution wraps: "On Mon, 3 Jan 2005, Jane Doe" / "<jane@example.org> wrote:".
      if (i > 0 && !shapes[i - 1]!.blank && roles[i - 1] === 'text' && /^\s*(?:on|in article|in message)\b/i.test(lines[i - 1]!)) {
        roles[i - 1] = 'quote';
      }
    }
  }
  // The signature: from a "-- " line to the end (a signature is short; past the limit, the
  // delimiter was something else).
  for (let i = Math.max(0, headerEnd); i < n; i++) {
    if (!mayBeDelimiter(lines[i]!)) continue;
    if (!mail && !/^-- $/.test(lines[i]!) && !roles.includes('quote')) continue;
    let nonBlank = 0;
    for (let j = i + 1; j < n; j++) if (!shapes[j]!.blank) nonBlank++;
    if (nonBlank > LAYOUT.signatureMaxLines) continue;
    for (let j = i; j < n; j++) if (!shapes[j]!.blank) roles[j] = 'signature';
    break;
  }
  if ((mail || quoting) && !roles.includes('signature')) markSignatureBox(lines, shapes, roles);
  return roles;
}

// A border line of a signature box: a run of one punctuation mark ("-----", "=====", "+---+").
const BOX_BORDER = /^\s*\+?([-=_*~#])\1{9,}\+?\s*$/;

/**
 * A signature without a delimiter, drawn as a box at the end of a post: a border line, a few
 * short lines, and nothing after them but perhaps a closing border.
 */
function markSignatureBox(lines: readonly string[], shapes: readonly LineShape[], roles: BlockRole[]): void {
  let last = lines.length - 1;
  while (last >= 0 && shapes[last]!.blank) last--;
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
    if (roles[i] !== 'text') return;
    if (shapes[i]!.length > LAYOUT.signatureBoxMaxWidth) return;
  }
  for (let i = top; i <= last; i++) if (!shapes[i]!.blank) roles[i] = 'signature';
}

/** The document's lines as the wrap rules see them. */
interface Text {
  lines: readonly string[];
  shapes: readonly LineShape[];
  roles: readonly BlockRole[];
  /** The smallest indent of a text line. */
  base: number;
}

/** Whether line i and the next are both non-blank text lines. */
function textPair(t: Text, i: number): boolean {
  const a = t.shapes[i];
  const b = t.shapes[i + 1];
  return a !== undefined && b !== undefined && !a.blank && !b.blank && t.roles[i] === 'text' && t.roles[i + 1] === 'text';
}

/** The break after `a` was forced: the next line's first word would not have fitted. */
const forcedBreak = (a: LineShape, b: LineShape, width: number): boolean => a.length + 1 + b.firstWord > width - LAYOUT.slack;

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
 * enough to be inside a paragraph were broken where the next word would not have fitted.
 */
function wrapWidth(t: Text): number {
  // Lengths of the lines a wrapper could have broken (one unbreakable word can be longer).
  const lengths: number[] = [];
  t.shapes.forEach((s, i) => {
    if (!s.blank && t.roles[i] === 'text' && s.spaced) lengths.push(s.length);
  });
  const width = candidateWidth(Int32Array.from(lengths));
  if (width === 0) return 0;
  t.shapes.forEach((s, i) => detail(s, t.lines[i]!));
  let long = 0;
  let forced = 0;
  for (let i = 0; i + 1 < t.shapes.length; i++) {
    if (!textPair(t, i)) continue;
    const a = t.shapes[i]!;
    const b = t.shapes[i + 1]!;
    if (a.length > width || a.length < width * LAYOUT.longLineShare) continue;
    // A break before an indented line or a list item is explained by the layout, not the width.
    if ((b.indent > t.base && !a.listItem) || b.listItem) continue;
    long++;
    if (forcedBreak(a, b, width)) forced++;
  }
  return forced >= LAYOUT.minForcedBreaks && forced >= long * LAYOUT.minForcedShare ? width : 0;
}

/**
 * Whether paragraphs start with an indented first line: full indented lines are continued by
 * lines at the base indent more often than by lines indented as much (a block quote).
 */
function indentedFirstLines(t: Text, width: number): boolean {
  let toBase = 0;
  let toSame = 0;
  for (let i = 0; i + 1 < t.shapes.length; i++) {
    if (!textPair(t, i)) continue;
    const a = t.shapes[i]!;
    const b = t.shapes[i + 1]!;
    if (a.indent <= t.base || !forcedBreak(a, b, width)) continue;
    if (b.indent === t.base) toBase++;
    else if (b.indent === a.indent) toSame++;
  }
  return toBase >= LAYOUT.minForcedBreaks && toBase > toSame;
}

/**
 * Whether line i+1 continues the paragraph of line i in text wrapped at `width`. With
 * `indentedFirst`, paragraphs start with an indented line, so every indented line starts one.
 */
function continues(t: Text, a: LineShape, b: LineShape, width: number, indentedFirst: boolean): boolean {
  if (indentedFirst && b.indent > t.base) return false;
  if (a.tableRow || b.tableRow) return false;
  const full = forcedBreak(a, b, width);
  // A list item starts a block; but a dash after a full line that ends no sentence is prose
  // ("the bank" / "- would continue").
  if (b.listItem && !(b.dash && full && !a.endsSentence)) return false;
  // A line well past the width was not wrapped there (unless it is one unbreakable word).
  const longest = width * (1 + LAYOUT.overlongMargin);
  if ((a.length > longest && a.spaced) || (b.length > longest && b.spaced)) return false;
  // An indented line starts a paragraph (unless line i is a list item's first line, whose
  // continuation hangs under its text).
  if (b.indent > a.indent && !a.listItem) return false;
  if (full) return true;
  // A sentence that runs on to a lower-case word, from a line not far from the width.
  return !a.endsSentence && b.startsLower && a.length >= width * LAYOUT.runOnShare;
}

// plainLineBlocks' scratch, reused from one document to the next.
let plainLines = new Int32Array(1024);
let plainLengths = new Int32Array(1024);

/**
 * Most documents are one paragraph per line with no mail structure. A first scan, with no
 * per-line object, says so when no line could start mail structure (a header field on the first
 * line, a `>` quote, a `--` delimiter) and no wrap width is possible, and then its one block per
 * non-blank line is the layout; otherwise undefined.
 */
function plainLineBlocks(lines: readonly string[]): Block[] | undefined {
  // The non-blank lines and the lengths to size a wrap width from go to scratch arrays: the
  // blocks are made only once the document is known to be plain (half the benchmark's are not).
  if (lines.length > plainLines.length) {
    plainLines = new Int32Array(2 * lines.length);
    plainLengths = new Int32Array(2 * lines.length);
  }
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
  const shapes = lines.map(measure);
  const roles = structuralRoles(lines, shapes);
  let base = Infinity;
  shapes.forEach((s, i) => {
    if (!s.blank && roles[i] === 'text') base = Math.min(base, s.indent);
  });
  const text: Text = { lines, shapes, roles, base };
  const width = wrapWidth(text);
  const indentedFirst = width > 0 && indentedFirstLines(text, width);
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (shapes[i]!.blank) continue;
    const role = roles[i]!;
    let end = i;
    if (role === 'text') {
      while (width > 0 && end + 1 < lines.length && roles[end + 1] === 'text' && !shapes[end + 1]!.blank && continues(text, shapes[end]!, shapes[end + 1]!, width, indentedFirst)) end++;
    } else {
      // Structure blocks run until the role (or the quote depth) changes.
      while (end + 1 < lines.length && roles[end + 1] === role && !shapes[end + 1]!.blank && shapes[end + 1]!.quote === shapes[i]!.quote) end++;
    }
    blocks.push({ start: i, end, role });
    i = end;
  }
  return { kind: width > 0 ? 'wrapped' : 'lines', width, blocks };
}
