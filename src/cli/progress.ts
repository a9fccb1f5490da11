import cliProgress from 'cli-progress';
import type { Stage } from '../types/progress.js';

export interface Progress {
  /** `done` of `total` units of `stage`: the core's ProgressCallback. */
  update(done: number, total: number, stage: Stage): void;
  stop(): void;
}

const SILENT: Progress = { update() {}, stop() {} };

/** What each stage counts, and how the bar names it. */
const STAGE_TEXT: Record<Stage, { name: string; unit?: string }> = {
  reading: { name: 'reading', unit: 'files' },
  labelling: { name: 'labelling', unit: 'documents' },
  sketching: { name: 'sketching', unit: 'documents' },
  verifying: { name: 'verifying' },
  writing: { name: 'writing' },
};

/** The bar's line for a stage: a bar with counts and time left for a counted stage, the name alone for one that is not. */
export function progressFormat(stage: Stage, total: number): string {
  const { name, unit } = STAGE_TEXT[stage];
  if (!unit || total <= 1) return `dedupe: ${name}…`;
  return `dedupe: ${name.padEnd(9)} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`;
}

/**
 * A progress bar on stderr for runs that take a while: only on an interactive terminal, never in
 * CI or with --quiet, and only once the run has gone on for `delayMs` (short runs stay quiet). It
 * follows the stages: each gets its own bar (and its own time left), named.
 */
export function createProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  env: NodeJS.ProcessEnv,
  quiet: boolean,
  delayMs = 1000,
  /** The clock, in milliseconds. */
  now: () => number = Date.now,
): Progress {
  // A dumb terminal cannot redraw a line: no bar there.
  if (quiet || !stream.isTTY || env.CI || env.TERM === 'dumb') return SILENT;
  const started = now();
  let bar: cliProgress.SingleBar | undefined;
  let shown: { stage: Stage; total: number } | undefined;
  return {
    update(done, total, stage) {
      if (shown && shown.stage === stage && shown.total === total) {
        bar?.update(done);
        return;
      }
      // A new stage: the old bar goes, the new one starts (its own total, its own time left).
      if (now() - started < delayMs || done >= total) return;
      bar?.stop();
      bar = new cliProgress.SingleBar(
        { stream: stream as NodeJS.WritableStream, format: progressFormat(stage, total), hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, done);
      shown = { stage, total };
    },
    stop() {
      bar?.stop();
      bar = undefined;
      shown = undefined;
    },
  };
}
