import type { CorpusState } from '../core/analyse.js';

/**
 * A document's text, for the parts of the report that show words rather than counts (--diff,
 * the HTML report). The one place the report reads text after the analysis: a pipeline that
 * drops texts once they are sketched changes this function only (to keep them, or re-read them).
 */
export function documentText(state: CorpusState, d: number): string {
  return state.sources[d]!.text;
}
