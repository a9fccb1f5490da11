import type { CorpusState } from '../core/analyse.js';
import type { DocumentSketch } from '../core/document.js';
import type { BoilerplateCategory, Segment } from '../segment/index.js';
import type { MemberDifference, SegmentDifference } from './types.js';

interface KeyedSegment {
  segment: Segment;
  keys: Set<number>;
}

function boilerplateSegments(doc: Pick<DocumentSketch, 'segments' | 'lineKeys'>): KeyedSegment[] {
  const boilerplate = doc.segments.filter((s) => s.kind === 'boilerplate');
  // Only a document with boilerplate has its line keys read (without boilerplate detection a sketch keeps none).
  if (boilerplate.length === 0) return [];
  const { lineKeys } = doc;
  return boilerplate
    .map((segment) => {
      const keys = new Set<number>();
      for (let line = segment.startLine; line <= segment.endLine; line++) {
        const key = lineKeys[line - 1] as number;
        if (key !== 0) keys.add(key);
      }
      return { segment, keys };
    });
}

/** The keys of all of a document's boilerplate segments: what isCovered looks a segment's keys up in. */
function keysOf(segments: readonly KeyedSegment[]): Set<number> {
  if (segments.length === 1) return (segments[0] as KeyedSegment).keys;
  const keys = new Set<number>();
  for (const s of segments) for (const key of s.keys) keys.add(key);
  return keys;
}

/** A segment is shared when most of its normalised lines also stand in the other document's boilerplate (`otherKeys`, see keysOf). */
function isCovered(seg: KeyedSegment, otherKeys: ReadonlySet<number>): boolean {
  if (seg.keys.size === 0) return true;
  let found = 0;
  for (const key of seg.keys) if (otherKeys.has(key)) found++;
  return found * 2 >= seg.keys.size;
}

const asDifference = ({ segment }: KeyedSegment): SegmentDifference => ({
  category: segment.category ?? 'navigation',
  startLine: segment.startLine,
  endLine: segment.endLine,
});

/**
 * What the members of a cluster share and what each adds or lacks, by boilerplate category and
 * line range: `adds` are the member's own lines, `lacks` the representative's.
 */
export function compareBoilerplate(
  state: { sources: ReadonlyArray<Pick<CorpusState['sources'][number], 'path'>>; sketches: ReadonlyArray<Pick<DocumentSketch, 'segments' | 'lineKeys'>> },
  representative: number,
  others: readonly number[],
): { shared: BoilerplateCategory[]; differences: MemberDifference[] } {
  const keyed = (d: number) => boilerplateSegments(state.sketches[d]!);
  const rep = keyed(representative);
  const repKeys = keysOf(rep);
  // What a member lacks is one of the representative's segments: each described once, listed for every member that lacks it.
  const repDifferences = rep.map(asDifference);
  const shared = new Set<BoilerplateCategory>(rep.map((s) => s.segment.category ?? 'navigation'));
  const differences: MemberDifference[] = [];
  for (const d of others) {
    const mine = keyed(d);
    const mineKeys = keysOf(mine);
    const adds = mine.filter((s) => !isCovered(s, repKeys));
    const covered = rep.map((s) => isCovered(s, mineKeys));
    const lacks = repDifferences.filter((_, i) => !covered[i]);
    const present = new Set(rep.filter((_, i) => covered[i]).map((s) => s.segment.category ?? 'navigation'));
    for (const category of [...shared]) if (!present.has(category)) shared.delete(category);
    if (adds.length || lacks.length) {
      differences.push({ path: state.sources[d]!.path, adds: adds.map(asDifference), lacks });
    }
  }
  return { shared: [...shared].sort(), differences };
}
