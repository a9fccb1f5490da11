// The enumerated option values, in one leaf module that stages, core, report and CLI all import
// (it imports nothing). The option table (./table.ts) says which option takes which.

export const SHINGLE_KINDS = ['word', 'char'] as const;
/** Shingles of words or of characters. */
export type ShingleKind = (typeof SHINGLE_KINDS)[number];

export const SKETCH_KINDS = ['oph', 'minhash'] as const;
/** `oph`: one hash per shingle (the default); `minhash`: K hashes per shingle, the classic scheme. */
export type SketchKind = (typeof SKETCH_KINDS)[number];

export const COMPARE_KINDS = ['body', 'full'] as const;
/** Compare the article body only, or the full text. */
export type CompareKind = (typeof COMPARE_KINDS)[number];

export const KEEP_KINDS = ['longest', 'first'] as const;
/** Which copy of a cluster is its representative. */
export type KeepKind = (typeof KEEP_KINDS)[number];

export const FORMAT_NAMES = ['text', 'json', 'ndjson', 'sarif', 'github', 'markdown', 'codeclimate', 'junit', 'paths', 'html'] as const;
/** The report's output formats; report/formats has one reporter per name. */
export type FormatName = (typeof FORMAT_NAMES)[number];

export const RECORD_FORMATS = ['jsonl', 'json', 'csv', 'tsv', 'parquet'] as const;
/** Files whose records are each a document. */
export type RecordFormat = (typeof RECORD_FORMATS)[number];

export const INPUT_FORMATS = ['auto', 'text', ...RECORD_FORMATS] as const;
/** How files are read: by extension (`auto`), all as one text document each, or all as records of one format. */
export type InputFormat = (typeof INPUT_FORMATS)[number];
