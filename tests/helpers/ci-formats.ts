import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { validateXML } from 'xmllint-wasm';
import { mulberry32 } from '../../src/types/numbers.js';
import { ROOT } from './cli.js';

// Checkers for the CI formats, each by the consumer's own rules: GitHub-flavoured Markdown as
// micromark renders it (GFM spec), the JUnit XSD through libxml2's xmllint, and a JSON schema of
// GitLab's documented Code Quality fields. Plus made-up articles to build reports from.

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vek', 'di', 'por', 'ne', 'zu', 'fa', 'gil', 'o', 'tra', 'bem'];

/** Made-up words from a seeded generator: never any real text. */
function word(random: () => number): string {
  const n = 1 + Math.floor(random() * 3);
  let w = '';
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
  return w;
}

/** An article of `paragraphs` lines of 20–30 made-up words, the same for the same seed. */
export function article(seed: number, paragraphs = 6): string {
  const random = mulberry32(seed);
  const lines: string[] = [];
  for (let p = 0; p < paragraphs; p++) {
    const words = Array.from({ length: 20 + Math.floor(random() * 10) }, () => word(random));
    lines.push(`${words.join(' ')}.`);
  }
  return `${lines.join('\n')}\n`;
}

/** `text` with its n-th word (from the end) replaced: a near copy, well above the 0.8 threshold. */
export function edited(text: string, n: number): string {
  const words = text.split(' ');
  words[words.length - 1 - n * 7] = `changed${n}`;
  return words.join(' ');
}

// --- Markdown ---------------------------------------------------------------------------------

/** The HTML GitHub-flavoured Markdown gives (micromark with the GFM extension, CommonMark-compliant). */
export const markdownHtml = (markdown: string) => micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });

const decodeEntities = (html: string) =>
  html
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The table of rendered HTML as rows of cells (the header row first), each cell's HTML kept. */
export function tableRows(html: string): string[][] {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!));
}

/** The text of each `<code>` element, entities decoded: what a reader sees of each file name. */
export const codeTexts = (html: string) => [...html.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => decodeEntities(m[1]!));

// --- JUnit -------------------------------------------------------------------------------------

export const JUNIT_XSD_PATH = path.join(ROOT, 'tests', 'fixtures', 'junit', 'junit-10.xsd');
const junitXsd = readFileSync(JUNIT_XSD_PATH, 'utf8');

/**
 * xmllint --schema junit-10.xsd over every document at once (each run starts a WebAssembly
 * libxml2): the messages of each one's parse and validity errors by name, [] when valid.
 */
export async function junitErrors(documents: Readonly<Record<string, string>>): Promise<Record<string, string[]>> {
  const names = Object.keys(documents);
  const result = await validateXML({
    xml: names.map((name, i) => ({ fileName: `report-${i}.xml`, contents: documents[name]! })),
    schema: { fileName: 'junit-10.xsd', contents: junitXsd },
  });
  const out: Record<string, string[]> = Object.fromEntries(names.map((name) => [name, []]));
  let name: string | undefined;
  for (const e of result.errors) {
    // "report-1.xml:3: parser error : …" or "report-1.xml fails to validate"; a parser error's
    // context lines (the source line, a caret) follow it unnamed.
    const index = /^report-(\d+)\.xml\b/.exec(e.loc?.fileName ?? e.rawMessage)?.[1];
    if (index !== undefined) name = names[Number(index)];
    if (name === undefined) throw new Error(`xmllint error about no input: ${e.rawMessage}`);
    out[name]!.push(e.rawMessage);
  }
  if (!result.valid && Object.values(out).every((errors) => errors.length === 0)) throw new Error(`xmllint failed: ${result.rawOutput}`);
  return out;
}

/** An attribute's value of each element `<tag …>` in our XML, entities decoded. */
export function xmlAttributes(xml: string, tag: string, attribute: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}\\s[^>]*?\\b${attribute}="([^"]*)"`, 'g'))].map((m) => decodeEntities(m[1]!));
}

// --- GitLab Code Quality -------------------------------------------------------------------------

export const CODE_QUALITY_SCHEMA_PATH = path.join(ROOT, 'tests', 'fixtures', 'codeclimate', 'gitlab-code-quality.schema.json');
const codeQualityValidate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(JSON.parse(readFileSync(CODE_QUALITY_SCHEMA_PATH, 'utf8')) as object);

/** ajv's errors for `data` against the GitLab Code Quality schema, [] when valid. */
export function codeQualityErrors(data: unknown): string[] {
  if (codeQualityValidate(data)) return [];
  return (codeQualityValidate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
