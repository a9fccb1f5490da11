import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fchownSync, openSync, renameSync, rmSync, write } from 'node:fs';
import { access, constants, lstat, open, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { describeError } from '../input/discover.js';
import { DEFAULT_CONFIG_FILE } from './config.js';
import { writeAll, writeBytesInPieces, writeInPieces } from './io.js';

const MAX_LINK_HOPS = 40;

/**
 * A path that names one of our open descriptors (/dev/stdout, /dev/fd/N, /proc/self/fd/N): the
 * report goes to that descriptor, as the shell would send it. Reopening it would fail on a socket
 * and, on a file opened with >>, start again from the top.
 */
function ownDescriptor(file: string): number | undefined {
  const std = /^\/dev\/std(in|out|err)$/.exec(file);
  if (std) return ['in', 'out', 'err'].indexOf(std[1] as string);
  const fd = /^\/(?:dev\/fd|proc\/(?:self|thread-self|(\d+))\/fd)\/(\d+)$/.exec(file);
  if (fd && (fd[1] === undefined || Number(fd[1]) === process.pid)) return Number(fd[2]);
  return undefined;
}

type Target =
  | { kind: 'descriptor'; fd: number }
  | { kind: 'direct'; path: string; flags: 'w' | 'a' }
  | { kind: 'atomic'; path: string; existing?: { mode: number; uid: number; gid: number } };

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Where and how to write `file`. Symlinks are followed hop by hop so that the report lands at the
 * link's target (the link stays a link) and a link into /proc/self/fd is seen for what it is.
 * Only a regular file or a new path gets temp-file-and-rename: renaming over a device or a FIFO
 * would replace the node itself (as root, `--output /dev/null` made /dev/null a regular file).
 */
async function resolveTarget(file: string): Promise<Target> {
  let current = path.resolve(file);
  for (let hops = 0; ; hops++) {
    const fd = ownDescriptor(current);
    if (fd !== undefined) return { kind: 'descriptor', fd };
    // Anything else in /proc (another process's descriptors) is written into, never replaced.
    if (current.startsWith('/proc/')) return { kind: 'direct', path: current, flags: 'a' };
    const link = await lstat(current).catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    if (!link?.isSymbolicLink()) break;
    if (hops === MAX_LINK_HOPS) throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' });
    // Relative to the link's real directory, as the kernel resolves it (`..` included).
    current = path.resolve(await realpath(path.dirname(current)), await readlink(current));
  }
  const info = await stat(current).catch((error: unknown) => {
    if (isMissing(error)) return undefined;
    throw error;
  });
  if (!info) return { kind: 'atomic', path: current };
  if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  if (info.isFile()) return { kind: 'atomic', path: current, existing: { mode: info.mode & 0o7777, uid: info.uid, gid: info.gid } };
  return { kind: 'direct', path: current, flags: 'w' }; // character or block device, FIFO
}

/**
 * Why the report could not be written to `file`, said before any input is read (a run of minutes
 * should not end in "no such directory"), or undefined: a directory, a missing or unwritable
 * folder, or a file this user may not write (which the shell's `>` refuses too; the rename would
 * replace it regardless). Devices, FIFOs and our own descriptors are left to the write.
 */
export async function outputProblem(file: string, cwd: string): Promise<string | undefined> {
  let target: Target;
  try {
    target = await resolveTarget(path.resolve(cwd, file));
  } catch (error) {
    return describeWriteError(error);
  }
  if (target.kind !== 'atomic') return undefined;
  const folder = path.dirname(target.path);
  const info = await stat(folder).catch((error: unknown) => error as Error);
  if (info instanceof Error) return `its folder ${folder}: ${describeWriteError(info)}`;
  if (!info.isDirectory()) return `its folder ${folder}: not a directory`;
  // The temporary file is made in the folder; an existing report is replaced by a rename.
  const denied = await access(folder, constants.W_OK).then(() => undefined, (error: unknown) => `its folder ${folder}: ${describeWriteError(error)}`);
  if (denied) return denied;
  if (target.existing) return access(target.path, constants.W_OK).then(() => undefined, describeWriteError);
  return undefined;
}

/** describeError, in the words of a place to write (what is missing there is a folder). */
function describeWriteError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such directory';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  return describeError(error);
}

