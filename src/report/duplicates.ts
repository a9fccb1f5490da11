import { createHash } from 'node:crypto';
import type { Cluster, ClusterMember, Report } from './types.js';

/**
 * What counts as a duplicate, the one definition: a member of a cluster that is not its
 * representative. Baseline documents (--against) never are: only the incoming batch is being
 * judged. `summary.duplicates` counts these; the reporters list them.
 */
export function isDuplicate(cluster: Pick<Cluster, 'representative'>, member: Pick<ClusterMember, 'path' | 'side'>): boolean {
  return member.path !== cluster.representative && member.side !== 'baseline';
}

/** A document to drop: a member of a cluster that is not its representative. */
export interface Duplicate {
  cluster: Cluster;
  member: ClusterMember;
}

/** The documents to drop, in cluster order (see isDuplicate); as many as `summary.duplicates`. */
export function duplicatesOf(report: Pick<Report, 'clusters'>): Duplicate[] {
  const out: Duplicate[] = [];
  for (const cluster of report.clusters) {
    for (const member of cluster.members) {
      if (isDuplicate(cluster, member)) out.push({ cluster, member });
    }
  }
  return out;
}

/**
 * Which file duplicates which, as 32 hex digits: stable across runs and across edits that keep the
 * pair, unique in a report (one finding per duplicate document). SARIF's partialFingerprints and
 * GitLab Code Quality's fingerprints.
 */
export function duplicateFingerprint(dup: Duplicate): string {
  return createHash('sha256').update(`${dup.member.path}\0${dup.cluster.representative}`).digest('hex').slice(0, 32);
}
