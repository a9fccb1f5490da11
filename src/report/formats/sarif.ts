import { pathToFileURL } from 'node:url';
import { percent } from '../numbers.js';
import { isReadError } from '../exit-code.js';
import type { ReporterContext } from './context.js';
import { jsonText } from '../escape.js';
import { arrayElements } from './json.js';
import type { Containment, Report } from '../types.js';
import { duplicateFingerprint, duplicatesOf, type Duplicate } from '../duplicates.js';
import { containmentFingerprint } from '../contained.js';
import { locator } from '../location.js';

// SARIF 2.1.0, as code-scanning services ingest it. Checked in the tests by Microsoft's SARIF
// Multitool (no errors, no warnings) and against the 2.1.0 JSON schema.

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Where a reader of the SARIF log learns about the tool. */
export const INFORMATION_URI = 'https://dedupe.dev/';
/**
 * Paths in the report are relative to the root (--root, default the working directory): each uri
 * names this base id, which `originalUriBaseIds` declares as the root's file:// URI.
 */
export const SRCROOT = 'SRCROOT';

interface SarifMessage {
  text: string;
}

interface SarifPhysicalLocation {
  /** A relative uri names its base (`uriBaseId`); a file outside the root has an absolute file:// uri. */
  artifactLocation: { uri: string; uriBaseId?: string };
  region: { startLine: number };
}

interface SarifLocation {
  id?: number;
  physicalLocation: SarifPhysicalLocation;
  message?: SarifMessage;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage & { markdown?: string };
  defaultConfiguration: { level: 'warning' };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'warning';
  message: SarifMessage;
  locations: SarifLocation[];
  relatedLocations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  properties:
    | { cluster: number; similarity: number; representative: string; belowThreshold: boolean }
    | { containment: number; similarity: number; container: string };
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: Array<{
    tool: { driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: SarifRule[] } };
    /** The root the relative uris start from, as a file:// URI ending in `/`. */
    originalUriBaseIds?: Record<string, { uri: string; description?: SarifMessage }>;
    columnKind: 'unicodeCodePoints';
    /** With warnings only: the run's warnings (a file skipped or not read) as tool notifications. */
    invocations?: SarifInvocation[];
    results: SarifResult[];
  }>;
}

export interface SarifInvocation {
  executionSuccessful: true;
  toolExecutionNotifications: Array<{ level: 'error' | 'warning' | 'note'; message: SarifMessage; locations?: Array<{ physicalLocation: { artifactLocation: SarifPhysicalLocation['artifactLocation'] } }> }>;
}

/** Notifications per log, at most: a corpus of 100,000 skipped files must not make the log that size again. */
export const MAX_NOTIFICATIONS = 1000;

/**
 * The report's warnings as the invocation's notifications, so that code scanning shows a run
 * that skipped or could not read files for what it was (the CLI exits 2 on a read error).
 */
function invocationOf(report: Report): SarifInvocation[] | undefined {
  if (report.warnings.length === 0) return undefined;
  const notifications: SarifInvocation['toolExecutionNotifications'] = report.warnings.slice(0, MAX_NOTIFICATIONS).map((w) => ({
    // A file or folder that could not be read (the CLI exits 2) is an error; a skip is a warning.
    level: isReadError(w) ? ('error' as const) : ('warning' as const),
    message: { text: w.message },
    locations: [{ physicalLocation: { artifactLocation: artifactOf(w.path) } }],
  }));
  const left = report.warnings.length - MAX_NOTIFICATIONS;
  if (left > 0) notifications.push({ level: 'note', message: { text: `${left.toLocaleString('en-US')} more warnings: the JSON report lists them all` } });
  return [{ executionSuccessful: true, toolExecutionNotifications: notifications }];
}

