import type { ChalkInstance } from 'chalk';
import { visible as v } from '../escape.js';
import type { ClusterMember, DiffPart } from '../types.js';
import { DIFF_LIMITS } from '../word-diff.js';

// --diff in the text report: one line per changed passage, git's word-diff style. In colour the
// removed words are red and the added green; without, they are marked [-removed-] and {+added+}.

function renderPart(part: DiffPart, c: ChalkInstance): string {
  const more = part.omittedWords ? ` … ${part.omittedWords.toLocaleString('en-US')} more words` : '';
  if (part.op === 'same') return c.dim(v(part.text));
  // The spaces around a passage stay outside its marks: `word [-gone-] word`.
  const [, before = '', words = '', after = ''] = /^(\s*)([\s\S]*?)(\s*)$/u.exec(part.text) ?? [];
  const text = v(words) + more;
  if (c.level > 0) return before + (part.op === 'added' ? c.green(text) : c.red.strikethrough(text)) + after;
  return before + (part.op === 'added' ? `{+${text}+}` : `[-${text}-]`) + after;
}

const lineLabel = (rep: number, member: number) => (rep === member ? `line ${member}` : `line ${member} (keep: ${rep})`);

/** The lines under a member of a cluster: identical, or each changed passage with its context. */
export function formatMemberDiff(member: ClusterMember, c: ChalkInstance, indent = '      '): string[] {
  const diff = member.diff;
  if (!diff) return [];
  if (member.exact) return []; // its line says "identical" already
  if (diff.tooManyChanges) {
    return [c.dim(`${indent}too many changes to show (over ${DIFF_LIMITS.maxEditLength.toLocaleString('en-US')} word edits)`)];
  }
  if (diff.identical) return [c.dim(`${indent}the same ${diff.diffed === 'body' ? 'article body' : 'full text'} word for word (case, spacing and line breaks aside)`)];
  const out = diff.sameBody ? [c.dim(`${indent}the same article body word for word; the full texts differ:`)] : [];
  out.push(...diff.hunks.map((hunk) => `${indent}${c.dim(`${lineLabel(hunk.representativeLine, hunk.line)}:`)} ${hunk.parts.map((p) => renderPart(p, c)).join('').trim()}`));
  if (diff.omittedHunks > 0) {
    out.push(c.dim(`${indent}… and ${diff.omittedHunks.toLocaleString('en-US')} more changed passages (at most ${DIFF_LIMITS.hunksPerMember} are shown per document)`));
  }
  return out;
}
