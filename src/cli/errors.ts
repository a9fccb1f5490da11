import { visible } from '../report/escape.js';
import type { Warning } from '../types/warning.js';
import type { CliIO } from './io.js';
import { didYouMean } from './suggest.js';

/**
 * An error the CLI reports in its one style and exits 2 for: `dedupe: error: MESSAGE`, then
 * `hint: HINT` when there is something to suggest (a flag, a spelling, the help).
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The hint when there is nothing more specific to say. */
export const HELP_HINT = 'dedupe --help lists the options (dedupe help body: those of the body command)';

/** The lines an error prints, in the one style: `dedupe: error: …` and a hint line. */
export function errorLines(message: string, hint?: string): string {
  return `dedupe: error: ${message}\n${hint ? `hint: ${hint}\n` : ''}`;
}

/**
 * Commander's own message ("error: unknown option '--tresh'\n(Did you mean --threshold?)\n"),
 * as message and hint for errorLines.
 */
export function fromCommander(text: string): { message: string; hint?: string } {
  const lines = text.trim().split('\n');
  const message = (lines[0] ?? '').replace(/^error: /, '');
  const suggestion = /^\(Did you mean (.+)\?\)$/.exec(lines.slice(1).join(' ').trim());
  if (suggestion) return { message, hint: `did you mean ${suggestion[1]}?` };
  const choice = /argument '([^']*)' is invalid\. Allowed choices are (.+)\.$/.exec(message);
  const near = choice && didYouMean(choice[1]!, choice[2]!.split(', '));
  if (near) return { message, hint: near };
  if (/'--keep\b/.test(message)) return { message, hint: '--keep takes longest or first; --list-kept (with --format paths) lists the files to keep' };
  return { message, hint: HELP_HINT };
}

/** A usage error found after parsing (a bad option value): exit 2, with a hint. */
export class UsageError extends CliError {
  constructor(message: string, hint: string | undefined = HELP_HINT) {
    super(message, hint);
  }
}

/** An output file that could not be written: exit 2, nothing left behind. */
export class OutputError extends CliError {}

// Everything written to stderr goes through visible(): it quotes file names, which may hold escapes.
export function warn(io: CliIO, warnings: readonly Warning[]) {
  for (const w of warnings) io.stderr.write(`dedupe: warning: ${visible(w.path)}: ${visible(w.message)}\n`);
}
