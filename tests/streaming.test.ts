import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// Worker threads load compiled modules, so this test runs dist/, which the global setup (tests/global-setup.ts) keeps current.
import { analyseCorpus, reportStreamed } from '../dist/report/build.js';
import { DEFAULT_OPTIONS } from '../dist/core/options.js';
import { StreamingBuild } from '../dist/core/parallel.js';
import { loadCorpus } from '../dist/input/corpus.js';
import { seededRandom } from './helpers/random.js';

// The CLI reads each file where it sketches it (a worker or the main thread) and lets its text go
// at once; the report must be exactly the one of texts held in memory, whatever it shows of them.

const tool = { name: 'dedupe', version: 'test' };
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A folder of articles: near-copies, a shared footer (corpus evidence re-segments them), one JSONL file of records. */
function corpusDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dedupe-stream-'));
  dirs.push(dir);
  const random = seededRandom(11);
  const words = Array.from({ length: 300 }, (_, i) => `w${i}`);
  const sentence = () => `${Array.from({ length: 14 }, () => words[Math.floor(random() * words.length)]).join(' ')}.`;
  const footer = 'This report was written for the weekly bulletin of the society and may be shared with its members.';
  const texts = Array.from({ length: 90 }, () => [sentence(), '', ...Array.from({ length: 6 }, sentence), '', footer].join('\n'));
  texts.forEach((text, d) => writeFileSync(path.join(dir, `doc${String(d).padStart(3, '0')}.txt`), text));
  for (let d = 0; d < 12; d++) writeFileSync(path.join(dir, `copy${d}.txt`), texts[d]!.replace(/\bw1\b/g, 'other'));
  const records = Array.from({ length: 40 }, (_, r) => JSON.stringify({ text: r < 6 ? texts[20 + r]!.replace(/\bw2\b/g, 'else') : texts[r]! + `\n${sentence()}` }));
  writeFileSync(path.join(dir, 'records.jsonl'), `${records.join('\n')}\nnot json\n`);
  return dir;
}

async function streamed(dir: string, context: { diff?: boolean; segmentText?: boolean }, threads: number, beforeReport?: () => void, beforeCorpus?: () => void) {
  const build = new StreamingBuild(DEFAULT_OPTIONS, threads, 0, {});
  try {
    const corpus = await loadCorpus([dir], { cwd: dir }, { readSide: build.readSide });
    beforeCorpus?.();
    const state = await build.corpus(corpus.documents);
    beforeReport?.();
    return { corpus, report: await reportStreamed(state, { tool, warnings: corpus.warnings, ...context }, {}) };
  } finally {
    await build.close();
  }
}

