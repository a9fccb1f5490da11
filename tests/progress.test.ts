import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyse, analyseFiles } from '../src/index.js';
import { createProgress, progressFormat } from '../src/cli/progress.js';
import { STAGES, type Stage } from '../src/types/progress.js';
import { SEEDS } from './helpers/cli.js';
import { shouldColor } from '../src/cli/color.js';

/** A stderr stand-in that records what is written and claims to be a terminal or not. */
function fakeStderr(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { isTTY?: boolean; columns?: number; cursorTo?: () => boolean; clearLine?: () => boolean; moveCursor?: () => boolean };
  stream.isTTY = isTTY;
  stream.columns = 100;
  stream.cursorTo = () => true;
  stream.clearLine = () => true;
  stream.moveCursor = () => true;
  return { stream, text: () => chunks.join('') };
}

describe('progress bar', () => {
  const drive = (isTTY: boolean, env: NodeJS.ProcessEnv, quiet: boolean) => {
    const { stream, text } = fakeStderr(isTTY);
    const progress = createProgress(stream, env, quiet, 0);
    for (let i = 1; i < 100; i += 10) progress.update(i, 100, 'labelling');
    progress.stop();
    return text();
  };

  it('draws on an interactive stderr', () => {
    expect(drive(true, {}, false)).toMatch(/documents/);
  });

  it('stays silent when stderr is not a terminal, in CI, on a dumb terminal, or with --quiet', () => {
    expect(drive(false, {}, false)).toBe('');
    expect(drive(true, { CI: 'true' }, false)).toBe('');
    expect(drive(true, { TERM: 'dumb' }, false)).toBe('');
    expect(drive(true, {}, true)).toBe('');
  });

  it('waits before drawing, so short runs print nothing', () => {
    const { stream, text } = fakeStderr(true);
    const progress = createProgress(stream, {}, false, 60_000);
    progress.update(5, 10, 'reading');
    progress.stop();
    expect(text()).toBe('');
  });
});

describe('progress across the stages', () => {
  /** What the terminal shows at the end of each update: the text after the last carriage return or clear. */
  const drawn = (text: string) =>
    text
      .split(/\r|\u001b(?:\[[0-9;?]*[A-Za-z]|[78])/)
      .filter((s) => s.trim() !== '')
      .at(-1) ?? '';

  it('names each stage, and a stage after a finished one is shown, not left at 100%', () => {
    const { stream, text } = fakeStderr(true);
    const progress = createProgress(stream, {}, false, 0);
    const seen: string[] = [];
    const step = (done: number, total: number, stage: Stage) => {
      progress.update(done, total, stage);
      seen.push(drawn(text()));
    };
    for (let i = 1; i <= 50; i += 7) step(i, 50, 'reading');
    for (let i = 1; i <= 50; i += 7) step(i, 50, 'labelling');
    step(0, 1, 'verifying');
    step(1, 1, 'verifying');
    step(0, 1, 'writing');
    progress.stop();
    expect(seen.some((line) => /^dedupe: reading +\[.*\] \d+% \| \d+\/50 files/.test(line))).toBe(true);
    expect(seen.some((line) => /^dedupe: labelling +\[.*\] \d+% \| \d+\/50 documents/.test(line))).toBe(true);
    // Once labelling is done, the line says what the run is doing now.
    expect(seen.at(-3)).toBe('dedupe: verifying…');
    expect(seen.at(-1)).toBe('dedupe: writing…');
  });

  it('has a line for every stage', () => {
    for (const stage of STAGES) expect(progressFormat(stage, 100)).toContain(stage);
  });

  it('the core reports every stage it goes through, in order', async () => {
    const stagesOf = (events: Stage[]) => events.filter((s, i) => s !== events[i - 1]);
    const fromFiles: Stage[] = [];
    await analyseFiles([SEEDS], { onProgress: (_done, _total, stage) => fromFiles.push(stage) });
    expect(stagesOf(fromFiles)).toEqual(['reading', 'labelling', 'verifying']);
    const noBoilerplate: Stage[] = [];
    const texts = ['one two three four five six seven', 'eight nine ten eleven twelve thirteen fourteen'].map((text, i) => ({ path: `${i}.txt`, text }));
    await analyse(texts, { boilerplate: false, threads: 1, onProgress: (_done, _total, stage) => noBoilerplate.push(stage) });
    expect(stagesOf(noBoilerplate)).toEqual(['sketching', 'verifying']);
  });
});

describe('shouldColor', () => {
  it('takes the flag first, then FORCE_COLOR, then NO_COLOR, then the terminal', () => {
    expect(shouldColor(false, { FORCE_COLOR: '1' }, true)).toBe(false);
    expect(shouldColor(true, { NO_COLOR: '1' }, false)).toBe(true);
    expect(shouldColor(undefined, { FORCE_COLOR: '1', NO_COLOR: '1' }, false)).toBe(true);
    expect(shouldColor(undefined, { FORCE_COLOR: '0' }, true)).toBe(false);
    expect(shouldColor(undefined, { NO_COLOR: '1' }, true)).toBe(false);
    expect(shouldColor(undefined, { NO_COLOR: '' }, true)).toBe(true);
    expect(shouldColor(undefined, {}, false)).toBe(false);
    // A terminal that says it understands no escapes gets none, unless asked.
    expect(shouldColor(undefined, { TERM: 'dumb' }, true)).toBe(false);
    expect(shouldColor(undefined, { TERM: 'dumb', FORCE_COLOR: '1' }, true)).toBe(true);
  });
});