/**
 * Write the report to `file`: into devices, FIFOs and /dev/stdout directly; to a regular file
 * (or a new path) atomically, by a temporary file in the same directory and a rename, so a failed
 * or interrupted run never leaves a half-written report where the old one was.
 */
export async function writeReportFile(
  file: string,
  content: string | Iterable<string>,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; cwd: string },
): Promise<void> {
  const pieces = typeof content === 'string' ? [content] : content;
  const target = await resolveTarget(path.resolve(io.cwd, file));
  if (target.kind === 'descriptor') {
    const stream = target.fd === 1 ? io.stdout : target.fd === 2 ? io.stderr : undefined;
    if (stream) return writeInPieces(pieces, (text) => writeAll(stream, text));
    return writeBytesInPieces(pieces, (bytes) => writeAllFd(target.fd, bytes));
  }
  if (target.kind === 'direct') {
    const handle = await open(target.path, target.flags);
    try {
      await writeBytesInPieces(pieces, (bytes) => handle.writeFile(bytes));
    } finally {
      await handle.close();
    }
    return;
  }
  await writeFileAtomic(target.path, pieces, target.existing);
}

/** The temporary file being written, for the signal handler to remove. */
let pendingTemp: string | undefined;

// SIGHUP too: a closed terminal or an ssh session that drops is as common as Ctrl-C.
const EXIT_ON_SIGNAL = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

function onSignal(signal: keyof typeof EXIT_ON_SIGNAL) {
  if (pendingTemp) rmSync(pendingTemp, { force: true });
  process.exit(EXIT_ON_SIGNAL[signal]);
}

/**
 * Write all of `bytes` to `fd` a chunk at a time: each chunk is a turn of the event loop, so a
 * signal during a long write is handled at once rather than after it.
 */
async function writeAllFd(fd: number, bytes: Buffer): Promise<void> {
  const CHUNK = 1 << 20;
  for (let offset = 0; offset < bytes.length; ) {
    const length = Math.min(CHUNK, bytes.length - offset);
    offset += await new Promise<number>((resolve, reject) => write(fd, bytes, offset, length, null, (e, n) => (e ? reject(e) : resolve(n))));
  }
}

async function writeFileAtomic(file: string, pieces: Iterable<string>, existing?: { mode: number; uid: number; gid: number }): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // Handlers go in before the temp file exists; open and rename are synchronous, so a signal is
  // handled either before the temp file exists, while it is being written, or after the rename,
  // never between a create or rename and our knowing of it.
  const handler = (signal: NodeJS.Signals) => onSignal(signal as keyof typeof EXIT_ON_SIGNAL);
  for (const signal of Object.keys(EXIT_ON_SIGNAL)) process.on(signal, handler);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o666);
    pendingTemp = temp;
    if (existing) {
      fchmodSync(fd, existing.mode); // the report replaces the file, but keeps its permissions
      try {
        fchownSync(fd, existing.uid, existing.gid); // and its owner, where we may (as root)
      } catch {
        // Not permitted: the new file is ours, as any rewrite by this user would be.
      }
    }
    const opened = fd;
    await writeBytesInPieces(pieces, (bytes) => writeAllFd(opened, bytes));
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
    pendingTemp = undefined;
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    if (pendingTemp) rmSync(pendingTemp, { force: true });
    pendingTemp = undefined;
    throw error;
  } finally {
    for (const signal of Object.keys(EXIT_ON_SIGNAL)) process.off(signal, handler);
  }
}

/**
 * Which of the inputs `file` would write into, if any: the same path, or the same file (device
 * and inode) by another name, so the report is never written over a document it describes.
 * Relative paths are relative to `cwd`.
 */
