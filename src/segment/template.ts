// Corpus evidence: lines that recur across documents that are not near-duplicates of each other
// are site template (menus, footers, promo boxes), whatever their in-document features say.

/**
 * Lines shorter than this many words never count as template: short lines ("Why It Matters",
 * "Comments") recur across a site's articles as in-article headings as often as menu items, and
 * the in-document classifier handles them on its own. The caller gives such lines key 0.
 */
export const TEMPLATE_MIN_WORDS = 5;

/**
 * For each document, the lines whose key recurs in at least `minDocuments` distinct
 * near-duplicate groups, with the number of groups. `lineKeys[d][i]` is the key of line i of
 * document d (0 = never counts: blank or too short); `groupOf[d]` is document d's group, so
 * copies of one article count once. A key repeated within one document counts once.
 */
export function findTemplateLines(
  lineKeys: readonly Uint32Array[],
  groupOf: readonly number[],
  options?: { minDocuments?: number },
): Map<number, number>[] {
  const minDocuments = Math.max(1, options?.minDocuments ?? 3);
  if (groupOf.length < lineKeys.length) throw new RangeError('groupOf must have one entry per document');
  // key -> distinct groups seen so far (counted once per group: last group id seen + a set).
  const groupsOfKey = new Map<number, Set<number>>();
  for (let d = 0; d < lineKeys.length; d++) {
    const keys = lineKeys[d] as Uint32Array;
    const group = groupOf[d] as number;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as number;
      if (key === 0) continue;
      let groups = groupsOfKey.get(key);
      if (!groups) {
        groups = new Set();
        groupsOfKey.set(key, groups);
      }
      groups.add(group);
    }
  }
  const out: Map<number, number>[] = [];
  for (let d = 0; d < lineKeys.length; d++) {
    const keys = lineKeys[d] as Uint32Array;
    const found = new Map<number, number>();
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as number;
      if (key === 0) continue;
      const count = (groupsOfKey.get(key) as Set<number>).size;
      if (count >= minDocuments) found.set(i, count);
    }
    out.push(found);
  }
  return out;
}
