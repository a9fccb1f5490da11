import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseFiles, DedupeError } from '../src/index.js';
import { boundedLines, maxRecordBytes, readRecords } from '../src/input/records.js';
import { dedupe, tempDir } from './helpers/cli.js';
import { reportSchemaErrors } from './helpers/schema.js';

// Short articles written for these tests; the near copy changes one word, the exact copy none.
const ARTICLES = {
  pier: [
    'The harbour board voted on Tuesday to rebuild the north pier, which storms damaged twice last winter.',
    'Work will start in March and is expected to take eighteen months, the board chair told reporters after the meeting.',
    'Fishing boats will moor at the south quay while the pier is closed, and the ferry timetable will not change.',
    'Local traders welcomed the decision but asked the board to keep the promenade open during the summer season.',
  ].join('\n'),
  library: [
    'The town library will open on Sundays from next month after volunteers offered to staff the reading room.',
    'The council said the extra hours would cost nothing beyond heating and lighting, which a local charity will cover.',
    'Children will be able to join a weekly story club, and the computer room will stay open until four in the afternoon.',
    'The librarian said visitor numbers had risen every year since the building was restored in the spring of last year.',
  ].join('\n'),
  orchard: [
    'A community orchard planted on the old railway embankment gave its first harvest this autumn, growers said.',
    'More than two hundred people picked apples and pears over the weekend, and the fruit was pressed into juice on site.',
    'The group plans to plant plum and cherry trees along the far end of the embankment once the council approves the lease.',
    'Volunteers meet every second Saturday to prune, mulch and mend the fences that keep the deer away from young trees.',
  ].join('\n'),
  bridge: [
    'Engineers closed the old stone bridge over the river on Friday after divers found cracks in one of its piers.',
    'Drivers face a detour of about six miles through the villages to the east until repairs are finished next spring.',
    'The county said a temporary footbridge for walkers and cyclists would be in place within a fortnight of the closure.',
    'Shops on both banks said trade had already fallen and asked for signs pointing visitors towards the new crossing.',
  ].join('\n'),
};

/** Documents by key: two exact copies, a near copy, unique articles. */
const TEXTS: Record<string, string> = {
  a: ARTICLES.pier,
  b: ARTICLES.library,
  c: ARTICLES.pier, // exact copy of a
  d: ARTICLES.orchard,
  e: ARTICLES.library.replace('reading room', 'reading hall'), // near copy of b
  f: ARTICLES.bridge,
};
const KEYS = Object.keys(TEXTS);

const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;

let dir = '';
let cleanup = () => {};

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('dedupe-records-'));
  mkdirSync(path.join(dir, 'files'));
  for (const key of KEYS) writeFileSync(path.join(dir, 'files', `${key}.txt`), TEXTS[key] as string);
  const rows = KEYS.map((id) => ({ id, text: TEXTS[id] as string }));
  writeFileSync(path.join(dir, 'data.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(path.join(dir, 'data.json'), JSON.stringify(rows, null, 2));
  writeFileSync(path.join(dir, 'data.csv'), ['id,text', ...rows.map((r) => `${r.id},${csvField(r.text)}`)].join('\r\n') + '\r\n');
  // TSV fields cannot hold a tab or a newline unquoted: the lines are joined by a space here.
  writeFileSync(path.join(dir, 'data.tsv'), ['id\ttext', ...rows.map((r) => `${r.id}\t${csvField(r.text)}`)].join('\n') + '\n');
  await parquetWriteFile({
    filename: path.join(dir, 'data.parquet'),
    columnData: [
      { name: 'id', data: rows.map((r) => r.id), type: 'STRING' },
      { name: 'text', data: rows.map((r) => r.text), type: 'STRING' },
    ],
    rowGroupSize: 4, // two row groups: records cross a group boundary
  });
});
afterAll(() => cleanup());

