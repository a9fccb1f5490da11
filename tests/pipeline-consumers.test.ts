import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/types.js';
import { dedupe, ROOT, tempDir } from './helpers/cli.js';

const hasJq = spawnSync('jq', ['--version']).status === 0;

/** `dedupe ARGS | jq FILTER`, as a consumer would: jq reads exactly the bytes the CLI wrote. */
async function pipeToJq(args: string[], filter: string, jqFlags = ['-r']) {
  const run = await dedupe(args);
  const jq = spawnSync('jq', [...jqFlags, filter], { cwd: ROOT, input: run.stdout, encoding: 'utf8' });
  return { status: run.status, jqStatus: jq.status, stdout: jq.stdout, stderr: run.stderr + jq.stderr };
}

describe.skipIf(!hasJq)('consumers read the machine formats with jq', () => {
  it('json: jq finds the cluster and its representative', async () => {
    const r = await pipeToJq(['fixtures/seeds', '--format', 'json', '--exit-zero'], '.clusters[] | .representative + " " + (.members | length | tostring)');
    expect([r.status, r.jqStatus, r.stderr]).toEqual([0, 0, '']);
    expect(r.stdout.trim()).toBe('fixtures/seeds/000_07ea92c0e8dc5bc0.txt 2');
  });

  it('ndjson: the stream written as the run goes is the report written whole, whatever the options', async () => {
    const { dir, cleanup } = tempDir();
    try {
      for (const extra of [[], ['--no-boilerplate'], ['--no-boilerplate', '--show-boilerplate'], ['--show-boilerplate'], ['--no-boilerplate', '--against', 'fixtures/against']]) {
        const args = ['fixtures/seeds', 'fixtures/boilerplate', '--format', 'ndjson', ...extra];
        const streamed = await dedupe(args);
        const file = path.join(dir, 'report.ndjson');
        await dedupe([...args, '-o', file]);
        expect(streamed.stdout, extra.join(' ')).toBe(readFileSync(file, 'utf8'));
      }
    } finally {
      cleanup();
    }
  });

  it('ndjson: jq reads every line and selects messages by type', async () => {
    const r = await pipeToJq(['fixtures/seeds', '--format', 'ndjson', '--exit-zero'], 'select(.type == "pair") | .data.a + " " + .data.b');
    expect([r.status, r.jqStatus, r.stderr]).toEqual([0, 0, '']);
    expect(r.stdout.trim()).toBe('fixtures/seeds/000_07ea92c0e8dc5bc0.txt fixtures/seeds/001_aa7fafff98e3fb85.txt');
    const types = (await pipeToJq(['fixtures/seeds', '--format', 'ndjson', '--exit-zero'], '.type')).stdout.trim().split('\n');
    expect(types[0]).toBe('begin');
    expect(types.at(-1)).toBe('summary');
    expect(types.filter((t) => t === 'document')).toHaveLength(4);
  });
});

describe('ndjson streaming', () => {
  it('streams exactly what the ndjson reporter writes for the whole report', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'report.ndjson');
      const streamed = (await dedupe(['fixtures/seeds', '--format', 'ndjson'])).stdout;
      await dedupe(['fixtures/seeds', '--format', 'ndjson', '--output', file]);
      expect(streamed).toBe(readFileSync(file, 'utf8'));
      const messages = streamed.trim().split('\n').map((line) => JSON.parse(line) as { type: string; data: unknown });
      const json = JSON.parse((await dedupe(['fixtures/seeds', '--format', 'json'])).stdout) as Report;
      expect(messages.filter((m) => m.type === 'document').map((m) => m.data)).toEqual(json.documents);
      expect(messages.filter((m) => m.type === 'cluster').map((m) => m.data)).toEqual(json.clusters);
    } finally {
      cleanup();
    }
  });
});
