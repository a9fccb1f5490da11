import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/main.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'dedupe.js');
export const SEEDS = path.join(ROOT, 'fixtures', 'seeds');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** What stdin holds (default: nothing). */
  input?: string;
  /** Merged over the test process's environment; undefined removes a variable. */
  env?: NodeJS.ProcessEnv;
}

/** The environment a run sees: no colour unless the test asks for it, not in CI. */
function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, CI: undefined, ...extra };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env;
}

/** A stream that keeps what is written to it, as a terminal (isTTY) or not. */
function capture(isTTY: boolean) {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      done();
    },
  }) as Writable & { isTTY?: boolean };
  if (isTTY) stream.isTTY = true;
  return { stream, bytes: () => Buffer.concat(chunks) };
}

export interface InProcessOptions extends CliOptions {
  /** stdout and stderr claim to be a terminal. */
  tty?: boolean;
  /** The clock (milliseconds); default performance.now. */
  now?: () => number;
}

/** `dedupe` with stdout and stderr as the bytes written, the way a terminal receives them. */
export async function dedupeBytes(args: readonly string[], options: InProcessOptions = {}): Promise<{ status: number; stdout: Buffer; stderr: Buffer }> {
  const stdout = capture(Boolean(options.tty));
  const stderr = capture(Boolean(options.tty));
  const status = await run(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(options.input ? [Buffer.from(options.input)] : []),
    env: cliEnv(options.env),
    cwd: options.cwd ?? ROOT,
    now: options.now ?? (() => performance.now()),
  });
  return { status, stdout: stdout.bytes(), stderr: stderr.bytes() };
}

/**
 * Run the CLI in this process through `run(argv, io)`, as bin/dedupe.js does but with the
 * working directory, environment, stdin and clock given here and stdout/stderr captured.
 * The same options and result as `dedupeBin`; use that where the process itself matters.
 */
export async function dedupe(args: readonly string[], options: InProcessOptions = {}): Promise<CliResult> {
  const { status, stdout, stderr } = await dedupeBytes(args, options);
  return { status, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8') };
}

/** Run the built binary (bin/dedupe.js, which runs dist/) in a child process, as a user would. */
export function dedupeBin(args: readonly string[], options: CliOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    env: cliEnv(options.env),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix = 'dedupe-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
