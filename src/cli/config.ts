import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { parseSize } from '../input/size.js';
import { camel, ENTRIES, problemWith, type OptionName, type OptionSpec } from '../options/table.js';
import { CliError } from './errors.js';
import { didYouMean } from './suggest.js';

export const DEFAULT_CONFIG_FILE = 'dedupe.config.json';

/** A config file that cannot be used: exit 2, naming the file and the key. */
export class ConfigError extends CliError {}

/** Every key a config file may hold: long names and their camel-case spellings. */
function configKeys(): string[] {
  return ENTRIES.filter(([, spec]) => spec.config !== false).flatMap(([name]) => [name, camel(name)]);
}

/** Where `--config FILE` points, read from argv before commander parses it. */
export function configPathFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return undefined;
    if (arg === '--config') return argv[i + 1];
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return undefined;
}

/** Read `file` (relative to `cwd`); messages name it as given. */
export async function readConfigFile(file: string, required: boolean, cwd: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`${file}: cannot read the config file: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ConfigError(`${file}: the config must be a JSON object`);
  return data as Record<string, unknown>;
}

/** The entry a config key names: its long name (`num-perm`) or attribute (`numPerm`); `no-x` for a negated boolean. */
function entryForKey(key: string): { name: OptionName; spec: OptionSpec; inverted: boolean } | undefined {
  for (const [name, spec] of ENTRIES) {
    if (key === name || key === camel(name)) return { name, spec, inverted: false };
    const negated = spec.type.kind === 'boolean' && (spec.negate !== undefined || spec.flags.startsWith('--no-'));
    if (negated && (key === `no-${name}` || key === camel(`no-${name}`))) return { name, spec, inverted: true };
  }
  return undefined;
}

/**
 * Apply config values as commander's "config" source on every command that takes the option, so
 * flags given on the command line still win. An unknown key, or a value of the wrong type, is an
 * error naming the key; ranges are checked with the flags' values (analyseOptionsFrom).
 */
export function applyConfig(commands: readonly Command[], config: Record<string, unknown>, file: string): void {
  for (const [key, value] of Object.entries(config)) {
    const found = entryForKey(key);
    if (!found || found.spec.config === false) {
      const hint = didYouMean(key, configKeys(), (k) => JSON.stringify(k)) ?? 'the keys are the long options of dedupe --help, without the dashes';
      throw new ConfigError(`${file}: unknown key "${key}"`, hint);
    }
    const fail = (expected: string): never => {
      throw new ConfigError(`${file}: "${key}" must be ${expected}, got ${JSON.stringify(value)}`);
    };
    const { type } = found.spec;
    let result: unknown = value;
    switch (type.kind) {
      case 'boolean':
        if (typeof value !== 'boolean') fail('true or false');
        if (found.inverted) result = !value;
        break;
      case 'size': {
        const bytes = typeof value === 'number' ? value : typeof value === 'string' ? parseSize(value) : undefined;
        if (bytes === undefined || !Number.isSafeInteger(bytes) || bytes < 1) fail('a size: a whole number of bytes, or a string such as "64M"');
        result = bytes;
        break;
      }
      case 'number': {
        if (typeof value !== 'number' || !Number.isFinite(value)) fail('a number');
        // Its range too, here, so that the message names the file and the key (not a flag never typed).
        const problem = problemWith(type, value);
        if (problem) throw new ConfigError(`${file}: "${key}" ${problem}`);
        break;
      }
      case 'list':
        result = typeof value === 'string' ? [value] : value;
        // An empty entry names no path and matches no file.
        if (!Array.isArray(result) || !result.every((v) => typeof v === 'string' && v !== '')) fail('a non-empty string or an array of them');
        break;
      case 'enum':
        if (typeof value !== 'string') fail('a string');
        if (!type.values.includes(value as string)) fail(`one of ${type.values.join(', ')}`);
        break;
      case 'string':
        if (typeof value !== 'string') fail('a string');
        break;
    }
    const attribute = camel(found.name);
    for (const command of commands) {
      if (command.options.some((o) => o.attributeName() === attribute)) command.setOptionValueWithSource(attribute, result, 'config');
    }
  }
}
