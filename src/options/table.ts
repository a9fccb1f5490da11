// The option table: every option of the CLI and of the analysis, in one place. Each entry says
// its flags, its type (and range or values), its default, its help text, the commands that take
// it, and the analysis option it sets (if any). From it are derived: the commander options and
// their help (cli/options.ts), the config-file keys and their type checks (cli/config.ts), the
// flags' TypeScript types (`Flags`), the analysis options, their defaults and their validation
// (core/options.ts), and the README's option table is checked against it
// (`npm run check:options`). Pure data: it imports only the enumerated values.
//
// Adding an option: one entry here, plus its implementation.

import { availableParallelism } from 'node:os';
import { COMPARE_KINDS, FORMAT_NAMES, KEEP_KINDS, SHINGLE_KINDS, SKETCH_KINDS } from './kinds.js';

export type CommandName = 'main' | 'body' | 'index';

/** What an option takes. Numbers carry their range: `gt`/`ge` below, `lt`/`le` above. */
export type OptionType =
  | { readonly kind: 'number'; readonly integer?: boolean; readonly gt?: number; readonly ge?: number; readonly lt?: number; readonly le?: number }
  /** One of `values`; with `optionalValue`, the flag alone (`--keep`) is allowed too. */
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly optionalValue?: boolean }
  /** Strings: repeatable (`--include a --include b`), or variadic when the flags say `<x...>`. */
  | { readonly kind: 'list' }
  | { readonly kind: 'boolean' }
  /** A number of bytes; on the command line and in the config also `64K`, `64M`, `1G`. */
  | { readonly kind: 'size' }
  | { readonly kind: 'string' };

export interface OptionSpec {
  /** Commander's flags, e.g. `-t, --threshold <t>`; the long name is the entry's key. */
  readonly flags: string;
  readonly type: OptionType;
  /** The value when the option is not given (a function for one computed at start-up). */
  readonly default?: unknown;
  /** The default as the README shows it, when it is not the value itself. */
  readonly defaultText?: string;
  readonly help: string;
  /** Help text in `dedupe body --help`, when it differs. */
  readonly bodyHelp?: string;
  /** Help text of the `--no-<name>` flag that turns a boolean off. */
  readonly negate?: string;
  /** The commands that take the option (and read its config key). */
  readonly commands: readonly CommandName[];
  /** The analysis option (core's AnalyseOptions) it sets; none for CLI-only settings. */
  readonly analysis?: string;
  /** False for an option that cannot be a config-file key. */
  readonly config?: boolean;
}

/** Files larger than this are skipped with a warning unless --max-file-size says otherwise. */
export const DEFAULT_MAX_FILE_SIZE = 256 * 1024 ** 2;

/** Worker threads by default: one per CPU, at most 8. */
export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

const MAIN = ['main'] as const;
// `dedupe index add` reads and sketches as `body` does, and records the analysis options.
const BOTH = ['main', 'body', 'index'] as const;
const MAIN_AND_INDEX = ['main', 'index'] as const;
const INDEX = ['index'] as const;

