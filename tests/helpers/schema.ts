import { spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ROOT } from './cli.js';

// ajv-formats is CommonJS with `exports.default`: under nodenext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const REPORT_SCHEMA_PATH = path.join(ROOT, 'schema', 'report.schema.json');
export const reportSchema = JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8')) as { $id: string } & Record<string, Json>;

/**
 * The published schema lets objects that may grow in v1 carry unknown properties. The tests also
 * check our own output against a strict variant, where every object schema that lists its
 * properties allows no others, so a misspelt or undocumented field fails the suite.
 */
export function strictVariant(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(strictVariant);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(schema)) {
    // Values under `properties`/`$defs` are schemas; so is everything else that is an object here.
    out[key] = strictVariant(value);
  }
  if (out.type === 'object' && out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function compileReportSchema(schema: Json) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  ajv.addSchema(schema as object);
  const id = (schema as { $id: string }).$id;
  const cache = new Map<string, ValidateFunction>();
  return (def?: string): ValidateFunction => {
    const ref = def ? `${id}#/$defs/${def}` : id;
    let validate = cache.get(ref);
    if (!validate) {
      validate = ajv.getSchema(ref);
      if (!validate) throw new Error(`no schema ${ref}`);
      cache.set(ref, validate);
    }
    return validate;
  };
}

const published = compileReportSchema(reportSchema);
const strict = compileReportSchema(strictVariant(reportSchema));

/** ajv's errors for `data` against the report schema (or one of its $defs), published and strict; [] when valid. */
export function reportSchemaErrors(data: unknown, def?: string): string[] {
  const errors: string[] = [];
  for (const [name, get] of [['published', published], ['strict', strict]] as const) {
    const validate = get(def);
    if (!validate(data)) for (const e of validate.errors ?? []) errors.push(`${name} ${def ?? 'report'}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
  return errors;
}

// SARIF: Microsoft's SARIF Multitool, an npm package per platform with a self-contained .NET binary
// and the SARIF 2.1.0 JSON schema it validates with (sarif-2.1.0.json) beside it.

const require = createRequire(import.meta.url);

export function multitoolPath(): string {
  const binary = require('@microsoft/sarif-multitool') as string;
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    // The platform package's postinstall does exactly this; `npm ci --ignore-scripts` skips it.
    chmodSync(binary, 0o755);
  }
  return binary;
}

export const SARIF_SCHEMA_PATH = path.join(path.dirname(require('@microsoft/sarif-multitool') as string), 'sarif-2.1.0.json');

let sarifValidate: ValidateFunction | undefined;

/** ajv's errors for `data` against the SARIF 2.1.0 schema shipped with the Multitool; [] when valid. */
export function sarifSchemaErrors(data: unknown): string[] {
  if (!sarifValidate) {
    const schema = JSON.parse(readFileSync(SARIF_SCHEMA_PATH, 'utf8')) as object;
    // The schema declares draft 2020-12 but keeps its subschemas under `definitions`; not strict, so
    // ajv accepts that keyword, and its formats (uri, uri-reference, date-time, uuid) are checked.
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
    addFormats(ajv);
    sarifValidate = ajv.compile(schema);
  }
  if (sarifValidate(data)) return [];
  return (sarifValidate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

export interface MultitoolFinding {
  level: 'error' | 'warning' | 'note' | 'none';
  ruleId: string;
  message: string;
}

/**
 * `Sarif.Multitool validate FILE… --output OUT --level Error;Warning;Note`, once for all `logs`
 * (name → SARIF text): the tool is a .NET program that takes seconds to start. It exits 0 even
 * when it finds errors, so the findings are read from its own SARIF output (a result's level
 * defaults to warning when absent) and returned per name. Rejects if the tool did not run to
 * completion.
 */
export async function multitoolValidate(logs: Readonly<Record<string, string>>): Promise<Record<string, MultitoolFinding[]>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dedupe-sarif-'));
  try {
    const names = Object.keys(logs);
    const inputs = names.map((name, i) => path.join(dir, `${i}.sarif`));
    names.forEach((name, i) => writeFileSync(inputs[i]!, logs[name]!));
    const output = path.join(dir, 'validation.sarif');
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string; error?: Error }>((resolve) => {
      const child = spawn(multitoolPath(), ['validate', ...inputs, '--output', output, '--log', 'ForceOverwrite', '--level', 'Error;Warning;Note'], {
        timeout: 120_000,
        env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', (error) => resolve({ status: null, stdout, stderr, error }));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    if (run.status !== 0) throw new Error(`sarif-multitool exited ${run.status}: ${run.error?.message ?? ''}\n${run.stdout}\n${run.stderr}`);
    const log = JSON.parse(readFileSync(output, 'utf8')) as {
      runs: Array<{
        results?: Array<{
          level?: MultitoolFinding['level'];
          ruleId: string;
          message: { text?: string; arguments?: string[] };
          locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string } } }>;
        }>;
        invocations?: Array<{ executionSuccessful: boolean; toolExecutionNotifications?: unknown[] }>;
      }>;
    };
    const runLog = log.runs[0];
    const invocation = runLog?.invocations?.[0];
    if (!invocation?.executionSuccessful || invocation.toolExecutionNotifications?.length) {
      throw new Error(`sarif-multitool did not complete: ${JSON.stringify(invocation)}\n${run.stdout}`);
    }
    // The console lines (`FILE(line,col): level RULE: text`) carry the rendered messages; the log
    // carries the levels, rule ids and the file each finding is about.
    const lines = run.stdout.split('\n');
    const findings: Record<string, MultitoolFinding[]> = Object.fromEntries(names.map((name) => [name, []]));
    for (const r of runLog?.results ?? []) {
      const uri = r.locations?.[0]?.physicalLocation?.artifactLocation?.uri;
      const index = inputs.findIndex((input) => uri !== undefined && fileURLToPath(uri) === input);
      if (index < 0) throw new Error(`sarif-multitool finding about no input: ${JSON.stringify(r)}`);
      const input = inputs[index]!;
      findings[names[index]!]!.push({
        level: r.level ?? 'warning',
        ruleId: r.ruleId,
        message:
          lines.find((l) => l.startsWith(`${input}(`) && l.includes(` ${r.ruleId}: `) && (r.message.arguments ?? []).every((a) => l.includes(a))) ??
          JSON.stringify(r.message),
      });
    }
    return findings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
