import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report/types.js';
import { dedupeBytes as runBytes, ROOT, tempDir } from './helpers/cli.js';

/** The CLI's stdout and stderr as bytes, the way a terminal receives them. */
const dedupeBytes = (args: readonly string[], cwd: string) => runBytes(args, { cwd });

// A terminal acts on these rather than showing them: C0 but tab and newline, DEL, C1 (as UTF-8),
// bidi controls, line and paragraph separators.
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

const noRawControls = (bytes: Buffer) => {
  for (const b of [0x1b, 0x07, 0x08, 0x0d, 0x00, 0x7f]) expect(bytes.includes(b), `byte 0x${b.toString(16)}`).toBe(false);
  expect(bytes.toString('utf8')).not.toMatch(RAW_CONTROL);
};

describe('file names and contents with terminal escapes', () => {
  let dir: string;
  let cleanup: () => void;
  // Retitles the window (OSC 0 … BEL), clears the screen, turns text red; then a CR, a C1 CSI,
  // a right-to-left override and a line separator inside the line.
  const evilName = 'evil\x1b]0;pwned\x07\x1b[2J.txt';
  const evilLine = '\x1b]0;owned\x07\x1b[2J\x1b[31mHarbour\x9b31m news \u202Ereversed\u202C and\u2028more';
  const text = `${evilLine}\n${readFileSync(path.join(ROOT, 'fixtures/boilerplate/article-harbour.txt'), 'utf8')}`;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    mkdirSync(path.join(dir, 'in'));
    writeFileSync(path.join(dir, 'in', evilName), text);
    writeFileSync(path.join(dir, 'in', 'copy.txt'), text);
    // A binary file: its name comes back in a warning on stderr.
    writeFileSync(path.join(dir, 'in', 'bin\x1b[2Jary\x07.dat'), Buffer.from([0x1b, 0, 1, 2]));
    copyFileSync(path.join(ROOT, 'fixtures/boilerplate/article-library.txt'), path.join(dir, 'in', 'other\u202Etxt.exe'));
  });
  afterAll(() => cleanup());

  it('the text report and the warnings show them as visible escapes, never raw', async () => {
    for (const extra of [[], ['-v', '--show-boilerplate'], ['--color']]) {
      const { status, stdout, stderr } = await dedupeBytes(['in', ...extra], dir);
      expect(status).toBe(1);
      if (!extra.includes('--color')) noRawControls(stdout);
      noRawControls(stderr);
      const out = stdout.toString('utf8');
      expect(out).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J.txt');
      expect(out).toContain('other\\u202etxt.exe');
      expect(stderr.toString('utf8')).toContain('bin\\x1b[2Jary\\x07.dat: skipped: binary file');
    }
    // With colour on, the only ESC bytes are the report's own colour codes.
    const coloured = (await dedupeBytes(['in', '--color', '-v', '--show-boilerplate'], dir)).stdout.toString('utf8');
    expect(coloured.replace(/\x1b\[\d+m/g, '')).not.toMatch(RAW_CONTROL);
    // The file's own text is quoted escaped in the segment previews.
    expect((await dedupeBytes(['in', '-v'], dir)).stdout.toString('utf8')).toContain('"\\x1b]0;owned\\x07\\x1b[2J\\x1b[31mHarbour\\x9b31m news \\u202ereversed\\u202c');
  });

  it('the github annotations carry no raw control characters', async () => {
    const { stdout } = await dedupeBytes(['in', '--format', 'github'], dir);
    noRawControls(stdout);
    expect(stdout.toString('utf8')).toMatch(/^::warning file=.*evil\\x1b\]0;pwned\\x07\\x1b\[2J\.txt/m);
  });

  it('JSON and NDJSON keep the exact characters, with none of them raw in the bytes', async () => {
    const json = await dedupeBytes(['in', '--format', 'json'], dir);
    noRawControls(json.stdout);
    const report = JSON.parse(json.stdout.toString('utf8')) as Report;
    expect(report.documents.map((d) => d.path)).toContain(`in/${evilName}`);
    expect(report.documents.map((d) => d.path)).toContain('in/other\u202Etxt.exe');
    const evil = report.documents.find((d) => d.path === `in/${evilName}`)!;
    expect(evil.segments[0]!.preview).toContain('\x1b]0;owned\x07\x1b[2J\x1b[31mHarbour\x9b31m');
    expect(report.warnings.map((w) => w.path)).toContain('in/bin\x1b[2Jary\x07.dat');

    const ndjson = await dedupeBytes(['in', '--format', 'ndjson', '--show-boilerplate'], dir);
    noRawControls(ndjson.stdout);
    // Split the way a Unicode-aware reader would: still one message per line.
    const messages = ndjson.stdout.toString('utf8').trimEnd().split(/\r\n|[\n\r\u2028\u2029\x85]/u).map((l) => JSON.parse(l) as { type: string; data: { path?: string; segments?: { preview: string; text?: string }[] } });
    const doc = messages.find((m) => m.type === 'document' && m.data.path === `in/${evilName}`)!;
    expect(doc.data.segments![0]!.preview).toBe(evil.segments[0]!.preview);
    expect(doc.data.segments![0]!.text).toContain(evilLine);
  });
});