export async function inputAt(
  file: string,
  inputs: ReadonlyArray<{ files: readonly string[]; aliases: ReadonlyMap<string, readonly string[]>; identity: ReadonlyMap<string, string> }>,
  cwd: string,
): Promise<string | undefined> {
  const resolved = path.resolve(cwd, file);
  const info = await stat(resolved, { bigint: true }).catch(() => undefined);
  const id = info && `${info.dev}:${info.ino}`;
  // A name resolves to `resolved` only if it ends with its last component, or in `.`, `..` or a
  // slash: only those are resolved (on 42,000 inputs, resolving every name took 80 ms).
  const base = path.basename(resolved);
  const mayBe = (name: string) => name.endsWith(base) || name.endsWith('.') || name.endsWith(path.sep) || name.endsWith('/');
  for (const found of inputs) {
    for (const input of found.files) {
      if (id !== undefined && found.identity.get(input) === id) return input;
      if (mayBe(input) && path.resolve(cwd, input) === resolved) return input;
      for (const name of found.aliases.get(input) ?? []) if (mayBe(name) && path.resolve(cwd, name) === resolved) return name;
    }
  }
  return undefined;
}

/** A file a run reads besides its inputs, and what it is, for the message. */
export interface Guarded {
  path: string;
  what: string;
  /** A directory: nothing inside it may be written either (a shard). */
  directory?: boolean;
}

/**
 * Why the report may not be written to `file`, if it may not: it would replace one of `guarded`
 * (files the run reads besides its inputs: the config file, the --files-from list, an index and
 * its payloads, pairs, shard directories), the same file by any name, or land inside a guarded
 * directory. Files that do not exist are not guarded: writing there loses nothing.
 */
export async function overwriteRefusal(file: string, guarded: readonly Guarded[], cwd: string): Promise<string | undefined> {
  const resolved = path.resolve(cwd, file);
  const info = await stat(resolved, { bigint: true }).catch(() => undefined);
  const target = await realTarget(resolved);
  for (const g of guarded) {
    const given = path.resolve(cwd, g.path);
    let hit: boolean;
    let where = g.path;
    if (g.directory) {
      const real = await realpath(given).catch(() => undefined);
      hit = real !== undefined && (target === real || target.startsWith(real.endsWith(path.sep) ? real : real + path.sep));
      if (target !== real) where = `inside ${g.path}`;
    } else {
      // The same file by any name: a symlink to it, a hard link.
      const other = info && (await stat(given, { bigint: true }).catch(() => undefined));
      hit = other !== undefined && other.dev === info!.dev && other.ino === info!.ino;
    }
    if (hit) return `--output ${file} is ${where} (${g.what}), which this run reads: refusing to write over it`;
  }
  return undefined;
}

/**
 * Why the report may not go to `file`, said before any input is read, or undefined: it would
 * replace a file the run reads (overwriteRefusal), or it cannot be written there (outputProblem).
 */
export async function outputRefusal(file: string, guarded: readonly Guarded[], cwd: string): Promise<{ message: string; hint: string } | undefined> {
  const over = await overwriteRefusal(file, guarded, cwd);
  if (over) return { message: over, hint: 'write it somewhere else' };
  const problem = await outputProblem(file, cwd);
  if (problem) return { message: `--output ${file}: cannot write there: ${problem}`, hint: WRITE_HINT };
  return undefined;
}

/**
 * --output as given, read the way tools read it: `-` is stdout (no file of that name is made);
 * an empty name is an error (returned as a message).
 */
export function outputFlag(output: string | undefined): { output?: string; error?: string } {
  if (output === '') return { error: '--output needs a file name (or - for stdout)' };
  return output === undefined || output === '-' ? {} : { output };
}

/** How a report is written, for a message about where it cannot be. */
export const WRITE_HINT = 'the output goes to a temporary file in the same folder, then is renamed: name a file in a folder you may write to';

/** The files besides its inputs that a run reads: the config file and the --files-from list. */
export const filesRead = (flags: { config?: string; filesFrom?: string }): Guarded[] => [
  { path: flags.config ?? DEFAULT_CONFIG_FILE, what: 'the config file' },
  ...(flags.filesFrom !== undefined && flags.filesFrom !== '-' ? [{ path: flags.filesFrom, what: 'the --files-from list' }] : []),
];

/** Where writing `file` lands: its real path, or for a new file its real directory and its name. */
async function realTarget(file: string): Promise<string> {
  const whole = await realpath(file).catch(() => undefined);
  if (whole !== undefined) return whole;
  const dir = await realpath(path.dirname(file)).catch(() => path.dirname(file));
  return path.join(dir, path.basename(file));
}
