import type { Duplicate } from '../duplicates.js';
import { percent, plural } from '../numbers.js';
import type { Containment, Report } from '../types.js';

// The words the CI formats use for a duplicate, in one place, so every platform says the same.


/** What was compared: `the article body` or `the full text`. */
export const comparedText = (report: Pick<Report, 'params'>) => (report.params.compare === 'body' ? 'the article body' : 'the full text');

/** Same shingles as the representative (identical text, or only boilerplate or layout differs). */
export const isExactDuplicate = (dup: Duplicate) => dup.member.exact || dup.member.similarity === 1;

/** The rule a duplicate breaks: the SARIF rule ids, also GitLab's check names and JUnit's failure types. */
export const ruleOf = (dup: Duplicate) => (isExactDuplicate(dup) ? 'exact-duplicate' : 'near-duplicate');

/**
 * One sentence: `b.txt is a near-duplicate of a.txt (cluster 3, Jaccard similarity 0.912 on the
 * article body); keep a.txt.` `name` renders a path as the format needs it.
 */
export function duplicateSentence(dup: Duplicate, report: Report, name: (path: string) => string): string {
  const { cluster, member } = dup;
  const representative = name(cluster.representative);
  const size = cluster.members.length > 2 ? `, cluster ${cluster.id} of ${plural(cluster.members.length, 'document')}` : `, cluster ${cluster.id}`;
  const identical = member.exact ? ', identical text' : '';
  const chain = member.belowThreshold
    ? `; joined the cluster through other members, below the threshold ${percent(report.params.threshold)}`
    : '';
  const baseline = cluster.members.find((m) => m.path === cluster.representative)?.side === 'baseline' ? ' (baseline)' : '';
  return (
    `${name(member.path)} is ${isExactDuplicate(dup) ? 'an exact duplicate' : 'a near-duplicate'} of ${representative}${baseline} ` +
    `(Jaccard similarity ${percent(member.similarity)} on ${comparedText(report)}${identical}${size})${chain}; keep ${representative}.`
  );
}

/** "A is contained in B (93%; Jaccard similarity 0.520)." — a containment (--containment) in one sentence. */
export function containedSentence(x: Containment, name: (path: string) => string): string {
  return `${name(x.contained)} is contained in ${name(x.container)} (${percent(x.containment)}; Jaccard similarity ${percent(x.similarity)}).`;
}
