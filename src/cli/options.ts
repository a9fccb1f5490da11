// Commander options, config-file keys and analysis options, derived from the option table
// (src/options/table.ts). Nothing here names an option: adding one is a table entry.

import { type Command, InvalidArgumentError, Option } from 'commander';
import { findOptionProblem, type AnalyseOptions } from '../core/options.js';
import { parseSize } from '../input/size.js';
import {
  ANALYSIS_ENTRIES,
  analysisValue,
  camel,
  defaultOf,
  ENTRIES,
  problemWith,
  type CommandName,
  type Flags,
  type OptionName,
  type OptionSpec,
} from '../options/table.js';

export type { Flags } from '../options/table.js';

const number = (flag: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${flag} takes a number, got "${value}".`);
  return n;
};
const collect = (flag: string) => (value: string, previous: string[] = []) => {
  // An empty glob or path ('', as from --exclude "$UNSET") matches nothing: a mistake, said as one.
  if (value === '') throw new InvalidArgumentError(`${flag} takes a non-empty value.`);
  return [...previous, value];
};
const size = (flag: string) => (value: string) => {
  const n = parseSize(value);
  if (n === undefined || n < 1) throw new InvalidArgumentError(`${flag} takes a size in bytes, or with K, M or G (e.g. 64M), got "${value}".`);
  return n;
};

/** The long flag of an entry as the user types it: `--num-perm`, `--no-boilerplate`. */
export function flagOf(name: OptionName): string {
  const spec = ENTRIES.find(([n]) => n === name)?.[1];
  return /--[a-z0-9-]+/.exec(spec?.flags ?? '')?.[0] ?? `--${name}`;
}

const appliesTo = (spec: OptionSpec, command: CommandName) => spec.commands.includes(command);

/** Declare on `command` every table entry that applies to it, with its parser, choices, default and help. */
export function addOptions(command: Command, which: CommandName): Command {
  for (const [name, spec] of ENTRIES) {
    if (!appliesTo(spec, which)) continue;
    const option = new Option(spec.flags, spec.commandHelp?.[which] ?? (which === 'body' && spec.bodyHelp ? spec.bodyHelp : spec.help));
    const flag = flagOf(name);
    const { type } = spec;
    if (type.kind === 'number') option.argParser(number(flag));
    if (type.kind === 'size') option.argParser(size(flag));
    if (type.kind === 'list' && !spec.flags.includes('...')) option.argParser(collect(flag));
    if (type.kind === 'enum') option.choices(type.values);
    // Booleans default by commander (a --no- flag to true).
    const hasDefault = spec.default !== undefined && type.kind !== 'boolean';
    if (hasDefault) option.default(defaultOf(spec));
    command.addOption(option);
    if (spec.negate) command.addOption(new Option(`--no-${name}`, spec.negate));
  }
  return command;
}

/** Where a value came from, strongest first: the command line, the config file, the default. */
const RANK: Record<string, number> = { cli: 3, env: 3, config: 2, implied: 1, default: 1 };
const rank = (command: Command, key: string) => RANK[command.getOptionValueSource(key) ?? ''] ?? 0;

/**
 * The flags of a subcommand. The main command declares the same options and takes them wherever
 * they stand (`dedupe --exclude x body dir` and `dedupe body dir --exclude x` both reach it), and
 * the config file sets both: for each option the subcommand takes, the value from the stronger
 * source wins (command line over config over default), either command's.
 */
export function subcommandFlags<C extends CommandName>(sub: Command, parent: Command, which: C): Flags<C> {
  const flags: Record<string, unknown> = { ...sub.opts() };
  for (const [name, spec] of ENTRIES) {
    if (!appliesTo(spec, which)) continue;
    const key = camel(name);
    if (rank(parent, key) > rank(sub, key)) flags[key] = parent.getOptionValue(key);
  }
  return flags as Flags<C>;
}

/** A problem with an option's value, named by its flag: `--threshold must be a number in (0, 1], got 5`. */
export class OptionValueError extends Error {}

/**
 * The analysis options the flags ask for, validated; options the command does not take have their
 * defaults. Core names a bad option by its analysis name; here it is named by its flag.
 */
export function analyseOptionsFrom(flags: Record<string, unknown>): AnalyseOptions {
  const options = Object.fromEntries(
    ANALYSIS_ENTRIES.map(([name, spec]) => [spec.analysis, analysisValue(spec, flags[camel(name)])]),
  ) as AnalyseOptions;
  const found = findOptionProblem(options);
  if (found) {
    const name = ANALYSIS_ENTRIES.find(([, spec]) => spec.analysis === found.option)?.[0] ?? found.option;
    throw new OptionValueError(`${flagOf(name as OptionName)} ${found.problem}`);
  }
  // The CLI's own settings with a range (--jobs, --max-duplicates): checked here, by the same rule.
  for (const [name, spec] of ENTRIES) {
    if (spec.analysis !== undefined || spec.type.kind !== 'number') continue;
    const value = flags[camel(name)];
    const problem = value === undefined ? undefined : problemWith(spec.type, value);
    if (problem) throw new OptionValueError(`${flagOf(name)} ${problem}`);
  }
  return options;
}
