import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const SILENT: Progress = { update() {}, stop() {} };

/**
 * A progress bar on stderr for runs that take a while: only on an interactive terminal, never in
 * CI or with --quiet, and only once the run has gone on for `delayMs` (short runs stay quiet).
 */
export function createProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  env: NodeJS.ProcessEnv,
  quiet: boolean,
  delayMs = 1000,
  /** The clock, in milliseconds. */
  now: () => number = Date.now,
): Progress {
  if (quiet || !stream.isTTY || env.CI) return SILENT;
  const started = now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done, total) {
      if (!bar) {
        if (now() - started < delayMs || done >= total) return;
        bar = new cliProgress.SingleBar(
          { stream: stream as NodeJS.WritableStream, format: 'dedupe [{bar}] {percentage}% | {value}/{total} documents | {eta_formatted} left', hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      } else bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}
