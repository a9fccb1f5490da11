// The exit-code rule lives with the report (the library exports it too); re-exported for the CLI.
export { EXIT_CLEAN, EXIT_ERROR, EXIT_FOUND, exitCodeFor } from '../report/exit-code.js';