interface JsonPair {
  a: string;
  b: string;
  similarity: number;
}
const json = async (args: string[]) => {
  const result = await dedupe([...args, '--format', 'json'], { cwd: dir });
  return { ...result, report: JSON.parse(result.stdout) };
};
/** Pairs as `key-key similarity`, with document paths mapped to keys. */
const pairsBy = (pairs: JsonPair[], key: (p: string) => string) => pairs.map((p) => `${key(p.a)}-${key(p.b)} ${p.similarity}`).sort();

describe('record files', () => {
  it('JSONL, JSON, CSV, TSV and Parquet give the pairs that the same texts give as files', async () => {
    const files = await json(['files']);
    expect(files.status).toBe(1);
    const expected = pairsBy(files.report.pairs, (p) => path.basename(p, '.txt'));
    expect(expected).toHaveLength(2);
    for (const file of ['data.jsonl', 'data.json', 'data.csv', 'data.tsv', 'data.parquet']) {
      const records = await json([file, '--id-field', 'id']);
      expect(records.stderr, file).toBe('');
      expect(records.status, file).toBe(1);
      expect(records.report.summary.documents, file).toBe(KEYS.length);
      expect(pairsBy(records.report.pairs, (p) => p.slice(`${file}#`.length)), file).toEqual(expected);
    }
  });

  it('names a record file#id, its id by default its position, and carries the record in the report', async () => {
    const { report } = await json(['data.jsonl']);
    expect(report.documents.map((d: { path: string }) => d.path)).toEqual(KEYS.map((_, i) => `data.jsonl#${i + 1}`));
    expect(report.documents[2].record).toEqual({ file: 'data.jsonl', id: '3', position: 3, line: 3 });
    expect(reportSchemaErrors(report)).toEqual([]);
    const csv = await json(['data.csv', '--id-field', 'id']);
    expect(csv.report.documents[4].record).toEqual({ file: 'data.csv', id: 'e', position: 5 });
  });

  it('reads a nested field by a dotted path, and a key that holds the dot itself first', async () => {
    const nested = KEYS.map((k) => JSON.stringify({ meta: { slug: `story-${k}` }, body: { text: TEXTS[k] } })).join('\n');
    writeFileSync(path.join(dir, 'nested.ndjson'), nested);
    const { report, stderr } = await json(['nested.ndjson', '--text-field', 'body.text', '--id-field', 'meta.slug']);
    expect(stderr).toBe('');
    expect(report.summary).toMatchObject({ documents: KEYS.length, clusters: 2 });
    expect(report.clusters[0].members.map((m: { path: string }) => m.path)).toEqual(['nested.ndjson#story-a', 'nested.ndjson#story-c']);
    writeFileSync(path.join(dir, 'dotted.jsonl'), JSON.stringify({ 'body.text': TEXTS.a, body: { text: 'the nested one' } }) + '\n');
    const dotted = await json(['dotted.jsonl', '--text-field', 'body.text']);
    expect(dotted.report.documents[0].bytes).toBe(Buffer.byteLength(TEXTS.a as string));
  });

  it('warns about a malformed line, a missing field and a non-string field, naming file and line, and reads the rest', async () => {
    const lines = [
      JSON.stringify({ text: TEXTS.a }),
      '{"text": "cut off',
      JSON.stringify({ title: 'no text here' }),
      JSON.stringify({ text: 42 }),
      '',
      JSON.stringify({ text: TEXTS.c }),
    ];
    writeFileSync(path.join(dir, 'bad.jsonl'), lines.join('\n'));
    const { status, stderr, report } = await json(['bad.jsonl']);
    expect(status).toBe(1); // the two good records are copies; warnings do not change the exit code
    expect(report.documents.map((d: { path: string }) => d.path)).toEqual(['bad.jsonl#1', 'bad.jsonl#6']);
    expect(stderr).toMatch(/bad\.jsonl: line 2: not valid JSON/);
    expect(stderr).toMatch(/bad\.jsonl: line 3: no field "text"; skipped/);
    expect(stderr).toMatch(/bad\.jsonl: line 4: field "text" is a number, not a string; skipped/);
    expect(report.warnings).toHaveLength(3);

    writeFileSync(path.join(dir, 'bad.csv'), `id,text\n1,${csvField(TEXTS.a as string)}\n2,short,extra\n3,${csvField(TEXTS.c as string)}\n`);
    const csv = await json(['bad.csv']);
    expect(csv.stderr).toMatch(/bad\.csv: row 2 \(line \d+\): malformed CSV row/);
    expect(csv.report.documents.map((d: { path: string }) => d.path)).toEqual(['bad.csv#1', 'bad.csv#3']);
  });

  it('reads a quote inside a CSV or TSV field as text: no row is lost, none renumbered; an unclosed quote is said to take the rest of the file', async () => {
    const csvRows = ['id,text', '1,alpha beta gamma delta', '2,"broken "quote here', '3,x "bad" quote mid field', '4,"second, quoted good row"', '5,last good row'];
    writeFileSync(path.join(dir, 'quotes.csv'), `${csvRows.join('\n')}\n`);
    const csv = await json(['quotes.csv']);
    expect(csv.report.warnings).toEqual([]);
    expect(csv.report.documents.map((d: { path: string }) => d.path)).toEqual([1, 2, 3, 4, 5].map((i) => `quotes.csv#${i}`));
    // In TSV a quote is ordinary text, wherever it stands.
    writeFileSync(path.join(dir, 'quotes.tsv'), 'id\ttext\n1\tThe minister said "we will act" today\n2\t"Quoted headline" opens this record\n3\tplain third record\n');
    const tsv = await json(['quotes.tsv']);
    expect(tsv.report.documents.map((d: { path: string }) => d.path)).toEqual(['quotes.tsv#1', 'quotes.tsv#2', 'quotes.tsv#3']);
    writeFileSync(path.join(dir, 'unclosed.csv'), 'id,text\n1,alpha beta\n2,"never closed\n3,lost row\n4,another lost\n');
    const unclosed = await json(['unclosed.csv']);
    expect(unclosed.report.documents.map((d: { path: string }) => d.path)).toEqual(['unclosed.csv#1']);
    expect(unclosed.stderr).toMatch(/unclosed\.csv: row 2: malformed CSV row: a quote that opens a field is never closed, so the rest of the file \(to line 5\) is this one row; skipped/);
  });

  it('refuses a file named like a record of a record file beside it: --format paths could list the one for the other', async () => {
    mkdirSync(path.join(dir, 'clash'), { recursive: true });
    writeFileSync(path.join(dir, 'clash', 'x.jsonl'), [TEXTS.a, TEXTS.a].map((text) => JSON.stringify({ text })).join('\n'));
    writeFileSync(path.join(dir, 'clash', 'x.jsonl#2'), TEXTS.c as string);
    const run = await dedupe(['clash', '--format', 'paths'], { cwd: dir });
    expect([run.status, run.stdout, run.stderr]).toEqual([
      2,
      '',
      'dedupe: error: clash/x.jsonl#2 names two documents (a file, and a record of a record file): the report could not tell them apart\nhint: rename the file, or name the records by a field with --id-field\n',
    ]);
  });

  it('a record with empty or whitespace text is a document, as an empty file is', async () => {
    writeFileSync(path.join(dir, 'blank.jsonl'), ['', '  \n ', TEXTS.f].map((text) => JSON.stringify({ text })).join('\n'));
    mkdirSync(path.join(dir, 'blank'), { recursive: true });
    ['', '  \n ', TEXTS.f as string].forEach((text, i) => writeFileSync(path.join(dir, 'blank', `${i + 1}.txt`), text));
    const members = (report: { clusters: Array<{ members: Array<{ path: string }>; exact: boolean }> }) =>
      report.clusters.map((c) => `${c.members.map((m) => m.path.replace(/^blank\/(\d)\.txt$|^blank\.jsonl#(\d)$/, '$1$2')).join(' ')} ${c.exact}`);
    const records = await json(['blank.jsonl']);
    expect(records.report.summary.documents).toBe(3);
    expect(members(records.report)).toEqual(members((await json(['blank'])).report));
    expect(members(records.report)).toHaveLength(1);
  });

  it('keeps the earlier of two equal-length records of one file (#9 before #10, which sorts first as text)', async () => {
    const texts = [...Array.from({ length: 8 }, (_, i) => `Unique record number ${i} about nothing in particular at all.`), TEXTS.a, TEXTS.a];
    writeFileSync(path.join(dir, 'ten.jsonl'), texts.map((text) => JSON.stringify({ text })).join('\n'));
    const { report } = await json(['ten.jsonl']);
    expect(report.clusters.map((c: { representative: string }) => c.representative)).toEqual(['ten.jsonl#9']);
  });

  it('gives a repeated id a suffix, with a warning', async () => {
    writeFileSync(path.join(dir, 'ids.jsonl'), ['x', 'x', 'y'].map((id, i) => JSON.stringify({ id, text: TEXTS[KEYS[i] as string] })).join('\n'));
    const { report, stderr } = await json(['ids.jsonl', '--id-field', 'id']);
    expect(report.documents.map((d: { path: string }) => d.path)).toEqual(['ids.jsonl#x', 'ids.jsonl#x~2', 'ids.jsonl#y']);
    expect(stderr).toMatch(/ids\.jsonl: line 2: id "x" was already used \(record 1\): named "x~2"/);
  });

  it('--format paths prints the record ids to drop (file#id), one per line or NUL-separated with -0', async () => {
    const lines = await dedupe(['data.jsonl', '--id-field', 'id', '--format', 'paths'], { cwd: dir });
    expect(lines.stdout).toBe('data.jsonl#c\ndata.jsonl#e\n');
    const nul = await dedupe(['data.jsonl', '--id-field', 'id', '--format', 'paths', '-0'], { cwd: dir });
    expect(nul.stdout).toBe('data.jsonl#c\0data.jsonl#e\0');
  });

  it('SARIF, GitHub annotations and Code Quality issues point at the record file, at the record\'s line in JSONL', async () => {
    const sarif = JSON.parse((await dedupe(['data.jsonl', '--format', 'sarif'], { cwd: dir })).stdout);
    const located = sarif.runs[0].results.map((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }) => {
      const { artifactLocation, region } = r.locations[0]!.physicalLocation;
      return `${artifactLocation.uri}:${region.startLine}`;
    });
    expect(located).toEqual(['data.jsonl:3', 'data.jsonl:5']);
    const github = await dedupe(['data.csv', '--format', 'github'], { cwd: dir });
    expect(github.stdout).toMatch(/^::warning file=data\.csv,line=1,title=Exact duplicate of data\.csv#1::data\.csv#3 is an exact duplicate/m);
    // GitLab resolves location.path as a file of the repository: data.jsonl#3 is none.
    const quality = JSON.parse((await dedupe(['data.jsonl', '--format', 'codeclimate'], { cwd: dir })).stdout) as Array<{ location: { path: string; lines: { begin: number } } }>;
    expect(quality.map((i) => `${i.location.path}:${i.location.lines.begin}`)).toEqual(located);
  });

  it('--input-format text reads a record file as one document; a record format reads any file as records', async () => {
    const text = await json(['data.jsonl', '--input-format', 'text']);
    expect(text.report.documents.map((d: { path: string }) => d.path)).toEqual(['data.jsonl']);
    writeFileSync(path.join(dir, 'export.txt'), `${JSON.stringify({ text: TEXTS.a })}\n${JSON.stringify({ text: TEXTS.a })}\n`);
    const forced = await json(['export.txt', '--input-format', 'jsonl']);
    expect(forced.report.summary).toMatchObject({ documents: 2, duplicates: 1 });
  });

  it('--max-file-size caps each record of a record file, not the file', async () => {
    // The file is larger than the cap; only the one record over it is skipped.
    writeFileSync(path.join(dir, 'sizes.jsonl'), [TEXTS.a, TEXTS.b, `${TEXTS.d}\n${TEXTS.d}\n${TEXTS.d}`].map((text) => JSON.stringify({ text })).join('\n'));
    const { report, stderr } = await json(['sizes.jsonl', '--max-file-size', '1000']);
    expect(report.documents.map((d: { path: string }) => d.path)).toEqual(['sizes.jsonl#1', 'sizes.jsonl#2']);
    expect(stderr).toMatch(/sizes\.jsonl: line 3: text of 1\.\d KiB is over --max-file-size 1000 bytes; skipped/);
  });

  it('a line or row too long to hold as one record is a warning, never a crash: the JSONL line is skipped, a CSV file ends there', async () => {
    // At --max-file-size 1000 a record may take 6 × 1000 bytes + 1 MiB in its file. (At the
    // default, 512 MiB: lines of 600 MB stopped the run with "Invalid string length".)
    expect(maxRecordBytes(256 * 1024 ** 2)).toBeLessThan(2 ** 29 - 24); // the engine's longest string, in characters
    const over = 'x'.repeat(maxRecordBytes(1000) + 10);
    writeFileSync(path.join(dir, 'long.jsonl'), [JSON.stringify({ text: TEXTS.a }), JSON.stringify({ text: over }), JSON.stringify({ text: TEXTS.b })].join('\r\n'));
    const jsonl = await json(['long.jsonl', '--max-file-size', '1000']);
    expect(jsonl.report.documents.map((d: { path: string }) => d.path)).toEqual(['long.jsonl#1', 'long.jsonl#3']);
    expect(jsonl.stderr).toMatch(/long\.jsonl: line 2: 1\.0 MiB on one line, over the 1\.0 MiB a line may take at --max-file-size 1000 bytes; skipped/);
    writeFileSync(path.join(dir, 'long.csv'), ['id,text', `1,${csvField(TEXTS.a as string)}`, `2,"${over}"`, `3,${csvField(TEXTS.b as string)}`].join('\n'));
    const csv = await json(['long.csv', '--max-file-size', '1000']);
    expect(csv.status).toBe(0); // a record file that cannot be read on is a warning, as one that is not records at all
    expect(csv.report.documents.map((d: { path: string }) => d.path)).toEqual(['long.csv#1']);
    expect(csv.stderr).toMatch(/long\.csv: skipped: row 2 \(line \d+\) is over the 1\.0 MiB one record may take at --max-file-size 1000 bytes: the rest of the file is not read/);
  });

  it('boundedLines splits as readline does (LF, CRLF, a lone CR; a CR and its LF in two chunks), and gives a long line as its length', async () => {
    const lines = async (chunks: string[], max = 100) => {
      const out: Array<string | number> = [];
      for await (const line of boundedLines(chunks.map((c) => Buffer.from(c)), max)) out.push('text' in line ? line.text : line.tooLong);
      return out;
    };
    expect(await lines(['a\nb\r\nc\rd', '\n\ne'])).toEqual(['a', 'b', 'c', 'd', '', 'e']);
    expect(await lines(['a\r', '\nb\r', 'c\n'])).toEqual(['a', 'b', 'c']);
    expect(await lines(['é', 'à\n'])).toEqual(['éà']);
    expect(await lines(['x'.repeat(60), 'x'.repeat(60), '\nok'], 100)).toEqual([120, 'ok']);
  });

  it('a record file with records on both sides of --against: only clusters with an incoming record', async () => {
    mkdirSync(path.join(dir, 'base'), { recursive: true });
    writeFileSync(path.join(dir, 'base', 'old.jsonl'), [TEXTS.a, TEXTS.b].map((text) => JSON.stringify({ text })).join('\n'));
    writeFileSync(path.join(dir, 'new.csv'), `text\n${csvField(TEXTS.c as string)}\n${csvField(TEXTS.f as string)}\n`);
    const { report } = await json(['new.csv', '--against', 'base']);
    expect(report.clusters).toHaveLength(1);
    expect(report.clusters[0].members.map((m: { path: string; side: string }) => `${m.path} ${m.side}`)).toEqual(['base/old.jsonl#1 baseline', 'new.csv#1 incoming']);
  });

  it('analyseFiles takes the same options, and refuses a bad input format', async () => {
    const report = await analyseFiles(['nested.ndjson'], { cwd: dir, textField: 'body.text', idField: 'meta.slug', threads: 1 });
    expect(report.summary).toMatchObject({ documents: KEYS.length, duplicates: 2 });
    const error = await analyseFiles(['data.jsonl'], { cwd: dir, inputFormat: 'xml' as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DedupeError);
    expect((error as DedupeError).message).toMatch(/^inputFormat must be one of auto, text, jsonl/);
  });

  it('reads Parquet compressed with gzip or brotli, as well as snappy', async () => {
    const codecs = { GZIP: (b: Uint8Array) => gzipSync(b), BROTLI: (b: Uint8Array) => brotliCompressSync(b) };
    for (const codec of ['GZIP', 'BROTLI'] as const) {
      const file = `${codec.toLowerCase()}.parquet`;
      const columnData = [{ name: 'text', data: [TEXTS.a, TEXTS.b, TEXTS.c], type: 'STRING' as const }];
      await parquetWriteFile({ filename: path.join(dir, file), columnData, codec, compressors: codecs });
      const { report, stderr } = await json([file]);
      expect(stderr, codec).toBe('');
      expect(report.clusters.map((c: { members: Array<{ path: string }> }) => c.members.map((m) => m.path)), codec).toEqual([[`${file}#1`, `${file}#3`]]);
    }
  });

  it('streams: a JSONL or CSV record is given as soon as its line is read, before the input ends', async () => {
    for (const [format, head] of [['jsonl', ''], ['csv', 'text\n']] as const) {
      const input = new PassThrough({ encoding: 'utf8' });
      const documents = readRecords(format, 'stream', 'stream', {}, () => {}, () => input);
      // The first record and the start of the next (csv-parse holds a record until the next one
      // begins); the stream stays open, so a reader that waited for the end would never answer.
      input.write(`${head}${format === 'jsonl' ? JSON.stringify({ text: 'first record' }) : 'first record'}\nsec`);
      const first = await documents.next();
      expect(first.value, format).toMatchObject({ path: 'stream#1', text: 'first record' });
      await documents.return(undefined);
      expect(input.destroyed, format).toBe(true); // stopping early closes the input
    }
  });

  it('a record file with no readable record is nothing to compare (exit 2), saying so', async () => {
    writeFileSync(path.join(dir, 'none.jsonl'), 'not json\n{"title": "no text"}\n');
    const { status, stderr } = await dedupe(['none.jsonl'], { cwd: dir });
    expect(status).toBe(2);
    expect(stderr).toMatch(/nothing to compare in none\.jsonl: the only file was skipped or held no readable record/);
  });

  it('a CSV or Parquet file without the text column is one warning, not one per row', async () => {
    for (const file of ['data.csv', 'data.parquet']) {
      const { stderr } = await dedupe([file, 'files', '--text-field', 'body'], { cwd: dir });
      expect(stderr.trim().split('\n'), file).toEqual([`dedupe: warning: ${file}: skipped: no column "body" for the text (the columns are "id", "text"; --text-field names it)`]);
    }
  });

  it('a JSON file that is not an array of records is skipped with a warning', async () => {
    writeFileSync(path.join(dir, 'object.json'), JSON.stringify({ text: TEXTS.a }));
    const { status, stderr } = await dedupe(['object.json', 'files/a.txt'], { cwd: dir });
    expect(status).toBe(0);
    expect(stderr).toMatch(/object\.json: skipped: not a JSON array of records \(the file holds an object; use --input-format text/);
  });
});

describe('record files and the persistent index', () => {
  it('index add skips a record file with a warning naming it, and indexes the text files beside it', async () => {
    const db = path.join(dir, 'records.duckdb');
    const added = await dedupe(['index', 'add', 'files', 'data.jsonl', '--index', db, '--format', 'json'], { cwd: dir });
    expect(added.status).toBe(0);
    expect(added.stderr).toMatch(/data\.jsonl: skipped: a jsonl record file; dedupe index add reads text files only/);
    expect(JSON.parse(added.stdout)).toMatchObject({ added: KEYS.length, documents: KEYS.length });
  });
});