describe('the streaming build', () => {
  const dir = corpusDir();

  for (const threads of [1, 2]) {
    for (const context of [{}, { diff: true }, { segmentText: true }]) {
      it(`gives the in-memory report (${threads} thread${threads > 1 ? 's' : ''}, ${JSON.stringify(context)}), holding no text`, async () => {
        const inMemory = await loadCorpus([dir], { cwd: dir });
        const expected = analyseCorpus(inMemory.documents, DEFAULT_OPTIONS, { tool, warnings: inMemory.warnings, ...context });
        const { corpus, report } = await streamed(dir, context, threads);
        expect(corpus.documents.every((d) => d.text === '' && d.origin !== undefined)).toBe(true);
        expect(report.clusters.length).toBeGreaterThan(2);
        expect(report.documents.some((d) => d.record)).toBe(true);
        expect(report.warnings.some((w) => /not json|line 41/i.test(`${w.path} ${w.message}`))).toBe(true);
        expect(JSON.stringify(report)).toBe(JSON.stringify(expected));
      });
    }
  }

  it('starts its workers while the files are still being found, and gives the same report', async () => {
    const inMemory = await loadCorpus([dir], { cwd: dir });
    const expected = analyseCorpus(inMemory.documents, DEFAULT_OPTIONS, { tool, warnings: inMemory.warnings });
    const build = new StreamingBuild(DEFAULT_OPTIONS, 2, 0, {});
    // Discovery tells its running totals, the last of them every file it found.
    const seen: Array<[number, number]> = [];
    let readStarted = false;
    try {
      const corpus = await loadCorpus([dir], { cwd: dir }, {
        onDiscovering: (bytes, files) => {
          expect(readStarted).toBe(false);
          seen.push([bytes, files]);
          build.warmUp(bytes, files);
        },
        readSide: (tasks, read) => {
          readStarted = true;
          expect(build.threadsStarted).toBe(2);
          return build.readSide(tasks, read);
        },
      });
      const files = readdirSync(dir);
      expect(seen.at(-1)).toEqual([files.reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0), files.length]);
      const report = await reportStreamed(await build.corpus(corpus.documents), { tool, warnings: corpus.warnings }, {});
      expect(JSON.stringify(report)).toBe(JSON.stringify(expected));
    } finally {
      await build.close();
    }
  });

  it('sketches one record file on its workers: a file of many records pays for them as many files do', async () => {
    const single = mkdtempSync(path.join(tmpdir(), 'dedupe-stream-records-'));
    dirs.push(single);
    const random = seededRandom(5);
    const words = Array.from({ length: 400 }, (_, i) => `r${i}`);
    const text = () => Array.from({ length: 40 }, () => words[Math.floor(random() * words.length)]).join(' ');
    const texts = Array.from({ length: 150 }, text);
    const records = [...texts, ...texts.slice(0, 10).map((t) => t.replace(/\br7\b/g, 'changed'))].map((t, i) => JSON.stringify({ id: `n${i}`, text: t }));
    writeFileSync(path.join(single, 'batch.jsonl'), `${records.join('\n')}\n`);
    const inMemory = await loadCorpus([single], { cwd: single });
    const expected = analyseCorpus(inMemory.documents, DEFAULT_OPTIONS, { tool, warnings: inMemory.warnings });
    const build = new StreamingBuild(DEFAULT_OPTIONS, 2, 0, {});
    try {
      const corpus = await loadCorpus([single], { cwd: single }, { readSide: build.readSide });
      expect(corpus.documents).toHaveLength(160);
      expect(build.threadsStarted).toBe(2);
      const report = await reportStreamed(await build.corpus(corpus.documents), { tool, warnings: corpus.warnings }, {});
      expect(report.pairs.length).toBeGreaterThan(0);
      expect(JSON.stringify(report)).toBe(JSON.stringify(expected));
    } finally {
      await build.close();
    }
  });

  it('reads on a worker what it reads here: skipped files, read errors and warnings, file by file', async () => {
    const mixed = mkdtempSync(path.join(tmpdir(), 'dedupe-stream-mixed-'));
    dirs.push(mixed);
    const random = seededRandom(3);
    const words = Array.from({ length: 200 }, (_, i) => `v${i}`);
    const text = () => Array.from({ length: 8 }, () => `${Array.from({ length: 12 }, () => words[Math.floor(random() * words.length)]).join(' ')}.`).join('\n');
    // Enough files for a worker to take batches, with every kind of read among them.
    for (let d = 0; d < 100; d++) {
      const name = path.join(mixed, `f${String(d).padStart(3, '0')}`);
      if (d % 10 === 1) writeFileSync(`${name}.bin`, Buffer.from([0x50, 0x4b, 0x00, 0x01, 0x02]));
      else if (d % 10 === 2) writeFileSync(`${name}.txt`, Buffer.from(`caf\xe9 ${text()}`, 'latin1'));
      else if (d % 10 === 3) writeFileSync(`${name}.txt`, `${text()}\n${text()}\n${text()}`);
      else if (d % 10 === 4) symlinkSync(path.join(mixed, 'nowhere'), `${name}.txt`);
      else writeFileSync(`${name}.txt`, text());
    }
    const read = async (threads: number) => {
      const build = new StreamingBuild(DEFAULT_OPTIONS, threads, 0, {});
      try {
        const corpus = await loadCorpus([mixed], { cwd: mixed, maxFileSize: 1000 }, { readSide: build.readSide });
        const { documents, warnings, skipped, readErrors } = corpus;
        return { documents: documents.map((d) => ({ ...d })), warnings, skipped, readErrors };
      } finally {
        await build.close();
      }
    };
    const here = await read(1);
    expect(here.skipped).toBe(30);
    expect(here.readErrors).toBe(10);
    expect(here.warnings.some((w) => /Windows-1252/.test(w.message))).toBe(true);
    expect(here.warnings.some((w) => /over --max-file-size/.test(w.message))).toBe(true);
    expect(await read(2)).toEqual(here);
  });

  it('says so, rather than diff another text, when a file changed after it was read', async () => {
    const changedDir = corpusDir();
    const { report } = await streamed(changedDir, { diff: true }, 2, () => writeFileSync(path.join(changedDir, 'copy3.txt'), 'Rewritten meanwhile.\n'));
    const member = report.clusters.flatMap((c) => c.members).find((m) => m.path === 'copy3.txt');
    expect(member).toBeDefined();
    expect(member!.diff).toBeUndefined();
    expect(report.warnings).toContainEqual({ path: 'copy3.txt', message: 'changed or gone while dedupe ran: reported as first read, without what needed its text again' });
  });

  it('keeps the first labels of a file rewritten before the corpus evidence reads it again, and says so', async () => {
    const changedDir = corpusDir();
    const rewrite = () => {
      for (let d = 0; d < 90; d++) writeFileSync(path.join(changedDir, `doc${String(d).padStart(3, '0')}.txt`), `Rewritten ${d}.\n`);
    };
    const { report } = await streamed(changedDir, {}, 2, undefined, rewrite);
    expect(report.summary.documents).toBe(90 + 12 + 40);
    const warned = report.warnings.filter((w) => w.message.startsWith('changed or gone while dedupe ran')).map((w) => w.path);
    expect(warned.length).toBeGreaterThan(0);
    expect(warned.every((p) => /^doc\d{3}\.txt$/.test(p))).toBe(true);
  });

  it('hands over documents in the files\' order as they are read when no corpus evidence can change them', async () => {
    const options = { ...DEFAULT_OPTIONS, boilerplate: false };
    for (const threads of [1, 2]) {
      const build = new StreamingBuild(options, threads, 0, {});
      const handed: string[] = [];
      build.onFinal = (docs, sketches) => {
        expect(sketches.length).toBe(docs.length);
        handed.push(...docs.map((d) => d.path));
      };
      try {
        const corpus = await loadCorpus([dir], { cwd: dir }, { readSide: build.readSide });
        // All of them, each once, in the report's order, before the corpus is built.
        expect(handed).toEqual(corpus.documents.map((d) => d.path));
      } finally {
        await build.close();
      }
    }
    // With boilerplate detection on, labels wait for the corpus evidence: nothing is handed over early.
    const build = new StreamingBuild(DEFAULT_OPTIONS, 2, 0, {});
    let calls = 0;
    build.onFinal = () => calls++;
    await loadCorpus([dir], { cwd: dir }, { readSide: build.readSide }).finally(() => build.close());
    expect(calls).toBe(0);
  });
});
