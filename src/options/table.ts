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
import { COMPARE_KINDS, FORMAT_NAMES, INPUT_FORMATS, KEEP_KINDS, SHINGLE_KINDS, SKETCH_KINDS, type FormatName } from './kinds.js';

export type CommandName = 'main' | 'body' | 'sketch' | 'pairs' | 'report' | 'index';

/** What an option takes. Numbers carry their range: `gt`/`ge` below, `lt`/`le` above. */
export type OptionType =
  | { readonly kind: 'number'; readonly integer?: boolean; readonly gt?: number; readonly ge?: number; readonly lt?: number; readonly le?: number }
  /** One of `values`. (No option takes an optional value: `--opt [x]` would swallow the path after it.) */
  | { readonly kind: 'enum'; readonly values: readonly string[] }
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
  /** Help text in another command's --help, when it differs (`sketch`, `pairs`, `report`). */
  readonly commandHelp?: Partial<Record<CommandName, string>>;
  /** Help text of the `--no-<name>` flag that turns a boolean off. */
  readonly negate?: string;
  /** The commands that take the option (and read its config key). */
  readonly commands: readonly CommandName[];
  /** The analysis option (core's AnalyseOptions) it sets; none for CLI-only settings. */
  readonly analysis?: string;
  /** False for an option that cannot be a config-file key. */
  readonly config?: boolean;
  /**
   * The output formats the option changes; given on the command line with another format, it
   * would do nothing, which is a usage error (exit 2). Absent: every format.
   */
  readonly formats?: readonly FormatName[];
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
// Shards (README "Large corpora"): `sketch` reads documents and takes the analysis options;
// `pairs` joins shards; `report` turns verified pairs into the report.
const READING = [...BOTH, 'sketch'] as const;
const REPORTING = ['main', 'report'] as const;