export const OPTIONS = {
  format: {
    flags: '-f, --format <format>',
    type: { kind: 'enum', values: FORMAT_NAMES },
    default: 'text',
    help: 'output format',
    commands: MAIN_AND_INDEX,
  },
  output: {
    flags: '-o, --output <file>',
    type: { kind: 'string' },
    defaultText: 'stdout',
    help: 'write the report to a file (atomically) instead of stdout',
    commands: MAIN,
  },
  config: {
    flags: '--config <file>',
    type: { kind: 'string' },
    defaultText: '`./dedupe.config.json` if present',
    help: 'read options from a JSON file (default: ./dedupe.config.json if present)',
    commands: BOTH,
    config: false,
  },
  against: {
    flags: '--against <paths...>',
    type: { kind: 'list' },
    help: 'baseline corpus: report only clusters with an incoming (positional) document',
    commands: MAIN,
  },
  threshold: {
    flags: '-t, --threshold <t>',
    type: { kind: 'number', gt: 0, le: 1 },
    default: 0.8,
    help: 'report pairs with Jaccard similarity at or above t',
    commands: BOTH,
    analysis: 'threshold',
  },
  'max-duplicates': {
    flags: '--max-duplicates <n>',
    type: { kind: 'number', integer: true, ge: 0 },
    default: 0,
    help: 'fail (exit 1) only above n duplicate documents',
    commands: MAIN,
  },
  'exit-zero': {
    flags: '--exit-zero',
    type: { kind: 'boolean' },
    help: 'exit 0 even when near-duplicates are found',
    commands: MAIN,
  },
  compare: {
    flags: '--compare <text>',
    type: { kind: 'enum', values: COMPARE_KINDS },
    default: 'body',
    help: 'compare the article body or the full text',
    commands: BOTH,
    analysis: 'compare',
  },
  keep: {
    flags: '--keep [which]',
    type: { kind: 'enum', values: KEEP_KINDS, optionalValue: true },
    default: 'longest',
    help: 'which copy of a cluster to keep; with --format paths, list the files to keep',
    commands: MAIN,
    analysis: 'keep',
  },
  boilerplate: {
    flags: '--no-boilerplate',
    type: { kind: 'boolean' },
    default: true,
    help: 'skip boilerplate detection: every line is body (faster; implies comparing full texts)',
    commands: BOTH,
    analysis: 'boilerplate',
  },
  null: {
    flags: '-0, --null',
    type: { kind: 'boolean' },
    help: 'NUL-separated path lists, as xargs -0: --format paths ends each path with NUL, --files-from reads NUL-separated paths',
    commands: BOTH,
  },
  'files-from': {
    flags: '--files-from <file>',
    type: { kind: 'string' },
    help: 'also read the paths listed in a file, one per line (NUL-separated with -0); - reads the list from stdin',
    commands: BOTH,
  },
  'stdin-name': {
    flags: '--stdin-name <name>',
    type: { kind: 'string' },
    defaultText: '`-`',
    help: 'the name the text read from stdin (the path -) has in the report',
    commands: BOTH,
  },
  shingle: {
    flags: '--shingle <kind>',
    type: { kind: 'enum', values: SHINGLE_KINDS },
    default: 'word',
    help: 'shingle words or characters',
    commands: BOTH,
    analysis: 'shingle',
  },
  ngram: {
    flags: '--ngram <n>',
    type: { kind: 'number', integer: true, ge: 1, le: 64 },
    default: 5,
    help: 'shingle length in words (or characters)',
    commands: BOTH,
    analysis: 'ngram',
  },
  'num-perm': {
    flags: '--num-perm <k>',
    type: { kind: 'number', integer: true, ge: 1, le: 4096 },
    default: 128,
    help: 'signature slots (MinHash permutations)',
    commands: BOTH,
    analysis: 'numPerm',
  },
  sketch: {
    flags: '--sketch <kind>',
    type: { kind: 'enum', values: SKETCH_KINDS },
    default: 'oph',
    help: 'signatures: oph (one hash per shingle) or minhash (one per slot)',
    commands: BOTH,
    analysis: 'sketch',
  },
  seed: {
    flags: '--seed <n>',
    type: { kind: 'number', integer: true, ge: 0, le: 0xffffffff },
    default: 1,
    help: 'seed for the signature hashes',
    commands: BOTH,
    analysis: 'seed',
  },
  recall: {
    flags: '--recall <p>',
    type: { kind: 'number', gt: 0, lt: 1 },
    default: 0.99,
    help: 'chance that a pair exactly at the threshold becomes a candidate',
    commands: BOTH,
    analysis: 'recall',
  },
  jobs: {
    flags: '-j, --jobs <n>',
    type: { kind: 'number', integer: true, ge: 1 },
    default: defaultJobs,
    defaultText: 'CPU count (≤ 8)',
    help: 'worker threads for large runs',
    commands: MAIN,
  },
  color: {
    flags: '--color',
    type: { kind: 'boolean' },
    help: 'force colour in the text report',
    negate: 'never colour the text report',
    commands: MAIN,
  },
  'all-pairs': {
    flags: '--all-pairs',
    type: { kind: 'boolean' },
    help: 'list every verified pair (n(n-1)/2 for a cluster of n copies), not a spanning set per cluster',
    commands: MAIN,
    analysis: 'allPairs',
  },
  'show-boilerplate': {
    flags: '--show-boilerplate',
    type: { kind: 'boolean' },
    help: 'print boilerplate segments in full',
    commands: MAIN,
  },
  verbose: {
    flags: '-v, --verbose',
    type: { kind: 'boolean' },
    help: 'show the reasons behind each label, and timing on stderr',
    commands: MAIN,
  },
  quiet: {
    flags: '-q, --quiet',
    type: { kind: 'boolean' },
    help: 'print nothing but the report',
    bodyHelp: 'print no warnings',
    commands: BOTH,
  },
  include: {
    flags: '--include <glob>',
    type: { kind: 'list' },
    defaultText: 'all files',
    help: 'only read files matching the glob (repeatable)',
    commands: BOTH,
  },
  exclude: {
    flags: '--exclude <glob>',
    type: { kind: 'list' },
    defaultText: 'all files',
    help: 'skip files and directories matching the glob (repeatable)',
    commands: BOTH,
  },
  'max-file-size': {
    flags: '--max-file-size <size>',
    type: { kind: 'size' },
    default: DEFAULT_MAX_FILE_SIZE,
    help: 'skip larger files with a warning (bytes, or 64K, 64M, 1G)',
    commands: BOTH,
  },
  index: {
    flags: '--index <file>',
    type: { kind: 'string' },
    help: 'a dedupe index (DuckDB file): check the paths against it, as --against would (dedupe index add builds it)',
    commands: MAIN_AND_INDEX,
  },
  update: {
    flags: '--update',
    type: { kind: 'boolean' },
    help: 'with --index: add the checked files to the index afterwards',
    commands: MAIN,
  },
  prune: {
    flags: '--prune',
    type: { kind: 'boolean' },
    help: 'dedupe index add: drop indexed files that no longer exist',
    commands: INDEX,
  },
  'allow-empty': {
    flags: '--allow-empty',
    type: { kind: 'boolean' },
    help: 'no files to compare is a clean run (exit 0, with a warning) rather than an error (exit 2)',
    commands: BOTH,
  },
} as const satisfies Record<string, OptionSpec>;

