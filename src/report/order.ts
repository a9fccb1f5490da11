import { isDuplicate, type Duplicate } from './duplicates.js';
import type { Cluster, Report } from './types.js';

/** The similarity of a cluster's weakest member to its representative (1 for a cluster of identical copies). */
export function weakestSimilarity(cluster: Pick<Cluster, 'members' | 'representative'>): number {
  let weakest = 1;
  for (const m of cluster.members) if (m.path !== cluster.representative && m.similarity < weakest) weakest = m.similarity;
  return weakest;
}

/**
 * Clusters in the order a person should read them: largest first, then the tighter (its weakest
 * member's similarity), then by the representative's path, so the order is the same on every run.
 * The cluster ids stay those of the JSON report. Every format that orders clusters uses it.
 */
export function clustersByImportance(clusters: readonly Cluster[]): Cluster[] {
  return clusters
    .map((cluster) => ({ cluster, size: cluster.members.length, similarity: weakestSimilarity(cluster) }))
    .sort(
      (a, b) =>
        b.size - a.size ||
        b.similarity - a.similarity ||
        (a.cluster.representative < b.cluster.representative ? -1 : a.cluster.representative > b.cluster.representative ? 1 : a.cluster.id - b.cluster.id),
    )
    .map((entry) => entry.cluster);
}

/**
 * The documents to drop, most important first, round-robin over the clusters in importance order:
 * the first duplicate of every cluster, then the second of every cluster, and so on, so that a
 * capped list (GitHub's 10 annotations) names as many clusters as it can. Within a cluster, the
 * most similar first (identical copies before near ones), then in member order.
 */
export function duplicatesByImportance(report: Pick<Report, 'clusters'>): Duplicate[] {
  const perCluster = clustersByImportance(report.clusters).map((cluster) =>
    cluster.members
      .filter((m) => isDuplicate(cluster, m))
      .map((member, index) => ({ member, index }))
      .sort((a, b) => Number(b.member.exact) - Number(a.member.exact) || b.member.similarity - a.member.similarity || a.index - b.index)
      .map(({ member }) => ({ cluster, member })),
  );
  const out: Duplicate[] = [];
  for (let round = 0; perCluster.some((d) => d.length > round); round++) {
    for (const dups of perCluster) if (round < dups.length) out.push(dups[round]!);
  }
  return out;
}
