// Corpus evidence: lines that recur across documents that are not near-duplicates of each other
// are site template (menus, footers, promo boxes), whatever their in-document features say.

import type { BlockRole } from '../layout/index.js';

/**
 * Lines shorter than this many words never count as template: short lines ("Why It Matters",
 * "Comments") recur across a site's articles as in-article headings as often as menu items, and
 * the in-document classifier handles them on its own. The caller gives such lines key 0.
 */
export const TEMPLATE_MIN_WORDS = 5;

/**
 * Blocks longer than this many words never count as template either: a paragraph that recurs in
 * documents that are not copies of one article is an article quoted, excerpted or syndicated
 * (Usenet replies, digests, wire copy), far more often than a menu, tagline or footer. Counted,
 * such paragraphs stripped most of the article from edited copies of it, and the body comparison
 * then split the copies: on the benchmark corpus (BBC ten times, quoted in posts and digests) 799
 * of 2,225 articles had their copies in several clusters, 86 with this limit (69 at 20 words, 91
 * at 40). Every template line that changed a label on the L3S pages, plain or hard-wrapped, has
 * at most 9 words a line; their scores are the same with or without the limit.
 */
export const TEMPLATE_MAX_WORDS = 30;

/**
 * The blocks that can be template: not quoted text. A paragraph that replies quote (`> ` under an
 * attribution, see layout) is the article being cited, never the quoting site's furniture; counted,
 * three Usenet replies quoting one paragraph made it "navigation" in the article itself. On the
 * benchmark corpus (posts quote BBC paragraphs) 17,000 BBC lines were labelled template that way.
 */
export const TEMPLATE_ROLES: ReadonlySet<BlockRole> = new Set<BlockRole>(['text', 'header', 'signature']);

/** Whether a layout block of `words` words and `role` may be an outlet's template (see above). */
export const mayBeTemplate = (role: BlockRole, words: number): boolean => TEMPLATE_ROLES.has(role) && words >= TEMPLATE_MIN_WORDS && words <= TEMPLATE_MAX_WORDS;

const NO_TEMPLATE_LINES: ReadonlyMap<number, number> = new Map();

/**
 * For each document, the lines whose key recurs in at least `minDocuments` distinct
 * near-duplicate groups, with the number of groups. `lineKeys[d][i]` is the key of line i of
 * document d (0 = never counts: blank or too short); `groupOf[d]` is document d's group, so
 * copies of one article count once. A key repeated within one document counts once. Documents
 * with none share one empty map (on 42,000 files, 38,000 empty maps were 8 MB).
 */
export function findTemplateLines(
  lineKeys: readonly Uint32Array[],
  groupOf: readonly number[],
  options?: { minDocuments?: number },
): Array<ReadonlyMap<number, number>> {
  const minDocuments = Math.max(1, options?.minDocuments ?? 3);
  if (groupOf.length < lineKeys.length) throw new RangeError('groupOf must have one entry per document');
  // Most keys occur once. Sorting all keys (a native numeric sort) finds the few that occur
  // often enough to reach minDocuments at all; distinct groups are only counted for those.
  let total = 0;
  for (const keys of lineKeys) for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) total++;
  const all = new Uint32Array(total);
  let w = 0;
  for (const keys of lineKeys) for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) all[w++] = keys[i] as number;
  all.sort();
  const frequent: number[] = [];
  for (let start = 0; start < total; ) {
    let end = start + 1;
    while (end < total && all[end] === all[start]) end++;
    if (end - start >= minDocuments) frequent.push(all[start] as number);
    start = end;
  }
  const groupsOfKey = new Map<number, Set<number>>(frequent.map((key) => [key, new Set<number>()]));
  if (groupsOfKey.size > 0) {
    for (let d = 0; d < lineKeys.length; d++) {
      const keys = lineKeys[d] as Uint32Array;
      for (let i = 0; i < keys.length; i++) groupsOfKey.get(keys[i] as number)?.add(groupOf[d] as number);
    }
  }
  const out: Array<ReadonlyMap<number, number>> = [];
  for (let d = 0; d < lineKeys.length; d++) {
    const keys = lineKeys[d] as Uint32Array;
    const found = new Map<number, number>();
    if (groupsOfKey.size > 0) {
      for (let i = 0; i < keys.length; i++) {
        const count = groupsOfKey.get(keys[i] as number)?.size ?? 0;
        if (count >= minDocuments) found.set(i, count);
      }
    }
    out.push(found.size > 0 ? found : NO_TEMPLATE_LINES);
  }
  return out;
}