export type OptionTable = typeof OPTIONS;
export type OptionName = keyof OptionTable;
export const OPTION_NAMES = Object.keys(OPTIONS) as OptionName[];

/** `num-perm` → `numPerm`: commander's attribute name, and the flags object's key. */
export type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
export const camel = <S extends string>(name: S) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as Camel<S>;

/** The value an option of this type holds. */
export type ValueOf<T extends OptionType> = T extends { kind: 'number' | 'size' }
  ? number
  : T extends { kind: 'enum'; values: readonly (infer V)[] }
    ? V
    : T extends { kind: 'list' }
      ? string[]
      : T extends { kind: 'boolean' }
        ? boolean
        : string;

/** What the parsed flags hold for an entry: `--keep` alone is `true`; no default, maybe undefined. */
type FlagValue<E extends OptionSpec> = E['type'] extends { optionalValue: true }
  ? ValueOf<E['type']> | true | undefined
  : E['type'] extends { kind: 'boolean' }
    ? E['flags'] extends `--no-${string}`
      ? boolean
      : boolean | undefined
    : E extends { default: unknown }
      ? ValueOf<E['type']>
      : ValueOf<E['type']> | undefined;

type NamesFor<C extends CommandName> = { [K in OptionName]: C extends OptionTable[K]['commands'][number] ? K : never }[OptionName];

/** The parsed flags of a command, as commander gives them (camel-cased keys). */
export type Flags<C extends CommandName> = { -readonly [K in NamesFor<C> as Camel<K>]: FlagValue<OptionTable[K]> };

