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
