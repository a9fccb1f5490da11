import { visible } from '../escape.js';
import { arrayElements } from './json.js';
import { duplicateFingerprint, duplicatesOf, type Duplicate } from '../duplicates.js';
import { containmentFingerprint } from '../contained.js';
import type { Containment, Report } from '../types.js';
import { containedSentence, duplicateSentence, ruleOf } from './wording.js';
import { locator } from '../location.js';

// GitLab Code Quality (artifacts: reports: codequality), a subset of the Code Climate engine spec.
// GitLab reads description, check_name, fingerprint, severity, location.path and
// location.lines.begin (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format);
// type, categories and trace are the spec's own
// (https://github.com/codeclimate/platform/blob/master/spec/analyzers/SPEC.md#data-types), which GitLab ignores.

export interface CodeClimateLocation {
  path: string;
  lines: { begin: number; end: number };
}

export interface CodeClimateIssue {
  type: 'issue';
  check_name: string;
  description: string;
  categories: ['Duplication'];
  severity: 'major' | 'minor';
  fingerprint: string;
  location: CodeClimateLocation;
  trace: { locations: CodeClimateLocation[] };
}

/** Other members named in an issue's trace at most, as SARIF's related locations. */
export const MAX_TRACE_MEMBERS = 5;

/**
 * One issue per document to drop (as SARIF's results), not per pair: a cluster of n copies gives
 * n − 1 issues, each on the copy to delete, with the copy to keep first in its trace. Severity
 * `major`: each one fails the gate; `minor` for a member that joined only through other members,
 * below the threshold against the copy to keep.
 */
function issue(dup: Duplicate, report: Report, at: Locate): CodeClimateIssue {
  const { cluster, member } = dup;
  // The first other members only, found without scanning the whole cluster (n issues × n members).
  const others: typeof cluster.members = [];
  for (const m of cluster.members) {
    if (others.length === MAX_TRACE_MEMBERS) break;
    if (m.path !== cluster.representative && m.path !== member.path) others.push(m);
  }
  return {
    type: 'issue',
    check_name: `dedupe/${ruleOf(dup)}`,
    // The spec asks for one line without HTML: line breaks and control characters in names made visible.
    description: duplicateSentence(dup, report, (path) => visible(path)),
    categories: ['Duplication'],
    severity: member.belowThreshold ? 'minor' : 'major',
    fingerprint: duplicateFingerprint(dup),
    location: at(member.path),
    trace: { locations: [at(cluster.representative), ...others.map((m) => at(m.path))] },
  };
}

/** With --containment, one issue per containment, on the contained document, with its container in the trace (as SARIF). */
function containedIssue(x: Containment, at: Locate): CodeClimateIssue {
  return {
    type: 'issue',
    check_name: 'dedupe/contained-document',
    description: containedSentence(x, (path) => visible(path)),
    categories: ['Duplication'],
    severity: 'major',
    fingerprint: containmentFingerprint(x),
    location: at(x.contained),
    trace: { locations: [at(x.container)] },
  };
}

/** A JSON array of Code Quality issues, `[]` when clean; no byte-order mark (GitLab's parser refuses one). */
export function formatCodeClimate(report: Report): string {
  return [...codeClimateChunks(report)].join('');
}

/** The issues, made as they are read. */
function* issues(report: Report, duplicates: readonly Duplicate[]): Generator<CodeClimateIssue> {
  const at = locations(report);
  for (const d of duplicates) yield issue(d, report, at);
  for (const x of report.containments ?? []) yield containedIssue(x, at);
}

type Locate = (path: string) => CodeClimateLocation;

/**
 * Where an issue points: a file's lines, or a record's line in its record file (as SARIF and
 * `github` point): GitLab wants a path to a file of the repository, and `data.jsonl#2` is none.
 */
function locations(report: Report): Locate {
  const lines = new Map(report.documents.map((d) => [d.path, d.lines]));
  const locate = locator(report);
  return (path) => {
    const { file, line } = locate(path);
    if (file !== path) return { path: file, lines: { begin: line, end: line } };
    return { path, lines: { begin: 1, end: Math.max(1, lines.get(path) ?? 1) } };
  };
}

/** formatCodeClimate's text (jsonText of the issues at two-space indent, and a newline) in pieces: the issues a run at a time. */
export function* codeClimateChunks(report: Report): Generator<string> {
  const duplicates = duplicatesOf(report);
  if (duplicates.length === 0 && !report.containments?.length) {
    yield '[]\n';
    return;
  }
  yield '[\n  ';
  yield* arrayElements(issues(report, duplicates), 1);
  yield '\n]\n';
}
