import type { CorpusState, VerifiedPair } from '../core/analyse.js';
import { compareBoilerplate } from '../report/differences.js';
import type { Cluster } from '../report/types.js';
import { UnionFind } from './union-find.js';

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Connected components of verified pairs. Each gets a representative (the longest file, ties by
 * path; or the first in input order) and every member's own exact similarity to it, so a member
 * that only joined through a chain of others is flagged rather than hidden.
 */
export function buildClusters(
  state: CorpusState,
  verified: readonly VerifiedPair[],
  similarityOf: (a: number, b: number) => number,
): Cluster[] {
  const { sources, options } = state;
  const sets = new UnionFind(sources.length);
  for (const { a, b } of verified) sets.union(a, b);
  const byRoot = new Map<number, number[]>();
  for (const { a, b } of verified) {
    for (const d of [a, b]) {
      const root = sets.find(d);
      const members = byRoot.get(root) ?? [];
      if (!members.includes(d)) members.push(d);
      byRoot.set(root, members);
    }
  }
  const components = [...byRoot.values()].map((m) => m.sort((x, y) => x - y)).sort((x, y) => (x[0] as number) - (y[0] as number));

  return components.map((members, index) => {
    // Against a baseline, keep what the team already has: the representative is a baseline copy when there is one.
    const baseline = members.filter((d) => sources[d]!.side === 'baseline');
    const pool = baseline.length ? baseline : members;
    const representative = options.keep === 'first' ? (pool[0] as number) : longest(pool, state);
    const ordered = [representative, ...members.filter((d) => d !== representative)];
    const boilerplate = compareBoilerplate(state, representative, ordered.slice(1));
    return {
      id: index + 1,
      representative: sources[representative]!.path,
      members: ordered.map((d) => {
        const similarity = d === representative ? 1 : similarityOf(representative, d);
        const side = sources[d]!.side;
        return {
          path: sources[d]!.path,
          ...(side ? { side } : {}),
          similarity: round(similarity),
          belowThreshold: similarity < options.threshold,
        };
      }),
      sharedBoilerplate: boilerplate.shared,
      differences: boilerplate.differences,
    };
  });
}

function longest(members: readonly number[], state: CorpusState): number {
  let best = members[0] as number;
  for (const d of members) {
    const a = state.sources[d]!;
    const b = state.sources[best]!;
    if (a.bytes > b.bytes || (a.bytes === b.bytes && a.path < b.path)) best = d;
  }
  return best;
}
