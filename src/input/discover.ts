import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Warning } from '../report/types.js';

export interface DiscoverOptions {
  include?: readonly string[];
  exclude?: readonly string[];
}

export interface DiscoveredFiles {
  /** Files in a stable order: arguments in the order given, directory entries sorted. */
  files: string[];
  warnings: Warning[];
}

/** A path the user named that does not exist: a usage error, not a warning. */
export class MissingPathError extends Error {
  constructor(readonly path: string) {
    super(`${path}: no such file or directory`);
  }
}

const SKIPPED_DIRECTORIES = new Set(['node_modules']);

/**
 * Expand files and directories into the files to read. Directories are walked recursively;
 * hidden entries and node_modules are skipped unless named explicitly; symlinks are followed,
 * but a directory already visited (by its real path) is not entered again, so loops end.
 * Globs match the path relative to the directory that was named, or the bare file name when the
 * glob has no slash (as .gitignore does).
 */
export async function discoverFiles(paths: readonly string[], options: DiscoverOptions = {}): Promise<DiscoveredFiles> {
  const include = options.include?.length ? picomatch([...options.include], { dot: true, basename: true }) : undefined;
  const exclude = options.exclude?.length ? picomatch([...options.exclude], { dot: true, basename: true }) : undefined;
  const files: string[] = [];
  const warnings: Warning[] = [];
  const seenFiles = new Set<string>();
  const visitedDirs = new Set<string>();

  const addFile = async (file: string) => {
    const key = path.resolve(file);
    if (seenFiles.has(key)) return;
    seenFiles.add(key);
    files.push(file);
  };

  const walk = async (dir: string, root: string): Promise<void> => {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (error) {
      warnings.push({ path: dir, message: `cannot open directory: ${describeError(error)}` });
      return;
    }
    if (visitedDirs.has(real)) return;
    visitedDirs.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      warnings.push({ path: dir, message: `cannot read directory: ${describeError(error)}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full).split(path.sep).join('/');
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(full);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch {
          // A dangling link is a file we were asked to read and cannot: report it when reading.
          isFile = true;
        }
      }
      if (isDirectory) {
        if (exclude?.(relative)) continue;
        await walk(full, root);
      } else if (isFile) {
        if (include && !include(relative)) continue;
        if (exclude?.(relative)) continue;
        await addFile(full);
      }
    }
  };

  for (const named of paths) {
    let info;
    try {
      info = await stat(named);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingPathError(named);
      warnings.push({ path: named, message: `cannot access: ${describeError(error)}` });
      continue;
    }
    if (info.isDirectory()) await walk(named, named);
    else await addFile(named); // a file named explicitly is read even if hidden or excluded by a glob
  }
  return { files, warnings };
}

export function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file (a broken symbolic link?)';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return e?.message ?? String(error);
  }
}
