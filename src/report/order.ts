import { isDuplicate, type Duplicate } from './duplicates.js';
import type { Cluster, Report } from './types.js';

/** The lowest similarity of a member to its representative: how loosely the cluster holds together. */
const weakestLink = (cluster: Cluster) => cluster.members.reduce((low, m) => Math.min(low, m.similarity), 1);

/**
 * Clusters in the order a reader should see them: the largest first, then the tighter (higher
 * lowest similarity), then by id. Formats that show only the first few (markdown, github) use it.
 */
export function clustersByImportance(clusters: readonly Cluster[]): Cluster[] {
  const low = new Map(clusters.map((c) => [c, weakestLink(c)]));
  return [...clusters].sort((a, b) => b.members.length - a.members.length || low.get(b)! - low.get(a)! || a.id - b.id);
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
