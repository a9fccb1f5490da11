// How numbers read in the human formats (text, GitHub annotations, SARIF messages): one spelling
// of counts and similarities everywhere, so "1 documents" or 0.984 next to 98% cannot happen.

/** A count with thousands separators: 2,225. */
export const count = (n: number): string => n.toLocaleString('en-US');

/** A count and its noun, singular for exactly one: "1 document", "2,225 documents". */
export const plural = (n: number, word: string, many = `${word}s`): string => `${count(n)} ${n === 1 ? word : many}`;

/**
 * A similarity in [0, 1] as a percentage with one decimal, rounded down so that a value below
 * the threshold never shows as the threshold (0.7996 is 79.9%, not 80.0%): "98.4%".
 */
export const percent = (similarity: number): string => `${(Math.floor(similarity * 1000 + 1e-9) / 10).toFixed(1)}%`;

/**
 * A member's similarity as a report shows it: one below the threshold never shows as the
 * threshold. (JSON rounds to four places, so 0.79996 arrives as 0.8 with `belowThreshold`; the
 * exact value lies below the threshold, and so does this one, rounded down alike.)
 */
export const shownSimilarity = (member: { similarity: number; belowThreshold?: boolean }, threshold: number): number =>
  member.belowThreshold ? Math.min(member.similarity, threshold - 1e-9) : member.similarity;