export const OPTIONS = {
  format: {
    flags: '-f, --format <format>',
    type: { kind: 'enum', values: FORMAT_NAMES },
    default: 'text',
    help: 'output format',
    commands: [...REPORTING, 'index'],
  },
  output: {
    flags: '-o, --output <file>',
    type: { kind: 'string' },
    defaultText: 'stdout',
    help: 'write the report to a file (atomically) instead of stdout (- is stdout)',
    commandHelp: { pairs: 'write the verified pairs to a file (atomically): .parquet, .csv or .jsonl; without it, CSV on stdout' },
    commands: ['main', 'pairs', 'report'],
  },
  config: {
    flags: '--config <file>',
    type: { kind: 'string' },
    defaultText: '`./dedupe.config.json` if present',
    help: 'read options from a JSON file (default: ./dedupe.config.json if present)',
    commands: ['main', 'body', 'index', 'sketch', 'pairs', 'report'],
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
    bodyHelp: 'similarity at or above which copies count as one article when lines recurring across documents are taken as an outlet\'s template',
    commands: READING,
    analysis: 'threshold',
  },
  'max-duplicates': {
    flags: '--max-duplicates <n>',
    type: { kind: 'number', integer: true, ge: 0 },
    default: 0,
    help: 'fail (exit 1) only above n duplicate documents',
    commands: REPORTING,
  },
  'exit-zero': {
    flags: '--exit-zero',
    type: { kind: 'boolean' },
    help: 'exit 0 even when near-duplicates are found',
    commands: REPORTING,
  },
  compare: {
    flags: '--compare <text>',
    type: { kind: 'enum', values: COMPARE_KINDS },
    default: 'body',
    help: 'compare the article body or the full text',
    commands: READING,
    analysis: 'compare',
  },
  keep: {
    flags: '--keep <which>',
    type: { kind: 'enum', values: KEEP_KINDS },
    default: 'longest',
    help: 'which copy of a cluster to keep',
    commands: REPORTING,
    analysis: 'keep',
  },
  'list-kept': {
    flags: '--list-kept',
    type: { kind: 'boolean' },
    help: 'with --format paths: list the files to keep instead of those to drop',
    commands: REPORTING,
    formats: ['paths'],
  },
  boilerplate: {
    flags: '--no-boilerplate',
    type: { kind: 'boolean' },
    default: true,
    help: 'skip boilerplate detection: every line is body (faster; implies comparing full texts)',
    commands: READING,
    analysis: 'boilerplate',
  },
  null: {
    flags: '-0, --null',
    type: { kind: 'boolean' },
    help: 'NUL-separated path lists, as xargs -0: --format paths ends each path with NUL, --files-from reads NUL-separated paths',
    bodyHelp: '--files-from reads NUL-separated paths, as xargs -0',
    commands: ['main', 'body', 'index', 'sketch', 'report'],
  },
  'files-from': {
    flags: '--files-from <file>',
    type: { kind: 'string' },
    help: 'also read the paths listed in a file, one per line (NUL-separated with -0); - reads the list from stdin',
    commands: READING,
  },
  'stdin-name': {
    flags: '--stdin-name <name>',
    type: { kind: 'string' },
    defaultText: '`-`',
    help: 'the name the text read from stdin (the path -) has in the report',
    bodyHelp: 'the name of the text read from stdin (the path -) in the ==> headers and warnings',
    commands: READING,
  },
  shingle: {
    flags: '--shingle <kind>',
    type: { kind: 'enum', values: SHINGLE_KINDS },
    default: 'word',
    help: 'shingle words or characters',
    commands: READING,
    analysis: 'shingle',
  },
  ngram: {
    flags: '--ngram <n>',
    type: { kind: 'number', integer: true, ge: 1, le: 64 },
    default: 5,
    help: 'shingle length in words (or characters)',
    commands: READING,
    analysis: 'ngram',
  },
  'num-perm': {
    flags: '--num-perm <k>',
    type: { kind: 'number', integer: true, ge: 1, le: 4096 },
    default: 128,
    help: 'signature slots (MinHash permutations)',
    commands: READING,
    analysis: 'numPerm',
  },
  sketch: {
    flags: '--sketch <kind>',
    type: { kind: 'enum', values: SKETCH_KINDS },
    default: 'oph',
    help: 'signatures: oph (one hash per shingle) or minhash (one per slot)',
    commands: READING,
    analysis: 'sketch',
  },
  seed: {
    flags: '--seed <n>',
    type: { kind: 'number', integer: true, ge: 0, le: 0xffffffff },
    default: 1,
    help: 'seed for the signature hashes',
    commands: READING,
    analysis: 'seed',
  },
  recall: {
    flags: '--recall <p>',
    type: { kind: 'number', gt: 0, lt: 1 },
    default: 0.99,
    help: 'chance that a pair exactly at the threshold becomes a candidate',
    commands: READING,
    analysis: 'recall',
  },
  jobs: {
    flags: '-j, --jobs <n>',
    type: { kind: 'number', integer: true, ge: 1 },
    default: defaultJobs,
    defaultText: 'CPU count (≤ 8)',
    help: 'worker threads for large runs',
    commands: ['main', 'body', 'sketch'],
  },
  color: {
    flags: '--color',
    type: { kind: 'boolean' },
    help: 'force colour in the text report',
    negate: 'never colour the text report',
    commands: REPORTING,
    formats: ['text'],
  },
  'all-pairs': {
    flags: '--all-pairs',
    type: { kind: 'boolean' },
    help: 'list every verified pair (n(n-1)/2 for a cluster of n copies), not a spanning set per cluster',
    commands: REPORTING,
    analysis: 'allPairs',
  },
  containment: {
    flags: '--containment <t>',
    type: { kind: 'number', ge: 0, le: 1 },
    default: 0,
    defaultText: 'off',
    help: 'also report pairs where the smaller document is at least t contained in the larger (0: off)',
    commands: MAIN,
    analysis: 'containment',
  },
  'drop-contained': {
    flags: '--drop-contained',
    type: { kind: 'boolean' },
    help: 'with --containment: --format paths lists contained documents as copies to drop',
    commands: MAIN,
    formats: ['paths'],
  },
  'show-boilerplate': {
    flags: '--show-boilerplate',
    type: { kind: 'boolean' },
    help: 'print boilerplate segments in full, for every document',
    commands: MAIN,
    formats: ['text', 'json', 'ndjson'],
  },
  'max-clusters': {
    flags: '--max-clusters <n>',
    type: { kind: 'number', integer: true, ge: 0 },
    default: 25,
    help: 'text report: show the n largest clusters, the rest in one line (0: all)',
    commands: REPORTING,
    formats: ['text'],
  },
  'show-unique': {
    flags: '--show-unique',
    type: { kind: 'boolean' },
    help: 'text report: list every unique document, not the first few lines',
    commands: REPORTING,
    formats: ['text'],
  },
  summary: {
    flags: '--summary',
    type: { kind: 'boolean' },
    help: 'text report: print the counts alone',
    commands: REPORTING,
    formats: ['text'],
  },
  root: {
    flags: '--root <dir>',
    type: { kind: 'string' },
    defaultText: 'the working directory',
    help: 'report paths relative to this directory (paths outside it stay absolute); SARIF declares it as %SRCROOT%',
    bodyHelp: 'show paths relative to this directory (paths outside it stay absolute)',
    commands: [...READING, 'report'],
  },
  diff: {
    flags: '--diff',
    type: { kind: 'boolean' },
    help: 'show what each duplicate changes against the copy to keep, word by word',
    commands: MAIN,
    formats: ['text', 'json', 'ndjson', 'html'],
  },
  verbose: {
    flags: '-v, --verbose',
    type: { kind: 'boolean' },
    help: 'show the reasons behind each label, and timing on stderr',
    commands: REPORTING,
  },
  quiet: {
    flags: '-q, --quiet',
    type: { kind: 'boolean' },
    help: 'print nothing but the report',
    bodyHelp: 'print no warnings',
    commandHelp: { sketch: 'print no warnings and no summary', pairs: 'print no summary' },
    commands: ['main', 'body', 'index', 'sketch', 'pairs', 'report'],
  },
  include: {
    flags: '--include <glob>',
    type: { kind: 'list' },
    defaultText: 'all files',
    help: 'only read files matching the glob (repeatable)',
    commands: READING,
  },
  exclude: {
    flags: '--exclude <glob>',
    type: { kind: 'list' },
    defaultText: 'all files',
    help: 'skip files and directories matching the glob (repeatable)',
    commands: READING,
  },
  'max-file-size': {
    flags: '--max-file-size <size>',
    type: { kind: 'size' },
    default: DEFAULT_MAX_FILE_SIZE,
    help: 'skip larger files (in record files: records) with a warning (bytes, or 64K, 64M, 1G)',
    commands: READING,
  },
  'input-format': {
    flags: '--input-format <format>',
    type: { kind: 'enum', values: INPUT_FORMATS },
    default: 'auto',
    help: 'how files are read: auto (.jsonl .ndjson .json .csv .tsv .parquet as records, others as text), text, or every file as records of one format',
    commands: READING,
  },
  'text-field': {
    flags: '--text-field <field>',
    type: { kind: 'string' },
    default: 'text',
    help: 'the field of a record that holds its text (a dotted path for nested fields: body.text)',
    commands: READING,
  },
  'id-field': {
    flags: '--id-field <field>',
    type: { kind: 'string' },
    defaultText: "the record's position",
    help: "the field that names a record in the report (file#id); default its position (JSONL line, CSV/TSV data row, JSON item, Parquet row)",
    commands: READING,
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
    commands: READING,
  },
  parquet: {
    flags: '--parquet <dirs...>',
    type: { kind: 'list' },
    help: 'shards: directories written by dedupe sketch, or directories of them',
    commandHelp: { sketch: 'write the shard here: documents, bands, shingles and params as Parquet files' },
    commands: ['sketch', 'pairs', 'report'],
  },
  templates: {
    flags: '--templates <file>',
    type: { kind: 'string' },
    help: 'corpus evidence across shards: dedupe pairs writes the template lines it finds here, dedupe sketch reads them for a second sketch',
    commandHelp: {
      pairs: 'also write the template lines (recurring across unrelated documents) to this Parquet file, for a second dedupe sketch --templates',
      sketch: "apply the template lines dedupe pairs --templates counted over a first sketch (one run's corpus evidence)",
    },
    commands: ['sketch', 'pairs'],
  },
  side: {
    flags: '--side <side>',
    type: { kind: 'enum', values: ['incoming', 'baseline'] },
    help: 'the shard is the incoming batch or the baseline corpus of an --against check (pairs of two baseline documents are never reported)',
    commandHelp: { index: 'dedupe index export: the export is the incoming batch or the baseline corpus of an --against check' },
    commands: ['sketch', 'index'],
  },
  pairs: {
    flags: '--pairs <file>',
    type: { kind: 'string' },
    help: 'verified pairs from sql/pairs.sql (.parquet, .csv or .jsonl) to report on',
    commands: ['report'],
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

/** What the parsed flags hold for an entry: no default, maybe undefined. */
type FlagValue<E extends OptionSpec> = E['type'] extends { kind: 'boolean' }
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

/** The value of an analysis option given the flag's value: absent means the default. */
export function analysisValue(spec: OptionSpec, value: unknown): unknown {
  if (value === undefined) return defaultOf(spec) ?? (spec.type.kind === 'boolean' ? false : undefined);
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