export const RULES: SarifRule[] = [
  {
    id: 'near-duplicate',
    name: 'NearDuplicate',
    shortDescription: { text: 'A document is a near-duplicate of another document.' },
    fullDescription: {
      text:
        'The document shares most of its shingles with the representative of its cluster: its exact Jaccard ' +
        'similarity to another document is at or above the threshold. Keep the representative and drop this copy.',
    },
    help: {
      text: 'Delete the duplicate, or merge what it adds into the copy that is kept; raise --threshold to report fewer pairs.',
    },
    defaultConfiguration: { level: 'warning' },
  },
  {
    id: 'exact-duplicate',
    name: 'ExactDuplicate',
    shortDescription: { text: 'A document repeats another document word for word.' },
    fullDescription: {
      text:
        'The compared text of the document (its article body, or its full text with --compare full) has exactly the ' +
        'shingles of the representative of its cluster: Jaccard similarity 1. Keep the representative and drop this copy.',
    },
    help: { text: 'Delete the duplicate; only its boilerplate or its layout differs from the copy that is kept.' },
    defaultConfiguration: { level: 'warning' },
  },
];

/** With --containment only (a run without it lists the two rules above, as before). */
export const CONTAINED_RULE: SarifRule = {
  id: 'contained-document',
  name: 'ContainedDocument',
  shortDescription: { text: 'A document lies inside another, longer document.' },
  fullDescription: {
    text:
      'At least the --containment share of the shingles of the document lie in a longer document (an excerpt, ' +
      'a syndicated copy inside a digest, a page that carries two stories), although the two are not near-duplicates.',
  },
  help: { text: 'Drop the excerpt if the longer document is the one to keep (--format paths --drop-contained lists it); raise --containment to report fewer.' },
  defaultConfiguration: { level: 'warning' },
};

/** Half of a surrogate pair without the other half: encodeURIComponent throws on one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A relative path as a URI reference: each segment percent-encoded, `/` kept. A record's id may
 * hold a lone surrogate (JSON allows `"\ud800"`): it is encoded as U+FFFD, as UTF-8 would.
 */
export function pathToUri(path: string): string {
  return path.replace(LONE_SURROGATE, '\ufffd').split('/').map(encodeURIComponent).join('/');
}

/** Plain text inside a SARIF message, where `[` and `]` would start an embedded link. */
const escapeText = (s: string) => s.replace(/[\\[\]]/g, (c) => `\\${c}`);

/** A document's file and line: a record is at its line in its record file. */
type Locate = (path: string) => SarifPhysicalLocation;
const locationIn =
  (locate: ReturnType<typeof locator>): Locate =>
  (path) => {
    const { file, line } = locate(path);
    return { artifactLocation: artifactOf(file), region: { startLine: line } };
  };

/** A report path as an artifact: a path outside the root is absolute in the report, and its uri is the file's own URI. */
const artifactOf = (file: string): SarifPhysicalLocation['artifactLocation'] =>
  file.startsWith('/') ? { uri: pathToFileURL(file).href } : { uri: pathToUri(file), uriBaseId: SRCROOT };

