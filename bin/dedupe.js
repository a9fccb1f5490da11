#!/usr/bin/env node
// The binary only hands over to the compiled CLI, which owns argv, streams and the exit code.

// An exception no await reaches (thrown in a stream's event handler, say) would end the process
// with node's code 1, which here says "duplicates found": a CI gate must see an error (2). Set
// before the CLI is loaded, so that nothing runs without it.
const crash = (error) => {
  process.stderr.write(`dedupe: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\nhint: this is a bug in dedupe: please report it with the command that caused it\n`);
  process.exit(2);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

const { run } = await import('../dist/cli/main.js');
process.exitCode = await run(process.argv.slice(2));
