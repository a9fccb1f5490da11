// "Did you mean …?" for a mistyped subcommand or config key, as commander does for flags.

/** Edit distance between two strings, counting a swap of neighbours as one edit (Damerau, restricted). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidates closest to `word` (case aside), when close enough to be a typo: at most a third
 * of the word's length in edits, as commander's suggestSimilar allows. Sorted; empty if none.
 */
export function similarWords(word: string, candidates: readonly string[]): string[] {
  const lower = word.toLowerCase();
  let best = Infinity;
  let found: string[] = [];
  for (const candidate of new Set(candidates)) {
    if (candidate.length <= 1) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance > Math.max(1, Math.floor(candidate.length / 3)) || distance > best) continue;
    if (distance < best) [best, found] = [distance, []];
    found.push(candidate);
  }
  return found.sort();
}

/** "did you mean body?" (or "body or help?"), or undefined when nothing is close. */
export function didYouMean(word: string, candidates: readonly string[], quote: (s: string) => string = (s) => s): string | undefined {
  const similar = similarWords(word, candidates);
  if (!similar.length) return undefined;
  return `did you mean ${similar.map(quote).join(' or ')}?`;
}

/** The subcommands, for "did you mean dedupe body?" when a path is a near miss of one. */
export const COMMANDS = ['body', 'index', 'sketch', 'pairs', 'report', 'help'];