type AnalysisEntry<A> = { [K in OptionName]: OptionTable[K] extends { analysis: A } ? OptionTable[K] : never }[OptionName];
type AnalysisKey = { [K in OptionName]: OptionTable[K] extends { analysis: infer A extends string } ? A : never }[OptionName];

/** The analysis options, one per entry with `analysis`. */
export type AnalysisOptions = { -readonly [A in AnalysisKey]: ValueOf<AnalysisEntry<A>['type']> };

/** The entries, in table order, as plain specs. */
export const ENTRIES: ReadonlyArray<readonly [OptionName, OptionSpec]> = OPTION_NAMES.map((name) => [name, OPTIONS[name] as OptionSpec]);

/** The entries that set an analysis option. */
export const ANALYSIS_ENTRIES = ENTRIES.filter(([, spec]) => spec.analysis !== undefined) as ReadonlyArray<
  readonly [OptionName, OptionSpec & { analysis: keyof AnalysisOptions }]
>;

/** An entry's default value (computed now for a function). */
export function defaultOf(spec: OptionSpec): unknown {
  return typeof spec.default === 'function' ? (spec.default as () => unknown)() : spec.default;
}

/** The value of an analysis option given the flag's value: the flag alone or absent means the default. */
export function analysisValue(spec: OptionSpec, value: unknown): unknown {
  if (value === undefined || (value === true && spec.type.kind === 'enum')) return defaultOf(spec) ?? (spec.type.kind === 'boolean' ? false : undefined);
  return value;
}

const orList = (values: readonly string[]) => (values.length < 2 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`);

/** What a value of this type must be, for messages: "a whole number from 1 to 64". */
export function describeType(type: OptionType): string {
  switch (type.kind) {
    case 'number': {
      if (type.integer) {
        const low = type.ge ?? (type.gt === undefined ? undefined : type.gt + 1);
        const high = type.le ?? (type.lt === undefined ? undefined : type.lt - 1);
        if (low !== undefined && high !== undefined) return `a whole number from ${low} to ${high}`;
        if (low !== undefined) return `a whole number ≥ ${low}`;
        if (high !== undefined) return `a whole number ≤ ${high}`;
        return 'a whole number';
      }
      const low = type.gt ?? type.ge;
      const high = type.lt ?? type.le;
      if (low === undefined && high === undefined) return 'a number';
      const open = type.gt !== undefined ? '(' : '[';
      const close = type.lt !== undefined ? ')' : ']';
      return `a number in ${open}${low ?? '-∞'}, ${high ?? '∞'}${close}`;
    }
    case 'enum':
      return orList(type.values);
    case 'list':
      return 'a list of strings';
    case 'boolean':
      return 'true or false';
    case 'size':
      return 'a whole number of bytes ≥ 1';
    case 'string':
      return 'a string';
  }
}

/** Why `value` is not a valid value of the type ("must be …, got …"), or undefined when it is. */
export function problemWith(type: OptionType, value: unknown): string | undefined {
  const fail = () => `must be ${describeType(type)}, got ${typeof value === 'string' || typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value))}`;
  switch (type.kind) {
    case 'number': {
      if (typeof value !== 'number' || Number.isNaN(value)) return fail();
      if (type.integer && !Number.isInteger(value)) return fail();
      if (type.gt !== undefined && !(value > type.gt)) return fail();
      if (type.ge !== undefined && !(value >= type.ge)) return fail();
      if (type.lt !== undefined && !(value < type.lt)) return fail();
      if (type.le !== undefined && !(value <= type.le)) return fail();
      return undefined;
    }
    case 'enum':
      return typeof value === 'string' && type.values.includes(value) ? undefined : fail();
    case 'list':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? undefined : fail();
    case 'boolean':
      return typeof value === 'boolean' ? undefined : fail();
    case 'size':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 ? undefined : fail();
    case 'string':
      return typeof value === 'string' ? undefined : fail();
  }
}
