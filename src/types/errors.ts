/** What went wrong, for code that branches on it; the message says it in words. */
export type DedupeErrorCode =
  /** An option is unknown, of the wrong type or out of range; the message names it. */
  | 'INVALID_OPTION'
  /** An argument other than the options is malformed (sources, paths, a report). */
  | 'INVALID_ARGUMENT'
  /** A path given to analyseFiles does not exist. */
  | 'PATH_NOT_FOUND'
  /** No files to compare (nothing found, or every file skipped), and `allowEmpty` is not set. */
  | 'NO_INPUT';

/** The one error type the library throws on purpose. */
export class DedupeError extends Error {
  override readonly name = 'DedupeError';
  constructor(
    readonly code: DedupeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
