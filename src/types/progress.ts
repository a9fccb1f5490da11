/**
 * The stages of a run, in order, as progress names them: files read; documents labelled (body or
 * boilerplate; each is shingled and sketched in the same pass) or, with boilerplate detection
 * off, sketched (the CLI reads, labels and sketches each file in one pass, counted as reading); candidate pairs verified and clustered; the report written.
 */
export const STAGES = ['reading', 'labelling', 'sketching', 'verifying', 'writing'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * Called as a run goes: `done` of `total` units (files, documents; 0 of 1 when a stage starts
 * whose work is not counted, 1 of 1 when it ends) of `stage`. The library's `onProgress`.
 */
export type ProgressCallback = (done: number, total: number, stage: Stage) => void;
