import type { Cluster } from './types.js';

/** The similarity of a cluster's weakest member to its representative (1 for a cluster of identical copies). */
export function weakestSimilarity(cluster: Pick<Cluster, 'members' | 'representative'>): number {
  let weakest = 1;
  for (const m of cluster.members) if (m.path !== cluster.representative && m.similarity < weakest) weakest = m.similarity;
  return weakest;
}

/**
 * Clusters in the order a person should read them: largest first, then the most similar (its
 * weakest member's similarity), then by the representative's path, so the order is the same on
 * every run. The cluster ids stay those of the JSON report.
 */
export function clustersBySize(clusters: readonly Cluster[]): Cluster[] {
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
