import { visible } from '../escape.js';
import { containmentFinding } from '../contained.js';
import { isDuplicate } from '../duplicates.js';
import { isReadError } from '../exit-code.js';
import type { Cluster, ClusterMember, Containment, DocumentReport, Report } from '../types.js';
import { plural } from '../numbers.js';
import { comparedText, containedSentence, duplicateSentence, ruleOf } from './wording.js';

// JUnit XML, which Jenkins, GitLab, Azure Pipelines, CircleCI, TeamCity and others read as test
// results: one test case per incoming document (every document without --against), failing when
// the document is a duplicate to drop. Valid against Jenkins' junit-10.xsd (tests/fixtures/junit).
// No timestamp, hostname or time: the same input gives the same bytes.

/** Members named in a failure's text at most. */
export const MAX_LISTED_MEMBERS = 20;

/** Characters XML 1.0 cannot hold at all, even as a reference: lone surrogates, U+FFFE and U+FFFF. */
const NOT_XML_CHAR = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;
const hex4 = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Text for XML: control characters, line breaks of file names and bidi controls made visible
 * (XML 1.0 cannot carry most C0 controls even as `&#1;`), what XML cannot hold written as `\uXXXX`,
 * then `& < > " '` as entities, so the same function serves attributes and element text.
 */
export function xmlEscape(text: string, options: { keepLineBreaks?: boolean } = {}): string {
  const safe = options.keepLineBreaks ? text.split('\n').map((line) => visible(line)).join('\n') : visible(text);
  return safe.replace(NOT_XML_CHAR, hex4).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The failure's text: the cluster, with each member's similarity and what becomes of it. */
function clusterListing(cluster: Cluster, member: ClusterMember): string {
  const line = (m: ClusterMember) => {
    const role = m.path === cluster.representative ? 'keep' : isDuplicate(cluster, m) ? 'drop' : 'baseline';
    const sim = m.path === cluster.representative ? '' : m.exact ? ' identical' : ` ${m.similarity.toFixed(3)}`;
    return `  ${role}${sim} ${visible(m.path)}${m.side ? ` (${m.side})` : ''}${m.path === member.path ? '  <- this document' : ''}`;
  };
  const shown = cluster.members.slice(0, MAX_LISTED_MEMBERS);
  if (!shown.includes(member)) shown.push(member);
  const rest = cluster.members.length - shown.length;
  return [
    `Cluster ${cluster.id}, ${plural(cluster.members.length, 'document')}:`,
    ...shown.map(line),
    ...(rest > 0 ? [`  … ${plural(rest, 'more member')}`] : []),
  ].join('\n');
}

type Failure = { cluster: Cluster; member: ClusterMember } | { containment: Containment };

function testCase(doc: DocumentReport, failure: Failure | undefined, report: Report): string {
  const open = `    <testcase name="${xmlEscape(doc.path)}" classname="dedupe"`;
  if (!failure) return `${open}/>`;
  let type: string, message: string, text: string;
  if ('containment' in failure) {
    const x = failure.containment;
    type = 'contained-document';
    message = containedSentence(x, (path) => visible(path));
    text = message;
  } else {
    type = ruleOf(failure);
    message = duplicateSentence(failure, report, (path) => visible(path));
    text = clusterListing(failure.cluster, failure.member);
  }
  return [
    `${open}>`,
    `      <failure type="${type}" message="${xmlEscape(message)}">${xmlEscape(text, { keepLineBreaks: true })}</failure>`,
    '    </testcase>',
  ].join('\n');
}

/** A `<testsuites>` with one `<testsuite name="dedupe">`: a test case per judged document, in document order. */
export function formatJunit(report: Report): string {
  const failures = new Map<string, Failure>();
  for (const cluster of report.clusters) for (const member of cluster.members) if (isDuplicate(cluster, member)) failures.set(member.path, { cluster, member });
  // With --containment, a document that is not a duplicate fails as contained (or, incoming, as holding a baseline document).
  for (const containment of report.containments ?? []) {
    const finding = containmentFinding(containment);
    if (!failures.has(finding)) failures.set(finding, { containment });
  }
  const judged = report.documents.filter((d) => d.side !== 'baseline');
  // A file that could not be read (the run exits 2) is a test case in error, so CI shows it.
  const unread = report.warnings.filter(isReadError);
  const counts = `tests="${judged.length + unread.length}" failures="${failures.size}" errors="${unread.length}"`;
  const { params } = report;
  const properties: Array<[string, string]> = [
    ['tool', `${report.tool.name} ${report.tool.version}`],
    ['threshold', String(params.threshold)],
    ['compare', comparedText(report)],
    ['baseline documents', String(report.documents.length - judged.length)],
    ['skipped files', String(report.summary.skipped)],
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="dedupe" ${counts}>`,
    `  <testsuite name="dedupe" ${counts} skipped="0">`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property name="${xmlEscape(name)}" value="${xmlEscape(value)}"/>`),
    '    </properties>',
    ...judged.map((doc) => testCase(doc, failures.get(doc.path), report)),
    ...unread.map((w) => [`    <testcase name="${xmlEscape(w.path)}" classname="dedupe">`, `      <error type="unreadable" message="${xmlEscape(w.message)}"/>`, '    </testcase>'].join('\n')),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
