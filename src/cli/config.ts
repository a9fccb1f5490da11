import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command, Option } from 'commander';
import { parseSize } from '../input/size.js';

export const DEFAULT_CONFIG_FILE = 'dedupe.config.json';

/** A config file that cannot be used: exit 2, naming the file and the key. */
export class ConfigError extends Error {}

/** Options that make no sense in a config file. */
const NOT_CONFIGURABLE = new Set(['config', 'help', 'version']);

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

function findOption(command: Command, key: string): Option | undefined {
  return command.options.find((o) => o.long === `--${key}` || o.attributeName() === key);
}

/**
 * Apply config values as commander's "config" source, so flags given on the command line still
 * win. Keys are the long option names (`num-perm`, or `numPerm`); an unknown key or a value of
 * the wrong type is an error naming the key. `kinds` says which options take numbers, which take
 * sizes (a number of bytes, or a string such as "64M") and which
 * collect lists (commander cannot tell from the option alone).
 */
export function applyConfig(
  command: Command,
  config: Record<string, unknown>,
  file: string,
  kinds: { numeric: ReadonlySet<string>; lists: ReadonlySet<string>; sizes?: ReadonlySet<string> },
): void {
  for (const [key, value] of Object.entries(config)) {
    const option = findOption(command, key);
    if (!option || NOT_CONFIGURABLE.has(option.long?.slice(2) ?? '')) throw new ConfigError(`${file}: unknown key "${key}"`);
    const name = option.attributeName();
    const long = option.long ?? key;
    const fail = (expected: string): never => {
      throw new ConfigError(`${file}: "${key}" must be ${expected}, got ${JSON.stringify(value)}`);
    };
    let result: unknown = value;
    if (option.isBoolean() || option.negate) {
      if (typeof value !== 'boolean') fail('true or false');
      if (option.negate) result = value; // "color": false means --no-color
    } else if (kinds.sizes?.has(long)) {
      const bytes = typeof value === 'number' ? value : typeof value === 'string' ? parseSize(value) : undefined;
      if (bytes === undefined || !Number.isSafeInteger(bytes) || bytes < 1) fail('a size: a whole number of bytes, or a string such as "64M"');
      result = bytes;
    } else if (kinds.numeric.has(long)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) fail('a number');
    } else if (option.variadic || kinds.lists.has(long)) {
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) fail('a string or an array of strings');
      result = list;
    } else if (typeof value !== 'string') {
      fail('a string');
    }
    if (option.argChoices && !option.argChoices.includes(String(result))) fail(`one of ${option.argChoices.join(', ')}`);
    command.setOptionValueWithSource(name, result, 'config');
  }
}
