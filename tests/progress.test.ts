import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/cli/progress.js';
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
    for (let i = 1; i < 100; i += 10) progress.update(i, 100);
    progress.stop();
    return text();
  };

  it('draws on an interactive stderr', () => {
    expect(drive(true, {}, false)).toMatch(/documents/);
  });

  it('stays silent when stderr is not a terminal, in CI, or with --quiet', () => {
    expect(drive(false, {}, false)).toBe('');
    expect(drive(true, { CI: 'true' }, false)).toBe('');
    expect(drive(true, {}, true)).toBe('');
  });

  it('waits before drawing, so short runs print nothing', () => {
    const { stream, text } = fakeStderr(true);
    const progress = createProgress(stream, {}, false, 60_000);
    progress.update(5, 10);
    progress.stop();
    expect(text()).toBe('');
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
  });
});