/** The root as a directory URI, which SARIF wants ending in `/`. */
function rootUri(root: string): string {
  const uri = pathToFileURL(root).href;
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** Other members named per result, at most: a cluster of n must not give n² related locations. */
export const MAX_RELATED_MEMBERS = 5;

function result(dup: Duplicate, report: Report, location: (path: string) => SarifPhysicalLocation): SarifResult {
  const { cluster, member } = dup;
  const exact = member.exact || member.similarity === 1;
  const ruleIndex = exact ? 1 : 0;
  const text = report.params.compare === 'body' ? 'the article body' : 'the full text';
  // The first other members only: found without scanning the whole cluster.
  const others: typeof cluster.members = [];
  for (const m of cluster.members) {
    if (others.length === MAX_RELATED_MEMBERS) break;
    if (m.path !== cluster.representative && m.path !== member.path) others.push(m);
  }
  const unnamed = cluster.members.length - 2 - others.length;
  const rep = `[${escapeText(cluster.representative)}](1)`;
  const message =
    `${escapeText(member.path)} is ${exact ? 'an exact duplicate' : 'a near-duplicate'} of ${rep} ` +
    `(Jaccard similarity ${percent(member.similarity)} on ${text}${member.exact ? ', identical text' : ''}); keep ${rep}` +
    (others.length ? `; cluster ${cluster.id} also holds ${others.map((m, i) => `[${escapeText(m.path)}](${i + 2})`).join(', ')}` : '') +
    (unnamed > 0 ? ` and ${unnamed} more` : '') +
    (member.belowThreshold ? `; it joined the cluster through other members, below the threshold ${percent(report.params.threshold)}` : '') +
    '.';
  return {
    ruleId: RULES[ruleIndex]!.id,
    ruleIndex,
    level: 'warning',
    message: { text: message },
    locations: [{ physicalLocation: location(member.path) }],
    relatedLocations: [
      { id: 1, physicalLocation: location(cluster.representative), message: { text: 'The copy to keep.' } },
      ...others.map((m, i) => ({
        id: i + 2,
        physicalLocation: location(m.path),
        message: { text: `Another member of cluster ${cluster.id} (similarity ${percent(m.similarity)} to the copy to keep).` },
      })),
    ],
    // Stable across runs and line edits: which file duplicates which.
    partialFingerprints: {
      'dedupeDuplicate/v1': duplicateFingerprint(dup),
    },
    properties: { cluster: cluster.id, similarity: member.similarity, representative: cluster.representative, belowThreshold: member.belowThreshold },
  };
}

function containedResult(x: Containment, report: Report, location: Locate): SarifResult {
  const text = report.params.compare === 'body' ? 'the article body' : 'the full text';
  const container = `[${escapeText(x.container)}](1)`;
  return {
    ruleId: CONTAINED_RULE.id,
    ruleIndex: RULES.length,
    level: 'warning',
    message: {
      text:
        `${escapeText(x.contained)} is contained in ${container} (${percent(x.containment)} of its shingles on ${text}; ` +
        `Jaccard similarity ${percent(x.similarity)}).`,
    },
    locations: [{ physicalLocation: location(x.contained) }],
    relatedLocations: [{ id: 1, physicalLocation: location(x.container), message: { text: 'The document that contains it.' } }],
    partialFingerprints: {
      'dedupeContained/v1': containmentFingerprint(x),
    },
    properties: { containment: x.containment, similarity: x.similarity, container: x.container },
  };
}

/** The log around its results: `results` is the run's last property (sarifChunks writes the results in after the rest). */
function logWith<R>(report: Report, root: string | undefined, results: R) {
  const invocations = invocationOf(report);
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: report.containments ? [...RULES, CONTAINED_RULE] : RULES,
          },
        },
        ...(root === undefined ? {} : { originalUriBaseIds: { [SRCROOT]: { uri: rootUri(root), description: { text: 'The directory the report paths are relative to (--root).' } } } }),
        columnKind: 'unicodeCodePoints' as const,
        ...(invocations ? { invocations } : {}),
        results,
      },
    ],
  };
}

/** A result per duplicate, then per containment, made as they are read. */
function* sarifResults(report: Report, duplicates: readonly Duplicate[]): Generator<SarifResult> {
  const location = locationIn(locator(report));
  for (const d of duplicates) yield result(d, report, location);
  for (const x of report.containments ?? []) yield containedResult(x, report, location);
}

export function sarifLog(report: Report, root?: string): SarifLog {
  return logWith(report, root, [...sarifResults(report, duplicatesOf(report))]);
}

/**
 * The log's JSON text (jsonText at two-space indent, and a newline) in pieces: the results a run
 * of them at a time, so neither all the result objects nor one text of them all is ever held.
 */
export function* sarifChunks(report: Report, root?: string): Generator<string> {
  const duplicates = duplicatesOf(report);
  const skeleton = jsonText(logWith(report, root, []), 2);
  if (duplicates.length === 0 && !report.containments?.length) {
    yield `${skeleton}\n`;
    return;
  }
  // The results' `[]`, the last in the text: only closing brackets follow it.
  const at = skeleton.lastIndexOf('[]');
  yield `${skeleton.slice(0, at + 1)}\n        `;
  yield* arrayElements(sarifResults(report, duplicates), 4);
  yield `\n      ${skeleton.slice(at + 1)}\n`;
}

/** One SARIF 2.1.0 log with one run: a result per duplicate document, `results: []` when clean. */
export function formatSarif(report: Report, ctx?: Pick<ReporterContext, 'root'>): string {
  return [...sarifChunks(report, ctx?.root)].join('');
}
