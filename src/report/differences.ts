import type { CorpusState } from '../core/analyse.js';
import type { DocumentSketch } from '../core/document.js';
import type { BoilerplateCategory, Segment } from '../segment/index.js';
import type { MemberDifference, SegmentDifference } from './types.js';

interface KeyedSegment {
  segment: Segment;
  keys: Set<number>;
}

function boilerplateSegments(doc: Pick<DocumentSketch, 'segments' | 'lineKeys'>): KeyedSegment[] {
  return doc.segments
    .filter((s) => s.kind === 'boilerplate')
    .map((segment) => {
      const keys = new Set<number>();
      for (let line = segment.startLine; line <= segment.endLine; line++) {
        const key = doc.lineKeys[line - 1] as number;
        if (key !== 0) keys.add(key);
      }
      return { segment, keys };
    });
}

/** A segment is shared when most of its normalised lines also stand in the other document's boilerplate. */
function isCovered(seg: KeyedSegment, other: readonly KeyedSegment[]): boolean {
  if (seg.keys.size === 0) return true;
  let found = 0;
  for (const key of seg.keys) if (other.some((o) => o.keys.has(key))) found++;
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
  const shared = new Set<BoilerplateCategory>(rep.map((s) => s.segment.category ?? 'navigation'));
  const differences: MemberDifference[] = [];
  for (const d of others) {
    const mine = keyed(d);
    const adds = mine.filter((s) => !isCovered(s, rep));
    const lacks = rep.filter((s) => !isCovered(s, mine));
    const present = new Set(rep.filter((s) => isCovered(s, mine)).map((s) => s.segment.category ?? 'navigation'));
    for (const category of [...shared]) if (!present.has(category)) shared.delete(category);
    if (adds.length || lacks.length) {
      differences.push({ path: state.sources[d]!.path, adds: adds.map(asDifference), lacks: lacks.map(asDifference) });
    }
  }
  return { shared: [...shared].sort(), differences };
}
