// File names and contents reach a terminal through the human formats. Characters a terminal acts
// on rather than shows must not: ESC starts colour, title (OSC) and clear-screen sequences, BEL
// rings, CR and BS overwrite what was printed, C1 controls are 8-bit escapes, bidi controls
// reorder the line ("Trojan Source"), and U+2028/2029 and NEL break it where a reader does not expect.

/** Escaped in human output: C0 but tab, DEL, C1, the bidi controls, line and paragraph separators. */
const UNSAFE_FOR_TERMINAL = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same but CR and LF, for a format with its own escape for those (GitHub's %0D and %0A). */
const UNSAFE_BUT_LINE_BREAKS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Escaped in JSON text: what JSON.stringify leaves raw of the above (it escapes C0 already). */
const UNSAFE_IN_JSON = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, digits: number) => c.charCodeAt(0).toString(16).padStart(digits, '0');
const escape = (c: string) => (c.charCodeAt(0) < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`);

/**
 * `text` with every character a terminal would act on written as a visible escape: ESC as `\x1b`,
 * a right-to-left override as `\u202e`. For human-readable output only; JSON keeps exact text.
 */
export function visible(text: string, options: { keepLineBreaks?: boolean } = {}): string {
  return text.replace(options.keepLineBreaks ? UNSAFE_BUT_LINE_BREAKS : UNSAFE_FOR_TERMINAL, escape);
}

/** Each line of `text` made visible, its line breaks kept: for messages of several lines. */
export function visibleLines(text: string): string {
  return text.split('\n').map((line) => visible(line)).join('\n');
}

/**
 * JSON.stringify, with C1, bidi controls and U+2028/2029 written as `\uXXXX` too: the parsed
 * value is the same, but `cat report.json` cannot drive the terminal, and a reader that splits
 * NDJSON at Unicode line breaks (Python's str.splitlines) still sees one message per line. These
 * characters occur only inside strings, where the escape means the same character.
 */
export function jsonText(value: unknown, indent?: number): string {
  return escapeJson(JSON.stringify(value, null, indent));
}

/** UNSAFE_IN_JSON without the g flag, for test(): a scan that builds nothing. */
const HAS_UNSAFE_IN_JSON = new RegExp(UNSAFE_IN_JSON.source);

/**
 * JSON text (JSON.stringify's) with jsonText's escapes. Tested first: most text holds none of
 * these characters, and a replace over it costs several times the test.
 */
export function escapeJson(json: string): string {
  return HAS_UNSAFE_IN_JSON.test(json) ? json.replace(UNSAFE_IN_JSON, (c) => `\\u${hex(c, 4)}`) : json;
}
