/** Greedy word wrap, as mail clients and `fold -s` do: break where the next word would not fit. */
export function wrap(paragraph: string, width: number, firstIndent = 0): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of paragraph.split(/\s+/).filter(Boolean)) {
    const room = out.length === 0 ? width - firstIndent : width;
    if (line !== '' && line.length + 1 + word.length > room) {
      out.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') out.push(line);
  return out;
}

export type ParagraphStyle = 'blank' | 'indent' | 'none';

/**
 * Paragraphs hard-wrapped at `width`, apart by a blank line, by a four-space indent on their
 * first line, or by nothing at all. Returns the lines and where each paragraph starts and ends
 * (0-based, inclusive).
 */
export function layOut(paragraphs: readonly string[], width: number, style: ParagraphStyle): { lines: string[]; spans: Array<[number, number]> } {
  const lines: string[] = [];
  const spans: Array<[number, number]> = [];
  for (const [p, paragraph] of paragraphs.entries()) {
    if (style === 'blank' && p > 0) lines.push('');
    const wrapped = wrap(paragraph, width, style === 'indent' ? 4 : 0);
    if (style === 'indent') wrapped[0] = `    ${wrapped[0]}`;
    spans.push([lines.length, lines.length + wrapped.length - 1]);
    lines.push(...wrapped);
  }
  return { lines, spans };
}
