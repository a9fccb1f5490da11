import { visible } from '../escape.js';
import { isDuplicate } from '../duplicates.js';
import type { Cluster, ClusterMember, DocumentReport, Report } from '../types.js';
import { comparedText, duplicateSentence, plural, ruleOf } from './wording.js';

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

function testCase(doc: DocumentReport, failure: { cluster: Cluster; member: ClusterMember } | undefined, report: Report): string {
  const open = `    <testcase name="${xmlEscape(doc.path)}" classname="dedupe"`;
  if (!failure) return `${open}/>`;
  const message = duplicateSentence(failure, report, (path) => visible(path));
  return [
    `${open}>`,
    `      <failure type="${ruleOf(failure)}" message="${xmlEscape(message)}">${xmlEscape(clusterListing(failure.cluster, failure.member), { keepLineBreaks: true })}</failure>`,
    '    </testcase>',
  ].join('\n');
}

/** A `<testsuites>` with one `<testsuite name="dedupe">`: a test case per judged document, in document order. */
export function formatJunit(report: Report): string {
  const failures = new Map<string, { cluster: Cluster; member: ClusterMember }>();
  for (const cluster of report.clusters) for (const member of cluster.members) if (isDuplicate(cluster, member)) failures.set(member.path, { cluster, member });
  const judged = report.documents.filter((d) => d.side !== 'baseline');
  const counts = `tests="${judged.length}" failures="${failures.size}" errors="0"`;
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
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
